"""Compression twins of expansions: tinyBIG's identity, reciprocal, linear, nested and
extended compressions are its expansion classes under another name, and so are these.

Each class subclasses the expansion (same hyperparameters, same math, same
``init``/``apply``) and is registered in the compression family under tinyBIG's
compression name, so ``jaxbig.make("identity_compression")`` and configs that
list these classes work.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from jaxbig import registry
from jaxbig.expansion import (
    ExtendedExpansion,
    IdentityExpansion,
    LinearExpansion,
    NestedExpansion,
    ReciprocalExpansion,
)

__all__ = [
    "ExtendedCompression",
    "IdentityCompression",
    "LinearCompression",
    "NestedCompression",
    "ReciprocalCompression",
]


def _twin(tinybig: str, summary: str, example: str, shape: str) -> Any:
    """Registers a compression subclass of an expansion with its documentation.

    The registered formula is the expansion's; the docstring states it once and
    points to the expansion for the details.
    """

    def decorate(cls: type) -> type:
        expansion = cls.__mro__[1]
        entry = registry.lookup(expansion.__name__)
        cls.__doc__ = f"""{summary}

    ``{entry.formula}``; tinyBIG's ``{tinybig}`` is its ``{entry.tinybig}`` under a
    compression name, and so is this class: see :class:`jaxbig.expansion.{expansion.__name__}`.

    Args:
      (as :class:`jaxbig.expansion.{expansion.__name__}`): {', '.join(entry.fields()) or 'none'}.

    Raises:
      ValueError: as :class:`jaxbig.expansion.{expansion.__name__}`.

    References:
      tinyBIG ``{tinybig}`` (``tinybig/compression``); Zhang, J. "RPN",
      arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.compression import {cls.__name__}
    >>> {example}
    {shape}
    """
        cls = dataclasses.dataclass(frozen=True)(cls)
        return registry.register(family="compression", tinybig=tinybig, formula=entry.formula,
                                 keywords=dict(entry.keywords))(cls)

    return decorate


@_twin("identity_compression", "Identity compression: the input itself.",
       "IdentityCompression().apply(None, jnp.ones((2, 3))).shape", "(2, 3)")
class IdentityCompression(IdentityExpansion):
    pass


@_twin("reciprocal_compression", "Reciprocal compression: the elementwise inverse, kept "
       "finite near zero.", "ReciprocalCompression().apply(None, jnp.ones((2, 3))).shape",
       "(2, 3)")
class ReciprocalCompression(ReciprocalExpansion):
    pass


@_twin("linear_compression", "Linear compression: a fixed scalar or matrix applied to the input.",
       "LinearCompression(c=0.5).apply(None, jnp.ones((2, 3))).tolist()",
       "[[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]]")
class LinearCompression(LinearExpansion):
    pass


@_twin("nested_compression", "Nested compression: sub-functions applied one after another.",
       'NestedCompression(composition_functions=("max_compression",)).apply(None, '
       "jnp.ones((2, 3))).shape", "(2, 1)")
class NestedCompression(NestedExpansion):
    pass


@_twin("extended_compression", "Extended compression: sub-functions' outputs side by side.",
       'ExtendedCompression(composition_functions=("max_compression", "min_compression"))'
       ".apply(None, jnp.ones((2, 3))).shape", "(2, 2)")
class ExtendedCompression(ExtendedExpansion):
    pass
