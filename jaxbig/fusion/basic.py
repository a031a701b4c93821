"""Summation fusions: plain, average, fixed weights and learned weights."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp

from jaxbig.base import check_float, check_vector
from jaxbig.fusion._common import ElementwiseFusion, check_no_params
from jaxbig.registry import register

__all__ = [
    "AverageFusion",
    "ParameterizedWeightedSummationFusion",
    "SummationFusion",
    "WeightedSummationFusion",
]


@register(family="fusion", tinybig="summation_fusion", formula="fusion(A₁, …, A_k) = Σᵢ Aᵢ")
@dataclasses.dataclass(frozen=True, kw_only=True)
class SummationFusion(ElementwiseFusion):
    """Summation fusion: adds inputs of equal shape.

    fusion(A₁, …, A_k) = Σᵢ Aᵢ, where ``A₁, …, A_k`` are the ``k`` inputs
    (``xs``), each of shape ``(b, n)``. Parameter-free.

    Args:
      dims: the input widths ``(n, …, n)``, optional (tinyBIG requires it).
      preprocess_functions: functions applied to the stacked inputs first.
      postprocess_functions: functions applied to the sum.

    Raises:
      ValueError: (from the methods) if the input widths differ, naming them.

    References:
      tinyBIG ``tinybig.fusion.summation_fusion``; Zhang, J. "RPN 2",
      arXiv:2411.11162, 2024.

    >>> import jax.numpy as jnp
    >>> SummationFusion().apply(None, [jnp.ones((2, 3)), jnp.ones((2, 3))])
    Array([[2., 2., 2.],
           [2., 2., 2.]], dtype=float32)
    """

    def _combine(self, params: Any, stacked: jax.Array) -> jax.Array:
        check_no_params(self, params)
        return jnp.sum(stacked, axis=0)


@register(
    family="fusion", tinybig="average_fusion", formula="fusion(A₁, …, A_k) = (1/k) Σᵢ Aᵢ"
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class AverageFusion(ElementwiseFusion):
    """Average fusion: the mean of inputs of equal shape.

    fusion(A₁, …, A_k) = (1/k) Σᵢ Aᵢ, where ``A₁, …, A_k`` are the ``k`` inputs
    (``xs``), each of shape ``(b, n)``. Parameter-free. (tinyBIG's
    ``mean_fusion``, the default channel and head fusion, is :class:`MeanFusion`.)

    Args:
      dims: the input widths ``(n, …, n)``, optional (tinyBIG requires it).
      preprocess_functions: functions applied to the stacked inputs first.
      postprocess_functions: functions applied to the average.

    References:
      tinyBIG ``tinybig.fusion.average_fusion``; Zhang, J. "RPN 2",
      arXiv:2411.11162, 2024.

    >>> import jax.numpy as jnp
    >>> AverageFusion().apply(None, [jnp.zeros((1, 2)), jnp.ones((1, 2))])
    Array([[0.5, 0.5]], dtype=float32)
    """

    def _combine(self, params: Any, stacked: jax.Array) -> jax.Array:
        check_no_params(self, params)
        return jnp.mean(stacked, axis=0)


def _weighted_sum(weights: jax.Array, stacked: jax.Array) -> jax.Array:
    return jnp.tensordot(weights.astype(stacked.dtype), stacked, axes=1)


@register(
    family="fusion",
    tinybig="weighted_summation_fusion",
    formula="fusion(A₁, …, A_k) = Σᵢ αᵢ Aᵢ",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class WeightedSummationFusion(ElementwiseFusion):
    """Weighted summation fusion with fixed weights.

    fusion(A₁, …, A_k) = Σᵢ αᵢ Aᵢ, where ``A₁, …, A_k`` are the ``k`` inputs
    (``xs``), each of shape ``(b, n)``, and ``α = weights`` are fixed
    (hyperparameters, not trained). Parameter-free.

    Args:
      weights: the ``k`` weights ``α₁, …, α_k`` (a sequence of finite floats).
      dims: the input widths ``(n, …, n)``, optional; its length must be ``k``.
      preprocess_functions: functions applied to the stacked inputs first.
      postprocess_functions: functions applied to the weighted sum.

    Raises:
      ValueError: if ``weights`` is empty or not finite, or (from the methods) the
        number of inputs is not ``len(weights)``.

    References:
      tinyBIG ``tinybig.fusion.weighted_summation_fusion``; Zhang, J. "RPN 2",
      arXiv:2411.11162, 2024.

    >>> import jax.numpy as jnp
    >>> fusion = WeightedSummationFusion(weights=(2.0, -1.0))
    >>> fusion.apply(None, [jnp.ones((1, 2)), jnp.full((1, 2), 3.0)])
    Array([[-1., -1.]], dtype=float32)
    """

    weights: tuple[float, ...]

    def __post_init__(self) -> None:
        weights = self.weights
        if isinstance(weights, (str, bytes)) or not isinstance(weights, Sequence):
            weights = tuple(jnp.ravel(jnp.asarray(weights)).tolist())  # a tensor of weights
        if not weights:
            raise self._error("weights must be a non-empty sequence of floats")
        object.__setattr__(self, "weights", tuple(check_float(self, "weight", a) for a in weights))
        super().__post_init__()
        if self.dims is not None:
            self._check_count(len(self.dims))

    def _check_count(self, k: int) -> None:
        if k != len(self.weights):
            raise self._error(f"got {k} inputs for {len(self.weights)} weights")

    def calculate_n(self, dims: tuple[int, ...] | None = None) -> int:
        """The output width: the common input width.

        Raises:
          ValueError: if the widths differ or their number is not ``len(weights)``.
        """
        self._check_count(len(self._dims(dims)))
        return super().calculate_n(dims)

    def calculate_l(self, dims: tuple[int, ...] | None = None) -> int:
        """The number of parameters: 0 (the weights are fixed)."""
        self.calculate_n(dims)
        return 0

    def _combine(self, params: Any, stacked: jax.Array) -> jax.Array:
        check_no_params(self, params)
        self._check_count(stacked.shape[0])
        return _weighted_sum(jnp.asarray(self.weights), stacked)


@register(
    family="fusion",
    tinybig="parameterized_weighted_summation_fusion",
    formula="fusion(A₁, …, A_k) = Σᵢ wᵢ Aᵢ",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class ParameterizedWeightedSummationFusion(ElementwiseFusion):
    """Weighted summation fusion with learned weights.

    fusion(A₁, …, A_k) = Σᵢ wᵢ Aᵢ, where ``A₁, …, A_k`` are the ``k`` inputs
    (``xs``), each of shape ``(b, n)``, and ``w`` ∈ ℝᵏ is the learned parameter
    vector (``l = k``).

    Args:
      dims: the input widths ``(n, …, n)``, optional.
      preprocess_functions: functions applied to the stacked inputs first.
      postprocess_functions: functions applied to the weighted sum.

    References:
      tinyBIG ``tinybig.fusion.parameterized_weighted_summation_fusion``; Zhang, J.
      "RPN 2", arXiv:2411.11162, 2024.

    >>> import jax, jax.numpy as jnp
    >>> fusion = ParameterizedWeightedSummationFusion()
    >>> w = fusion.init(jax.random.key(0), (2, 2))
    >>> w, fusion.apply(w, [jnp.zeros((1, 2)), jnp.ones((1, 2))])
    (Array([0.5, 0.5], dtype=float32), Array([[0.5, 0.5]], dtype=float32))
    """

    def calculate_l(self, dims: tuple[int, ...] | None = None) -> int:
        """The number of parameters: ``k``, one weight per input.

        Raises:
          ValueError: if the input widths differ, naming them.
        """
        super().calculate_l(dims)
        return len(self._dims(dims))

    def init(
        self, key: jax.Array, dims: tuple[int, ...] | None = None, *, dtype: Any = jnp.float32
    ) -> jax.Array:
        """The weights ``wᵢ = 1/k``: training starts from the average of the inputs.

        Args:
          key: a PRNG key (unused: the start is deterministic).
          dims: the input widths.
          dtype: floating dtype of ``w``.

        Returns:
          ``w`` of shape ``(k,)``.
        """
        del key
        k = self.calculate_l(dims)
        return jnp.full((k,), 1.0 / k, dtype)

    def _combine(self, params: Any, stacked: jax.Array) -> jax.Array:
        return _weighted_sum(check_vector(self, params, stacked.shape[0], "params"), stacked)
