"""Parameterized concatenation fusions: projections against W built in NumPy, gradients, vmap."""

import chex
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from absl.testing import parameterized
from jax.test_util import check_grads

import jaxbig
from jaxbig.fusion import (
    DualLPHMParameterizedConcatenationFusion,
    HMParameterizedConcatenationFusion,
    LowRankParameterizedConcatenationFusion,
    LPHMParameterizedConcatenationFusion,
    ParameterizedConcatenationFusion,
    RandomMatrixAdaptionParameterizedConcatenationFusion,
)

RNG = np.random.default_rng(3)
DIMS = (2, 4)  # D = Σnᵢ = 6
N = 4
XS = [RNG.normal(size=(3, d)).astype(np.float32) for d in DIMS]
X_CAT = np.concatenate(XS, axis=1).astype(np.float64)


def _split(w, *shapes):
    parts, start = [], 0
    for shape in shapes:
        size = int(np.prod(shape))
        parts.append(np.asarray(w[start : start + size], np.float64).reshape(shape))
        start += size
    assert start == len(w)
    return parts


# Each member with an independent NumPy construction of W (n × D) from w (row-major blocks).
CASES = [
    ("plain", ParameterizedConcatenationFusion(n=N), lambda w: _split(w, (N, 6))[0]),
    ("lowrank", LowRankParameterizedConcatenationFusion(r=2, n=N),
     lambda w: np.matmul(*_split(w, (N, 2), (2, 6)))),
    ("hm", HMParameterizedConcatenationFusion(p=2, q=3, n=N),
     lambda w: np.kron(*_split(w, (2, 3), (2, 2)))),
    ("lphm", LPHMParameterizedConcatenationFusion(r=1, p=2, n=N),
     lambda w: (lambda b, s, t: np.kron(b, s @ t))(*_split(w, (2, 2), (2, 1), (1, 3)))),
    ("dual_lphm", DualLPHMParameterizedConcatenationFusion(r=1, p=2, n=N),
     lambda w: (lambda p, q, s, t: np.kron(p @ q, s @ t))(*_split(w, (2, 1), (1, 2), (2, 1), (1, 3)))),
]


class ProjectionTest(chex.TestCase):
    @chex.variants(with_jit=True, without_jit=True)
    @parameterized.named_parameters(*CASES)
    def test_projection_equals_concatenation_times_numpy_w(self, fusion, build_w):
        w = fusion.init(jax.random.key(0), DIMS)
        assert w.shape == (fusion.calculate_l(DIMS),)
        out = self.variant(fusion.apply)(w, XS)
        assert out.shape == (3, fusion.calculate_n(DIMS)) == (3, N)
        np.testing.assert_allclose(out, X_CAT @ build_w(np.asarray(w)).T, rtol=1e-5, atol=1e-6)


def test_random_matrix_adaption_equals_its_materialised_matrix():
    fusion = RandomMatrixAdaptionParameterizedConcatenationFusion(r=2, n=N)
    params = jax.jit(lambda k: fusion.init(k, DIMS))(jax.random.key(1))
    assert params.w.shape == (fusion.calculate_l(DIMS),) == (N + 2,)
    W = np.asarray(fusion.fabrication().apply(params, N, 6), np.float64)
    np.testing.assert_allclose(fusion.apply(params, XS), X_CAT @ W.T, rtol=1e-5, atol=1e-5)
    # λ₁ scales the output rows: zeroing λ₁[j] zeroes output column j.
    zeroed = params._replace(w=params.w.at[1].set(0.0))
    np.testing.assert_array_equal(fusion.apply(zeroed, XS)[:, 1], 0.0)


def test_default_n_is_the_common_width_and_tinybig_weights_load():
    fusion = jaxbig.make("parameterized_concatenation_fusion", dims=[3, 3], name="fusion")
    assert fusion.calculate_n() == 3 and fusion.calculate_l() == 3 * 6
    xs = [XS[1][:, :3], XS[1][:, 1:]]
    w = RNG.normal(size=(1, 18)).astype(np.float32)  # tinyBIG's (1, l) parameter
    expected = np.concatenate(xs, 1) @ w.reshape(3, 6).T
    np.testing.assert_allclose(fusion.apply(w, xs), expected, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match=r"ParameterizedConcatenationFusion: inputs must have equal widths, got dims=\(2, 4\)"):
        ParameterizedConcatenationFusion().calculate_n(DIMS)


