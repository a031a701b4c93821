"""Dense graph and clustering kernels shared by feature clustering and manifold compression.

All functions are pure JAX with static shapes (jit-able); they follow the
scikit-learn routines tinyBIG calls (sign conventions included) where those are
deterministic.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp


def squared_distances(points: jax.Array) -> jax.Array:
    """Pairwise squared Euclidean distances of the rows: ``(n, k)`` → ``(n, n)``.

    Computed from the differences (not ``‖a‖² + ‖b‖² - 2a·b``, which loses all digits
    of small distances between long vectors), a block of rows at a time so memory
    stays ``O(64·n·k)``.
    """
    n = points.shape[0]

    def row(p: jax.Array) -> jax.Array:
        return jnp.sum(jnp.square(points - p), axis=1)

    return jax.lax.map(row, points, batch_size=min(n, 64))


def distances(points: jax.Array) -> jax.Array:
    """Pairwise Euclidean distances of the rows, with a zero (not NaN) gradient on the diagonal."""
    d2 = squared_distances(points)
    positive = d2 > 0
    return jnp.where(positive, jnp.sqrt(jnp.where(positive, d2, 1)), 0)


def nearest_neighbors(d: jax.Array, k: int) -> jax.Array:
    """Indices ``(n, k)`` of each row's ``k`` nearest other rows (self excluded) by ``d``."""
    n = d.shape[0]
    masked = jnp.where(jnp.eye(n, dtype=bool), jnp.inf, d)
    return jax.lax.top_k(-masked, k)[1]


def sign_flip_columns(vectors: jax.Array) -> jax.Array:
    """Makes the largest-magnitude entry of every column positive (scikit-learn's
    ``_deterministic_vector_sign_flip`` and ``svd_flip(u, v)`` on the columns of ``u``)."""
    pivot = jnp.take_along_axis(vectors, jnp.argmax(jnp.abs(vectors), axis=0)[None, :], axis=0)
    return vectors * jnp.where(pivot < 0, -1, 1).astype(vectors.dtype)


def sign_flip_rows(vectors: jax.Array) -> jax.Array:
    """Makes the largest-magnitude entry of every row positive (scikit-learn's
    ``svd_flip(u, vt, u_based_decision=False)`` on the rows of ``vt``)."""
    return sign_flip_columns(vectors.T).T


def principal_components(points: jax.Array, k: int) -> jax.Array:
    """The centered rows projected on their ``k`` leading principal axes, ``(n, k)``
    (scikit-learn's ``PCA(k).fit_transform``, axes sign-flipped on ``vt``'s rows)."""
    centered = points - jnp.mean(points, axis=0)
    _, _, vt = jnp.linalg.svd(centered, full_matrices=False)
    return centered @ sign_flip_rows(vt[:k]).T


def classical_scaling(squared: jax.Array, k: int) -> jax.Array:
    """Classical (Torgerson) multidimensional scaling / kernel PCA of ``-½ d²``: ``(n, k)``.

    The double-centered kernel ``K = -½ H d² H`` (``H = I - 11ᵀ/n``) is
    eigendecomposed; the embedding is ``V_k √λ_k`` for the ``k`` largest
    eigenvalues (negative ones clipped to 0, as scikit-learn's ``KernelPCA``) with
    each eigenvector's largest-magnitude entry positive.
    """
    kernel = -0.5 * squared
    kernel = kernel - jnp.mean(kernel, axis=0) - jnp.mean(kernel, axis=1, keepdims=True) + jnp.mean(kernel)
    values, vectors = jnp.linalg.eigh(kernel)
    values, vectors = values[::-1][:k], vectors[:, ::-1][:, :k]
    return sign_flip_columns(vectors) * jnp.sqrt(jnp.maximum(values, 0))


def laplacian_eigenmaps(affinity: jax.Array, k: int) -> jax.Array:
    """The first ``k`` eigenvectors of the normalised Laplacian, divided by √degree.

    As scikit-learn's ``spectral_embedding(norm_laplacian=True, drop_first=False)``:
    ``L = I - D^{-1/2} A D^{-1/2}`` with the diagonal of ``A`` ignored (as
    ``scipy.sparse.csgraph.laplacian``), eigenvectors for the ``k`` smallest
    eigenvalues, each divided entrywise by ``√deg`` and sign-flipped.

    Returns:
      ``(n, k)``, one column per eigenvector in increasing eigenvalue order.
    """
    n = affinity.shape[0]
    a = affinity * (1 - jnp.eye(n, dtype=affinity.dtype))
    dd = jnp.sqrt(jnp.sum(a, axis=1))
    safe = jnp.where(dd > 0, dd, 1)
    laplacian = jnp.eye(n, dtype=a.dtype) - a / safe[:, None] / safe[None, :]
    _, vectors = jnp.linalg.eigh(laplacian)
    return sign_flip_columns(vectors[:, :k] / safe[:, None])


