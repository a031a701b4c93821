"""Products with Kronecker-structured matrices that never materialise the Kronecker product.

For ``A`` of shape ``(p, q)`` and ``B`` of shape ``(s, t)`` the Kronecker product
``A ⊗ B`` has shape ``(p·s, q·t)`` and entries ``(A ⊗ B)[i·s + k, j·t + l] = A[i, j] B[k, l]``.
Reshaping a row ``x`` of width ``q·t`` row-major into ``X`` of shape ``(q, t)`` gives the
identity ``x (A ⊗ B)ᵀ = vec(A X Bᵀ)``: the product costs ``O(q·t·s + p·q·s)`` (or
``O(p·q·t + p·t·s)``) per row instead of ``O(p·s·q·t)``, and the ``(p·s, q·t)`` matrix
is never formed.

Every function here takes ``x`` of shape ``(b, q·t)`` and returns ``x @ (A ⊗ B).T`` of
shape ``(b, p·s)``; the result has ``x``'s dtype (the factors are cast to it).

Implementation note (XLA on CPU). A contraction with ``B`` is written as one GEMM on
``x`` reshaped to ``(b·q, t)``: the reshape is free (a bitcast of the row-major
buffer), and a single matrix product with ``M = b·q`` rows runs at the GEMM kernel's
full speed. The alternatives measured slower on CPU: a batched dot over the ``q``
blocks (``jnp.matmul`` with ``B`` broadcast to ``(q, s, t)``, or an einsum carrying
``q`` as a batch dimension) runs ``q`` small GEMMs and was 1.5-2x slower in
forward+backward; ``einsum('bqt,st->bqs')`` lowers to the same ``dot_general`` after
XLA collapses the free dimensions but adds nothing. The transpose of this GEMM
(the gradient with respect to ``B``) is again one GEMM, ``(b·q, s)ᵀ @ (b·q, t)``.

References:
  Van Loan, C. F. "The ubiquitous Kronecker product", J. Comput. Appl. Math. 123, 2000.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from jaxbig.base import check_int, check_matrix

__all__ = ["eye_kron_product", "kron_product", "ones_kron_product"]


def _check_factor(owner: str, name: str, a: jax.typing.ArrayLike) -> jax.Array:
    a = jnp.asarray(a)
    if a.ndim != 2:
        raise ValueError(f"{owner}: {name} must be a matrix, got shape {a.shape}")
    return a


def _check_padding(
    owner: str, x: jax.typing.ArrayLike, b: jax.typing.ArrayLike, p: int, q: int
) -> tuple[jax.Array, jax.Array, int, int]:
    """Checked ``x (batch, q·t)``, ``b (s, t)`` and the block counts ``p``, ``q``."""
    p = check_int(owner, "p", p, minimum=1)
    q = check_int(owner, "q", q, minimum=1)
    b = _check_factor(owner, "b", b)
    return check_matrix(owner, x, q * b.shape[1]), b, p, q


def kron_product(x: jax.typing.ArrayLike, a: jax.typing.ArrayLike, b: jax.typing.ArrayLike) -> jax.Array:
    """``x @ (a ⊗ b).T`` without forming ``a ⊗ b``.

    Each row of ``x`` is reshaped to ``X`` of shape ``(q, t)`` and mapped to
    ``vec(a X bᵀ)``. Of the two contraction orders the one with fewer
    multiply-adds is chosen in Python from the static shapes.

    Args:
      x: the input, shape ``(batch, q·t)``.
      a: the left factor, shape ``(p, q)``.
      b: the right factor, shape ``(s, t)``.

    Returns:
      ``x @ (a ⊗ b).T``, shape ``(batch, p·s)``, dtype of ``x``.

    Raises:
      ValueError: if a factor is not a matrix or ``x`` is not of shape ``(batch, q·t)``.

    >>> import jax.numpy as jnp
    >>> x = jnp.ones((2, 6))
    >>> kron_product(x, jnp.ones((4, 2)), jnp.ones((5, 3))).shape
    (2, 20)
    """
    a = _check_factor("kron_product", "a", a)
    b = _check_factor("kron_product", "b", b)
    (p, q), (s, t) = a.shape, b.shape
    x = check_matrix("kron_product", x, q * t)
    batch = x.shape[0]
    a, b = a.astype(x.dtype), b.astype(x.dtype)
    if q * s * (t + p) <= p * t * (q + s):
        # Contract with b first: one GEMM (batch·q, t) @ (t, s), then a over the q blocks.
        z = (x.reshape(batch * q, t) @ b.T).reshape(batch, q, s)
        y = jnp.einsum("pq,bqs->bps", a, z)
    else:
        # Contract with a first (cheaper when p is small), then one GEMM with b.
        z = jnp.einsum("pq,bqt->bpt", a, x.reshape(batch, q, t))
        y = z.reshape(batch * p, t) @ b.T
    return y.reshape(batch, p * s)


def eye_kron_product(x: jax.typing.ArrayLike, b: jax.typing.ArrayLike, p: int, q: int) -> jax.Array:
    """``x @ (I_{p×q} ⊗ b).T`` without forming the block-diagonal matrix.

    ``I_{p×q}`` is the rectangular identity (ones on the main diagonal), so
    ``I_{p×q} ⊗ b`` is block diagonal with ``min(p, q)`` copies of ``b``: output
    block ``i < min(p, q)`` is ``x_i bᵀ`` for the ``i``-th width-``t`` block ``x_i``
    of ``x``; the remaining ``p - min(p, q)`` output blocks are zero and the
    remaining ``q - min(p, q)`` input blocks are unused. The product is a single
    GEMM, ``(batch·min(p, q), t) @ (t, s)``.

    Args:
      x: the input, shape ``(batch, q·t)``.
      b: the diagonal block, shape ``(s, t)``.
      p: the number of block rows.
      q: the number of block columns.

    Returns:
      ``x @ (I_{p×q} ⊗ b).T``, shape ``(batch, p·s)``, dtype of ``x``.

    Raises:
      ValueError: if ``p``, ``q`` are not positive integers, ``b`` is not a matrix,
        or ``x`` is not of shape ``(batch, q·t)``.

    >>> import jax.numpy as jnp
    >>> eye_kron_product(jnp.ones((2, 6)), jnp.ones((4, 3)), 3, 2).shape
    (2, 12)
    """
    x, b, p, q = _check_padding("eye_kron_product", x, b, p, q)
    s, t = b.shape
    batch, m = x.shape[0], min(p, q)
    if m < q:
        x = x[:, : m * t]
    y = (x.reshape(batch * m, t) @ b.astype(x.dtype).T).reshape(batch, m * s)
    if m < p:
        y = jnp.pad(y, ((0, 0), (0, (p - m) * s)))
    return y


def ones_kron_product(x: jax.typing.ArrayLike, b: jax.typing.ArrayLike, p: int, q: int) -> jax.Array:
    """``x @ (1_{p×q} ⊗ b).T`` without forming the tiled matrix.

    Every block row of ``1_{p×q} ⊗ b`` is ``[b, …, b]``, so every output block is
    ``(Σ_j x_j) bᵀ``: the ``q`` input blocks are summed, multiplied once by ``bᵀ``
    and the result is repeated ``p`` times.

    Args:
      x: the input, shape ``(batch, q·t)``.
      b: the repeated block, shape ``(s, t)``.
      p: the number of block rows.
      q: the number of block columns.

    Returns:
      ``x @ (1_{p×q} ⊗ b).T``, shape ``(batch, p·s)``, dtype of ``x``.

    Raises:
      ValueError: if ``p``, ``q`` are not positive integers, ``b`` is not a matrix,
        or ``x`` is not of shape ``(batch, q·t)``.

    >>> import jax.numpy as jnp
    >>> ones_kron_product(jnp.ones((2, 6)), jnp.ones((4, 3)), 3, 2).shape
    (2, 12)
    """
    x, b, p, q = _check_padding("ones_kron_product", x, b, p, q)
    s, t = b.shape
    batch = x.shape[0]
    y = jnp.sum(x.reshape(batch, q, t), axis=1) @ b.astype(x.dtype).T
    return jnp.tile(y, (1, p))
