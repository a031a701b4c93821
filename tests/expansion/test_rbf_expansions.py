"""Gaussian and inverse quadratic RBF expansions."""

from __future__ import annotations

import numpy as np
import pytest

from jaxbig.expansion import GaussianRBFExpansion, InverseQuadraticRBFExpansion

X = np.random.default_rng(3).uniform(-2, 2, (3, 4)).astype(np.float32)
PHI = {
    GaussianRBFExpansion: lambda r: np.exp(-(r**2)),
    InverseQuadraticRBFExpansion: lambda r: 1 / (1 + r**2),
}


@pytest.mark.parametrize("cls", list(PHI))
def test_values_per_feature_around_evenly_spaced_centres(cls):
    kappa = cls(base_range=(-1.5, 2.0), num_interval=5, epsilon=1.7)
    centres = np.linspace(-1.5, 2.0, 5)
    expected = PHI[cls](1.7 * (X[..., None] - centres)).reshape(3, -1)
    assert kappa.calculate_D(4) == 20
    np.testing.assert_allclose(kappa.apply(None, X), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("cls", list(PHI))
def test_explicit_centres_replace_the_even_ones(cls):
    base = [-0.3, 0.0, 2.5]
    kappa = cls(base=base, num_interval=3)
    expected = PHI[cls](X[..., None] - np.array(base)).reshape(3, -1)
    np.testing.assert_allclose(kappa.apply(None, X), expected, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match=rf"{cls.__name__}: num_interval=10 must equal len\(base\)=3"):
        cls(base=base)
