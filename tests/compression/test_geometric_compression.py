"""Geometric compression: tinyBIG's padding-matrix pipeline in NumPy, layouts, gradients."""

import chex
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from jax.test_util import check_grads

import jaxbig
from jaxbig import compression
from jaxbig.ops import Cuboid, Cylinder, Sphere, padding_matrix, patch_indices

RNG = np.random.default_rng(1)

NUMPY_METRICS = {"max": np.max, "min": np.min, "mean": np.mean}


def _tinybig_forward(x, patch, metric, h, w, d, channel_num, cd):
    """tinyBIG's geometric_compression.forward, step by step, with a dense padding matrix."""
    b = x.shape[0]
    pi = patch_indices((h, w, d), patch, cd_h=cd[0], cd_w=cd[1], cd_d=cd[2])
    A = padding_matrix(pi)  # checked against tinyBIG's own loops in tests/ops/test_patches.py
    P, p = pi.num_patches, pi.patch_size
    xi = (x.reshape(b * channel_num, -1) @ A).reshape(b, channel_num, P, p)
    xi = xi.transpose(0, 2, 1, 3).reshape(b, -1)  # geometric_interdependence.forward
    pooled = NUMPY_METRICS[metric](xi.reshape(-1, p), axis=1).reshape(b, P, -1)
    return pooled.transpose(0, 2, 1).reshape(b, -1)


SHAPES = {
    "cuboid": (dict(p_h=1, p_w=1, p_d=0), lambda k: Cuboid(**k)),
    "cylinder": (dict(p_r=1, p_d=1), lambda k: Cylinder(**k)),
    "sphere": (dict(p_r=1), lambda k: Sphere(**k)),
}
CONFIGS = [  # (h, w, d, channel_num, strides)
    (4, 5, 1, 1, (1, 1, 1)),
    (4, 4, 2, 3, (2, 2, 1)),
    (3, 5, 3, 2, (2, 3, 2)),
]


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("metric", ["max", "mean", "min"])
def test_every_class_matches_tinybig_pipeline(shape, metric):
    size_kwargs, make_patch = SHAPES[shape]
    cls = jaxbig.lookup(f"{shape}_{metric}_based_geometric_compression").cls
    # Each class gets one grid configuration; each configuration serves three classes.
    h, w, d, c, cd = CONFIGS[(sorted(SHAPES).index(shape) + len(metric)) % len(CONFIGS)]
    grid = dict(h=h, w=w, d=d, channel_num=c, cd_h=cd[0], cd_w=cd[1], cd_d=cd[2])
    f = cls(**size_kwargs, **grid)
    assert f == cls(**size_kwargs, **grid) and hash(f) == hash(cls(**size_kwargs, **grid))
    x = RNG.normal(size=(2, c * h * w * d)).astype(np.float32)
    out = jax.jit(f.apply)(None, x)
    expected = _tinybig_forward(x, make_patch(size_kwargs), metric, h, w, d, c, cd)
    assert out.shape == expected.shape == (2, f.calculate_D(x.shape[1]))
    np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_patch_based_class_with_a_named_metric_equals_the_fixed_class(shape):
    size_kwargs, _ = SHAPES[shape]
    generic = jaxbig.lookup(f"{shape}_patch_based_geometric_compression").cls
    fixed = jaxbig.lookup(f"{shape}_min_based_geometric_compression").cls
    x = RNG.normal(size=(2, 2 * 4 * 4 * 2)).astype(np.float32)
    grid = dict(h=4, w=4, d=2, channel_num=2, packing_strategy="densest_packing")
    np.testing.assert_array_equal(generic("batch_min", **size_kwargs, **grid).apply(None, x),
                                  fixed(**size_kwargs, **grid).apply(None, x))


def test_padding_reads_zero_as_in_tinybig():
    # All-negative input: max over every border patch sees the padded zeros; only the
    # center patch lies inside the grid.
    f = compression.CuboidMaxBasedGeometricCompression(p_h=1, p_w=1, p_d=0, h=3, w=3)
    out = f.apply(None, -np.ones((1, 9), np.float32))
    np.testing.assert_array_equal(out, [[0, 0, 0, 0, -1, 0, 0, 0, 0]])
    # mean divides by the full patch size: a corner 3x3 patch covers 4 cells of 1.
    g = compression.CuboidMeanBasedGeometricCompression(p_h=1, p_w=1, p_d=0, h=3, w=3)
    assert float(g.apply(None, np.ones((1, 9), np.float32))[0, 0]) == pytest.approx(4 / 9)


def test_output_is_channel_major_then_row_major_centers():
    f = compression.CuboidMaxBasedGeometricCompression(
        p_h=0, p_w=0, p_d=0, p_h_prime=1, p_w_prime=1, h=2, w=4, channel_num=2,
        cd_h=2, cd_w=2, cd_d=1)
    x = np.arange(16, dtype=np.float32)[None]  # channel 0: 0..7, channel 1: 8..15
    assert f.packed_shape == (1, 2, 1)
    np.testing.assert_array_equal(f.apply(None, x), [[5, 7, 13, 15]])


