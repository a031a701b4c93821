"""tinyBIG's ready-made heads, layers and models: components, hand computations, configs, errors."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx

from jaxbig.config import build
from jaxbig.expansion import (
    BSplineExpansion,
    CombinatorialNormalExpansion,
    GaussianRBFExpansion,
    IdentityExpansion,
    InverseQuadraticRBFExpansion,
    NaiveCauchyExpansion,
    NaiveChi2Expansion,
    NaiveExponentialExpansion,
    NaiveGammaExpansion,
    NaiveLaplaceExpansion,
    NaiveNormalExpansion,
    TaylorExpansion,
)
from jaxbig.nn import (
    Activation,
    KANPreset,
    NaiveBayesPreset,
    PerceptronPreset,
    PGMPreset,
    RPNHead,
    SVMPreset,
    count_params,
)
from jaxbig.reconciliation import DualLPHMReconciliation, IdentityReconciliation, LowRankReconciliation
from jaxbig.remainder import LinearRemainder, ZeroRemainder

RNG = np.random.default_rng(0)
X = RNG.uniform(-0.9, 0.9, size=(5, 4)).astype(np.float32)


def test_perceptron_head_equals_hand_computation():
    m, n, r = 4, 3, 2
    head = PerceptronPreset(with_taylor=True, d=2, with_lorr=True, r=r, with_residual=True,
                            with_dropout=False).head(m, n, rngs=nnx.Rngs(0))
    D = m + m * m
    A = RNG.normal(size=(n, r)).astype(np.float32)
    B = RNG.normal(size=(r, D)).astype(np.float32)
    b = RNG.normal(size=(n,)).astype(np.float32)
    R = RNG.normal(size=(n, m)).astype(np.float32)
    head.w[...] = np.concatenate([A.ravel(), B.ravel()])[None]  # tinyBIG's layout: A, then B
    head.b[...] = b
    head.w_remainder[...] = R.ravel()
    taylor = np.concatenate([X, np.einsum("ba,bc->bac", X, X).reshape(len(X), -1)], axis=1)
    expected = taylor @ (A @ B).T + b + X @ R.T
    np.testing.assert_allclose(head(jnp.asarray(X)), expected, rtol=1e-5, atol=1e-5)


def test_kan_head_has_a_silu_linear_remainder_and_tinybig_size():
    m, n, t, d = 4, 3, 4, 2
    head = KANPreset(t=t, d=d).head(m, n, rngs=nnx.Rngs(0))
    assert head.transformation == BSplineExpansion(grid_range=(-1.0, 1.0), t=t, d=d)
    assert head.fabrication == IdentityReconciliation() and head.b is None
    assert head.remainder == LinearRemainder(activation_functions=("silu",))
    # tinyBIG's kan_head: n·m(t+d) spline weights, no bias, an n×m remainder.
    assert count_params(head) == n * m * (t + d) + n * m
    head.w[...] = jnp.zeros_like(head.w[...])
    R = np.asarray(head.w_remainder[...]).reshape(n, m)
    np.testing.assert_allclose(head(jnp.asarray(X)), jax.nn.silu(X @ R.T), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("options, kappa, psi", [
    ({}, IdentityExpansion(), IdentityReconciliation()),
    ({"with_bspline": True, "d": 3}, BSplineExpansion(d=3), IdentityReconciliation()),
    ({"with_taylor": True, "with_bspline": True}, TaylorExpansion(d=2), IdentityReconciliation()),
    ({"with_dual_lphm": True, "with_lorr": True, "r": 1}, IdentityExpansion(), DualLPHMReconciliation(r=1)),
    ({"with_lorr": True, "r": 2}, IdentityExpansion(), LowRankReconciliation(r=2)),
])
def test_perceptron_components_follow_tinybig_precedence(options, kappa, psi):
    keywords = PerceptronPreset(**options).head_keywords()
    assert keywords["transformation"] == kappa
    assert keywords["fabrication"] == psi
    assert keywords["remainder"] == ZeroRemainder()
    assert keywords["bias"] is True  # perceptron_head's default enable_bias


def test_perceptron_output_process_order_and_eval_mode():
    head = PerceptronPreset(with_batch_norm=True, with_relu=True, with_softmax=True, p=0.25).head(
        4, 3, rngs=nnx.Rngs(0))
    steps = list(head.output_process)
    assert [type(s).__name__ for s in steps] == ["BatchNorm", "Activation", "Dropout", "Activation"]
    assert steps[2].rate == 0.25
    head.eval()
    y = head(jnp.asarray(X))
    np.testing.assert_allclose(np.sum(y, axis=1), 1.0, rtol=1e-5)


@pytest.mark.parametrize("kernel, expected", [
    ("linear", IdentityExpansion()),
    ("gaussian_rbf", GaussianRBFExpansion(base_range=(-2.0, 2.0), num_interval=4, epsilon=0.5)),
    ("inverse_quadratic_rbf", InverseQuadraticRBFExpansion(base_range=(-2.0, 2.0), num_interval=4, epsilon=0.5)),
])
def test_svm_kernels(kernel, expected):
    preset = SVMPreset(kernel=kernel, base_range=(-2.0, 2.0), num_interval=4, epsilon=0.5)
    assert preset.head_keywords()["transformation"] == expected


@pytest.mark.parametrize("distribution, expected", [
    ("normal", NaiveNormalExpansion()), ("exponential", NaiveExponentialExpansion()),
    ("cauchy", NaiveCauchyExpansion()), ("gamma", NaiveGammaExpansion()),
    ("chi2", NaiveChi2Expansion()), ("laplace", NaiveLaplaceExpansion()),
])
def test_naive_bayes_distributions(distribution, expected):
    assert NaiveBayesPreset(distribution=distribution).head_keywords()["transformation"] == expected


def test_pgm_head_uses_combinatorial_normal_features():
    head = PGMPreset(d=2, with_replacement=True, with_residual=True).head(4, 3, rngs=nnx.Rngs(0))
    assert head.transformation == CombinatorialNormalExpansion(d=2, with_replacement=True)
    assert head.remainder == LinearRemainder()
    assert head(jnp.asarray(X)).shape == (5, 3)


def test_layer_heads_are_independent_and_fused_by_their_mean():
    layer = SVMPreset(with_residual=True).layer(4, 3, width=3, rngs=nnx.Rngs(0))
    assert layer.width == 3
    weights = [np.asarray(h.w[...]) for h in layer.heads]
    assert not np.allclose(weights[0], weights[1])  # tinyBIG's [head] * width would share them
    expected = np.mean([h(jnp.asarray(X)) for h in layer.heads], axis=0)
    np.testing.assert_allclose(layer(jnp.asarray(X)), expected, rtol=1e-6, atol=1e-6)


def test_model_chains_layers_over_dims():
    model = NaiveBayesPreset().model([4, 6, 2], width=2, rngs=nnx.Rngs(0))
    assert [(layer.m, layer.n, layer.width) for layer in model.layers] == [(4, 6, 2), (6, 2, 2)]
    assert model(jnp.asarray(X)).shape == (5, 2)


def test_presets_are_frozen_and_hashable():
    assert PerceptronPreset(r=2) == PerceptronPreset(r=2)
    assert hash(KANPreset(grid_range=[-2, 2])) == hash(KANPreset(grid_range=(-2, 2)))
    with pytest.raises(AttributeError):
        PerceptronPreset().r = 4


@pytest.mark.parametrize("make, match", [
    (lambda: SVMPreset(kernel="poly"), r"SVMPreset: kernel='poly' is not one of 'linear'"),
    (lambda: NaiveBayesPreset(distribution="beta"), r"NaiveBayesPreset: distribution='beta'"),
    (lambda: PGMPreset(distribution="cauchy"), r"PGMPreset: distribution='cauchy' is not one of 'normal'"),
    (lambda: PerceptronPreset(with_taylor=1), r"PerceptronPreset: with_taylor must be a bool"),
    (lambda: PerceptronPreset(p=1.0), r"dropout p=1.0 must be in \[0, 1\)"),
    (lambda: PerceptronPreset(with_hybrid_expansion=True), r"builds no hybrid expansion"),
    (lambda: KANPreset(channel_num=0), r"KANPreset: channel_num=0 must be >= 1"),
    (lambda: KANPreset(t=0), r"KANPreset: BSplineExpansion: t=0"),
    (lambda: SVMPreset(num_interval=0), r"SVMPreset: GaussianRBFExpansion: num_interval=0"),
    (lambda: PerceptronPreset().model([4], rngs=nnx.Rngs(0)), r"dims needs at least two widths"),
])
def test_bad_options_name_the_preset(make, match):
    with pytest.raises(ValueError, match=match):
        make()


# ------------------------------------------------------------------- configs

def test_tinybig_head_config_builds_the_preset_with_tinybig_sizes():
    head = build({"head_class": "tinybig.head.kan_head",
                  "head_parameters": {"m": 4, "n": 3, "t": 4, "d": 3, "name": "kan_head", "device": "cpu",
                                      "parameters_init_method": "xavier_normal"}})
    assert isinstance(head, RPNHead)
    assert head.D == 4 * (4 + 3) and head.l == 3 * head.D


def test_tinybig_layer_and_model_configs_apply_tinybig_class_defaults():
    layer = build({"layer_class": "tinybig.layer.perceptron_layer",
                   "layer_parameters": {"m": 4, "n": 3, "width": 2}})
    # perceptron_layer turns ReLU and Softmax on; its heads keep enable_bias=True.
    head = layer.heads[0]
    assert [type(s).__name__ for s in head.output_process] == ["Activation", "Dropout", "Activation"]
    assert head.b is not None and layer.width == 2
    model = build({"model_class": "tinybig.model.rpn_mlp.mlp",
                   "model_parameters": {"dims": [4, 5, 3], "with_taylor": True}})
    first = model.layers[0].heads[0]
    assert first.b is None  # mlp sets enable_bias=False
    assert first.transformation == TaylorExpansion(d=2)
    assert all(isinstance(s, Activation) for s in list(first.output_process)[::2])
    assert model(jnp.asarray(X)).shape == (5, 3)


def test_preset_heads_inside_an_rpn_layer_config():
    layer = build({"layer_class": "tinybig.module.rpn_layer",
                   "layer_parameters": {"m": 4, "n": 3, "head_configs": [
                       {"head_class": "tinybig.head.svm_head", "head_parameters": {"kernel": "gaussian_rbf"}},
                       {"head_class": "tinybig.head.naive_bayes_head", "head_parameters": {"n": 3}}]}})
    assert [type(h.transformation).__name__ for h in layer.heads] == ["GaussianRBFExpansion",
                                                                      "NaiveNormalExpansion"]


@pytest.mark.parametrize("config, match", [
    ({"head_class": "tinybig.head.perceptorn_head", "head_parameters": {"m": 4, "n": 3}},
     r"did you mean 'tinybig.head.perceptron_head'"),
    ({"head_class": "tinybig.head.perceptron_head", "head_parameters": {"m": 4, "n": 3, "with_tayler": True}},
     r"unknown key head.head_parameters.with_tayler; did you mean 'with_taylor'"),
    ({"model_class": "tinybig.model.kan", "model_parameters": {}}, r"dims must be a list of widths"),
    ({"layer_class": "tinybig.module.rpn_layer", "layer_parameters": {"m": 4, "n": 3, "head_configs": [
        {"head_class": "tinybig.head.kan_head", "head_parameters": {"n": 2}}]}},
     r"head_parameters.n=2 differs from the layer's n=3"),
])
def test_bad_preset_configs_name_the_key(config, match):
    with pytest.raises(ValueError, match=match):
        build(config)