def _kmeans_plus_plus(key: jax.Array, points: jax.Array, k: int) -> jax.Array:
    """scikit-learn's greedy k-means++ seeding (``2 + ⌊ln k⌋`` local trials per center)."""
    n = points.shape[0]
    trials = 2 + int(math.log(k))
    first_key, key = jax.random.split(key)
    first = jax.random.randint(first_key, (), 0, n)
    draws = jax.random.uniform(key, (k, trials), points.dtype)  # all randomness up front
    d2 = squared_distances(points)
    centers = jnp.zeros((k,), jnp.int32).at[0].set(first)

    def add_center(c: int, carry: tuple[jax.Array, jax.Array]) -> tuple[jax.Array, jax.Array]:
        centers, closest = carry
        cumulative = jnp.cumsum(closest)
        targets = draws[c] * cumulative[-1]
        candidates = jnp.minimum(jnp.sum(cumulative[None, :] < targets[:, None], axis=1), n - 1)
        candidate_closest = jnp.minimum(closest[None, :], d2[candidates])
        best = jnp.argmin(jnp.sum(candidate_closest, axis=1))
        return centers.at[c].set(candidates[best]), candidate_closest[best]

    centers, _ = jax.lax.fori_loop(1, k, add_center, (centers, d2[first]))
    return points[centers]


def _lloyd(points: jax.Array, centers: jax.Array, max_iter: int, tol: float) -> tuple[jax.Array, jax.Array]:
    """Lloyd iterations until the squared center shift is ≤ ``tol``; returns labels, inertia.

    An empty cluster keeps its previous center.
    """
    k = centers.shape[0]

    def assign(c: jax.Array) -> jax.Array:
        d2 = jnp.sum(jnp.square(points[:, None, :] - c[None, :, :]), axis=-1)
        return jnp.argmin(d2, axis=1), jnp.min(d2, axis=1)

    def step(state: tuple[int, jax.Array, jax.Array]) -> tuple[int, jax.Array, jax.Array]:
        it, c, _ = state
        labels, _ = assign(c)
        onehot = jax.nn.one_hot(labels, k, dtype=points.dtype)
        counts = onehot.sum(axis=0)
        means = onehot.T @ points / jnp.where(counts > 0, counts, 1)[:, None]
        new = jnp.where(counts[:, None] > 0, means, c)
        return it + 1, new, jnp.sum(jnp.square(new - c))

    def running(state: tuple[int, jax.Array, jax.Array]) -> jax.Array:
        it, _, shift = state
        return (it < max_iter) & (shift > tol)

    _, centers, _ = jax.lax.while_loop(running, step, (0, centers, jnp.asarray(jnp.inf, points.dtype)))
    labels, d2 = assign(centers)
    return labels, jnp.sum(d2)


def kmeans(key: jax.Array, points: jax.Array, k: int, *, n_init: int = 10,
           max_iter: int = 300, tol: float = 1e-4) -> jax.Array:
    """k-means labels ``(n,)`` of the rows: k-means++ seeding and Lloyd, best of ``n_init``.

    ``tol`` is relative to the mean feature variance, as scikit-learn. Labels are
    renumbered by first appearance (the cluster of row 0 is 0, the next new
    cluster is 1, …), so they do not depend on the seeding's arbitrary order.
    """
    abs_tol = tol * jnp.mean(jnp.var(points, axis=0))

    def run(run_key: jax.Array) -> tuple[jax.Array, jax.Array]:
        return _lloyd(points, _kmeans_plus_plus(run_key, points, k), max_iter, abs_tol)

    labels, inertia = jax.lax.map(run, jax.random.split(key, n_init))
    return first_appearance_order(labels[jnp.argmin(inertia)], k)


def first_appearance_order(labels: jax.Array, k: int) -> jax.Array:
    """Renumbers cluster ids ``0..k-1`` by their first occurrence in ``labels``."""
    n = labels.shape[0]
    first = jnp.full((k,), n, jnp.int32).at[labels].min(jnp.arange(n, dtype=jnp.int32))
    rank = jnp.argsort(jnp.argsort(first, stable=True), stable=True)
    return rank[labels].astype(jnp.int32)