class GeometricVariantsTest(chex.TestCase):
    @chex.variants(with_jit=True, without_jit=True)
    def test_jit_and_eager_agree_with_the_pipeline(self):
        f = compression.SphereMeanBasedGeometricCompression(p_r=1, h=3, w=3, d=2, channel_num=2)
        x = RNG.normal(size=(3, 36)).astype(np.float32)
        out = self.variant(f.apply)(None, x)
        np.testing.assert_allclose(
            out, _tinybig_forward(x, Sphere(p_r=1), "mean", 3, 3, 2, 2, (1, 1, 1)), rtol=1e-6)


def test_gradients_of_mean_and_max_pooling():
    f = compression.CylinderMeanBasedGeometricCompression(p_r=1, p_d=0, h=3, w=3)
    g = compression.CylinderMaxBasedGeometricCompression(p_r=1, p_d=0, h=3, w=3)
    x = RNG.permutation(9).astype(np.float64)[None] + 1.0  # distinct, positive: no ties with 0
    with jax.enable_x64(True):
        check_grads(jax.jit(lambda v: f.apply(None, v)), (x,), order=1, modes=("fwd", "rev"))
        grad = jax.grad(lambda v: g.apply(None, v).sum())(x)
    # max pooling routes one unit of gradient per patch to the patch's argmax.
    pi = patch_indices((3, 3, 1), Cylinder(p_r=1))
    winners = np.take_along_axis(pi.index, np.argmax(np.where(pi.mask, x[0][np.minimum(
        pi.index, 8)], -np.inf), axis=1)[:, None], axis=1)[:, 0]
    np.testing.assert_array_equal(grad[0], np.bincount(winners, minlength=9))


def test_bfloat16_and_callable_metric():
    f = compression.GeometricCompression("max", Sphere(p_r=1), h=3, w=3)
    x = RNG.normal(size=(2, 9)).astype(np.float32)
    out = f.apply(None, x.astype(jnp.bfloat16))
    assert out.dtype == jnp.bfloat16
    np.testing.assert_allclose(np.asarray(out, np.float32),
                               f.apply(None, x.astype(jnp.bfloat16).astype(np.float32)))
    g = compression.GeometricCompression(lambda p: jnp.max(p, axis=1), Sphere(p_r=1), h=3, w=3)
    np.testing.assert_array_equal(g.apply(None, x), f.apply(None, x))
    h = compression.SpherePatchBasedGeometricCompression("l2_norm", p_r=1, h=3, w=3)
    pi = patch_indices((3, 3, 1), Sphere(p_r=1))
    padded = np.append(x, np.zeros((2, 1), np.float32), axis=1)[:, pi.index]
    np.testing.assert_allclose(h.apply(None, x), np.linalg.norm(padded, axis=2), rtol=1e-6)


def test_make_accepts_tinybig_keywords_and_packing_strategies():
    f = jaxbig.make("cuboid_max_based_geometric_compression", h=4, w=4, d=1, p_h=1, p_w=1,
                    p_d=0, packing_strategy="complete_square", name="pool", device="cpu")
    assert f.calculate_D(16) == 4  # strides (2, 2, 1)
    assert jaxbig.make("sphere_min_based_geometric_compression", h=2, w=2, d=2, p_r=1,
                       packing_strategy=None).calculate_D(8) == 8


def test_errors_name_the_function_and_values():
    f = compression.CuboidMaxBasedGeometricCompression(p_h=1, p_w=1, p_d=0, h=3, w=3)
    with pytest.raises(ValueError, match=r"CuboidMaxBasedGeometricCompression: x must have shape \(b, 9\), got shape \(2, 8\)"):
        f.apply(None, np.ones((2, 8)))
    with pytest.raises(ValueError, match=r"m=8 must equal channel_num·h·w·d = 1·3·3·1 = 9"):
        f.calculate_D(8)
    with pytest.raises(ValueError, match=r"CylinderMinBasedGeometricCompression: patch_indices: give all of cd_h, cd_w, cd_d"):
        compression.CylinderMinBasedGeometricCompression(p_r=1, p_d=0, h=3, w=3, cd_d=1)
    with pytest.raises(ValueError, match=r"SphereMaxBasedGeometricCompression: Sphere: packing_strategy='square'"):
        compression.SphereMaxBasedGeometricCompression(p_r=1, h=3, w=3, packing_strategy="square")
    with pytest.raises(ValueError, match=r"metric='std' \(unbiased, ddof=1\) needs patch size >= 2, got patch size=1"):
        compression.SpherePatchBasedGeometricCompression("std", p_r=0, h=3, w=3)
    with pytest.raises(ValueError, match=r"CuboidMeanBasedGeometricCompression: channel_num=0 must be >= 1"):
        compression.CuboidMeanBasedGeometricCompression(p_h=1, p_w=1, p_d=0, h=3, w=3, channel_num=0)
    with pytest.raises(ValueError, match=r"Cuboid: p_h=-1 must be >= 0"):
        compression.CuboidMeanBasedGeometricCompression(p_h=-1, p_w=1, p_d=0, h=3, w=3)
    with pytest.raises(ValueError, match=r"GeometricCompression: patch must be a jaxbig.ops"):
        compression.GeometricCompression("max", "cuboid", h=3, w=3)
