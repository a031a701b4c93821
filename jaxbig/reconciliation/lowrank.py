"""Low-rank reconciliation (tinyBIG's LoRR): ψ(w) is the product of two thin matrices."""

from __future__ import annotations

import dataclasses
from typing import Any

import jax

from jaxbig.base import check_matrix
from jaxbig.reconciliation._layout import Shape, _Structured
from jaxbig.registry import register

__all__ = ["LowRankReconciliation"]


@register(
    family="reconciliation",
    tinybig="lorr_reconciliation",
    formula="ψ(w) = A B, A ∈ ℝ^{n×r}, B ∈ ℝ^{r×D}",
    aliases=("low_rank_reconciliation",),
)
@dataclasses.dataclass(frozen=True)
class LowRankReconciliation(_Structured):
    """Low-rank reconciliation (LoRR): a rank-``r`` product of two learned matrices.

    ψ(w) = A B, A ∈ ℝ^{n×r}, B ∈ ℝ^{r×D}

    where ``w`` is split (in this order) into ``A`` (``n·r`` entries) and ``B``
    (``r·D`` entries), each reshaped row-major, and ``l = r·(n + D)``. tinyBIG's
    documentation writes ``A Bᵀ`` with ``B ∈ ℝ^{D×r}``; its code (and jaxbig) reads
    the second block row-major as ``r × D``, which is the same product.
    ``product`` computes ``(x Bᵀ) Aᵀ`` in ``O(b·r·(n + D))``.

    Args:
      r: the rank.

    Raises:
      ValueError: if ``r`` is not a positive integer.

    References:
      tinyBIG 0.2.1, ``tinybig/reconciliation/lowrank_reconciliation.py`` (``lorr_reconciliation``).
      Zhang, J. "RPN: Reconciled Polynomial Network", arXiv:2407.04819, 2024.
      Hu, E. J. et al. "LoRA: Low-Rank Adaptation of Large Language Models", ICLR 2022.

    >>> import jax.numpy as jnp
    >>> psi = LowRankReconciliation(r=2)
    >>> psi.calculate_l(3, 4)
    14
    >>> psi.apply(jnp.ones(14), 3, 4)
    Array([[2., 2., 2., 2.],
           [2., 2., 2., 2.],
           [2., 2., 2., 2.]], dtype=float32)
    >>> psi.product(jnp.ones(14), jnp.ones((5, 4)), 3, 4).shape
    (5, 3)
    """

    r: int = 2

    def __post_init__(self) -> None:
        self._positive_ints("r")

    def _layout(self, n: int, D: int) -> tuple[Shape, ...]:
        n, D = self._check_nD(n, D)
        return ((n, self.r), (self.r, D))

    def apply(self, w: Any, n: int, D: int) -> jax.Array:
        a, b = self._parts(w, n, D)
        return a @ b

    def product(self, w: Any, x: jax.typing.ArrayLike, n: int, D: int) -> jax.Array:
        a, b = self._parts(w, n, D)
        x = check_matrix(self, x, D)
        return (x @ b.astype(x.dtype).T) @ a.astype(x.dtype).T
