"""Parameterized interdependence: A is a learned matrix, plain or fabricated (seed 001).

``ξ(w) = reshape(w) = W ∈ ℝ^{d×d'}`` with ``(d, d') = (m, m')`` for attribute and
``(b, b')`` for instance functions; the fabricated members build W with a
reconciliation function ψ of :mod:`jaxbig.reconciliation` (``W = ψ(w)``, with ψ's
parameter layout, so tinyBIG weights load as they are).

``apply`` never materialises a structured W: ``x @ W`` is the transpose of ψ's
``product`` (``z ↦ z @ Wᵀ``), taken with :func:`jax.linear_transpose`, which runs
the same factored contractions backwards; ``Wᵀ @ x`` is ``(xᵀ @ W)ᵀ``.
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

import jax

from jaxbig.base import Fabrication
from jaxbig.interdependence._base import output_dtype, transposed_product, named_errors
from jaxbig.interdependence._fabricated import FabricatedBase
from jaxbig.interdependence._sized import SizedBase
from jaxbig.reconciliation import (
    DualLPHMReconciliation,
    HMReconciliation,
    LowRankReconciliation,
    LPHMReconciliation,
    RandomMatrixAdaptionReconciliation,
)
from jaxbig.registry import register

__all__ = [
    "DualLPHMParameterizedInterdependence",
    "HMParameterizedInterdependence",
    "LPHMParameterizedInterdependence",
    "LowRankParameterizedInterdependence",
    "ParameterizedInterdependence",
    "RandomMatrixAdaptionParameterizedInterdependence",
]

_FAMILY = "interdependence"


@register(
    family=_FAMILY,
    tinybig="parameterized_interdependence",
    formula="ξ(w) = reshape(w) = W ∈ ℝ^{m×m'} (ℝ^{b×b'} for instance)",
)
@dataclasses.dataclass(frozen=True)
class ParameterizedInterdependence(FabricatedBase, SizedBase):
    """Parameterized interdependence: A is a learned matrix, reshaped from ``w``.

    ``ξ(w) = reshape(w) = W ∈ ℝ^{m×m'} (ℝ^{b×b'} for instance)``: the learned vector
    ``w`` of length ``l = m·m'`` (attribute) or ``l = b·b'`` (instance) is read
    row-major into A. No data is needed to build A; ``apply`` computes ``x @ W``
    (attribute, ``(b, m')``) or ``Wᵀ @ x`` (instance, ``(b', m)``).

    Args:
      b: number of instances.
      m: number of attributes.
      b_prime: output instances ``b'`` (instance functions); ``None`` means ``b``.
      m_prime: output attributes ``m'`` (attribute functions); ``None`` means ``m``.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: unused (A does not read the data).
      postprocess_functions: functions applied to A (``apply`` then uses the
        materialised A).

    Raises:
      ValueError: if a size is not a positive integer, or the unused one of
        ``b_prime`` / ``m_prime`` differs from ``b`` / ``m``.

    References:
      tinyBIG, ``tinybig/interdependence/parameterized_interdependence.py``
      (``parameterized_interdependence``).
      Zhang, J. "RPN 2: On Interdependence Function Learning Towards Unifying and
      Advancing CNN, RNN, GNN, and Transformer", arXiv:2411.11162, 2024.

    >>> import jax, jax.numpy as jnp
    >>> f = ParameterizedInterdependence(b=2, m=3, m_prime=4)
    >>> w = f.init(jax.random.key(0))
    >>> w.shape, f.calculate_A(w).shape, f.apply(w, jnp.ones((2, 3))).shape
    ((12,), (3, 4), (2, 4))
    """

    def _fabrication_shape(self) -> tuple[int, int]:
        return self._d, self._d_prime()

    def calculate_A(self, w: Any, x: jax.typing.ArrayLike | None = None) -> jax.Array:
        """The learned interdependence matrix ``W = ψ(w)``.

        Args:
          w: the parameters from :meth:`init` (``(l,)``; tinyBIG's ``(1, l)`` loads as is).
          x: optional data ``(b, m)``; not read (its shape is checked if given).

        Returns:
          A, ``(m, m')`` (attribute) or ``(b, b')`` (instance), in ``w``'s dtype.

        Raises:
          ValueError: if ``w`` (or ``x``) has the wrong shape.
        """
        if x is not None:
            self._check_x(x)
        return self._postprocess(self._matrix(w))

    def apply(self, w: Any, x: jax.typing.ArrayLike) -> jax.Array:
        """``x @ W`` (attribute) or ``Wᵀ @ x`` (instance), without forming a structured W.

        Args:
          w: the parameters from :meth:`init`.
          x: the data, shape ``(b, m)``.

        Returns:
          ``(b, m')`` (attribute) or ``(b', m)`` (instance), in ``x``'s dtype.

        Raises:
          ValueError: if ``x`` or ``w`` has the wrong shape.
        """
        x = self._check_x(x)
        if self.postprocess_functions:
            return self._mix(self.calculate_A(w), x)
        x = x.astype(output_dtype(x))
        with named_errors(self):
            if self.is_attribute:
                return transposed_product(self.fabrication(), w, x, *self._fabrication_shape())
            return transposed_product(self.fabrication(), w, x.T, *self._fabrication_shape()).T


@register(
    family=_FAMILY,
    tinybig="lowrank_parameterized_interdependence",
    formula="ξ(w) = A B, A ∈ ℝ^{d×r}, B ∈ ℝ^{r×d'} (d = m or b)",
)
@dataclasses.dataclass(frozen=True)
class LowRankParameterizedInterdependence(ParameterizedInterdependence):
    """Parameterized interdependence with a low-rank matrix.

    ``ξ(w) = A B, A ∈ ℝ^{d×r}, B ∈ ℝ^{r×d'} (d = m or b)``: ``w`` holds ``A`` then
    ``B`` (row-major), ``l = r·(d + d')``, as
    :class:`~jaxbig.reconciliation.LowRankReconciliation`. ``apply`` computes
    ``(x A) B`` in ``O(b·r·(d + d'))``.

    Args:
      b: number of instances.
      m: number of attributes.
      r: the rank.
      b_prime: output instances ``b'``; ``None`` means ``b``.
      m_prime: output attributes ``m'``; ``None`` means ``m``.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: unused.
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if ``r`` is not a positive integer.

    References:
      tinyBIG, ``lowrank_parameterized_interdependence``; RPN 2, arXiv:2411.11162.

    >>> LowRankParameterizedInterdependence(b=2, m=6, r=2).calculate_l()
    24
    """

    _: dataclasses.KW_ONLY
    r: int = 2

    _FABRICATION: ClassVar[type[Fabrication]] = LowRankReconciliation
    _FABRICATION_FIELDS: ClassVar[tuple[str, ...]] = ("r",)


@register(
    family=_FAMILY,
    tinybig="hm_parameterized_interdependence",
    formula="ξ(w) = A ⊗ B, A ∈ ℝ^{p×q}, B ∈ ℝ^{(d/p)×(d'/q)}",
)
@dataclasses.dataclass(frozen=True)
class HMParameterizedInterdependence(ParameterizedInterdependence):
    """Parameterized interdependence with a hypercomplex-multiplication (Kronecker) matrix.

    ``ξ(w) = A ⊗ B, A ∈ ℝ^{p×q}, B ∈ ℝ^{(d/p)×(d'/q)}`` with ``(d, d') = (m, m')``
    (attribute) or ``(b, b')`` (instance): ``w`` holds ``A`` then ``B`` (row-major),
    ``l = p·q + d·d'/(p·q)``, as :class:`~jaxbig.reconciliation.HMReconciliation`
    (the Kronecker product of tinyBIG's formula; its code forms an outer product of
    the flattened factors instead).

    Args:
      b: number of instances.
      m: number of attributes.
      p: rows of ``A``; must divide ``d``.
      q: columns of ``A``; must divide ``d'``; ``None`` means ``p``.
      b_prime: output instances ``b'``; ``None`` means ``b``.
      m_prime: output attributes ``m'``; ``None`` means ``m``.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: unused.
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if ``p`` is missing or does not divide ``d``, or ``q`` does not
        divide ``d'``.

    References:
      tinyBIG, ``hm_parameterized_interdependence``; RPN 2, arXiv:2411.11162.

    >>> HMParameterizedInterdependence(b=2, m=6, p=2, q=3).calculate_l()
    12
    """

    _: dataclasses.KW_ONLY
    p: int
    q: int | None = None

    _FABRICATION: ClassVar[type[Fabrication]] = HMReconciliation
    _FABRICATION_FIELDS: ClassVar[tuple[str, ...]] = ("p", "q")


@register(
    family=_FAMILY,
    tinybig="lphm_parameterized_interdependence",
    formula="ξ(w) = A ⊗ (S T), A ∈ ℝ^{p×q}, S ∈ ℝ^{(d/p)×r}, T ∈ ℝ^{r×(d'/q)}",
)
@dataclasses.dataclass(frozen=True)
class LPHMParameterizedInterdependence(ParameterizedInterdependence):
    """Parameterized interdependence with a low-rank HM (LPHM) matrix.

    ``ξ(w) = A ⊗ (S T), A ∈ ℝ^{p×q}, S ∈ ℝ^{(d/p)×r}, T ∈ ℝ^{r×(d'/q)}``: ``w``
    holds ``A``, ``S``, ``T`` (row-major), ``l = p·q + r·(d/p + d'/q)``, as
    :class:`~jaxbig.reconciliation.LPHMReconciliation`.

    Args:
      b: number of instances.
      m: number of attributes.
      r: the rank of the second factor.
      p: rows of ``A``; must divide ``d``.
      q: columns of ``A``; must divide ``d'``; ``None`` means ``p``.
      b_prime: output instances ``b'``; ``None`` means ``b``.
      m_prime: output attributes ``m'``; ``None`` means ``m``.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: unused.
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if ``r`` or ``p`` is missing, or they do not fit the sizes.

    References:
      tinyBIG, ``lphm_parameterized_interdependence``; RPN 2, arXiv:2411.11162.

    >>> LPHMParameterizedInterdependence(b=2, m=6, r=1, p=2, q=3).calculate_l()
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
    tinybig="dual_lphm_parameterized_interdependence",
    formula=(
        "ξ(w) = (P Q) ⊗ (S T), P ∈ ℝ^{p×r}, Q ∈ ℝ^{r×q}, S ∈ ℝ^{(d/p)×r}, T ∈ ℝ^{r×(d'/q)}"
    ),
)
@dataclasses.dataclass(frozen=True)
class DualLPHMParameterizedInterdependence(ParameterizedInterdependence):
    """Parameterized interdependence with a dual low-rank HM (dual LPHM) matrix.

    ``ξ(w) = (P Q) ⊗ (S T), P ∈ ℝ^{p×r}, Q ∈ ℝ^{r×q}, S ∈ ℝ^{(d/p)×r}, T ∈ ℝ^{r×(d'/q)}``:
    ``w`` holds ``P``, ``Q``, ``S``, ``T`` (row-major),
    ``l = r·(p + q + d/p + d'/q)``, as :class:`~jaxbig.reconciliation.DualLPHMReconciliation`.

    Args:
      b: number of instances.
      m: number of attributes.
      r: the rank of both factors.
      p: rows of ``P Q``; must divide ``d``.
      q: columns of ``P Q``; must divide ``d'``; ``None`` means ``p``.
      b_prime: output instances ``b'``; ``None`` means ``b``.
      m_prime: output attributes ``m'``; ``None`` means ``m``.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: unused.
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if ``r`` or ``p`` is missing, or they do not fit the sizes.

    References:
      tinyBIG, ``dual_lphm_parameterized_interdependence``; RPN 2, arXiv:2411.11162.

    >>> DualLPHMParameterizedInterdependence(b=2, m=6, r=1, p=2, q=3).calculate_l()
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
    tinybig="random_matrix_adaption_parameterized_interdependence",
    formula="ξ(w) = Λ₁ A Λ₂ Bᵀ, A ∈ ℝ^{d×r}, B ∈ ℝ^{d'×r} fixed random",
)
@dataclasses.dataclass(frozen=True)
class RandomMatrixAdaptionParameterizedInterdependence(ParameterizedInterdependence):
    """Parameterized interdependence by random matrix adaption.

    ``ξ(w) = Λ₁ A Λ₂ Bᵀ, A ∈ ℝ^{d×r}, B ∈ ℝ^{d'×r} fixed random``: ``A`` and ``B``
    are fixed standard normal matrices (buffers regenerated from the key data in the
    parameters) and ``w`` holds the learned diagonals ``λ₁ ∈ ℝ^d`` then
    ``λ₂ ∈ ℝ^r``, ``l = d + r``, as
    :class:`~jaxbig.reconciliation.RandomMatrixAdaptionReconciliation`. Parameters
    are ``FixedRandomParams(w, key_data)``.

    Args:
      b: number of instances.
      m: number of attributes.
      r: the rank.
      b_prime: output instances ``b'``; ``None`` means ``b``.
      m_prime: output attributes ``m'``; ``None`` means ``m``.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: unused.
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if ``r`` is not a positive integer.

    References:
      tinyBIG, ``random_matrix_adaption_parameterized_interdependence``;
      Kopiczko, D. J. et al. "VeRA: Vector-based Random Matrix Adaptation", ICLR 2024;
      RPN 2, arXiv:2411.11162.

    >>> import jax
    >>> f = RandomMatrixAdaptionParameterizedInterdependence(b=2, m=6, r=2)
    >>> params = f.init(jax.random.key(0))
    >>> params.w.shape, f.calculate_A(params).shape
    ((8,), (6, 6))
    """

    _: dataclasses.KW_ONLY
    r: int = 2

    _FABRICATION: ClassVar[type[Fabrication]] = RandomMatrixAdaptionReconciliation
    _FABRICATION_FIELDS: ClassVar[tuple[str, ...]] = ("r",)
