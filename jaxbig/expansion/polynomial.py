"""Closed-form polynomial expansions: Taylor (Kronecker powers) and Fourier series."""

from __future__ import annotations

import dataclasses
import math

import jax
import jax.numpy as jnp
import numpy as np

from jaxbig.base import check_float, check_int
from jaxbig.expansion._common import ExpansionBase, constant, kron_powers, kron_powers_width
from jaxbig.registry import register

__all__ = ["FourierExpansion", "TaylorExpansion"]


@register(
    family="expansion",
    tinybig="taylor_expansion",
    formula="κ(x) = [x, x⊗x, ..., x^{⊗d}], D = Σ_{i=1}^d m^i",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class TaylorExpansion(ExpansionBase):
    """Taylor expansion: all monomials of the features up to degree ``d``.

    ``κ(x) = [x, x⊗x, ..., x^{⊗d}], D = Σ_{i=1}^d m^i``, where
    ``x^{⊗k} = x^{⊗(k-1)} ⊗ x`` is the Kronecker power of the row ``x`` (column
    ``a·m + c`` of ``x^{⊗k}`` is ``(x^{⊗(k-1)})_a · x_c``, tinyBIG's order). The
    width grows as ``m^d``: ``m = 784, d = 3`` needs ``D ≈ 4.8e8``.

    Args:
      d: the degree ``d ≥ 1``.

    Raises:
      ValueError: if ``d`` is not a positive integer.

    References:
      tinyBIG ``taylor_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import TaylorExpansion
    >>> TaylorExpansion(d=2).apply(None, jnp.array([[1.0, 2.0]]))
    Array([[1., 2., 1., 2., 2., 4.]], dtype=float32)
    """

    d: int = 2

    def __post_init__(self) -> None:
        object.__setattr__(self, "d", check_int(self, "d", self.d, minimum=1))

    def _D(self, m: int) -> int:
        return kron_powers_width(m, self.d)

    def _expand(self, x: jax.Array) -> jax.Array:
        return kron_powers(x, self.d)


@register(
    family="expansion",
    tinybig="fourier_expansion",
    formula="κ(x) = [cos(2π·1·x/P), sin(2π·1·x/P), ..., cos(2π·N·x/P), sin(2π·N·x/P)], D = 2mN",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class FourierExpansion(ExpansionBase):
    """Fourier expansion: cosine and sine harmonics of period ``P``.

    ``κ(x) = [cos(2π·1·x/P), sin(2π·1·x/P), ..., cos(2π·N·x/P), sin(2π·N·x/P)], D = 2mN``:
    ``2N`` blocks of width ``m``, the cosine block of harmonic ``n`` before its sine
    block.

    Args:
      P: the period ``P > 0``.
      N: the number of harmonics ``N ≥ 1``.

    Raises:
      ValueError: if ``P`` is not positive or ``N`` is not a positive integer.

    References:
      tinyBIG ``fourier_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import FourierExpansion
    >>> FourierExpansion(P=4, N=1).apply(None, jnp.array([[1.0]])).round(6)
    Array([[-0.,  1.]], dtype=float32)
    """

    P: float = 10.0
    N: int = 5

    def __post_init__(self) -> None:
        object.__setattr__(self, "P", check_float(self, "P", self.P, minimum=0.0, strict_minimum=True))
        object.__setattr__(self, "N", check_int(self, "N", self.N, minimum=1))

    def _D(self, m: int) -> int:
        return 2 * m * self.N

    def _expand(self, x: jax.Array) -> jax.Array:
        b, m = x.shape
        harmonics = constant(2 * math.pi * np.arange(1, self.N + 1) / self.P, x)
        angles = harmonics[None, :, None] * x[:, None, :]  # (b, N, m)
        return jnp.stack([jnp.cos(angles), jnp.sin(angles)], axis=2).reshape(b, 2 * self.N * m)
