"""Parameterized interdependence (seed 001) and its fabricated variants."""

import chex
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from absl.testing import parameterized
from jax.test_util import check_grads

import jaxbig
from jaxbig import interdependence as xi

B, M = 6, 8
X = np.random.default_rng(3).standard_normal((B, M)).astype(np.float32)

# (class, fabrication fields); sizes: attribute (m, m') = (8, 4), instance (b, b') = (6, 3)
VARIANTS = {
    "plain": (xi.ParameterizedInterdependence, {}),
    "lowrank": (xi.LowRankParameterizedInterdependence, {"r": 2}),
    "hm": (xi.HMParameterizedInterdependence, {"p": 2, "q": 1}),
    "lphm": (xi.LPHMParameterizedInterdependence, {"r": 1, "p": 2, "q": 1}),
    "dual_lphm": (xi.DualLPHMParameterizedInterdependence, {"r": 1, "p": 2, "q": 1}),
    "rma": (xi.RandomMatrixAdaptionParameterizedInterdependence, {"r": 3}),
}
GRID = [(name, kind, square) for name in VARIANTS for kind in ("attribute", "instance")
        for square in ((True, False) if name in ("plain", "lowrank") else (False,))]


def _make(name, kind, square=True):
    cls, fields = VARIANTS[name]
    sizes = {} if square else ({"m_prime": 4} if kind == "attribute" else {"b_prime": 3})
    return cls(B, M, interdependence_type=kind, **sizes, **fields)


def _params(f, seed=0):
    params = f.init(jax.random.key(seed))
    if isinstance(params, jax.Array):  # make the parameters non-trivial beyond init's range
        params = params * 3.0
    return params


def _dense(f, w, x):
    a = np.asarray(f.calculate_A(w), np.float64)
    return x @ a if f.is_attribute else a.T @ x


