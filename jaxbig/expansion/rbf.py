"""Radial basis function expansions around fixed centres (D = m·num_interval)."""

from __future__ import annotations

import abc
import dataclasses
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxbig.base import check_float, check_int
from jaxbig.expansion._common import ExpansionBase, check_range, constant, per_feature
from jaxbig.registry import register

__all__ = ["GaussianRBFExpansion", "InverseQuadraticRBFExpansion"]


@dataclasses.dataclass(frozen=True, kw_only=True)
class _RBFExpansion(ExpansionBase):
    """``κ(x)_{i,j} = φ(ε(x_i − c_j))`` around centres ``c``; subclasses define ``φ``."""

    base_range: tuple[float, float] = (-1.0, 1.0)
    num_interval: int = 10
    epsilon: float = 1.0
    base: Any = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_range", check_range(self, "base_range", self.base_range))
        object.__setattr__(self, "num_interval", check_int(self, "num_interval", self.num_interval, minimum=1))
        object.__setattr__(self, "epsilon", check_float(self, "epsilon", self.epsilon))
        if self.base is not None:
            centres = np.asarray(self.base, dtype=np.float64)
            if centres.ndim != 1 or not np.all(np.isfinite(centres)):
                raise ValueError(
                    f"{type(self).__name__}: base must be a finite 1-D sequence of centres, "
                    f"got shape {centres.shape}"
                )
            if centres.size != self.num_interval:
                raise ValueError(
                    f"{type(self).__name__}: num_interval={self.num_interval} must equal "
                    f"len(base)={centres.size}"
                )
            object.__setattr__(self, "base", tuple(centres.tolist()))

    def centres(self) -> np.ndarray:
        """The centres ``c``: ``base`` if given, else ``linspace(*base_range, num_interval)``."""
        if self.base is not None:
            return np.asarray(self.base)
        return np.linspace(*self.base_range, self.num_interval)

    def _D(self, m: int) -> int:
        return m * self.num_interval

    def _expand(self, x: jax.Array) -> jax.Array:
        r = (x[..., None] - constant(self.centres(), x)) * self.epsilon
        return per_feature(self._phi(r))

    @abc.abstractmethod
    def _phi(self, r: jax.Array) -> jax.Array:
        """The radial function of ``r = ε(x − c)``."""


@register(
    family="expansion",
    tinybig="gaussian_rbf_expansion",
    formula="κ(x)_{i,j} = exp(−(ε(x_i − c_j))²), c = linspace(lo, hi, n_c), D = m·n_c",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class GaussianRBFExpansion(_RBFExpansion):
    """Gaussian RBF expansion: Gaussian bumps around evenly spaced centres.

    ``κ(x)_{i,j} = exp(−(ε(x_i − c_j))²), c = linspace(lo, hi, n_c), D = m·n_c``,
    with ``(lo, hi) = base_range`` and ``n_c = num_interval``; ``κ(x)_{i,j}`` is
    column ``i·n_c + j`` (tinyBIG's order).

    Args:
      base_range: ``(lo, hi)`` of the evenly spaced centres, ``lo < hi``.
      num_interval: the number of centres ``n_c ≥ 1``.
      epsilon: the shape parameter ``ε``.
      base: explicit centres ``c`` (a sequence of ``num_interval`` floats) instead
        of the evenly spaced ones, or ``None``.

    Raises:
      ValueError: if a hyperparameter is out of range or ``base`` does not have
        ``num_interval`` finite entries.

    References:
      tinyBIG ``gaussian_rbf_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import GaussianRBFExpansion
    >>> GaussianRBFExpansion(num_interval=3).apply(None, jnp.array([[0.0]]))
    Array([[0.36787945, 1.        , 0.36787945]], dtype=float32)
    """

    def _phi(self, r: jax.Array) -> jax.Array:
        return jnp.exp(-(r**2))


@register(
    family="expansion",
    tinybig="inverse_quadratic_rbf_expansion",
    formula="κ(x)_{i,j} = 1/(1 + (ε(x_i − c_j))²), c = linspace(lo, hi, n_c), D = m·n_c",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class InverseQuadraticRBFExpansion(_RBFExpansion):
    """Inverse quadratic RBF expansion: Cauchy-shaped bumps around evenly spaced centres.

    ``κ(x)_{i,j} = 1/(1 + (ε(x_i − c_j))²), c = linspace(lo, hi, n_c), D = m·n_c``,
    with ``(lo, hi) = base_range`` and ``n_c = num_interval``; ``κ(x)_{i,j}`` is
    column ``i·n_c + j``.

    Args:
      base_range: ``(lo, hi)`` of the evenly spaced centres, ``lo < hi``.
      num_interval: the number of centres ``n_c ≥ 1``.
      epsilon: the shape parameter ``ε``.
      base: explicit centres ``c`` (a sequence of ``num_interval`` floats) instead
        of the evenly spaced ones, or ``None``.

    Raises:
      ValueError: if a hyperparameter is out of range or ``base`` does not have
        ``num_interval`` finite entries.

    References:
      tinyBIG ``inverse_quadratic_rbf_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import InverseQuadraticRBFExpansion
    >>> InverseQuadraticRBFExpansion(num_interval=3).apply(None, jnp.array([[0.0]]))
    Array([[0.5, 1. , 0.5]], dtype=float32)
    """

    def _phi(self, r: jax.Array) -> jax.Array:
        return 1 / (1 + r**2)
