"""Parameterized bilinear interdependence and its fabricated variants."""

import chex
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from absl.testing import parameterized
from jax.test_util import check_grads

import jaxbig
from jaxbig import interdependence as xi

B, M = 4, 6
X = np.random.default_rng(4).standard_normal((B, M)).astype(np.float32)

VARIANTS = {
    "plain": (xi.ParameterizedBilinearInterdependence, {}),
    "lowrank": (xi.LowRankParameterizedBilinearInterdependence, {"r": 2}),
    "hm": (xi.HMParameterizedBilinearInterdependence, {"p": 2}),
    "lphm": (xi.LPHMParameterizedBilinearInterdependence, {"r": 1, "p": 2, "q": 1}),
    "dual_lphm": (xi.DualLPHMParameterizedBilinearInterdependence, {"r": 1, "p": 2}),
    "rma": (xi.RandomMatrixAdaptionParameterizedBilinearInterdependence, {"r": 2}),
}


def _make(name, kind, **extra):
    cls, fields = VARIANTS[name]
    return cls(B, M, interdependence_type=kind, **fields, **extra)


def _reference(f, params, x):
    """The documented form with W from the fabrication: (Xᵀ W X or X W Xᵀ) and its product."""
    k = B if f.is_attribute else M
    w = np.asarray(f.fabrication().apply(params, k, k), np.float64)
    x = np.asarray(x, np.float64)
    a = x.T @ w @ x if f.is_attribute else x @ w @ x.T
    return a, (x @ a if f.is_attribute else a.T @ x)


@pytest.mark.parametrize("name", list(VARIANTS))
@pytest.mark.parametrize("kind", ["attribute", "instance"])
def test_matrix_and_apply_match_the_bilinear_form(name, kind):
    f = _make(name, kind)
    params = f.init(jax.random.key(0))
    a, out = jax.jit(lambda p, x: (f.calculate_A(p, x), f.apply(p, x)))(params, X)
    a_ref, out_ref = _reference(f, params, X)
    d = M if kind == "attribute" else B
    assert a.shape == (d, d) and out.shape == X.shape
    assert (f.calculate_b_prime(), f.calculate_m_prime()) == (B, M)
    np.testing.assert_allclose(a, a_ref, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(out, out_ref, rtol=1e-4, atol=1e-5)


def test_plain_form_reads_w_row_major():
    f = xi.ParameterizedBilinearInterdependence(B, M, interdependence_type="attribute")
    w = np.arange(B * B, dtype=np.float32) / 7.0
    np.testing.assert_allclose(f.calculate_A(w, X), X.T @ w.reshape(B, B) @ X, rtol=1e-5, atol=1e-5)
    g = jaxbig.make("parameterized_bilinear_interdependence", b=B, m=M)  # tinyBIG's default: instance
    v = np.arange(M * M, dtype=np.float32) / 7.0
    assert g.calculate_l() == M * M
    np.testing.assert_allclose(g.calculate_A(v[None, :], X), X @ v.reshape(M, M) @ X.T, rtol=1e-5, atol=1e-5)


def test_both_association_orders_of_apply_agree():
    # Wide data takes one order, tall data the other.
    for b, m in ((3, 12), (12, 3)):
        x = np.random.default_rng(5).standard_normal((b, m)).astype(np.float32)
        for kind in ("attribute", "instance"):
            f = xi.ParameterizedBilinearInterdependence(b, m, interdependence_type=kind)
            w = f.init(jax.random.key(1))
            a, out = jax.jit(lambda w, x: (f.calculate_A(w, x), f.apply(w, x)))(w, x)
            a = np.asarray(a, np.float64)
            np.testing.assert_allclose(out, x @ a if kind == "attribute" else a.T @ x, rtol=1e-4, atol=1e-5)


class BilinearJitTest(chex.TestCase):
    @chex.variants(with_jit=True, without_jit=True)
    @parameterized.parameters(("plain",), ("dual_lphm",))
    def test_jit_and_eager_agree(self, name):
        f = _make(name, "instance")
        params = f.init(jax.random.key(2))
        np.testing.assert_allclose(self.variant(f.apply)(params, X), _reference(f, params, X)[1],
                                   rtol=1e-4, atol=1e-5)


def test_gradients_match_finite_differences():
    # One check over all variants at once (one compilation of the joint function).
    functions = [_make(name, kind) for name, kind in zip(VARIANTS, ("instance", "attribute") * 3)]
    params = [f.init(jax.random.key(3)) for f in functions]

    def joint(ws, x):
        full = [p._replace(w=w) if hasattr(p, "w") else w for p, w in zip(params, ws)]
        return jnp.stack([f.apply(p, x) for f, p in zip(functions, full)])

    with jax.enable_x64(True):
        ws = [np.asarray(getattr(p, "w", p), np.float64) for p in params]
        check_grads(jax.jit(joint), (ws, X.astype(np.float64)), order=1, modes=("rev",))


def test_vmap_over_an_ensemble_of_parameters():
    f = _make("lowrank", "attribute")
    params = jax.vmap(f.init)(jax.random.split(jax.random.key(4), 3))
    out = jax.jit(jax.vmap(f.apply, in_axes=(0, None)))(params, X)
    for k in range(3):
        np.testing.assert_allclose(out[k], _reference(f, params[k], X)[1], rtol=1e-4, atol=1e-5)


def test_softmax_postprocessing_gives_attention_weights():
    f = _make("lowrank", "instance", postprocess_functions="softmax")
    params = f.init(jax.random.key(5))
    a_ref, _ = _reference(f, params, X)
    attention = np.exp(a_ref - a_ref.max(1, keepdims=True))
    attention /= attention.sum(1, keepdims=True)
    np.testing.assert_allclose(f.calculate_A(params, X), attention, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(f.apply(params, X), attention.T @ X, rtol=1e-4, atol=1e-5)


def test_bfloat16_data_gives_bfloat16_output():
    f = _make("plain", "instance")
    out = f.apply(f.init(jax.random.key(6)), jnp.asarray(X, jnp.bfloat16))
    assert out.dtype == jnp.bfloat16


@pytest.mark.parametrize("make,match", [
    (lambda: xi.HMParameterizedBilinearInterdependence(B, M, p=4), r"HMParameterizedBilinearInterdependence: .*p=4 must divide n=6"),
    (lambda: xi.LowRankParameterizedBilinearInterdependence(B, M, r=-1), "LowRankParameterizedBilinearInterdependence: .*r=-1"),
    (lambda: xi.ParameterizedBilinearInterdependence(B, M, interdependence_type="diag"),
     "ParameterizedBilinearInterdependence: interdependence_type='diag'"),
])
def test_bad_hyperparameters_raise_naming_the_function(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_bad_inputs_raise_naming_the_function():
    f = _make("plain", "instance")
    w = f.init(jax.random.key(0))
    with pytest.raises(ValueError, match="ParameterizedBilinearInterdependence: calculate_A needs the data"):
        f.calculate_A(w)
    with pytest.raises(ValueError, match=r"ParameterizedBilinearInterdependence: x must have shape \(4, m\)"):
        f.apply(w, X[:3])
    with pytest.raises(ValueError, match=r"ParameterizedBilinearInterdependence: .*w must have shape \(36,\)"):
        f.apply(w[:5], X)
