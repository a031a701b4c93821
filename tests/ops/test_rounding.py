"""jaxbig.ops.round_st: TF's rounding (ties to even), identity gradient, dtypes."""

import os

import chex
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from absl.testing import parameterized

from jaxbig.ops import round_st

GOLDEN = np.load(os.path.join(os.path.dirname(__file__), "..", "data", "power_law_tfc.npz"), allow_pickle=False)


def test_ties_round_to_even_as_tfc_quantize():
    # The golden "ties and halves" case: TFC's quantize of ±0.5, ±1.5, ±2.5, ±(0.5 - ulp).
    x = GOLDEN["c007/x"]
    np.testing.assert_array_equal(round_st(x), GOLDEN["c007/quantized"])
    np.testing.assert_array_equal(round_st(jnp.array([0.5, 1.5, 2.5, 3.5, -2.5])), [0.0, 2.0, 2.0, 4.0, -2.0])


def test_sign_of_zero_is_kept():
    out = np.asarray(round_st(jnp.array([-0.4, 0.4])))
    assert np.signbit(out[0]) and not np.signbit(out[1])


class RoundStTest(chex.TestCase):
    @chex.variants(with_jit=True, without_jit=True)
    @parameterized.named_parameters(
        ("float32", jnp.float32), ("bfloat16", jnp.bfloat16), ("float16", jnp.float16)
    )
    def test_forward_equals_numpy_round_and_keeps_dtype(self, dtype):
        x = jnp.asarray(np.random.default_rng(0).normal(0, 20, (4, 5)), dtype)
        out = self.variant(round_st)(x)
        assert out.dtype == dtype
        np.testing.assert_array_equal(np.asarray(out, np.float32), np.round(np.asarray(x, np.float32)))

    @chex.variants(with_jit=True, without_jit=True)
    def test_gradient_is_exactly_the_identity(self):
        x = jnp.linspace(-3.0, 3.0, 13)
        g = self.variant(jax.grad(lambda v: jnp.sum(round_st(v) * jnp.arange(13.0))))(x)
        np.testing.assert_array_equal(g, np.arange(13.0))
        _, vjp = jax.vjp(round_st, x)
        np.testing.assert_array_equal(vjp(jnp.ones_like(x))[0], np.ones(13))


def test_integer_input_is_rejected():
    with pytest.raises(ValueError, match="round_st: x must be floating point, got dtype int32"):
        round_st(jnp.arange(3))
