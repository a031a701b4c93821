"""Wavelet expansions against a NumPy transcription of tinyBIG's loops."""

from __future__ import annotations

import itertools
import math

import jax
import numpy as np
import pytest

import jaxbig

A, B, S, T = 1.5, 0.4, 2, 3


def _beta_psi(tau, alpha, beta):
    # tinyBIG: a slice that is not entirely in [0, 1] goes through the sigmoid
    if not np.all((tau >= 0) & (tau <= 1)):
        tau = 1 / (1 + np.exp(-tau))
    return tau ** (alpha - 1) * (1 - tau) ** (beta - 1) / math.exp(
        math.lgamma(alpha) + math.lgamma(beta) - math.lgamma(alpha + beta))


def _meyer_psi(tau):
    with np.errstate(divide="ignore", invalid="ignore"):
        value = (np.sin(2 * np.pi / 3 * tau) + 4 / 3 * tau * np.cos(4 * np.pi / 3 * tau)) / (
            np.pi * tau - 16 * np.pi / 9 * tau**3)
    return np.where(tau == 0, 2 / 3 + 4 / (3 * np.pi), value)


PSI = {
    "harr_wavelet_expansion": ({}, lambda t: np.where((t >= 0) & (t < 0.5), 1.0, np.where((t >= 0.5) & (t < 1), -1.0, 0.0))),
    "beta_wavelet_expansion": ({"alpha": 2.0, "beta": 3.5}, lambda t: _beta_psi(t, 2.0, 3.5)),
    "shannon_wavelet_expansion": ({}, lambda t: (np.sin(2 * np.pi * t) - np.sin(np.pi * t)) / (np.pi * t)),
    "ricker_wavelet_expansion": ({"sigma": 0.7}, lambda t: 2 * (1 - (t / 0.7) ** 2) / (math.sqrt(3 * 0.7) * np.pi**0.25) * np.exp(-(t**2) / (2 * 0.7**2))),
    "dog_wavelet_expansion": ({"sigma_1": 0.6, "sigma_2": 1.8}, lambda t: np.exp(-0.5 * (t / 0.6) ** 2) / math.sqrt(2 * np.pi * 0.36) - np.exp(-0.5 * (t / 1.8) ** 2) / math.sqrt(2 * np.pi * 1.8**2)),
    "meyer_wavelet_expansion": ({}, _meyer_psi),
}


def _tinybig(psi, x, d):
    """tinyBIG's discrete_wavelet_expansion.forward, loop for loop."""
    b, m = x.shape
    values = np.ones((b, m, S * T))
    for n, (s, t) in enumerate(itertools.product(range(S), range(T))):
        values[:, :, n] = 1 / math.sqrt(A**s) * psi(x / A**s - t * B)
    z = values.reshape(b, -1)
    powers, out = np.ones((b, 1)), []
    for _ in range(d):
        powers = np.einsum("ba,bc->bac", powers, z).reshape(b, -1)
        out.append(powers)
    return np.concatenate(out, axis=1)


@pytest.mark.parametrize("name", list(PSI))
@pytest.mark.parametrize("d", [1, 2])
def test_values_and_order_equal_tinybig(name, d):
    kwargs, psi = PSI[name]
    x = np.random.default_rng(5).uniform(-2, 2, (2, 3)).astype(np.float32)
    kappa = jaxbig.make(name, d=d, s=S, t=T, a=A, b=B, **kwargs)
    expected = _tinybig(psi, x.astype(np.float64), d)
    assert kappa.calculate_D(3) == sum((3 * S * T) ** k for k in range(1, d + 1)) == expected.shape[1]
    np.testing.assert_allclose(kappa.apply(None, x), expected, rtol=1e-4, atol=1e-5)


def test_beta_wavelet_skips_the_sigmoid_only_when_the_whole_slice_is_in_the_unit_interval():
    kappa = jaxbig.make("beta_wavelet_expansion", alpha=2.0, beta=2.0)
    inside = np.array([[0.5, 0.25]], np.float32)
    np.testing.assert_allclose(kappa.apply(None, inside), [[1.5, 1.125]], rtol=1e-6)
    mixed = np.array([[0.5, 1.5]], np.float32)  # 1.5 sends the whole slice through σ
    sig = 1 / (1 + np.exp(-mixed))
    np.testing.assert_allclose(kappa.apply(None, mixed), 6 * sig * (1 - sig), rtol=1e-6)


@pytest.mark.parametrize(
    "name, points, limits",
    [
        ("shannon_wavelet_expansion", [0.0], [1.0]),
        ("meyer_wavelet_expansion", [0.0, 0.75, -0.75], [2 / 3 + 4 / (3 * np.pi)] + [2 / (3 * np.pi)] * 2),
    ],
)
def test_removable_singularities_take_their_limits_with_finite_gradients(name, points, limits):
    kappa = jaxbig.make(name)
    x = np.array([points], np.float32)
    np.testing.assert_allclose(kappa.apply(None, x), [limits], rtol=1e-6)
    near = kappa.apply(None, x + 1e-3)
    np.testing.assert_allclose(near, [limits], atol=5e-3)  # continuous there
    grad = jax.grad(lambda v: kappa.apply(None, v).sum())(x)
    assert np.all(np.isfinite(grad))


@pytest.mark.parametrize(
    "name, kwargs, message",
    [
        ("ricker_wavelet_expansion", {"a": 0.5}, r"RickerWaveletExpansion: a=0.5 must be >= 1.0"),
        ("harr_wavelet_expansion", {"b": -1}, r"HaarWaveletExpansion: b=-1.0 must be >= 0.0"),
        ("beta_wavelet_expansion", {"alpha": 0.5}, r"BetaWaveletExpansion: alpha=0.5 must be >= 1.0"),
        ("dog_wavelet_expansion", {"sigma_2": 0}, r"DOGWaveletExpansion: sigma_2=0.0 must be > 0.0"),
        ("meyer_wavelet_expansion", {"s": 0}, r"MeyerWaveletExpansion: s=0 must be >= 1"),
    ],
)
def test_bad_hyperparameters_are_named(name, kwargs, message):
    with pytest.raises(ValueError, match=message):
        jaxbig.make(name, **kwargs)
