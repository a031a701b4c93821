"""Constant, zero and one remainders: values, activations, shapes, dtypes, golden data."""

import chex
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from absl.testing import parameterized

import jaxbig
from jaxbig.remainder import ConstantRemainder, OneRemainder, ZeroRemainder

X = np.arange(12, dtype=np.float32).reshape(3, 4) - 5.0


class ConstantValueTest(chex.TestCase):
    @chex.variants(with_jit=True, without_jit=True)
    @parameterized.named_parameters(
        ("constant", ConstantRemainder(c=-2.5), -2.5),
        ("zero", ZeroRemainder(), 0.0),
        ("one", OneRemainder(), 1.0),
    )
    def test_term_is_the_constant_on_every_row(self, remainder, c):
        out = self.variant(lambda x: remainder.apply(None, x, 5))(X)
        np.testing.assert_array_equal(out, np.full((3, 5), c, np.float32))

    @chex.variants(with_jit=True, without_jit=True)
    def test_activation_is_applied_to_the_constant(self):
        # tinyBIG applies the activation to the constant vector: sigmoid(0) = 1/2.
        remainder = ZeroRemainder(activation_functions=["sigmoid", "torch.nn.functional.relu"])
        out = self.variant(lambda x: remainder.apply(None, x, 2))(X)
        np.testing.assert_allclose(out, np.full((3, 2), 0.5))


def test_zero_remainder_matches_tinybig_up_to_the_batch_axis(tinybig_case):
    case = tinybig_case("t047", "remainder")
    out = ZeroRemainder(**case["kwargs"]).apply(None, case["x"], int(case["n"]))
    # tinyBIG returns one vector of shape (n,); jaxbig returns the documented (b, n).
    assert case["out"].shape == (9,) and out.shape == (6, 9)
    np.testing.assert_array_equal(out, np.broadcast_to(case["out"], (6, 9)))


@pytest.mark.parametrize("cls", [ConstantRemainder, ZeroRemainder, OneRemainder])
def test_parameter_free_shapes_and_dtypes(cls):
    remainder = cls()
    assert remainder.calculate_l(5, 4) == 0
    assert remainder.init(jax.random.key(0), 5, 4) is None
    out = remainder.apply(jnp.zeros((0,)), X.astype(jnp.bfloat16), 5)
    assert out.shape == (3, 5) and out.dtype == jnp.bfloat16
    assert remainder.apply(None, X.astype(np.int32), 5).dtype == jnp.float32


def test_constant_follows_the_class_value_and_tinybig_names():
    assert jaxbig.make("constant_remainder", c=3.0, name="constant_remainder") == ConstantRemainder(c=3.0)
    assert jaxbig.make("zero_remainder").c == 0.0 and jaxbig.make("one_remainder").c == 1.0
    with pytest.raises(ValueError, match="make: ZeroRemainder has no hyperparameter 'c'"):
        jaxbig.make("zero_remainder", c=2.0)


def test_errors_name_the_function():
    with pytest.raises(ValueError, match=r"ConstantRemainder: takes no parameters \(l = 0\), got w of shape \(3,\)"):
        ConstantRemainder().apply(jnp.ones(3), X, 5)
    with pytest.raises(ValueError, match=r"ZeroRemainder: x must be 2-D of shape \(b, m\), got shape \(4,\)"):
        ZeroRemainder().apply(None, X[0], 5)
    with pytest.raises(ValueError, match="OneRemainder: n=0 must be >= 1"):
        OneRemainder().apply(None, X, 0)
    with pytest.raises(ValueError, match="ConstantRemainder: c=inf must be finite"):
        ConstantRemainder(c=float("inf"))
    with pytest.raises(ValueError, match="ConstantRemainder: activation_functions entry 'rellu'"):
        ConstantRemainder(activation_functions="rellu")
