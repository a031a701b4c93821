"""What every registered expansion promises: widths, jit/vmap/grad, dtypes, errors, names."""

from __future__ import annotations

import dataclasses
import re

import chex
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from absl.testing import parameterized
from jax.test_util import check_grads

import jaxbig
from jaxbig import registry
from jaxbig.base import Transformation

from expansion_cases import CASES, build, inputs, names

NAMES = names()


def test_every_registered_expansion_has_a_test_case():
    assert sorted(NAMES) == sorted(CASES), set(NAMES) ^ set(CASES)


def test_every_tinybig_expansion_class_is_registered():
    tinybig = {
        "identity_expansion", "reciprocal_expansion", "linear_expansion", "taylor_expansion",
        "fourier_expansion", "bspline_expansion", "chebyshev_expansion", "jacobi_expansion",
        "hermite_expansion", "laguerre_expansion", "legendre_expansion", "gegenbauer_expansion",
        "bessel_expansion", "reverse_bessel_expansion", "fibonacci_expansion", "lucas_expansion",
        "hyperbolic_expansion", "arc_hyperbolic_expansion", "trigonometric_expansion",
        "arc_trigonometric_expansion", "normal_expansion", "cauchy_expansion", "chi2_expansion",
        "gamma_expansion", "exponential_expansion", "laplace_expansion",
        "hybrid_probabilistic_expansion", "naive_normal_expansion", "naive_cauchy_expansion",
        "naive_chi2_expansion", "naive_gamma_expansion", "naive_exponential_expansion",
        "naive_laplace_expansion", "gaussian_rbf_expansion", "inverse_quadratic_rbf_expansion",
        "geometric_expansion", "cuboid_patch_based_geometric_expansion",
        "cylinder_patch_based_geometric_expansion", "sphere_patch_based_geometric_expansion",
        "meyer_wavelet_expansion", "ricker_wavelet_expansion", "shannon_wavelet_expansion",
        "beta_wavelet_expansion", "harr_wavelet_expansion", "dog_wavelet_expansion",
        "combinatorial_expansion", "combinatorial_normal_expansion", "nested_expansion",
        "extended_expansion",
    }
    registered = {e.tinybig for e in registry.entries("expansion")}
    assert tinybig == registered, tinybig ^ registered


def _setup(name: str, seed: int = 0):
    """The function of the case, its params and a generic ``(3, m)`` input. Every test
    uses this one shape, so the compiled computation is shared between tests."""
    kappa = build(name)
    m = CASES[name].widths[-1]
    return kappa, kappa.init(jax.random.key(0), m), jnp.asarray(inputs((3, m), seed=seed))


@pytest.mark.parametrize("name", NAMES)
def test_calculate_D_equals_the_output_width(name):
    kappa = build(name)
    assert isinstance(kappa, Transformation)
    for m in CASES[name].widths:
        x = jax.ShapeDtypeStruct((2, m), jnp.float32)
        y = jax.eval_shape(kappa.apply, kappa.init(jax.random.key(0), m), x)
        assert y.shape == (2, kappa.calculate_D(m)), (m, y.shape)
    kappa, params, x = _setup(name)
    assert kappa.apply(params, x).shape == (3, kappa.calculate_D(x.shape[1]))


@pytest.mark.parametrize("name", NAMES)
def test_tinybig_name_and_dotted_path_build_the_same_function(name):
    entry = registry.lookup(name)
    kappa = build(name)
    assert jaxbig.make(f"tinybig.expansion.{entry.tinybig}", **CASES[name].kwargs) == kappa
    assert hash(kappa) == hash(build(name))
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(kappa, entry.fields()[0] if entry.fields() else "x", None)


@pytest.mark.parametrize("name", NAMES)
def test_wrong_rank_names_the_function_and_the_shape(name):
    kappa = build(name)
    m = CASES[name].widths[0]
    for bad in (np.zeros((m,), np.float32), np.zeros((1, 2, m), np.float32)):
        with pytest.raises(ValueError, match=rf"{name}: x must be 2-D .*got shape {re.escape(str(bad.shape))}"):
            kappa.apply(kappa.init(jax.random.key(0), m), bad)


@pytest.mark.parametrize(
    "name", [n for n in NAMES if len(CASES[n].widths) == 1] + ["LinearExpansion"]
)
def test_wrong_width_names_the_function_and_the_shapes(name):
    kwargs = CASES[name].kwargs if name != "LinearExpansion" else {"post_C": np.eye(3)}
    kappa = registry.make(name, **kwargs)
    m = CASES[name].widths[0] if name != "LinearExpansion" else 3
    with pytest.raises(ValueError, match=rf"{name}: x must have shape \(b, {m}\), got shape \(2, {m + 1}\)"):
        kappa.apply(None, np.zeros((2, m + 1), np.float32))
    with pytest.raises(ValueError, match=rf"{name}: m={m + 1} must equal {m}"):
        kappa.calculate_D(m + 1)


@pytest.mark.parametrize("name", NAMES)
def test_dtype_follows_the_input(name):
    kappa, params, x = _setup(name)
    x = x.astype(jnp.bfloat16).astype(jnp.float32)  # exactly representable in bfloat16
    y32 = kappa.apply(params, x)
    y16 = kappa.apply(params, x.astype(jnp.bfloat16))
    assert y32.dtype == jnp.float32 and y16.dtype == jnp.bfloat16
    scale = float(jnp.max(jnp.abs(y32)))
    np.testing.assert_allclose(
        np.asarray(y16, np.float32), np.asarray(y32), rtol=0.05, atol=0.05 * scale
    )
    integer = jax.eval_shape(kappa.apply, params, jax.ShapeDtypeStruct(x.shape, jnp.int32))
    assert integer.dtype == jnp.float32  # integer inputs are read as float32


@pytest.mark.parametrize("name", [n for n in NAMES if CASES[n].smooth])
def test_gradients_match_finite_differences(name):
    kappa, params, x = _setup(name)
    check_grads(lambda v: kappa.apply(params, v), (x,), order=1, modes=("rev",), atol=2e-2, rtol=2e-2)


class JitVmapAndEagerAgreeTest(chex.TestCase):
    """``vmap`` over a stack of batches, with and without an outer ``jit``, equals
    applying the function to each batch eagerly (the object is a static argument)."""

    @chex.variants(with_jit=True, without_jit=True)
    @parameterized.named_parameters(*[(n, n) for n in NAMES])
    def test_vmap_with_and_without_jit_equals_a_loop(self, name):
        kappa, params, x = _setup(name)
        xs = jnp.stack([x, x[::-1] * 0.5])
        stacked = self.variant(lambda p, v: jax.vmap(lambda u: kappa.apply(p, u))(v))(params, xs)
        chex.assert_shape(stacked, (2, 3, kappa.calculate_D(x.shape[1])))
        for i in range(2):
            chex.assert_trees_all_close(stacked[i], kappa.apply(params, xs[i]), rtol=1e-6, atol=1e-6)
