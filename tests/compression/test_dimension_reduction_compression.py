"""Incremental PCA and random projection: exact PCA in NumPy, sparse projection law, errors."""

import chex
import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxbig
from jaxbig.compression import IncrementalPCACompression, RandomProjectionCompression

RNG = np.random.default_rng(3)
# Rows in a 3-dimensional affine subspace of R^6: incremental PCA with D = 3 is exact.
BASIS = np.linalg.qr(RNG.normal(size=(6, 3)))[0].T
LOW_RANK = (RNG.normal(size=(24, 3)) * [3.0, 2.0, 1.0] @ BASIS + RNG.normal(size=6)).astype(np.float32)


def _numpy_pca(x, k):
    """Exact PCA: axes of the centered rows, largest |entry| of each axis positive."""
    mean = x.mean(0)
    _, s, vt = np.linalg.svd(x - mean, full_matrices=False)
    vt = vt[:k] * np.sign(vt[:k][np.arange(k), np.abs(vt[:k]).argmax(1)])[:, None]
    return mean, vt, s[:k]


def test_one_fit_is_exact_pca_of_the_batch():
    f = IncrementalPCACompression(2)
    x = LOW_RANK[:8]
    state = f.fit(x)
    mean, vt, s = _numpy_pca(x.astype(np.float64), 2)
    np.testing.assert_allclose(state.components, vt, atol=1e-5)
    np.testing.assert_allclose(state.singular_values, s, rtol=1e-5)
    np.testing.assert_allclose(state.var, x.var(0), rtol=1e-5)
    out = jax.jit(f.apply)(state, x)
    assert out.shape == (8, f.calculate_D(6))
    np.testing.assert_allclose(out, (x - mean) @ vt.T, atol=1e-5)


def test_incremental_fits_equal_pca_of_all_rows_seen():
    f = IncrementalPCACompression(3)
    state = None
    for batch in np.split(LOW_RANK, 3):
        state = f.fit(batch, params=state)
    mean, vt, s = _numpy_pca(LOW_RANK.astype(np.float64), 3)
    assert int(state.n_samples_seen) == 24
    np.testing.assert_allclose(state.mean, LOW_RANK.mean(0), atol=1e-5)
    np.testing.assert_allclose(state.var, LOW_RANK.var(0), rtol=1e-4)
    np.testing.assert_allclose(state.components, vt, atol=1e-4)
    np.testing.assert_allclose(state.singular_values, s, rtol=1e-4)
    np.testing.assert_allclose(f.apply(state, LOW_RANK), (LOW_RANK - mean) @ vt.T, atol=1e-4)


def test_init_is_an_orthonormal_projection_and_apply_differentiates_x_only():
    f = IncrementalPCACompression(3)
    state = f.init(jax.random.key(0), 6)
    np.testing.assert_allclose(state.components @ state.components.T, np.eye(3), atol=1e-5)
    assert int(state.n_samples_seen) == 0
    floats = (state.mean, state.components)
    loss = lambda mc, x: f.apply(state._replace(mean=mc[0], components=mc[1]), x).sum()
    g_state, g_x = jax.grad(loss, argnums=(0, 1))(floats, LOW_RANK[:2])
    np.testing.assert_allclose(g_x, np.tile(state.components.sum(0), (2, 1)), rtol=1e-5)
    assert not np.any(g_state[0]) and not np.any(g_state[1])  # fitted statistics are constants


def test_pca_errors():
    f = IncrementalPCACompression(3)
    with pytest.raises(ValueError, match=r"IncrementalPCACompression: x must have at least 3 rows .*got shape \(2, 6\)"):
        f.fit(LOW_RANK[:2])
    with pytest.raises(ValueError, match=r"IncrementalPCACompression: D=7 must be <= m=6"):
        IncrementalPCACompression(7).calculate_D(6)
    with pytest.raises(ValueError, match=r"params hold components of shape \(3, 6\) .* x of shape \(2, 5\)"):
        f.apply(f.init(jax.random.key(0), 6), np.ones((2, 5)))


def test_random_projection_law_and_product():
    f = RandomProjectionCompression(50)
    signs = f.init(jax.random.key(1), 400)
    assert signs.dtype == jnp.int8 and not jaxbig.base.is_trainable_leaf(signs)
    values, counts = np.unique(np.asarray(signs), return_counts=True)
    assert set(values.tolist()) <= {-1, 0, 1}
    density = 1 / np.sqrt(400)
    nonzero = np.count_nonzero(signs) / signs.size
    assert abs(nonzero - density) < 5 * np.sqrt(density / signs.size)
    assert abs(np.mean(np.asarray(signs)[np.asarray(signs) != 0] > 0) - 0.5) < 0.1
    x = RNG.normal(size=(64, 400)).astype(np.float32)
    out = jax.jit(f.apply)(signs, x)
    scale = np.sqrt(1 / (density * 50))
    np.testing.assert_allclose(out, x @ (np.asarray(signs, np.float64) * scale).T, rtol=1e-4, atol=1e-4)
    # Johnson-Lindenstrauss: squared norms are preserved in expectation.
    ratio = np.sum(np.square(out), 1) / np.sum(np.square(x), 1)
    assert abs(ratio.mean() - 1) < 0.1


class RandomProjectionVariantsTest(chex.TestCase):
    @chex.variants(with_jit=True, without_jit=True)
    def test_dense_density_is_a_scaled_rademacher_matrix(self):
        f = RandomProjectionCompression(4, density=1.0)
        signs = f.init(jax.random.key(2), 8)
        assert set(np.unique(np.asarray(signs)).tolist()) == {-1, 1}
        x = RNG.normal(size=(3, 8)).astype(np.float32)
        out = self.variant(f.apply)(signs, x)
        assert out.shape == (3, f.calculate_D(8))
        np.testing.assert_allclose(out, x @ np.asarray(signs, np.float32).T / 2, rtol=1e-5)
        assert f.apply(signs, x.astype(jnp.bfloat16)).dtype == jnp.bfloat16


def test_random_projection_errors_and_make():
    f = jaxbig.make("incremental_random_projection_based_compression", D=3)
    assert f == RandomProjectionCompression(3)
    with pytest.raises(ValueError, match=r"RandomProjectionCompression: density=0.0 must be > 0.0"):
        RandomProjectionCompression(3, density=0.0)
    with pytest.raises(ValueError, match=r"params must be the signs of shape \(3, 8\) for x of shape \(2, 8\), got shape \(3, 7\)"):
        f.apply(jnp.ones((3, 7), jnp.int8), np.ones((2, 8)))
    with pytest.raises(ValueError, match=r"RandomProjectionCompression: D=3 must be <= m=2"):
        f.init(jax.random.key(0), 2)
