"""Reconciliations built on fixed random matrices: random matrix adaption and hypernet."""

from __future__ import annotations

import dataclasses
from typing import Any

import jax

from jaxbig.base import check_matrix
from jaxbig.reconciliation._layout import Shape
from jaxbig.reconciliation._random import _FixedRandom
from jaxbig.registry import register

__all__ = ["RandomMatrixAdaptionReconciliation", "RandomMatrixHypernetReconciliation"]


@register(
    family="reconciliation",
    tinybig="random_matrix_adaption_reconciliation",
    formula="ψ(w) = Λ₁ A Λ₂ Bᵀ, Λ₁ = diag(λ₁), Λ₂ = diag(λ₂)",
)
@dataclasses.dataclass(frozen=True)
class RandomMatrixAdaptionReconciliation(_FixedRandom):
    """Random matrix adaption: learned diagonal scalings of two fixed random matrices.

    ψ(w) = Λ₁ A Λ₂ Bᵀ, Λ₁ = diag(λ₁), Λ₂ = diag(λ₂)

    where ``w`` is split (in this order) into ``λ₁ ∈ ℝ^n`` and ``λ₂ ∈ ℝ^r``
    (``l = n + r``), and ``A ∈ ℝ^{n×r}``, ``B ∈ ℝ^{D×r}`` are fixed standard normal
    matrices drawn, in this order, from the key data in the parameters (never
    trained).
    ``product`` computes ``(((x B) ⊙ λ₂) Aᵀ) ⊙ λ₁`` in ``O(b·r·(n + D))``.

    tinyBIG's documentation writes ``Λ₁ A Λ₁ Bᵀ``, which is ill-formed (``Λ₁`` is
    ``n × n``); its code, and jaxbig, use ``Λ₂`` in the middle.

    Parameters are :class:`~jaxbig.reconciliation.FixedRandomParams` ``(w, key_data)``.

    Args:
      r: the rank, the number of columns of ``A`` and ``B``.

    Raises:
      ValueError: if ``r`` is not a positive integer.

    References:
      tinyBIG 0.2.1, ``tinybig/reconciliation/random_matrix_reconciliation.py``
      (``random_matrix_adaption_reconciliation``).
      Kopiczko, D. J. et al. "VeRA: Vector-based Random Matrix Adaptation", ICLR 2024.
      Zhang, J. "RPN 2", arXiv:2411.11162, 2024.

    >>> import jax
    >>> psi = RandomMatrixAdaptionReconciliation(r=2)
    >>> params = psi.init(jax.random.key(0), 3, 4)
    >>> params.w.shape, params.key_data.dtype
    ((5,), dtype('uint32'))
    >>> psi.apply(params, 3, 4).shape
    (3, 4)
    """

    r: int = 2

    def __post_init__(self) -> None:
        self._positive_ints("r")

    def _layout(self, n: int, D: int) -> tuple[Shape, ...]:
        n, D = self._check_nD(n, D)
        return ((n,), (self.r,))

    def _random_shapes(self, n: int, D: int) -> tuple[Shape, ...]:
        return ((n, self.r), (D, self.r))

    def apply(self, w: Any, n: int, D: int) -> jax.Array:
        (lam1, lam2), (a, b) = self._unpack(w, n, D)
        return (lam1[:, None] * a * lam2) @ b.T

    def product(self, w: Any, x: jax.typing.ArrayLike, n: int, D: int) -> jax.Array:
        (lam1, lam2), (a, b) = self._unpack(w, n, D)
        x = check_matrix(self, x, D)
        lam1, lam2, a, b = (v.astype(x.dtype) for v in (lam1, lam2, a, b))
        return (((x @ b) * lam2) @ a.T) * lam1


@register(
    family="reconciliation",
    tinybig="random_matrix_hypernet_reconciliation",
    formula="ψ(w) = reshape(σ(w P Qᵀ) S Tᵀ)",
)
@dataclasses.dataclass(frozen=True)
class RandomMatrixHypernetReconciliation(_FixedRandom):
    """Random matrix hypernet: a frozen low-rank random MLP maps ``w`` to the ``(n, D)`` matrix.

    ψ(w) = reshape(σ(w P Qᵀ) S Tᵀ)

    where ``w ∈ ℝ^l`` (``l`` is a hyperparameter, independent of ``n`` and ``D``),
    ``σ`` is the logistic sigmoid, and ``P ∈ ℝ^{l×r}``, ``Q ∈ ℝ^{d×r}``,
    ``S ∈ ℝ^{d×r}``, ``T ∈ ℝ^{(n·D)×r}`` (``d = hidden_dim``) are fixed standard
    normal matrices drawn, in this order, from the key data in the parameters; they
    factor the hypernet's layers ``H₁ = P Qᵀ`` and ``H₂ = S Tᵀ``, which are never
    formed. The row vector of length ``n·D`` is reshaped row-major to ``(n, D)``.
    ``product`` forms ψ(w) (``O(n·D·r)``) and multiplies: contracting ``x`` with
    ``T`` directly would cost ``O(b·n·D·r)``.

    Parameters are :class:`~jaxbig.reconciliation.FixedRandomParams` ``(w, key_data)``.

    Args:
      r: the rank of the random factors.
      l: the length of ``w``.
      hidden_dim: the hypernet's hidden width ``d``.

    Raises:
      ValueError: if ``r``, ``l`` or ``hidden_dim`` is not a positive integer.

    References:
      tinyBIG 0.2.1, ``tinybig/reconciliation/random_matrix_reconciliation.py``
      (``random_matrix_hypernet_reconciliation``).
      Ha, D., Dai, A., Le, Q. V. "HyperNetworks", ICLR 2017.
      Zhang, J. "RPN 2", arXiv:2411.11162, 2024.

    >>> import jax
    >>> psi = RandomMatrixHypernetReconciliation(r=2, l=5, hidden_dim=10)
    >>> params = psi.init(jax.random.key(0), 3, 4)
    >>> params.w.shape
    (5,)
    >>> psi.apply(params, 3, 4).shape
    (3, 4)
    """

    r: int = 2
    l: int = 64
    hidden_dim: int = 128

    def __post_init__(self) -> None:
        self._positive_ints("r", "l", "hidden_dim")

    def _layout(self, n: int, D: int) -> tuple[Shape, ...]:
        self._check_nD(n, D)
        return ((self.l,),)

    def _random_shapes(self, n: int, D: int) -> tuple[Shape, ...]:
        d, r = self.hidden_dim, self.r
        return ((self.l, r), (d, r), (d, r), (n * D, r))

    def apply(self, w: Any, n: int, D: int) -> jax.Array:
        (vec,), (p, q, s, t) = self._unpack(w, n, D)
        hidden = jax.nn.sigmoid((vec @ p) @ q.T)
        return (t @ (hidden @ s)).reshape(n, D)
