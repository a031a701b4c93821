"""Pairwise computations between the rows of a matrix, safe to differentiate.

The kernel members relate ``n`` vectors, given as the rows of ``v (n, k)``. Squared
Euclidean distances use the Gram matrix (one matmul); other reductions (L1, L∞,
Lp, Canberra) broadcast ``v_i - v_j`` in row blocks under :func:`jax.lax.map` so the
``(n, n, k)`` difference tensor is never held at once. Square roots and powers at 0
use the double-``where`` pattern, so gradients stay finite on the diagonal.
"""

from __future__ import annotations

from typing import Callable

import jax
import jax.numpy as jnp

#: Elements of one block of the broadcast difference tensor (about 16 MiB in float32).
BLOCK_ELEMENTS = 1 << 22

HIGHEST = jax.lax.Precision.HIGHEST


def safe_power(t: jax.Array, p: float) -> jax.Array:
    """``t ** p`` for ``t ≥ 0``, with value and gradient 0 where ``t = 0``."""
    positive = t > 0
    return jnp.where(positive, jnp.where(positive, t, 1.0) ** p, 0.0)


def safe_sqrt(t: jax.Array) -> jax.Array:
    """``sqrt(t)`` for ``t ≥ 0``, with value and gradient 0 where ``t = 0``."""
    return safe_power(t, 0.5)


def gram(v: jax.Array, u: jax.Array | None = None) -> jax.Array:
    """``v @ u.T`` (``u = v`` by default) at full precision, exactly symmetric when ``u = v``."""
    if u is None:
        g = jnp.matmul(v, v.T, precision=HIGHEST)
        return 0.5 * (g + g.T)
    return jnp.matmul(v, u.T, precision=HIGHEST)


def zero_diagonal(a: jax.Array) -> jax.Array:
    """``a`` with its diagonal set to exactly 0."""
    return jnp.where(jnp.eye(a.shape[0], dtype=bool), jnp.zeros((), a.dtype), a)


def squared_distances(v: jax.Array, weights: jax.Array | None = None) -> jax.Array:
    """``Σ_k a_k (v_ik - v_jk)²`` for all row pairs, via the Gram matrix.

    Args:
      v: the vectors as rows, ``(n, k)``.
      weights: optional non-negative weights ``a`` of shape ``(k,)`` (1 when omitted).

    Returns:
      ``(n, n)``, symmetric, non-negative, with an exactly zero diagonal.
    """
    vw = v if weights is None else v * weights
    g = jnp.matmul(vw, v.T, precision=HIGHEST)
    g = 0.5 * (g + g.T)
    norms = jnp.sum(vw * v, axis=1)
    return zero_diagonal(jnp.maximum(norms[:, None] + norms[None, :] - 2.0 * g, 0.0))


def pairwise_reduce(
    v: jax.Array,
    term: Callable[[jax.Array, jax.Array], jax.Array],
    reduce: Callable[..., jax.Array] = jnp.sum,
) -> jax.Array:
    """``reduce_k term(v_ik, v_jk)`` for all row pairs ``(i, j)``.

    Args:
      v: the vectors as rows, ``(n, k)``.
      term: elementwise function of two broadcastable arrays.
      reduce: reduction over the last axis (``jnp.sum``, ``jnp.max``).

    Returns:
      ``(n, n)``.
    """
    n, k = v.shape
    block = max(1, min(n, BLOCK_ELEMENTS // max(n * k, 1)))
    return jax.lax.map(lambda vi: reduce(term(vi[None, :], v), axis=-1), v, batch_size=block)
