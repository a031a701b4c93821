"""A read-only NumPy array that can be a static (hashable) hyperparameter."""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

__all__ = ["StaticArray"]


class StaticArray:
    """An immutable, hashable wrapper around a NumPy array (a constant matrix, an adjacency).

    Frozen-dataclass functions must stay hashable to be static arguments of
    :func:`jax.jit`; a NumPy array is not. A ``StaticArray`` holds a private
    read-only copy and compares and hashes by shape, dtype and values. Functions
    that take a matrix hyperparameter convert arrays and nested lists to it in
    ``__post_init__``, so users pass plain arrays.

    Args:
      value: anything :func:`numpy.asarray` accepts.

    >>> a = StaticArray([[0.0, 1.0], [1.0, 0.0]])
    >>> a == StaticArray(np.array([[0.0, 1.0], [1.0, 0.0]])), a.shape
    (True, (2, 2))
    """

    __slots__ = ("_array", "_hash")

    def __init__(self, value: Any):
        array = np.array(value.array if isinstance(value, StaticArray) else value, copy=True)
        array.setflags(write=False)
        self._array = array
        digest = hashlib.sha1(np.ascontiguousarray(array).tobytes()).hexdigest()
        self._hash = hash((array.shape, array.dtype.str, digest))

    @property
    def array(self) -> np.ndarray:
        """The read-only NumPy array."""
        return self._array

    @property
    def shape(self) -> tuple[int, ...]:
        """The array's shape."""
        return self._array.shape

    @property
    def dtype(self) -> np.dtype:
        """The array's dtype."""
        return self._array.dtype

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self._array if dtype is None else self._array.astype(dtype)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StaticArray):
            return NotImplemented
        return (
            self._hash == other._hash
            and self.shape == other.shape
            and self.dtype == other.dtype
            and bool(np.array_equal(self._array, other._array))
        )

    def __repr__(self) -> str:
        return f"StaticArray(shape={self.shape}, dtype={self.dtype})"
