"""Basic expansions: identity, reciprocal and linear (D = m)."""

from __future__ import annotations

import dataclasses
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxbig.base import check_float
from jaxbig.expansion._common import ExpansionBase
from jaxbig.registry import register

__all__ = ["IdentityExpansion", "LinearExpansion", "ReciprocalExpansion"]


@register(family="expansion", tinybig="identity_expansion", formula="κ(x) = x, D = m")
@dataclasses.dataclass(frozen=True, kw_only=True)
class IdentityExpansion(ExpansionBase):
    """Identity expansion: the input itself.

    ``κ(x) = x, D = m`` for an input ``x`` of width ``m``.

    Args:
      (none): the function has no hyperparameters.

    References:
      tinyBIG ``identity_expansion``; Zhang, J. "RPN: Reconciled Polynomial
      Network", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import IdentityExpansion
    >>> IdentityExpansion().apply(None, jnp.ones((2, 3))).shape
    (2, 3)
    """

    def _D(self, m: int) -> int:
        return m

    def _expand(self, x: jax.Array) -> jax.Array:
        return x


#: tinyBIG replaces inputs with |x| <= 1e-6 by ±1e-6 before taking 1/x.
_RECIPROCAL_FLOOR = 1e-6


@register(
    family="expansion",
    tinybig="reciprocal_expansion",
    formula="κ(x) = 1/x (x with |x| ≤ 1e-6 replaced by ±1e-6), D = m",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class ReciprocalExpansion(ExpansionBase):
    """Reciprocal expansion: the elementwise inverse, kept finite near zero.

    ``κ(x) = 1/x (x with |x| ≤ 1e-6 replaced by ±1e-6), D = m``: values in
    ``[0, 1e-6]`` become ``1e-6`` and values in ``[-1e-6, 0)`` become ``-1e-6``
    (tinyBIG's documented rule), so the output lies in ``[-1e6, 1e6]``. The
    gradient is ``-1/x²`` and zero on the replaced values.

    Args:
      (none): the function has no hyperparameters.

    References:
      tinyBIG ``reciprocal_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import ReciprocalExpansion
    >>> ReciprocalExpansion().apply(None, jnp.array([[2.0, -0.5, 0.0]]))
    Array([[ 5.e-01, -2.e+00,  1.e+06]], dtype=float32)
    """

    def _D(self, m: int) -> int:
        return m

    def _expand(self, x: jax.Array) -> jax.Array:
        small = jnp.abs(x) <= _RECIPROCAL_FLOOR
        floor = jnp.where(x >= 0, _RECIPROCAL_FLOOR, -_RECIPROCAL_FLOOR).astype(x.dtype)
        return 1 / jnp.where(small, floor, x)


def _square_matrix(owner: Any, name: str, value: Any) -> tuple[tuple[float, ...], ...] | None:
    """A square matrix hyperparameter as a hashable tuple of row tuples."""
    if value is None:
        return None
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{type(owner).__name__}: {name} must be a real matrix, got {value!r}") from None
    if array.ndim != 2 or array.shape[0] != array.shape[1] or array.size == 0:
        raise ValueError(
            f"{type(owner).__name__}: {name} must be a non-empty square matrix "
            f"(D = m keeps the shape), got shape {array.shape}"
        )
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{type(owner).__name__}: {name} must be finite")
    return tuple(tuple(row) for row in array.tolist())


@register(
    family="expansion",
    tinybig="linear_expansion",
    formula="κ(x) = c·x, x·C_post or C_pre·x, D = m",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class LinearExpansion(ExpansionBase):
    """Linear expansion: a fixed scalar or matrix applied to the input.

    ``κ(x) = c·x, x·C_post or C_pre·x, D = m``: the scalar ``c`` scales every
    entry; ``C_post`` (``post_C``, shape ``(m, m)``) mixes the features of each
    row; ``C_pre`` (``pre_C``, shape ``(b, b)``) mixes the rows (instances), so it
    fixes the batch size. With none of them the input passes unchanged, as in
    tinyBIG. At most one may be given (tinyBIG silently uses the first one set).

    Args:
      c: the scalar ``c``, or ``None``.
      pre_C: the ``(b, b)`` matrix ``C_pre`` (nested sequences or an array), or ``None``.
      post_C: the ``(m, m)`` matrix ``C_post``, or ``None``.

    Raises:
      ValueError: if more than one of ``c``, ``pre_C``, ``post_C`` is given, a
        matrix is not square and finite, or ``x`` does not fit the matrix.

    References:
      tinyBIG ``linear_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import LinearExpansion
    >>> LinearExpansion(c=2.0).apply(None, jnp.ones((2, 3)))
    Array([[2., 2., 2.],
           [2., 2., 2.]], dtype=float32)
    """

    c: float | None = None
    pre_C: Any = None
    post_C: Any = None

    def __post_init__(self) -> None:
        given = [name for name in ("c", "pre_C", "post_C") if getattr(self, name) is not None]
        if len(given) > 1:
            raise ValueError(
                f"LinearExpansion: give at most one of c, pre_C, post_C, got {', '.join(given)}"
            )
        if self.c is not None:
            object.__setattr__(self, "c", check_float(self, "c", self.c))
        object.__setattr__(self, "pre_C", _square_matrix(self, "pre_C", self.pre_C))
        object.__setattr__(self, "post_C", _square_matrix(self, "post_C", self.post_C))

    def _width(self) -> int | None:
        return None if self.post_C is None else len(self.post_C)

    def _D(self, m: int) -> int:
        return m

    def _expand(self, x: jax.Array) -> jax.Array:
        if self.c is not None:
            return self.c * x
        if self.post_C is not None:
            return x @ jnp.asarray(self.post_C, dtype=x.dtype)
        if self.pre_C is not None:
            if x.shape[0] != len(self.pre_C):
                raise ValueError(
                    f"LinearExpansion: pre_C of shape ({len(self.pre_C)}, {len(self.pre_C)}) "
                    f"needs x of shape ({len(self.pre_C)}, m), got shape {tuple(x.shape)}"
                )
            return jnp.asarray(self.pre_C, dtype=x.dtype) @ x
        return x