@pytest.mark.parametrize(
    "fusion",
    [c[1] for c in CASES] + [RandomMatrixAdaptionParameterizedConcatenationFusion(r=2, n=N)],
    ids=[c[0] for c in CASES] + ["random_matrix_adaption"],
)
def test_gradients_match_finite_differences(fusion):
    with jax.enable_x64(True):
        params = jax.tree.map(
            lambda a: a.astype(jnp.float64) if jnp.issubdtype(a.dtype, jnp.floating) else a,
            fusion.init(jax.random.key(2), DIMS),
        )
        xs = [x.astype(np.float64) for x in XS]
        if isinstance(params, tuple):  # FixedRandomParams: only w is trained
            check_grads(jax.jit(lambda w: fusion.apply(params._replace(w=w), xs)), (params.w,),
                        order=1, modes=("rev",))
        else:
            check_grads(jax.jit(fusion.apply), (params, xs), order=1, modes=("rev",))


@pytest.mark.parametrize(
    "fusion",
    [LowRankParameterizedConcatenationFusion(r=2, n=N),
     RandomMatrixAdaptionParameterizedConcatenationFusion(r=2, n=N)],
    ids=["lowrank", "random_matrix_adaption"],
)
def test_vmap_over_an_ensemble_of_parameters(fusion):
    params = jax.jit(jax.vmap(lambda k: fusion.init(k, DIMS)))(jax.random.split(jax.random.key(3), 4))
    out = jax.jit(jax.vmap(fusion.apply, in_axes=(0, None)))(params, XS)
    assert out.shape == (4, 3, N)
    second = jax.tree.map(lambda a: a[2], params)
    np.testing.assert_allclose(out[2], fusion.apply(second, XS), rtol=1e-5, atol=1e-6)


def test_bfloat16_inputs_give_bfloat16_output():
    fusion = HMParameterizedConcatenationFusion(p=2, n=N)
    w = fusion.init(jax.random.key(4), DIMS)
    assert fusion.apply(w, [x.astype(jnp.bfloat16) for x in XS]).dtype == jnp.bfloat16


def test_fabrication_errors_are_named_for_the_fusion():
    with pytest.raises(ValueError, match="HMParameterizedConcatenationFusion: HMReconciliation: p=3 must divide n=4"):
        HMParameterizedConcatenationFusion(p=3, n=N).calculate_l(DIMS)
    # With dims given, tinyBIG checks divisibility at construction: so does jaxbig.
    with pytest.raises(ValueError, match="HMParameterizedConcatenationFusion: HMReconciliation: q=4 must divide D=6"):
        jaxbig.make("hm_parameterized_concatenation_fusion", p=4, n=N, dims=DIMS)
    with pytest.raises(ValueError, match="LowRankParameterizedConcatenationFusion: LowRankReconciliation: r=0 must be >= 1"):
        LowRankParameterizedConcatenationFusion(r=0)
    with pytest.raises(ValueError, match=r"ParameterizedConcatenationFusion: IdentityReconciliation: w must have shape \(24,\)"):
        ParameterizedConcatenationFusion(n=N).apply(jnp.ones(23), XS)
    with pytest.raises(ValueError, match="make: LPHMParameterizedConcatenationFusion requires r"):
        jaxbig.make("lphm_parameterized_concatenation_fusion", p=2)


def test_q_defaults_to_p_as_tinybig():
    fusion = DualLPHMParameterizedConcatenationFusion(r=1, p=2)
    assert fusion.q == 2 and fusion == DualLPHMParameterizedConcatenationFusion(r=1, p=2, q=2)
    assert fusion.fabrication() == jaxbig.make("dual_lphm_reconciliation", p=2, q=2, r=1)
