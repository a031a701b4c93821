"""Compression twins of expansions (identity, reciprocal, linear, nested, extended)."""

import jax
import numpy as np
import pytest

import jaxbig
from jaxbig import compression, expansion

RNG = np.random.default_rng(6)
X = RNG.normal(size=(3, 5)).astype(np.float32)


@pytest.mark.parametrize("name, kwargs, reference", [
    ("identity_compression", {}, lambda x: x),
    ("reciprocal_compression", {}, lambda x: 1 / x),
    ("linear_compression", {"c": -2.0}, lambda x: -2 * x),
    ("linear_compression", {"post_C": np.arange(25.0).reshape(5, 5)},
     lambda x: x @ np.arange(25.0).reshape(5, 5)),
])
def test_twins_are_registered_compressions_with_the_expansion_math(name, kwargs, reference):
    f = jaxbig.make(name, **kwargs)
    entry = jaxbig.lookup(name)
    assert entry.family == "compression" and isinstance(f, jaxbig.base.Transformation)
    out = f.apply(None, X)
    assert out.shape == (3, f.calculate_D(5))
    np.testing.assert_allclose(out, reference(X.astype(np.float64)), rtol=1e-5)


def test_nested_and_extended_compose_compressions_with_their_parameters():
    pca = compression.IncrementalPCACompression(3)
    nested = jaxbig.make("nested_compression", composition_function_configs=[
        {"function_class": "tinybig.compression.identity_compression", "function_parameters": {}},
        pca,
        "max_compression",
    ])
    params = nested.init(jax.random.key(0), 5)
    assert params[0] is None and params[2] is None
    out = jax.jit(nested.apply)(params, X)
    assert out.shape == (3, nested.calculate_D(5)) == (3, 1)
    np.testing.assert_allclose(out[:, 0], np.max(np.asarray(pca.apply(params[1], X)), axis=1), rtol=1e-6)
    extended = compression.ExtendedCompression(composition_functions=("max_compression", "mean_compression"))
    np.testing.assert_allclose(extended.apply(None, X), np.stack([X.max(1), X.mean(1)], 1), rtol=1e-6)
    assert extended.calculate_D(5) == 2
    with pytest.raises(ValueError, match=r"ExtendedCompression: params must be a tuple of 2"):
        extended.apply((None,), X)


def test_geometric_compression_accepts_tinybig_patch_configs():
    f = jaxbig.make("geometric_compression", metric="batch_mean", h=2, w=2, d=2,
                    patch_configs={"patch_class": "tinybig.koala.geometry.cuboid",
                                   "patch_parameters": {"p_h": 1, "p_w": 1, "p_d": 1}})
    x = np.array([[1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 1.0, 2.0]], np.float32)
    # densest packing on a 2x2x2 grid: every 3x3x3 patch covers the whole grid.
    np.testing.assert_allclose(f.apply(None, x), np.full((1, 8), x.sum() / 27), rtol=1e-6)
    with pytest.raises(ValueError, match=r"GeometricCompression: unknown patch_class 'hexagon'"):
        compression.GeometricCompression("max", {"patch_class": "hexagon"}, h=2, w=2)
    assert compression.IdentityCompression() != expansion.IdentityExpansion()
