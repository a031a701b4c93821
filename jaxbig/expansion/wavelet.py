"""Discrete wavelet expansions: child wavelets of six mother wavelets at s scales × t shifts.

Every member computes, for each input feature ``x_i`` and each pair ``(s', t')``
with ``s' < s`` and ``t' < t`` (``s'`` outer, as ``itertools.product``)::

    φ_{s',t'}(x_i) = a^{−s'/2} ψ(x_i / a^{s'} − t'·b),

the ``s·t`` values of a feature side by side (column ``i·st + s'·t + t'``), and for
order ``d > 1`` appends the Kronecker powers ``z^{⊗2}, …, z^{⊗d}`` of that row ``z``
(tinyBIG's order). ``D = Σ_{k=1}^d (m·s·t)^k``.
"""

from __future__ import annotations

import abc
import dataclasses
import math

import jax
import jax.numpy as jnp
import numpy as np

from jaxbig.base import check_float, check_int
from jaxbig.expansion._common import (
    ExpansionBase,
    constant,
    kron_powers,
    kron_powers_width,
    per_feature,
    safe_where,
    static_power,
)
from jaxbig.registry import register

__all__ = [
    "BetaWaveletExpansion",
    "DOGWaveletExpansion",
    "HaarWaveletExpansion",
    "MeyerWaveletExpansion",
    "RickerWaveletExpansion",
    "ShannonWaveletExpansion",
]


@dataclasses.dataclass(frozen=True, kw_only=True)
class _WaveletExpansion(ExpansionBase):
    """Child wavelets ``a^{−s'/2} ψ(x/a^{s'} − t'b)``; subclasses define ``ψ``."""

    d: int = 1
    s: int = 1
    t: int = 1
    a: float = 1.0
    b: float = 1.0

    def __post_init__(self) -> None:
        for name in ("d", "s", "t"):
            object.__setattr__(self, name, check_int(self, name, getattr(self, name), minimum=1))
        object.__setattr__(self, "a", check_float(self, "a", self.a, minimum=1.0))
        object.__setattr__(self, "b", check_float(self, "b", self.b, minimum=0.0))

    def _D(self, m: int) -> int:
        return kron_powers_width(m * self.s * self.t, self.d)

    def _expand(self, x: jax.Array) -> jax.Array:
        scales = np.repeat(np.arange(self.s), self.t)  # s' of each (s', t'), s' outer
        shifts = np.tile(np.arange(self.t), self.s)  # t' of each (s', t')
        tau = x[..., None] / constant(self.a**scales, x) - constant(shifts * self.b, x)
        z = per_feature(constant(self.a ** (-scales / 2), x) * self._psi(tau))
        return kron_powers(z, self.d)

    @abc.abstractmethod
    def _psi(self, tau: jax.Array) -> jax.Array:
        """The mother wavelet ψ on ``tau`` of shape ``(b, m, s·t)``."""


