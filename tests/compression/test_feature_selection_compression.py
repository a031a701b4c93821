"""Feature selection: variance ranking and running averages in NumPy, feature clusters."""

import jax
import numpy as np
import pytest
import scipy.spatial.distance

import jaxbig
from jaxbig.compression import (
    IncrementalFeatureClusteringCompression,
    IncrementalVarianceThresholdCompression,
)

RNG = np.random.default_rng(4)
SCALES = np.array([1.0, 5.0, 0.1, 3.0, 2.0, 0.5])
BATCHES = [(RNG.normal(size=(10, 6)) * SCALES).astype(np.float32) for _ in range(3)]


def test_keeps_the_largest_variance_features_in_increasing_variance_order():
    f = IncrementalVarianceThresholdCompression(3)
    state = f.fit(BATCHES[0])
    v = BATCHES[0].astype(np.float64).var(0, ddof=1)
    np.testing.assert_allclose(state.v, v, rtol=1e-5)
    keep = np.argsort(v, kind="stable")[-3:]
    out = jax.jit(f.apply)(state, BATCHES[1])
    assert out.shape == (10, f.calculate_D(6))
    np.testing.assert_array_equal(out, BATCHES[1][:, keep])
    grad = jax.grad(lambda x: f.apply(state, x).sum())(BATCHES[1])
    np.testing.assert_array_equal(grad, np.isin(np.arange(6), keep)[None].repeat(10, 0))


def test_running_average_then_replacement_as_tinybig():
    f = IncrementalVarianceThresholdCompression(2, t_threshold=2)
    variances = [b.astype(np.float64).var(0, ddof=1) for b in BATCHES]
    state = f.fit(BATCHES[0])
    state = f.fit(BATCHES[1], params=state)
    np.testing.assert_allclose(state.v, (variances[0] + variances[1]) / 2, rtol=1e-5)
    assert int(state.t) == 2 and not bool(state.incremental)  # t reached t_threshold
    state = f.fit(BATCHES[2], params=state)  # no longer incremental: replaced
    np.testing.assert_allclose(state.v, variances[2], rtol=1e-5)
    assert int(state.t) == 2
    # A repeated batch moves the average by 0 < incremental_stop_threshold: averaging stops.
    g = IncrementalVarianceThresholdCompression(2)
    twice = g.fit(BATCHES[0], params=g.fit(BATCHES[0]))
    assert not bool(twice.incremental) and int(twice.t) == 2
    assert not bool(g.fit(BATCHES[0], params=g.init(None, 6)._replace(incremental=False)).incremental)


def _grouped_features(rows):
    """Three groups of features (columns 0-1, 2-4, 5) that move together."""
    signals = RNG.normal(size=(rows, 3)) * [1.0, 4.0, 9.0]
    columns = [0, 0, 1, 1, 1, 2]
    return (signals[:, columns] + 0.01 * RNG.normal(size=(rows, 6))).astype(np.float32)


def test_feature_clusters_are_the_groups_and_outputs_their_means():
    f = IncrementalFeatureClusteringCompression(3)
    first, second = _grouped_features(8), _grouped_features(8)
    state = f.fit(first, params=f.init(None, 6))  # one compilation for both fits
    state = f.fit(second, params=state)
    expected = (scipy.spatial.distance.squareform(scipy.spatial.distance.pdist(first.T))
                + scipy.spatial.distance.squareform(scipy.spatial.distance.pdist(second.T))) / 2
    np.testing.assert_allclose(state.distances, expected, rtol=1e-4, atol=1e-4)
    assert state.labels.tolist() == [0, 0, 1, 1, 1, 2]  # numbered by first feature
    out = jax.jit(f.apply)(state, second)
    assert out.shape == (8, f.calculate_D(6))
    means = np.stack([second[:, :2].mean(1), second[:, 2:5].mean(1), second[:, 5]], 1)
    np.testing.assert_allclose(out, means, rtol=1e-5, atol=1e-6)


def test_errors_name_the_function_and_shapes():
    f = IncrementalVarianceThresholdCompression(2)
    with pytest.raises(ValueError, match=r"IncrementalVarianceThresholdCompression: x must have at least 2 rows"):
        f.fit(BATCHES[0][:1])
    with pytest.raises(ValueError, match=r"params.v has shape \(6,\), x needs \(5,\)"):
        f.apply(f.fit(BATCHES[0]), BATCHES[0][:, :5])
    with pytest.raises(ValueError, match=r"IncrementalFeatureClusteringCompression: D=7 must be <= m=6"):
        IncrementalFeatureClusteringCompression(7).fit(BATCHES[0])
    with pytest.raises(ValueError, match=r"t_threshold=0 must be >= 1"):
        jaxbig.make("incremental_variance_threshold_based_compression", D=2, t_threshold=0)
