"""Polynomial-sequence expansions: Bessel, reverse Bessel, Fibonacci and Lucas
polynomials (D = m·d, each feature's d values side by side)."""

from __future__ import annotations

import dataclasses

import jax
import jax.numpy as jnp

from jaxbig.expansion._recurrence import RecurrenceExpansion
from jaxbig.registry import register

__all__ = ["BesselExpansion", "FibonacciExpansion", "LucasExpansion", "ReverseBesselExpansion"]


@register(
    family="expansion",
    tinybig="bessel_expansion",
    formula="κ(x)_{i,n} = B_n(x_i), B_0 = 1, B_1 = x + 1, B_n = (2n−1)x·B_{n-1} + B_{n-2}, n = 1..d, D = md",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class BesselExpansion(RecurrenceExpansion):
    """Bessel expansion: the Bessel polynomials ``B_n(x) = Σ_k (n+k)!/((n−k)!k!)(x/2)^k``.

    ``κ(x)_{i,n} = B_n(x_i), B_0 = 1, B_1 = x + 1, B_n = (2n−1)x·B_{n-1} + B_{n-2}, n = 1..d, D = md``;
    ``κ(x)_{i,n}`` is column ``i·d + n − 1``.

    Args:
      d: the highest degree ``d ≥ 1``.

    Raises:
      ValueError: if ``d`` is not a positive integer.

    References:
      tinyBIG ``bessel_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024;
      Krall & Frink, "A new class of orthogonal polynomials", 1949.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import BesselExpansion
    >>> BesselExpansion(d=2).apply(None, jnp.array([[1.0]]))
    Array([[2., 7.]], dtype=float32)
    """

    def _start(self, x: jax.Array) -> tuple[jax.Array, jax.Array]:
        return jnp.ones_like(x), x + 1

    def _step(self, n: int, x: jax.Array, p1: jax.Array, p2: jax.Array) -> jax.Array:
        return (2 * n - 1) * x * p1 + p2


@register(
    family="expansion",
    tinybig="reverse_bessel_expansion",
    formula="κ(x)_{i,n} = R_n(x_i), R_0 = 1, R_1 = x + 1, R_n = (2n−1)R_{n-1} + x²R_{n-2}, n = 1..d, D = md",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class ReverseBesselExpansion(RecurrenceExpansion):
    """Reverse Bessel expansion: ``R_n(x) = x^n B_n(1/x)``.

    ``κ(x)_{i,n} = R_n(x_i), R_0 = 1, R_1 = x + 1, R_n = (2n−1)R_{n-1} + x²R_{n-2}, n = 1..d, D = md``;
    ``κ(x)_{i,n}`` is column ``i·d + n − 1``.

    Args:
      d: the highest degree ``d ≥ 1``.

    Raises:
      ValueError: if ``d`` is not a positive integer.

    References:
      tinyBIG ``reverse_bessel_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import ReverseBesselExpansion
    >>> ReverseBesselExpansion(d=2).apply(None, jnp.array([[1.0]]))
    Array([[2., 7.]], dtype=float32)
    """

    def _start(self, x: jax.Array) -> tuple[jax.Array, jax.Array]:
        return jnp.ones_like(x), x + 1

    def _step(self, n: int, x: jax.Array, p1: jax.Array, p2: jax.Array) -> jax.Array:
        return (2 * n - 1) * p1 + x * x * p2


@register(
    family="expansion",
    tinybig="fibonacci_expansion",
    formula="κ(x)_{i,n} = F_n(x_i), F_0 = 0, F_1 = 1, F_n = x·F_{n-1} + F_{n-2}, n = 1..d, D = md",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class FibonacciExpansion(RecurrenceExpansion):
    """Fibonacci expansion: Fibonacci polynomials (``F_n(1)`` are the Fibonacci numbers).

    ``κ(x)_{i,n} = F_n(x_i), F_0 = 0, F_1 = 1, F_n = x·F_{n-1} + F_{n-2}, n = 1..d, D = md``;
    ``κ(x)_{i,n}`` is column ``i·d + n − 1`` (so every feature's first value is 1).

    Args:
      d: the highest degree ``d ≥ 1``.

    Raises:
      ValueError: if ``d`` is not a positive integer.

    References:
      tinyBIG ``fibonacci_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import FibonacciExpansion
    >>> FibonacciExpansion(d=5).apply(None, jnp.array([[1.0]]))
    Array([[1., 1., 2., 3., 5.]], dtype=float32)
    """

    def _start(self, x: jax.Array) -> tuple[jax.Array, jax.Array]:
        return jnp.zeros_like(x), jnp.ones_like(x)

    def _step(self, n: int, x: jax.Array, p1: jax.Array, p2: jax.Array) -> jax.Array:
        return x * p1 + p2


@register(
    family="expansion",
    tinybig="lucas_expansion",
    formula="κ(x)_{i,n} = L_n(x_i), L_0 = 2, L_1 = x, L_n = x·L_{n-1} + L_{n-2}, n = 1..d, D = md",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class LucasExpansion(RecurrenceExpansion):
    """Lucas expansion: Lucas polynomials (``L_n(1)`` are the Lucas numbers).

    ``κ(x)_{i,n} = L_n(x_i), L_0 = 2, L_1 = x, L_n = x·L_{n-1} + L_{n-2}, n = 1..d, D = md``;
    ``κ(x)_{i,n}`` is column ``i·d + n − 1``.

    Args:
      d: the highest degree ``d ≥ 1``.

    Raises:
      ValueError: if ``d`` is not a positive integer.

    References:
      tinyBIG ``lucas_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import LucasExpansion
    >>> LucasExpansion(d=4).apply(None, jnp.array([[1.0]]))
    Array([[1., 3., 4., 7.]], dtype=float32)
    """

    def _start(self, x: jax.Array) -> tuple[jax.Array, jax.Array]:
        return 2 * jnp.ones_like(x), x

    def _step(self, n: int, x: jax.Array, p1: jax.Array, p2: jax.Array) -> jax.Array:
        return x * p1 + p2
