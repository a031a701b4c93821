"""Manifold compression against NumPy/SciPy transcriptions of scikit-learn's algorithms."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.sparse.csgraph
import scipy.spatial.distance

import jaxbig
from jaxbig.compression import (
    IsomapManifoldCompression,
    LLEManifoldCompression,
    MDSManifoldCompression,
    SpectralEmbeddingManifoldCompression,
    TSNEManifoldCompression,
)

RNG = np.random.default_rng(5)
# A noisy arc in R^3 (one connected neighbor graph) and two far-apart blobs.
T = np.sort(RNG.uniform(0, 3, 14))
ARC = np.stack([np.cos(T), np.sin(T), 0.3 * T], 1) + 0.01 * RNG.normal(size=(14, 3))
ARC = ARC.astype(np.float32)
BLOBS = np.concatenate([RNG.normal(size=(7, 3)), RNG.normal(size=(7, 3)) + 20]).astype(np.float32)


def _flip(v):
    """Largest |entry| of every column positive (the sign convention under test)."""
    return v * np.sign(v[np.abs(v).argmax(0), np.arange(v.shape[1])])


def _knn(d, k):
    masked = d + np.diag(np.full(len(d), np.inf))
    return np.argsort(masked, axis=1, kind="stable")[:, :k]


def _classical(sq, k):
    n = len(sq)
    h = np.eye(n) - 1 / n
    vals, vecs = np.linalg.eigh(-0.5 * h @ sq @ h)
    vals, vecs = vals[::-1][:k], vecs[:, ::-1][:, :k]
    return _flip(vecs) * np.sqrt(np.maximum(vals, 0))


def _numpy_isomap(x, k, D):
    """scikit-learn's Isomap: k-NN graph, _fix_connected_components, Dijkstra, kernel PCA."""
    d = scipy.spatial.distance.squareform(scipy.spatial.distance.pdist(x))
    graph = np.zeros_like(d)
    for i, nbrs in enumerate(_knn(d, k)):
        graph[i, nbrs] = d[i, nbrs]
    n_comp, labels = scipy.sparse.csgraph.connected_components(graph, directed=True, connection="weak")
    for i in range(n_comp):
        for j in range(i):
            idx_i, idx_j = np.flatnonzero(labels == i), np.flatnonzero(labels == j)
            sub = d[np.ix_(idx_i, idx_j)]
            ii, jj = np.unravel_index(sub.argmin(), sub.shape)
            graph[idx_i[ii], idx_j[jj]] = graph[idx_j[jj], idx_i[ii]] = sub[ii, jj]
    geodesic = scipy.sparse.csgraph.shortest_path(graph, directed=False)
    return _classical(geodesic**2, D)


@pytest.mark.parametrize("data, k", [(ARC, 3), (BLOBS, 1)], ids=["connected", "bridged"])
def test_isomap_matches_scikit_learn_algorithm(data, k):
    f = IsomapManifoldCompression(2, n_neighbors=k)
    out = jax.jit(f.apply)(None, data)
    assert out.shape == (14, f.calculate_D(3))
    expected = _numpy_isomap(data.astype(np.float64), k, 2)
    np.testing.assert_allclose(out, expected, rtol=1e-3, atol=1e-3 * np.abs(expected).max())


def test_lle_matches_barycenter_weights_and_null_space():
    k, D, x = 4, 2, ARC.astype(np.float64)
    n = len(x)
    d = scipy.spatial.distance.squareform(scipy.spatial.distance.pdist(x))
    W = np.zeros((n, n))
    for i, nbrs in enumerate(_knn(d, k)):
        z = x[nbrs] - x[i]
        c = z @ z.T
        c += 1e-3 * np.trace(c) * np.eye(k)
        w = np.linalg.solve(c, np.ones(k))
        W[i, nbrs] = w / w.sum()
    m = (np.eye(n) - W).T @ (np.eye(n) - W)
    expected = _flip(np.linalg.eigh(m)[1][:, 1:D + 1])
    out = jax.jit(LLEManifoldCompression(D, n_neighbors=k).apply)(None, ARC)
    np.testing.assert_allclose(out, expected, atol=2e-3)


