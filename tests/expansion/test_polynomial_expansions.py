"""Taylor (Kronecker powers) and Fourier expansions."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from jaxbig.expansion import FourierExpansion, TaylorExpansion

X = np.random.default_rng(1).uniform(-1.5, 1.5, (2, 3)).astype(np.float32)


def test_taylor_lists_every_monomial_in_kronecker_order():
    d = 3
    expected = [
        [math.prod(row[list(index)]) for k in range(1, d + 1) for index in itertools.product(range(3), repeat=k)]
        for row in X.astype(np.float64)
    ]
    y = TaylorExpansion(d=d).apply(None, X)
    assert TaylorExpansion(d=d).calculate_D(3) == 3 + 9 + 27
    np.testing.assert_allclose(y, np.array(expected), rtol=1e-5, atol=1e-6)


def test_fourier_lists_cosine_then_sine_blocks_per_harmonic():
    P, N = 2.5, 3
    blocks = []
    for n in range(1, N + 1):
        blocks += [np.cos(2 * np.pi * n / P * X), np.sin(2 * np.pi * n / P * X)]
    y = FourierExpansion(P=P, N=N).apply(None, X)
    np.testing.assert_allclose(y, np.concatenate(blocks, axis=1), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "cls, kwargs, message",
    [
        (FourierExpansion, {"P": 0}, r"FourierExpansion: P=0.0 must be > 0.0"),
        (FourierExpansion, {"N": 0}, r"FourierExpansion: N=0 must be >= 1"),
        (TaylorExpansion, {"d": True}, r"TaylorExpansion: d must be an integer, got True"),
    ],
)
def test_bad_hyperparameters_are_named(cls, kwargs, message):
    with pytest.raises(ValueError, match=message):
        cls(**kwargs)
