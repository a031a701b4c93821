"""Chain and graph interdependence against hand-built adjacency matrices."""

import math

import chex
import jax
import numpy as np
import pytest
from absl.testing import parameterized

from jaxbig import interdependence as xi

B, M = 5, 3
X = np.random.default_rng(2).standard_normal((B, M)).astype(np.float32)


def _chain(d, bi=False):
    a = np.zeros((d, d))
    for i in range(d - 1):
        a[i, i + 1] = 1.0
        if bi:
            a[i + 1, i] = 1.0
    return a


def _tinybig_row_column(a):
    # tinyBIG's degree_based_normalize_matrix(mode='row_column'), step by step.
    rows = a.sum(1)
    rows[rows == 0] = 1
    a = a / np.sqrt(rows)[:, None]
    cols = a.sum(0)
    cols[cols == 0] = 1
    return a / np.sqrt(cols)[None, :]


def test_chain_adjacency_with_and_without_self_loops():
    np.testing.assert_array_equal(xi.ChainInterdependence(B, M).calculate_A(), _chain(B) + np.eye(B))
    f = xi.ChainInterdependence(B, M, bi_directional=True, self_dependence=True, self_scaling=0.5)
    np.testing.assert_array_equal(f.calculate_A(), _chain(B, True) + 0.5 * np.eye(B))
    g = xi.ChainInterdependence(B, M, interdependence_type="attribute", self_dependence=False)
    np.testing.assert_array_equal(g.calculate_A(), _chain(M))
    np.testing.assert_allclose(g.apply(None, X), X @ _chain(M), rtol=1e-6)


@pytest.mark.parametrize("mode", ["row", "column", "row_column"])
def test_normalization_follows_tinybig(mode):
    a = _chain(B, True) + np.eye(B)
    expected = {"row": a / a.sum(1, keepdims=True), "column": a / a.sum(0, keepdims=True),
                "row_column": _tinybig_row_column(a)}[mode]
    f = xi.ChainInterdependence(B, M, bi_directional=True, normalization=True, normalization_mode=mode)
    np.testing.assert_allclose(f.calculate_A(), expected, rtol=1e-6)


def test_empty_rows_stay_empty_under_normalization():
    f = xi.ChainInterdependence(B, M, self_dependence=False, normalization=True)
    a = np.asarray(f.calculate_A())
    np.testing.assert_array_equal(a[-1], 0.0)
    assert np.all(np.isfinite(a))


@pytest.mark.parametrize("h", [0, 1, 3])
@pytest.mark.parametrize("accumulative", [False, True])
def test_multihop_chain_is_a_power_or_a_power_sum(h, accumulative):
    a = _chain(B, True) + np.eye(B)
    powers = [np.linalg.matrix_power(a, i) for i in range(h + 1)]
    expected = sum(powers) if accumulative else powers[-1]
    f = xi.MultihopChainInterdependence(B, M, h=h, accumulative=accumulative, bi_directional=True)
    np.testing.assert_allclose(f.calculate_A(), expected, rtol=1e-6)


def test_accumulative_multihop_includes_the_identity_unlike_tinybig_code():
    a = _chain(B)
    f = xi.MultihopChainInterdependence(B, M, h=2, accumulative=True, self_dependence=False)
    tinybig_code = a + a @ a  # accumulative_matrix_power sums from the first power
    np.testing.assert_allclose(f.calculate_A(), np.eye(B) + tinybig_code)


def test_inverse_approximation_is_the_full_reciprocal_series():
    a = _chain(B)
    series = sum(np.linalg.matrix_power(a, k) for k in range(B))  # nilpotent: finite and exact
    np.testing.assert_allclose(xi.InverseApproxMultihopChainInterdependence(B, M).calculate_A(), series)
    bi = xi.InverseApproxMultihopChainInterdependence(3, M, bi_directional=True)
    np.testing.assert_allclose(bi.calculate_A(), np.linalg.inv(np.eye(3) - _chain(3, True)), atol=1e-6)


def test_inverse_approximation_of_a_singular_chain_raises():
    with pytest.raises(ValueError, match=r"InverseApproxMultihopChainInterdependence: I - Â is singular"):
        xi.InverseApproxMultihopChainInterdependence(2, M, bi_directional=True).calculate_A()
    with pytest.raises(ValueError, match="I - Â is singular"):
        xi.InverseApproxMultihopChainInterdependence(B, M, self_dependence=True).calculate_A()


def test_exponential_approximation_is_the_matrix_exponential():
    a = _chain(B)
    series = sum(np.linalg.matrix_power(a, k) / math.factorial(k) for k in range(B))
    np.testing.assert_allclose(xi.ExponentialApproxMultihopChainInterdependence(B, M).calculate_A(), series,
                               rtol=1e-6)
    s = _chain(B, True)
    w, v = np.linalg.eigh(s)
    f = xi.ExponentialApproxMultihopChainInterdependence(B, M, bi_directional=True)
    np.testing.assert_allclose(f.calculate_A(), v @ np.diag(np.exp(w)) @ v.T, rtol=1e-5)


LINKS = ((0, 1), (1, 2), (2, 0), (3, 4), (1, 2))


def _graph(links, d=B, directed=True):
    a = np.zeros((d, d))
    for i, j in links:
        a[i, j] = 1.0
        if not directed:
            a[j, i] = 1.0
    return a


@pytest.mark.parametrize("directed", [True, False])
def test_graph_from_links_equals_graph_from_dense_adjacency(directed):
    a = _graph(LINKS, directed=directed)
    f = xi.GraphInterdependence(B, M, links=LINKS, directed=directed, self_dependence=True)
    np.testing.assert_array_equal(f.calculate_A(), a + np.eye(B))
    g = xi.GraphInterdependence(B, M, adjacency=a, directed=directed, self_dependence=True)
    np.testing.assert_array_equal(g.calculate_A(), f.calculate_A())
    np.testing.assert_allclose(f.apply(None, X), (a + np.eye(B)).T @ X, rtol=1e-6)


