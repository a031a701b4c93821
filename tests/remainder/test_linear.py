"""Linear remainder: golden data, NumPy reference, tinyBIG layout, gradients, ensembles."""

import chex
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from absl.testing import parameterized
from jax.test_util import check_grads

import jaxbig
from jaxbig.remainder import LinearRemainder

RNG = np.random.default_rng(0)
X = RNG.normal(size=(3, 4)).astype(np.float32)
W = RNG.normal(size=(5, 4)).astype(np.float32)
B = RNG.normal(size=(5,)).astype(np.float32)


def test_linear_matches_tinybig(tinybig_case):
    case = tinybig_case("t049", "remainder")
    remainder = LinearRemainder(**case["kwargs"])
    n, m = int(case["n"]), case["x"].shape[1]
    assert remainder.calculate_l(n, m) == int(case["l"]) == case["w"].shape[1]
    out = remainder.apply(case["w"], case["x"], n)  # tinyBIG's (1, l) layout loads as is
    np.testing.assert_allclose(out, case["out"], rtol=1e-5, atol=1e-6)


class LinearTest(chex.TestCase):
    @chex.variants(with_jit=True, without_jit=True)
    @parameterized.named_parameters(
        ("plain", False, (), lambda y: y),
        ("bias_relu", True, "relu", lambda y: np.maximum(y, 0)),
    )
    def test_term_equals_numpy_affine_map(self, enable_bias, activation, act):
        remainder = LinearRemainder(enable_bias=enable_bias, activation_functions=activation)
        w = remainder.pack(W, B if enable_bias else None)
        out = self.variant(lambda w, x: remainder.apply(w, x, 5))(w, X)
        expected = act(X.astype(np.float64) @ W.T.astype(np.float64) + (B if enable_bias else 0))
        np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-5)


def test_parameter_layout_is_row_major_weight_then_bias():
    remainder = LinearRemainder(enable_bias=True)
    w = remainder.pack(W, B)
    assert remainder.calculate_l(5, 4) == w.shape[0] == 5 * 4 + 5
    np.testing.assert_array_equal(w[:20], W.reshape(-1))
    np.testing.assert_array_equal(w[20:], B)
    # One nonzero weight W[i, j] routes x[:, j] to output i.
    e = np.zeros(25, np.float32)
    e[1 * 4 + 2] = 1.0
    out = remainder.apply(e, X, 5)
    np.testing.assert_array_equal(out[:, 1], X[:, 2])
    np.testing.assert_array_equal(np.delete(np.asarray(out), 1, axis=1), 0)


def test_init_shape_and_range_follow_calculate_l():
    remainder = LinearRemainder(enable_bias=True)
    w = jax.jit(lambda k: remainder.init(k, 5, 16, dtype=jnp.bfloat16))(jax.random.key(1))
    assert w.shape == (remainder.calculate_l(5, 16),) == (5 * 16 + 5,) and w.dtype == jnp.bfloat16
    assert float(jnp.abs(w).max()) <= 0.25  # ±1/√m
    assert remainder.apply(w, X.repeat(4, axis=1), 5).shape == (3, 5)
    assert LinearRemainder().calculate_l(5, 16) == 5 * 16


def test_gradients_match_finite_differences():
    remainder = LinearRemainder(enable_bias=True, activation_functions="tanh")
    with jax.enable_x64(True):
        w = remainder.pack(W, B).astype(jnp.float64) * 0.3
        check_grads(jax.jit(lambda w, x: remainder.apply(w, x, 5)), (w, X.astype(np.float64)),
                    order=1, modes=("fwd", "rev"))


def test_vmap_over_an_ensemble_of_parameters():
    remainder = LinearRemainder(enable_bias=True)
    ws = jax.jit(jax.vmap(lambda k: remainder.init(k, 5, 4)))(jax.random.split(jax.random.key(2), 3))
    out = jax.jit(jax.vmap(lambda w: remainder.apply(w, X, 5)))(ws)
    assert out.shape == (3, 3, 5)
    for i in range(3):  # (vmap may sum the matmul in another order)
        np.testing.assert_allclose(out[i], remainder.apply(ws[i], X, 5), rtol=1e-5, atol=1e-6)


def test_bfloat16_input_gives_bfloat16_term():
    remainder = LinearRemainder()
    out = remainder.apply(W.reshape(-1), X.astype(jnp.bfloat16), 5)
    assert out.dtype == jnp.bfloat16
    np.testing.assert_allclose(out.astype(np.float32), X @ W.T, rtol=0.05, atol=0.05)


def test_without_parameters_it_is_tinybigs_pass_through():
    remainder = jaxbig.make("linear_remainder", require_parameters=False, name="linear_remainder")
    assert remainder.calculate_l(4, 4) == 0 and remainder.init(jax.random.key(0), 4, 4) is None
    np.testing.assert_array_equal(remainder.apply(None, X, 4), X)
    with pytest.raises(ValueError, match="LinearRemainder: input width m=4 must equal output width n=5"):
        remainder.apply(None, X, 5)


def test_errors_name_the_function():
    remainder = LinearRemainder()
    with pytest.raises(ValueError, match=r"LinearRemainder: w must have shape \(20,\) \(l = calculate_l\), got shape \(19,\)"):
        remainder.apply(jnp.zeros(19), X, 5)
    with pytest.raises(ValueError, match="LinearRemainder: enable_bias=True needs require_parameters=True"):
        LinearRemainder(require_parameters=False, enable_bias=True)
    with pytest.raises(ValueError, match="LinearRemainder: enable_bias must be a bool, got 1"):
        LinearRemainder(enable_bias=1)
    with pytest.raises(ValueError, match="LinearRemainder: b must be given exactly when enable_bias=True"):
        LinearRemainder(enable_bias=True).pack(W)
    with pytest.raises(ValueError, match=r"LinearRemainder: b must have shape \(5,\), got shape \(4,\)"):
        LinearRemainder(enable_bias=True).pack(W, B[:4])
    with pytest.raises(ValueError, match=r"LinearRemainder: W must have shape \(n, m\), got shape \(20,\)"):
        remainder.pack(W.reshape(-1))
