"""Compositions of transformations: nested (κ_n ∘ … ∘ κ_1) and extended ([κ_1(x), …, κ_n(x)]).

The sub-functions are any :class:`~jaxbig.base.Transformation` (expansions or
compressions), given as objects, registered names, or tinyBIG function configs
(``{"function_class": ..., "function_parameters": {...}}``). Their parameters are a
tuple with one entry per sub-function, as each sub-function's ``init`` returns it.
"""

from __future__ import annotations

import abc
import dataclasses
from collections.abc import Mapping
from typing import Any

import jax
import jax.numpy as jnp

from jaxbig import registry
from jaxbig.base import Transformation, check_matrix
from jaxbig.expansion._common import blocks

__all__ = ["ExtendedExpansion", "NestedExpansion"]


def _resolve(owner: str, spec: Any) -> Transformation:
    """A sub-function from an object, a registered name or a tinyBIG config dict."""
    if isinstance(spec, Transformation):
        return spec
    if isinstance(spec, str):
        function = registry.make(spec)
    elif isinstance(spec, Mapping) and "function_class" in spec:
        function = registry.make(spec["function_class"], **dict(spec.get("function_parameters") or {}))
    else:
        raise ValueError(
            f"{owner}: composition_functions entries must be transformations, registered "
            f"names or {{'function_class': ..., 'function_parameters': ...}} configs, got {spec!r}"
        )
    if not isinstance(function, Transformation):
        raise ValueError(
            f"{owner}: {type(function).__name__} is not a transformation (expansion or compression)"
        )
    return function


@dataclasses.dataclass(frozen=True, kw_only=True)
class _Composite(Transformation):
    """Holds the sub-functions and their parameter tuple."""

    composition_functions: tuple[Transformation, ...]

    def __post_init__(self) -> None:
        owner = type(self).__name__
        functions = self.composition_functions
        if isinstance(functions, (Transformation, str, Mapping)):
            functions = (functions,)
        if not isinstance(functions, (tuple, list)) or not functions:
            raise ValueError(
                f"{owner}: composition_functions must be a non-empty sequence, got {functions!r}"
            )
        object.__setattr__(self, "composition_functions", tuple(_resolve(owner, f) for f in functions))

    def _params(self, params: Any) -> tuple[Any, ...]:
        n = len(self.composition_functions)
        if params is None:
            return (None,) * n
        if not isinstance(params, (tuple, list)) or len(params) != n:
            raise ValueError(
                f"{type(self).__name__}: params must be a tuple of {n} sub-function parameters "
                f"(as init returns), got {type(params).__name__}"
                + (f" of length {len(params)}" if isinstance(params, (tuple, list)) else "")
            )
        return tuple(params)

    @abc.abstractmethod
    def _input_widths(self, m: int) -> list[int]:
        """The input width of each sub-function for an input of width ``m``."""

    def init(self, key: jax.Array, m: int, *, dtype: Any = jnp.float32) -> tuple[Any, ...]:
        """The sub-functions' parameters, each from its own ``init``.

        Args:
          key: a PRNG key, split once per sub-function.
          m: the input width.
          dtype: the floating dtype of the parameters.

        Returns:
          A tuple with one entry per sub-function (``None`` for parameter-free ones).
        """
        keys = jax.random.split(key, len(self.composition_functions))
        return tuple(
            f.init(k, width, dtype=dtype)
            for f, k, width in zip(self.composition_functions, keys, self._input_widths(m))
        )