def test_graph_node_ids_name_rows_in_order():
    nodes = ("c", "a", "b", "e", "d")
    links = (("a", "b"), ("d", "c"))
    f = xi.GraphInterdependence(B, M, nodes=nodes, links=links)
    expected = np.zeros((B, B))
    expected[1, 2] = expected[4, 0] = 1.0
    np.testing.assert_array_equal(f.calculate_A(), expected)


def test_weighted_adjacency_and_multihop_graph():
    a = _graph(LINKS) * 0.5
    f = xi.MultihopGraphInterdependence(B, M, adjacency=a, h=2, accumulative=True)
    np.testing.assert_allclose(f.calculate_A(), np.eye(B) + a + a @ a, rtol=1e-6)


def test_pagerank_solves_the_restart_system():
    a = _graph(LINKS, directed=False)
    a = a / a.sum(1, keepdims=True)
    f = xi.PageRankMultihopGraphInterdependence(B, M, links=LINKS, directed=False, normalization=True, c=0.2)
    series = 0.2 * sum(np.linalg.matrix_power(0.8 * a, k) for k in range(400))
    np.testing.assert_allclose(f.calculate_A(), series, rtol=1e-5, atol=1e-7)
    # Each row of a row-stochastic PageRank matrix sums to 1.
    np.testing.assert_allclose(np.asarray(f.calculate_A()).sum(1), 1.0, rtol=1e-5)


def test_singular_pagerank_raises():
    with pytest.raises(ValueError, match=r"PageRankMultihopGraphInterdependence: I - \(1 - c\)·Â is singular"):
        xi.PageRankMultihopGraphInterdependence(2, M, adjacency=np.full((2, 2), 1.0 / 1.5), c=0.25).calculate_A()


@pytest.mark.parametrize("make,match", [
    (lambda: xi.GraphInterdependence(B, M), "exactly one of links=... or adjacency=..."),
    (lambda: xi.GraphInterdependence(B, M, links=((0, 1),), adjacency=np.eye(B)), "exactly one of"),
    (lambda: xi.GraphInterdependence(B, M, links=((0, 5),)),
     r"GraphInterdependence: link \(0, 5\): node index 5 is outside \[0, 5\)"),
    (lambda: xi.GraphInterdependence(B, M, links=((0, 1, 2),)), r"each link must be a pair \(i, j\)"),
    (lambda: xi.GraphInterdependence(B, M, links=(("a", 1),)), "endpoints must be integer indices"),
    (lambda: xi.GraphInterdependence(2, M, nodes=("a", "b"), links=(("a", "z"),)), "node 'z' is not in nodes"),
    (lambda: xi.GraphInterdependence(2, M, nodes=("a", "a"), links=()), "nodes must be 2 distinct ids"),
    (lambda: xi.GraphInterdependence(B, M, adjacency=np.ones((4, 4))),
     r"adjacency must have shape \(5, 5\) \(d=5\), got \(4, 4\)"),
    (lambda: xi.GraphInterdependence(B, M, adjacency=_graph(LINKS), directed=False),
     "adjacency must be symmetric when directed=False"),
    (lambda: xi.GraphInterdependence(B, M, adjacency=np.full((B, B), np.inf)), "adjacency must be finite"),
    (lambda: xi.ChainInterdependence(B, M, chain_length=4), "chain_length=4 must equal b=5"),
    (lambda: xi.ChainInterdependence(B, M, normalization_mode="sym"), "normalization_mode='sym' is not one of"),
    (lambda: xi.MultihopChainInterdependence(B, M, h=-1), "MultihopChainInterdependence: h=-1 must be >= 0"),
    (lambda: xi.PageRankMultihopGraphInterdependence(B, M, links=(), c=1.5), "c=1.5 must be <= 1.0"),
    (lambda: xi.ChainInterdependence(B, M, bi_directional="yes"), "bi_directional must be a bool"),
])
def test_bad_structures_raise_naming_the_function(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_structures_are_hashable_static_hyperparameters():
    f = xi.GraphInterdependence(B, M, links=[[0, 1], [1, 2]])
    assert f.links == ((0, 1), (1, 2))
    assert hash(f) == hash(xi.GraphInterdependence(B, M, links=((0, 1), (1, 2))))
    g = xi.GraphInterdependence(B, M, adjacency=_graph(LINKS))
    assert g == xi.GraphInterdependence(B, M, adjacency=_graph(LINKS).tolist()) and hash(g) == hash(
        xi.GraphInterdependence(B, M, adjacency=_graph(LINKS)))
    apply = jax.jit(lambda f, x: f.apply(None, x), static_argnums=0)
    np.testing.assert_allclose(apply(g, X), _graph(LINKS).T @ X, rtol=1e-6)


class TopologicalJitTest(chex.TestCase):
    @chex.variants(with_jit=True, without_jit=True)
    @parameterized.parameters(
        (xi.MultihopChainInterdependence(B, M, h=2, bi_directional=True),),
        (xi.PageRankMultihopGraphInterdependence(B, M, links=LINKS, normalization=True),),
    )
    def test_apply_equals_a_transpose_times_x(self, f):
        out = self.variant(f.apply)(None, X)
        np.testing.assert_allclose(out, np.asarray(f.calculate_A()).T @ X, rtol=1e-5, atol=1e-6)
        assert out.shape == (f.calculate_b_prime(), M)
