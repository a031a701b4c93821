"""Checks shared by the remainder functions."""

from __future__ import annotations

import dataclasses
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxbig.base import Remainder, check_int, check_matrix
from jaxbig.ops import apply_functions, resolve_functions


def check_widths(owner: Remainder, n: Any, m: Any) -> tuple[int, int]:
    """Validates the output width ``n`` and input width ``m``."""
    return check_int(owner, "n", n, minimum=1), check_int(owner, "m", m, minimum=1)


def check_no_params(owner: Remainder, w: Any) -> None:
    """Parameter-free remainders accept ``None`` (or an empty vector) as ``w``."""
    if w is not None and np.size(w) != 0:
        raise owner._error(f"takes no parameters (l = 0), got w of shape {np.shape(w)}")


def check_same_width(owner: Remainder, n: int, m: int) -> None:
    """Width-preserving remainders need ``m == n``."""
    if m != n:
        raise owner._error(
            f"input width m={m} must equal output width n={n} "
            "(use LinearRemainder to change the width)"
        )


def float_dtype(x: jax.Array) -> Any:
    """The dtype of a remainder's output: ``x``'s if floating, else float32."""
    return x.dtype if jnp.issubdtype(x.dtype, jnp.floating) else jnp.dtype(jnp.float32)


def check_input(owner: Remainder, x: Any, n: Any) -> tuple[jax.Array, int]:
    """Validates ``x`` of shape ``(b, m)`` and ``n``; returns ``x`` and ``n``."""
    x = check_matrix(owner, x)
    n = check_int(owner, "n", n, minimum=1)
    return x, n


def identity(owner: Any, x: Any, n: Any, activation_functions: tuple[Any, ...]) -> jax.Array:
    """``σ(x)`` after checking that ``x`` has width ``n``."""
    x, n = check_input(owner, x, n)
    check_same_width(owner, n, x.shape[1])
    return apply_functions(activation_functions, x)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Activated(Remainder):
    """Base of the remainders: holds the activation functions σ applied to the term.

    Args:
      activation_functions: functions σ applied to the remainder term, in order:
        names (``"relu"``, ``"torch.nn.functional.gelu"``) or hashable callables
        (see :func:`jaxbig.ops.resolve_functions`); none by default.
    """

    activation_functions: tuple[Any, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "activation_functions",
            resolve_functions(self, "activation_functions", self.activation_functions),
        )


@dataclasses.dataclass(frozen=True, kw_only=True)
class ParameterFree(Activated):
    """Base of the remainders without parameters: ``l = 0``, ``init`` returns ``None``."""

    def calculate_l(self, n: int, m: int) -> int:
        """The number of parameters: 0.

        Raises:
          ValueError: if ``n`` or ``m`` is not a positive integer.
        """
        check_widths(self, n, m)
        return 0

    def init(self, key: jax.Array, n: int, m: int, *, dtype: Any = jnp.float32) -> None:
        """No parameters: returns ``None`` (after checking ``n`` and ``m``)."""
        del key, dtype
        self.calculate_l(n, m)
        return None
