"""Parameterized bilinear interdependence: A is a learned bilinear form of the data.

``A = Xᵀ W X`` (attribute: ``W ∈ ℝ^{b×b}``, ``A ∈ ℝ^{m×m}``) or ``A = X W Xᵀ``
(instance: ``W ∈ ℝ^{m×m}``, ``A ∈ ℝ^{b×b}``). Writing ``V`` for the related
vectors as rows (``Xᵀ`` or ``X``), ``A = V W Vᵀ = V (V Wᵀ)ᵀ``, and ``V Wᵀ`` is the
fabrication's structured ``product``, so a low-rank or Kronecker W is never formed.
``apply`` also skips A when it can: ``x @ A = (x V) (V Wᵀ)ᵀ`` or ``Aᵀ x = (V Wᵀ)(Vᵀ x)``,
with the association order chosen by flop count.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

import jax

from jaxbig.base import Fabrication
from jaxbig.interdependence._base import INSTANCE, output_dtype
from jaxbig.interdependence._fabricated import FabricatedBase
from jaxbig.reconciliation import (
    DualLPHMReconciliation,
    HMReconciliation,
    LowRankReconciliation,
    LPHMReconciliation,
    RandomMatrixAdaptionReconciliation,
)
from jaxbig.registry import register

__all__ = [
    "DualLPHMParameterizedBilinearInterdependence",
    "HMParameterizedBilinearInterdependence",
    "LPHMParameterizedBilinearInterdependence",
    "LowRankParameterizedBilinearInterdependence",
    "ParameterizedBilinearInterdependence",
    "RandomMatrixAdaptionParameterizedBilinearInterdependence",
]

_FAMILY = "interdependence"


@register(
    family=_FAMILY,
    tinybig="parameterized_bilinear_interdependence",
    formula="ξ(X | w) = Xᵀ W X (attribute) or X W Xᵀ (instance), W = reshape(w)",
)
@dataclasses.dataclass(frozen=True)
class ParameterizedBilinearInterdependence(FabricatedBase):
    """Parameterized bilinear interdependence: a learned bilinear form of the data.

    ``ξ(X | w) = Xᵀ W X (attribute) or X W Xᵀ (instance), W = reshape(w)``: for an
    attribute function ``W ∈ ℝ^{b×b}`` and ``A ∈ ℝ^{m×m}`` (``l = b²``); for an
    instance function ``W ∈ ℝ^{m×m}`` and ``A ∈ ℝ^{b×b}`` (``l = m²``). ``w`` is
    read row-major. A is square: ``b' = b``, ``m' = m``.

    Args:
      b: number of instances.
      m: number of attributes.
      interdependence_type: ``'instance'`` (default, as tinyBIG) or ``'attribute'``
        (or a tinyBIG alias).
      preprocess_functions: functions applied to ``x`` before A is computed (the
        product in ``apply`` uses the raw ``x``, as tinyBIG).
      postprocess_functions: functions applied to A, e.g. a softmax for attention
        (``apply`` then uses the materialised A).

    Raises:
      ValueError: if a size is not a positive integer or the type is unknown.

    References:
      tinyBIG, ``tinybig/interdependence/parameterized_bilinear_interdependence.py``
      (``parameterized_bilinear_interdependence``).
      Zhang, J. "RPN 2: On Interdependence Function Learning Towards Unifying and
      Advancing CNN, RNN, GNN, and Transformer", arXiv:2411.11162, 2024.

    >>> import jax, jax.numpy as jnp
    >>> f = ParameterizedBilinearInterdependence(b=4, m=3)
    >>> w = f.init(jax.random.key(0))
    >>> w.shape, f.calculate_A(w, jnp.ones((4, 3))).shape, f.apply(w, jnp.ones((4, 3))).shape
    ((9,), (4, 4), (4, 3))
    """

    _: dataclasses.KW_ONLY
    interdependence_type: str = INSTANCE

    require_data = True

    def _fabrication_shape(self) -> tuple[int, int]:
        k = self.b if self.is_attribute else self.m
        return k, k

    def _factors(self, w: Any, x: jax.Array) -> tuple[jax.Array, jax.Array]:
        """``V`` (the related vectors as rows) and ``P = V Wᵀ``, so that ``A = V Pᵀ``."""
        v = self._vectors(x.astype(output_dtype(x)))
        return v, self._product(w, v)

    def calculate_A(self, w: Any, x: jax.typing.ArrayLike | None = None) -> jax.Array:
        """The bilinear form ``A = V W Vᵀ`` of the data.

        Args:
          w: the parameters from :meth:`init` (``(l,)``; tinyBIG's ``(1, l)`` loads as is).
          x: the data, shape ``(b, m)``.

        Returns:
          A, ``(m, m)`` (attribute) or ``(b, b)`` (instance), in ``x``'s dtype.

        Raises:
          ValueError: if ``x`` is missing or ``x`` or ``w`` has the wrong shape.
        """
        v, p = self._factors(w, self._require_x(x))
        return self._postprocess(v @ p.T)

    def apply(self, w: Any, x: jax.typing.ArrayLike) -> jax.Array:
        """``x @ A`` (attribute, ``(b, m)``) or ``Aᵀ @ x`` (instance, ``(b, m)``).

        Args:
          w: the parameters from :meth:`init`.
          x: the data, shape ``(b, m)``.

        Raises:
          ValueError: if ``x`` or ``w`` has the wrong shape.
        """
        x = self._check_x(x)
        if self.postprocess_functions:
            return self._mix(self.calculate_A(w, x), x)
        v, p = self._factors(w, x)
        x = x.astype(v.dtype)
        (n, k), rows = v.shape, x.shape[0] if self.is_attribute else x.shape[1]
        if self.is_attribute:  # x @ V @ Pᵀ; x: (rows, n)
            return (x @ v) @ p.T if 2 * rows * k <= n * (k + rows) else x @ (v @ p.T)
        # Aᵀ x = P (Vᵀ x); x: (n, rows)
        return p @ (v.T @ x) if 2 * k * rows <= n * (k + rows) else (p @ v.T) @ x


@register(
    family=_FAMILY,
    tinybig="lowrank_parameterized_bilinear_interdependence",
    formula="ξ(X | w) = Xᵀ W X or X W Xᵀ, W = A B (rank r)",
)
@dataclasses.dataclass(frozen=True)
class LowRankParameterizedBilinearInterdependence(ParameterizedBilinearInterdependence):
    """Parameterized bilinear interdependence with a low-rank form.

    ``ξ(X | w) = Xᵀ W X or X W Xᵀ, W = A B (rank r)``, ``A ∈ ℝ^{k×r}``,
    ``B ∈ ℝ^{r×k}`` with ``k = b`` (attribute) or ``m`` (instance): ``w`` holds
    ``A`` then ``B``, ``l = 2·k·r``, as :class:`~jaxbig.reconciliation.LowRankReconciliation`.
    Then ``A_ξ = (V A)(V Bᵀ)ᵀ``: attention-like scores of rank ``r``.

    Args:
      b: number of instances.
      m: number of attributes.
      r: the rank.
      interdependence_type: ``'instance'`` (default) or ``'attribute'`` (or an alias).
      preprocess_functions: functions applied to ``x`` before A is computed.
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if ``r`` is not a positive integer.

    References:
      tinyBIG, ``lowrank_parameterized_bilinear_interdependence``; RPN 2, arXiv:2411.11162.

    >>> LowRankParameterizedBilinearInterdependence(b=4, m=6, r=2).calculate_l()
    24
    """

    _: dataclasses.KW_ONLY
    r: int = 2

    _FABRICATION: ClassVar[type[Fabrication]] = LowRankReconciliation
    _FABRICATION_FIELDS: ClassVar[tuple[str, ...]] = ("r",)


@register(
    family=_FAMILY,
    tinybig="hm_parameterized_bilinear_interdependence",
    formula="ξ(X | w) = Xᵀ W X or X W Xᵀ, W = A ⊗ B, A ∈ ℝ^{p×q}",
)
@dataclasses.dataclass(frozen=True)
class HMParameterizedBilinearInterdependence(ParameterizedBilinearInterdependence):
    """Parameterized bilinear interdependence with a hypercomplex (Kronecker) form.

    ``ξ(X | w) = Xᵀ W X or X W Xᵀ, W = A ⊗ B, A ∈ ℝ^{p×q}``, ``B ∈ ℝ^{(k/p)×(k/q)}``
    with ``k = b`` (attribute) or ``m`` (instance): ``w`` holds ``A`` then ``B``,
    ``l = p·q + k²/(p·q)``, as :class:`~jaxbig.reconciliation.HMReconciliation`.

    Args:
      b: number of instances.
      m: number of attributes.
      p: rows of ``A``; must divide ``k``.
      q: columns of ``A``; must divide ``k``; ``None`` means ``p``.
      interdependence_type: ``'instance'`` (default) or ``'attribute'`` (or an alias).
      preprocess_functions: functions applied to ``x`` before A is computed.
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if ``p`` is missing or ``p``, ``q`` do not divide ``k``.

    References:
      tinyBIG, ``hm_parameterized_bilinear_interdependence``; RPN 2, arXiv:2411.11162.

    >>> HMParameterizedBilinearInterdependence(b=4, m=6, p=2, q=3).calculate_l()
    12
    """

    _: dataclasses.KW_ONLY
    p: int
    q: int | None = None

    _FABRICATION: ClassVar[type[Fabrication]] = HMReconciliation
    _FABRICATION_FIELDS: ClassVar[tuple[str, ...]] = ("p", "q")


@register(
    family=_FAMILY,
    tinybig="lphm_parameterized_bilinear_interdependence",
    formula="ξ(X | w) = Xᵀ W X or X W Xᵀ, W = A ⊗ (S T), A ∈ ℝ^{p×q}",
)
@dataclasses.dataclass(frozen=True)
class LPHMParameterizedBilinearInterdependence(ParameterizedBilinearInterdependence):
    """Parameterized bilinear interdependence with a low-rank HM (LPHM) form.

    ``ξ(X | w) = Xᵀ W X or X W Xᵀ, W = A ⊗ (S T), A ∈ ℝ^{p×q}``, ``S ∈ ℝ^{(k/p)×r}``,
    ``T ∈ ℝ^{r×(k/q)}`` with ``k = b`` (attribute) or ``m`` (instance): ``w`` holds
    ``A``, ``S``, ``T``, ``l = p·q + r·(k/p + k/q)``, as
    :class:`~jaxbig.reconciliation.LPHMReconciliation`.

    Args:
      b: number of instances.
      m: number of attributes.
      r: the rank of the second factor.
      p: rows of ``A``; must divide ``k``.
      q: columns of ``A``; must divide ``k``; ``None`` means ``p``.
      interdependence_type: ``'instance'`` (default) or ``'attribute'`` (or an alias).
      preprocess_functions: functions applied to ``x`` before A is computed.
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if ``r`` or ``p`` is missing, or they do not fit ``k``.

    References:
      tinyBIG, ``lphm_parameterized_bilinear_interdependence``; RPN 2, arXiv:2411.11162.

    >>> LPHMParameterizedBilinearInterdependence(b=4, m=6, r=1, p=2, q=3).calculate_l()
    11
    """

    _: dataclasses.KW_ONLY
    r: int
    p: int
    q: int | None = None

    _FABRICATION: ClassVar[type[Fabrication]] = LPHMReconciliation
    _FABRICATION_FIELDS: ClassVar[tuple[str, ...]] = ("p", "q", "r")


@register(
    family=_FAMILY,
    tinybig="dual_lphm_parameterized_bilinear_interdependence",
    formula="ξ(X | w) = Xᵀ W X or X W Xᵀ, W = (P Q) ⊗ (S T)",
)
@dataclasses.dataclass(frozen=True)
class DualLPHMParameterizedBilinearInterdependence(ParameterizedBilinearInterdependence):
    """Parameterized bilinear interdependence with a dual low-rank HM (dual LPHM) form.

    ``ξ(X | w) = Xᵀ W X or X W Xᵀ, W = (P Q) ⊗ (S T)``, ``P ∈ ℝ^{p×r}``,
    ``Q ∈ ℝ^{r×q}``, ``S ∈ ℝ^{(k/p)×r}``, ``T ∈ ℝ^{r×(k/q)}`` with ``k = b``
    (attribute) or ``m`` (instance): ``w`` holds ``P``, ``Q``, ``S``, ``T``,
    ``l = r·(p + q + k/p + k/q)``, as :class:`~jaxbig.reconciliation.DualLPHMReconciliation`.

    Args:
      b: number of instances.
      m: number of attributes.
      r: the rank of both factors.
      p: rows of ``P Q``; must divide ``k``.
      q: columns of ``P Q``; must divide ``k``; ``None`` means ``p``.
      interdependence_type: ``'instance'`` (default) or ``'attribute'`` (or an alias).
      preprocess_functions: functions applied to ``x`` before A is computed.
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if ``r`` or ``p`` is missing, or they do not fit ``k``.

    References:
      tinyBIG, ``dual_lphm_parameterized_bilinear_interdependence``; RPN 2, arXiv:2411.11162.

    >>> DualLPHMParameterizedBilinearInterdependence(b=4, m=6, r=1, p=2, q=3).calculate_l()
    10
    """

    _: dataclasses.KW_ONLY
    r: int
    p: int
    q: int | None = None

    _FABRICATION: ClassVar[type[Fabrication]] = DualLPHMReconciliation
    _FABRICATION_FIELDS: ClassVar[tuple[str, ...]] = ("p", "q", "r")


@register(
    family=_FAMILY,
    tinybig="random_matrix_adaption_parameterized_bilinear_interdependence",
    formula="ξ(X | w) = Xᵀ W X or X W Xᵀ, W = Λ₁ A Λ₂ Bᵀ (A, B fixed random)",
)
@dataclasses.dataclass(frozen=True)
class RandomMatrixAdaptionParameterizedBilinearInterdependence(ParameterizedBilinearInterdependence):
    """Parameterized bilinear interdependence by random matrix adaption.

    ``ξ(X | w) = Xᵀ W X or X W Xᵀ, W = Λ₁ A Λ₂ Bᵀ (A, B fixed random)``, with
    ``A, B ∈ ℝ^{k×r}`` fixed standard normal (``k = b`` attribute, ``m`` instance)
    and ``w`` holding the learned diagonals ``λ₁ ∈ ℝ^k`` and ``λ₂ ∈ ℝ^r``
    (``l = k + r``), as :class:`~jaxbig.reconciliation.RandomMatrixAdaptionReconciliation`.
    Parameters are ``FixedRandomParams(w, key_data)``.

    Args:
      b: number of instances.
      m: number of attributes.
      r: the rank.
      interdependence_type: ``'instance'`` (default) or ``'attribute'`` (or an alias).
      preprocess_functions: functions applied to ``x`` before A is computed.
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if ``r`` is not a positive integer.

    References:
      tinyBIG, ``random_matrix_adaption_parameterized_bilinear_interdependence``;
      Kopiczko, D. J. et al. "VeRA", ICLR 2024; RPN 2, arXiv:2411.11162.

    >>> RandomMatrixAdaptionParameterizedBilinearInterdependence(b=4, m=6, r=2).calculate_l()
    8
    """

    _: dataclasses.KW_ONLY
    r: int = 2

    _FABRICATION: ClassVar[type[Fabrication]] = RandomMatrixAdaptionReconciliation
    _FABRICATION_FIELDS: ClassVar[tuple[str, ...]] = ("r",)
