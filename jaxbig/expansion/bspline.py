"""B-spline expansion on a uniform grid (Cox–de Boor recursion, vectorised over degree)."""

from __future__ import annotations

import dataclasses

import jax
import numpy as np

from jaxbig.base import check_int
from jaxbig.expansion._common import ExpansionBase, check_range, constant, per_feature
from jaxbig.registry import register

__all__ = ["BSplineExpansion"]


@register(
    family="expansion",
    tinybig="bspline_expansion",
    formula="κ(x)_{i,j} = B_{j,d}(x_i), j = 0..t+d−1, knots g_k = lo + (k−d)(hi−lo)/t, k = 0..t+2d, D = m(t+d)",
)
@dataclasses.dataclass(frozen=True)
class BSplineExpansion(ExpansionBase):
    """B-spline expansion: the degree-``d`` B-spline basis on a uniform grid.

    ``κ(x)_{i,j} = B_{j,d}(x_i), j = 0..t+d−1, knots g_k = lo + (k−d)(hi−lo)/t, k = 0..t+2d, D = m(t+d)``,
    with ``(lo, hi) = grid_range`` split into ``t`` intervals and ``d`` extra knots
    on each side. The basis follows the Cox–de Boor recursion::

        B_{j,0}(x) = 1 if g_j ≤ x < g_{j+1} else 0,
        B_{j,k}(x) = (x − g_j)/(g_{j+k} − g_j)·B_{j,k−1}(x)
                     + (g_{j+k+1} − x)/(g_{j+k+1} − g_{j+1})·B_{j+1,k−1}(x).

    ``κ(x)_{i,j}`` is column ``i·(t+d) + j`` (tinyBIG's order). Outside
    ``[g_0, g_{t+2d})`` every basis function is 0. One whole-array update per
    degree: the trace grows linearly in ``d``.

    Args:
      grid_range: ``(lo, hi)``, ``lo < hi``.
      t: the number of grid intervals ``t ≥ 1``.
      d: the spline degree ``d ≥ 0``.

    Raises:
      ValueError: if ``grid_range`` is not an increasing pair or ``t``/``d`` is out
        of range.

    References:
      tinyBIG ``bspline_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024;
      de Boor, C. "A Practical Guide to Splines", 1978.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import BSplineExpansion
    >>> BSplineExpansion(t=2, d=1).apply(None, jnp.array([[0.0]]))
    Array([[0., 1., 0.]], dtype=float32)
    """

    grid_range: tuple[float, float] = (-1.0, 1.0)
    t: int = 5
    d: int = 3

    def __post_init__(self) -> None:
        object.__setattr__(self, "grid_range", check_range(self, "grid_range", self.grid_range))
        object.__setattr__(self, "t", check_int(self, "t", self.t, minimum=1))
        object.__setattr__(self, "d", check_int(self, "d", self.d, minimum=0))

    def knots(self) -> np.ndarray:
        """The ``t + 2d + 1`` knots ``g_k = lo + (k − d)(hi − lo)/t`` (float64)."""
        low, high = self.grid_range
        return np.arange(-self.d, self.t + self.d + 1) * ((high - low) / self.t) + low

    def _D(self, m: int) -> int:
        return m * (self.t + self.d)

    def _expand(self, x: jax.Array) -> jax.Array:
        g = self.knots()
        knots = constant(g, x)
        u = x[..., None]  # (b, m, 1)
        bases = ((u >= knots[:-1]) & (u < knots[1:])).astype(x.dtype)
        for k in range(1, self.d + 1):
            left = (u - knots[: -(k + 1)]) * constant(1 / (g[k:-1] - g[: -(k + 1)]), x)
            right = (knots[k + 1 :] - u) * constant(1 / (g[k + 1 :] - g[1:-k]), x)
            bases = left * bases[..., :-1] + right * bases[..., 1:]
        return per_feature(bases)