@registry.register(
    family="expansion",
    tinybig="nested_expansion",
    formula="κ(x) = κ_n(⋯κ_2(κ_1(x))), D = D_n",
    keywords={"composition_function_configs": "composition_functions"},
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class NestedExpansion(_Composite):
    """Nested expansion: the sub-functions applied one after another.

    ``κ(x) = κ_n(⋯κ_2(κ_1(x))), D = D_n``, where ``κ_i: ℝ^{D_{i−1}} → ℝ^{D_i}``,
    ``D_0 = m`` and ``κ_i`` are the ``composition_functions``.

    Args:
      composition_functions: the sub-functions ``κ_1, …, κ_n`` (first applied
        first): transformations, registered names, or tinyBIG configs (keyword
        ``composition_function_configs`` too).

    Raises:
      ValueError: if there is no sub-function, one cannot be built, or is not a
        transformation; ``apply`` raises for a params tuple of the wrong length.

    References:
      tinyBIG ``nested_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax, jax.numpy as jnp
    >>> from jaxbig.expansion import NestedExpansion
    >>> kappa = NestedExpansion(composition_functions=("taylor_expansion", "hyperbolic_expansion"))
    >>> params = kappa.init(jax.random.key(0), 3)
    >>> kappa.calculate_D(3), kappa.apply(params, jnp.ones((2, 3))).shape
    (36, (2, 36))
    """

    def _input_widths(self, m: int) -> list[int]:
        widths = [m]
        for f in self.composition_functions[:-1]:
            widths.append(f.calculate_D(widths[-1]))
        return widths

    def calculate_D(self, m: int) -> int:
        """``D_n``, chaining each sub-function's ``calculate_D`` from ``D_0 = m``."""
        return self.composition_functions[-1].calculate_D(self._input_widths(m)[-1])

    def apply(self, params: Any, x: jax.typing.ArrayLike) -> jax.Array:
        """``κ_n(⋯κ_1(x))``.

        Args:
          params: the tuple from :meth:`init` (``None`` when no sub-function has
            parameters).
          x: the input, shape ``(b, m)``.

        Returns:
          Shape ``(b, D_n)``.

        Raises:
          ValueError: if ``x`` is not 2-D, ``params`` does not fit, or a
            sub-function rejects its input.
        """
        x = check_matrix(self, x, floating=True)
        for f, p in zip(self.composition_functions, self._params(params)):
            x = f.apply(p, x)
        return x


@registry.register(
    family="expansion",
    tinybig="extended_expansion",
    formula="κ(x) = [κ_1(x), κ_2(x), ..., κ_n(x)], D = Σ_i D_i",
    keywords={"composition_function_configs": "composition_functions"},
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class ExtendedExpansion(_Composite):
    """Extended expansion: the sub-functions' outputs side by side.

    ``κ(x) = [κ_1(x), κ_2(x), ..., κ_n(x)], D = Σ_i D_i``, where ``κ_i: ℝ^m → ℝ^{D_i}``
    are the ``composition_functions``.

    Args:
      composition_functions: the sub-functions ``κ_1, …, κ_n``: transformations,
        registered names, or tinyBIG configs (keyword
        ``composition_function_configs`` too).

    Raises:
      ValueError: if there is no sub-function, one cannot be built, or is not a
        transformation; ``apply`` raises for a params tuple of the wrong length.

    References:
      tinyBIG ``extended_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax, jax.numpy as jnp
    >>> from jaxbig.expansion import ExtendedExpansion, IdentityExpansion, TaylorExpansion
    >>> kappa = ExtendedExpansion(composition_functions=(IdentityExpansion(), TaylorExpansion(d=2)))
    >>> kappa.apply(None, jnp.ones((2, 3))).shape
    (2, 15)
    """

    def _input_widths(self, m: int) -> list[int]:
        return [m] * len(self.composition_functions)

    def calculate_D(self, m: int) -> int:
        """``Σ_i D_i``, each sub-function's ``calculate_D(m)``."""
        return sum(f.calculate_D(m) for f in self.composition_functions)

    def apply(self, params: Any, x: jax.typing.ArrayLike) -> jax.Array:
        """``[κ_1(x), …, κ_n(x)]``.

        Args:
          params: the tuple from :meth:`init` (``None`` when no sub-function has
            parameters).
          x: the input, shape ``(b, m)``.

        Returns:
          Shape ``(b, Σ_i D_i)``.

        Raises:
          ValueError: if ``x`` is not 2-D, ``params`` does not fit, or a
            sub-function rejects its input.
        """
        x = check_matrix(self, x, floating=True)
        return blocks([f.apply(p, x) for f, p in zip(self.composition_functions, self._params(params))])
