"""Dimension reduction compression: incremental PCA and sparse random projection.

tinyBIG wraps scikit-learn's ``IncrementalPCA`` and ``SparseRandomProjection`` and
refits them on every forward call. Here fitting is explicit and pure:
``fit(x, params=...)`` returns updated parameters (one ``partial_fit`` step of
incremental PCA, in JAX), and ``apply(params, x)`` only projects.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp

from jaxbig.base import check_float, check_matrix
from jaxbig.compression._common import TargetWidth, check_rows, compute_dtype
from jaxbig.compression._embedding import sign_flip_rows
from jaxbig.registry import register

__all__ = ["IncrementalPCACompression", "PCAState", "RandomProjectionCompression"]


class PCAState(NamedTuple):
    """The running state of :class:`IncrementalPCACompression` (scikit-learn's attributes).

    Attributes:
      mean: ``(m,)`` mean of all rows seen (``mean_``).
      var: ``(m,)`` biased variance of all rows seen (``var_``).
      components: ``(D, m)`` principal axes, orthonormal rows (``components_``).
      singular_values: ``(D,)`` (``singular_values_``).
      n_samples_seen: int32 scalar (``n_samples_seen_``), a buffer.
    """

    mean: jax.Array
    var: jax.Array
    components: jax.Array
    singular_values: jax.Array
    n_samples_seen: jax.Array


@register(
    family="compression",
    tinybig="incremental_PCA_based_compression",
    formula="κ(x) = (x - μ) V_Dᵀ, V_D = top-D principal axes of the rows seen, D = D",
)
@dataclasses.dataclass(frozen=True)
class IncrementalPCACompression(TargetWidth):
    """Incremental PCA compression: projection on the leading principal axes.

    ``κ(x) = (x - μ) V_Dᵀ, V_D = top-D principal axes of the rows seen, D = D``:
    ``μ`` is the mean of every row passed to :meth:`fit` so far and ``V_D`` holds
    the ``D`` leading right singular vectors of the centered data (signs fixed so
    each axis' largest-magnitude entry is positive, as scikit-learn). :meth:`fit`
    performs one step of scikit-learn's ``IncrementalPCA.partial_fit``: the SVD of
    the previous axes scaled by their singular values, the new centered rows, and a
    mean-correction row. tinyBIG calls ``partial_fit`` and then ``transform`` on every
    forward pass; the equivalent is ``params = f.fit(x, params=params)`` followed by
    ``f.apply(params, x)``. ``apply`` treats the fitted state as constants
    (gradients flow to ``x`` only).

    Args:
      D: the number of components, ``1 <= D <= m``.

    Raises:
      ValueError: if ``D > m``, a batch given to :meth:`fit` has fewer than ``D``
        rows (as scikit-learn), or ``x`` has the wrong width.

    References:
      tinyBIG ``incremental_PCA_based_compression``; Ross, D. et al. "Incremental
      Learning for Robust Visual Tracking", IJCV 2008; scikit-learn
      ``IncrementalPCA``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax, jax.numpy as jnp
    >>> f = IncrementalPCACompression(2)
    >>> x = jnp.sin(jnp.arange(40.0)).reshape(8, 5)
    >>> state = f.fit(x)
    >>> f.apply(state, x).shape, int(state.n_samples_seen)
    ((8, 2), 8)
    """

    D: int

    def init(self, key: jax.Array, m: int, *, dtype: Any = jnp.float32) -> PCAState:
        """A state with no rows seen and random orthonormal axes.

        The axes make ``apply`` a random orthonormal projection until the first
        :meth:`fit`, which does not depend on them (their singular values are 0).

        Args:
          key: a PRNG key.
          m: the input width.
          dtype: floating dtype of the state.

        Returns:
          A :class:`PCAState` with ``components`` of shape ``(D, m)``.
        """
        self.calculate_D(m)
        q, _ = jnp.linalg.qr(jax.random.normal(key, (m, self.D), dtype))
        zeros = jnp.zeros((m,), dtype)
        return PCAState(zeros, zeros, q.T, jnp.zeros((self.D,), dtype), jnp.zeros((), jnp.int32))

    @functools.partial(jax.jit, static_argnums=0)
    def fit(self, x: jax.typing.ArrayLike, *, params: PCAState | None = None) -> PCAState:
        """One ``partial_fit`` step: the state after also seeing the rows of ``x``.

        Args:
          x: ``(b, m)`` with ``b >= D``.
          params: the state so far; ``None`` starts from no rows seen.

        Returns:
          The updated :class:`PCAState` (dtype at least float32).

        Raises:
          ValueError: if ``x`` is not 2-D, ``b < D`` or ``D > m``.
        """
        x = check_matrix(self, x, floating=True)
        b, m = x.shape
        self.calculate_D(m)
        check_rows(self, x, self.D, f"incremental PCA needs at least D={self.D} rows per batch")
        dtype = compute_dtype(x.dtype)
        x = x.astype(dtype)
        if params is None:  # no rows seen: the axes do not matter (singular values 0)
            zeros = jnp.zeros((m,), dtype)
            params = PCAState(zeros, zeros, jnp.zeros((self.D, m), dtype),
                              jnp.zeros((self.D,), dtype), jnp.zeros((), jnp.int32))
        mean, var, components, singular_values, seen = (
            jnp.asarray(p, dtype) if i < 4 else jnp.asarray(p, jnp.int32)
            for i, p in enumerate(params))
        n_old = seen.astype(dtype)
        n_new = n_old + b
        batch_mean = jnp.mean(x, axis=0)
        centered = x - batch_mean
        # scikit-learn's _incremental_mean_and_var (Chan et al.'s pairwise update).
        new_mean = (n_old * mean + b * batch_mean) / n_new
        batch_m2 = jnp.sum(jnp.square(centered), axis=0)
        new_var = (n_old * var + batch_m2 + n_old * b / n_new * jnp.square(mean - batch_mean)) / n_new
        correction = jnp.sqrt(n_old / n_new * b) * (mean - batch_mean)
        stacked = jnp.concatenate(
            [singular_values[:, None] * components, centered, correction[None, :]], axis=0)
        u, s, vt = jnp.linalg.svd(stacked, full_matrices=False)
        vt = sign_flip_rows(vt)
        return PCAState(new_mean, new_var, vt[: self.D], s[: self.D], seen + b)

    def apply(self, params: PCAState, x: jax.typing.ArrayLike) -> jax.Array:
        """``(x - μ) V_Dᵀ``.

        Args:
          params: a :class:`PCAState` from :meth:`init` or :meth:`fit`.
          x: ``(b, m)``.

        Returns:
          ``(b, D)`` in ``x``'s dtype.

        Raises:
          ValueError: if ``x`` or the state does not have width ``m``.
        """
        x = check_matrix(self, x, floating=True)
        mean = jax.lax.stop_gradient(jnp.asarray(params.mean))
        components = jax.lax.stop_gradient(jnp.asarray(params.components))
        if components.shape != (self.D, x.shape[1]) or mean.shape != (x.shape[1],):
            raise ValueError(
                f"{type(self).__name__}: params hold components of shape {components.shape} "
                f"and mean of shape {mean.shape}; x of shape {tuple(x.shape)} needs "
                f"({self.D}, {x.shape[1]}) and ({x.shape[1]},)"
            )
        return ((x - mean.astype(x.dtype)) @ components.T.astype(x.dtype)).astype(x.dtype)


@register(
    family="compression",
    tinybig="incremental_random_projection_based_compression",
    formula="κ(x) = x Rᵀ, R_ij ∈ {±√(1/(s·D)), 0} with P(±) = s/2 each, D = D",
)
@dataclasses.dataclass(frozen=True)
class RandomProjectionCompression(TargetWidth):
    """Sparse random projection compression (Achlioptas / Li et al.).

    ``κ(x) = x Rᵀ, R_ij ∈ {±√(1/(s·D)), 0} with P(±) = s/2 each, D = D``: ``R`` is
    a ``(D, m)`` random matrix whose entries are independently ``+√(1/(s·D))`` or
    ``-√(1/(s·D))`` with probability ``s/2`` each and 0 otherwise, ``s`` being
    ``density`` (``"auto"``: ``1/√m``), the distribution of scikit-learn's
    ``SparseRandomProjection``. ``init`` draws the signs once and stores them as
    int8 (a buffer, never trained); tinyBIG draws a new matrix on every forward
    call, which makes its output change from call to call.

    Args:
      D: the target width, ``1 <= D <= m``.
      density: ``s ∈ (0, 1]``, or ``"auto"`` for ``1/√m``.

    Raises:
      ValueError: if ``D > m``, ``density`` is outside ``(0, 1]``, or the signs do not
        match ``x``.

    References:
      tinyBIG ``incremental_random_projection_based_compression``; Achlioptas, D.
      "Database-friendly random projections", JCSS 2003; Li, P. et al. "Very sparse
      random projections", KDD 2006; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax, jax.numpy as jnp
    >>> f = RandomProjectionCompression(3)
    >>> signs = f.init(jax.random.key(0), 16)
    >>> signs.shape, signs.dtype, f.apply(signs, jnp.ones((2, 16))).shape
    ((3, 16), dtype('int8'), (2, 3))
    """

    D: int
    _: dataclasses.KW_ONLY
    density: float | str = "auto"

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.density != "auto":
            object.__setattr__(self, "density", check_float(
                self, "density", self.density, minimum=0.0, maximum=1.0, strict_minimum=True))

    def _density(self, m: int) -> float:
        return 1.0 / math.sqrt(m) if self.density == "auto" else float(self.density)

    def init(self, key: jax.Array, m: int, *, dtype: Any = jnp.float32) -> jax.Array:
        """Draws the signs of ``R``: int8 ``(D, m)`` in ``{-1, 0, 1}``.

        Args:
          key: a PRNG key.
          m: the input width.
          dtype: unused (the signs are int8).

        Returns:
          The signs; ``apply`` scales them by ``√(1/(s·D))``.
        """
        del dtype
        self.calculate_D(m)
        s = self._density(m)
        u = jax.random.uniform(key, (self.D, m))
        return jnp.where(u < s / 2, 1, jnp.where(u < s, -1, 0)).astype(jnp.int8)

    def apply(self, params: jax.Array, x: jax.typing.ArrayLike) -> jax.Array:
        """``x Rᵀ``.

        Args:
          params: the int8 signs from :meth:`init`, ``(D, m)``.
          x: ``(b, m)``.

        Returns:
          ``(b, D)`` in ``x``'s dtype.

        Raises:
          ValueError: if the signs are not ``(D, m)``.
        """
        x = check_matrix(self, x, floating=True)
        m = x.shape[1]
        self.calculate_D(m)
        signs = jnp.asarray(params)
        if signs.shape != (self.D, m):
            raise ValueError(
                f"{type(self).__name__}: params must be the signs of shape ({self.D}, {m}) "
                f"for x of shape {tuple(x.shape)}, got shape {signs.shape}"
            )
        scale = math.sqrt(1.0 / (self._density(m) * self.D))
        return x @ (signs.astype(x.dtype) * jnp.asarray(scale, x.dtype)).T
