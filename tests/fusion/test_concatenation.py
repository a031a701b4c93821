"""Concatenation fusion: NumPy reference, widths, tinyBIG's pre-processing rule."""

import chex
import jax
import numpy as np
import pytest

import jaxbig
from jaxbig.fusion import ConcatenationFusion

RNG = np.random.default_rng(2)
XS = [RNG.normal(size=(3, n)).astype(np.float32) for n in (2, 5, 1)]


def _center(a):
    return a - a.mean()  # a global statistic: shows whether inputs are processed together


class ConcatenationTest(chex.TestCase):
    @chex.variants(with_jit=True, without_jit=True)
    def test_fusion_equals_numpy_concatenate(self):
        fusion = ConcatenationFusion(postprocess_functions="relu")
        out = self.variant(fusion.apply)(None, XS)
        np.testing.assert_array_equal(out, np.maximum(np.concatenate(XS, axis=1), 0))
        assert out.shape == (3, fusion.calculate_n((2, 5, 1))) == (3, 8)


def test_stacked_inputs_are_concatenated_in_order():
    stacked = RNG.normal(size=(3, 2, 4)).astype(np.float32)
    out = ConcatenationFusion().apply(None, stacked)
    np.testing.assert_array_equal(out, np.concatenate(list(stacked), axis=1))


def test_preprocessing_sees_equal_shapes_together_and_unequal_shapes_apart():
    fusion = ConcatenationFusion(preprocess_functions=_center)
    equal = [XS[0], XS[0] + 1.0]
    out = fusion.apply(None, equal)
    np.testing.assert_allclose(out, np.concatenate(equal, 1) - np.mean(equal), atol=1e-6)
    out = fusion.apply(None, XS)
    np.testing.assert_allclose(out, np.concatenate([x - x.mean() for x in XS], 1), atol=1e-6)


def test_calculate_and_dims():
    fusion = jaxbig.make("concatenation_fusion", dims=[2, 5, 1], name="concatenation_fusion")
    assert fusion.calculate_n() == 8 and fusion.calculate_l() == 0
    assert fusion.init(jax.random.key(0), (2, 5, 1)) is None
    with pytest.raises(ValueError, match=r"ConcatenationFusion: inputs of widths dims=\(2, 5\) differ from its dims=\(2, 5, 1\)"):
        fusion.apply(None, XS[:2])
