"""Input checks shared by every fusion: widths, dims, sequences, parameters."""

import jax.numpy as jnp
import numpy as np
import pytest

from jaxbig import registry
from jaxbig.fusion import (
    AverageFusion,
    ConcatenationFusion,
    MaxFusion,
    MedianFusion,
    MetricFusion,
    ParameterizedWeightedSummationFusion,
    SummationFusion,
    WeightedSummationFusion,
)

EQUAL_WIDTH = [
    SummationFusion(),
    AverageFusion(),
    WeightedSummationFusion(weights=(1.0, 2.0)),
    MaxFusion(),
    MedianFusion(),
    MetricFusion(metric="prod"),
]
X3, X4 = jnp.ones((2, 3)), jnp.ones((2, 4))


@pytest.mark.parametrize("fusion", EQUAL_WIDTH, ids=lambda f: type(f).__name__)
def test_unequal_widths_name_the_function_and_the_widths(fusion):
    name = type(fusion).__name__
    with pytest.raises(ValueError, match=rf"{name}: inputs must have equal widths, got dims=\(3, 4\)"):
        fusion.apply(None, [X3, X4])
    with pytest.raises(ValueError, match=rf"{name}: inputs must have equal widths, got dims=\(3, 4\)"):
        fusion.calculate_n((3, 4))


def test_equal_width_fusions_report_the_common_width():
    for fusion in EQUAL_WIDTH:
        assert fusion.calculate_n((3, 3)) == 3 and fusion.calculate_l((3, 3)) == 0
    assert ParameterizedWeightedSummationFusion().calculate_l((3, 3)) == 2


@pytest.mark.parametrize(
    "xs, message",
    [
        ([], r"xs must be a non-empty sequence of \(b, n_i\) arrays, got list"),
        (X3, r"xs must be a sequence of \(b, n_i\) arrays or one \(k, b, n\) array, got an array of shape \(2, 3\)"),
        ([X3, jnp.ones((3, 3))], r"xs must be \(b, n_i\) arrays with one batch size b, got shapes \[\(2, 3\), \(3, 3\)\]"),
        ([jnp.ones(3)], r"xs must be \(b, n_i\) arrays with one batch size b, got shapes \[\(3,\)\]"),
    ],
)
def test_malformed_inputs_are_rejected(xs, message):
    with pytest.raises(ValueError, match="ConcatenationFusion: " + message):
        ConcatenationFusion().apply(None, xs)


def test_dims_are_validated_required_and_binding():
    with pytest.raises(ValueError, match=r"SummationFusion: dims is required \(pass dims, or build"):
        SummationFusion().calculate_n()
    with pytest.raises(ValueError, match="SummationFusion: dims entry=0 must be >= 1"):
        SummationFusion(dims=(3, 0))
    with pytest.raises(ValueError, match="SummationFusion: dims must be a non-empty sequence of widths, got 3"):
        SummationFusion(dims=3)
    pinned = SummationFusion(dims=[3, 3])
    assert pinned.dims == (3, 3) and pinned.calculate_n() == 3
    with pytest.raises(ValueError, match=r"SummationFusion: inputs of widths dims=\(3, 3, 3\) differ from its dims=\(3, 3\)"):
        pinned.apply(None, [X3, X3, X3])


def test_parameter_free_fusions_reject_parameters():
    with pytest.raises(ValueError, match=r"MaxFusion: takes no parameters \(l = 0\), got params of shape \(2,\)"):
        MaxFusion().apply(jnp.ones(2), [X3, X3])
    with pytest.raises(ValueError, match=r"ParameterizedWeightedSummationFusion: params must have shape \(2,\)"):
        ParameterizedWeightedSummationFusion().apply(jnp.ones(3), [X3, X3])


def test_every_fusion_is_registered_under_its_tinybig_name():
    names = {e.tinybig for e in registry.entries("fusion")}
    expected = {
        "summation_fusion", "average_fusion", "weighted_summation_fusion",
        "parameterized_weighted_summation_fusion", "metric_fusion", "sum_fusion", "mean_fusion",
        "prod_fusion", "max_fusion", "min_fusion", "median_fusion", "l1_norm_fusion",
        "l2_norm_fusion", "concatenation_fusion",
    }
    assert expected <= names, sorted(expected - names)


def test_postprocessing_is_applied_to_the_fused_output():
    fusion = AverageFusion(postprocess_functions=["torch.nn.functional.sigmoid"])
    np.testing.assert_allclose(fusion.apply(None, [X3, -X3]), np.full((2, 3), 0.5))
