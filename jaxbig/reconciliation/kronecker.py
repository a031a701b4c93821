"""Kronecker-product reconciliations: duplicated (diagonal) padding and the HM family.

Each member fabricates ``ψ(w) = A ⊗ B`` with ``A ∈ ℝ^{p×q}`` and ``B ∈ ℝ^{s×t}``,
``n = p·s`` and ``D = q·t``. ``apply`` builds the matrix with :func:`jax.numpy.kron`;
``product`` computes ``x @ ψ(w).T`` blockwise on ``x`` reshaped to ``(b, q, t)``
(:mod:`jaxbig.ops.kron`), never forming the ``(n, D)`` matrix.

tinyBIG 0.2.1 builds duplicated padding, HM, LPHM and dual LPHM with
``einsum('pq,st->psqt')`` on the flattened ``(1, ·)`` factors followed by ``view``:
that is the outer product of the two flattened factors reshaped to ``(n, D)``, not
the Kronecker product its documentation states, and the two agree only in special
cases (e.g. ``q = 1`` for duplicated padding). Its duplicated diagonal padding
accepts only ``p = q = n``. jaxbig implements the documented Kronecker formulas for
every ``p``, ``q``.
"""

from __future__ import annotations

import abc
import dataclasses
from typing import Any

import jax
import jax.numpy as jnp

from jaxbig.base import check_matrix
from jaxbig.ops.kron import eye_kron_product, kron_product, ones_kron_product
from jaxbig.reconciliation._layout import Shape, _close_factor, _Padded
from jaxbig.registry import register

__all__ = [
    "DualLPHMReconciliation",
    "DuplicatedDiagonalPadding",
    "DuplicatedPadding",
    "HMReconciliation",
    "LPHMReconciliation",
]


class _Kronecker(_Padded):
    """ψ(w) = A ⊗ B for factors ``A (p, q)`` and ``B (s, t)`` built from ``w``."""

    @abc.abstractmethod
    def _kron_layout(self, p: int, q: int, s: int, t: int) -> tuple[Shape, ...]:
        """The shapes ``w`` is split into."""

    @abc.abstractmethod
    def _factors(self, parts: tuple[jax.Array, ...], p: int, q: int) -> tuple[jax.Array, jax.Array]:
        """The factors ``A (p, q)``, ``B (s, t)`` from the split parameters."""

    def _layout(self, n: int, D: int) -> tuple[Shape, ...]:
        return self._kron_layout(*self._pqst(n, D))

    def _kron_factors(self, w: Any, n: int, D: int) -> tuple[jax.Array, jax.Array]:
        p, q, _, _ = self._pqst(n, D)
        return self._factors(self._parts(w, n, D), p, q)

    def apply(self, w: Any, n: int, D: int) -> jax.Array:
        a, b = self._kron_factors(w, n, D)
        return jnp.kron(a, b)

    def product(self, w: Any, x: jax.typing.ArrayLike, n: int, D: int) -> jax.Array:
        a, b = self._kron_factors(w, n, D)
        return kron_product(check_matrix(self, x, D), a, b)


@dataclasses.dataclass(frozen=True)
class _Padding(_Kronecker):
    """Shared fields of the padding members: ``W`` of shape ``(s, t)`` repeated in blocks."""

    p: int = 2
    q: int | None = None

    # Subclasses define ``_constant(p, q, dtype)``, the left factor, and set
    # ``_structured_product`` to its product from jaxbig.ops.kron.

    def __post_init__(self) -> None:
        if self.q is None:
            object.__setattr__(self, "q", self.p)
        self._positive_ints("p", "q")

    def _pq(self, n: int, D: int) -> tuple[int, int]:
        return self.p, self.q

    def _kron_layout(self, p: int, q: int, s: int, t: int) -> tuple[Shape, ...]:
        return ((s, t),)

    def _factors(self, parts: tuple[jax.Array, ...], p: int, q: int) -> tuple[jax.Array, jax.Array]:
        (w,) = parts
        return self._constant(p, q, w.dtype), w

    def product(self, w: Any, x: jax.typing.ArrayLike, n: int, D: int) -> jax.Array:
        x = check_matrix(self, x, D)
        (W,) = self._parts(w, n, D)
        return self._structured_product(x, W, self.p, self.q)


