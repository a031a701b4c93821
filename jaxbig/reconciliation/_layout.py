"""Shared machinery of the reconciliation family: parameter layouts and shape checks.

Every member describes how its flat parameter vector ``w`` is split: an ordered
tuple of row-major shapes (``_layout(n, D)``), in tinyBIG's order, so that
``calculate_l`` is their total size and tinyBIG's ``(1, l)`` weights load as they are.
"""

from __future__ import annotations

import abc
import math
from typing import Any

import jax
import jax.numpy as jnp

from jaxbig.base import Fabrication, check_bool, check_divides, check_int, check_matrix, check_vector

Shape = tuple[int, ...]


def _close_factor(n: int) -> int:
    """The largest divisor of ``n`` not above √n (tinyBIG's ``find_close_factors``)."""
    return next(i for i in range(math.isqrt(n), 0, -1) if n % i == 0)


def _split(w: jax.Array, shapes: tuple[Shape, ...]) -> tuple[jax.Array, ...]:
    """Splits the flat ``w`` into consecutive row-major blocks of the given shapes."""
    parts, start = [], 0
    for shape in shapes:
        size = math.prod(shape)
        parts.append(w[start : start + size].reshape(shape))
        start += size
    return tuple(parts)


class _Structured(Fabrication):
    """A fabrication whose ``w`` is the concatenation of row-major blocks.

    It documents ``apply`` and ``product`` once for the whole family; members
    override them without repeating the docstrings (``help`` and
    :func:`inspect.getdoc` show these). Each member's class docstring says how its
    ``product`` avoids forming ψ(w).
    """

    def _positive_ints(self, *names: str, optional: bool = False) -> None:
        """Validates (and normalises to ``int``) hyperparameters that must be >= 1.

        With ``optional``, ``None`` (chosen later from ``n``, ``D``) is accepted too.
        """
        for name in names:
            value = getattr(self, name)
            if not (optional and value is None):
                object.__setattr__(self, name, check_int(self, name, value, minimum=1))

    def _bool(self, name: str) -> None:
        """Validates (and normalises to ``bool``) a boolean hyperparameter."""
        object.__setattr__(self, name, check_bool(self, name, getattr(self, name)))

    @abc.abstractmethod
    def _layout(self, n: int, D: int) -> tuple[Shape, ...]:
        """The shapes ``w`` is split into, in order (validates ``n``, ``D`` first)."""

    def _check_nD(self, n: int, D: int) -> tuple[int, int]:
        return check_int(self, "n", n, minimum=1), check_int(self, "D", D, minimum=1)

    def calculate_l(self, n: int, D: int) -> int:
        """The length ``l`` of ``w`` for an ``(n, D)`` output.

        Args:
          n: output dimension.
          D: expansion-space dimension.

        Returns:
          ``l`` as a Python int.

        Raises:
          ValueError: if ``n`` or ``D`` is not a positive integer or the
            hyperparameters do not fit them.
        """
        return sum(math.prod(shape) for shape in self._layout(n, D))

    @abc.abstractmethod
    def apply(self, w: Any, n: int, D: int) -> jax.Array:
        """ψ(w): the fabricated parameter matrix.

        Args:
          w: the parameters as :meth:`init` returns them: the flat ``(l,)`` vector
            (tinyBIG's ``(1, l)`` layout is accepted too), or the member's parameter
            NamedTuple whose field ``w`` is that vector.
          n: output dimension.
          D: expansion-space dimension.

        Returns:
          ψ(w), shape ``(n, D)``, dtype of ``w``.

        Raises:
          ValueError: if ``n`` or ``D`` is not a positive integer, the
            hyperparameters do not fit them (e.g. ``p`` does not divide ``n``), or
            ``w`` is not of shape ``(l,)`` with ``l = calculate_l(n, D)``.
        """

    def product(self, w: Any, x: jax.typing.ArrayLike, n: int, D: int) -> jax.Array:
        """``x @ ψ(w).T``, without forming ψ(w) wherever the structure allows.

        Args:
          w: the parameters, as for :meth:`apply`.
          x: the input, shape ``(b, D)``.
          n: output dimension.
          D: expansion-space dimension.

        Returns:
          ``x @ ψ(w).T``, shape ``(b, n)``, dtype of ``x``.

        Raises:
          ValueError: as :meth:`apply`, or if ``x`` is not of shape ``(b, D)``.
        """
        x = check_matrix(self, x, D)
        return x @ self.apply(w, n, D).astype(x.dtype).T

    def _parts(self, w: Any, n: int, D: int) -> tuple[jax.Array, ...]:
        """``w`` (``(l,)`` or tinyBIG's ``(1, l)``) checked and split by the layout."""
        shapes = self._layout(n, D)
        l = sum(math.prod(shape) for shape in shapes)
        if w is None and l == 0:
            w = jnp.zeros((0,), jnp.float32)
        return _split(check_vector(self, w, l), shapes)


class _Padded(_Structured):
    """Shared ``p``, ``q`` handling of the Kronecker members: ``n = p·s``, ``D = q·t``."""

    @abc.abstractmethod
    def _pq(self, n: int, D: int) -> tuple[int, int]:
        """The block counts ``p``, ``q`` for an ``(n, D)`` output."""

    def _pqst(self, n: int, D: int) -> tuple[int, int, int, int]:
        n, D = self._check_nD(n, D)
        p, q = self._pq(n, D)
        return p, q, check_divides(self, "p", p, "n", n), check_divides(self, "q", q, "D", D)
