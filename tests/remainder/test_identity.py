"""Identity remainder: the input itself, golden data, width checks."""

import chex
import jax
import numpy as np
import pytest

from jaxbig.remainder import IdentityRemainder

X = np.linspace(-2, 2, 12, dtype=np.float32).reshape(3, 4)


class IdentityTest(chex.TestCase):
    @chex.variants(with_jit=True, without_jit=True)
    def test_term_is_the_activated_input(self):
        remainder = IdentityRemainder(activation_functions=("tanh",))
        out = self.variant(lambda x: remainder.apply(None, x, 4))(X)
        np.testing.assert_allclose(out, np.tanh(X), rtol=1e-6)


def test_identity_matches_tinybig(tinybig_case):
    case = tinybig_case("t048", "remainder")
    out = IdentityRemainder(**case["kwargs"]).apply(None, case["x"], int(case["n"]))
    np.testing.assert_array_equal(out, case["out"])


def test_gradient_is_the_identity():
    remainder = IdentityRemainder()
    grad = jax.grad(lambda x: (remainder.apply(None, x, 4) * X).sum())(X)
    np.testing.assert_array_equal(grad, X)


def test_width_mismatch_names_both_widths():
    remainder = IdentityRemainder()
    assert remainder.calculate_l(4, 4) == 0 and remainder.init(jax.random.key(0), 4, 4) is None
    with pytest.raises(ValueError, match="IdentityRemainder: input width m=4 must equal output width n=5"):
        remainder.apply(None, X, 5)
    with pytest.raises(ValueError, match="IdentityRemainder: input width m=3 must equal output width n=2"):
        remainder.calculate_l(2, 3)
    with pytest.raises(ValueError, match="IdentityRemainder: input width m=3 must equal output width n=2"):
        remainder.init(jax.random.key(0), 2, 3)
