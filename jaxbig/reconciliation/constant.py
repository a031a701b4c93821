"""Parameter-free reconciliations: constant, zero, one and the constant identity.

They take no parameters (``l = 0``): ``w`` may be an empty ``(0,)`` array (whose
dtype sets the output dtype), tinyBIG's ``(1, 0)``, or ``None`` (float32).
"""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

import jax
import jax.numpy as jnp

from jaxbig.base import check_float, check_matrix
from jaxbig.ops.kron import eye_kron_product
from jaxbig.reconciliation._layout import Shape, _Structured
from jaxbig.registry import register

__all__ = [
    "ConstantEyeReconciliation",
    "ConstantReconciliation",
    "OneReconciliation",
    "ZeroReconciliation",
]


class _ParameterFree(_Structured):
    """A fabrication with ``l = 0``."""

    def _layout(self, n: int, D: int) -> tuple[Shape, ...]:
        self._check_nD(n, D)
        return ()

    def _dtype(self, w: Any, n: int, D: int) -> Any:
        """The floating dtype of a parameter-free member's output (``w``'s, else float32)."""
        self._parts(w, n, D)
        dtype = jnp.result_type(w) if w is not None else jnp.float32
        return dtype if jnp.issubdtype(dtype, jnp.floating) else jnp.float32


class _Constant(_ParameterFree):
    """ψ(w) = c · 1_{n×D} for the member's constant ``c``."""

    c: ClassVar[float]

    def apply(self, w: Any, n: int, D: int) -> jax.Array:
        return jnp.full((n, D), self.c, self._dtype(w, n, D))

    def product(self, w: Any, x: jax.typing.ArrayLike, n: int, D: int) -> jax.Array:
        self._parts(w, n, D)
        x = check_matrix(self, x, D)
        row_sums = jnp.sum(x, axis=1, keepdims=True) * jnp.asarray(self.c, x.dtype)
        return jnp.broadcast_to(row_sums, (x.shape[0], n))


@register(
    family="reconciliation",
    tinybig="constant_reconciliation",
    formula="ψ(w) = c · 1_{n×D}",
    aliases=("constant_c_reconciliation",),
)
@dataclasses.dataclass(frozen=True)
class ConstantReconciliation(_Constant):
    """Constant reconciliation: every entry of the fabricated matrix is ``c``.

    ψ(w) = c · 1_{n×D}

    where ``1_{n×D}`` is the ``n × D`` matrix of ones and ``c`` the constant; no
    parameters (``l = 0``). ``product`` is ``c`` times the row sums of ``x``.

    Args:
      c: the constant.

    Raises:
      ValueError: if ``c`` is not a finite real number.

    References:
      tinyBIG 0.2.1, ``tinybig/reconciliation/basic_reconciliation.py`` (``constant_reconciliation``).
      Zhang, J. "RPN: Reconciled Polynomial Network", arXiv:2407.04819, 2024.

    >>> psi = ConstantReconciliation(c=0.5)
    >>> psi.calculate_l(2, 3)
    0
    >>> psi.apply(None, 2, 3)
    Array([[0.5, 0.5, 0.5],
           [0.5, 0.5, 0.5]], dtype=float32)
    """

    c: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "c", check_float(self, "c", self.c))


@register(family="reconciliation", tinybig="zero_reconciliation", formula="ψ(w) = 0_{n×D}")
@dataclasses.dataclass(frozen=True)
class ZeroReconciliation(_Constant):
    """Zero reconciliation: the fabricated matrix is all zeros.

    ψ(w) = 0_{n×D}

    the ``n × D`` zero matrix; no parameters (``l = 0``). The constant
    reconciliation with ``c = 0``.

    Attributes:
      c: the constant, fixed at 0.

    References:
      tinyBIG 0.2.1, ``tinybig/reconciliation/basic_reconciliation.py`` (``zero_reconciliation``).
      Zhang, J. "RPN: Reconciled Polynomial Network", arXiv:2407.04819, 2024.

    >>> ZeroReconciliation().apply(None, 2, 3).shape
    (2, 3)
    """

    c: ClassVar[float] = 0.0


@register(family="reconciliation", tinybig="one_reconciliation", formula="ψ(w) = 1_{n×D}")
@dataclasses.dataclass(frozen=True)
class OneReconciliation(_Constant):
    """One reconciliation: the fabricated matrix is all ones.

    ψ(w) = 1_{n×D}

    the ``n × D`` matrix of ones; no parameters (``l = 0``). The constant
    reconciliation with ``c = 1``; ``product`` is the row sums of ``x``.

    Attributes:
      c: the constant, fixed at 1.

    References:
      tinyBIG 0.2.1, ``tinybig/reconciliation/basic_reconciliation.py`` (``one_reconciliation``).
      Zhang, J. "RPN: Reconciled Polynomial Network", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> OneReconciliation().product(None, jnp.ones((4, 3)), 2, 3)[0]
    Array([3., 3.], dtype=float32)
    """

    c: ClassVar[float] = 1.0


@register(
    family="reconciliation",
    tinybig="constant_eye_reconciliation",
    formula="ψ(w) = I_{n×D}",
)
@dataclasses.dataclass(frozen=True)
class ConstantEyeReconciliation(_ParameterFree):
    """Constant identity reconciliation: the (rectangular) identity matrix.

    ψ(w) = I_{n×D}

    the ``n × D`` matrix with ones on the main diagonal; no parameters
    (``l = 0``). ``product`` keeps the first ``min(n, D)`` columns of ``x`` and
    pads with zero columns up to ``n``.

    Args:
      (none): the function has no hyperparameters.

    References:
      tinyBIG 0.2.1, ``tinybig/reconciliation/basic_reconciliation.py`` (``constant_eye_reconciliation``).
      Zhang, J. "RPN: Reconciled Polynomial Network", arXiv:2407.04819, 2024.

    >>> ConstantEyeReconciliation().apply(None, 2, 3)
    Array([[1., 0., 0.],
           [0., 1., 0.]], dtype=float32)
    """

    def apply(self, w: Any, n: int, D: int) -> jax.Array:
        return jnp.eye(n, D, dtype=self._dtype(w, n, D))

    def product(self, w: Any, x: jax.typing.ArrayLike, n: int, D: int) -> jax.Array:
        self._parts(w, n, D)
        x = check_matrix(self, x, D)
        # I_{n×D} = I_{n×D} ⊗ [1]: the block-diagonal product with 1×1 blocks.
        return eye_kron_product(x, jnp.ones((1, 1), x.dtype), n, D)
