"""Manifold compression: embed the instances of a batch with a manifold learner.

tinyBIG calls scikit-learn's ``fit_transform`` on every batch: the embedding is
transductive (each row's output depends on the whole batch) and has no
parameters. These are pure JAX implementations of the same algorithms with dense
linear algebra (fine for batches of up to a few thousand rows): ``apply(None, x)``
embeds the ``b`` rows of ``x`` into ``D`` dimensions. Where scikit-learn's result
depends on a random start (MDS) or on an eigensolver's sign, a deterministic choice
is documented.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from typing import Any

import jax
import jax.numpy as jnp

from jaxbig.base import check_float, check_int, check_matrix
from jaxbig.compression._common import TargetWidth, check_rows, compute_dtype
from jaxbig.compression._embedding import (
    classical_scaling,
    distances,
    laplacian_eigenmaps,
    nearest_neighbors,
    principal_components,
    sign_flip_columns,
    squared_distances,
)
from jaxbig.registry import register

__all__ = [
    "IsomapManifoldCompression",
    "LLEManifoldCompression",
    "MDSManifoldCompression",
    "SpectralEmbeddingManifoldCompression",
    "TSNEManifoldCompression",
]


class _ManifoldBase(TargetWidth):
    """The input checks and the compiled embedding shared by the manifold learners."""

    def _min_rows(self) -> tuple[int, str]:
        return self.D + 1, f"an embedding in D={self.D} dimensions needs D + 1"

    def apply(self, params: Any, x: jax.typing.ArrayLike) -> jax.Array:
        """Embeds the rows of ``x``.

        Args:
          params: ``None`` (no parameters: the embedding is fit on ``x`` itself).
          x: ``(b, m)``.

        Returns:
          ``(b, D)`` in ``x``'s dtype (computed in at least float32).

        Raises:
          ValueError: if ``x`` is not 2-D, ``D > m``, or the batch is too small for
            the method (see the class).
        """
        del params
        x = check_matrix(self, x, floating=True)
        self.calculate_D(x.shape[1])
        check_rows(self, x, *self._min_rows())
        return _compiled_embed(self, x.astype(compute_dtype(x.dtype))).astype(x.dtype)

    def _embed(self, x: jax.Array) -> jax.Array:
        raise NotImplementedError


@functools.partial(jax.jit, static_argnums=0)
def _compiled_embed(function: _ManifoldBase, x: jax.Array) -> jax.Array:
    """One compiled embedding per (function, shape): eager calls do not run op by op."""
    return function._embed(x)


class _NeighborGraphBase(_ManifoldBase):
    """Learners on the graph of each row's ``n_neighbors`` nearest rows (Isomap, LLE)."""

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "n_neighbors",
                           check_int(self, "n_neighbors", self.n_neighbors, minimum=1))

    def _min_rows(self) -> tuple[int, str]:
        need = max(self.n_neighbors, self.D) + 1
        return need, f"n_neighbors={self.n_neighbors} and D={self.D} need more rows"


def _floyd_warshall(graph: jax.Array) -> jax.Array:
    """All-pairs shortest path lengths of a dense weighted graph (``inf`` = no edge)."""

    def relax(k: int, d: jax.Array) -> jax.Array:
        return jnp.minimum(d, d[:, k, None] + d[None, k, :])

    return jax.lax.fori_loop(0, graph.shape[0], relax, graph)


def _component_roots(paths: jax.Array) -> jax.Array:
    """The smallest row index of each row's connected component (finite path lengths)."""
    return jnp.argmax(jnp.isfinite(paths), axis=1).astype(jnp.int32)


def _connect_components(graph: jax.Array, d: jax.Array) -> jax.Array:
    """scikit-learn's ``_fix_connected_components``: joins every pair of components by
    an edge between their closest points."""
    n = d.shape[0]
    roots = _component_roots(_floyd_warshall(graph))
    # closest[p, c]: distance from p to component c; between[c1, c2]: between components.
    closest = jax.ops.segment_min(d.T, roots, num_segments=n).T
    between = jax.ops.segment_min(closest, roots, num_segments=n)
    bridge = (roots[:, None] != roots[None, :]) & (d == between[roots[:, None], roots[None, :]])
    return jnp.where(bridge, d, graph)


