"""Trigonometric and hyperbolic expansions and their inverses (D = 3m, three blocks)."""

from __future__ import annotations

import dataclasses

import jax
import jax.numpy as jnp

from jaxbig.expansion._common import ExpansionBase, blocks
from jaxbig.registry import register

__all__ = [
    "ArcHyperbolicExpansion",
    "ArcTrigonometricExpansion",
    "HyperbolicExpansion",
    "TrigonometricExpansion",
]


class _ThreeBlocks(ExpansionBase):
    """Three ``(b, m)`` blocks: ``D = 3m``."""

    def _D(self, m: int) -> int:
        return 3 * m


@register(
    family="expansion",
    tinybig="trigonometric_expansion",
    formula="κ(x) = [sin(x), cos(x), tan(x)], D = 3m",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class TrigonometricExpansion(_ThreeBlocks):
    """Trigonometric expansion: sine, cosine and tangent blocks.

    ``κ(x) = [sin(x), cos(x), tan(x)], D = 3m``. The blocks are in tinyBIG's code
    order (its docstring lists cosine first); ``tan`` is unbounded near ``π/2 + kπ``.

    Args:
      (none): the function has no hyperparameters.

    References:
      tinyBIG ``trigonometric_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import TrigonometricExpansion
    >>> TrigonometricExpansion().apply(None, jnp.zeros((1, 2)))
    Array([[0., 0., 1., 1., 0., 0.]], dtype=float32)
    """

    def _expand(self, x: jax.Array) -> jax.Array:
        return blocks([jnp.sin(x), jnp.cos(x), jnp.tan(x)])


@register(
    family="expansion",
    tinybig="hyperbolic_expansion",
    formula="κ(x) = [sinh(x), cosh(x), tanh(x)], D = 3m",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class HyperbolicExpansion(_ThreeBlocks):
    """Hyperbolic expansion: hyperbolic sine, cosine and tangent blocks.

    ``κ(x) = [sinh(x), cosh(x), tanh(x)], D = 3m``. The blocks are in tinyBIG's
    code order (its docstring lists cosh first).

    Args:
      (none): the function has no hyperparameters.

    References:
      tinyBIG ``hyperbolic_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import HyperbolicExpansion
    >>> HyperbolicExpansion().apply(None, jnp.zeros((1, 1)))
    Array([[0., 1., 0.]], dtype=float32)
    """

    def _expand(self, x: jax.Array) -> jax.Array:
        return blocks([jnp.sinh(x), jnp.cosh(x), jnp.tanh(x)])


@register(
    family="expansion",
    tinybig="arc_trigonometric_expansion",
    formula="κ(x) = [arcsin(0.99σ(x)), arccos(0.99σ(x)), arctan(σ(x))], D = 3m",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class ArcTrigonometricExpansion(_ThreeBlocks):
    """Inverse trigonometric expansion, on inputs squashed into the functions' domain.

    ``κ(x) = [arcsin(0.99σ(x)), arccos(0.99σ(x)), arctan(σ(x))], D = 3m`` with
    ``σ`` the logistic sigmoid. tinyBIG's docstring writes ``[arccos(x), arcsin(x),
    arctan(x)]``, which is undefined for ``|x| > 1``; its code (and this function)
    first maps ``x`` into ``(0, 1)`` and scales by 0.99 to keep the derivatives
    finite, and puts arcsin first.

    Args:
      (none): the function has no hyperparameters.

    References:
      tinyBIG ``arc_trigonometric_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import ArcTrigonometricExpansion
    >>> ArcTrigonometricExpansion().apply(None, jnp.zeros((1, 1))).shape
    (1, 3)
    """

    def _expand(self, x: jax.Array) -> jax.Array:
        s = jax.nn.sigmoid(x)
        return blocks([jnp.arcsin(0.99 * s), jnp.arccos(0.99 * s), jnp.arctan(s)])


@register(
    family="expansion",
    tinybig="arc_hyperbolic_expansion",
    formula="κ(x) = [arcsinh(σ(x)), arccosh(σ(x) + 1.01), arctanh(0.99σ(x))], D = 3m",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class ArcHyperbolicExpansion(_ThreeBlocks):
    """Inverse hyperbolic expansion, on inputs squashed into the functions' domain.

    ``κ(x) = [arcsinh(σ(x)), arccosh(σ(x) + 1.01), arctanh(0.99σ(x))], D = 3m``
    with ``σ`` the logistic sigmoid. tinyBIG's docstring writes ``[arccosh(x),
    arcsinh(x), arctanh(x)]``, undefined for ``x < 1`` (arccosh) and ``|x| ≥ 1``
    (arctanh); its code (and this function) shifts and scales ``σ(x)`` into the
    domains, and puts arcsinh first.

    Args:
      (none): the function has no hyperparameters.

    References:
      tinyBIG ``arc_hyperbolic_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import ArcHyperbolicExpansion
    >>> ArcHyperbolicExpansion().apply(None, jnp.zeros((4, 5))).shape
    (4, 15)
    """

    def _expand(self, x: jax.Array) -> jax.Array:
        s = jax.nn.sigmoid(x)
        return blocks([jnp.arcsinh(s), jnp.arccosh(s + 1.01), jnp.arctanh(0.99 * s)])
