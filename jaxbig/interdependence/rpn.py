"""Parameterized RPN interdependence: A is computed by an RPN-style head from the data."""

from __future__ import annotations

import dataclasses
from typing import Any

import jax
import jax.numpy as jnp

from jaxbig.base import Fabrication, Transformation
from jaxbig.interdependence._base import named_errors, output_dtype
from jaxbig.interdependence._sized import SizedBase
from jaxbig.registry import register

__all__ = ["ParameterizedRPNInterdependence"]


@register(
    family="interdependence",
    tinybig="parameterized_rpn_interdependence",
    formula="ξ(X | w) = κ(V) ψ(w)ᵀ, V = Xᵀ (attribute) or X (instance)",
)
@dataclasses.dataclass(frozen=True)
class ParameterizedRPNInterdependence(SizedBase):
    """Parameterized RPN interdependence: an expansion and a fabrication compute A.

    ``ξ(X | w) = κ(V) ψ(w)ᵀ, V = Xᵀ (attribute) or X (instance)``: each related
    vector (a row of ``V``, i.e. a column of ``X`` for attribute functions or a row
    for instance functions, with ``k = b`` or ``m`` entries) is expanded by the data
    transformation ``κ: ℝ^k → ℝ^D`` and projected by the fabricated
    ``ψ(w) ∈ ℝ^{d'×D}``, so ``A ∈ ℝ^{d×d'}`` (``(m, m')`` or ``(b, b')``) and
    ``l = ψ.calculate_l(d', D)``. ``κ(V) ψ(w)ᵀ`` is ψ's structured ``product``, and
    ``apply`` folds the data in first when that is cheaper
    (``x @ A = ψ.product(w, x κ(V))``).

    Args:
      b: number of instances.
      m: number of attributes.
      data_transformation: a parameter-free jaxbig transformation κ (an expansion
        or compression, e.g. :class:`~jaxbig.expansion.TaylorExpansion`).
      parameter_fabrication: a jaxbig reconciliation ψ.
      b_prime: output instances ``b'`` (instance functions); ``None`` means ``b``.
      m_prime: output attributes ``m'`` (attribute functions); ``None`` means ``m``.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: functions applied to ``x`` before A is computed.
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if either function is missing or of the wrong family, κ has
        parameters, or ψ does not fit ``(d', D)``.

    References:
      tinyBIG, ``tinybig/interdependence/parameterized_rpn_interdependence.py``
      (``parameterized_rpn_interdependence``); RPN 2, arXiv:2411.11162.

    >>> import jax, jax.numpy as jnp
    >>> from jaxbig.expansion import TaylorExpansion
    >>> from jaxbig.reconciliation import LowRankReconciliation
    >>> f = ParameterizedRPNInterdependence(
    ...     4, 3, data_transformation=TaylorExpansion(d=2), parameter_fabrication=LowRankReconciliation(r=1))
    >>> w = f.init(jax.random.key(0))
    >>> f.calculate_l(), f.calculate_A(w, jnp.ones((4, 3))).shape
    (23, (3, 3))
    """

    _: dataclasses.KW_ONLY
    data_transformation: Any = None
    parameter_fabrication: Any = None

    require_data = True

    def __post_init__(self) -> None:
        super().__post_init__()
        if not isinstance(self.data_transformation, Transformation):
            raise self._error(
                f"data_transformation must be a jaxbig transformation (expansion or compression), "
                f"got {self.data_transformation!r}"
            )
        if not isinstance(self.parameter_fabrication, Fabrication):
            raise self._error(
                f"parameter_fabrication must be a jaxbig reconciliation, got {self.parameter_fabrication!r}"
            )
        k = self._entries()
        with named_errors(self):
            params = jax.eval_shape(lambda key: self.data_transformation.init(key, k), jax.random.key(0))
        if params is not None:
            raise self._error(
                f"data_transformation {type(self.data_transformation).__name__} has parameters; "
                "only parameter-free transformations are supported"
            )
        self.calculate_l()

    def _entries(self) -> int:
        """``k``: the number of entries of each related vector."""
        return self.b if self.is_attribute else self.m

    def _shape(self) -> tuple[int, int]:
        """``(d', D)``: the fabricated matrix's shape."""
        with named_errors(self):
            return self._d_prime(), self.data_transformation.calculate_D(self._entries())

    def calculate_l(self) -> int:
        """The number of parameters, ``ψ.calculate_l(d', D)``."""
        with named_errors(self):
            return self.parameter_fabrication.calculate_l(*self._shape())

    def init(self, key: jax.Array, *, dtype: Any = jnp.float32) -> Any:
        """Draws the parameters of ψ for a ``(d', D)`` matrix (``ψ.init``)."""
        with named_errors(self):
            return self.parameter_fabrication.init(key, *self._shape(), dtype=dtype)

    def _expanded(self, x: jax.Array) -> jax.Array:
        """``κ(V)``: the related vectors expanded, ``(d, D)``."""
        v = self._vectors(x.astype(output_dtype(x)))
        with named_errors(self):
            return self.data_transformation.apply(None, v).astype(v.dtype)

    def _project(self, w: Any, z: jax.Array) -> jax.Array:
        with named_errors(self):
            return self.parameter_fabrication.product(w, z, *self._shape())

    def calculate_A(self, w: Any, x: jax.typing.ArrayLike | None = None) -> jax.Array:
        """``A = κ(V) ψ(w)ᵀ``.

        Args:
          w: the parameters from :meth:`init`.
          x: the data, shape ``(b, m)``.

        Returns:
          A, ``(m, m')`` (attribute) or ``(b, b')`` (instance), in ``x``'s dtype.

        Raises:
          ValueError: if ``x`` is missing or ``x`` or ``w`` has the wrong shape.
        """
        return self._postprocess(self._project(w, self._expanded(self._require_x(x))))

    def apply(self, w: Any, x: jax.typing.ArrayLike) -> jax.Array:
        """``x @ A`` (attribute, ``(b, m')``) or ``Aᵀ @ x`` (instance, ``(b', m)``).

        Args:
          w: the parameters from :meth:`init`.
          x: the data, shape ``(b, m)``.

        Raises:
          ValueError: if ``x`` or ``w`` has the wrong shape.
        """
        x = self._check_x(x)
        if self.postprocess_functions:
            return self._mix(self.calculate_A(w, x), x)
        e = self._expanded(x)
        x = x.astype(e.dtype)
        if self.is_attribute:  # x @ κ(V) ψᵀ
            rows = x.shape[0]
            return self._project(w, x @ e) if rows <= self._d else x @ self._project(w, e)
        rows = x.shape[1]  # Aᵀ x = (xᵀ κ(V) ψᵀ)ᵀ
        return self._project(w, x.T @ e).T if rows <= self._d else self._project(w, e).T @ x