def test_spectral_embedding_matches_normalised_laplacian_eigenmaps():
    k, D, x = 4, 2, ARC.astype(np.float64)
    n = len(x)
    d = scipy.spatial.distance.squareform(scipy.spatial.distance.pdist(x))
    c = np.eye(n)
    for i, nbrs in enumerate(_knn(d, k - 1)):  # k neighbors including the row itself
        c[i, nbrs] = 1
    lap, dd = scipy.sparse.csgraph.laplacian((c + c.T) / 2, normed=True, return_diag=True)
    vecs = np.linalg.eigh(lap)[1][:, :D + 1] / dd[:, None]
    expected = _flip(vecs)[:, 1:]
    f = SpectralEmbeddingManifoldCompression(D, n_neighbors=k)
    np.testing.assert_allclose(jax.jit(f.apply)(None, ARC), expected, atol=2e-3)
    # scikit-learn's default neighbor count max(b // 10, 1) = 1: only self-loops, which
    # the Laplacian ignores; the call still returns the shape.
    assert SpectralEmbeddingManifoldCompression(D).apply(None, ARC).shape == (n, D)


def _stress(y, x):
    return np.sum((scipy.spatial.distance.pdist(y) - scipy.spatial.distance.pdist(x)) ** 2) / 2


def test_mds_is_exact_on_a_plane_and_improves_on_classical_scaling():
    plane = (RNG.normal(size=(9, 2)) @ RNG.normal(size=(2, 4))).astype(np.float32)
    mds = jax.jit(MDSManifoldCompression(2).apply)
    assert _stress(np.asarray(mds(None, plane), np.float64), plane) < 1e-6 * _stress(0 * plane, plane)
    x = RNG.normal(size=(9, 4)).astype(np.float32)
    classical = _classical(scipy.spatial.distance.squareform(scipy.spatial.distance.pdist(x)) ** 2, 2)
    assert _stress(np.asarray(mds(None, x), np.float64), x) < _stress(classical, x)


def test_tsne_perplexity_calibration_and_cluster_separation():
    from jaxbig.compression.manifold import _conditional_probabilities

    sq = scipy.spatial.distance.squareform(scipy.spatial.distance.pdist(ARC)) ** 2
    p = np.asarray(_conditional_probabilities(jnp.asarray(sq, jnp.float32), 4.0), np.float64)
    np.testing.assert_allclose(p.sum(1), 1, rtol=1e-5)
    entropy = -np.sum(np.where(p > 0, p * np.log(np.where(p > 0, p, 1)), 0), axis=1)
    np.testing.assert_allclose(np.exp(entropy), 4.0, rtol=1e-3)
    f = TSNEManifoldCompression(2, perplexity=3.0, max_iter=400)
    y = np.asarray(jax.jit(f.apply)(None, BLOBS))
    assert y.shape == (14, f.calculate_D(3)) and np.all(np.isfinite(y))
    d = scipy.spatial.distance.squareform(scipy.spatial.distance.pdist(y))
    within = max(d[:7, :7].max(), d[7:, 7:].max())
    assert d[:7, 7:].min() > within  # the blobs stay apart


def test_errors_and_make():
    with pytest.raises(ValueError, match=r"IsomapManifoldCompression: x must have at least 6 rows"):
        IsomapManifoldCompression(2, n_neighbors=5).apply(None, ARC[:5])
    with pytest.raises(ValueError, match=r"TSNEManifoldCompression: x must have at least 6 rows \(perplexity=5.0 must be < b\)"):
        jaxbig.make("tsne_manifold_compression", D=2, perplexity=5.0).apply(None, ARC[:5])
    with pytest.raises(ValueError, match=r"MDSManifoldCompression: D=4 must be <= m=3"):
        MDSManifoldCompression(4).apply(None, ARC)
    with pytest.raises(ValueError, match=r"TSNEManifoldCompression: max_iter=100 must be >= 250"):
        TSNEManifoldCompression(2, max_iter=100)
    assert jaxbig.make("lle_manifold_compression", D=2, n_neighbors=3) == LLEManifoldCompression(2, 3)


def test_gradients_flow_through_mds_and_are_refused_by_tsne():
    x = ARC[:8]
    mds = MDSManifoldCompression(2, max_iter=50)
    grad = jax.jit(jax.grad(lambda v: jnp.sum(mds.apply(None, v) ** 2)))(x)
    assert np.all(np.isfinite(grad)) and np.any(grad != 0)
    tsne = TSNEManifoldCompression(2, perplexity=3.0, max_iter=250)
    with pytest.raises(ValueError, match=r"TSNEManifoldCompression: the embedding is the end point"):
        jax.eval_shape(jax.grad(lambda v: jnp.sum(tsne.apply(None, v))), x)  # raised while tracing
