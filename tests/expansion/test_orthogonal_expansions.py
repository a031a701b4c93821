"""Orthogonal and sequence polynomial expansions against SciPy and closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special

import jaxbig

X = np.linspace(-1.4, 1.4, 12, dtype=np.float32).reshape(3, 4)
D = 6


def _closed_form(terms):
    """``[P_1(X), …, P_D(X)]`` laid out per feature, from ``terms(n, x)`` in float64."""
    x = X.astype(np.float64)
    return np.stack([terms(n, x) for n in range(1, D + 1)], axis=-1).reshape(X.shape[0], -1)


CASES = {
    "chebyshev_expansion": ({}, lambda n, x: special.eval_chebyt(n, x)),
    "legendre_expansion": ({}, lambda n, x: special.eval_legendre(n, x)),
    "hermite_expansion": ({}, lambda n, x: special.eval_hermitenorm(n, x)),
    "laguerre_expansion": ({"alpha": 0.7}, lambda n, x: special.eval_genlaguerre(n, 0.7, x)),
    "jacobi_expansion": (
        {"alpha": -0.4, "beta": 1.6}, lambda n, x: special.eval_jacobi(n, -0.4, 1.6, x)
    ),
    "gegenbauer_expansion": ({"alpha": 0.3}, lambda n, x: special.eval_gegenbauer(n, 0.3, x)),
    # Bessel polynomials: B_n(x) = Σ_k (n+k)!/((n−k)! k!) (x/2)^k.
    "bessel_expansion": ({}, lambda n, x: sum(
        math.factorial(n + k) / (math.factorial(n - k) * math.factorial(k)) * (x / 2) ** k
        for k in range(n + 1))),
    # Reverse Bessel polynomials: R_n(x) = Σ_k (n+k)!/((n−k)! k!) x^{n−k} / 2^k.
    "reverse_bessel_expansion": ({}, lambda n, x: sum(
        math.factorial(n + k) / (math.factorial(n - k) * math.factorial(k)) * x ** (n - k) / 2**k
        for k in range(n + 1))),
    # Fibonacci polynomials: F_n(x) = Σ_k C(n−k−1, k) x^{n−2k−1}.
    "fibonacci_expansion": ({}, lambda n, x: sum(
        math.comb(n - k - 1, k) * x ** (n - 2 * k - 1) for k in range((n - 1) // 2 + 1))),
    # Lucas polynomials: L_n(x) = Σ_k n/(n−k) C(n−k, k) x^{n−2k}.
    "lucas_expansion": ({}, lambda n, x: sum(
        n / (n - k) * math.comb(n - k, k) * x ** (n - 2 * k) for k in range(n // 2 + 1))),
}


@pytest.mark.parametrize("name", list(CASES))
def test_values_equal_the_closed_form_per_feature(name):
    kwargs, terms = CASES[name]
    y = jaxbig.make(name, d=D, **kwargs).apply(None, X)
    np.testing.assert_allclose(np.asarray(y), _closed_form(terms), rtol=2e-5, atol=2e-5)


def test_gegenbauer_half_is_legendre_and_jacobi_zero_is_legendre():
    legendre = np.asarray(jaxbig.make("legendre_expansion", d=D).apply(None, X))
    for other in (
        jaxbig.make("gegenbauer_expansion", d=D, alpha=0.5),
        jaxbig.make("jacobi_expansion", d=D, alpha=0.0, beta=0.0),
    ):
        np.testing.assert_allclose(np.asarray(other.apply(None, X)), legendre, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "name, kwargs, message",
    [
        ("chebyshev_expansion", {"d": 0}, r"ChebyshevExpansion: d=0 must be >= 1"),
        ("lucas_expansion", {"d": 2.5}, r"LucasExpansion: d must be an integer, got 2.5"),
        ("jacobi_expansion", {"alpha": -1.0}, r"JacobiExpansion: alpha=-1.0 must be > -1.0"),
        ("laguerre_expansion", {"alpha": float("nan")}, r"LaguerreExpansion: alpha=nan must be finite"),
    ],
)
def test_bad_hyperparameters_are_named(name, kwargs, message):
    with pytest.raises(ValueError, match=message):
        jaxbig.make(name, **kwargs)