@register(
    family="compression",
    tinybig="isomap_manifold_compression",
    formula="κ(X) = V_D √Λ_D of -½ H G² H, G = geodesic distances on the k-NN graph, D = D",
)
@dataclasses.dataclass(frozen=True)
class IsomapManifoldCompression(_NeighborGraphBase):
    """Isomap compression: classical scaling of geodesic distances on a neighbor graph.

    ``κ(X) = V_D √Λ_D of -½ H G² H, G = geodesic distances on the k-NN graph, D = D``:
    the rows of the batch ``X`` are joined to their ``k = n_neighbors`` nearest rows
    (Euclidean; an undirected graph), ``G`` holds the shortest-path lengths, and the
    embedding is the kernel PCA of ``-½ G²`` (``H`` centers; ``V_D, Λ_D`` the leading
    eigenpairs, negative eigenvalues clipped to 0, eigenvectors sign-fixed as
    scikit-learn). A disconnected graph is joined as scikit-learn does: every pair
    of components gets an edge between its closest points.

    Args:
      D: the embedding width, ``D <= m``.
      n_neighbors: ``k``, the neighbors per row (tinyBIG's default 1), ``k < b``.

    Raises:
      ValueError: if ``D > m`` or the batch has ``b <= max(n_neighbors, D)`` rows.

    References:
      tinyBIG ``isomap_manifold_compression``; Tenenbaum, J., de Silva, V. and
      Langford, J. "A Global Geometric Framework for Nonlinear Dimensionality
      Reduction", Science 2000; scikit-learn ``Isomap``.

    >>> import jax.numpy as jnp
    >>> f = IsomapManifoldCompression(2, n_neighbors=3)
    >>> f.apply(None, jnp.sin(jnp.arange(40.0)).reshape(10, 4)).shape
    (10, 2)
    """

    D: int
    n_neighbors: int = 1

    def _embed(self, x: jax.Array) -> jax.Array:
        d = distances(x)
        n = d.shape[0]
        edges = jnp.zeros((n, n), bool).at[
            jnp.arange(n)[:, None], nearest_neighbors(d, self.n_neighbors)].set(True)
        edges = edges | edges.T | jnp.eye(n, dtype=bool)
        graph = _connect_components(jnp.where(edges, d, jnp.inf), d)
        return classical_scaling(jnp.square(_floyd_warshall(graph)), self.D)


@register(
    family="compression",
    tinybig="lle_manifold_compression",
    formula="κ(X) = bottom eigenvectors 2..D+1 of (I - W)ᵀ(I - W), W = local reconstruction weights, D = D",
)
@dataclasses.dataclass(frozen=True)
class LLEManifoldCompression(_NeighborGraphBase):
    """Locally linear embedding compression (standard LLE).

    ``κ(X) = bottom eigenvectors 2..D+1 of (I - W)ᵀ(I - W), W = local reconstruction weights, D = D``:
    each row is reconstructed from its ``k = n_neighbors`` nearest rows with weights
    summing to 1 (the local Gram matrix regularised by ``reg·trace``, as
    scikit-learn), and the embedding is given by the eigenvectors of the 2nd to
    ``D+1``-th smallest eigenvalues of ``M = (I - W)ᵀ(I - W)`` (computed as singular
    vectors of ``I - W``, which keeps them apart in float32). scikit-learn leaves
    their signs to the eigensolver; here each eigenvector's largest-magnitude entry
    is positive.

    Args:
      D: the embedding width, ``D <= m``.
      n_neighbors: ``k`` (tinyBIG's default 1), ``k < b``.
      reg: the regularisation of the local Gram matrices (scikit-learn's 1e-3).

    Raises:
      ValueError: if ``D > m`` or ``b <= max(n_neighbors, D)``.

    References:
      tinyBIG ``lle_manifold_compression``; Roweis, S. and Saul, L. "Nonlinear
      Dimensionality Reduction by Locally Linear Embedding", Science 2000;
      scikit-learn ``LocallyLinearEmbedding``.

    >>> import jax.numpy as jnp
    >>> f = LLEManifoldCompression(2, n_neighbors=4)
    >>> f.apply(None, jnp.sin(jnp.arange(30.0)).reshape(10, 3)).shape
    (10, 2)
    """

    D: int
    n_neighbors: int = 1
    _: dataclasses.KW_ONLY
    reg: float = 1e-3

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "reg", check_float(self, "reg", self.reg, minimum=0.0))

    def _embed(self, x: jax.Array) -> jax.Array:
        n = x.shape[0]
        neighbors = nearest_neighbors(squared_distances(x), self.n_neighbors)
        z = x[neighbors] - x[:, None, :]  # (n, k, m)
        gram = z @ jnp.swapaxes(z, 1, 2)
        trace = jnp.trace(gram, axis1=1, axis2=2)
        ridge = jnp.where(trace > 0, self.reg * trace, self.reg)
        gram = gram + ridge[:, None, None] * jnp.eye(self.n_neighbors, dtype=x.dtype)
        w = jnp.linalg.solve(gram, jnp.ones((n, self.n_neighbors, 1), x.dtype))[..., 0]
        w = w / jnp.sum(w, axis=1, keepdims=True)
        W = jnp.zeros((n, n), x.dtype).at[jnp.arange(n)[:, None], neighbors].add(w)
        # The eigenvectors of M = (I - W)ᵀ(I - W) for its smallest eigenvalues are the right
        # singular vectors of I - W for its smallest singular values; the SVD resolves
        # eigenvalues of M down to eps² that an eigensolver on M mixes up in float32.
        _, _, vt = jnp.linalg.svd(jnp.eye(n, dtype=x.dtype) - W)
        return sign_flip_columns(vt[::-1][1:self.D + 1].T)


