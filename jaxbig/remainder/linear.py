"""The linear remainder: π(x) = x Wᵀ + b."""

from __future__ import annotations

import dataclasses
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxbig.base import check_bool, check_vector
from jaxbig.ops import apply_functions
from jaxbig.registry import register
from jaxbig.remainder._common import (
    Activated,
    check_input,
    check_no_params,
    check_same_width,
    check_widths,
    float_dtype,
    identity,
)

__all__ = ["LinearRemainder"]


@register(family="remainder", tinybig="linear_remainder", formula="π(x) = σ(x Wᵀ + b)")
@dataclasses.dataclass(frozen=True, kw_only=True)
class LinearRemainder(Activated):
    """Linear remainder: a learned linear map that adjusts the width from m to n.

    π(x) = σ(x Wᵀ + b), where ``x`` is the input of shape ``(b, m)``, W ∈ ℝ^{n×m}
    the learned matrix, ``b`` ∈ ℝⁿ the optional bias (``enable_bias``; zero
    otherwise), and σ the composition of ``activation_functions`` (the identity by
    default).

    Parameter layout (tinyBIG's order): one flat vector ``w`` of length
    ``l = n·m`` (``n·m + n`` with the bias) whose first ``n·m`` entries are W in
    row-major order and whose last ``n`` entries are ``b``. tinyBIG keeps W and b
    as separate tensors (a head's ``w_remainder`` of shape ``(n, m)`` and
    ``b_remainder`` of shape ``(n,)``); :meth:`pack` joins them, so tinyBIG
    weights load as they are.

    Args:
      require_parameters: whether W is used. ``False`` reproduces tinyBIG's
        parameter-free linear remainder, which passes ``x`` through (then ``l = 0``
        and ``m`` must equal ``n``).
      enable_bias: whether to add the bias ``b`` (needs ``require_parameters``).
      activation_functions: functions σ applied to the term, in order (names such
        as ``"relu"`` or hashable callables).

    Raises:
      ValueError: if a flag is not a bool, ``enable_bias`` is set without
        ``require_parameters``, or an activation is unknown.

    References:
      tinyBIG ``tinybig.remainder.linear_remainder``; Zhang, J. "RPN: Reconciled
      Polynomial Network", arXiv:2407.04819, 2024.

    >>> import jax, jax.numpy as jnp
    >>> remainder = LinearRemainder(enable_bias=True, activation_functions="tanh")
    >>> w = remainder.init(jax.random.key(0), 3, 4)
    >>> w.shape, remainder.apply(w, jnp.ones((2, 4)), 3).shape
    ((15,), (2, 3))
    """

    require_parameters: bool = True
    enable_bias: bool = False

    def __post_init__(self) -> None:
        super().__post_init__()
        for name in ("require_parameters", "enable_bias"):
            object.__setattr__(self, name, check_bool(self, name, getattr(self, name)))
        if self.enable_bias and not self.require_parameters:
            raise self._error("enable_bias=True needs require_parameters=True")

    def calculate_l(self, n: int, m: int) -> int:
        """The number of parameters: ``n·m``, plus ``n`` with the bias (0 without parameters).

        Raises:
          ValueError: if ``n`` or ``m`` is not a positive integer, or ``m != n``
            when ``require_parameters`` is False.
        """
        n, m = check_widths(self, n, m)
        if not self.require_parameters:
            check_same_width(self, n, m)
            return 0
        return n * m + (n if self.enable_bias else 0)

    def init(self, key: jax.Array, n: int, m: int, *, dtype: Any = jnp.float32) -> Any:
        """Draws ``w`` of shape ``(l,)``, uniform in ±1/√m (as ``torch.nn.Linear``).

        Returns:
          The flat vector ``w`` (W row-major, then ``b``), or ``None`` without parameters.
        """
        if not self.require_parameters:
            self.calculate_l(n, m)
            return None
        return super().init(key, n, m, dtype=dtype)

    def pack(self, W: jax.typing.ArrayLike, b: jax.typing.ArrayLike | None = None) -> jax.Array:
        """Joins a weight matrix and a bias into this remainder's flat ``w``.

        Args:
          W: weight matrix of shape ``(n, m)`` (tinyBIG's ``w_remainder``).
          b: bias of shape ``(n,)`` (tinyBIG's ``b_remainder``); required exactly
            when ``enable_bias`` is set.

        Returns:
          ``w`` of shape ``(l,)``.

        Raises:
          ValueError: on shapes that do not fit, or a bias given (or missing)
            against ``enable_bias``.
        """
        if not self.require_parameters:
            raise self._error("has no parameters to pack (require_parameters=False)")
        shape = tuple(np.shape(W))
        if len(shape) != 2:
            raise self._error(f"W must have shape (n, m), got shape {shape}")
        n = shape[0]
        if (b is not None) != self.enable_bias:
            raise self._error(
                f"b must be given exactly when enable_bias=True (enable_bias={self.enable_bias})"
            )
        parts = [jnp.ravel(jnp.asarray(W))]
        if b is not None:
            if tuple(np.shape(b)) not in ((n,), (1, n)):
                raise self._error(f"b must have shape ({n},), got shape {tuple(np.shape(b))}")
            parts.append(jnp.ravel(jnp.asarray(b)))
        return jnp.concatenate(parts)

    def apply(self, w: Any, x: jax.typing.ArrayLike, n: int) -> jax.Array:
        """π(x) = σ(x Wᵀ + b).

        Args:
          w: parameters of shape ``(l,)`` (or tinyBIG's ``(1, l)``), ``l =
            calculate_l(n, m)``; ``None`` without parameters.
          x: input of shape ``(b, m)``.
          n: output width.

        Returns:
          The remainder term, shape ``(b, n)``, in ``x``'s floating dtype.

        Raises:
          ValueError: if ``x`` is not 2-D or ``w`` does not have length
            ``calculate_l(n, m)``.
        """
        if not self.require_parameters:
            check_no_params(self, w)
            return identity(self, x, n, self.activation_functions)
        x, n = check_input(self, x, n)
        x = x.astype(float_dtype(x))
        m = x.shape[1]
        w = check_vector(self, w, self.calculate_l(n, m)).astype(x.dtype)
        y = x @ w[: n * m].reshape(n, m).T
        if self.enable_bias:
            y = y + w[n * m :]
        return apply_functions(self.activation_functions, y)
