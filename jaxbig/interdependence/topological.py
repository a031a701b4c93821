"""Topological interdependence: chains and graphs, single- and multi-hop.

A is built from the structure alone (no data, no parameters) with NumPy in float64
at trace time, and enters a jitted computation as a constant. Throughout, ``Â``
denotes the structure's adjacency matrix *as configured*: the 0/1 (or given
weighted) adjacency, plus ``self_scaling·I`` when ``self_dependence``, then
degree-normalised when ``normalization`` (tinyBIG's order). Entry ``Â(i, j)`` is the
link ``i → j``; an instance function mixes ``ξ(x) = Âᵀ·x``, so node ``j`` receives
from its in-neighbours ``i``.

Differences from tinyBIG 0.2.1, where its code departs from its documented formulas:

* accumulative multi-hop is ``Σ_{i=0}^{h} Â^i`` as documented (tinyBIG's code sums
  from ``i = 1`` and, for bi-directional chains, also column-normalises the sum);
* the inverse approximation is ``(I - Â)⁻¹`` for every chain (tinyBIG's code switches
  to a column-normalised ``Σ_{i=1}^{d-1} Â^i`` for bi-directional chains); a
  singular ``I - Â`` raises a ValueError instead of returning inf/NaN;
* ``self_dependence`` / ``self_scaling`` are honoured by every member (tinyBIG's
  multi-hop chain ignores ``self_scaling``; its inverse, exponential and PageRank
  members ignore ``self_dependence``, which therefore defaults to ``False`` there).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import scipy.linalg

from jaxbig.base import check_bool, check_float, check_int, check_one_of
from jaxbig.interdependence._base import INSTANCE, StaticBase
from jaxbig.interdependence._matrix import (
    NORMALIZATION_MODES,
    checked_inverse,
    degree_normalize,
    power_sum,
)
from jaxbig.interdependence._static import StaticArray
from jaxbig.registry import register

__all__ = [
    "ChainInterdependence",
    "ExponentialApproxMultihopChainInterdependence",
    "GraphInterdependence",
    "InverseApproxMultihopChainInterdependence",
    "MultihopChainInterdependence",
    "MultihopGraphInterdependence",
    "PageRankMultihopGraphInterdependence",
]

_FAMILY = "interdependence"


@dataclasses.dataclass(frozen=True)
class _Topological(StaticBase):
    """Options shared by chains and graphs; subclasses give the raw adjacency."""

    _: dataclasses.KW_ONLY
    interdependence_type: str = INSTANCE
    normalization: bool = False
    normalization_mode: str = "row"
    self_dependence: bool = False
    self_scaling: float = 1.0

    def __post_init__(self) -> None:
        super().__post_init__()
        for name in ("normalization", "self_dependence"):
            object.__setattr__(self, name, check_bool(self, name, getattr(self, name)))
        check_one_of(self, "normalization_mode", self.normalization_mode, NORMALIZATION_MODES)
        object.__setattr__(self, "self_scaling", check_float(self, "self_scaling", self.self_scaling))

    def _adjacency(self) -> np.ndarray:
        raise NotImplementedError

    def adjacency_matrix(self) -> np.ndarray:
        """``Â``: the adjacency with self-loops and normalisation as configured (NumPy, float64)."""
        a = np.asarray(self._adjacency(), dtype=np.float64)
        if self.self_dependence:
            a = a + self.self_scaling * np.eye(a.shape[0])
        if self.normalization:
            a = degree_normalize(a, self.normalization_mode)
        return a

    def _transform(self, a: np.ndarray) -> np.ndarray:
        """The member's function of ``Â`` (identity for the single-hop members)."""
        return a

    def _matrix(self) -> np.ndarray:
        return self._transform(self.adjacency_matrix())


def _check_hops(owner: Any) -> None:
    object.__setattr__(owner, "h", check_int(owner, "h", owner.h, minimum=0))
    object.__setattr__(owner, "accumulative", check_bool(owner, "accumulative", owner.accumulative))


# -- chains --------------------------------------------------------------------------