@pytest.mark.parametrize("case", ["t043", "t044", "t045", "t046"])
def test_matches_tinybig_reference(case, tinybig_case):
    c = tinybig_case(case, "interdependence")
    f = jaxbig.make(str(c["cls"]), **c["kwargs"])
    assert f.calculate_l() == int(c["l"])
    out = f.apply(c["w"], c["x"])  # tinyBIG's (1, l) parameters load as they are
    np.testing.assert_allclose(out, c["out"], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(out, c["formula"], rtol=1e-5, atol=1e-5)
    kind = "attribute" if f.is_attribute else "instance"
    d, d_prime = (f.m, f.calculate_m_prime()) if kind == "attribute" else (f.b, f.calculate_b_prime())
    np.testing.assert_array_equal(f.calculate_A(c["w"]), c["w"].reshape(d, d_prime))


@pytest.mark.parametrize("name,kind,square", GRID)
def test_apply_equals_product_with_the_materialised_matrix(name, kind, square):
    f = _make(name, kind, square)
    w = _params(f)
    a, out = jax.jit(lambda w, x: (f.calculate_A(w), f.apply(w, x)))(w, X)
    d, d_prime = (M, f.calculate_m_prime()) if kind == "attribute" else (B, f.calculate_b_prime())
    assert a.shape == (d, d_prime)
    assert out.shape == ((B, d_prime) if kind == "attribute" else (d_prime, M))
    np.testing.assert_allclose(out, _dense(f, w, X), rtol=2e-4, atol=2e-5)


class ParameterizedJitTest(chex.TestCase):
    @chex.variants(with_jit=True, without_jit=True)
    @parameterized.parameters(("plain",), ("lphm",))
    def test_jit_and_eager_agree(self, name):
        for kind in ("attribute", "instance"):
            f = _make(name, kind, square=False)
            w = _params(f)
            np.testing.assert_allclose(self.variant(f.apply)(w, X), _dense(f, w, X), rtol=2e-4, atol=2e-5)


@pytest.mark.parametrize("name,kind", [("plain", "attribute"), ("plain", "instance"), ("lowrank", "instance"),
                                       ("hm", "attribute"), ("lphm", "instance"), ("dual_lphm", "attribute"),
                                       ("rma", "instance")])
def test_gradients_match_finite_differences(name, kind):
    f = _make(name, kind, square=False)
    params = _params(f)
    with jax.enable_x64(True):
        x = X.astype(np.float64)
        if isinstance(params, jax.Array):
            check_grads(jax.jit(f.apply), (np.asarray(params, np.float64), x), order=1, modes=("rev",))
        else:  # random matrix adaption: differentiate w, keep the key data fixed
            check_grads(jax.jit(lambda w, x: f.apply(params._replace(w=w), x)),
                        (np.asarray(params.w, np.float64), x), order=1, modes=("rev",))


def test_kronecker_variants_follow_the_documented_kronecker_formula():
    f = xi.HMParameterizedInterdependence(B, M, p=4, q=2)  # A: (4, 2), B: (2, 4)
    w = np.arange(f.calculate_l(), dtype=np.float32) / 10.0
    a_factor, b_factor = w[:8].reshape(4, 2), w[8:].reshape(2, 4)
    np.testing.assert_allclose(f.calculate_A(w), np.kron(a_factor, b_factor), rtol=1e-6)
    # tinyBIG's code: an outer product of the flattened factors, reshaped -- not A ⊗ B.
    tinybig_code = np.einsum("pq,st->psqt", w[None, :8], w[None, 8:]).reshape(M, M)
    assert not np.allclose(f.calculate_A(w), tinybig_code)
    g = xi.LPHMParameterizedInterdependence(B, M, r=1, p=4, q=2)
    v = np.arange(g.calculate_l(), dtype=np.float32) / 10.0
    s_factor, t_factor = v[8:10].reshape(2, 1), v[10:].reshape(1, 4)
    np.testing.assert_allclose(g.calculate_A(v), np.kron(v[:8].reshape(4, 2), s_factor @ t_factor), rtol=1e-6)


@pytest.mark.parametrize("name", ["lowrank", "hm", "lphm", "dual_lphm", "rma"])
def test_structured_apply_never_forms_the_matrix(name):
    cls, fields = VARIANTS[name]
    f = cls(4, 64, m_prime=48, **{**fields, "p": 4} if "p" in fields else fields)
    params = f.init(jax.random.key(0))
    x = jnp.ones((4, 64))
    forward = jax.make_jaxpr(f.apply)(params, x)
    backward = jax.make_jaxpr(jax.grad(lambda p: f.apply(p, x).sum(), allow_int=True))(params)
    for jaxpr in (forward, backward):
        shapes = {tuple(v.aval.shape) for eqn in jaxpr.eqns for v in eqn.outvars}
        assert (64, 48) not in shapes and (48, 64) not in shapes
    assert (64, 48) in {tuple(v.aval.shape) for eqn in jax.make_jaxpr(f.calculate_A)(params).eqns
                        for v in eqn.outvars}


@pytest.mark.parametrize("name", ["plain", "rma"])
def test_vmap_over_an_ensemble_of_parameters(name):
    f = _make(name, "attribute", square=False)
    params = jax.vmap(f.init)(jax.random.split(jax.random.key(1), 3))
    out, a = jax.jit(jax.vmap(lambda p, x: (f.apply(p, x), f.calculate_A(p)), in_axes=(0, None)))(params, X)
    assert out.shape == (3, B, 4) and a.shape == (3, M, 4)
    for k in range(3):
        np.testing.assert_allclose(out[k], X @ np.asarray(a[k], np.float64), rtol=2e-4, atol=2e-5)
        member = jax.tree.map(lambda p: p[k], params)
        np.testing.assert_allclose(a[k], f.fabrication().apply(member, M, 4), rtol=1e-5, atol=1e-6)


def test_sizes_follow_seed_001():
    f = xi.ParameterizedInterdependence(B, M, m_prime=5)
    assert (f.calculate_l(), f.calculate_m_prime(), f.calculate_b_prime(), f.calculate_b_prime(9)) == (40, 5, B, 9)
    g = xi.ParameterizedInterdependence(B, M, b_prime=2, interdependence_type="row")
    assert (g.calculate_l(), g.calculate_b_prime(), g.calculate_m_prime(), g.calculate_m_prime(3)) == (12, 2, M, 3)
    assert g.interdependence_type == "instance" and g.m_prime == M
    assert f.init(jax.random.key(0)).shape == (40,)


def test_dtype_follows_the_input():
    f = _make("lowrank", "attribute")
    w = _params(f)
    out = f.apply(w, jnp.asarray(X, jnp.bfloat16))
    assert out.dtype == jnp.bfloat16
    np.testing.assert_allclose(np.asarray(out, np.float32), _dense(f, w, X), rtol=5e-2, atol=5e-2)


def test_postprocess_functions_use_the_materialised_matrix():
    f = xi.LowRankParameterizedInterdependence(B, M, r=2, postprocess_functions="softmax")
    w = _params(f)
    a = jax.nn.softmax(f.fabrication().apply(w, M, M), axis=-1)
    np.testing.assert_allclose(f.calculate_A(w), a, rtol=1e-6)
    np.testing.assert_allclose(f.apply(w, X), X @ np.asarray(a), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("make,match", [
    (lambda: xi.HMParameterizedInterdependence(B, M, p=3), r"HMParameterizedInterdependence: .*p=3 must divide n=8"),
    (lambda: xi.LPHMParameterizedInterdependence(B, M, r=1, p=2, q=4, interdependence_type="instance"),
     r"LPHMParameterizedInterdependence: .*q=4 must divide D=6"),
    (lambda: xi.LowRankParameterizedInterdependence(B, M, r=0), r"LowRankParameterizedInterdependence: .*r=0"),
    (lambda: xi.ParameterizedInterdependence(B, M, interdependence_type="both"),
     "ParameterizedInterdependence: interdependence_type='both' is not one of 'attribute'"),
    (lambda: xi.ParameterizedInterdependence(B, M, m_prime=3, interdependence_type="instance"),
     "m_prime=3 must equal m=8 for an instance function"),
    (lambda: jaxbig.make("hm_parameterized_interdependence", b=B, m=M), "make: HMParameterizedInterdependence requires p"),
])
def test_bad_hyperparameters_raise_naming_the_function(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_bad_shapes_raise_naming_the_function():
    f = _make("plain", "attribute")
    with pytest.raises(ValueError, match=r"ParameterizedInterdependence: .*w must have shape \(64,\)"):
        f.apply(np.ones(63, np.float32), X)
    with pytest.raises(ValueError, match=r"ParameterizedInterdependence: x must have shape \(b, 8\)"):
        f.apply(_params(f), X[:, :5])
    with pytest.raises(ValueError, match=r"LowRankParameterizedInterdependence: .*w must have shape \(32,\)"):
        _make("lowrank", "attribute").apply(np.ones(10, np.float32), X)