@register(
    family="expansion",
    tinybig="harr_wavelet_expansion",
    formula="κ(x) = [a^{−s'/2} ψ(x_i/a^{s'} − t'b)]_{i, s'<s, t'<t} and its ⊗-powers up to d, ψ(τ) = 1 on [0, 1/2), −1 on [1/2, 1), 0 elsewhere",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class HaarWaveletExpansion(_WaveletExpansion):
    """Haar wavelet expansion (tinyBIG spells it "harr").

    ``κ(x) = [a^{−s'/2} ψ(x_i/a^{s'} − t'b)]_{i, s'<s, t'<t} and its ⊗-powers up to d, ψ(τ) = 1 on [0, 1/2), −1 on [1/2, 1), 0 elsewhere``;
    feature ``i``'s ``s·t`` values are at columns ``i·st + s'·t + t'``, followed
    for ``d > 1`` by the Kronecker powers of that row; ``D = Σ_{k=1}^d (mst)^k``.
    Piecewise constant: its gradient is zero almost everywhere.

    Args:
      d: the order ``d ≥ 1`` (Kronecker powers of the order-1 features).
      s: the number of scales ``s ≥ 1``.
      t: the number of shifts ``t ≥ 1``.
      a: the scale base ``a ≥ 1``.
      b: the shift step ``b ≥ 0``.

    Raises:
      ValueError: if a hyperparameter is out of range.

    References:
      tinyBIG ``harr_wavelet_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024;
      Haar, A. "Zur Theorie der orthogonalen Funktionensysteme", 1910.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import HaarWaveletExpansion
    >>> HaarWaveletExpansion(t=2).apply(None, jnp.array([[0.25, 1.75]]))
    Array([[ 1.,  0.,  0., -1.]], dtype=float32)
    """

    def _psi(self, tau: jax.Array) -> jax.Array:
        first = (tau >= 0) & (tau < 0.5)
        second = (tau >= 0.5) & (tau < 1)
        return first.astype(tau.dtype) - second.astype(tau.dtype)


@register(
    family="expansion",
    tinybig="beta_wavelet_expansion",
    formula="κ(x) = [a^{−s'/2} ψ(x_i/a^{s'} − t'b)]_{i, s'<s, t'<t} and its ⊗-powers up to d, ψ(τ) = τ^{α−1}(1−τ)^{β−1}/B(α, β)",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class BetaWaveletExpansion(_WaveletExpansion):
    """Beta wavelet expansion: the Beta(α, β) density as mother wavelet.

    ``κ(x) = [a^{−s'/2} ψ(x_i/a^{s'} − t'b)]_{i, s'<s, t'<t} and its ⊗-powers up to d, ψ(τ) = τ^{α−1}(1−τ)^{β−1}/B(α, β)``;
    columns as in :class:`HaarWaveletExpansion`; ``D = Σ_{k=1}^d (mst)^k``.

    ψ needs ``τ ∈ [0, 1]``. As tinyBIG does, for each ``(s', t')`` the whole
    ``(b, m)`` slice of ``τ`` is passed through the logistic sigmoid unless all of
    it already lies in ``[0, 1]``; so, exactly as in tinyBIG, a row's output can
    depend on the other rows of the batch when every ``τ`` of a slice is in
    ``[0, 1]`` (never for ``t' ≥ 1`` with ``b > 0`` and inputs in ``[0, 1]``, and
    never when any input of the batch falls outside ``[0, 1]``).

    Args:
      d: the order ``d ≥ 1``.
      s: the number of scales ``s ≥ 1``.
      t: the number of shifts ``t ≥ 1``.
      a: the scale base ``a ≥ 1``.
      b: the shift step ``b ≥ 0``.
      alpha: ``α ≥ 1``.
      beta: ``β ≥ 1``.

    Raises:
      ValueError: if a hyperparameter is out of range.

    References:
      tinyBIG ``beta_wavelet_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import BetaWaveletExpansion
    >>> BetaWaveletExpansion(alpha=2.0, beta=2.0).apply(None, jnp.array([[0.5]]))
    Array([[1.5]], dtype=float32)
    """

    alpha: float = 1.0
    beta: float = 1.0

    def __post_init__(self) -> None:
        super().__post_init__()
        for name in ("alpha", "beta"):
            object.__setattr__(self, name, check_float(self, name, getattr(self, name), minimum=1.0))

    def _psi(self, tau: jax.Array) -> jax.Array:
        inside = jnp.all((tau >= 0) & (tau <= 1), axis=(0, 1))
        u = jnp.where(inside, tau, jax.nn.sigmoid(tau))
        log_b = math.lgamma(self.alpha) + math.lgamma(self.beta) - math.lgamma(self.alpha + self.beta)
        density = static_power(u, self.alpha - 1) * static_power(1 - u, self.beta - 1)
        return math.exp(-log_b) * density


@register(
    family="expansion",
    tinybig="shannon_wavelet_expansion",
    formula="κ(x) = [a^{−s'/2} ψ(x_i/a^{s'} − t'b)]_{i, s'<s, t'<t} and its ⊗-powers up to d, ψ(τ) = (sin(2πτ) − sin(πτ))/(πτ), ψ(0) = 1",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class ShannonWaveletExpansion(_WaveletExpansion):
    """Shannon wavelet expansion: the sinc-difference mother wavelet.

    ``κ(x) = [a^{−s'/2} ψ(x_i/a^{s'} − t'b)]_{i, s'<s, t'<t} and its ⊗-powers up to d, ψ(τ) = (sin(2πτ) − sin(πτ))/(πτ), ψ(0) = 1``;
    columns as in :class:`HaarWaveletExpansion`; ``D = Σ_{k=1}^d (mst)^k``. At
    ``τ = 0`` the value is the limit 1 (tinyBIG returns NaN there).

    Args:
      d: the order ``d ≥ 1``.
      s: the number of scales ``s ≥ 1``.
      t: the number of shifts ``t ≥ 1``.
      a: the scale base ``a ≥ 1``.
      b: the shift step ``b ≥ 0``.

    Raises:
      ValueError: if a hyperparameter is out of range.

    References:
      tinyBIG ``shannon_wavelet_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import ShannonWaveletExpansion
    >>> ShannonWaveletExpansion().apply(None, jnp.array([[0.0, 0.5]]))
    Array([[ 1.       , -0.6366198]], dtype=float32)
    """

    def _psi(self, tau: jax.Array) -> jax.Array:
        def sinc_difference(u: jax.Array) -> jax.Array:
            return (jnp.sin(2 * math.pi * u) - jnp.sin(math.pi * u)) / (math.pi * u)

        return safe_where(tau == 0, 1.0, tau, sinc_difference)


@register(
    family="expansion",
    tinybig="ricker_wavelet_expansion",
    formula="κ(x) = [a^{−s'/2} ψ(x_i/a^{s'} − t'b)]_{i, s'<s, t'<t} and its ⊗-powers up to d, ψ(τ) = 2(1 − (τ/σ)²)/(√(3σ)π^{1/4})·exp(−τ²/(2σ²))",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class RickerWaveletExpansion(_WaveletExpansion):
    """Ricker ("Mexican hat") wavelet expansion.

    ``κ(x) = [a^{−s'/2} ψ(x_i/a^{s'} − t'b)]_{i, s'<s, t'<t} and its ⊗-powers up to d, ψ(τ) = 2(1 − (τ/σ)²)/(√(3σ)π^{1/4})·exp(−τ²/(2σ²))``;
    columns as in :class:`HaarWaveletExpansion`; ``D = Σ_{k=1}^d (mst)^k``.

    Args:
      d: the order ``d ≥ 1``.
      s: the number of scales ``s ≥ 1``.
      t: the number of shifts ``t ≥ 1``.
      a: the scale base ``a ≥ 1``.
      b: the shift step ``b ≥ 0``.
      sigma: the width ``σ > 0``.

    Raises:
      ValueError: if a hyperparameter is out of range.

    References:
      tinyBIG ``ricker_wavelet_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import RickerWaveletExpansion
    >>> RickerWaveletExpansion().apply(None, jnp.array([[1.0]]))
    Array([[0.]], dtype=float32)
    """

    sigma: float = 1.0

    def __post_init__(self) -> None:
        super().__post_init__()
        sigma = check_float(self, "sigma", self.sigma, minimum=0.0, strict_minimum=True)
        object.__setattr__(self, "sigma", sigma)

    def _psi(self, tau: jax.Array) -> jax.Array:
        sigma = self.sigma
        amplitude = 2.0 / (math.sqrt(3 * sigma) * math.pi**0.25)
        r = tau / sigma
        return amplitude * (1.0 - r * r) * jnp.exp(-0.5 * r * r)


@register(
    family="expansion",
    tinybig="dog_wavelet_expansion",
    formula="κ(x) = [a^{−s'/2} ψ(x_i/a^{s'} − t'b)]_{i, s'<s, t'<t} and its ⊗-powers up to d, ψ(τ) = N(τ | 0, σ_1) − N(τ | 0, σ_2)",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class DOGWaveletExpansion(_WaveletExpansion):
    """Difference-of-Gaussians (DoG) wavelet expansion.

    ``κ(x) = [a^{−s'/2} ψ(x_i/a^{s'} − t'b)]_{i, s'<s, t'<t} and its ⊗-powers up to d, ψ(τ) = N(τ | 0, σ_1) − N(τ | 0, σ_2)``
    with ``N(τ | 0, σ)`` the normal density; columns as in
    :class:`HaarWaveletExpansion`; ``D = Σ_{k=1}^d (mst)^k``.

    Args:
      d: the order ``d ≥ 1``.
      s: the number of scales ``s ≥ 1``.
      t: the number of shifts ``t ≥ 1``.
      a: the scale base ``a ≥ 1``.
      b: the shift step ``b ≥ 0``.
      sigma_1: ``σ_1 > 0``.
      sigma_2: ``σ_2 > 0``.

    Raises:
      ValueError: if a hyperparameter is out of range.

    References:
      tinyBIG ``dog_wavelet_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import DOGWaveletExpansion
    >>> DOGWaveletExpansion().apply(None, jnp.zeros((1, 1)))
    Array([[0.19947115]], dtype=float32)
    """

    sigma_1: float = 1.0
    sigma_2: float = 2.0

    def __post_init__(self) -> None:
        super().__post_init__()
        for name in ("sigma_1", "sigma_2"):
            value = check_float(self, name, getattr(self, name), minimum=0.0, strict_minimum=True)
            object.__setattr__(self, name, value)

    def _psi(self, tau: jax.Array) -> jax.Array:
        def gauss(sigma: float) -> jax.Array:
            r = tau / sigma
            return jnp.exp(-0.5 * r * r) / math.sqrt(2 * math.pi * sigma**2)

        return gauss(self.sigma_1) - gauss(self.sigma_2)


@register(
    family="expansion",
    tinybig="meyer_wavelet_expansion",
    formula="κ(x) = [a^{−s'/2} ψ(x_i/a^{s'} − t'b)]_{i, s'<s, t'<t} and its ⊗-powers up to d, ψ(τ) = (sin(2πτ/3) + (4/3)τ·cos(4πτ/3))/(πτ − (16π/9)τ³)",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class MeyerWaveletExpansion(_WaveletExpansion):
    """Meyer wavelet expansion.

    ``κ(x) = [a^{−s'/2} ψ(x_i/a^{s'} − t'b)]_{i, s'<s, t'<t} and its ⊗-powers up to d, ψ(τ) = (sin(2πτ/3) + (4/3)τ·cos(4πτ/3))/(πτ − (16π/9)τ³)``;
    columns as in :class:`HaarWaveletExpansion`; ``D = Σ_{k=1}^d (mst)^k``. Where
    the fraction is 0/0 the value is its limit: ``ψ(0) = 2/3 + 4/(3π)`` (tinyBIG's
    special case) and ``ψ(±3/4) = 2/(3π)`` (where tinyBIG returns NaN).

    Args:
      d: the order ``d ≥ 1``.
      s: the number of scales ``s ≥ 1``.
      t: the number of shifts ``t ≥ 1``.
      a: the scale base ``a ≥ 1``.
      b: the shift step ``b ≥ 0``.

    Raises:
      ValueError: if a hyperparameter is out of range.

    References:
      tinyBIG ``meyer_wavelet_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024;
      Meyer, Y. "Wavelets and Operators", 1992.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import MeyerWaveletExpansion
    >>> MeyerWaveletExpansion().apply(None, jnp.array([[0.0, 0.75]]))
    Array([[1.0910798 , 0.21220659]], dtype=float32)
    """

    def _psi(self, tau: jax.Array) -> jax.Array:
        def fraction(u: jax.Array) -> jax.Array:
            numerator = jnp.sin(2 * math.pi / 3 * u) + 4 / 3 * u * jnp.cos(4 * math.pi / 3 * u)
            return numerator / (math.pi * u - 16 * math.pi / 9 * u**3)

        zero = tau == 0
        special = zero | (jnp.abs(tau) == 0.75)
        limit = jnp.where(zero, 2 / 3 + 4 / (3 * math.pi), 2 / (3 * math.pi))
        return safe_where(special, limit, tau, fraction)
