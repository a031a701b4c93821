"""jaxbig.ops.kron: structured Kronecker products against np.kron, gradients, dtypes, errors."""

import chex
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from absl.testing import parameterized
from jax.test_util import check_grads

from jaxbig.ops import eye_kron_product, kron_product, ones_kron_product

RNG = np.random.default_rng(0)


def _normal(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


# (p, q, s, t): both contraction orders of kron_product are exercised (p small vs large).
KRON_SHAPES = [(1, 3, 2, 4), (5, 2, 3, 2), (2, 3, 4, 5), (4, 4, 1, 1), (3, 1, 2, 6)]


def _uses_b_first(p, q, s, t):
    return q * s * (t + p) <= p * t * (q + s)


def test_kron_shapes_cover_both_contraction_orders():
    assert {_uses_b_first(*shape) for shape in KRON_SHAPES} == {True, False}


@pytest.mark.parametrize("p, q, s, t", KRON_SHAPES)
def test_kron_product_equals_matmul_with_numpy_kron(p, q, s, t):
    a, b, x = _normal(p, q), _normal(s, t), _normal(3, q * t)
    out = jax.jit(kron_product)(x, a, b)
    np.testing.assert_allclose(out, x @ np.kron(a, b).T, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("p, q", [(2, 2), (2, 3), (3, 2), (4, 1)])
def test_eye_and_ones_kron_products_equal_matmul_with_numpy_kron(p, q):
    b, x = _normal(2, 3), _normal(3, q * 3)
    eye, ones = jax.jit(eye_kron_product, static_argnums=(2, 3)), jax.jit(ones_kron_product, static_argnums=(2, 3))
    np.testing.assert_allclose(eye(x, b, p, q), x @ np.kron(np.eye(p, q), b).T, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(ones(x, b, p, q), x @ np.kron(np.ones((p, q)), b).T, rtol=1e-5, atol=1e-5)


class KronVariantsTest(chex.TestCase):
    @chex.variants(with_jit=True, without_jit=True)
    @parameterized.named_parameters(
        dict(testcase_name="kron", fn=lambda x, b: kron_product(x, np.arange(6.0).reshape(2, 3), b), rows=2, ref=np.arange(6.0).reshape(2, 3)),
        dict(testcase_name="eye", fn=lambda x, b: eye_kron_product(x, b, 2, 3), rows=2, ref=np.eye(2, 3)),
        dict(testcase_name="ones", fn=lambda x, b: ones_kron_product(x, b, 2, 3), rows=2, ref=np.ones((2, 3))),
    )
    def test_products_under_jit_and_without(self, fn, rows, ref):
        b, x = _normal(4, 2), _normal(5, 6)
        out = self.variant(fn)(x, b)
        chex.assert_shape(out, (5, rows * 4))
        np.testing.assert_allclose(out, x @ np.kron(ref, b).T, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("p, q, s, t", [KRON_SHAPES[0], KRON_SHAPES[1]])
def test_kron_product_gradients_match_finite_differences(p, q, s, t):
    check_grads(jax.jit(kron_product), (_normal(2, q * t), _normal(p, q), _normal(s, t)), order=1, modes=("fwd", "rev"), rtol=2e-2, atol=2e-2)


@pytest.mark.parametrize("fn", [eye_kron_product, ones_kron_product], ids=["eye", "ones"])
def test_padding_product_gradients_match_finite_differences(fn):
    f = jax.jit(lambda x, b: fn(x, b, 3, 2))
    check_grads(f, (_normal(2, 4), _normal(3, 2)), order=1, modes=("fwd", "rev"), rtol=2e-2, atol=2e-2)


def test_dtype_follows_x():
    b = _normal(2, 2)
    for dtype in (jnp.bfloat16, jnp.float32):
        x = _normal(3, 4).astype(dtype)
        fns = jax.jit(lambda x, b: (kron_product(x, np.ones((2, 2), np.float32), b), eye_kron_product(x, b, 2, 2), ones_kron_product(x, b, 2, 2)))
        assert all(out.dtype == dtype for out in fns(x, b))


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: kron_product(np.zeros((2, 11)), np.zeros((3, 4)), np.zeros((2, 3))), r"kron_product: x must have shape \(b, 12\), got shape \(2, 11\)"),
        (lambda: kron_product(np.zeros((2, 12)), np.zeros(12), np.zeros((2, 3))), r"kron_product: a must be a matrix, got shape \(12,\)"),
        (lambda: kron_product(np.zeros(12), np.zeros((3, 4)), np.zeros((2, 3))), r"kron_product: x must be 2-D"),
        (lambda: eye_kron_product(np.zeros((2, 6)), np.zeros((2, 3)), 0, 2), "eye_kron_product: p=0 must be >= 1"),
        (lambda: eye_kron_product(np.zeros((2, 7)), np.zeros((2, 3)), 2, 2), r"eye_kron_product: x must have shape \(b, 6\), got shape \(2, 7\)"),
        (lambda: ones_kron_product(np.zeros((2, 6)), np.zeros((2, 3)), 2, 2.0), "ones_kron_product: q must be an integer"),
        (lambda: ones_kron_product(np.zeros((2, 6)), np.zeros((2, 3, 1)), 2, 2), r"ones_kron_product: b must be a matrix"),
    ],
)
def test_bad_shapes_raise_naming_the_function(call, match):
    with pytest.raises(ValueError, match=match):
        call()
