"""Basic interdependence functions: a given constant matrix, ``c·1``, zero, one, identity.

None of them has parameters or reads the data. The all-``c`` and identity members
apply without a matmul: ``x @ (c·1)`` is ``c`` times the row sums, ``x @ I_{m×m'}``
keeps (or zero-pads) the first ``m'`` columns.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxbig.base import check_float
from jaxbig.interdependence._base import StaticBase, output_dtype
from jaxbig.interdependence._sized import SizedBase
from jaxbig.interdependence._static import StaticArray
from jaxbig.registry import register

__all__ = [
    "ConstantCInterdependence",
    "ConstantInterdependence",
    "IdentityInterdependence",
    "OneInterdependence",
    "ZeroInterdependence",
]

@register(
    family="interdependence",
    tinybig="constant_interdependence",
    formula="ξ(X) = A, a given constant matrix",
)
@dataclasses.dataclass(frozen=True)
class ConstantInterdependence(StaticBase):
    """Interdependence by a given constant matrix.

    ``ξ(X) = A, a given constant matrix`` of shape ``(m, m')`` (attribute) or
    ``(b, b')`` (instance), with ``m'`` / ``b'`` read from ``A``'s shape.

    Args:
      b: number of instances.
      m: number of attributes.
      A: the matrix (a NumPy array, nested list or :class:`StaticArray`), with
        ``m`` rows (attribute) or ``b`` rows (instance); stored as a read-only
        :class:`StaticArray` so the function stays hashable.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: unused by this data-free function (accepted as tinyBIG does).
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if ``A`` is not a finite 2-D matrix whose row count is ``m``
        (attribute) or ``b`` (instance).
    References:
      tinyBIG, ``tinybig/interdependence/basic_interdependence.py`` (``constant_interdependence``).
      Zhang, J. "RPN 2: On Interdependence Function Learning Towards Unifying and
      Advancing CNN, RNN, GNN, and Transformer", arXiv:2411.11162, 2024.

    >>> import numpy as np
    >>> f = ConstantInterdependence(2, 3, A=np.arange(6.0).reshape(3, 2))
    >>> f.calculate_m_prime(), f.apply(None, np.ones((2, 3))).tolist()
    (2, [[6.0, 9.0], [6.0, 9.0]])
    """


    _: dataclasses.KW_ONLY
    A: Any = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.A is None:
            raise self._error("A, the constant matrix, is required")
        a = StaticArray(np.asarray(self.A.array if isinstance(self.A, StaticArray) else self.A,
                                   dtype=np.float64))
        if a.array.ndim != 2:
            raise self._error(f"A must be a 2-D matrix, got shape {a.shape}")
        if not np.all(np.isfinite(a.array)):
            raise self._error("A must be finite (it has NaN or inf entries)")
        if a.shape[0] != self._d:
            rows = "m" if self.is_attribute else "b"
            raise self._error(
                f"A must have {rows}={self._d} rows for an {self.interdependence_type} "
                f"function, got shape {a.shape}"
            )
        object.__setattr__(self, "A", a)

    def _d_prime(self) -> int:
        return self.A.shape[1]

    def _matrix(self) -> np.ndarray:
        return self.A.array


class _Filled(StaticBase, SizedBase):
    """A ``(d, d')`` matrix with every entry equal to ``_value()``."""

    def _value(self) -> float:
        raise NotImplementedError

    def _matrix(self) -> np.ndarray:
        return np.full((self._d, self._d_prime()), self._value())

    def _structured(self, x: jax.Array) -> jax.Array:
        axis = 1 if self.is_attribute else 0
        sums = self._value() * jnp.sum(x, axis=axis, keepdims=True)
        shape = (x.shape[0], self._d_prime()) if self.is_attribute else (self._d_prime(), x.shape[1])
        return jnp.broadcast_to(sums, shape).astype(output_dtype(x))


@register(
    family="interdependence",
    tinybig="constant_c_interdependence",
    formula="ξ(X) = c·1 (every entry c)",
)
@dataclasses.dataclass(frozen=True)
class ConstantCInterdependence(_Filled):
    """Interdependence by a constant-filled matrix.

    ``ξ(X) = c·1 (every entry c)``, of shape ``(m, m')`` (attribute) or ``(b, b')``
    (instance); ``x @ A`` is ``c`` times the row sums of ``x`` in every column.

    Args:
      b: number of instances.
      m: number of attributes.
      b_prime: output instances ``b'`` (instance functions); ``None`` means ``b``.
      m_prime: output attributes ``m'`` (attribute functions); ``None`` means ``m``.
      c: the constant.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: unused by this data-free function.
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if ``c`` is not finite or a size is not a positive integer.

    References:
      tinyBIG, ``tinybig/interdependence/basic_interdependence.py`` (``constant_c_interdependence``).
      Zhang, J. "RPN 2: On Interdependence Function Learning Towards Unifying and
      Advancing CNN, RNN, GNN, and Transformer", arXiv:2411.11162, 2024.

    >>> import numpy as np
    >>> ConstantCInterdependence(2, 3, m_prime=2, c=0.5).apply(None, np.ones((2, 3))).tolist()
    [[1.5, 1.5], [1.5, 1.5]]
    """

    _: dataclasses.KW_ONLY
    c: float = 1.0

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "c", check_float(self, "c", self.c))

    def _value(self) -> float:
        return self.c


@register(
    family="interdependence",
    tinybig="zero_interdependence",
    formula="ξ(X) = 0 (the zero matrix)",
)
@dataclasses.dataclass(frozen=True)
class ZeroInterdependence(_Filled):
    """Interdependence by the zero matrix.

    ``ξ(X) = 0 (the zero matrix)`` of shape ``(m, m')`` (attribute) or ``(b, b')``.

    Args:
      b: number of instances.
      m: number of attributes.
      b_prime: output instances ``b'``; ``None`` means ``b``.
      m_prime: output attributes ``m'``; ``None`` means ``m``.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: unused.
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if a size is not a positive integer.

    References:
      tinyBIG, ``tinybig/interdependence/basic_interdependence.py`` (``zero_interdependence``).
      Zhang, J. "RPN 2: On Interdependence Function Learning Towards Unifying and
      Advancing CNN, RNN, GNN, and Transformer", arXiv:2411.11162, 2024.

    >>> import numpy as np
    >>> ZeroInterdependence(2, 3, m_prime=4).apply(None, np.ones((2, 3))).shape
    (2, 4)
    """

    def _value(self) -> float:
        return 0.0


@register(
    family="interdependence",
    tinybig="one_interdependence",
    formula="ξ(X) = 1 (every entry 1)",
)
@dataclasses.dataclass(frozen=True)
class OneInterdependence(_Filled):
    """Interdependence by the all-ones matrix.

    ``ξ(X) = 1 (every entry 1)`` of shape ``(m, m')`` (attribute) or ``(b, b')``.

    Args:
      b: number of instances.
      m: number of attributes.
      b_prime: output instances ``b'``; ``None`` means ``b``.
      m_prime: output attributes ``m'``; ``None`` means ``m``.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: unused.
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if a size is not a positive integer.

    References:
      tinyBIG, ``tinybig/interdependence/basic_interdependence.py`` (``one_interdependence``).
      Zhang, J. "RPN 2: On Interdependence Function Learning Towards Unifying and
      Advancing CNN, RNN, GNN, and Transformer", arXiv:2411.11162, 2024.

    >>> import numpy as np
    >>> OneInterdependence(2, 2, interdependence_type="instance").apply(
    ...     None, np.array([[1.0, 2.0], [3.0, 4.0]])).tolist()
    [[4.0, 6.0], [4.0, 6.0]]
    """

    def _value(self) -> float:
        return 1.0


@register(
    family="interdependence",
    tinybig="identity_interdependence",
    aliases=("eye_interdependence", "EyeInterdependence"),
    formula="ξ(X) = I (the d×d' identity, d = m or b)",
)
@dataclasses.dataclass(frozen=True)
class IdentityInterdependence(StaticBase, SizedBase):
    """Interdependence by the identity matrix (tinyBIG's ``eye_interdependence`` too).

    ``ξ(X) = I (the d×d' identity, d = m or b)``: ``I_{m×m'}`` (attribute) or
    ``I_{b×b'}`` (instance). When ``d' ≠ d`` the rectangular identity keeps the
    first ``min(d, d')`` entries and pads with zeros.

    Args:
      b: number of instances.
      m: number of attributes.
      b_prime: output instances ``b'``; ``None`` means ``b``.
      m_prime: output attributes ``m'``; ``None`` means ``m``.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: unused.
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if a size is not a positive integer.
    References:
      tinyBIG, ``tinybig/interdependence/basic_interdependence.py`` (``identity_interdependence``).
      Zhang, J. "RPN 2: On Interdependence Function Learning Towards Unifying and
      Advancing CNN, RNN, GNN, and Transformer", arXiv:2411.11162, 2024.

    >>> import numpy as np
    >>> IdentityInterdependence(1, 3, m_prime=4).apply(None, np.array([[1.0, 2.0, 3.0]])).tolist()
    [[1.0, 2.0, 3.0, 0.0]]
    """


    def _matrix(self) -> np.ndarray:
        return np.eye(self._d, self._d_prime())

    def _structured(self, x: jax.Array) -> jax.Array:
        axis = 1 if self.is_attribute else 0
        keep = min(self._d, self._d_prime())
        kept = jax.lax.slice_in_dim(x, 0, keep, axis=axis)
        pad = [(0, 0), (0, 0)]
        pad[axis] = (0, self._d_prime() - keep)
        return jnp.pad(kept, pad).astype(output_dtype(x))
