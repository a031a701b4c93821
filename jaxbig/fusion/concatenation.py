"""Concatenation fusion: the inputs side by side."""

from __future__ import annotations

import dataclasses
from typing import Any

import jax
import jax.numpy as jnp

from jaxbig.fusion._common import ProcessedFusion, check_no_params
from jaxbig.registry import register

__all__ = ["ConcatenationFusion"]


@register(
    family="fusion",
    tinybig="concatenation_fusion",
    formula="fusion(A₁, …, A_k) = A₁ ⊔ A₂ ⊔ … ⊔ A_k",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class ConcatenationFusion(ProcessedFusion):
    """Concatenation fusion: joins the inputs along the feature axis.

    fusion(A₁, …, A_k) = A₁ ⊔ A₂ ⊔ … ⊔ A_k, where ``A₁, …, A_k`` are the ``k``
    inputs (``xs``) of shapes ``(b, n_i)`` and ⊔ joins them column-wise, so the
    output has shape ``(b, n)`` with ``n = Σᵢ n_i``. Parameter-free; the widths
    may differ.

    Args:
      dims: the input widths ``(n_1, …, n_k)``, optional.
      preprocess_functions: functions applied to the inputs first (to the stacked
        inputs when their shapes are equal, else to each).
      postprocess_functions: functions applied to the concatenation.

    References:
      tinyBIG ``tinybig.fusion.concatenation_fusion``; Zhang, J. "RPN 2",
      arXiv:2411.11162, 2024.

    >>> import jax.numpy as jnp
    >>> ConcatenationFusion().apply(None, [jnp.ones((2, 3)), jnp.ones((2, 1))]).shape
    (2, 4)
    """

    def calculate_n(self, dims: tuple[int, ...] | None = None) -> int:
        """The output width ``Σᵢ n_i``."""
        return sum(self._dims(dims))

    def calculate_l(self, dims: tuple[int, ...] | None = None) -> int:
        """The number of parameters: 0."""
        self._dims(dims)
        return 0

    def apply(self, params: Any, xs: Any) -> jax.Array:
        """Concatenates the inputs.

        Args:
          params: ``None`` (no parameters).
          xs: a sequence of arrays of shapes ``(b, n_i)``, or one ``(k, b, n)`` array.

        Returns:
          The concatenation, shape ``(b, Σᵢ n_i)``.

        Raises:
          ValueError: if the inputs are not 2-D with one batch size, or do not
            match ``dims``.
        """
        check_no_params(self, params)
        return self._output(jnp.concatenate(self._listed(xs), axis=-1))
