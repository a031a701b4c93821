"""Constant remainders: π(x) = c·1ⁿ, with the zero and one special cases."""

from __future__ import annotations

import dataclasses
from typing import Any

import jax
import jax.numpy as jnp

from jaxbig.base import check_float
from jaxbig.ops import apply_functions
from jaxbig.registry import register
from jaxbig.remainder._common import ParameterFree, check_input, check_no_params, float_dtype

__all__ = ["ConstantRemainder", "OneRemainder", "ZeroRemainder"]


@register(family="remainder", tinybig="constant_remainder", formula="π(x) = σ(c · 1ⁿ)")
@dataclasses.dataclass(frozen=True, kw_only=True)
class ConstantRemainder(ParameterFree):
    """Constant remainder: every input is mapped to the same constant vector.

    π(x) = σ(c · 1ⁿ), where ``c`` is the constant, ``1ⁿ`` the all-ones vector of
    the head's output width ``n``, and σ the composition of
    ``activation_functions`` (the identity by default). The term is parameter-free
    (``l = 0``) and is returned for every row of the batch, shape ``(b, n)``.

    Args:
      c: the constant value.
      activation_functions: functions σ applied to the term, in order (names such
        as ``"relu"`` or hashable callables).

    Raises:
      ValueError: if ``c`` is not a finite real number or an activation is unknown.

    References:
      tinyBIG ``tinybig.remainder.constant_remainder``; Zhang, J. "RPN: Reconciled
      Polynomial Network", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> ConstantRemainder(c=2.0).apply(None, jnp.ones((3, 4)), 5).shape
    (3, 5)
    """

    c: float = 1.0

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "c", check_float(self, "c", self.c))

    def apply(self, w: Any, x: jax.typing.ArrayLike, n: int) -> jax.Array:
        """π(x) for every row of ``x``.

        Args:
          w: ``None`` (no parameters).
          x: input of shape ``(b, m)``; only its batch size and dtype are used.
          n: output width.

        Returns:
          ``σ(c)`` broadcast to shape ``(b, n)``, in ``x``'s floating dtype.

        Raises:
          ValueError: if ``x`` is not 2-D, ``n`` is not positive, or ``w`` is not empty.
        """
        check_no_params(self, w)
        x, n = check_input(self, x, n)
        term = jnp.full((x.shape[0], n), self.c, dtype=float_dtype(x))
        return apply_functions(self.activation_functions, term)


@register(family="remainder", tinybig="zero_remainder", formula="π(x) = σ(0ⁿ)")
@dataclasses.dataclass(frozen=True, kw_only=True)
class ZeroRemainder(ConstantRemainder):
    """Zero remainder: the constant remainder with ``c = 0``.

    π(x) = σ(0ⁿ), where ``0ⁿ`` is the zero vector of the output width ``n`` and σ
    the composition of ``activation_functions`` (the identity by default, so the
    term is zero). Returned for every row: shape ``(b, n)``, where tinyBIG returns
    one vector of shape ``(n,)`` that broadcasts to the same values.

    Args:
      activation_functions: functions σ applied to the term, in order.

    References:
      tinyBIG ``tinybig.remainder.zero_remainder``; Zhang, J. "RPN: Reconciled
      Polynomial Network", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> ZeroRemainder().apply(None, jnp.ones((3, 4)), 5).shape
    (3, 5)
    """

    c: float = dataclasses.field(default=0.0, init=False, repr=False)


@register(family="remainder", tinybig="one_remainder", formula="π(x) = σ(1ⁿ)")
@dataclasses.dataclass(frozen=True, kw_only=True)
class OneRemainder(ConstantRemainder):
    """One remainder: the constant remainder with ``c = 1``.

    π(x) = σ(1ⁿ), where ``1ⁿ`` is the all-ones vector of the output width ``n`` and
    σ the composition of ``activation_functions`` (the identity by default).
    Returned for every row: shape ``(b, n)``.

    Args:
      activation_functions: functions σ applied to the term, in order.

    References:
      tinyBIG ``tinybig.remainder.basic_remainder.one_remainder``; Zhang, J. "RPN:
      Reconciled Polynomial Network", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> OneRemainder().apply(None, jnp.ones((3, 4)), 5).shape
    (3, 5)
    """

    c: float = dataclasses.field(default=1.0, init=False, repr=False)
