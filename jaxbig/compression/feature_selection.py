"""Feature selection compression: keep high-variance features, or pool feature clusters.

tinyBIG refits its selectors on every forward call, averaging the statistic it
selects on (feature variances, feature distances) over calls until it stabilises
(``incremental``). Here that state is explicit: ``fit(x, params=...)`` returns the
updated state and ``apply(params, x)`` selects; ``params = f.fit(x, params=params)``
then ``f.apply(params, x)`` is tinyBIG's forward call.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp

from jaxbig.base import _owner_name, check_bool, check_float, check_int, check_matrix
from jaxbig.compression._common import TargetWidth, check_rows, compute_dtype
from jaxbig.compression._embedding import distances, kmeans, laplacian_eigenmaps
from jaxbig.registry import register

__all__ = [
    "ClusteringState",
    "IncrementalFeatureClusteringCompression",
    "IncrementalVarianceThresholdCompression",
    "VarianceState",
]


class VarianceState(NamedTuple):
    """State of :class:`IncrementalVarianceThresholdCompression`.

    Attributes:
      v: ``(m,)`` the running mean of the per-batch feature variances.
      t: int32 scalar, the number of averaged batches.
      incremental: bool scalar, whether ``fit`` still averages (False once stable).
    """

    v: jax.Array
    t: jax.Array
    incremental: jax.Array


class ClusteringState(NamedTuple):
    """State of :class:`IncrementalFeatureClusteringCompression`.

    Attributes:
      distances: ``(m, m)`` the running mean of the feature-distance matrices.
      t: int32 scalar, the number of averaged batches.
      incremental: bool scalar, whether ``fit`` still averages.
      labels: ``(m,)`` int32 cluster of every feature (a buffer).
    """

    distances: jax.Array
    t: jax.Array
    incremental: jax.Array
    labels: jax.Array


@dataclasses.dataclass(frozen=True)
class _IncrementalFields:
    _: dataclasses.KW_ONLY
    incremental: bool = True
    incremental_stop_threshold: float = 0.01
    t_threshold: int = 100


class _IncrementalSelector(TargetWidth):
    """The running average tinyBIG's ``feature_selection`` keeps across calls."""

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "incremental", check_bool(self, "incremental", self.incremental))
        object.__setattr__(self, "incremental_stop_threshold", check_float(
            self, "incremental_stop_threshold", self.incremental_stop_threshold, minimum=0.0))
        object.__setattr__(self, "t_threshold",
                           check_int(self, "t_threshold", self.t_threshold, minimum=1))

    def _average(self, old: jax.Array, new: jax.Array, t: jax.Array,
                 incremental: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array]:
        """tinyBIG's ``update_v``/``update_D``: average while incremental, then replace.

        While incremental: ``t += 1``, ``s = ((t-1)·s + new)/t``, and averaging stops
        once ``t >= t_threshold`` or ``‖s_old - s‖₂ < incremental_stop_threshold``.
        Afterwards each fit replaces ``s`` by the new batch's statistic.
        """
        t_next = t + 1
        averaged = ((t_next - 1) * old + new) / t_next
        settled = (t_next >= self.t_threshold) | (
            jnp.linalg.norm((old - averaged).ravel()) < self.incremental_stop_threshold)
        value = jnp.where(incremental, averaged, new)
        return value, jnp.where(incremental, t_next, t), incremental & ~settled

    def _check_state_width(self, name: str, got: tuple[int, ...], want: tuple[int, ...]) -> None:
        if got != want:
            raise ValueError(
                f"{_owner_name(self)}: params.{name} has shape {got}, x needs {want}")


