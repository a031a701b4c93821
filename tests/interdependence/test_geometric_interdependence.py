"""Geometric (patch) interdependence against a loop-by-loop replay of tinyBIG's grid code."""

import math

import chex
import jax
import numpy as np
import pytest
from absl.testing import parameterized

import jaxbig
from jaxbig import interdependence as xi
from jaxbig.ops import Cuboid, Cylinder, Sphere

H, W, D, C = 4, 5, 2, 2
N = H * W * D
X = np.random.default_rng(8).standard_normal((3, C * N)).astype(np.float32)


def _cuboid_offsets(p_h, p_w, p_d):
    return [(i, j, k) for i in range(-p_h, p_h + 1) for j in range(-p_w, p_w + 1) for k in range(-p_d, p_d + 1)]


def _sphere_offsets(r):
    out = []
    for i in range(-r, r + 1):
        j_lim = int(math.sqrt(r * r - i * i))
        for j in range(-j_lim, j_lim + 1):
            k_lim = int(math.sqrt(r * r - i * i - j * j))
            out += [(i, j, k) for k in range(-k_lim, k_lim + 1) if i * i + j * j + k * k <= r * r]
    return out


def _centers(strides):
    return [(i, j, k) for i in range(0, H, strides[0]) for j in range(0, W, strides[1])
            for k in range(0, D, strides[2])]


def _cell(i, j, k):
    return k + j * D + i * D * W if 0 <= i < H and 0 <= j < W and 0 <= k < D else None


def _tinybig_forward(x, offsets, strides, mode):
    """tinyBIG's grid.to_*_matrix + geometric_interdependence.forward, replayed with loops."""
    b = x.shape[0]
    rows = x.reshape(b * C, N)
    centers = _centers(strides)
    if mode == "padding":
        cols = []
        for ci, cj, ck in centers:
            for di, dj, dk in offsets:
                cell = _cell(ci + di, cj + dj, ck + dk)
                cols.append(rows[:, cell] if cell is not None else np.zeros(b * C))
        out = np.stack(cols, 1).reshape(b, C, len(centers), len(offsets)).transpose(0, 2, 1, 3)
    else:
        out = np.zeros((b * C, N))
        for ci, cj, ck in centers:
            for di, dj, dk in offsets:
                cell = _cell(ci + di, cj + dj, ck + dk)
                if cell is not None:
                    out[:, _cell(ci, cj, ck)] += rows[:, cell]
        out = out.reshape(b, C, N).transpose(0, 2, 1)
    return out.reshape(b, -1)


CASES = {
    "cuboid_padding": (xi.CuboidPatchPaddingBasedGeometricInterdependence, {"p_h": 1, "p_w": 1, "p_d": 1},
                       _cuboid_offsets(1, 1, 1), (1, 1, 1), "padding"),
    "cuboid_strided": (xi.CuboidPatchBasedGeometricInterdependence,
                       {"p_h": 1, "p_w": 2, "packing_strategy": "complete_square"},
                       _cuboid_offsets(1, 2, 0), (2, 4, 1), "padding"),
    "cuboid_aggregation": (xi.CuboidPatchAggregationBasedGeometricInterdependence, {"p_h": 1, "p_w": 1},
                           _cuboid_offsets(1, 1, 0), (1, 1, 1), "aggregation"),
    "sphere_padding": (xi.SpherePatchPaddingBasedGeometricInterdependence, {"r": 1},
                       _sphere_offsets(1), (1, 1, 1), "padding"),
    "sphere_aggregation_strided": (xi.SpherePatchAggregationBasedGeometricInterdependence,
                                   {"r": 2, "cd_h": 2, "cd_w": 2, "cd_d": 1}, _sphere_offsets(2), (2, 2, 1),
                                   "aggregation"),
    "cylinder_padding": (xi.CylinderPatchPaddingBasedGeometricInterdependence, {"r": 1, "p_d": 1},
                         [(i, j, k) for i, j, _ in _sphere_offsets(1) if _ == 0 for k in (-1, 0, 1)],
                         (1, 1, 1), "padding"),
}


