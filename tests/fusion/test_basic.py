"""Summation fusions: NumPy references, learned weights, gradients, ensembles."""

import chex
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from absl.testing import parameterized
from jax.test_util import check_grads

import jaxbig
from jaxbig.fusion import (
    AverageFusion,
    ParameterizedWeightedSummationFusion,
    SummationFusion,
    WeightedSummationFusion,
)

RNG = np.random.default_rng(0)
XS = [RNG.normal(size=(2, 4)).astype(np.float32) for _ in range(3)]
ALPHA = np.array([0.5, -2.0, 3.0], np.float32)


class SummationTest(chex.TestCase):
    @chex.variants(with_jit=True, without_jit=True)
    @parameterized.named_parameters(
        ("summation", SummationFusion(), None, np.ones(3)),
        ("average", AverageFusion(), None, np.full(3, 1 / 3)),
        ("weighted", WeightedSummationFusion(weights=tuple(ALPHA)), None, ALPHA),
        ("parameterized", ParameterizedWeightedSummationFusion(), ALPHA, ALPHA),
    )
    def test_fusion_equals_numpy_weighted_sum(self, fusion, params, alpha):
        out = self.variant(fusion.apply)(params, XS)
        expected = np.einsum("k,kbn->bn", alpha, np.stack(XS).astype(np.float64))
        np.testing.assert_allclose(out, expected, rtol=1e-6, atol=1e-6)
        assert out.shape == (2, fusion.calculate_n((4, 4, 4)))


def test_learned_weights_start_as_the_average():
    fusion = ParameterizedWeightedSummationFusion()
    w = fusion.init(jax.random.key(0), (4, 4, 4))
    assert w.shape == (fusion.calculate_l((4, 4, 4)),) == (3,)
    np.testing.assert_allclose(fusion.apply(w, XS), AverageFusion().apply(None, XS), rtol=1e-6)
    # tinyBIG's (1, l) parameter layout loads as is.
    np.testing.assert_allclose(fusion.apply(ALPHA[None], XS), fusion.apply(ALPHA, XS))


def test_learned_weights_gradients_match_finite_differences():
    fusion = ParameterizedWeightedSummationFusion(postprocess_functions="tanh")
    with jax.enable_x64(True):
        xs = [x.astype(np.float64) for x in XS]
        check_grads(jax.jit(fusion.apply), (ALPHA.astype(np.float64), xs), order=1, modes=("rev",))


def test_vmap_over_an_ensemble_of_weights():
    fusion = ParameterizedWeightedSummationFusion()
    ws = jnp.asarray(RNG.normal(size=(5, 3)), jnp.float32)
    out = jax.jit(jax.vmap(fusion.apply, in_axes=(0, None)))(ws, XS)
    assert out.shape == (5, 2, 4)
    np.testing.assert_allclose(out[3], fusion.apply(ws[3], XS), rtol=1e-6, atol=1e-6)


def test_fixed_weights_accept_tinybigs_tensor_and_count_inputs():
    fusion = jaxbig.make("weighted_summation_fusion", weights=np.asarray(ALPHA), dims=[4, 4, 4])
    assert fusion.weights == tuple(ALPHA.tolist()) and fusion.calculate_l() == 0
    hash(fusion)
    with pytest.raises(ValueError, match="WeightedSummationFusion: got 2 inputs for 3 weights"):
        WeightedSummationFusion(weights=tuple(ALPHA)).apply(None, XS[:2])
    with pytest.raises(ValueError, match="WeightedSummationFusion: got 2 inputs for 3 weights"):
        WeightedSummationFusion(weights=tuple(ALPHA), dims=(4, 4))
    with pytest.raises(ValueError, match="WeightedSummationFusion: weights must be a non-empty"):
        WeightedSummationFusion(weights=())
    with pytest.raises(ValueError, match="WeightedSummationFusion: weight=nan must be finite"):
        WeightedSummationFusion(weights=(1.0, float("nan")))


def test_bfloat16_inputs_give_bfloat16_output():
    xs = [x.astype(jnp.bfloat16) for x in XS]
    for fusion, params in [(WeightedSummationFusion(weights=(1.0, 2.0, 3.0)), None),
                           (ParameterizedWeightedSummationFusion(), ALPHA)]:
        assert fusion.apply(params, xs).dtype == jnp.bfloat16