@register(
    family=_FAMILY,
    tinybig="chain_interdependence",
    formula="ξ = Â, the chain 0 → 1 → … → d-1 (+ s·I)",
)
@dataclasses.dataclass(frozen=True)
class ChainInterdependence(_Topological):
    """Interdependence along a chain (a sequence), e.g. time steps or tokens.

    ``ξ = Â, the chain 0 → 1 → … → d-1 (+ s·I)``: ``Â(i, i+1) = 1`` for the ``d``
    positions (``d = b`` for instance functions, ``m`` for attribute functions),
    also ``Â(i+1, i) = 1`` when ``bi_directional``, plus ``s·I`` with
    ``s = self_scaling`` when ``self_dependence``; then normalised if asked.

    Args:
      b: number of instances.
      m: number of attributes.
      chain_length: the chain's length; must equal ``d``; ``None`` means ``d``.
      bi_directional: whether links go both ways.
      normalization: whether to degree-normalise ``Â``.
      normalization_mode: ``'row'``, ``'column'`` or ``'row_column'`` (tinyBIG's
        sequential ``D_r^{-1/2}`` then column-sum scaling).
      self_dependence: whether to add ``self_scaling·I`` (before normalising).
      self_scaling: the weight ``s`` of the self-loops.
      interdependence_type: ``'instance'`` (default) or ``'attribute'`` (or an alias).
      preprocess_functions: unused (no data).
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if ``chain_length`` differs from ``d`` or an option is invalid.

    References:
      tinyBIG, ``tinybig/interdependence/topological_interdependence.py``
      (``chain_interdependence``); RPN 2, arXiv:2411.11162.

    >>> import numpy as np
    >>> ChainInterdependence(3, 1, self_dependence=False).calculate_A().tolist()
    [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]]
    >>> ChainInterdependence(3, 1).apply(None, np.array([[1.0], [2.0], [3.0]])).tolist()
    [[1.0], [3.0], [5.0]]
    """

    _: dataclasses.KW_ONLY
    chain_length: int | None = None
    bi_directional: bool = False
    self_dependence: bool = True

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(
            self, "bi_directional", check_bool(self, "bi_directional", self.bi_directional)
        )
        if self.chain_length is None:
            object.__setattr__(self, "chain_length", self._d)
        length = check_int(self, "chain_length", self.chain_length, minimum=1)
        if length != self._d:
            size = "b" if not self.is_attribute else "m"
            raise self._error(
                f"chain_length={length} must equal {size}={self._d} for an "
                f"{self.interdependence_type} function"
            )
        object.__setattr__(self, "chain_length", length)

    def _adjacency(self) -> np.ndarray:
        a = np.eye(self._d, k=1)
        return a + a.T if self.bi_directional else a


@register(
    family=_FAMILY,
    tinybig="multihop_chain_interdependence",
    formula="ξ = Â^h, or Σ_{i=0}^{h} Â^i if accumulative (chain Â)",
)
@dataclasses.dataclass(frozen=True)
class MultihopChainInterdependence(ChainInterdependence):
    """Multi-hop interdependence along a chain.

    ``ξ = Â^h, or Σ_{i=0}^{h} Â^i if accumulative (chain Â)``, with ``Â`` the chain
    adjacency of :class:`ChainInterdependence`. The accumulative sum starts at
    ``Â^0 = I`` as tinyBIG documents (its code starts at ``i = 1`` and column-
    normalises bi-directional sums).

    Args:
      b: number of instances.
      m: number of attributes.
      h: the number of hops, ``≥ 0``.
      accumulative: whether to sum all hops ``0..h``.
      chain_length: the chain's length; must equal ``d``; ``None`` means ``d``.
      bi_directional: whether links go both ways.
      normalization: whether to degree-normalise ``Â``.
      normalization_mode: ``'row'``, ``'column'`` or ``'row_column'``.
      self_dependence: whether to add ``self_scaling·I`` to ``Â``.
      self_scaling: the weight of the self-loops.
      interdependence_type: ``'instance'`` (default) or ``'attribute'`` (or an alias).
      preprocess_functions: unused (no data).
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if ``h`` is negative or another option is invalid.

    References:
      tinyBIG, ``multihop_chain_interdependence``; RPN 2, arXiv:2411.11162.

    >>> MultihopChainInterdependence(3, 1, h=2, self_dependence=False).calculate_A().tolist()
    [[0.0, 0.0, 1.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    """

    _: dataclasses.KW_ONLY
    h: int = 1
    accumulative: bool = False

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_hops(self)

    def _transform(self, a: np.ndarray) -> np.ndarray:
        return power_sum(a, self.h, self.accumulative)


