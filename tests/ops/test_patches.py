"""ops.patches: patch index arrays against a literal transcription of tinyBIG's geometry."""

import itertools
import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jaxbig.ops import (
    Cuboid,
    Cylinder,
    Sphere,
    aggregation_matrix,
    gather_patches,
    packed_grid_shape,
    padding_matrix,
    patch_indices,
)

# --- tinyBIG's koala.geometry, transcribed loop for loop (dict insertion order is the
# --- element order; coordinates are tuples). Only the documented cylinder depth range
# --- [-p_d, p_d'] differs from its code, see test_cylinder_depth_follows_the_documentation.


def _tb_cuboid(p_h, p_w, p_d, p_h_prime, p_w_prime, p_d_prime):
    coords = {}
    for i in range(-p_h, p_h_prime + 1):
        for j in range(-p_w, p_w_prime + 1):
            for k in range(-p_d, p_d_prime + 1):
                coords[(i, j, k)] = 1
    return list(coords)


def _tb_cylinder(p_r, k_range):
    coords = {}
    for i in range(-p_r, p_r + 1):
        j_lim = int(math.sqrt(p_r**2 - i**2))
        for j in range(-j_lim, j_lim + 1):
            if i**2 + j**2 <= p_r**2:
                for k in k_range:
                    coords[(i, j, k)] = 1
    return list(coords)


def _tb_sphere(p_r):
    coords = {}
    for i in range(-p_r, p_r + 1):
        j_lim = int(math.sqrt(p_r**2 - i**2))
        for j in range(-j_lim, j_lim + 1):
            if i**2 + j**2 <= p_r**2:
                k_lim = int(math.sqrt(p_r**2 - i**2 - j**2))
                for k in range(-k_lim, k_lim + 1):
                    if i**2 + j**2 + k**2 <= p_r**2:
                        coords[(i, j, k)] = 1
    return list(coords)


def _tb_offsets(patch):
    if isinstance(patch, Cuboid):
        return _tb_cuboid(patch.p_h, patch.p_w, patch.p_d,
                          patch.p_h_prime, patch.p_w_prime, patch.p_d_prime)
    if isinstance(patch, Cylinder):
        return _tb_cylinder(patch.p_r, range(-patch.p_d, patch.p_d_prime + 1))
    return _tb_sphere(patch.p_r)


def _tb_packing(grid, patch, cd):
    """grid.packing: {center: [cells in patch order]} with centers in loop order."""
    h, w, d = grid
    offsets = _tb_offsets(patch)
    packed = {}
    for i in range(0, h, cd[0]):
        for j in range(0, w, cd[1]):
            for k in range(0, d, cd[2]):
                packed[(i, j, k)] = [(i + a, j + b, k + c) for a, b, c in offsets]
    return packed


def _tb_attribute_index(grid, coord):
    h, w, d = grid
    if not all(0 <= c < n for c, n in zip(coord, grid)):
        return None
    return coord[2] + coord[1] * d + coord[0] * d * w


def _tb_padding_matrix(grid, packed):
    n = int(np.prod(grid))
    columns = sum(len(cells) for cells in packed.values())
    mx = np.zeros((n, columns), np.float32)
    col = 0
    for cells in packed.values():
        for coord in cells:
            row = _tb_attribute_index(grid, coord)
            if row is not None:
                mx[row, col] = 1.0
            col += 1
    return mx


def _tb_aggregation_matrix(grid, packed):
    n = int(np.prod(grid))
    mx = np.zeros((n, n), np.float32)
    for center, cells in packed.items():
        for coord in cells:
            row = _tb_attribute_index(grid, coord)
            if row is not None:
                mx[row, _tb_attribute_index(grid, center)] = 1.0
    return mx


def _tb_strides(patch, strategy):
    """The packing_strategy_parameters if-chains of cuboid, cylinder and sphere."""
    s2, s3, s6 = math.sqrt(2), math.sqrt(3), math.sqrt(6)
    if strategy == "densest_packing":
        cd = (1, 1, 1)
    elif isinstance(patch, Cuboid):
        f = {"sparse_square": 3, "complete_square": 2, "dense_square": 1}[strategy]
        cd = (f * patch.p_h, f * patch.p_w, f * patch.p_d)
    elif isinstance(patch, Cylinder):
        r, d = patch.p_r, patch.p_d
        cd = {"sparse_square": (2 * r, 2 * r, 2 * d),
              "complete_square": (s2 * r, s2 * r, 2 * d),
              "sparse_hexagonal": (s3 * r, 2 * r, 2 * d),
              "complete_hexagonal": (1.5 * r, s3 * r, 2 * d),
              "dense_hexagonal": (0.5 * s6 * r, s2 * r, d),
              "denser_hexagonal": (0.5 * s3 * r, r, d)}[strategy]
    else:
        r = patch.p_r
        c = 0.6667 * s3 * r
        cd = {"sparse_simple_cubic": (2 * r, 2 * r, 2 * r),
              "complete_simple_cubic": (c, c, c),
              "dense_simple_cubic": (r, r, r),
              "sparse_face_centered_cubic": (2 * r, s3 * r, 0.6667 * s6 * r),
              "complete_face_centered_cubic": (s2 * r, 0.6667 * s6 * r, 1.3333 * r),
              "dense_face_centered_cubic": (r, r, r),
              "sparse_hexagonal": (2 * r, 2 * r, s6 * r),
              "complete_hexagonal": (c, c, r),
              "dense_hexagonal": (r, r, r)}[strategy]
    return tuple(max(int(v), 1) for v in cd)


