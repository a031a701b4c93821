"""Parameterized concatenation fusions: concatenate, then project with a fabricated W.

The plain member learns the full projection matrix; the others fabricate it with a
member of :mod:`jaxbig.reconciliation` (low rank, HM, LPHM, dual LPHM, random
matrix adaption) and apply it through that member's structured ``product``, which
never forms the ``(n, Σnᵢ)`` matrix.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator
from typing import Any, ClassVar

import jax
import jax.numpy as jnp

from jaxbig.base import Fabrication, check_int
from jaxbig.fusion._common import ProcessedFusion
from jaxbig.reconciliation import (
    DualLPHMReconciliation,
    HMReconciliation,
    IdentityReconciliation,
    LowRankReconciliation,
    LPHMReconciliation,
    RandomMatrixAdaptionReconciliation,
)
from jaxbig.registry import register

__all__ = [
    "DualLPHMParameterizedConcatenationFusion",
    "HMParameterizedConcatenationFusion",
    "LPHMParameterizedConcatenationFusion",
    "LowRankParameterizedConcatenationFusion",
    "ParameterizedConcatenationFusion",
    "RandomMatrixAdaptionParameterizedConcatenationFusion",
]


@register(
    family="fusion",
    tinybig="parameterized_concatenation_fusion",
    formula="fusion(A₁, …, A_k) = (A₁ ⊔ … ⊔ A_k) Wᵀ, W = reshape(w) ∈ ℝ^{n×Σnᵢ}",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class ParameterizedConcatenationFusion(ProcessedFusion):
    """Parameterized concatenation fusion: concatenate, then a learned projection to n.

    fusion(A₁, …, A_k) = (A₁ ⊔ … ⊔ A_k) Wᵀ, W = reshape(w) ∈ ℝ^{n×Σnᵢ}, where
    ``A₁, …, A_k`` are the inputs (``xs``) of shapes ``(b, n_i)``, ⊔ joins them
    column-wise into ``(b, Σnᵢ)``, ``n`` is the output width and ``w`` the learned
    vector of length ``l = n·Σnᵢ``, read row-major (tinyBIG's layout: the
    fabrication is :class:`~jaxbig.reconciliation.IdentityReconciliation`).

    Args:
      n: the output width. ``None``: the inputs must have equal widths and ``n``
        is that width (as tinyBIG).
      dims: the input widths ``(n_1, …, n_k)``, optional.
      preprocess_functions: functions applied to the inputs first (to the stacked
        inputs when their shapes are equal, else to each).
      postprocess_functions: functions applied to the projection.

    Raises:
      ValueError: if ``n`` is not a positive integer or ``None``; from the methods,
        if ``n`` is ``None`` and the widths differ, or the fabrication does not fit
        ``(n, Σnᵢ)`` (its message is prefixed with this class's name).

    References:
      tinyBIG ``tinybig.fusion.parameterized_concatenation_fusion``; Zhang, J.
      "RPN 2", arXiv:2411.11162, 2024.

    >>> import jax, jax.numpy as jnp
    >>> fusion = ParameterizedConcatenationFusion(n=4)
    >>> w = fusion.init(jax.random.key(0), (2, 3))
    >>> w.shape, fusion.apply(w, [jnp.ones((5, 2)), jnp.ones((5, 3))]).shape
    ((20,), (5, 4))
    """

    n: int | None = None

    #: The fabrication ψ, and the fields passed on to it.
    _FABRICATION: ClassVar[type[Fabrication]] = IdentityReconciliation
    _FABRICATION_FIELDS: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.n is not None:
            object.__setattr__(self, "n", check_int(self, "n", self.n, minimum=1))
        self.fabrication()  # validates the fabrication's hyperparameters
        if self.dims is not None:
            self.calculate_l()  # and, as tinyBIG, that it fits the given dims

    @contextlib.contextmanager
    def _named_errors(self) -> Iterator[None]:
        """Prefixes the fabrication's ValueErrors with this fusion's name."""
        try:
            yield
        except ValueError as error:
            raise self._error(str(error)) from error

    def fabrication(self) -> Fabrication:
        """The parameter fabrication ψ that builds ``W`` of shape ``(n, Σnᵢ)`` from ``w``."""
        kwargs = {name: getattr(self, name) for name in self._FABRICATION_FIELDS}
        with self._named_errors():
            return self._FABRICATION(**kwargs)

    def calculate_n(self, dims: tuple[int, ...] | None = None) -> int:
        """The output width: ``n``, or the common input width when ``n`` is ``None``.

        Raises:
          ValueError: if ``n`` is ``None`` and the widths in ``dims`` differ.
        """
        dims = self._dims(dims)
        return self._equal_width(dims) if self.n is None else self.n

    def _shape(self, dims: Any) -> tuple[int, int]:
        """``(n, D)`` of the fabricated matrix, ``D = Σnᵢ``."""
        return self.calculate_n(dims), sum(self._dims(dims))

    def calculate_l(self, dims: tuple[int, ...] | None = None) -> int:
        """The number of parameters, ``ψ.calculate_l(n, Σnᵢ)``.

        Raises:
          ValueError: if ψ does not fit ``(n, Σnᵢ)`` (e.g. ``p`` does not divide ``n``).
        """
        n, D = self._shape(dims)
        with self._named_errors():
            return self.fabrication().calculate_l(n, D)

    def init(
        self, key: jax.Array, dims: tuple[int, ...] | None = None, *, dtype: Any = jnp.float32
    ) -> Any:
        """Draws the parameters of ψ for an ``(n, Σnᵢ)`` matrix (``ψ.init``).

        Args:
          key: a PRNG key.
          dims: the input widths ``(n_1, …, n_k)``.
          dtype: floating dtype of the trainable parameters.

        Returns:
          ``w`` of shape ``(l,)``, uniform in ±1/√Σnᵢ; for random matrix adaption,
          ``FixedRandomParams(w, key_data)``.
        """
        n, D = self._shape(dims)
        with self._named_errors():
            return self.fabrication().init(key, n, D, dtype=dtype)

    def apply(self, params: Any, xs: Any) -> jax.Array:
        """Concatenates the inputs and projects them: ``ψ.product(w, A₁ ⊔ … ⊔ A_k, n, Σnᵢ)``.

        Args:
          params: the parameters from :meth:`init` (tinyBIG's ``(1, l)`` ``w`` loads as is).
          xs: a sequence of arrays of shapes ``(b, n_i)``, or one ``(k, b, n)`` array.

        Returns:
          The fused array, shape ``(b, n)``, in the inputs' dtype.

        Raises:
          ValueError: if the inputs are not 2-D with one batch size, do not match
            ``dims``, or the parameters do not have ψ's shape.
        """
        xs = self._listed(xs)
        n, D = self._shape(tuple(x.shape[1] for x in xs))
        x = jnp.concatenate(xs, axis=-1)
        with self._named_errors():
            fused = self.fabrication().product(params, x, n, D)
        return self._output(fused)


@register(
    family="fusion",
    tinybig="lowrank_parameterized_concatenation_fusion",
    formula="fusion(A₁, …, A_k) = (A₁ ⊔ … ⊔ A_k) Wᵀ, W = U V, U ∈ ℝ^{n×r}, V ∈ ℝ^{r×Σnᵢ}",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class LowRankParameterizedConcatenationFusion(ParameterizedConcatenationFusion):
    """Parameterized concatenation fusion with a low-rank projection.

    fusion(A₁, …, A_k) = (A₁ ⊔ … ⊔ A_k) Wᵀ, W = U V, U ∈ ℝ^{n×r}, V ∈ ℝ^{r×Σnᵢ},
    where ``A₁, …, A_k`` are the inputs (``xs``) of shapes ``(b, n_i)``, ``n`` the
    output width and ``r`` the rank; ``w`` holds ``U`` then ``V`` (row-major),
    ``l = r·(n + Σnᵢ)``, as :class:`~jaxbig.reconciliation.LowRankReconciliation`,
    whose product costs ``O(b·r·(n + Σnᵢ))``.

    Args:
      r: the rank.
      n, dims, preprocess_functions, postprocess_functions: as in
        :class:`ParameterizedConcatenationFusion`.

    References:
      tinyBIG ``tinybig.fusion.lowrank_parameterized_concatenation_fusion``; Zhang, J.
      "RPN 2", arXiv:2411.11162, 2024.

    >>> import jax
    >>> LowRankParameterizedConcatenationFusion(r=2, n=4).calculate_l((2, 3))
    18
    """

    r: int = 2

    _FABRICATION: ClassVar[type[Fabrication]] = LowRankReconciliation
    _FABRICATION_FIELDS: ClassVar[tuple[str, ...]] = ("r",)


@dataclasses.dataclass(frozen=True, kw_only=True)
class _Kronecker(ParameterizedConcatenationFusion):
    """Shared ``p``, ``q`` of the Kronecker members; ``q`` defaults to ``p`` (as tinyBIG)."""

    p: int
    q: int | None = None

    def __post_init__(self) -> None:
        if self.q is None:
            object.__setattr__(self, "q", self.p)
        super().__post_init__()


@register(
    family="fusion",
    tinybig="hm_parameterized_concatenation_fusion",
    formula=(
        "fusion(A₁, …, A_k) = (A₁ ⊔ … ⊔ A_k) Wᵀ, W = B ⊗ C, B ∈ ℝ^{p×q}, C ∈ ℝ^{(n/p)×(Σnᵢ/q)}"
    ),
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class HMParameterizedConcatenationFusion(_Kronecker):
    """Parameterized concatenation fusion with a hypercomplex-multiplication (HM) projection.

    fusion(A₁, …, A_k) = (A₁ ⊔ … ⊔ A_k) Wᵀ, W = B ⊗ C, B ∈ ℝ^{p×q}, C ∈ ℝ^{(n/p)×(Σnᵢ/q)},
    where ``A₁, …, A_k`` are the inputs (``xs``) of shapes ``(b, n_i)`` and ``n``
    the output width; ``w`` holds ``B`` then ``C`` (row-major),
    ``l = p·q + n·Σnᵢ/(p·q)``, as :class:`~jaxbig.reconciliation.HMReconciliation`
    (the Kronecker product of its formula; tinyBIG's code differs, see there).

    Args:
      p: rows of ``B``; must divide ``n``.
      q: columns of ``B``; must divide ``Σnᵢ``. ``None``: ``p``.
      n, dims, preprocess_functions, postprocess_functions: as in
        :class:`ParameterizedConcatenationFusion`.

    Raises:
      ValueError: if ``p`` does not divide ``n`` or ``q`` does not divide ``Σnᵢ``
        (at construction when ``dims`` is given, else in the methods).

    References:
      tinyBIG ``tinybig.fusion.hm_parameterized_concatenation_fusion``; Zhang, J.
      "RPN 2", arXiv:2411.11162, 2024.

    >>> HMParameterizedConcatenationFusion(p=2, n=4).calculate_l((2, 4))
    10
    """

    _FABRICATION: ClassVar[type[Fabrication]] = HMReconciliation
    _FABRICATION_FIELDS: ClassVar[tuple[str, ...]] = ("p", "q")


@register(
    family="fusion",
    tinybig="lphm_parameterized_concatenation_fusion",
    formula=(
        "fusion(A₁, …, A_k) = (A₁ ⊔ … ⊔ A_k) Wᵀ, W = B ⊗ (S T), B ∈ ℝ^{p×q}, "
        "S ∈ ℝ^{(n/p)×r}, T ∈ ℝ^{r×(Σnᵢ/q)}"
    ),
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class LPHMParameterizedConcatenationFusion(_Kronecker):
    """Parameterized concatenation fusion with a low-rank HM (LPHM) projection.

    fusion(A₁, …, A_k) = (A₁ ⊔ … ⊔ A_k) Wᵀ, W = B ⊗ (S T), B ∈ ℝ^{p×q}, S ∈ ℝ^{(n/p)×r}, T ∈ ℝ^{r×(Σnᵢ/q)},
    where ``A₁, …, A_k`` are the inputs (``xs``) of shapes ``(b, n_i)``, ``n`` the
    output width and ``r`` the rank; ``w`` holds ``B``, ``S``, ``T`` (row-major),
    ``l = p·q + r·(n/p + Σnᵢ/q)``, as :class:`~jaxbig.reconciliation.LPHMReconciliation`.

    Args:
      r: the rank of the second factor.
      p: rows of ``B``; must divide ``n``.
      q: columns of ``B``; must divide ``Σnᵢ``. ``None``: ``p``.
      n, dims, preprocess_functions, postprocess_functions: as in
        :class:`ParameterizedConcatenationFusion`.

    References:
      tinyBIG ``tinybig.fusion.lphm_parameterized_concatenation_fusion``; Zhang, J.
      "RPN 2", arXiv:2411.11162, 2024.

    >>> LPHMParameterizedConcatenationFusion(r=1, p=2, n=4).calculate_l((2, 4))
    9
    """

    r: int

    _FABRICATION: ClassVar[type[Fabrication]] = LPHMReconciliation
    _FABRICATION_FIELDS: ClassVar[tuple[str, ...]] = ("p", "q", "r")


@register(
    family="fusion",
    tinybig="dual_lphm_parameterized_concatenation_fusion",
    formula=(
        "fusion(A₁, …, A_k) = (A₁ ⊔ … ⊔ A_k) Wᵀ, W = (P Q) ⊗ (S T), P ∈ ℝ^{p×r}, "
        "Q ∈ ℝ^{r×q}, S ∈ ℝ^{(n/p)×r}, T ∈ ℝ^{r×(Σnᵢ/q)}"
    ),
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class DualLPHMParameterizedConcatenationFusion(_Kronecker):
    """Parameterized concatenation fusion with a dual low-rank HM (dual LPHM) projection.

    fusion(A₁, …, A_k) = (A₁ ⊔ … ⊔ A_k) Wᵀ, W = (P Q) ⊗ (S T), P ∈ ℝ^{p×r}, Q ∈ ℝ^{r×q}, S ∈ ℝ^{(n/p)×r}, T ∈ ℝ^{r×(Σnᵢ/q)},
    where ``A₁, …, A_k`` are the inputs (``xs``) of shapes ``(b, n_i)``, ``n`` the
    output width and ``r`` the rank; ``w`` holds ``P``, ``Q``, ``S``, ``T``
    (row-major), ``l = r·(p + q + n/p + Σnᵢ/q)``, as
    :class:`~jaxbig.reconciliation.DualLPHMReconciliation`.

    Args:
      r: the rank of both factors.
      p: rows of ``P Q``; must divide ``n``.
      q: columns of ``P Q``; must divide ``Σnᵢ``. ``None``: ``p``.
      n, dims, preprocess_functions, postprocess_functions: as in
        :class:`ParameterizedConcatenationFusion`.

    References:
      tinyBIG ``tinybig.fusion.dual_lphm_parameterized_concatenation_fusion``; Zhang, J.
      "RPN 2", arXiv:2411.11162, 2024.

    >>> DualLPHMParameterizedConcatenationFusion(r=1, p=2, n=4).calculate_l((2, 4))
    9
    """

    r: int

    _FABRICATION: ClassVar[type[Fabrication]] = DualLPHMReconciliation
    _FABRICATION_FIELDS: ClassVar[tuple[str, ...]] = ("p", "q", "r")


@register(
    family="fusion",
    tinybig="random_matrix_adaption_parameterized_concatenation_fusion",
    formula="fusion(A₁, …, A_k) = (A₁ ⊔ … ⊔ A_k) Wᵀ, W = Λ₁ U Λ₂ Vᵀ, U, V fixed random",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class RandomMatrixAdaptionParameterizedConcatenationFusion(ParameterizedConcatenationFusion):
    """Parameterized concatenation fusion with a random-matrix-adaption projection.

    fusion(A₁, …, A_k) = (A₁ ⊔ … ⊔ A_k) Wᵀ, W = Λ₁ U Λ₂ Vᵀ, U, V fixed random,
    where ``A₁, …, A_k`` are the inputs (``xs``) of shapes ``(b, n_i)``, ``n`` the
    output width, ``U ∈ ℝ^{n×r}`` and ``V ∈ ℝ^{Σnᵢ×r}`` fixed standard normal
    matrices (buffers, regenerated from key data in the parameters), and
    ``Λ₁ = diag(λ₁)``, ``Λ₂ = diag(λ₂)`` learned: ``w`` holds ``λ₁ ∈ ℝⁿ`` then
    ``λ₂ ∈ ℝʳ``, ``l = n + r``, as
    :class:`~jaxbig.reconciliation.RandomMatrixAdaptionReconciliation`.

    Args:
      r: the rank, the number of columns of ``U`` and ``V``.
      n, dims, preprocess_functions, postprocess_functions: as in
        :class:`ParameterizedConcatenationFusion`.

    References:
      tinyBIG ``tinybig.fusion.random_matrix_adaption_parameterized_concatenation_fusion``;
      Kopiczko, D. J. et al. "VeRA: Vector-based Random Matrix Adaptation", ICLR 2024;
      Zhang, J. "RPN 2", arXiv:2411.11162, 2024.

    >>> RandomMatrixAdaptionParameterizedConcatenationFusion(r=2, n=4).calculate_l((2, 3))
    6
    """

    r: int = 2

    _FABRICATION: ClassVar[type[Fabrication]] = RandomMatrixAdaptionReconciliation
    _FABRICATION_FIELDS: ClassVar[tuple[str, ...]] = ("r",)