@register(
    family=_FAMILY,
    tinybig="inverse_approx_multihop_chain_interdependence",
    formula="ξ = (I - Â)⁻¹ = Σ_{i≥0} Â^i (chain Â)",
)
@dataclasses.dataclass(frozen=True)
class InverseApproxMultihopChainInterdependence(ChainInterdependence):
    """All-hop chain interdependence by the reciprocal series.

    ``ξ = (I - Â)⁻¹ = Σ_{i≥0} Â^i (chain Â)``. For a one-directional chain without
    self-loops ``Â`` is nilpotent, so the series is finite and exact. Other
    configurations must keep ``I - Â`` invertible (e.g. a bi-directional chain of
    length 2 is singular); otherwise a ValueError is raised.

    Args:
      b: number of instances.
      m: number of attributes.
      chain_length: the chain's length; must equal ``d``; ``None`` means ``d``.
      bi_directional: whether links go both ways.
      normalization: whether to degree-normalise ``Â``.
      normalization_mode: ``'row'``, ``'column'`` or ``'row_column'``.
      self_dependence: whether to add ``self_scaling·I`` to ``Â`` (default ``False``:
        the series already holds ``I``).
      self_scaling: the weight of the self-loops.
      interdependence_type: ``'instance'`` (default) or ``'attribute'`` (or an alias).
      preprocess_functions: unused (no data).
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if ``I - Â`` is singular, or an option is invalid.

    References:
      tinyBIG, ``inverse_approx_multihop_chain_interdependence``; RPN 2, arXiv:2411.11162.

    >>> InverseApproxMultihopChainInterdependence(3, 1).calculate_A().tolist()
    [[1.0, 1.0, 1.0], [0.0, 1.0, 1.0], [0.0, 0.0, 1.0]]
    """

    _: dataclasses.KW_ONLY
    self_dependence: bool = False

    def _transform(self, a: np.ndarray) -> np.ndarray:
        return checked_inverse(self, np.eye(a.shape[0]) - a, "I - Â")


@register(
    family=_FAMILY,
    tinybig="exponential_approx_multihop_chain_interdependence",
    formula="ξ = exp(Â) = Σ_{i≥0} Â^i / i! (chain Â)",
)
@dataclasses.dataclass(frozen=True)
class ExponentialApproxMultihopChainInterdependence(ChainInterdependence):
    """All-hop chain interdependence by the matrix exponential.

    ``ξ = exp(Â) = Σ_{i≥0} Â^i / i! (chain Â)``, computed with
    :func:`scipy.linalg.expm` in float64.

    Args:
      b: number of instances.
      m: number of attributes.
      chain_length: the chain's length; must equal ``d``; ``None`` means ``d``.
      bi_directional: whether links go both ways.
      normalization: whether to degree-normalise ``Â``.
      normalization_mode: ``'row'``, ``'column'`` or ``'row_column'``.
      self_dependence: whether to add ``self_scaling·I`` to ``Â`` (default ``False``).
      self_scaling: the weight of the self-loops.
      interdependence_type: ``'instance'`` (default) or ``'attribute'`` (or an alias).
      preprocess_functions: unused (no data).
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if an option is invalid.

    References:
      tinyBIG, ``exponential_approx_multihop_chain_interdependence``; RPN 2,
      arXiv:2411.11162.

    >>> ExponentialApproxMultihopChainInterdependence(3, 1).calculate_A().tolist()
    [[1.0, 1.0, 0.5], [0.0, 1.0, 1.0], [0.0, 0.0, 1.0]]
    """

    _: dataclasses.KW_ONLY
    self_dependence: bool = False

    def _transform(self, a: np.ndarray) -> np.ndarray:
        return scipy.linalg.expm(a)


# -- graphs --------------------------------------------------------------------------


def _hashable_node(owner: Any, node: Any) -> Any:
    try:
        hash(node)
    except TypeError:
        raise owner._error(f"node {node!r} must be hashable") from None
    return node


