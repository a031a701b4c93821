"""Metric fusions: every named metric against NumPy, tinyBIG's median, gradients."""

import chex
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from absl.testing import parameterized
from jax.test_util import check_grads

import jaxbig
from jaxbig.fusion import (
    L1NormFusion,
    L2NormFusion,
    MaxFusion,
    MeanFusion,
    MedianFusion,
    MetricFusion,
    MinFusion,
    ProdFusion,
    SumFusion,
)

RNG = np.random.default_rng(1)
XS = RNG.normal(size=(4, 3, 5)).astype(np.float32)  # k = 4 (even), b = 3, n = 5

REFERENCES = [
    ("sum", SumFusion, lambda a: a.sum(0)),
    ("mean", MeanFusion, lambda a: a.mean(0)),
    ("prod", ProdFusion, lambda a: a.prod(0)),
    ("max", MaxFusion, lambda a: a.max(0)),
    ("min", MinFusion, lambda a: a.min(0)),
    ("median", MedianFusion, lambda a: np.median(a, 0)),
    ("l1_norm", L1NormFusion, lambda a: np.abs(a).sum(0)),
    ("l2_norm", L2NormFusion, lambda a: np.sqrt((a**2).sum(0))),
]


class MetricTest(chex.TestCase):
    @chex.variants(with_jit=True, without_jit=True)
    @parameterized.named_parameters(*REFERENCES)
    def test_named_fusion_equals_numpy(self, cls, reference):
        out = self.variant(cls().apply)(None, list(XS))
        np.testing.assert_allclose(out, reference(XS.astype(np.float64)), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name, cls, reference", REFERENCES)
def test_metric_fusion_by_name_is_the_named_class(name, cls, reference):
    generic = MetricFusion(metric=name)
    np.testing.assert_array_equal(generic.apply(None, XS), cls().apply(None, XS))
    assert jaxbig.make(f"{name}_fusion", dims=[5] * 4) == cls(dims=(5, 5, 5, 5))


def test_metric_fusion_takes_a_numpy_style_reduction():
    fusion = MetricFusion(metric=jnp.std)
    np.testing.assert_allclose(fusion.apply(None, XS), XS.std(0), rtol=1e-5)
    with pytest.raises(ValueError, match=r"MetricFusion: metric must reduce \(k, b, n\) = \(4, 3, 5\) over axis 0"):
        MetricFusion(metric=jnp.cumsum).apply(None, XS)
    with pytest.raises(ValueError, match="MetricFusion: metric='mode' is not one of 'sum'"):
        MetricFusion(metric="mode")
    with pytest.raises(ValueError, match="MetricFusion: metric must be a name or a callable, got 3"):
        MetricFusion(metric=3)


def test_median_of_an_even_count_is_the_mean_of_the_middle_values():
    out = np.asarray(MedianFusion().apply(None, XS))
    ordered = np.sort(XS, axis=0)
    np.testing.assert_allclose(out, (ordered[1] + ordered[2]) / 2, rtol=1e-6)
    # tinyBIG's torch.median returns the lower middle value, which differs here.
    assert not np.allclose(out, ordered[1])
    np.testing.assert_array_equal(MedianFusion().apply(None, XS[:3]), np.sort(XS[:3], 0)[1])


def test_l2_norm_gradient_is_zero_where_all_inputs_are_zero():
    xs = np.zeros((2, 1, 2), np.float32)
    xs[:, 0, 1] = [3.0, 4.0]
    grad = jax.jit(jax.grad(lambda a: L2NormFusion().apply(None, a).sum()))(jnp.asarray(xs))
    np.testing.assert_allclose(grad[:, 0, 0], 0.0)
    np.testing.assert_allclose(grad[:, 0, 1], [0.6, 0.8], rtol=1e-6)


@pytest.mark.parametrize("cls", [ProdFusion, L2NormFusion, MeanFusion])
def test_gradients_match_finite_differences(cls):
    with jax.enable_x64(True):
        check_grads(jax.jit(lambda a: cls().apply(None, a)), (XS.astype(np.float64),), order=1,
                    modes=("rev",))


def test_dtype_follows_the_input():
    for cls in (MedianFusion, L2NormFusion, ProdFusion):
        assert cls().apply(None, XS.astype(jnp.bfloat16)).dtype == jnp.bfloat16