@register(
    family="reconciliation",
    tinybig="duplicated_padding_reconciliation",
    formula="ψ(w) = 1_{p×q} ⊗ W, W = reshape(w) ∈ ℝ^{s×t}",
)
@dataclasses.dataclass(frozen=True)
class DuplicatedPadding(_Padding):
    """Duplicated padding: ``W`` repeated in every block of a ``p × q`` grid.

    ψ(w) = 1_{p×q} ⊗ W, W = reshape(w) ∈ ℝ^{s×t}

    where ``1_{p×q}`` is the ``p × q`` matrix of ones, ``W`` is ``w`` reshaped
    row-major, ``s = n / p``, ``t = D / q`` and ``l = s·t = n·D / (p·q)``.
    ``product`` sums the ``q`` column blocks of ``x``, multiplies once by ``Wᵀ`` and
    repeats the result ``p`` times.

    tinyBIG 0.2.1 reshapes an outer product instead of this Kronecker product; the
    two agree only when ``q = 1`` or ``s = 1``. jaxbig follows the formula.

    Args:
      p: block rows (row duplication count); must divide ``n``.
      q: block columns; must divide ``D``. Defaults to ``p`` (as tinyBIG).

    Raises:
      ValueError: if ``p`` or ``q`` is not a positive integer; at call time if
        ``p`` does not divide ``n`` or ``q`` does not divide ``D``.

    References:
      tinyBIG 0.2.1, ``tinybig/reconciliation/basic_reconciliation.py`` (``duplicated_padding_reconciliation``).
      Zhang, J. "RPN: Reconciled Polynomial Network", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> psi = DuplicatedPadding(p=2, q=3)
    >>> psi.calculate_l(4, 6)
    4
    >>> psi.apply(jnp.arange(4.0), 4, 6)[:2]
    Array([[0., 1., 0., 1., 0., 1.],
           [2., 3., 2., 3., 2., 3.]], dtype=float32)
    >>> psi.product(jnp.arange(4.0), jnp.ones((5, 6)), 4, 6).shape
    (5, 4)
    """

    @staticmethod
    def _constant(p: int, q: int, dtype: Any) -> jax.Array:
        return jnp.ones((p, q), dtype)

    _structured_product = staticmethod(ones_kron_product)


@register(
    family="reconciliation",
    tinybig="duplicated_diagonal_padding_reconciliation",
    formula="ψ(w) = I_{p×q} ⊗ W, W = reshape(w) ∈ ℝ^{s×t}",
)
@dataclasses.dataclass(frozen=True)
class DuplicatedDiagonalPadding(_Padding):
    """Duplicated diagonal padding: ``W`` repeated along the block diagonal.

    ψ(w) = I_{p×q} ⊗ W, W = reshape(w) ∈ ℝ^{s×t}

    where ``I_{p×q}`` is the ``p × q`` (rectangular) identity, ones on the main
    diagonal, ``W`` is ``w`` reshaped row-major, ``s = n / p``, ``t = D / q`` and
    ``l = s·t = n·D / (p·q)``. The result is block diagonal with ``min(p, q)``
    copies of ``W``. ``apply`` uses :func:`jax.numpy.kron`; ``product`` is one GEMM
    on ``x`` reshaped to ``(b·q, t)`` and never touches the zero blocks.

    tinyBIG 0.2.1 accepts only ``p = q = n`` here (and returns a sparse tensor);
    jaxbig implements the formula for every ``p``, ``q``.

    Args:
      p: block rows; must divide ``n``.
      q: block columns; must divide ``D``. Defaults to ``p`` (as tinyBIG).

    Raises:
      ValueError: if ``p`` or ``q`` is not a positive integer; at call time if
        ``p`` does not divide ``n`` or ``q`` does not divide ``D``.

    References:
      tinyBIG 0.2.1, ``tinybig/reconciliation/basic_reconciliation.py`` (``duplicated_diagonal_padding_reconciliation``).
      Zhang, J. "RPN: Reconciled Polynomial Network", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> psi = DuplicatedDiagonalPadding(p=2, q=3)
    >>> psi.calculate_l(4, 6)
    4
    >>> psi.apply(jnp.arange(4.0), 4, 6)
    Array([[0., 1., 0., 0., 0., 0.],
           [2., 3., 0., 0., 0., 0.],
           [0., 0., 0., 1., 0., 0.],
           [0., 0., 2., 3., 0., 0.]], dtype=float32)
    >>> psi.product(jnp.arange(4.0), jnp.ones((5, 6)), 4, 6).shape
    (5, 4)
    """

    @staticmethod
    def _constant(p: int, q: int, dtype: Any) -> jax.Array:
        return jnp.eye(p, q, dtype=dtype)

    _structured_product = staticmethod(eye_kron_product)


