"""The base of the kernel members: A(i, j) = kernel(v_i, v_j) over the data's vectors."""

from __future__ import annotations

import abc
import dataclasses
from typing import Any, Callable

import jax
import numpy as np

from jaxbig.interdependence._base import InterdependenceBase, compute_dtype, output_dtype


class KernelBase(InterdependenceBase):
    """A data-dependent, parameter-free A from a kernel between vectors.

    The vectors ``v_i`` are the columns of ``x`` (attribute: A is ``(m, m)``) or its
    rows (instance: A is ``(b, b)``). Kernels are computed in at least float32
    (bfloat16 inputs are promoted) and returned in ``x``'s dtype.
    """

    require_data = True

    @abc.abstractmethod
    def pairwise(self, v: jax.Array) -> jax.Array:
        """The kernel between the rows of ``v``.

        Args:
          v: the vectors as rows, shape ``(n, k)`` (``n`` vectors of ``k`` entries).

        Returns:
          ``(n, n)``: entry ``(i, j)`` is ``kernel(v[i], v[j])``.
        """

    def calculate_A(self, w: Any = None, x: jax.typing.ArrayLike | None = None) -> jax.Array:
        """The kernel matrix of the data's vectors.

        Args:
          w: ignored; must be ``None`` or empty (there are no parameters).
          x: the data, shape ``(b, m)``.

        Returns:
          A, ``(m, m)`` (attribute: between columns) or ``(b, b)`` (instance:
          between rows), in ``x``'s dtype.

        Raises:
          ValueError: if ``x`` is missing or has the wrong shape, or ``w`` is not empty.
        """
        self._check_no_params(w)
        x = self._require_x(x)
        v = self._vectors(x).astype(compute_dtype(x.dtype))
        return self._postprocess(self.pairwise(v)).astype(output_dtype(x))


def check_kernel_callable(owner: Any, value: Any) -> Callable[..., Any]:
    """A user kernel must be a hashable callable (it is a static hyperparameter)."""
    if not callable(value):
        raise owner._error(f"kernel must be a callable, got {value!r}")
    try:
        hash(value)
    except TypeError:
        raise owner._error(f"kernel {value!r} must be hashable") from None
    return value


def check_weights(owner: Any, name: str, value: Any, length: int | None = None) -> tuple[float, ...]:
    """A tuple of finite floats (from a list, tuple or 1-D array)."""
    array = np.asarray(value, dtype=np.float64)
    if array.ndim != 1:
        raise owner._error(f"{name} must be 1-D, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise owner._error(f"{name} must be finite, got {value!r}")
    if length is not None and array.shape[0] != length:
        raise owner._error(f"{name} must have {length} entries, got {array.shape[0]}")
    return tuple(float(a) for a in array)


@dataclasses.dataclass(frozen=True)
class CallableKernel(KernelBase):
    """A kernel given as a callable in tinyBIG's orientation (vectors as columns)."""

    _: dataclasses.KW_ONLY
    kernel: Any = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.kernel is None:
            raise self._error("kernel, a callable (k, n) -> (n, n), is required")
        object.__setattr__(self, "kernel", check_kernel_callable(self, self.kernel))

    def pairwise(self, v: jax.Array) -> jax.Array:
        n = v.shape[0]
        a = self.kernel(v.T)
        if a.shape != (n, n):
            raise self._error(f"kernel returned shape {a.shape}, expected ({n}, {n})")
        return a
