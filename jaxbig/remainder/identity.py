"""The identity remainder: π(x) = x."""

from __future__ import annotations

import dataclasses
from typing import Any

import jax

from jaxbig.registry import register
from jaxbig.remainder._common import ParameterFree, check_no_params, check_same_width, identity

__all__ = ["IdentityRemainder"]


@register(family="remainder", tinybig="identity_remainder", formula="π(x) = σ(x), m = n")
@dataclasses.dataclass(frozen=True, kw_only=True)
class IdentityRemainder(ParameterFree):
    """Identity remainder: the input itself, as a residual connection.

    π(x) = σ(x), m = n, where ``x`` is the head's input of width ``m``, ``n`` the
    head's output width (they must be equal), and σ the composition of
    ``activation_functions`` (the identity by default). Parameter-free (``l = 0``).

    Args:
      activation_functions: functions σ applied to the term, in order (names such
        as ``"relu"`` or hashable callables).

    Raises:
      ValueError: from :meth:`calculate_l` and :meth:`apply` when ``m != n``,
        naming both widths.

    References:
      tinyBIG ``tinybig.remainder.identity_remainder``; Zhang, J. "RPN: Reconciled
      Polynomial Network", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> IdentityRemainder(activation_functions="relu").apply(None, jnp.array([[-1.0, 2.0]]), 2)
    Array([[0., 2.]], dtype=float32)
    """

    def calculate_l(self, n: int, m: int) -> int:
        """The number of parameters: 0.

        Raises:
          ValueError: if ``n`` or ``m`` is not a positive integer, or ``m != n``.
        """
        super().calculate_l(n, m)
        check_same_width(self, n, m)
        return 0

    def apply(self, w: Any, x: jax.typing.ArrayLike, n: int) -> jax.Array:
        """π(x) = σ(x).

        Args:
          w: ``None`` (no parameters).
          x: input of shape ``(b, n)``.
          n: output width; must equal ``x``'s width.

        Returns:
          σ(x), shape ``(b, n)``.

        Raises:
          ValueError: if ``x`` is not 2-D, its width is not ``n``, or ``w`` is not empty.
        """
        check_no_params(self, w)
        return identity(self, x, n, self.activation_functions)
