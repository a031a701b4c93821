"""Identity, reciprocal and linear expansions."""

from __future__ import annotations

import jax
import numpy as np
import pytest

from jaxbig.expansion import IdentityExpansion, LinearExpansion, ReciprocalExpansion

RNG = np.random.default_rng(0)
X = RNG.normal(size=(3, 4)).astype(np.float32)


def test_identity_returns_the_input():
    np.testing.assert_array_equal(IdentityExpansion().apply(None, X), X)


def test_reciprocal_replaces_values_within_1e_6_of_zero_by_plus_minus_1e_6():
    x = np.array([[2.0, -0.5, 0.0, 1e-7, -1e-7, 1e-6, -1e-6, -2e-6]], np.float32)
    expected = 1 / np.array([[2.0, -0.5, 1e-6, 1e-6, -1e-6, 1e-6, -1e-6, -2e-6]], np.float32)
    np.testing.assert_allclose(ReciprocalExpansion().apply(None, x), expected, rtol=1e-6)
    grad = jax.grad(lambda v: ReciprocalExpansion().apply(None, v).sum())(x)
    np.testing.assert_allclose(grad[0, :2], [-0.25, -4.0], rtol=1e-6)
    np.testing.assert_array_equal(grad[0, 2:7], 0.0)  # replaced values do not depend on x


def test_linear_scalar_and_matrices_equal_numpy():
    post, pre = RNG.normal(size=(4, 4)), RNG.normal(size=(3, 3))
    np.testing.assert_allclose(LinearExpansion(c=-1.5).apply(None, X), -1.5 * X, rtol=1e-6)
    np.testing.assert_allclose(LinearExpansion(post_C=post).apply(None, X), X @ post, rtol=1e-5)
    np.testing.assert_allclose(LinearExpansion(pre_C=pre).apply(None, X), pre @ X, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(LinearExpansion().apply(None, X), X)
    # matrices are kept as hashable tuples, so the object is a valid static argument
    assert hash(LinearExpansion(post_C=post)) == hash(LinearExpansion(post_C=post.tolist()))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"c": 1.0, "post_C": np.eye(2)}, r"LinearExpansion: give at most one of c, pre_C, post_C, got c, post_C"),
        ({"post_C": np.ones((2, 3))}, r"LinearExpansion: post_C must be a non-empty square matrix .* got shape \(2, 3\)"),
        ({"pre_C": [[1.0, np.inf], [0.0, 1.0]]}, r"LinearExpansion: pre_C must be finite"),
        ({"c": "2"}, r"LinearExpansion: c must be a real number"),
    ],
)
def test_bad_linear_hyperparameters_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        LinearExpansion(**kwargs)


def test_pre_matrix_needs_its_batch_size():
    with pytest.raises(ValueError, match=r"LinearExpansion: pre_C of shape \(2, 2\) needs x of shape \(2, m\), got shape \(3, 4\)"):
        LinearExpansion(pre_C=np.eye(2)).apply(None, X)