@register(
    family="compression",
    tinybig="incremental_variance_threshold_based_compression",
    formula="κ(x) = x[:, I], I = the D features of largest running variance v (ascending v), D = D",
)
@dataclasses.dataclass(frozen=True)
class IncrementalVarianceThresholdCompression(_IncrementalFields, _IncrementalSelector):
    """Variance-threshold feature selection: keep the D features of largest variance.

    ``κ(x) = x[:, I], I = the D features of largest running variance v (ascending v), D = D``:
    ``v`` is the running mean over :meth:`fit` calls of the unbiased (ddof = 1)
    per-feature variance of each batch, and ``I`` lists the ``D`` features of
    largest ``v`` in increasing order of ``v`` (``argsort(v)[-D:]``, tinyBIG's
    order; ties by feature index, a stable sort, where NumPy's default sort is not
    stable). tinyBIG ignores its ``threshold`` once a feature count is set, which
    its compression always does, so there is no threshold here.

    Args:
      D: the number of kept features, ``1 <= D <= m``.
      incremental: average the variances over fits (else each fit replaces them).
      incremental_stop_threshold: stop averaging once the average moves less than
        this (Euclidean norm).
      t_threshold: stop averaging after this many fits.

    Raises:
      ValueError: if ``D > m``, a fitted batch has fewer than 2 rows, or the state
        does not match ``x``.

    References:
      tinyBIG ``incremental_variance_threshold_based_compression``
      (``tinybig/koala/machine_learning/feature_selection``); Zhang, J. "RPN",
      arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> f = IncrementalVarianceThresholdCompression(2)
    >>> x = jnp.array([[0.0, 1.0, 5.0], [0.0, 3.0, -5.0]])
    >>> f.apply(f.fit(x), x)
    Array([[ 1.,  5.],
           [ 3., -5.]], dtype=float32)
    """

    D: int

    def init(self, key: jax.Array, m: int, *, dtype: Any = jnp.float32) -> VarianceState:
        """A state before any fit: ``v = 0`` (``apply`` keeps the last D features).

        Args:
          key: unused (the state is deterministic).
          m: the input width.
          dtype: floating dtype of ``v``.
        """
        del key
        self.calculate_D(m)
        return VarianceState(jnp.zeros((m,), dtype), jnp.zeros((), jnp.int32),
                             jnp.asarray(self.incremental))

    @functools.partial(jax.jit, static_argnums=0)
    def fit(self, x: jax.typing.ArrayLike, *, params: VarianceState | None = None) -> VarianceState:
        """Updates the running variances with the batch ``x``.

        Args:
          x: ``(b, m)`` with ``b >= 2``.
          params: the state so far; ``None`` starts afresh.

        Returns:
          The updated :class:`VarianceState`.

        Raises:
          ValueError: if ``x`` is not 2-D, ``b < 2`` or ``D > m``.
        """
        x = check_matrix(self, x, floating=True)
        m = x.shape[1]
        check_rows(self, x, 2, "the unbiased variance needs 2")
        dtype = compute_dtype(x.dtype)
        state = self.init(None, m, dtype=dtype) if params is None else params
        self._check_state_width("v", tuple(jnp.shape(state.v)), (m,))
        new_v = jnp.var(x.astype(dtype), axis=0, ddof=1)
        v, t, incremental = self._average(jnp.asarray(state.v, dtype), new_v,
                                          jnp.asarray(state.t), jnp.asarray(state.incremental))
        return VarianceState(v, t, incremental)

    def apply(self, params: VarianceState, x: jax.typing.ArrayLike) -> jax.Array:
        """``x[:, I]``.

        Args:
          params: a :class:`VarianceState`.
          x: ``(b, m)``.

        Returns:
          ``(b, D)`` in ``x``'s dtype.

        Raises:
          ValueError: if the state's width is not ``m`` or ``D > m``.
        """
        x = check_matrix(self, x, floating=True)
        self.calculate_D(x.shape[1])
        self._check_state_width("v", tuple(jnp.shape(params.v)), (x.shape[1],))
        order = jnp.argsort(jax.lax.stop_gradient(jnp.asarray(params.v)), stable=True)
        return x[:, order[-self.D:]]


