"""Combinatorial expansions: every r-subset of the features, r = 1..d (lexicographic)."""

from __future__ import annotations

import dataclasses
import math

import jax
import jax.numpy as jnp
import numpy as np

from jaxbig.base import check_bool, check_int
from jaxbig.expansion._common import ExpansionBase, blocks
from jaxbig.ops.combinations import combinations, num_combinations
from jaxbig.registry import register

__all__ = ["CombinatorialExpansion", "CombinatorialNormalExpansion"]


@dataclasses.dataclass(frozen=True, kw_only=True)
class _Combinatorial(ExpansionBase):
    d: int = 2
    with_replacement: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "d", check_int(self, "d", self.d, minimum=1))
        object.__setattr__(self, "with_replacement", check_bool(self, "with_replacement", self.with_replacement))

    def _index(self, m: int, r: int) -> np.ndarray:
        return combinations(m, r, with_replacement=self.with_replacement)


@register(
    family="expansion",
    tinybig="combinatorial_expansion",
    formula="κ(x) = [C(x, 1), C(x, 2), ..., C(x, d)], C(x, r) = the r-subsets of x's features in lexicographic order, D = Σ_{r=1}^d r·C(m, r)",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class CombinatorialExpansion(_Combinatorial):
    """Combinatorial expansion: the entries of every r-subset of the features.

    ``κ(x) = [C(x, 1), C(x, 2), ..., C(x, d)], C(x, r) = the r-subsets of x's features in lexicographic order, D = Σ_{r=1}^d r·C(m, r)``:
    block ``r`` lists, for each index set ``i_1 < … < i_r`` in lexicographic order
    (``itertools.combinations``), the values ``x_{i_1}, …, x_{i_r}``. With
    ``with_replacement`` the index sets are ``i_1 ≤ … ≤ i_r`` and
    ``D = Σ_r r·C(m + r − 1, r)``.

    tinyBIG returns these as nested lists of ``(C(m, r), r)`` tensors and ignores
    its ``with_replacement`` attribute in ``forward``; jaxbig flattens them into the
    ``(b, D)`` layout that its ``calculate_D`` describes and honours the flag.

    Args:
      d: the largest subset size ``d ≥ 1``.
      with_replacement: whether an index may repeat within a subset.

    Raises:
      ValueError: if ``d`` is not a positive integer or ``with_replacement`` is
        not a bool.

    References:
      tinyBIG ``combinatorial_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import CombinatorialExpansion
    >>> CombinatorialExpansion(d=2).apply(None, jnp.array([[1.0, 2.0, 3.0]]))
    Array([[1., 2., 3., 1., 2., 1., 3., 2., 3.]], dtype=float32)
    """

    def _D(self, m: int) -> int:
        return sum(r * num_combinations(m, r, with_replacement=self.with_replacement) for r in range(1, self.d + 1))

    def _expand(self, x: jax.Array) -> jax.Array:
        m = x.shape[1]
        return blocks([jnp.take(x, self._index(m, r).reshape(-1), axis=1) for r in range(1, self.d + 1)])


@register(
    family="expansion",
    tinybig="combinatorial_normal_expansion",
    formula="κ(x) = [log N(x_S | 0, I_r)]_{S ∈ C(x, r), r = 1..d}, D = Σ_{r=1}^d C(m, r)",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class CombinatorialNormalExpansion(_Combinatorial):
    """Combinatorial normal expansion: the r-variate standard normal log-density of
    every r-subset of the features.

    ``κ(x) = [log N(x_S | 0, I_r)]_{S ∈ C(x, r), r = 1..d}, D = Σ_{r=1}^d C(m, r)``,
    with ``log N(x_S | 0, I_r) = −½ Σ_{i∈S} x_i² − (r/2) log 2π`` and the subsets
    ``S`` in the order of :class:`CombinatorialExpansion`. With
    ``with_replacement`` the sizes are ``C(m + r − 1, r)`` (tinyBIG's ``forward``
    ignores the attribute).

    Args:
      d: the largest subset size ``d ≥ 1``.
      with_replacement: whether an index may repeat within a subset.

    Raises:
      ValueError: if ``d`` is not a positive integer or ``with_replacement`` is
        not a bool.

    References:
      tinyBIG ``combinatorial_normal_expansion``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import CombinatorialNormalExpansion
    >>> CombinatorialNormalExpansion(d=2).apply(None, jnp.zeros((1, 3))).shape
    (1, 6)
    """

    d: int = 1

    def _D(self, m: int) -> int:
        return sum(num_combinations(m, r, with_replacement=self.with_replacement) for r in range(1, self.d + 1))

    def _expand(self, x: jax.Array) -> jax.Array:
        m = x.shape[1]
        squares = x * x
        out = []
        for r in range(1, self.d + 1):
            total = squares if r == 1 else jnp.take(squares, self._index(m, r), axis=1).sum(-1)
            out.append(-0.5 * total - 0.5 * r * math.log(2 * math.pi))
        return blocks(out)