def _make(name, **extra):
    cls, kwargs = CASES[name][:2]
    return cls(h=H, w=W, d=D, channel_num=C, **kwargs, **extra)


@pytest.mark.parametrize("name", list(CASES))
def test_apply_replays_tinybig_and_equals_the_matrix_product(name):
    f = _make(name)
    _, _, offsets, strides, mode = CASES[name]
    out = jax.jit(f.apply)(None, X)
    expected = _tinybig_forward(X.astype(np.float64), sorted(offsets), strides, mode)
    assert out.shape == expected.shape == (3, f.calculate_m_prime())
    np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-6)
    a = np.asarray(jax.jit(f.calculate_A)(), np.float64)
    assert a.shape == (f.m, f.calculate_m_prime())
    np.testing.assert_allclose(X @ a, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("mode", ["row", "column", "row_column"])
def test_normalized_apply_equals_the_normalized_matrix(mode):
    for name in ("cuboid_padding", "sphere_aggregation_strided"):
        f = _make(name, normalization=True, normalization_mode=mode)
        a = np.asarray(f.calculate_A(), np.float64)
        np.testing.assert_allclose(jax.jit(f.apply)(None, X), X @ a, rtol=1e-5, atol=1e-6)
    row = _make("cuboid_padding", normalization=True, normalization_mode="row").channel_matrix()
    np.testing.assert_allclose(row.sum(1), 1.0)


def test_instance_functions_read_the_grid_from_rows():
    f = xi.CuboidPatchBasedGeometricInterdependence(h=H, w=W, d=D, channel_num=C, p_h=1, p_w=1,
                                                    interdependence_type="instance")
    x = X.T.copy()  # (C·N, 3): the grid runs down the rows
    assert f.b == C * N and f.calculate_b_prime() == f.get_patch_num() * f.get_patch_size() * C
    attribute = xi.CuboidPatchBasedGeometricInterdependence(h=H, w=W, d=D, channel_num=C, p_h=1, p_w=1)
    out = jax.jit(f.apply)(None, x)
    np.testing.assert_allclose(out, jax.jit(attribute.apply)(None, X).T, rtol=1e-6)
    np.testing.assert_allclose(out, np.asarray(f.calculate_A(), np.float64).T @ x, rtol=1e-5, atol=1e-6)


def test_channel_matrix_is_tinybig_calculate_a():
    f = _make("cuboid_strided")
    pi = f.patch_index()
    assert f.channel_matrix().shape == (N, pi.num_patches * pi.patch_size)
    # Column p·V + e holds a single 1 at the cell that position e of patch p covers (if any).
    a = f.channel_matrix()
    for p in range(pi.num_patches):
        for e in range(pi.patch_size):
            col = a[:, p * pi.patch_size + e]
            if pi.mask[p, e]:
                assert col.sum() == 1.0 and col[pi.index[p, e]] == 1.0
            else:
                assert not col.any()


def test_generic_class_takes_a_patch_object_and_make_accepts_tinybig_keywords():
    f = xi.GeometricInterdependence(h=H, w=W, d=D, channel_num=C, patch=Sphere(p_r=1))
    np.testing.assert_allclose(f.apply(None, X), _make("sphere_padding").apply(None, X))
    g = jaxbig.make("sphere_patch_based_geometric_interdependence", h=H, w=W, d=D, channel_num=C, p_r=1,
                    b=0, m=0)
    assert g.r == 1 and g.m == C * N
    assert hash(f) == hash(xi.GeometricInterdependence(h=H, w=W, d=D, channel_num=C, patch=Sphere(p_r=1)))


def test_generic_class_takes_tinybig_patch_configs():
    # The keywords of tinyBIG's structural interdependence tutorial config.
    f = jaxbig.make("tinybig.interdependence.geometric_interdependence", interdependence_type="attribute",
                    h=4, w=4, channel_num=3, packing_strategy="densest_packing",
                    patch_configs={"patch_class": "tinybig.koala.geometry.cylinder",
                                   "patch_parameters": {"p_r": 1, "p_d": 0, "name": "c"}},
                    interdependence_matrix_mode="padding", require_parameters=False, require_data=False)
    assert f == jaxbig.make("geometric_interdependence", h=4, w=4, channel_num=3, patch=Cylinder(p_r=1, p_d=0))
    hash(f)
    with pytest.raises(ValueError, match="unknown patch_class 'tinybig.koala.geometry.cone'"):
        jaxbig.make("geometric_interdependence", h=4, w=4,
                    patch_configs={"patch_class": "tinybig.koala.geometry.cone", "patch_parameters": {}})


def test_cylinder_depth_follows_the_documented_range():
    f = xi.CylinderPatchBasedGeometricInterdependence(h=H, w=W, d=D, r=1, p_d=0, p_d_prime=1)
    # Δk ∈ [-p_d, p_d'] = [0, 1]: two disc layers of 5 cells (tinyBIG's code would give [-1, 1]).
    assert f.get_patch_size() == 10


class GeometricJitTest(chex.TestCase):
    @chex.variants(with_jit=True, without_jit=True)
    @parameterized.parameters(("cuboid_padding",), ("sphere_aggregation_strided",))
    def test_jit_and_eager_agree(self, name):
        f = _make(name)
        np.testing.assert_allclose(self.variant(f.apply)(None, X), X @ np.asarray(f.calculate_A(), np.float64), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("make,match", [
    (lambda: xi.CuboidPatchBasedGeometricInterdependence(2, 7, h=H, w=W, p_h=1, p_w=1),
     r"CuboidPatchBasedGeometricInterdependence: m=7 must equal channel_num·h·w·d = 1·4·5·1 = 20"),
    (lambda: xi.CuboidPatchPaddingBasedGeometricInterdependence(h=H, w=W, p_h=1, p_w=1,
                                                                interdependence_matrix_mode="aggregation"),
     "interdependence_matrix_mode='aggregation' must be 'padding' for this function"),
    (lambda: xi.CuboidPatchBasedGeometricInterdependence(h=H, w=W, p_h=1, p_w=1, interdependence_matrix_mode="sum"),
     "interdependence_matrix_mode='sum' is not one of"),
    (lambda: xi.CuboidPatchBasedGeometricInterdependence(h=H, w=W, p_h=-1, p_w=1), "Cuboid: p_h=-1 must be >= 0"),
    (lambda: xi.SpherePatchBasedGeometricInterdependence(h=H, w=W, r=1, packing_strategy="dense_square"),
     "SpherePatchBasedGeometricInterdependence: .*packing_strategy='dense_square' is not one of"),
    (lambda: xi.CuboidPatchBasedGeometricInterdependence(h=H, w=W, p_h=1, p_w=1, cd_h=2),
     "give all of cd_h, cd_w, cd_d or none of them"),
    (lambda: xi.CuboidPatchBasedGeometricInterdependence(h=H, w=W, p_h=1, p_w=1, patch=Cuboid(p_h=1, p_w=1)),
     "the patch shape is given by its own fields"),
    (lambda: xi.GeometricInterdependence(h=H, w=W, patch="square"), "patch must be a jaxbig.ops Cuboid, Cylinder or Sphere"),
    (lambda: xi.GeometricInterdependence(h=0, w=W, patch=Sphere(p_r=1)), "GeometricInterdependence: h=0 must be >= 1"),
])
def test_bad_hyperparameters_raise_naming_the_function(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_bad_data_raise_naming_the_function():
    with pytest.raises(ValueError, match=r"SpherePatchPaddingBasedGeometricInterdependence: x must have shape \(b, 80\)"):
        _make("sphere_padding").apply(None, X[:, :40])