@register(
    family="compression",
    tinybig="mds_manifold_compression",
    formula="κ(X) = argmin_Y Σ_{i<j} (‖y_i - y_j‖ - ‖x_i - x_j‖)² (SMACOF), D = D",
)
@dataclasses.dataclass(frozen=True)
class MDSManifoldCompression(_ManifoldBase):
    """Metric multidimensional scaling compression (SMACOF stress majorisation).

    ``κ(X) = argmin_Y Σ_{i<j} (‖y_i - y_j‖ - ‖x_i - x_j‖)² (SMACOF), D = D``: the
    Guttman-transform iterations of scikit-learn's ``smacof`` (at most ``max_iter``,
    stopping when the normalised stress improves by less than ``eps``). scikit-learn
    starts from ``n_init`` random configurations and keeps the best; here the start
    is the classical (Torgerson) scaling of the distances, which is deterministic
    and already optimal when the rows lie in a D-dimensional affine subspace.

    Args:
      D: the embedding width, ``D <= m``.
      max_iter: the iteration limit (scikit-learn's 300).
      eps: the convergence tolerance on the normalised stress (scikit-learn's 1e-3).

    Raises:
      ValueError: if ``D > m`` or the batch has fewer than ``D + 1`` rows.

    References:
      tinyBIG ``mds_manifold_compression``; de Leeuw, J. "Applications of Convex
      Analysis to Multidimensional Scaling", 1977; Borg, I. and Groenen, P. "Modern
      Multidimensional Scaling", 2005; scikit-learn ``MDS``.

    >>> import jax.numpy as jnp
    >>> f = MDSManifoldCompression(2)
    >>> f.apply(None, jnp.sin(jnp.arange(24.0)).reshape(6, 4)).shape
    (6, 2)
    """

    D: int
    _: dataclasses.KW_ONLY
    max_iter: int = 300
    eps: float = 1e-3

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "max_iter", check_int(self, "max_iter", self.max_iter, minimum=0))
        object.__setattr__(self, "eps", check_float(self, "eps", self.eps, minimum=0.0))

    def _embed(self, x: jax.Array) -> jax.Array:
        target = distances(x)
        n = target.shape[0]

        def guttman(_: int, state: tuple[Any, ...]) -> tuple[Any, ...]:
            y, old, converged = state
            current = distances(y)
            stress = jnp.sum(jnp.square(current - target)) / 2
            ratio = target / jnp.where(current == 0, 1e-5, current)
            b = jnp.diag(jnp.sum(ratio, axis=1)) - ratio
            new = b @ y / n
            normalised = stress / jnp.sum(jnp.sqrt(jnp.sum(jnp.square(new), axis=1)))
            # Once converged, the state is frozen: a static loop (differentiable in
            # reverse mode) with scikit-learn's early stop.
            return (jnp.where(converged, y, new), jnp.where(converged, old, normalised),
                    converged | ((old - normalised) < self.eps))

        start = classical_scaling(jnp.square(target), self.D)
        inf = jnp.asarray(jnp.inf, x.dtype)
        y, _, _ = jax.lax.fori_loop(0, self.max_iter, jax.checkpoint(guttman),
                                    (start, inf, jnp.asarray(False)))
        return y


