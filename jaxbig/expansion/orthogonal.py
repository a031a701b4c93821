"""Classical orthogonal polynomial expansions: Chebyshev, Legendre, Hermite, Laguerre,
Jacobi and Gegenbauer (D = m·d, each feature's d values side by side)."""

from __future__ import annotations

import dataclasses

import jax
import jax.numpy as jnp

from jaxbig.base import check_float
from jaxbig.expansion._recurrence import RecurrenceExpansion
from jaxbig.registry import register

__all__ = [
    "ChebyshevExpansion",
    "GegenbauerExpansion",
    "HermiteExpansion",
    "JacobiExpansion",
    "LaguerreExpansion",
    "LegendreExpansion",
]


@register(
    family="expansion",
    tinybig="chebyshev_expansion",
    formula="κ(x)_{i,n} = T_n(x_i), T_0 = 1, T_1 = x, T_n = 2x·T_{n-1} − T_{n-2}, n = 1..d, D = md",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class ChebyshevExpansion(RecurrenceExpansion):
    """Chebyshev expansion: Chebyshev polynomials of the first kind.

    ``κ(x)_{i,n} = T_n(x_i), T_0 = 1, T_1 = x, T_n = 2x·T_{n-1} − T_{n-2}, n = 1..d, D = md``;
    ``κ(x)_{i,n}`` is column ``i·d + n − 1`` (tinyBIG's order).

    Args:
      d: the highest degree ``d ≥ 1``.

    Raises:
      ValueError: if ``d`` is not a positive integer.

    References:
      tinyBIG ``chebyshev_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import ChebyshevExpansion
    >>> ChebyshevExpansion(d=3).apply(None, jnp.array([[0.5, 2.0]]))
    Array([[ 0.5, -0.5, -1. ,  2. ,  7. , 26. ]], dtype=float32)
    """

    def _start(self, x: jax.Array) -> tuple[jax.Array, jax.Array]:
        return jnp.ones_like(x), x

    def _step(self, n: int, x: jax.Array, p1: jax.Array, p2: jax.Array) -> jax.Array:
        return 2 * x * p1 - p2


@register(
    family="expansion",
    tinybig="legendre_expansion",
    formula="κ(x)_{i,n} = P_n(x_i), P_0 = 1, P_1 = x, P_n = ((2n−1)x·P_{n-1} − (n−1)P_{n-2})/n, n = 1..d, D = md",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class LegendreExpansion(RecurrenceExpansion):
    """Legendre expansion: Legendre polynomials, orthogonal on ``[-1, 1]``.

    ``κ(x)_{i,n} = P_n(x_i), P_0 = 1, P_1 = x, P_n = ((2n−1)x·P_{n-1} − (n−1)P_{n-2})/n, n = 1..d, D = md``;
    ``κ(x)_{i,n}`` is column ``i·d + n − 1``.

    Args:
      d: the highest degree ``d ≥ 1``.

    Raises:
      ValueError: if ``d`` is not a positive integer.

    References:
      tinyBIG ``legendre_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import LegendreExpansion
    >>> LegendreExpansion(d=2).apply(None, jnp.array([[1.0, 0.0]]))
    Array([[ 1. ,  1. ,  0. , -0.5]], dtype=float32)
    """

    def _start(self, x: jax.Array) -> tuple[jax.Array, jax.Array]:
        return jnp.ones_like(x), x

    def _step(self, n: int, x: jax.Array, p1: jax.Array, p2: jax.Array) -> jax.Array:
        return (2 * n - 1) / n * x * p1 - (n - 1) / n * p2


@register(
    family="expansion",
    tinybig="hermite_expansion",
    formula="κ(x)_{i,n} = He_n(x_i), He_0 = 1, He_1 = x, He_n = x·He_{n-1} − (n−1)He_{n-2}, n = 1..d, D = md",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class HermiteExpansion(RecurrenceExpansion):
    """Hermite expansion: the probabilists' Hermite polynomials ``He_n``.

    ``κ(x)_{i,n} = He_n(x_i), He_0 = 1, He_1 = x, He_n = x·He_{n-1} − (n−1)He_{n-2}, n = 1..d, D = md``;
    ``κ(x)_{i,n}`` is column ``i·d + n − 1``. (The physicists' polynomials are
    ``H_n(x) = 2^{n/2} He_n(√2 x)``.)

    Args:
      d: the highest degree ``d ≥ 1``.

    Raises:
      ValueError: if ``d`` is not a positive integer.

    References:
      tinyBIG ``hermite_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import HermiteExpansion
    >>> HermiteExpansion(d=3).apply(None, jnp.array([[2.0]]))
    Array([[2., 3., 2.]], dtype=float32)
    """

    def _start(self, x: jax.Array) -> tuple[jax.Array, jax.Array]:
        return jnp.ones_like(x), x

    def _step(self, n: int, x: jax.Array, p1: jax.Array, p2: jax.Array) -> jax.Array:
        return x * p1 - (n - 1) * p2


@register(
    family="expansion",
    tinybig="laguerre_expansion",
    formula="κ(x)_{i,n} = L^(α)_n(x_i), L_0 = 1, L_1 = 1 + α − x, L_n = ((2n−1+α−x)L_{n-1} − (n−1+α)L_{n-2})/n, n = 1..d, D = md",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class LaguerreExpansion(RecurrenceExpansion):
    """Laguerre expansion: generalized Laguerre polynomials ``L^(α)_n``.

    ``κ(x)_{i,n} = L^(α)_n(x_i), L_0 = 1, L_1 = 1 + α − x, L_n = ((2n−1+α−x)L_{n-1} − (n−1+α)L_{n-2})/n, n = 1..d, D = md``;
    ``κ(x)_{i,n}`` is column ``i·d + n − 1``. ``α = 0`` gives the simple Laguerre
    polynomials.

    This is tinyBIG's documented formula. tinyBIG 0.2.1's code starts the recurrence
    from ``L_1 = x + 1 + α`` instead, which is not a Laguerre polynomial; its outputs
    therefore differ from this function for every degree (a test shows the
    difference on tinyBIG's own outputs).

    Args:
      d: the highest degree ``d ≥ 1``.
      alpha: the parameter ``α`` (a finite real; orthogonality needs ``α > −1``).

    Raises:
      ValueError: if ``d`` is not a positive integer or ``alpha`` is not finite.

    References:
      tinyBIG ``laguerre_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024;
      Abramowitz & Stegun, Handbook of Mathematical Functions, 22.7.12.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import LaguerreExpansion
    >>> LaguerreExpansion(d=2, alpha=0.0).apply(None, jnp.array([[1.0]]))
    Array([[ 0. , -0.5]], dtype=float32)
    """

    alpha: float = 1.0

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "alpha", check_float(self, "alpha", self.alpha))

    def _start(self, x: jax.Array) -> tuple[jax.Array, jax.Array]:
        return jnp.ones_like(x), 1.0 + self.alpha - x

    def _step(self, n: int, x: jax.Array, p1: jax.Array, p2: jax.Array) -> jax.Array:
        return (2 * n - 1 + self.alpha - x) / n * p1 - (n - 1 + self.alpha) / n * p2


@register(
    family="expansion",
    tinybig="jacobi_expansion",
    formula="κ(x)_{i,n} = P^(α,β)_n(x_i), n = 1..d, D = md",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class JacobiExpansion(RecurrenceExpansion):
    """Jacobi expansion: Jacobi polynomials ``P^(α,β)_n``.

    ``κ(x)_{i,n} = P^(α,β)_n(x_i), n = 1..d, D = md``; ``κ(x)_{i,n}`` is column
    ``i·d + n − 1``. With ``s = 2n + α + β``::

        P_0 = 1,  P_1 = ((α + β + 2)x + α − β)/2,
        2n(n + α + β)(s − 2) P_n = (s − 1)[s(s − 2)x + α² − β²] P_{n-1}
                                   − 2(n + α − 1)(n + β − 1)s P_{n-2}.

    ``α = β = 0`` gives Legendre polynomials.

    Args:
      d: the highest degree ``d ≥ 1``.
      alpha: ``α > −1``.
      beta: ``β > −1``.

    Raises:
      ValueError: if ``d`` is not a positive integer or ``alpha``/``beta`` is not
        above −1 (where the recurrence can divide by zero).

    References:
      tinyBIG ``jacobi_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024;
      Abramowitz & Stegun, Handbook of Mathematical Functions, 22.7.1.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import JacobiExpansion
    >>> JacobiExpansion(d=2, alpha=0.0, beta=0.0).apply(None, jnp.array([[0.0]]))
    Array([[ 0. , -0.5]], dtype=float32)
    """

    alpha: float = 1.0
    beta: float = 1.0

    def __post_init__(self) -> None:
        super().__post_init__()
        for name in ("alpha", "beta"):
            value = check_float(self, name, getattr(self, name), minimum=-1.0, strict_minimum=True)
            object.__setattr__(self, name, value)

    def _start(self, x: jax.Array) -> tuple[jax.Array, jax.Array]:
        a, b = self.alpha, self.beta
        return jnp.ones_like(x), (a - b + (a + b + 2) * x) / 2

    def _step(self, n: int, x: jax.Array, p1: jax.Array, p2: jax.Array) -> jax.Array:
        a, b = self.alpha, self.beta
        s = 2 * n + a + b
        c1 = 2 * n * (n + a + b) * (s - 2)
        c2 = (s - 1) * s * (s - 2)
        c3 = (s - 1) * (a * a - b * b)
        c4 = 2 * (n + a - 1) * (n + b - 1) * s
        return (c2 / c1 * x + c3 / c1) * p1 - c4 / c1 * p2


@register(
    family="expansion",
    tinybig="gegenbauer_expansion",
    formula="κ(x)_{i,n} = C^(α)_n(x_i), C_0 = 1, C_1 = 2αx, C_n = (2x(n−1+α)C_{n-1} − (n+2α−2)C_{n-2})/n, n = 1..d, D = md",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class GegenbauerExpansion(RecurrenceExpansion):
    """Gegenbauer (ultraspherical) expansion: polynomials ``C^(α)_n``.

    ``κ(x)_{i,n} = C^(α)_n(x_i), C_0 = 1, C_1 = 2αx, C_n = (2x(n−1+α)C_{n-1} − (n+2α−2)C_{n-2})/n, n = 1..d, D = md``;
    ``κ(x)_{i,n}`` is column ``i·d + n − 1``. ``α = 1/2`` gives Legendre and
    ``α = 1`` Chebyshev polynomials of the second kind.

    Args:
      d: the highest degree ``d ≥ 1``.
      alpha: ``α`` (a finite real; orthogonality needs ``α > −1/2``).

    Raises:
      ValueError: if ``d`` is not a positive integer or ``alpha`` is not finite.

    References:
      tinyBIG ``gegenbauer_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024;
      Abramowitz & Stegun, Handbook of Mathematical Functions, 22.7.3.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import GegenbauerExpansion
    >>> GegenbauerExpansion(d=2, alpha=1.0).apply(None, jnp.array([[1.0]]))
    Array([[2., 3.]], dtype=float32)
    """

    alpha: float = 1.0

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "alpha", check_float(self, "alpha", self.alpha))

    def _start(self, x: jax.Array) -> tuple[jax.Array, jax.Array]:
        return jnp.ones_like(x), 2 * self.alpha * x

    def _step(self, n: int, x: jax.Array, p1: jax.Array, p2: jax.Array) -> jax.Array:
        return (n - 1 + self.alpha) / n * 2 * x * p1 - (n - 2 + 2 * self.alpha) / n * p2
