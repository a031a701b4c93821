"""PowerLawEntropyModel: TFC's golden outputs, gradients, the model API and its errors."""

import dataclasses
import os

import chex
import hypothesis.extra.numpy as hnp
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from absl.testing import parameterized
from hypothesis import given
from hypothesis import strategies as st
from jax.test_util import check_grads

import jaxbig
from jaxbig.entropy import CorruptDataError, PowerLawEntropyModel

GOLDEN = np.load(os.path.join(os.path.dirname(__file__), "..", "data", "power_law_tfc.npz"), allow_pickle=False)
CASES = [f"c{k:03d}" for k in range(16)]
#: rtol against TF: float32 per the acceptance criterion; float16 is 1-2 ulp (XLA may keep
#: intermediates in float32 where TF rounds every op).
RTOL = {"float16": 2e-3, "float32": 1e-6, "float64": 1e-12}


@pytest.fixture(params=CASES)
def golden_case(request):
    case = request.param
    x = GOLDEN[f"{case}/x"]
    with jax.enable_x64(x.dtype == np.float64):
        model = PowerLawEntropyModel(
            int(GOLDEN[f"{case}/coding_rank"]), alpha=float(GOLDEN[f"{case}/alpha"]), bottleneck_dtype=x.dtype.name
        )
        yield case, model, x


def test_quantize_penalty_and_its_gradient_match_tfc(golden_case):
    case, model, x = golden_case
    rtol = RTOL[x.dtype.name]
    y, penalty = model(x)
    assert y.dtype == x.dtype and penalty.dtype == x.dtype
    np.testing.assert_array_equal(y, GOLDEN[f"{case}/quantized"])
    np.testing.assert_allclose(penalty, GOLDEN[f"{case}/penalty"], rtol=rtol, atol=0)
    grad = jax.grad(lambda v: jnp.sum(model.penalty(v)))(jnp.asarray(x))
    np.testing.assert_allclose(grad, GOLDEN[f"{case}/grad_penalty"], rtol=rtol, atol=0)


def test_compress_gives_tfc_bytes_and_decompress_tfc_values(golden_case):
    case, model, x = golden_case
    strings = model.compress(x)
    batch = x.shape[: x.ndim - model.coding_rank]
    assert strings.shape == batch and strings.dtype == object
    lengths = np.array([len(s) for s in strings.ravel()], np.int64).reshape(batch)
    np.testing.assert_array_equal(lengths, GOLDEN[f"{case}/lengths"])
    assert b"".join(strings.ravel().tolist()) == GOLDEN[f"{case}/data"].tobytes()
    out = model.decompress(strings, x.shape[x.ndim - model.coding_rank :])
    assert out.dtype == x.dtype and out.shape == x.shape
    np.testing.assert_array_equal(out, GOLDEN[f"{case}/decoded"])


class PowerLawVariantsTest(chex.TestCase):
    @chex.variants(with_jit=True, without_jit=True)
    @parameterized.named_parameters(("rank0", 0), ("rank1", 1), ("rank2", 2))
    def test_penalty_sums_the_formula_over_the_coding_axes(self, rank):
        model = PowerLawEntropyModel(rank, alpha=0.05)
        x = np.random.default_rng(0).laplace(0, 2, (3, 4, 5)).astype(np.float32)
        per_element = np.log((np.abs(x.astype(np.float64)) + 0.05) / 0.05)
        expected = per_element.sum(axis=tuple(range(3 - rank, 3))) if rank else per_element
        out = self.variant(model.penalty)(x)
        chex.assert_shape(out, x.shape[: 3 - rank])
        np.testing.assert_allclose(out, expected, rtol=1e-5)

    @chex.variants(with_jit=True, without_jit=True)
    def test_quantize_rounds_and_passes_gradients_straight_through(self):
        model = PowerLawEntropyModel(1)
        x = jnp.array([[-2.5, -0.5, 0.49, 1.5, 7.2]])
        np.testing.assert_array_equal(self.variant(model.quantize)(x), [[-2.0, -0.0, 0.0, 2.0, 7.0]])
        grad = self.variant(jax.grad(lambda v: jnp.sum(model.quantize(v) * jnp.arange(5.0))))(x)
        np.testing.assert_array_equal(grad, [[0.0, 1.0, 2.0, 3.0, 4.0]])

    @chex.variants(with_jit=True, without_jit=True)
    def test_call_returns_quantize_and_penalty(self):
        model = PowerLawEntropyModel(2, alpha=0.3)
        x = jnp.asarray(np.random.default_rng(1).normal(0, 3, (2, 3, 4)), jnp.float32)
        y, rate = self.variant(model.__call__)(x)
        np.testing.assert_array_equal(y, model.quantize(x))
        np.testing.assert_allclose(rate, model.penalty(x), rtol=1e-6)


