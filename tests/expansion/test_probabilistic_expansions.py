"""Probabilistic expansions against SciPy's log-densities, with tinyBIG's parameters."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import jaxbig

X = np.random.default_rng(4).uniform(-3, 3, (3, 4)).astype(np.float32)
x = X.astype(np.float64)
sigmoid = 1 / (1 + np.exp(-x))
U1 = sigmoid + 0.001  # χ² in chi2_expansion and naive_chi2_expansion
U99 = 0.99 * sigmoid + 0.001  # gamma, exponential, and the hybrid's χ²

# tinyBIG's components, read from tinybig/expansion/probabilistic_expansion.py; scipy's
# gamma and exponential take scale = 1 / rate (torch takes the rate).
NORMALS = [stats.norm(mu, s).logpdf(x) for mu, s in [(0, 1), (1, 1), (-1, 1), (0, 0.1), (1, 0.1), (-1, 0.1)]]
CAUCHYS = [stats.cauchy(x0, g).logpdf(x) for x0, g in [(0, 1), (0, 0.5), (1, 1), (1, 0.5), (-1, 1), (-1, 0.5)]]
CHI2S = [stats.chi2(k).logpdf(U1) for k in (1, 2)]
GAMMAS = [stats.gamma(k, scale=1 / r).logpdf(U99) for k, r in [(0.5, 1), (0.5, 2), (1, 1), (1, 2), (2, 1), (2, 2)]]
LAPLACES = [stats.laplace(mu, b).logpdf(x) for mu, b in [(0, 1), (0, 2), (1, 1), (1, 2), (-1, 1), (-1, 2)]]
EXPONENTIALS = [stats.expon(scale=1 / r).logpdf(U99) for r in (0.5, 0.75, 1, 2, 3, 5)]

CASES = {
    "naive_normal_expansion": NORMALS[:1],
    "normal_expansion": NORMALS,
    "naive_cauchy_expansion": CAUCHYS[:1],
    "cauchy_expansion": CAUCHYS,
    "naive_chi2_expansion": CHI2S[:1],
    "chi2_expansion": CHI2S,
    "naive_gamma_expansion": GAMMAS[:1],
    "gamma_expansion": GAMMAS,
    "naive_laplace_expansion": LAPLACES[:1],
    "laplace_expansion": LAPLACES,
    "naive_exponential_expansion": EXPONENTIALS[:1],
    "exponential_expansion": EXPONENTIALS,
    "hybrid_probabilistic_expansion": [
        stats.norm(0, 1).logpdf(x),
        stats.cauchy(0, 1).logpdf(x),
        stats.chi2(1).logpdf(U99),
        stats.gamma(0.5, scale=1.0).logpdf(U99),
        stats.laplace(0, 1).logpdf(x),
        stats.expon(scale=1.0).logpdf(U99),
    ],
}


@pytest.mark.parametrize("name", list(CASES))
def test_log_densities_in_blocks(name):
    kappa = jaxbig.make(name)
    assert kappa.calculate_D(4) == 4 * len(CASES[name])
    np.testing.assert_allclose(kappa.apply(None, X), np.concatenate(CASES[name], axis=1), rtol=1e-5, atol=1e-5)