@dataclasses.dataclass(frozen=True)
class _HyperComplex(_Kronecker):
    """Shared ``p``, ``q`` of the HM family: omitted ones are the closest factors."""

    p: int | None = None
    q: int | None = None

    def __post_init__(self) -> None:
        self._positive_ints("p", "q", optional=True)

    def _pq(self, n: int, D: int) -> tuple[int, int]:
        p = _close_factor(n) if self.p is None else self.p
        q = _close_factor(D) if self.q is None else self.q
        return p, q


@register(
    family="reconciliation",
    tinybig="hm_reconciliation",
    formula="ψ(w) = A ⊗ B, A ∈ ℝ^{p×q}, B ∈ ℝ^{s×t}",
    aliases=("hypercomplex_multiplication_reconciliation",),
)
@dataclasses.dataclass(frozen=True)
class HMReconciliation(_HyperComplex):
    """Hypercomplex multiplication (HM): the Kronecker product of two learned matrices.

    ψ(w) = A ⊗ B, A ∈ ℝ^{p×q}, B ∈ ℝ^{s×t}

    where ``w`` is split (in this order) into ``A`` (``p·q`` entries) and ``B``
    (``s·t`` entries), each reshaped row-major, ``s = n / p``, ``t = D / q`` and
    ``l = p·q + s·t``.

    tinyBIG 0.2.1 reshapes the outer product of the flattened ``A`` and ``B``
    instead of this Kronecker product; jaxbig follows the formula (same layout
    of ``w``).

    Args:
      p: rows of ``A``; must divide ``n``. ``None``: the largest divisor of ``n``
        not above √n, as tinyBIG.
      q: columns of ``A``; must divide ``D``. ``None``: likewise from ``D``.

    Raises:
      ValueError: if ``p`` or ``q`` is not a positive integer or ``None``; at call
        time if ``p`` does not divide ``n`` or ``q`` does not divide ``D``.

    References:
      tinyBIG 0.2.1, ``tinybig/reconciliation/lowrank_reconciliation.py`` (``hm_reconciliation``).
      Zhang, J. "RPN: Reconciled Polynomial Network", arXiv:2407.04819, 2024.
      Zhang, A. et al. "Beyond Fully-Connected Layers with Quaternions:
      Parameterization of Hypercomplex Multiplications with 1/n Parameters", ICLR 2021.

    >>> import jax.numpy as jnp
    >>> psi = HMReconciliation(p=2, q=3)
    >>> psi.calculate_l(8, 12)
    22
    >>> psi.apply(jnp.ones(22), 8, 12).shape
    (8, 12)
    """

    def _kron_layout(self, p: int, q: int, s: int, t: int) -> tuple[Shape, ...]:
        return ((p, q), (s, t))

    def _factors(self, parts: tuple[jax.Array, ...], p: int, q: int) -> tuple[jax.Array, jax.Array]:
        return parts


@dataclasses.dataclass(frozen=True)
class _LowRankHyperComplex(_HyperComplex):
    """Shared rank ``r`` of LPHM and dual LPHM."""

    r: int = 2

    def __post_init__(self) -> None:
        super().__post_init__()
        self._positive_ints("r")


