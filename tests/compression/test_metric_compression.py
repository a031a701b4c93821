"""Metric compression: tinyBIG golden data, NumPy/SciPy values, hand-derived gradients."""

import functools

import chex
import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.stats
from jax.test_util import check_grads

import jaxbig
from jaxbig.compression import MetricCompression

RNG = np.random.default_rng(0)
X = RNG.normal(size=(4, 6)).astype(np.float32)
POS = RNG.uniform(0.2, 2.0, size=(4, 6)).astype(np.float32)


def _entropy(x):
    return -np.sum(x * np.log(x), axis=1)


# name -> (NumPy/SciPy reference on (b, m), input)
REFERENCES = {
    "max": (lambda x: x.max(1), X),
    "min": (lambda x: x.min(1), X),
    "sum": (lambda x: x.sum(1), X),
    "mean": (lambda x: x.mean(1), X),
    "prod": (lambda x: x.prod(1), X),
    "median": (lambda x: np.sort(x, 1)[:, (x.shape[1] - 1) // 2], X),
    "std": (lambda x: x.std(1, ddof=1), X),
    "var": (lambda x: x.var(1, ddof=1), X),
    "l1_norm": (lambda x: np.abs(x).sum(1), X),
    "l2_norm": (lambda x: np.linalg.norm(x, axis=1), X),
    "linf_norm": (lambda x: np.abs(x).max(1), X),
    "geometric_mean": (lambda x: scipy.stats.gmean(x, axis=1), POS),
    "harmonic_mean": (lambda x: scipy.stats.hmean(x, axis=1), POS),
    "entropy": (_entropy, POS),
    "skewness": (lambda x: scipy.stats.skew(x, axis=1), X),
    "kurtosis": (lambda x: scipy.stats.kurtosis(x, axis=1), X),
}


@pytest.mark.parametrize("case", ["t000", "t001", "t002", "t003", "t004", "t005"])
def test_matches_tinybig_golden(tinybig_case, case):
    c = tinybig_case(case, "compression")
    f = jaxbig.make(str(c["cls"]), **c["kwargs"])
    m = int(c["m"])
    assert f.calculate_D(m) == int(c["D"]) == c["out"].shape[1]
    np.testing.assert_allclose(f.apply(None, c["x"]), c["out"], rtol=1e-5, atol=1e-7)


NAMES = sorted(REFERENCES)


def _all_metrics(x):
    """Every named metric of the rows of x, as {name: (b,)}: one trace for all of them."""
    return {name: MetricCompression(name).apply(None, x)[:, 0] for name in NAMES}


class MetricValueTest(chex.TestCase):
    @chex.variants(with_jit=True, without_jit=True)
    def test_value_equals_numpy_reference(self):
        values = self.variant(_all_metrics)(np.concatenate([X, POS]))
        for name in NAMES:
            reference, x = REFERENCES[name]
            got = values[name][:4] if x is X else values[name][4:]
            np.testing.assert_allclose(got, reference(x.astype(np.float64)), rtol=2e-5,
                                       atol=1e-6, err_msg=name)


def test_median_is_the_lower_median_for_even_width():
    x = np.array([[4.0, 1.0, 3.0, 2.0]], np.float32)  # torch.median gives 2, not 2.5
    assert float(MetricCompression("median").apply(None, x)[0, 0]) == 2.0


@pytest.mark.parametrize("name", ["max", "batch_max", "tinybig.koala.linear_algebra.batch_max"])
def test_tinybig_spellings_resolve(name):
    assert MetricCompression(name) == MetricCompression("max")
    assert MetricCompression("variance").metric == "var"
    assert MetricCompression("gmean").metric == "geometric_mean"


def test_callable_metric_width_comes_from_eval_shape():
    f = MetricCompression(lambda x: jnp.stack([x.min(1), x.max(1), x.mean(1)], axis=1))
    for m in (2, 5, 9):
        x = RNG.normal(size=(3, m)).astype(np.float32)
        out = jax.jit(f.apply)(None, x)
        assert out.shape == (3, f.calculate_D(m)) == (3, 3)
        np.testing.assert_allclose(out[:, 1], x.max(1))
    scalar = MetricCompression(lambda x: jnp.sum(x**2, axis=1))
    assert scalar.calculate_D(4) == 1
    np.testing.assert_allclose(scalar.apply(None, X)[:, 0], (X**2).sum(1), rtol=1e-6)


@pytest.mark.parametrize("m", [2, 3, 7])
def test_calculate_d_equals_produced_width(m):
    for name in NAMES:
        f = MetricCompression(name)
        out = jax.eval_shape(lambda v: f.apply(None, v), jax.ShapeDtypeStruct((2, m), jnp.float32))
        assert out.shape == (2, f.calculate_D(m)), name


# Rows of width 6 with the singular and tie cases (padded with harmless values), so that
# every value and gradient below comes from one compilation.
SPECIAL = {
    "zero": [0.0, 2, 3, 1, 1, 1],
    "negative": [-1.0, 2, 3, 1, 1, 1],
    "two_zeros": [0.0, 0, 3, 1, 1, 1],
    "constant": [2.0] * 6,
    "origin": [0.0] * 6,
    "probability_with_zero": [0.0, 0.1, 0.2, 0.2, 0.2, 0.3],
    "negative_probability": [-0.5, 1.0, 0.2, 0.1, 0.1, 0.1],
    "ties": [1.0, 3, 3, -3, 0, 2],
    "median_ties": [3.0, 1, 3, 0, 5, 6],  # stable sort: 0, 1, 3 (index 0), 3 (index 2), ...
}
ROWS = np.concatenate([POS, X, np.array(list(SPECIAL.values()), np.float32)])


def _row(name):
    return 8 + list(SPECIAL).index(name)


@functools.cache
def _values_and_grads():
    """{metric: (b,)} values and {metric: (b, 6)} gradients of every metric on ROWS."""
    def grads(x):
        return {n: jax.grad(lambda v: MetricCompression(n).apply(None, v).sum())(x) for n in NAMES}
    values, gradients = jax.jit(lambda x: (_all_metrics(x), grads(x)))(ROWS)
    return ({k: np.asarray(v) for k, v in values.items()},
            {k: np.asarray(v) for k, v in gradients.items()})


def test_gradients_equal_hand_derived_formulas():
    grads = _values_and_grads()[1]
    x = POS.astype(np.float64)
    m = x.shape[1]
    close = lambda name, expected: np.testing.assert_allclose(
        grads[name][:4], expected, rtol=2e-5, atol=1e-7, err_msg=name)
    close("mean", np.full_like(x, 1 / m))
    close("sum", np.ones_like(x))
    close("prod", x.prod(1, keepdims=True) / x)
    g = scipy.stats.gmean(x, axis=1)[:, None]
    close("geometric_mean", g / (m * x))
    h = scipy.stats.hmean(x, axis=1)[:, None]
    close("harmonic_mean", h**2 / (m * x**2))
    s = x.std(1, ddof=1, keepdims=True)
    expected = (x - x.mean(1, keepdims=True)) / ((m - 1) * s)
    close("std", expected)
    close("var", 2 * s * expected)
    close("entropy", -np.log(x) - 1)
    close("l2_norm", x / np.linalg.norm(x, axis=1, keepdims=True))
    close("l1_norm", np.ones_like(x))
    np.testing.assert_array_equal(grads["max"][:4], np.eye(m)[np.argmax(x, 1)])
    np.testing.assert_array_equal(grads["min"][:4], np.eye(m)[np.argmin(x, 1)])
    lower = np.argsort(x, 1, kind="stable")[:, (m - 1) // 2]
    np.testing.assert_array_equal(grads["median"][:4], np.eye(m)[lower])


# The metrics with custom or guarded derivatives (the others are checked against
# hand-derived formulas above).
SMOOTH = ["std", "l2_norm", "geometric_mean", "harmonic_mean", "entropy", "skewness", "kurtosis"]


def test_check_grads_on_smooth_metrics():
    def smooth(v):
        return jnp.concatenate([MetricCompression(n).apply(None, v) for n in SMOOTH], axis=1)

    with jax.enable_x64(True):
        check_grads(jax.jit(smooth), (POS[:2].astype(np.float64),), order=1, modes=("fwd", "rev"))


def test_ties_share_the_gradient_as_jnp_max_does():
    grads = _values_and_grads()[1]
    ties = _row("ties")
    np.testing.assert_array_equal(grads["max"][ties], [0, 0.5, 0.5, 0, 0, 0])
    np.testing.assert_allclose(grads["linf_norm"][ties], [0, 1 / 3, 1 / 3, -1 / 3, 0, 0], rtol=1e-6)
    np.testing.assert_array_equal(grads["median"][_row("median_ties")], [1, 0, 0, 0, 0, 0])


def test_singular_points_return_documented_values_and_gradients():
    values, grads = _values_and_grads()
    value = lambda metric, row: values[metric][_row(row)]
    grad = lambda metric, row: grads[metric][_row(row)]
    # geometric mean: a zero gives 0 with gradient 0; a negative entry gives NaN.
    assert value("geometric_mean", "zero") == 0.0
    np.testing.assert_array_equal(grad("geometric_mean", "zero"), 0)
    assert np.isnan(value("geometric_mean", "negative"))
    # harmonic mean: a lone zero gives 0 with the exact one-sided derivative m = 6 there,
    # checked against a difference quotient; several zeros give gradient 0.
    assert value("harmonic_mean", "zero") == 0.0
    np.testing.assert_allclose(grad("harmonic_mean", "zero"), [6, 0, 0, 0, 0, 0])
    eps = 1e-4
    nudged = np.array([[eps, 2, 3, 1, 1, 1]])
    assert abs(scipy.stats.hmean(nudged, axis=1)[0] / eps - 6) < 1e-2
    np.testing.assert_array_equal(grad("harmonic_mean", "two_zeros"), 0)
    # std and the l2 norm at their kinks: value 0, gradient 0 (finite).
    assert value("std", "constant") == 0.0
    np.testing.assert_array_equal(grad("std", "constant"), 0)
    np.testing.assert_array_equal(grad("l2_norm", "origin"), 0)
    # entropy: 0 log 0 = 0, derivative +inf at 0, -inf for a negative entry.
    p = np.array(SPECIAL["probability_with_zero"][1:])
    np.testing.assert_allclose(value("entropy", "probability_with_zero"), -np.sum(p * np.log(p)), rtol=1e-6)
    assert grad("entropy", "probability_with_zero")[0] == np.inf
    assert value("entropy", "negative_probability") == -np.inf
    # skewness / kurtosis of a constant row: 0 and -3, gradient 0.
    assert value("skewness", "constant") == 0.0 and value("kurtosis", "constant") == -3.0
    np.testing.assert_array_equal(grad("skewness", "constant"), 0)
    np.testing.assert_array_equal(grad("kurtosis", "constant"), 0)
    # prod with zeros: the exact partial derivatives.
    np.testing.assert_array_equal(grad("prod", "zero"), [6, 0, 0, 0, 0, 0])
    np.testing.assert_array_equal(grad("prod", "two_zeros"), 0)


@pytest.mark.parametrize("name", ["mean", "std", "median", "geometric_mean", "skewness"])
def test_bfloat16_input_gives_bfloat16_close_to_float32(name):
    f = MetricCompression(name)
    x = POS.astype(jnp.bfloat16)
    out = f.apply(None, x)
    assert out.dtype == jnp.bfloat16
    np.testing.assert_allclose(np.asarray(out, np.float32),
                               f.apply(None, np.asarray(x, np.float32)), rtol=1e-2)


def test_vmap_over_a_stack_of_batches_equals_each_batch():
    f = MetricCompression("harmonic_mean")
    stack = np.stack([POS, POS[::-1]])
    out = jax.vmap(lambda v: f.apply(None, v))(stack)
    np.testing.assert_allclose(out[1], f.apply(None, POS[::-1]), rtol=1e-6)


def test_errors_name_the_function_and_the_shapes():
    with pytest.raises(ValueError, match=r"MaxCompression: x must be 2-D of shape \(b, m\), got shape \(6,\)"):
        jaxbig.make("max_compression").apply(None, np.ones(6))
    with pytest.raises(ValueError, match=r"MetricCompression: metric='std' \(unbiased, ddof=1\) needs m >= 2, got m=1"):
        MetricCompression("std").apply(None, np.ones((3, 1)))
    with pytest.raises(ValueError, match=r"MetricCompression: metric='std' .* needs m >= 2, got m=1"):
        MetricCompression("std").calculate_D(1)
    with pytest.raises(ValueError, match=r"metric='meen' is not a known metric; close matches: mean"):
        MetricCompression("meen")
    with pytest.raises(ValueError, match=r"must map \(b, m\) to \(b,\) or \(b, d\); on an input of shape \(1, 4\) it returned \(1, 2, 2\)"):
        MetricCompression(lambda x: x.reshape(1, 2, 2)).calculate_D(4)
    with pytest.raises(ValueError, match=r"MetricCompression: m must be an integer"):
        MetricCompression("max").calculate_D(2.0)
    with pytest.raises(ValueError, match="make: MaxCompression has no hyperparameter 'metric'"):
        jaxbig.make("MaxCompression", metric="min")
