"""jaxbig.config: tinyBIG configs build models of tinyBIG's sizes; mistakes name their path."""

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest
from flax import nnx

from jaxbig import config
from jaxbig.nn import RPN, RPNHead, RPNLayer, count_params


def _taylor_layer(m, n, fabrication="tinybig.reconciliation.identity_reconciliation", params=None):
    return {
        "layer_class": "tinybig.module.rpn_layer",
        "layer_parameters": {"m": m, "n": n, "width": 1, "head_configs": [{
            "head_class": "tinybig.module.rpn_head",
            "head_parameters": {
                "l": None, "channel_num": 1,
                "data_transformation_configs": {
                    "function_class": "tinybig.expansion.taylor_expansion",
                    "function_parameters": {"name": "taylor_expansion", "d": 2}},
                "parameter_fabrication_configs": {"function_class": fabrication,
                                                  "function_parameters": params or {}},
                "remainder_configs": {"function_class": "tinybig.remainder.zero_remainder"},
            }}]}}


def _tinybig_counts(config_name):
    """tinyBIG's parameter count of the shipped MNIST configs, from its formulas."""
    def taylor_D(m):
        return m + m * m
    layers = [(784, 64), (64, 64), (64, 10)]
    if config_name == "mnist_taylor":
        l = [n * taylor_D(m) for m, n in layers]  # identity_reconciliation: l = n·D
    else:  # dual_lphm: l = r·(p + q + n/p + D/q)
        pq = [(8, 784), (8, 64), (2, 64)]
        l = [5 * (p + q + n // p + taylor_D(m) // q) for (m, n), (p, q) in zip(layers, pq)]
    return sum(l) + sum(2 * taylor_D(m) for m, _ in layers)  # + LayerNorm weight and bias


@pytest.mark.parametrize("name", ["mnist_taylor", "mnist_dual_lphm"])
def test_shipped_mnist_config_has_tinybig_parameter_count(name):
    model = nnx.eval_shape(lambda: config.build(name))  # shapes only: no 40M random draws
    assert isinstance(model, RPN) and model.depth == 3
    assert count_params(model) == _tinybig_counts(name)


def test_kan_config_counts_bspline_identity_and_linear_remainder():
    model = nnx.eval_shape(lambda: config.build("mnist_kan_bspline"))
    # identity over D = m·(t + d) features, plus the remainder's n·m
    assert count_params(model) == (64 * 784 * 8 + 64 * 784) + (10 * 64 * 8 + 10 * 64)


def test_depth_and_width_allocation_repeat_configs():
    cfg = {"model_class": "tinybig.model.rpn",
           "model_parameters": {"depth": 3, "depth_alloc": [1, 2],
                                "layer_configs": [_taylor_layer(3, 4), _taylor_layer(4, 4)]}}
    model = config.build(cfg)
    assert [(layer.m, layer.n) for layer in model.layers] == [(3, 4), (4, 4), (4, 4)]
    layer = config.build({**_taylor_layer(3, 4), "layer_parameters": {
        **_taylor_layer(3, 4)["layer_parameters"], "width": 3}})
    assert isinstance(layer, RPNLayer) and layer.width == 3
    assert type(layer.head_fusion).__name__ == "MeanFusion"


def test_head_and_function_blocks_build_alone():
    head = config.build({"head_class": "tinybig.module.rpn_head", "head_parameters": {
        "m": 3, "n": 2, "l": 24,
        "data_transformation_configs": {"function_class": "tinybig.expansion.taylor_expansion"},
        "parameter_fabrication_configs": {"function_class": "tinybig.reconciliation.identity_reconciliation"},
        "remainder_configs": {"function_class": "tinybig.remainder.zero_remainder"}}})
    assert isinstance(head, RPNHead) and (head.D, head.l) == (12, 24)
    fn = config.build({"function_class": "tinybig.reconciliation.lorr_reconciliation",
                       "function_parameters": {"r": 2}})
    assert fn.calculate_l(4, 6) == 2 * (4 + 6)


def test_typo_in_a_hyperparameter_names_its_path_and_close_match():
    cfg = {"model_configs": {"model_class": "tinybig.model.rpn", "model_parameters": {
        "layer_configs": [_taylor_layer(3, 4, "tinybig.reconciliation.lorr_reconciliation", {"rr": 2})]}}}
    with pytest.raises(ValueError, match=(
            r"layer_configs\[0\]\.layer_parameters\.head_configs\[0\]\.head_parameters\."
            r"parameter_fabrication_configs: .*'rr'.*close matches: r")):
        config.build(cfg)


def test_typo_in_a_key_names_its_path_and_close_match():
    layer = _taylor_layer(3, 4)
    layer["layer_parameters"]["head_configs"][0]["head_parameters"]["chanel_num"] = 2
    with pytest.raises(ValueError, match=r"unknown key layer\.layer_parameters\.head_configs\[0\]\."
                                         r"head_parameters\.chanel_num; did you mean 'channel_num'"):
        config.build(layer)


def test_typo_in_a_function_class_lists_close_matches():
    layer = _taylor_layer(3, 4, "tinybig.reconciliation.identity_reconcilation")
    with pytest.raises(ValueError, match=r"parameter_fabrication_configs: .*identity_reconciliation"):
        config.build(layer)


def test_torch_processing_width_mismatch_names_its_path():
    layer = _taylor_layer(3, 4)
    head = layer["layer_parameters"]["head_configs"][0]["head_parameters"]
    head["data_transformation_configs"]["function_parameters"]["postprocess_function_configs"] = [
        {"function_class": "torch.nn.LayerNorm", "function_parameters": {"normalized_shape": 13}}]
    with pytest.raises(ValueError, match=r"data_transformation_configs\.function_parameters\."
                                         r"postprocess_function_configs\[0\]: LayerNorm normalized_shape=13 "
                                         r"does not match the width 12"):
        config.build(layer)


def test_stated_l_must_match_calculated_l():
    layer = _taylor_layer(3, 4)
    layer["layer_parameters"]["head_configs"][0]["head_parameters"]["l"] = 7
    with pytest.raises(ValueError, match=r"head_parameters\.l=7 differs from the calculated 48"):
        config.build(layer)


def test_unknown_shipped_name_lists_close_names():
    with pytest.raises(ValueError, match=r"'mnist_taylr' is neither .*did you mean 'mnist_taylor'"):
        config.load("mnist_taylr")


def test_learner_maps_adamw_and_exponential_lr_per_epoch():
    tx, loss_fn, epochs = config.learner("mnist_taylor", steps_per_epoch=3)
    assert epochs == 25 and loss_fn.__name__ == "classification_loss"
    w = {"w": np.ones(2, np.float32)}
    g = {"w": np.full(2, 0.5, np.float32)}
    state = tx.init(w)
    reference = optax.adamw(optax.exponential_decay(2e-3, 3, 0.9, staircase=True), weight_decay=2e-4)
    ref_state = reference.init(w)
    for _ in range(4):
        update, state = tx.update(g, state, w)
        ref_update, ref_state = reference.update(g, ref_state, w)
        np.testing.assert_allclose(update["w"], ref_update["w"], rtol=1e-6)


def test_demo_config_builds_the_demo_model_with_the_same_parameters():
    from jaxbig import demo

    built, coded = config.build("digits_demo"), demo.build_model(seed=0, alpha=1.0)
    assert type(built.layers[1]).__name__ == "PowerLawBottleneck"
    assert built.layers[1].entropy_model == coded.layers[1].entropy_model
    for p, q in zip(jax.tree.leaves(nnx.state(built)), jax.tree.leaves(nnx.state(coded)), strict=True):
        if jnp.issubdtype(p.dtype, jax.dtypes.prng_key):
            p, q = jax.random.key_data(p), jax.random.key_data(q)
        np.testing.assert_array_equal(p, q)


def test_cosine_annealing_changes_once_per_epoch_as_pytorch():
    tx, _, epochs = config.learner("digits_demo", steps_per_epoch=2)
    tx_learning_rates = []
    state = tx.init({"w": np.zeros(1, np.float32)})
    # AdamW's first update on a constant gradient has magnitude lr (bias-corrected moments).
    for step in range(6):
        update, state = tx.update({"w": np.ones(1, np.float32)}, state, {"w": np.zeros(1, np.float32)})
        tx_learning_rates.append(-float(update["w"][0]))
    expected = [3e-3 * 0.5 * (1 + np.cos(np.pi * (s // 2) / epochs)) for s in range(6)]
    np.testing.assert_allclose(tx_learning_rates, expected, rtol=1e-4)


def test_bottleneck_layer_typo_names_its_path():
    settings = config.load("digits_demo")
    layers = settings["configurations"]["model_configs"]["model_parameters"]["layer_configs"]
    layers[1]["layer_parameters"]["alpah"] = layers[1]["layer_parameters"].pop("alpha")
    with pytest.raises(ValueError, match=r"unknown key model_configs\.model_parameters\.layer_configs\[1\]\."
                                         r"layer_parameters\.alpah; did you mean 'alpha'"):
        config.build(settings)