@register(
    family=_FAMILY,
    tinybig="graph_interdependence",
    formula="ξ = Â, the graph's adjacency (+ s·I)",
)
@dataclasses.dataclass(frozen=True)
class GraphInterdependence(_Topological):
    """Interdependence along the links of a given graph.

    ``ξ = Â, the graph's adjacency (+ s·I)``: ``Â(i, j) = 1`` for a link
    ``i → j`` (both ways when undirected) or the given weighted adjacency, plus
    ``s·I`` with ``s = self_scaling`` when ``self_dependence``; then normalised if
    asked. The graph has ``d`` nodes: ``b`` for instance functions (e.g. the nodes
    of a node-classification graph), ``m`` for attribute functions.

    Give the graph either as ``links`` (an edge list) or as a dense ``adjacency``.

    Args:
      b: number of instances.
      m: number of attributes.
      links: a sequence of ``(i, j)`` pairs; stored as a tuple of tuples. Without
        ``nodes`` the endpoints are node indices in ``[0, d)``.
      nodes: optional sequence of ``d`` distinct hashable node ids; the i-th id is
        row/column ``i`` of A, and ``links`` refer to these ids (tinyBIG's ``nodes``).
      adjacency: a dense ``(d, d)`` matrix (NumPy array, nested list or
        :class:`StaticArray`), possibly weighted; symmetric when ``directed=False``.
      directed: whether links are one-way.
      normalization: whether to degree-normalise ``Â``.
      normalization_mode: ``'row'`` (default), ``'column'`` or ``'row_column'``.
      self_dependence: whether to add ``self_scaling·I`` (before normalising).
      self_scaling: the weight ``s`` of the self-loops.
      interdependence_type: ``'instance'`` (default) or ``'attribute'`` (or an alias).
      preprocess_functions: unused (no data).
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if neither or both of ``links`` and ``adjacency`` are given; a
        link is not a pair or names an unknown node / an index outside ``[0, d)``;
        ``nodes`` is not ``d`` distinct ids; ``adjacency`` is not a finite
        ``(d, d)`` matrix, or is not symmetric while ``directed=False``.

    References:
      tinyBIG, ``graph_interdependence``; RPN 2, arXiv:2411.11162.

    >>> f = GraphInterdependence(3, 2, links=((0, 1), (1, 2)), directed=False)
    >>> f.calculate_A().tolist()
    [[0.0, 1.0, 0.0], [1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    >>> GraphInterdependence(2, 1, nodes=("a", "b"), links=(("b", "a"),)).calculate_A().tolist()
    [[0.0, 0.0], [1.0, 0.0]]
    """

    _: dataclasses.KW_ONLY
    links: Any = None
    nodes: Any = None
    adjacency: Any = None
    directed: bool = True

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "directed", check_bool(self, "directed", self.directed))
        if (self.links is None) == (self.adjacency is None):
            raise self._error("give the graph as exactly one of links=... or adjacency=...")
        if self.nodes is not None:
            nodes = tuple(_hashable_node(self, node) for node in self.nodes)
            if len(nodes) != self._d or len(set(nodes)) != len(nodes):
                raise self._error(f"nodes must be {self._d} distinct ids (d={self._d}), got {nodes!r}")
            object.__setattr__(self, "nodes", nodes)
        if self.links is not None:
            object.__setattr__(self, "links", self._checked_links(self.links))
        else:
            if self.nodes is not None:
                raise self._error("nodes only names the endpoints of links; not used with adjacency")
            object.__setattr__(self, "adjacency", self._checked_adjacency(self.adjacency))

    def _checked_links(self, links: Any) -> tuple[tuple[Any, Any], ...]:
        index = self._node_index()
        checked = []
        for link in links:
            if isinstance(link, (str, bytes)) or not hasattr(link, "__len__") or len(link) != 2:
                raise self._error(f"each link must be a pair (i, j), got {link!r}")
            pair = tuple(link)
            for node in pair:
                if self.nodes is None:
                    if isinstance(node, bool) or not isinstance(node, (int, np.integer)):
                        raise self._error(
                            f"link {pair!r}: without nodes, endpoints must be integer indices"
                        )
                    if not 0 <= node < self._d:
                        raise self._error(
                            f"link {pair!r}: node index {node} is outside [0, {self._d}) (d={self._d})"
                        )
                elif node not in index:
                    raise self._error(f"link {pair!r}: node {node!r} is not in nodes")
            checked.append(tuple(int(n) for n in pair) if self.nodes is None else pair)
        return tuple(checked)

    def _checked_adjacency(self, adjacency: Any) -> StaticArray:
        a = np.asarray(adjacency.array if isinstance(adjacency, StaticArray) else adjacency,
                       dtype=np.float64)
        if a.shape != (self._d, self._d):
            raise self._error(f"adjacency must have shape ({self._d}, {self._d}) (d={self._d}), got {a.shape}")
        if not np.all(np.isfinite(a)):
            raise self._error("adjacency must be finite (it has NaN or inf entries)")
        if not self.directed and not np.array_equal(a, a.T):
            raise self._error("adjacency must be symmetric when directed=False")
        return StaticArray(a)

    def _node_index(self) -> dict[Any, int]:
        nodes = range(self._d) if self.nodes is None else self.nodes
        return {node: i for i, node in enumerate(nodes)}

    def _adjacency(self) -> np.ndarray:
        if self.adjacency is not None:
            return self.adjacency.array
        a = np.zeros((self._d, self._d))
        index = self._node_index()
        if self.links:
            rows, cols = zip(*((index[i], index[j]) for i, j in self.links))
            a[list(rows), list(cols)] = 1.0
        return a if self.directed else np.maximum(a, a.T)


