"""Trigonometric and hyperbolic expansions and their inverses: tinyBIG's block order."""

from __future__ import annotations

import numpy as np
import pytest

import jaxbig

X = np.random.default_rng(2).uniform(-3, 3, (3, 4)).astype(np.float32)
S = 1 / (1 + np.exp(-X.astype(np.float64)))  # the logistic sigmoid σ(x)

CASES = {
    "trigonometric_expansion": [np.sin(X), np.cos(X), np.tan(X)],
    "hyperbolic_expansion": [np.sinh(X), np.cosh(X), np.tanh(X)],
    "arc_trigonometric_expansion": [np.arcsin(0.99 * S), np.arccos(0.99 * S), np.arctan(S)],
    "arc_hyperbolic_expansion": [np.arcsinh(S), np.arccosh(S + 1.01), np.arctanh(0.99 * S)],
}


@pytest.mark.parametrize("name", list(CASES))
def test_blocks_in_tinybig_order(name):
    y = jaxbig.make(name).apply(None, X)
    np.testing.assert_allclose(y, np.concatenate(CASES[name], axis=1), rtol=1e-5, atol=1e-5)


def test_inverse_functions_stay_finite_for_any_input():
    x = np.array([[-1e4, -5.0, 0.0, 5.0, 1e4]], np.float32)
    for name in ("arc_trigonometric_expansion", "arc_hyperbolic_expansion"):
        assert np.all(np.isfinite(jaxbig.make(name).apply(None, x)))
