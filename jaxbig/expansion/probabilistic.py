"""Probabilistic expansions: log-densities of fixed distributions, one ``(b, m)`` block each.

Each function is a table of components ``(log-density, parameters, domain map)``.
Distributions supported on ``(0, ∞)`` (χ², gamma, exponential) see the input mapped
into ``(0.001, 1.001)`` by a logistic sigmoid, as tinyBIG does; the others see ``x``.
The parameters and maps are tinyBIG's (its classes take no distribution arguments).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import ClassVar

import jax
import jax.numpy as jnp

from jaxbig.expansion._common import ExpansionBase, blocks
from jaxbig.registry import register

__all__ = [
    "CauchyExpansion",
    "Chi2Expansion",
    "ExponentialExpansion",
    "GammaExpansion",
    "HybridProbabilisticExpansion",
    "LaplaceExpansion",
    "NaiveCauchyExpansion",
    "NaiveChi2Expansion",
    "NaiveExponentialExpansion",
    "NaiveGammaExpansion",
    "NaiveLaplaceExpansion",
    "NaiveNormalExpansion",
    "NormalExpansion",
]


def _normal(u: jax.Array, mu: float, sigma: float) -> jax.Array:
    z = (u - mu) / sigma
    return -0.5 * z * z - (math.log(sigma) + 0.5 * math.log(2 * math.pi))


def _cauchy(u: jax.Array, x0: float, gamma: float) -> jax.Array:
    z = (u - x0) / gamma
    return -jnp.log1p(z * z) - (math.log(math.pi) + math.log(gamma))


def _gamma(u: jax.Array, k: float, rate: float) -> jax.Array:
    out = -rate * u + (k * math.log(rate) - math.lgamma(k))
    return out + (k - 1) * jnp.log(u) if k != 1 else out


def _chi2(u: jax.Array, k: float) -> jax.Array:
    return _gamma(u, k / 2, 0.5)


def _laplace(u: jax.Array, mu: float, scale: float) -> jax.Array:
    return -jnp.abs(u - mu) / scale - math.log(2 * scale)


def _exponential(u: jax.Array, rate: float) -> jax.Array:
    return -rate * u + math.log(rate)


def _identity(x: jax.Array) -> jax.Array:
    return x


def _sigmoid(x: jax.Array) -> jax.Array:
    return jax.nn.sigmoid(x) + 0.001


def _sigmoid_99(x: jax.Array) -> jax.Array:
    return 0.99 * jax.nn.sigmoid(x) + 0.001


Component = tuple[Callable[..., jax.Array], tuple[float, ...], Callable[[jax.Array], jax.Array]]


class _ProbabilisticExpansion(ExpansionBase):
    """``κ(x) = [log p_1(u_1), …, log p_K(u_K)]``, one ``(b, m)`` block per component."""

    _COMPONENTS: ClassVar[tuple[Component, ...]] = ()

    def _D(self, m: int) -> int:
        return len(self._COMPONENTS) * m

    def _expand(self, x: jax.Array) -> jax.Array:
        mapped: dict[Callable[[jax.Array], jax.Array], jax.Array] = {}
        out = []
        for log_pdf, params, domain in self._COMPONENTS:
            if domain not in mapped:
                mapped[domain] = domain(x)
            out.append(log_pdf(mapped[domain], *params))
        return blocks(out)


_NORMALS = tuple(
    (_normal, p, _identity)
    for p in ((0.0, 1.0), (1.0, 1.0), (-1.0, 1.0), (0.0, 0.1), (1.0, 0.1), (-1.0, 0.1))
)
_CAUCHYS = tuple(
    (_cauchy, p, _identity)
    for p in ((0.0, 1.0), (0.0, 0.5), (1.0, 1.0), (1.0, 0.5), (-1.0, 1.0), (-1.0, 0.5))
)
_CHI2S = tuple((_chi2, (k,), _sigmoid) for k in (1.0, 2.0))
_GAMMAS = tuple(
    (_gamma, p, _sigmoid_99)
    for p in ((0.5, 1.0), (0.5, 2.0), (1.0, 1.0), (1.0, 2.0), (2.0, 1.0), (2.0, 2.0))
)
_LAPLACES = tuple(
    (_laplace, p, _identity)
    for p in ((0.0, 1.0), (0.0, 2.0), (1.0, 1.0), (1.0, 2.0), (-1.0, 1.0), (-1.0, 2.0))
)
_EXPONENTIALS = tuple((_exponential, (r,), _sigmoid_99) for r in (0.5, 0.75, 1.0, 2.0, 3.0, 5.0))


@register(family="expansion", tinybig="naive_normal_expansion", formula="κ(x) = log N(x | 0, 1), D = m")
@dataclasses.dataclass(frozen=True, kw_only=True)
class NaiveNormalExpansion(_ProbabilisticExpansion):
    """Naive normal expansion: the standard normal log-density of each feature.

    ``κ(x) = log N(x | 0, 1), D = m``, with
    ``log N(x | μ, σ) = −(x − μ)²/(2σ²) − log σ − log √(2π)``.

    Args:
      (none): the function has no hyperparameters.

    References:
      tinyBIG ``naive_normal_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import NaiveNormalExpansion
    >>> NaiveNormalExpansion().apply(None, jnp.zeros((1, 2)))
    Array([[-0.9189385, -0.9189385]], dtype=float32)
    """

    _COMPONENTS = _NORMALS[:1]


@register(
    family="expansion",
    tinybig="normal_expansion",
    formula="κ(x) = [log N(x | μ_k, σ_k)]_{k=1..6}, (μ, σ) = (0,1), (1,1), (−1,1), (0,0.1), (1,0.1), (−1,0.1), D = 6m",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class NormalExpansion(_ProbabilisticExpansion):
    """Normal expansion: normal log-densities for six (mean, scale) pairs, in blocks.

    ``κ(x) = [log N(x | μ_k, σ_k)]_{k=1..6}, (μ, σ) = (0,1), (1,1), (−1,1), (0,0.1), (1,0.1), (−1,0.1), D = 6m``.

    Args:
      (none): the function has no hyperparameters.

    References:
      tinyBIG ``normal_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import NormalExpansion
    >>> NormalExpansion().apply(None, jnp.zeros((2, 3))).shape
    (2, 18)
    """

    _COMPONENTS = _NORMALS


@register(family="expansion", tinybig="naive_cauchy_expansion", formula="κ(x) = log Cauchy(x | 0, 1), D = m")
@dataclasses.dataclass(frozen=True, kw_only=True)
class NaiveCauchyExpansion(_ProbabilisticExpansion):
    """Naive Cauchy expansion: the standard Cauchy log-density of each feature.

    ``κ(x) = log Cauchy(x | 0, 1), D = m``, with
    ``log Cauchy(x | x0, γ) = −log(πγ) − log(1 + ((x − x0)/γ)²)``.

    Args:
      (none): the function has no hyperparameters.

    References:
      tinyBIG ``naive_cauchy_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import NaiveCauchyExpansion
    >>> NaiveCauchyExpansion().apply(None, jnp.zeros((1, 1)))
    Array([[-1.1447299]], dtype=float32)
    """

    _COMPONENTS = _CAUCHYS[:1]


@register(
    family="expansion",
    tinybig="cauchy_expansion",
    formula="κ(x) = [log Cauchy(x | x0_k, γ_k)]_{k=1..6}, (x0, γ) = (0,1), (0,0.5), (1,1), (1,0.5), (−1,1), (−1,0.5), D = 6m",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class CauchyExpansion(_ProbabilisticExpansion):
    """Cauchy expansion: Cauchy log-densities for six (location, scale) pairs, in blocks.

    ``κ(x) = [log Cauchy(x | x0_k, γ_k)]_{k=1..6}, (x0, γ) = (0,1), (0,0.5), (1,1), (1,0.5), (−1,1), (−1,0.5), D = 6m``.

    Args:
      (none): the function has no hyperparameters.

    References:
      tinyBIG ``cauchy_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import CauchyExpansion
    >>> CauchyExpansion().apply(None, jnp.zeros((2, 3))).shape
    (2, 18)
    """

    _COMPONENTS = _CAUCHYS


@register(
    family="expansion",
    tinybig="naive_chi2_expansion",
    formula="κ(x) = log χ²(u | k=1), u = σ(x) + 0.001, D = m",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class NaiveChi2Expansion(_ProbabilisticExpansion):
    """Naive χ² expansion: the χ²(1) log-density of each squashed feature.

    ``κ(x) = log χ²(u | k=1), u = σ(x) + 0.001, D = m``, with ``σ`` the logistic
    sigmoid (mapping into the support, tinyBIG's rule) and
    ``log χ²(u | k) = (k/2 − 1) log u − u/2 − (k/2) log 2 − log Γ(k/2)``.

    Args:
      (none): the function has no hyperparameters.

    References:
      tinyBIG ``naive_chi2_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import NaiveChi2Expansion
    >>> NaiveChi2Expansion().apply(None, jnp.zeros((2, 3))).shape
    (2, 3)
    """

    _COMPONENTS = _CHI2S[:1]


@register(
    family="expansion",
    tinybig="chi2_expansion",
    formula="κ(x) = [log χ²(u | 1), log χ²(u | 2)], u = σ(x) + 0.001, D = 2m",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class Chi2Expansion(_ProbabilisticExpansion):
    """χ² expansion: χ² log-densities with 1 and 2 degrees of freedom, in blocks.

    ``κ(x) = [log χ²(u | 1), log χ²(u | 2)], u = σ(x) + 0.001, D = 2m``, with ``σ``
    the logistic sigmoid.

    Args:
      (none): the function has no hyperparameters.

    References:
      tinyBIG ``chi2_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import Chi2Expansion
    >>> Chi2Expansion().apply(None, jnp.zeros((2, 3))).shape
    (2, 6)
    """

    _COMPONENTS = _CHI2S


@register(
    family="expansion",
    tinybig="naive_gamma_expansion",
    formula="κ(x) = log Gamma(u | k=0.5, rate=1), u = 0.99σ(x) + 0.001, D = m",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class NaiveGammaExpansion(_ProbabilisticExpansion):
    """Naive gamma expansion: a gamma log-density of each squashed feature.

    ``κ(x) = log Gamma(u | k=0.5, rate=1), u = 0.99σ(x) + 0.001, D = m``, with
    ``log Gamma(u | k, r) = k log r + (k − 1) log u − r·u − log Γ(k)``.

    Args:
      (none): the function has no hyperparameters.

    References:
      tinyBIG ``naive_gamma_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import NaiveGammaExpansion
    >>> NaiveGammaExpansion().apply(None, jnp.zeros((2, 3))).shape
    (2, 3)
    """

    _COMPONENTS = _GAMMAS[:1]


@register(
    family="expansion",
    tinybig="gamma_expansion",
    formula="κ(x) = [log Gamma(u | k_j, rate_j)]_{j=1..6}, (k, rate) = (0.5,1), (0.5,2), (1,1), (1,2), (2,1), (2,2), u = 0.99σ(x) + 0.001, D = 6m",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class GammaExpansion(_ProbabilisticExpansion):
    """Gamma expansion: gamma log-densities for six (shape, rate) pairs, in blocks.

    ``κ(x) = [log Gamma(u | k_j, rate_j)]_{j=1..6}, (k, rate) = (0.5,1), (0.5,2), (1,1), (1,2), (2,1), (2,2), u = 0.99σ(x) + 0.001, D = 6m``.

    Args:
      (none): the function has no hyperparameters.

    References:
      tinyBIG ``gamma_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import GammaExpansion
    >>> GammaExpansion().apply(None, jnp.zeros((2, 3))).shape
    (2, 18)
    """

    _COMPONENTS = _GAMMAS


@register(family="expansion", tinybig="naive_laplace_expansion", formula="κ(x) = log Laplace(x | 0, 1), D = m")
@dataclasses.dataclass(frozen=True, kw_only=True)
class NaiveLaplaceExpansion(_ProbabilisticExpansion):
    """Naive Laplace expansion: the standard Laplace log-density of each feature.

    ``κ(x) = log Laplace(x | 0, 1), D = m``, with
    ``log Laplace(x | μ, b) = −|x − μ|/b − log(2b)``.

    Args:
      (none): the function has no hyperparameters.

    References:
      tinyBIG ``naive_laplace_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import NaiveLaplaceExpansion
    >>> NaiveLaplaceExpansion().apply(None, jnp.ones((1, 1)))
    Array([[-1.6931472]], dtype=float32)
    """

    _COMPONENTS = _LAPLACES[:1]


@register(
    family="expansion",
    tinybig="laplace_expansion",
    formula="κ(x) = [log Laplace(x | μ_k, b_k)]_{k=1..6}, (μ, b) = (0,1), (0,2), (1,1), (1,2), (−1,1), (−1,2), D = 6m",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class LaplaceExpansion(_ProbabilisticExpansion):
    """Laplace expansion: Laplace log-densities for six (location, scale) pairs, in blocks.

    ``κ(x) = [log Laplace(x | μ_k, b_k)]_{k=1..6}, (μ, b) = (0,1), (0,2), (1,1), (1,2), (−1,1), (−1,2), D = 6m``.

    Args:
      (none): the function has no hyperparameters.

    References:
      tinyBIG ``laplace_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import LaplaceExpansion
    >>> LaplaceExpansion().apply(None, jnp.zeros((2, 3))).shape
    (2, 18)
    """

    _COMPONENTS = _LAPLACES


@register(
    family="expansion",
    tinybig="naive_exponential_expansion",
    formula="κ(x) = log Exp(u | rate=0.5), u = 0.99σ(x) + 0.001, D = m",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class NaiveExponentialExpansion(_ProbabilisticExpansion):
    """Naive exponential expansion: an exponential log-density of each squashed feature.

    ``κ(x) = log Exp(u | rate=0.5), u = 0.99σ(x) + 0.001, D = m``, with
    ``log Exp(u | λ) = log λ − λu``.

    Args:
      (none): the function has no hyperparameters.

    References:
      tinyBIG ``naive_exponential_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import NaiveExponentialExpansion
    >>> NaiveExponentialExpansion().apply(None, jnp.zeros((2, 3))).shape
    (2, 3)
    """

    _COMPONENTS = _EXPONENTIALS[:1]


@register(
    family="expansion",
    tinybig="exponential_expansion",
    formula="κ(x) = [log Exp(u | λ_k)]_{k=1..6}, λ = 0.5, 0.75, 1, 2, 3, 5, u = 0.99σ(x) + 0.001, D = 6m",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class ExponentialExpansion(_ProbabilisticExpansion):
    """Exponential expansion: exponential log-densities for six rates, in blocks.

    ``κ(x) = [log Exp(u | λ_k)]_{k=1..6}, λ = 0.5, 0.75, 1, 2, 3, 5, u = 0.99σ(x) + 0.001, D = 6m``.

    Args:
      (none): the function has no hyperparameters.

    References:
      tinyBIG ``exponential_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import ExponentialExpansion
    >>> ExponentialExpansion().apply(None, jnp.zeros((2, 3))).shape
    (2, 18)
    """

    _COMPONENTS = _EXPONENTIALS


@register(
    family="expansion",
    tinybig="hybrid_probabilistic_expansion",
    formula="κ(x) = [log N(x | 0, 1), log Cauchy(x | 0, 1), log χ²(u | 1), log Gamma(u | 0.5, 1), log Laplace(x | 0, 1), log Exp(u | 1)], u = 0.99σ(x) + 0.001, D = 6m",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class HybridProbabilisticExpansion(_ProbabilisticExpansion):
    """Hybrid probabilistic expansion: one log-density of each of six families, in blocks.

    ``κ(x) = [log N(x | 0, 1), log Cauchy(x | 0, 1), log χ²(u | 1), log Gamma(u | 0.5, 1), log Laplace(x | 0, 1), log Exp(u | 1)], u = 0.99σ(x) + 0.001, D = 6m``.

    Args:
      (none): the function has no hyperparameters.

    References:
      tinyBIG ``hybrid_probabilistic_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import HybridProbabilisticExpansion
    >>> HybridProbabilisticExpansion().apply(None, jnp.zeros((2, 3))).shape
    (2, 18)
    """

    _COMPONENTS = (
        (_normal, (0.0, 1.0), _identity),
        (_cauchy, (0.0, 1.0), _identity),
        (_chi2, (1.0,), _sigmoid_99),
        (_gamma, (0.5, 1.0), _sigmoid_99),
        (_laplace, (0.0, 1.0), _identity),
        (_exponential, (1.0,), _sigmoid_99),
    )
