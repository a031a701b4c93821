"""The shared machinery of polynomial expansions defined by a three-term recurrence."""

from __future__ import annotations

import abc
import dataclasses

import jax
import jax.numpy as jnp

from jaxbig.base import check_int
from jaxbig.expansion._common import ExpansionBase, per_feature


@dataclasses.dataclass(frozen=True, kw_only=True)
class RecurrenceExpansion(ExpansionBase):
    """``κ(x) = [P_1(x_i), …, P_d(x_i)]`` for each feature ``i``; ``D = m·d``.

    The polynomials follow ``P_n = step(n, x, P_{n-1}, P_{n-2})`` from
    ``(P_0, P_1) = start(x)``. The loop runs over the degree on whole ``(b, m)``
    arrays, so the trace holds O(d) operations whatever ``m`` is. Feature ``i``'s
    ``d`` values sit at columns ``i·d … i·d + d − 1`` (tinyBIG's layout).

    Subclasses are frozen dataclasses that add their own hyperparameters and
    implement :meth:`_start` and :meth:`_step`.
    """

    d: int = 2

    def __post_init__(self) -> None:
        object.__setattr__(self, "d", check_int(self, "d", self.d, minimum=1))

    def _D(self, m: int) -> int:
        return m * self.d

    def _expand(self, x: jax.Array) -> jax.Array:
        previous, current = self._start(x)
        values = [current]
        for n in range(2, self.d + 1):
            previous, current = current, self._step(n, x, current, previous)
            values.append(current)
        return per_feature(jnp.stack(values, axis=-1))

    @abc.abstractmethod
    def _start(self, x: jax.Array) -> tuple[jax.Array, jax.Array]:
        """``(P_0(x), P_1(x))``, each of ``x``'s shape."""

    @abc.abstractmethod
    def _step(self, n: int, x: jax.Array, p1: jax.Array, p2: jax.Array) -> jax.Array:
        """``P_n(x)`` from ``p1 = P_{n-1}(x)`` and ``p2 = P_{n-2}(x)``."""
