"""Combinatorial expansions against itertools and SciPy's multivariate normal."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import stats

from jaxbig.expansion import CombinatorialExpansion, CombinatorialNormalExpansion

X = np.random.default_rng(6).normal(size=(2, 5)).astype(np.float32)


def _subsets(m, r, with_replacement):
    make = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    return list(make(range(m), r))


@pytest.mark.parametrize("with_replacement", [False, True])
def test_entries_of_every_subset_in_lexicographic_order(with_replacement):
    kappa = CombinatorialExpansion(d=3, with_replacement=with_replacement)
    expected = np.array(
        [[row[i] for r in (1, 2, 3) for subset in _subsets(5, r, with_replacement) for i in subset]
         for row in X]
    )
    count = math.comb(5 + 2, 3) if with_replacement else math.comb(5, 3)
    assert kappa.calculate_D(5) == expected.shape[1] == (
        5 + 2 * (15 if with_replacement else 10) + 3 * count
    )
    np.testing.assert_array_equal(kappa.apply(None, X), expected)


@pytest.mark.parametrize("with_replacement", [False, True])
def test_normal_log_density_of_every_subset(with_replacement):
    kappa = CombinatorialNormalExpansion(d=3, with_replacement=with_replacement)
    x = X.astype(np.float64)
    expected = np.array(
        [[stats.multivariate_normal(np.zeros(r), np.eye(r)).logpdf(row[list(subset)])
          for r in (1, 2, 3) for subset in _subsets(5, r, with_replacement)]
         for row in x]
    )
    assert kappa.calculate_D(5) == expected.shape[1]
    np.testing.assert_allclose(kappa.apply(None, X), expected, rtol=1e-5, atol=1e-5)


def test_bad_hyperparameters_are_named():
    with pytest.raises(ValueError, match=r"CombinatorialExpansion: with_replacement must be a bool, got 'yes'"):
        CombinatorialExpansion(with_replacement="yes")
    with pytest.raises(ValueError, match=r"CombinatorialNormalExpansion: d=0 must be >= 1"):
        CombinatorialNormalExpansion(d=0)