PATCHES = [
    Cuboid(p_h=1, p_w=1),
    Cuboid(p_h=2, p_w=0, p_d=1, p_h_prime=0, p_w_prime=1, p_d_prime=0),
    Cuboid(p_h=0, p_w=0),
    Cylinder(p_r=1),
    Cylinder(p_r=2, p_d=1, p_d_prime=0),
    Sphere(p_r=1),
    Sphere(p_r=2),
]
GRIDS = [(4, 5, 1), (3, 3, 3), (5, 2, 4)]


@pytest.mark.parametrize("grid", GRIDS)
@pytest.mark.parametrize("patch", PATCHES, ids=repr)
def test_index_matches_tinybig_packing_for_every_strategy(grid, patch):
    for strategy in patch.packing_strategies:
        cd = _tb_strides(patch, strategy)
        assert patch.packing_strategy_parameters(strategy) == cd, strategy
        packed = _tb_packing(grid, patch, cd)
        pi = patch_indices(grid, patch, packing_strategy=strategy)
        expected = np.array([[_tb_attribute_index(grid, c) if _tb_attribute_index(grid, c)
                              is not None else np.prod(grid) for c in cells]
                             for cells in packed.values()])
        np.testing.assert_array_equal(pi.index, expected)
        np.testing.assert_array_equal(pi.mask, expected < np.prod(grid))
        np.testing.assert_array_equal(
            pi.centers, [_tb_attribute_index(grid, c) for c in packed])
        assert pi.num_patches == len(packed) == int(np.prod(pi.packed_shape))
        assert pi.patch_size == patch.size == len(_tb_offsets(patch))


@pytest.mark.parametrize("patch", PATCHES, ids=repr)
def test_dense_matrices_equal_tinybig_padding_and_aggregation(patch):
    grid, cd = (4, 3, 2), (2, 1, 2)
    packed = _tb_packing(grid, patch, cd)
    pi = patch_indices(grid, patch, cd_h=cd[0], cd_w=cd[1], cd_d=cd[2])
    np.testing.assert_array_equal(padding_matrix(pi), _tb_padding_matrix(grid, packed))
    np.testing.assert_array_equal(aggregation_matrix(pi), _tb_aggregation_matrix(grid, packed))


@pytest.mark.parametrize("patch", [Cuboid(p_h=1, p_w=2), Sphere(p_r=1)], ids=repr)
def test_gather_equals_padding_matrix_product(patch):
    grid = (3, 4, 2)
    pi = patch_indices(grid, patch)
    x = jax.random.normal(jax.random.key(0), (2, 3, 24))
    got = jax.jit(lambda v: gather_patches(v, pi))(x)
    dense = (np.asarray(x) @ padding_matrix(pi)).reshape(2, 3, pi.num_patches, pi.patch_size)
    np.testing.assert_allclose(got, dense, rtol=1e-6)
    assert got.dtype == x.dtype