@register(
    family="compression",
    tinybig="incremental_feature_clustering_based_compression",
    formula="κ(x)_c = mean_{i: label_i = c} x_i, labels = spectral clusters of exp(-Δ²/2), D = D",
)
@dataclasses.dataclass(frozen=True)
class IncrementalFeatureClusteringCompression(_IncrementalFields, _IncrementalSelector):
    """Feature clustering compression: average the features of each spectral cluster.

    ``κ(x)_c = mean_{i: label_i = c} x_i, labels = spectral clusters of exp(-Δ²/2), D = D``:
    ``Δ`` is the running mean over :meth:`fit` calls of the ``(m, m)`` Euclidean
    distances between features (columns) of each batch, the affinity
    ``exp(-Δ²/2)`` is clustered into ``D`` clusters by spectral clustering
    (normalised-Laplacian eigenmaps, then k-means with k-means++ seeding, best of
    ``n_init`` runs, seeded by ``random_state``, as scikit-learn's
    ``SpectralClustering(affinity="precomputed")``), and output ``c`` is the mean of
    the features of cluster ``c`` (0 for an empty cluster). Clusters are numbered by
    their first feature, so output columns do not depend on k-means' arbitrary
    cluster order (scikit-learn's numbering, which tinyBIG inherits, is arbitrary).

    Args:
      D: the number of clusters, ``1 <= D <= m``.
      random_state: seed of the k-means restarts (tinyBIG: 42).
      n_init: k-means restarts.
      incremental: average the distance matrices over fits.
      incremental_stop_threshold: stop averaging once the average moves less than this.
      t_threshold: stop averaging after this many fits.

    Raises:
      ValueError: if ``D > m`` or the state does not match ``x``.

    References:
      tinyBIG ``incremental_feature_clustering_based_compression``; Ng, A., Jordan, M.
      and Weiss, Y. "On Spectral Clustering", NIPS 2001; Arthur, D. and
      Vassilvitskii, S. "k-means++", SODA 2007; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> f = IncrementalFeatureClusteringCompression(2)
    >>> x = jnp.array([[0.0, 0.1, 9.0, 9.2], [1.0, 1.1, -8.0, -8.1]])
    >>> state = f.fit(x)
    >>> state.labels.tolist(), f.apply(state, x).shape
    ([0, 0, 1, 1], (2, 2))
    """

    D: int
    random_state: int = 42
    _: dataclasses.KW_ONLY
    n_init: int = 10

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "random_state", check_int(self, "random_state", self.random_state))
        object.__setattr__(self, "n_init", check_int(self, "n_init", self.n_init, minimum=1))

    def init(self, key: jax.Array, m: int, *, dtype: Any = jnp.float32) -> ClusteringState:
        """A state before any fit: zero distances and features dealt round-robin.

        Args:
          key: unused (the state is deterministic).
          m: the input width.
          dtype: floating dtype of the distances.
        """
        del key
        self.calculate_D(m)
        return ClusteringState(jnp.zeros((m, m), dtype), jnp.zeros((), jnp.int32),
                               jnp.asarray(self.incremental),
                               jnp.arange(m, dtype=jnp.int32) % self.D)

    @functools.partial(jax.jit, static_argnums=0)
    def fit(self, x: jax.typing.ArrayLike, *, params: ClusteringState | None = None) -> ClusteringState:
        """Updates the feature distances with the batch ``x`` and reclusters the features.

        Args:
          x: ``(b, m)``.
          params: the state so far; ``None`` starts afresh.

        Returns:
          The updated :class:`ClusteringState`.

        Raises:
          ValueError: if ``x`` is not 2-D or ``D > m``.
        """
        x = check_matrix(self, x, floating=True)
        m = x.shape[1]
        dtype = compute_dtype(x.dtype)
        state = self.init(None, m, dtype=dtype) if params is None else params
        self._check_state_width("distances", tuple(jnp.shape(state.distances)), (m, m))
        new = distances(x.astype(dtype).T)
        averaged, t, incremental = self._average(jnp.asarray(state.distances, dtype), new,
                                                 jnp.asarray(state.t), jnp.asarray(state.incremental))
        embedding = laplacian_eigenmaps(jnp.exp(-jnp.square(averaged) / 2), self.D)
        labels = kmeans(jax.random.key(self.random_state), embedding, self.D, n_init=self.n_init)
        return ClusteringState(averaged, t, incremental, labels)

    def apply(self, params: ClusteringState, x: jax.typing.ArrayLike) -> jax.Array:
        """The mean of every cluster's features.

        Args:
          params: a :class:`ClusteringState`.
          x: ``(b, m)``.

        Returns:
          ``(b, D)`` in ``x``'s dtype.

        Raises:
          ValueError: if the state's width is not ``m`` or ``D > m``.
        """
        x = check_matrix(self, x, floating=True)
        self.calculate_D(x.shape[1])
        self._check_state_width("labels", tuple(jnp.shape(params.labels)), (x.shape[1],))
        onehot = jax.nn.one_hot(params.labels, self.D, dtype=x.dtype)
        counts = onehot.sum(axis=0)
        return x @ (onehot / jnp.where(counts > 0, counts, 1))