@register(
    family=_FAMILY,
    tinybig="multihop_graph_interdependence",
    formula="ξ = Â^h, or Σ_{i=0}^{h} Â^i if accumulative (graph Â)",
)
@dataclasses.dataclass(frozen=True)
class MultihopGraphInterdependence(GraphInterdependence):
    """Multi-hop interdependence along the links of a given graph.

    ``ξ = Â^h, or Σ_{i=0}^{h} Â^i if accumulative (graph Â)``, with ``Â`` the graph
    adjacency of :class:`GraphInterdependence`. The accumulative sum starts at
    ``Â^0 = I`` as tinyBIG documents (its code starts at ``i = 1``).

    Args:
      b: number of instances.
      m: number of attributes.
      h: the number of hops, ``≥ 0``.
      accumulative: whether to sum all hops ``0..h``.
      links: the edge list (see :class:`GraphInterdependence`).
      nodes: optional node ids naming the ``links`` endpoints.
      adjacency: a dense ``(d, d)`` adjacency instead of ``links``.
      directed: whether links are one-way.
      normalization: whether to degree-normalise ``Â``.
      normalization_mode: ``'row'``, ``'column'`` or ``'row_column'``.
      self_dependence: whether to add ``self_scaling·I``.
      self_scaling: the weight of the self-loops.
      interdependence_type: ``'instance'`` (default) or ``'attribute'`` (or an alias).
      preprocess_functions: unused (no data).
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: as :class:`GraphInterdependence`, or if ``h`` is negative.

    References:
      tinyBIG, ``multihop_graph_interdependence``; RPN 2, arXiv:2411.11162.

    >>> f = MultihopGraphInterdependence(3, 1, links=((0, 1), (1, 2)), h=2, accumulative=True)
    >>> f.calculate_A().tolist()
    [[1.0, 1.0, 1.0], [0.0, 1.0, 1.0], [0.0, 0.0, 1.0]]
    """

    _: dataclasses.KW_ONLY
    h: int = 1
    accumulative: bool = False

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_hops(self)

    def _transform(self, a: np.ndarray) -> np.ndarray:
        return power_sum(a, self.h, self.accumulative)


@register(
    family=_FAMILY,
    tinybig="pagerank_multihop_graph_interdependence",
    formula="ξ = c·(I - (1 - c)·Â)⁻¹",
)
@dataclasses.dataclass(frozen=True)
class PageRankMultihopGraphInterdependence(GraphInterdependence):
    """All-hop graph interdependence by personalised PageRank.

    ``ξ = c·(I - (1 - c)·Â)⁻¹``, i.e. ``c·Σ_{i≥0} ((1-c)·Â)^i``, with ``Â`` the graph
    adjacency of :class:`GraphInterdependence` and ``c`` the restart probability.
    Usually ``Â`` is row-normalised (``normalization=True``), which keeps the
    inverse finite for every ``c ∈ (0, 1]``; otherwise a singular matrix raises.

    Args:
      b: number of instances.
      m: number of attributes.
      c: the restart probability ``c ∈ (0, 1]`` (tinyBIG's default 0.15).
      links: the edge list (see :class:`GraphInterdependence`).
      nodes: optional node ids naming the ``links`` endpoints.
      adjacency: a dense ``(d, d)`` adjacency instead of ``links``.
      directed: whether links are one-way.
      normalization: whether to degree-normalise ``Â``.
      normalization_mode: ``'row'``, ``'column'`` or ``'row_column'``.
      self_dependence: whether to add ``self_scaling·I`` (default ``False``).
      self_scaling: the weight of the self-loops.
      interdependence_type: ``'instance'`` (default) or ``'attribute'`` (or an alias).
      preprocess_functions: unused (no data).
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: as :class:`GraphInterdependence`, if ``c`` is outside ``(0, 1]``,
        or if ``I - (1 - c)·Â`` is singular.

    References:
      tinyBIG, ``pagerank_multihop_graph_interdependence``; RPN 2, arXiv:2411.11162.
      Page, L. et al. "The PageRank citation ranking", Stanford InfoLab, 1999.

    >>> f = PageRankMultihopGraphInterdependence(2, 1, links=((0, 1),), c=0.5)
    >>> f.calculate_A().tolist()
    [[0.5, 0.25], [0.0, 0.5]]
    """

    _: dataclasses.KW_ONLY
    c: float = 0.15

    def __post_init__(self) -> None:
        super().__post_init__()
        c = check_float(self, "c", self.c, minimum=0.0, strict_minimum=True, maximum=1.0)
        object.__setattr__(self, "c", c)

    def _transform(self, a: np.ndarray) -> np.ndarray:
        n = a.shape[0]
        return self.c * checked_inverse(self, np.eye(n) - (1.0 - self.c) * a, "I - (1 - c)·Â")