@pytest.mark.parametrize("patch", [PATCHES[1], PATCHES[6]], ids=repr)
def test_gather_equals_take_and_differentiates_like_the_dense_matrix(patch):
    grid, cd = (5, 4, 3), (2, 3, 2)
    pi = patch_indices(grid, patch, cd_h=cd[0], cd_w=cd[1], cd_d=cd[2])
    x = np.asarray(jax.random.normal(jax.random.key(1), (2, 60)))
    t = np.asarray(jax.random.normal(jax.random.key(2), (2, pi.num_patches, pi.patch_size)))

    @jax.jit
    def all_modes(v, t):
        take = jnp.take(v, pi.index, axis=-1, mode="fill", fill_value=-7.0)
        out, vjp = jax.vjp(lambda u: gather_patches(u, pi), v)
        _, tangent = jax.jvp(lambda u: gather_patches(u, pi), (v,), (v,))
        return take, gather_patches(v, pi, fill_value=-7.0), vjp(t)[0], tangent

    take, gathered, cotangent, tangent = all_modes(x, t)
    np.testing.assert_array_equal(gathered, take)
    A = padding_matrix(pi)
    np.testing.assert_allclose(cotangent, t.reshape(2, -1) @ A.T, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(tangent.reshape(2, -1), x @ A, rtol=1e-5, atol=1e-6)


def test_gather_is_differentiable_and_keeps_bfloat16():
    pi = patch_indices((3, 3, 1), Cuboid(p_h=1, p_w=1))
    x = jnp.arange(9.0)
    grad = jax.grad(lambda v: gather_patches(v, pi).sum())(x)
    # Each cell is read once per patch that covers it: the padding matrix's row sums.
    np.testing.assert_array_equal(grad, padding_matrix(pi).sum(axis=1))
    assert gather_patches(x.astype(jnp.bfloat16), pi).dtype == jnp.bfloat16


def test_cylinder_depth_follows_the_documentation():
    # tinyBIG documents Δk ∈ [-p_d, p_d'] (depth p_d + p_d' + 1); its code loops over
    # [-p_d', p_d']. With p_d != p_d' the two differ and the documented range is used.
    patch = Cylinder(p_r=1, p_d=2, p_d_prime=0)
    ks = sorted({k for _, _, k in patch.offsets().tolist()})
    assert ks == [-2, -1, 0]
    code = _tb_cylinder(1, range(-patch.p_d_prime, patch.p_d_prime + 1))
    assert len(code) == 5 and patch.size == 15


def test_explicit_strides_override_the_strategy_and_count_patches():
    pi = patch_indices((5, 4, 3), Sphere(p_r=1), packing_strategy="sparse_simple_cubic",
                       cd_h=2, cd_w=3, cd_d=1)
    assert pi.packed_shape == packed_grid_shape((5, 4, 3), (2, 3, 1)) == (3, 2, 3)
    assert pi.num_patches == len(range(0, 5, 2)) * len(range(0, 4, 3)) * len(range(0, 3, 1))


def test_results_are_read_only_and_memoised():
    a = patch_indices((3, 3, 1), Cuboid(p_h=1, p_w=1))
    assert a is patch_indices((3, 3, 1), Cuboid(p_h=1, p_w=1, p_h_prime=1))
    with pytest.raises(ValueError):
        a.index[0, 0] = 1


@pytest.mark.parametrize("kwargs, message", [
    (dict(cd_h=1), r"give all of cd_h, cd_w, cd_d or none of them, got cd_h=1, cd_w=None"),
    (dict(packing_strategy="hexagonal"), r"Cuboid: packing_strategy='hexagonal' is not one of"),
    (dict(cd_h=0, cd_w=1, cd_d=1), r"patch_indices: cd_h=0 must be >= 1"),
])
def test_bad_packing_arguments_raise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        patch_indices((3, 3, 1), Cuboid(p_h=1, p_w=1), **kwargs)


def test_bad_shapes_raise():
    with pytest.raises(ValueError, match=r"patch_indices: w=0 must be >= 1"):
        patch_indices((3, 0, 1), Sphere(p_r=1))
    with pytest.raises(ValueError, match=r"Cuboid: p_w_prime=-1 must be >= 0"):
        Cuboid(p_h=1, p_w=1, p_w_prime=-1)
    with pytest.raises(ValueError, match=r"patch must be a Cuboid, Cylinder or Sphere"):
        patch_indices((3, 3, 1), "cuboid")
    pi = patch_indices((3, 3, 1), Sphere(p_r=1))
    with pytest.raises(ValueError, match=r"gather_patches: x must have shape \(\.\.\., 9\) "
                                         r"for the grid \(3, 3, 1\), got shape \(2, 8\)"):
        gather_patches(jnp.ones((2, 8)), pi)


def test_every_cell_of_a_tiling_is_read_exactly_once():
    # complete_square packing of a cuboid tiles the grid: a partition of the cells.
    patch = Cuboid(p_h=0, p_w=0, p_h_prime=1, p_w_prime=2)
    pi = patch_indices((4, 6, 1), patch, cd_h=2, cd_w=3, cd_d=1)
    cells = pi.index[pi.mask]
    assert sorted(cells.tolist()) == list(range(24))
    assert list(itertools.chain(*pi.index.tolist()))[:6] == [0, 1, 2, 6, 7, 8]


def test_make_patch_builds_patches_from_tinybig_configs():
    from jaxbig.ops import make_patch

    config = {"patch_class": "tinybig.koala.geometry.cylinder",
              "patch_parameters": {"p_r": 2, "p_d": 1, "name": "c", "center": None}}
    assert make_patch("Demo", config) == Cylinder(p_r=2, p_d=1)
    assert make_patch("Demo", Sphere(p_r=1)) == Sphere(p_r=1)
    with pytest.raises(ValueError, match=r"Demo: unknown patch_class 'tinybig.koala.geometry.cone'"):
        make_patch("Demo", {"patch_class": "tinybig.koala.geometry.cone"})
    with pytest.raises(ValueError, match=r"Demo: patch_parameters \{'p_x': 1\}"):
        make_patch("Demo", {"patch_class": "sphere", "patch_parameters": {"p_x": 1}})
    with pytest.raises(ValueError, match=r"Demo: patch must be a jaxbig.ops Cuboid"):
        make_patch("Demo", 3)