@register(
    family="compression",
    tinybig="spectral_embedding_manifold_compression",
    formula="κ(X) = Δ^{-½} · eigenvectors 2..D+1 of I - Δ^{-½} A Δ^{-½}, A = k-NN affinity, D = D",
)
@dataclasses.dataclass(frozen=True)
class SpectralEmbeddingManifoldCompression(_ManifoldBase):
    """Spectral embedding (Laplacian eigenmaps) compression.

    ``κ(X) = Δ^{-½} · eigenvectors 2..D+1 of I - Δ^{-½} A Δ^{-½}, A = k-NN affinity, D = D``:
    ``Δ`` holds the degrees of the affinity ``A = ½(C + Cᵀ)`` of the ``k``-nearest-neighbor connectivity ``C``
    (each row's ``k`` nearest rows, itself included, as scikit-learn's
    ``kneighbors_graph(include_self=True)``; self-loops are then ignored by the
    Laplacian), and the embedding takes the eigenvectors of its 2nd to ``D+1``-th smallest eigenvalues,
    each divided by ``√deg`` and sign-fixed (scikit-learn's ``SpectralEmbedding``).

    Args:
      D: the embedding width, ``D <= m``.
      n_neighbors: ``k``; ``None`` is scikit-learn's ``max(⌊b/10⌋, 1)``.

    Raises:
      ValueError: if ``D > m`` or the batch has fewer than ``D + 2`` rows or at
        most ``n_neighbors`` rows.

    References:
      tinyBIG ``spectral_embedding_manifold_compression``; Belkin, M. and Niyogi, P.
      "Laplacian Eigenmaps for Dimensionality Reduction and Data Representation",
      Neural Computation 2003; scikit-learn ``SpectralEmbedding``.

    >>> import jax.numpy as jnp
    >>> f = SpectralEmbeddingManifoldCompression(2, n_neighbors=4)
    >>> f.apply(None, jnp.sin(jnp.arange(36.0)).reshape(12, 3)).shape
    (12, 2)
    """

    D: int
    _: dataclasses.KW_ONLY
    n_neighbors: int | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.n_neighbors is not None:
            object.__setattr__(self, "n_neighbors",
                               check_int(self, "n_neighbors", self.n_neighbors, minimum=1))

    def _min_rows(self) -> tuple[int, str]:
        need = max(self.D + 2, (self.n_neighbors or 0) + 1)
        return need, f"D={self.D} eigenvectors after the first and n_neighbors need more rows"

    def _embed(self, x: jax.Array) -> jax.Array:
        n = x.shape[0]
        k = self.n_neighbors if self.n_neighbors is not None else max(n // 10, 1)
        # k nearest including self = self + (k - 1) nearest others.
        connectivity = jnp.eye(n, dtype=x.dtype)
        if k > 1:
            others = nearest_neighbors(squared_distances(x), k - 1)
            connectivity = connectivity.at[jnp.arange(n)[:, None], others].set(1)
        affinity = (connectivity + connectivity.T) / 2
        return laplacian_eigenmaps(affinity, self.D + 1)[:, 1:]


_MACHINE_EPSILON = float(jnp.finfo(jnp.float64).eps)


def _not_differentiable(owner: str, fn: Any, x: jax.Array) -> jax.Array:
    """``fn(x)``, refusing reverse-mode differentiation with respect to ``x``.

    Calls that do not need ``∂fn/∂x`` (e.g. gradients with respect to parameters
    applied after it) are unaffected; asking for ``∂fn/∂x`` raises instead of
    returning a meaningless value.
    """

    @jax.custom_vjp
    def run(v: jax.Array) -> jax.Array:
        return fn(v)

    def forward(v: jax.Array) -> tuple[jax.Array, None]:
        return fn(v), None

    def backward(_: None, cotangent: jax.Array) -> tuple[jax.Array]:
        raise ValueError(
            f"{owner}: the embedding is the end point of a non-convex optimisation and has no "
            "usable derivative with respect to x (differentiating through the iterations "
            "diverges); compute it outside the differentiated function, or wrap x in "
            "jax.lax.stop_gradient"
        )

    run.defvjp(forward, backward)
    return run(x)
_EXPLORATION_ITERATIONS = 250
_CHECK_EVERY = 50


def _conditional_probabilities(sq: jax.Array, perplexity: float) -> jax.Array:
    """scikit-learn's ``_binary_search_perplexity``: row-wise Gaussian conditionals
    whose entropy matches ``log(perplexity)`` (100 bisection steps, tol 1e-5)."""
    n = sq.shape[0]
    off = ~jnp.eye(n, dtype=bool)
    target = math.log(perplexity)

    def step(_: int, state: tuple[jax.Array, ...]) -> tuple[jax.Array, ...]:
        beta, low, high, done, p = state
        raw = jnp.where(off, jnp.exp(-sq * beta[:, None]), 0)
        total = jnp.sum(raw, axis=1)
        total = jnp.where(total == 0, 1e-8, total)
        new_p = raw / total[:, None]
        entropy = jnp.log(total) + beta * jnp.sum(sq * new_p, axis=1)
        diff = entropy - target
        converged = jnp.abs(diff) <= 1e-5
        p = jnp.where(done[:, None], p, new_p)
        update = ~done & ~converged
        up = diff > 0
        new_low = jnp.where(up, beta, low)
        new_high = jnp.where(up, high, beta)
        raised = jnp.where(jnp.isinf(high), beta * 2, (beta + high) / 2)
        lowered = jnp.where(jnp.isinf(low), beta / 2, (beta + low) / 2)
        new_beta = jnp.where(up, raised, lowered)
        return (jnp.where(update, new_beta, beta), jnp.where(update, new_low, low),
                jnp.where(update, new_high, high), done | converged, p)

    dtype = sq.dtype
    init = (jnp.ones((n,), dtype), jnp.full((n,), -jnp.inf, dtype), jnp.full((n,), jnp.inf, dtype),
            jnp.zeros((n,), bool), jnp.zeros((n, n), dtype))
    return jax.lax.fori_loop(0, 100, step, init)[-1]


@register(
    family="compression",
    tinybig="tsne_manifold_compression",
    formula="κ(X) = argmin_Y KL(P ‖ Q_Y), P from Gaussians of the given perplexity, Q Student-t, D = D",
)
@dataclasses.dataclass(frozen=True)
class TSNEManifoldCompression(_ManifoldBase):
    """t-SNE compression (exact gradients, scikit-learn's optimiser).

    ``κ(X) = argmin_Y KL(P ‖ Q_Y), P from Gaussians of the given perplexity, Q Student-t, D = D``:
    ``P`` symmetrises the row-wise Gaussian conditionals whose bandwidths are found
    by bisection to match ``perplexity``; ``Q_Y`` uses a Student-t kernel with
    ``max(D - 1, 1)`` degrees of freedom. ``Y`` starts from the PCA of ``X`` scaled
    to a first-coordinate standard deviation of 1e-4 (scikit-learn's ``init="pca"``)
    and follows scikit-learn's gradient descent: momentum 0.5 with ``P`` multiplied
    by ``early_exaggeration`` for 250 iterations, then momentum 0.8 up to
    ``max_iter``, adaptive gains (+0.2 / ×0.8, at least 0.01), and the same stopping
    rules (checked every 50 iterations). scikit-learn defaults to the Barnes-Hut
    approximation; this computes the exact gradient, as its ``method="exact"``.
    The embedding has no usable derivative with respect to ``x`` (the derivative
    through the optimiser's iterations grows without bound), so asking ``jax.grad``
    for it raises; gradients that do not pass through ``x`` are unaffected.

    Args:
      D: the embedding width, ``D <= m``.
      perplexity: the effective number of neighbors (tinyBIG's 5.0), ``< b``.
      early_exaggeration: the factor on ``P`` during the first 250 iterations.
      learning_rate: the step size, or ``"auto"`` for ``max(b / early_exaggeration / 4, 50)``.
      max_iter: the total number of iterations (at least 250).
      n_iter_without_progress: stop after this many iterations without a lower KL.
      min_grad_norm: stop once the gradient norm falls below this.

    Raises:
      ValueError: if ``D > m``, ``perplexity >= b``, an option is out of range, or
        reverse-mode differentiation with respect to ``x`` is requested.

    References:
      tinyBIG ``tsne_manifold_compression``; van der Maaten, L. and Hinton, G.
      "Visualizing Data using t-SNE", JMLR 2008; scikit-learn ``TSNE``.

    >>> import jax.numpy as jnp
    >>> f = TSNEManifoldCompression(2, perplexity=3.0, max_iter=300)
    >>> f.apply(None, jnp.sin(jnp.arange(40.0)).reshape(10, 4)).shape
    (10, 2)
    """

    D: int
    perplexity: float = 5.0
    _: dataclasses.KW_ONLY
    early_exaggeration: float = 12.0
    learning_rate: float | str = "auto"
    max_iter: int = 1000
    n_iter_without_progress: int = 300
    min_grad_norm: float = 1e-7

    def __post_init__(self) -> None:
        super().__post_init__()
        check = lambda name, **kw: object.__setattr__(
            self, name, check_float(self, name, getattr(self, name), **kw))
        check("perplexity", minimum=0.0, strict_minimum=True)
        check("early_exaggeration", minimum=1.0)
        check("min_grad_norm", minimum=0.0)
        if self.learning_rate != "auto":
            check("learning_rate", minimum=0.0, strict_minimum=True)
        object.__setattr__(self, "max_iter", check_int(
            self, "max_iter", self.max_iter, minimum=_EXPLORATION_ITERATIONS))
        object.__setattr__(self, "n_iter_without_progress", check_int(
            self, "n_iter_without_progress", self.n_iter_without_progress, minimum=1))

    def _min_rows(self) -> tuple[int, str]:
        need = max(math.floor(self.perplexity) + 1, self.D + 1)
        return need, f"perplexity={self.perplexity} must be < b"

    def _embed(self, x: jax.Array) -> jax.Array:
        return _not_differentiable(type(self).__name__, self._optimise, x)

    def _optimise(self, x: jax.Array) -> jax.Array:
        n = x.shape[0]
        dtype = x.dtype
        off = ~jnp.eye(n, dtype=bool)
        conditional = _conditional_probabilities(squared_distances(x), self.perplexity)
        p = conditional + conditional.T
        p = jnp.where(off, jnp.maximum(p / jnp.maximum(jnp.sum(p), _MACHINE_EPSILON),
                                       _MACHINE_EPSILON), 0)
        dof = max(self.D - 1, 1)
        scale = 2.0 * (dof + 1.0) / dof
        rate = (max(n / self.early_exaggeration / 4, 50) if self.learning_rate == "auto"
                else self.learning_rate)

        def kl_and_grad(y: jax.Array, target: jax.Array) -> tuple[jax.Array, jax.Array]:
            w = jnp.where(off, (1 + squared_distances(y) / dof) ** (-(dof + 1) / 2), 0)
            q = jnp.where(off, jnp.maximum(w / jnp.sum(w), _MACHINE_EPSILON), 0)
            kl = jnp.sum(jnp.where(off, target * jnp.log(jnp.maximum(target, _MACHINE_EPSILON) / jnp.where(off, q, 1)), 0))
            pq = (target - q) * w
            grad = scale * (jnp.sum(pq, axis=1, keepdims=True) * y - pq @ y)
            return kl, grad

        def descend(y: jax.Array, start: Any, stop_at: int, momentum: float, target: jax.Array,
                    patience: int) -> tuple[jax.Array, jax.Array]:
            """scikit-learn's ``_gradient_descent`` from iteration ``start`` to ``stop_at``."""
            big = jnp.asarray(jnp.finfo(dtype).max, dtype)

            def step(state: tuple[Any, ...]) -> tuple[Any, ...]:
                i, y, update, gains, best, best_i, _ = state
                kl, grad = kl_and_grad(y, target)
                increase = update * grad < 0
                gains = jnp.maximum(jnp.where(increase, gains + 0.2, gains * 0.8), 0.01)
                grad = grad * gains
                update = momentum * update - rate * grad
                check = (i + 1) % _CHECK_EVERY == 0
                improved = check & (kl < best)
                stalled = check & ~improved & (i - best_i > patience)
                flat = check & (jnp.linalg.norm(grad) <= self.min_grad_norm)
                return (i + 1, y + update, update, gains, jnp.where(improved, kl, best),
                        jnp.where(improved, i, best_i), stalled | flat)

            def running(state: tuple[Any, ...]) -> jax.Array:
                i, *_, stop = state
                return (i < stop_at) & ~stop

            start = jnp.asarray(start, jnp.int32)
            state = (start, y, jnp.zeros_like(y), jnp.ones_like(y), big, start, jnp.asarray(False))
            i, y, *_ = jax.lax.while_loop(running, step, state)
            return y, i - 1  # the last iteration run, as scikit-learn returns it

        y = principal_components(x, self.D)
        y = y / jnp.std(y[:, 0]) * 1e-4
        y, last = descend(y, 0, _EXPLORATION_ITERATIONS, 0.5, p * self.early_exaggeration,
                          _EXPLORATION_ITERATIONS)
        y, _ = descend(y, last + 1, self.max_iter, 0.8, p, self.n_iter_without_progress)
        return y
