"""B-spline expansion against SciPy's B-spline basis elements."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.interpolate import BSpline

from jaxbig.expansion import BSplineExpansion


@pytest.mark.parametrize("t, d, grid_range", [(5, 3, (-1.0, 1.0)), (4, 0, (0.0, 2.0)), (3, 2, (-2.0, 1.0))])
def test_basis_equals_scipy_basis_elements_on_the_uniform_knots(t, d, grid_range):
    kappa = BSplineExpansion(grid_range=grid_range, t=t, d=d)
    knots = kappa.knots()
    np.testing.assert_allclose(np.diff(knots), (grid_range[1] - grid_range[0]) / t)
    x = np.random.default_rng(t).uniform(knots[0] - 0.3, knots[-1] + 0.3, (4, 5))
    expected = np.stack(
        [np.nan_to_num(BSpline.basis_element(knots[j : j + d + 2], extrapolate=False)(x))
         for j in range(t + d)],
        axis=-1,
    ).reshape(4, -1)
    y = kappa.apply(None, x.astype(np.float32))
    assert y.shape == (4, kappa.calculate_D(5)) == (4, 5 * (t + d))
    np.testing.assert_allclose(y, expected, rtol=1e-4, atol=1e-5)


def test_basis_is_a_partition_of_unity_inside_the_grid():
    kappa = BSplineExpansion(t=6, d=3)
    x = np.linspace(-0.999, 0.999, 40, dtype=np.float32).reshape(8, 5)
    sums = np.asarray(kappa.apply(None, x)).reshape(8, 5, 9).sum(-1)
    np.testing.assert_allclose(sums, 1.0, rtol=1e-5)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"grid_range": (1.0, 1.0)}, r"BSplineExpansion: grid_range=\(1.0, 1.0\) must have low < high"),
        ({"grid_range": 3.0}, r"BSplineExpansion: grid_range must be a pair \(low, high\)"),
        ({"t": 0}, r"BSplineExpansion: t=0 must be >= 1"),
        ({"d": -1}, r"BSplineExpansion: d=-1 must be >= 0"),
    ],
)
def test_bad_hyperparameters_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        BSplineExpansion(**kwargs)