def test_penalty_gradient_passes_check_grads_away_from_zero():
    model = PowerLawEntropyModel(1, alpha=0.2)
    x = jnp.asarray(np.random.default_rng(2).choice([-1, 1], (3, 4)) * np.linspace(0.3, 3, 12).reshape(3, 4))
    with jax.enable_x64(True):
        check_grads(lambda v: model.penalty(v), (jnp.asarray(x, jnp.float64),), order=2, modes=("fwd", "rev"))


def test_penalty_derivative_at_zero_is_zero_as_in_tf():
    model = PowerLawEntropyModel(1)
    grad = jax.grad(lambda v: jnp.sum(model.penalty(v)))(jnp.array([[0.0, -0.0, 1e-3, -1e-3]]))
    np.testing.assert_allclose(grad, [[0.0, 0.0, 1 / 0.011, -1 / 0.011]], rtol=1e-5)


def test_penalty_is_nonnegative_with_gradient_sign_of_x():
    # TFC's power_law_test.py, test_penalty_is_nonnegative_and_differentiable.
    model = PowerLawEntropyModel(1)
    x = (np.arange(-20.0, 20.0) + np.random.default_rng(3).uniform(-0.49, 0.49, 40))[:, None]
    penalty, grad = jax.value_and_grad(lambda v: jnp.sum(model.penalty(v)))(jnp.asarray(x, jnp.float32))
    assert np.all(model.penalty(x) >= 0)
    np.testing.assert_array_equal(np.sign(grad), np.sign(x))


def test_penalty_correlates_with_code_length():
    # TFC's test_penalty_is_proportional_to_code_length.
    model = PowerLawEntropyModel(1)
    x = (np.arange(-20.0, 20.0) + np.random.default_rng(4).uniform(-0.49, 0.49, 40))[:, None].astype(np.float32)
    strings = model.compress(np.broadcast_to(x, (40, 100)))
    bits = np.array([8 * len(s) for s in strings]) / 100
    assert np.corrcoef(bits, np.asarray(model.penalty(x)))[0, 1] > 0.96


# --------------------------------------------------------------------- API


def test_bottleneck_dtype_follows_the_input_when_not_given():
    model = PowerLawEntropyModel(1)
    x = jnp.array([[1.4, -2.6]], jnp.bfloat16)
    y, rate = model(x)
    assert y.dtype == rate.dtype == jnp.bfloat16
    assert model.penalty(np.array([[1, 2]])).dtype == jnp.float32
    assert model.decompress(model.compress(x), (2,)).dtype == jnp.float32


@pytest.mark.parametrize("dtype", ["bfloat16", "float16", "float32"])
def test_compress_round_trips_in_every_dtype(dtype):
    model = PowerLawEntropyModel(1, bottleneck_dtype=dtype)
    x = np.random.default_rng(5).laplace(0, 4, (3, 7))
    out = model.decompress(model.compress(x), (7,))
    assert out.dtype == jnp.dtype(dtype)
    np.testing.assert_array_equal(out, model.quantize(x))


@given(
    st.integers(0, 3).flatmap(
        lambda rank: st.tuples(
            st.just(rank),
            hnp.arrays(
                np.float32,
                hnp.array_shapes(min_dims=rank, max_dims=rank + 2, min_side=0, max_side=6),
                elements=st.one_of(st.floats(-1e6, 1e6, width=32), st.sampled_from([0.0, 0.5, -2.5])),
            ),
        )
    )
)
def test_compress_round_trips_for_any_coding_rank(case):
    rank, x = case
    model = PowerLawEntropyModel(rank)
    strings = model.compress(x)
    assert strings.shape == x.shape[: x.ndim - rank]
    np.testing.assert_array_equal(model.decompress(strings, x.shape[x.ndim - rank :]), model.quantize(x))


def test_coding_rank_zero_codes_every_element_alone():
    model = PowerLawEntropyModel(0)
    x = np.array([[0.0, -3.0], [5.0, 0.2]], np.float32)
    strings = model.compress(x)
    assert strings.shape == (2, 2)
    np.testing.assert_array_equal(model.decompress(strings, ()), np.round(x))


def test_a_single_unit_compresses_to_a_zero_dimensional_array():
    model = PowerLawEntropyModel(2)
    x = np.arange(6.0).reshape(2, 3)
    strings = model.compress(x)
    assert strings.shape == () and isinstance(strings[()], bytes)
    np.testing.assert_array_equal(model.decompress(strings[()], (2, 3)), x)
    np.testing.assert_array_equal(model.decompress([[strings[()]]], (2, 3)), x[None, None])


def test_empty_batches_and_units():
    model = PowerLawEntropyModel(1)
    assert model.compress(np.zeros((0, 4))).shape == (0,)
    assert list(model.compress(np.zeros((2, 0)))) == [b"", b""]
    assert model.decompress(np.array([], object), (4,)).shape == (0, 4)
    assert model.decompress([b"", b"junk"], (0,)).shape == (2, 0)