@register(
    family="reconciliation",
    tinybig="lphm_reconciliation",
    formula="ψ(w) = A ⊗ (S T), A ∈ ℝ^{p×q}, S ∈ ℝ^{s×r}, T ∈ ℝ^{r×t}",
)
@dataclasses.dataclass(frozen=True)
class LPHMReconciliation(_LowRankHyperComplex):
    """Low-rank parameterised hypercomplex multiplication (LPHM).

    ψ(w) = A ⊗ (S T), A ∈ ℝ^{p×q}, S ∈ ℝ^{s×r}, T ∈ ℝ^{r×t}

    where ``w`` is split (in this order) into ``A``, ``S`` and ``T``, each reshaped
    row-major, ``s = n / p``, ``t = D / q`` and ``l = p·q + r·(s + t)``. tinyBIG's
    documentation writes ``S Tᵀ`` with ``T ∈ ℝ^{t×r}``; its code (and jaxbig) reads
    ``T`` row-major as ``r × t``, which is the same product.

    tinyBIG 0.2.1 reshapes an outer product instead of this Kronecker product;
    jaxbig follows the formula (same layout of ``w``).

    Args:
      p: rows of ``A``; must divide ``n``. ``None``: the largest divisor of ``n``
        not above √n, as tinyBIG.
      q: columns of ``A``; must divide ``D``. ``None``: likewise from ``D``.
      r: rank of ``B = S T``.

    Raises:
      ValueError: if ``p``, ``q`` or ``r`` is not a positive integer (``p``, ``q``
        may be ``None``); at call time if ``p`` does not divide ``n`` or ``q`` does
        not divide ``D``.

    References:
      tinyBIG 0.2.1, ``tinybig/reconciliation/lowrank_reconciliation.py`` (``lphm_reconciliation``).
      Zhang, J. "RPN: Reconciled Polynomial Network", arXiv:2407.04819, 2024.
      Zhang, A. et al. "Beyond Fully-Connected Layers with Quaternions:
      Parameterization of Hypercomplex Multiplications with 1/n Parameters", ICLR 2021.

    >>> import jax.numpy as jnp
    >>> psi = LPHMReconciliation(p=2, q=3, r=2)
    >>> psi.calculate_l(8, 12)
    22
    >>> psi.product(jnp.ones(22), jnp.ones((5, 12)), 8, 12).shape
    (5, 8)
    """

    def _kron_layout(self, p: int, q: int, s: int, t: int) -> tuple[Shape, ...]:
        return ((p, q), (s, self.r), (self.r, t))

    def _factors(self, parts: tuple[jax.Array, ...], p: int, q: int) -> tuple[jax.Array, jax.Array]:
        a, s, t = parts
        return a, s @ t


@register(
    family="reconciliation",
    tinybig="dual_lphm_reconciliation",
    formula="ψ(w) = (P Q) ⊗ (S T), P ∈ ℝ^{p×r}, Q ∈ ℝ^{r×q}, S ∈ ℝ^{s×r}, T ∈ ℝ^{r×t}",
)
@dataclasses.dataclass(frozen=True)
class DualLPHMReconciliation(_LowRankHyperComplex):
    """Dual LPHM: both Kronecker factors are low-rank products.

    ψ(w) = (P Q) ⊗ (S T), P ∈ ℝ^{p×r}, Q ∈ ℝ^{r×q}, S ∈ ℝ^{s×r}, T ∈ ℝ^{r×t}

    where ``w`` is split (in this order) into ``P``, ``Q``, ``S`` and ``T``, each
    reshaped row-major, ``s = n / p``, ``t = D / q`` and ``l = r·(p + q + s + t)``.
    tinyBIG's documentation writes ``P Qᵀ`` and ``S Tᵀ``; its code (and jaxbig)
    reads ``Q`` and ``T`` row-major as ``r × q`` and ``r × t``.

    tinyBIG 0.2.1 reshapes an outer product instead of this Kronecker product;
    jaxbig follows the formula (same layout of ``w``).

    Args:
      p: rows of ``P Q``; must divide ``n``. ``None``: the largest divisor of ``n``
        not above √n, as tinyBIG.
      q: columns of ``P Q``; must divide ``D``. ``None``: likewise from ``D``.
      r: rank of both factors.

    Raises:
      ValueError: if ``p``, ``q`` or ``r`` is not a positive integer (``p``, ``q``
        may be ``None``); at call time if ``p`` does not divide ``n`` or ``q`` does
        not divide ``D``.

    References:
      tinyBIG 0.2.1, ``tinybig/reconciliation/lowrank_reconciliation.py`` (``dual_lphm_reconciliation``).
      Zhang, J. "RPN: Reconciled Polynomial Network", arXiv:2407.04819, 2024.
      Zhang, A. et al. "Beyond Fully-Connected Layers with Quaternions:
      Parameterization of Hypercomplex Multiplications with 1/n Parameters", ICLR 2021.

    >>> import jax.numpy as jnp
    >>> psi = DualLPHMReconciliation(p=2, q=3, r=2)
    >>> psi.calculate_l(8, 12)
    26
    >>> psi.apply(jnp.ones(26), 8, 12).shape
    (8, 12)
    """

    def _kron_layout(self, p: int, q: int, s: int, t: int) -> tuple[Shape, ...]:
        return ((p, self.r), (self.r, q), (s, self.r), (self.r, t))

    def _factors(self, parts: tuple[jax.Array, ...], p: int, q: int) -> tuple[jax.Array, jax.Array]:
        pp, qq, s, t = parts
        return pp @ qq, s @ t
