"""Constant, constant-c, zero, one and identity interdependence."""

import chex
import jax
import numpy as np
import pytest
from absl.testing import parameterized

import jaxbig
from jaxbig import interdependence as xi

B, M = 4, 5
X = np.random.default_rng(1).standard_normal((B, M)).astype(np.float32)


def _dense(f, x):
    a = np.asarray(f.calculate_A(None, x), np.float64)
    return x @ a if f.is_attribute else a.T @ x


FUNCTIONS = {
    "constant_attribute": xi.ConstantInterdependence(B, M, A=np.arange(15.0).reshape(5, 3)),
    "constant_instance": xi.ConstantInterdependence(B, M, A=np.arange(8.0).reshape(4, 2), interdependence_type="row"),
    "c_attribute": xi.ConstantCInterdependence(B, M, m_prime=3, c=-0.5),
    "c_instance": xi.ConstantCInterdependence(B, M, b_prime=6, c=2.0, interdependence_type="instance"),
    "zero": xi.ZeroInterdependence(B, M, m_prime=2),
    "one_instance": xi.OneInterdependence(B, M, interdependence_type="left"),
    "identity_wide": xi.IdentityInterdependence(B, M, m_prime=7),
    "identity_narrow": xi.IdentityInterdependence(B, M, b_prime=2, interdependence_type="instance"),
}


class BasicApplyTest(chex.TestCase):
    @chex.variants(with_jit=True, without_jit=True)
    @parameterized.parameters(*[(name,) for name in FUNCTIONS])
    def test_apply_equals_product_with_the_materialised_matrix(self, name):
        f = FUNCTIONS[name]
        out = self.variant(f.apply)(None, X)
        np.testing.assert_allclose(out, _dense(f, X), rtol=1e-6, atol=1e-6)
        expected_shape = (B, f.calculate_m_prime()) if f.is_attribute else (f.calculate_b_prime(), M)
        assert out.shape == expected_shape


def test_matrices_are_what_the_formulas_say():
    np.testing.assert_array_equal(FUNCTIONS["c_attribute"].calculate_A(), np.full((5, 3), -0.5))
    np.testing.assert_array_equal(FUNCTIONS["zero"].calculate_A(), np.zeros((5, 2)))
    np.testing.assert_array_equal(FUNCTIONS["one_instance"].calculate_A(), np.ones((4, 4)))
    np.testing.assert_array_equal(FUNCTIONS["identity_wide"].calculate_A(), np.eye(5, 7))
    np.testing.assert_array_equal(FUNCTIONS["identity_narrow"].calculate_A(), np.eye(4, 2))
    np.testing.assert_array_equal(FUNCTIONS["constant_instance"].calculate_A(), np.arange(8.0).reshape(4, 2))


def test_sizes_follow_the_matrix():
    f = FUNCTIONS["constant_attribute"]
    assert (f.calculate_l(), f.calculate_m_prime(), f.calculate_b_prime(), f.calculate_b_prime(9)) == (0, 3, B, 9)
    g = FUNCTIONS["c_instance"]
    assert (g.calculate_b_prime(), g.calculate_m_prime(), g.calculate_m_prime(2)) == (6, M, 2)
    assert g.init(jax.random.key(0)).shape == (0,)


def test_eye_is_an_alias_of_identity():
    f = jaxbig.make("eye_interdependence", b=B, m=M, interdependence_type="column")
    assert f == xi.IdentityInterdependence(B, M)


def test_postprocess_functions_apply_to_a_and_to_the_product():
    f = xi.OneInterdependence(B, M, postprocess_functions="softmax")
    np.testing.assert_allclose(f.calculate_A(), np.full((M, M), 1.0 / M), rtol=1e-6)
    np.testing.assert_allclose(f.apply(None, X), X @ np.full((M, M), 1.0 / M), rtol=1e-5, atol=1e-6)


def test_constant_matrix_is_stored_hashable_and_read_only():
    a = np.eye(M)
    f = xi.ConstantInterdependence(B, M, A=a)
    a[0, 0] = 5.0
    assert f.calculate_A()[0, 0] == 1.0
    assert f == xi.ConstantInterdependence(B, M, A=np.eye(M).tolist())
    assert hash(f) == hash(xi.ConstantInterdependence(B, M, A=np.eye(M)))
    assert f != xi.ConstantInterdependence(B, M, A=2 * np.eye(M))
    with pytest.raises(ValueError):
        f.A.array[0, 0] = 3.0


@pytest.mark.parametrize("make,match", [
    (lambda: xi.ConstantInterdependence(B, M), "ConstantInterdependence: A, the constant matrix, is required"),
    (lambda: xi.ConstantInterdependence(B, M, A=np.ones((4, 4))),
     r"ConstantInterdependence: A must have m=5 rows for an attribute function, got shape \(4, 4\)"),
    (lambda: xi.ConstantInterdependence(B, M, A=np.ones(5)), "A must be a 2-D matrix"),
    (lambda: xi.ConstantInterdependence(B, M, A=np.full((5, 5), np.nan)), "A must be finite"),
    (lambda: xi.ConstantCInterdependence(B, M, b_prime=3),
     "ConstantCInterdependence: b_prime=3 must equal b=4 for an attribute function"),
    (lambda: xi.IdentityInterdependence(B, M, m_prime=0), "IdentityInterdependence: m_prime=0 must be >= 1"),
    (lambda: xi.ZeroInterdependence(B, M, interdependence_type="columns"),
     "ZeroInterdependence: interdependence_type='columns' is not one of 'attribute'"),
    (lambda: xi.ConstantCInterdependence(B, M, c=float("inf")), "c=inf must be finite"),
])
def test_bad_hyperparameters_raise_naming_the_function(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_bad_inputs_raise_naming_the_function():
    f = FUNCTIONS["c_attribute"]
    with pytest.raises(ValueError, match=r"ConstantCInterdependence: x must have shape \(b, 5\)"):
        f.apply(None, X[:, :3])
    with pytest.raises(ValueError, match=r"ConstantCInterdependence: takes no parameters"):
        f.apply(np.ones(2), X)
    with pytest.raises(ValueError, match="m=4 differs from the m=5"):
        f.calculate_m_prime(4)
