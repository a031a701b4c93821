"""tinyBIG's parameter initialisations (parameters_init_method) on tinyBIG's tensor shapes."""

import math

import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx

from jaxbig.config import build
from jaxbig.nn import RPNHead

M, N, C = 16, 8, 2
TAYLOR = {"function_class": "taylor_expansion", "function_parameters": {"d": 2}}
L = N * (M + M * M)  # identity ψ after a degree-2 Taylor expansion


def _head(method, fabrication="identity_reconciliation", seed=0):
    return RPNHead(M, N, transformation=TAYLOR, fabrication=fabrication, remainder=
                   {"function_class": "linear_remainder", "function_parameters": {"enable_bias": True}},
                   bias=True, channel_num=C, parameters_init_method=method, rngs=nnx.Rngs(seed))


def _check_uniform(values, bound):
    values = np.asarray(values).ravel()
    assert np.abs(values).max() <= bound * (1 + 1e-6)
    assert np.abs(values).max() >= 0.9 * bound  # the whole range is used
    np.testing.assert_allclose(values.std(), bound / math.sqrt(3), rtol=0.1)


def test_xavier_normal_uses_the_channel_by_l_shape():
    head = _head("xavier_normal")
    w = np.asarray(head.w[...])
    assert w.shape == (C, L)
    np.testing.assert_allclose(w.std(), math.sqrt(2 / (L + C)), rtol=0.05)
    assert abs(w.mean()) < 0.1 * w.std()


def test_xavier_uniform_bounds_of_weights_remainder_and_bias():
    head = _head("xavier_uniform")
    _check_uniform(head.w[...], math.sqrt(6 / (L + C)))
    remainder = np.asarray(head.w_remainder[...])
    _check_uniform(remainder[: N * M], math.sqrt(6 / (M + N)))  # w_remainder as (n, m)
    assert np.abs(remainder[N * M:]).max() <= math.sqrt(6 / (N + 1))  # b_remainder as (1, n)
    assert np.abs(np.asarray(head.b[...])).max() <= math.sqrt(6 / (N + 1))


def test_kaiming_uniform_biases_follow_their_weights_fan_in():
    head = _head("kaiming_uniform")
    _check_uniform(head.w[...], 1 / math.sqrt(L))
    remainder = np.asarray(head.w_remainder[...])
    _check_uniform(remainder[: N * M], 1 / math.sqrt(M))
    assert np.abs(remainder[N * M:]).max() <= 1 / math.sqrt(M)
    assert np.abs(np.asarray(head.b[...])).max() <= 1 / math.sqrt(L)


def test_fanout_std_uniform_bounds_everything_by_the_output_width():
    head = _head("fanout_std_uniform")
    for values in (head.w[...], head.w_remainder[...], head.b[...]):
        assert np.abs(np.asarray(values)).max() <= 1 / math.sqrt(N)
    _check_uniform(head.w[...], 1 / math.sqrt(N))


def test_buffers_keep_their_values_and_the_default_is_the_functions_init():
    rma = {"function_class": "random_matrix_adaption_reconciliation", "function_parameters": {"r": 2}}
    plain, redrawn = _head(None, rma), _head("xavier_normal", rma)
    (w0, key0), (w1, key1) = plain.w(), redrawn.w()
    np.testing.assert_array_equal(key0, key1)  # the fixed random matrices' key data is untouched
    assert not np.allclose(w0, w1)
    np.testing.assert_allclose(np.asarray(w1).std(), math.sqrt(2 / (w1.shape[1] + C)), rtol=0.5)


def test_unknown_method_is_named():
    with pytest.raises(ValueError, match="RPNHead: parameters_init_method='orthogonal' is not one of"):
        _head("orthogonal")


def test_a_layers_method_applies_to_all_its_heads():
    head = {"head_class": "tinybig.module.rpn_head", "head_parameters": {
        "data_transformation_configs": {"function_class": "tinybig.expansion.taylor_expansion"},
        "parameter_fabrication_configs": {"function_class": "tinybig.reconciliation.identity_reconciliation"},
        "remainder_configs": {"function_class": "tinybig.remainder.zero_remainder"},
        "parameters_init_method": "kaiming_uniform"}}
    layer = build({"layer_class": "tinybig.module.rpn_layer", "layer_parameters": {
        "m": M, "n": N, "width": 2, "head_configs": [head], "parameters_init_method": "fanout_std_uniform"}})
    for h in layer.heads:
        _check_uniform(h.w[...], 1 / math.sqrt(N))
    assert layer(jnp.ones((3, M))).shape == (3, N)
