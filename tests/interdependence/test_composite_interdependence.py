"""Parameterized RPN and hybrid interdependence: compositions of other jaxbig functions."""

import jax
import numpy as np
import pytest
from jax.test_util import check_grads

import jaxbig
from jaxbig import interdependence as xi
from jaxbig.expansion import IdentityExpansion, TaylorExpansion
from jaxbig.fusion import ProdFusion, SummationFusion
from jaxbig.reconciliation import LowRankReconciliation

B, M = 5, 4
X = np.random.default_rng(6).standard_normal((B, M)).astype(np.float32)


def _rpn(kind, **sizes):
    return xi.ParameterizedRPNInterdependence(
        B, M, interdependence_type=kind, data_transformation=TaylorExpansion(d=2),
        parameter_fabrication=LowRankReconciliation(r=2), **sizes)


def _rpn_reference(f, w, x):
    v = x.T if f.is_attribute else x
    e = np.asarray(f.data_transformation.apply(None, v), np.float64)
    d_prime = f.calculate_m_prime() if f.is_attribute else f.calculate_b_prime()
    psi = np.asarray(f.parameter_fabrication.apply(w, d_prime, e.shape[1]), np.float64)
    return e @ psi.T


@pytest.mark.parametrize("kind,sizes", [("attribute", {"m_prime": 3}), ("instance", {"b_prime": 2})])
def test_rpn_matrix_is_the_expanded_vectors_times_the_fabricated_matrix(kind, sizes):
    f = _rpn(kind, **sizes)
    w = f.init(jax.random.key(0))
    k = B if kind == "attribute" else M
    assert f.calculate_l() == LowRankReconciliation(r=2).calculate_l(3 if kind == "attribute" else 2,
                                                                  TaylorExpansion(d=2).calculate_D(k))
    a_ref = _rpn_reference(f, w, X)
    a, out = jax.jit(lambda w, x: (f.calculate_A(w, x), f.apply(w, x)))(w, X)
    np.testing.assert_allclose(a, a_ref, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(out, X @ a_ref if kind == "attribute" else a_ref.T @ X, rtol=1e-4, atol=1e-5)


def test_rpn_apply_association_orders_agree():
    # Few rows contract x with κ(V) first; many rows form A first.
    for b, m in ((2, 6), (9, 3)):
        x = np.random.default_rng(7).standard_normal((b, m)).astype(np.float32)
        for kind in ("attribute", "instance"):
            f = xi.ParameterizedRPNInterdependence(b, m, interdependence_type=kind,
                                                   data_transformation=IdentityExpansion(),
                                                   parameter_fabrication=LowRankReconciliation(r=1))
            w = f.init(jax.random.key(1))
            a, out = jax.jit(lambda w, x: (f.calculate_A(w, x), f.apply(w, x)))(w, x)
            a = np.asarray(a, np.float64)
            np.testing.assert_allclose(out, x @ a if kind == "attribute" else a.T @ x, rtol=1e-4, atol=1e-5)


def test_rpn_gradients_match_finite_differences():
    f = _rpn("instance")
    w = f.init(jax.random.key(2))
    with jax.enable_x64(True):
        check_grads(jax.jit(f.apply), (np.asarray(w, np.float64), X.astype(np.float64)), order=1,
                    modes=("rev",))


def test_rpn_rejects_wrong_components():
    with pytest.raises(ValueError, match="ParameterizedRPNInterdependence: data_transformation must be"):
        xi.ParameterizedRPNInterdependence(B, M, data_transformation=LowRankReconciliation(),
                                           parameter_fabrication=LowRankReconciliation())
    with pytest.raises(ValueError, match="ParameterizedRPNInterdependence: parameter_fabrication must be"):
        xi.ParameterizedRPNInterdependence(B, M, data_transformation=IdentityExpansion())
    with pytest.raises(ValueError, match="make: ParameterizedRPNInterdependence has no hyperparameter"):
        jaxbig.make("parameterized_rpn_interdependence", b=B, m=M, data_transformation_config={})


def _hybrid(fusion, kind="instance"):
    graph = xi.GraphInterdependence(B, M, links=((0, 1), (1, 2), (2, 3)), directed=False, self_dependence=True,
                                    interdependence_type=kind)
    bilinear = xi.LowRankParameterizedBilinearInterdependence(B, M, r=2, interdependence_type=kind)
    return xi.HybridInterdependence(B, M, interdependence_type=kind, fusion_function=fusion,
                                    interdependence_functions=[graph, bilinear])


def test_hybrid_graph_attention_is_the_masked_product():
    # tinyBIG's graph-bilinear head: a prod fusion of a graph and a bilinear matrix.
    f = _hybrid(ProdFusion())
    params = f.init(jax.random.key(3))
    graph, bilinear = f.interdependence_functions
    expected = np.asarray(graph.calculate_A(None, X)) * np.asarray(bilinear.calculate_A(params[1], X))
    np.testing.assert_allclose(f.calculate_A(params, X), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(jax.jit(f.apply)(params, X), expected.T @ X, rtol=1e-4, atol=1e-5)
    assert f.calculate_l() == bilinear.calculate_l() and f.calculate_b_prime() == B


def test_hybrid_gradients_match_finite_differences():
    f = _hybrid(ProdFusion())
    params = f.init(jax.random.key(5))
    with jax.enable_x64(True):
        w = np.asarray(params[1], np.float64)
        check_grads(jax.jit(lambda w, x: f.apply((params[0], w, params[2]), x)), (w, X.astype(np.float64)),
                    order=1, modes=("rev",))


def test_hybrid_accepts_tinybig_flat_parameters():
    f = _hybrid(SummationFusion(), kind="attribute")
    params = f.init(jax.random.key(4))
    flat = np.concatenate([np.ravel(p) for p in params if p is not None])[None, :]
    assert flat.shape == (1, f.calculate_l())
    np.testing.assert_allclose(f.calculate_A(flat, X), f.calculate_A(params, X), rtol=1e-6)
    graph, bilinear = f.interdependence_functions
    np.testing.assert_allclose(f.calculate_A(params, X),
                               graph.calculate_A(None, X) + bilinear.calculate_A(params[1], X), rtol=1e-5)


def test_hybrid_rejects_mismatched_members():
    with pytest.raises(ValueError, match=r"HybridInterdependence: member ChainInterdependence has \(b, m, type\)"):
        xi.HybridInterdependence(B, M, fusion_function=SummationFusion(),
                                 interdependence_functions=(xi.ChainInterdependence(B, M),))
    with pytest.raises(ValueError, match="HybridInterdependence: interdependence_functions must hold"):
        xi.HybridInterdependence(B, M, fusion_function=SummationFusion())
    with pytest.raises(ValueError, match="HybridInterdependence: fusion_function must be a jaxbig fusion"):
        xi.HybridInterdependence(B, M, interdependence_functions=(xi.IdentityInterdependence(B, M),))
    f = _hybrid(SummationFusion())
    with pytest.raises(ValueError, match=r"HybridInterdependence: params must have 3 parts"):
        f.calculate_A(f.init(jax.random.key(0))[:2], X)
    with pytest.raises(ValueError, match="HybridInterdependence: .*calculate_A needs the data"):
        f.calculate_A(f.init(jax.random.key(0)))
