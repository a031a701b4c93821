"""Helpers shared by the expansion functions: input checks and feature layouts.

tinyBIG lays out an expansion's features in one of three ways, and weights only
transfer if jaxbig uses the same one:

* *blocks* (:func:`blocks`): ``[f_1(x), f_2(x), ...]``, each a ``(b, m)`` block, as
  ``torch.cat(..., dim=1)`` produces (trigonometric, Fourier, probabilistic);
* *per feature* (:func:`per_feature`): the ``k`` values of input feature ``i`` sit
  side by side at columns ``i·k … i·k + k − 1``, as ``(b, m, k).view(b, -1)``
  produces (orthogonal polynomials, B-splines, RBFs, wavelets);
* *Kronecker powers* (:func:`kron_powers`): ``[z, z⊗z, …, z^{⊗d}]`` (Taylor, wavelets
  of order d > 1).
"""

from __future__ import annotations

import abc
import functools
from collections.abc import Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxbig.base import Transformation, _owner_name, check_float, check_int, check_matrix


def blocks(features: Sequence[jax.Array]) -> jax.Array:
    """``[f_1, …, f_k]`` of shape ``(b, m)`` each → ``(b, k·m)``, block after block."""
    return jnp.concatenate(features, axis=1)


def per_feature(values: jax.Array) -> jax.Array:
    """``(b, m, k)`` → ``(b, m·k)``: feature ``i``'s ``k`` values at columns ``i·k + j``."""
    return values.reshape(values.shape[0], -1)


def kron_powers(z: jax.Array, d: int) -> jax.Array:
    """``[z, z⊗z, …, z^{⊗d}]`` row by row: ``(b, n)`` → ``(b, n + n² + … + n^d)``.

    ``z^{⊗k}`` has column ``a·n + c`` equal to ``z^{⊗(k-1)}_a · z_c``, tinyBIG's order.
    One whole-array product per degree: the trace grows linearly in ``d``.
    """
    b = z.shape[0]
    powers, p = [z], z
    for _ in range(d - 1):
        p = (p[:, :, None] * z[:, None, :]).reshape(b, -1)
        powers.append(p)
    return jnp.concatenate(powers, axis=1)


def kron_powers_width(n: int, d: int) -> int:
    """The width ``n + n² + … + n^d`` of :func:`kron_powers`."""
    return sum(n**k for k in range(1, d + 1))


def constant(values: Any, like: jax.Array) -> jax.Array:
    """A NumPy constant as an array of ``like``'s dtype, so the dtype follows the input."""
    return jnp.asarray(np.asarray(values), dtype=like.dtype)


def static_power(t: jax.Array, exponent: float) -> jax.Array:
    """``t ** exponent`` for a static exponent, with exact 1 for exponent 0 and
    integer powers by repeated multiplication (finite gradients at ``t = 0``)."""
    if exponent == 0:
        return jnp.ones_like(t)
    if float(exponent).is_integer():
        return jax.lax.integer_pow(t, int(exponent))
    return jnp.power(t, exponent)


def safe_where(special: jax.Array, value: Any, t: jax.Array, fn: Any) -> jax.Array:
    """``value`` where ``special`` else ``fn(t)``, with ``fn`` never seeing the special
    points (the "double where" that keeps gradients finite)."""
    t_safe = jnp.where(special, jnp.ones_like(t), t)
    return jnp.where(special, jnp.asarray(value, t.dtype), fn(t_safe))


def check_range(owner: Any, name: str, value: Any) -> tuple[float, float]:
    """A ``(low, high)`` pair of finite floats with ``low < high``, as a tuple.

    Raises:
      ValueError: if ``value`` is not two numbers or ``low >= high``.
    """
    try:
        low, high = value
    except (TypeError, ValueError):
        raise ValueError(
            f"{_owner_name(owner)}: {name} must be a pair (low, high), got {value!r}"
        ) from None
    low = check_float(owner, f"{name}[0]", low)
    high = check_float(owner, f"{name}[1]", high)
    if not low < high:
        raise ValueError(
            f"{_owner_name(owner)}: {name}={value!r} must have low < high"
        )
    return (low, high)


class ExpansionBase(Transformation):
    """Shared input handling of the parameter-free expansions.

    Subclasses implement ``_D(m)`` (the output width for a checked ``m``) and
    ``_expand(x)`` (the math, on a checked floating ``(b, m)`` input); those whose
    input width is fixed by their hyperparameters override ``_width()``.
    """

    def calculate_D(self, m: int) -> int:
        """The output width ``D`` for inputs of width ``m``.

        Args:
          m: the input width, a positive integer.

        Returns:
          ``D``, the width of ``apply``'s output.

        Raises:
          ValueError: if ``m`` is not a positive integer or does not fit the
            function's hyperparameters.
        """
        m = check_int(self, "m", m, minimum=1)
        width = self._width()
        if width is not None and m != width:
            raise ValueError(f"{type(self).__name__}: m={m} must equal {width} (see its Args)")
        return self._D(m)

    def apply(self, params: Any, x: jax.typing.ArrayLike) -> jax.Array:
        """κ(x), row by row.

        Args:
          params: ``None`` (the function has no parameters; ``init`` returns ``None``).
          x: the input, shape ``(b, m)``; its floating dtype is kept (integers become
            float32).

        Returns:
          The expansion, shape ``(b, calculate_D(m))``, in ``x``'s dtype.

        Raises:
          ValueError: naming the function and the shapes, if ``x`` is not 2-D or
            (for functions with a fixed input width) has the wrong width.
        """
        del params
        return _expand(self, check_matrix(self, x, self._width(), floating=True))

    def _width(self) -> int | None:
        return None

    @abc.abstractmethod
    def _D(self, m: int) -> int:
        """The output width for a checked input width ``m``."""

    @abc.abstractmethod
    def _expand(self, x: jax.Array) -> jax.Array:
        """The expansion of a checked floating ``(b, m)`` input."""


@functools.partial(jax.jit, static_argnums=0)
def _expand(function: ExpansionBase, x: jax.Array) -> jax.Array:
    """``function._expand(x)`` as one compiled computation (as ``jax.numpy`` functions
    are), so eager calls do not dispatch op by op; inside an outer ``jit`` it inlines."""
    return function._expand(x)