def test_model_is_frozen_hashable_and_round_trips_its_config():
    model = PowerLawEntropyModel(2, alpha=0.5, bottleneck_dtype=jnp.bfloat16)
    assert model.bottleneck_dtype == "bfloat16"
    assert model == PowerLawEntropyModel(2, alpha=0.5, bottleneck_dtype="bfloat16")
    assert hash(model) == hash(PowerLawEntropyModel.from_config(model.get_config()))
    assert model.get_config() == {"coding_rank": 2, "alpha": 0.5, "bottleneck_dtype": "bfloat16"}
    with pytest.raises(dataclasses.FrozenInstanceError):
        model.alpha = 1.0
    assert jaxbig.make("PowerLawEntropyModel", coding_rank=1) == PowerLawEntropyModel(1)
    assert jax.jit(lambda x, m: m.penalty(x), static_argnums=1)(jnp.ones((4, 2, 3)), model).shape == (4,)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(coding_rank=-1), "PowerLawEntropyModel: coding_rank=-1 must be >= 0"),
        (dict(coding_rank=1.5), "coding_rank must be an integer"),
        (dict(coding_rank=1, alpha=0.0), r"alpha=0.0 must be > 0"),
        (dict(coding_rank=1, alpha=-1), r"alpha=-1.0 must be > 0"),
        (dict(coding_rank=1, bottleneck_dtype="int32"), "bottleneck_dtype='int32' is not one of float16"),
        (dict(coding_rank=1, bottleneck_dtype="nonsense"), "bottleneck_dtype='nonsense'"),
    ],
)
def test_invalid_hyperparameters_are_rejected(kwargs, match):
    with pytest.raises(ValueError, match=match):
        PowerLawEntropyModel(**kwargs)


def test_float64_needs_x64():
    with jax.enable_x64(False):
        with pytest.raises(ValueError, match="float64' needs jax_enable_x64"):
            PowerLawEntropyModel(1, bottleneck_dtype="float64")
    with jax.enable_x64(True):
        model = PowerLawEntropyModel(1, bottleneck_dtype="float64")
        assert model.quantize(np.array([1.6])).dtype == jnp.float64
    with jax.enable_x64(False), pytest.raises(ValueError, match="needs jax_enable_x64"):
        model.penalty(np.array([[1.0]]))


def test_too_few_axes_are_rejected():
    with pytest.raises(ValueError, match=r"at least coding_rank=2 axes, got shape \(3,\)"):
        PowerLawEntropyModel(2).penalty(np.ones(3))
    with pytest.raises(ValueError, match="at least coding_rank=2"):
        PowerLawEntropyModel(2).compress(np.ones(3))


@pytest.mark.parametrize(
    "value, dtype",
    [(np.nan, "float32"), (np.inf, "float32"), (-np.inf, "bfloat16"), (3e9, "float32"),
     (2.0**31, "float32"), (-(2.0**31) - 1, "float64"), (2.0**31 - 0.5, "float64")],
)
def test_compress_rejects_values_that_are_not_finite_int32(value, dtype):
    with jax.enable_x64(dtype == "float64"):
        model = PowerLawEntropyModel(1, bottleneck_dtype=dtype)
        with pytest.raises(ValueError, match="must round to finite int32 values"):
            model.compress(np.array([[1.0, value]]))


def test_compress_accepts_the_int32_extremes():
    with jax.enable_x64(True):
        model = PowerLawEntropyModel(1, bottleneck_dtype="float64")
        x = np.array([[-(2.0**31), 2.0**31 - 1, 2.0**31 - 0.6]])
        np.testing.assert_array_equal(
            model.decompress(model.compress(x), (3,)), [[-(2.0**31) + 1, 2.0**31 - 1, 2.0**31 - 1]]
        )


def test_decompress_rejects_bad_strings_and_shapes():
    model = PowerLawEntropyModel(1)
    strings = model.compress(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"code_shape \(3, 1\) must have coding_rank=1 entries"):
        model.decompress(strings, (3, 1))
    with pytest.raises(ValueError, match="NumPy \\|S\\d+ array drops trailing zero bytes"):
        model.decompress(strings.astype("S"), (3,))
    with pytest.raises(ValueError, match="strings must be bytes, got int, str"):
        model.decompress(["abc", 3], (3,))


def test_decompress_names_the_corrupt_string_of_a_batch():
    model = PowerLawEntropyModel(1)
    strings = model.compress(np.arange(12.0).reshape(2, 2, 3))
    strings[1, 0] = strings[1, 0][:-1]
    with pytest.raises(CorruptDataError, match=r"PowerLawEntropyModel: string \(1, 0\): corrupt data") as info:
        model.decompress(strings, (3,))
    assert info.value.index == (1, 0) and info.value.reason == "truncated"
