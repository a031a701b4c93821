"""Processing steps: torch.nn names map to NNX / jax.nn with PyTorch's semantics."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx

from jaxbig.nn import Activation, ParamTree, count_params, make_process, make_processes
from jaxbig.nn.params import Buffer, read, to_variables

X = np.array([[-2.0, 0.5, 3.0], [1.0, -0.25, 0.0]], np.float32)


@pytest.mark.parametrize("spec, expected", [
    ("torch.nn.ReLU", np.maximum(X, 0)),
    ("torch.nn.functional.sigmoid", 1 / (1 + np.exp(-X))),
    ({"function_class": "torch.nn.LeakyReLU", "function_parameters": {"negative_slope": 0.2}},
     np.where(X > 0, X, 0.2 * X)),
    ({"function_class": "torch.nn.Softmax", "function_parameters": {"dim": -1}},
     np.exp(X) / np.exp(X).sum(-1, keepdims=True)),
    ({"function_class": "torch.nn.GELU", "function_parameters": {"approximate": "tanh"}},
     0.5 * X * (1 + np.tanh(np.sqrt(2 / np.pi) * (X + 0.044715 * X ** 3)))),
])
def test_activation_names_follow_pytorch(spec, expected):
    step = make_process(spec, 3, rngs=nnx.Rngs(0))
    assert isinstance(step, Activation)
    np.testing.assert_allclose(step(X), expected, rtol=1e-5, atol=1e-6)


def test_layer_norm_is_affine_with_pytorch_epsilon():
    step = make_process({"function_class": "torch.nn.LayerNorm",
                         "function_parameters": {"normalized_shape": [3], "eps": 1e-3}}, 3, rngs=nnx.Rngs(0))
    assert count_params(step) == 6
    expected = (X - X.mean(1, keepdims=True)) / np.sqrt(X.var(1, keepdims=True) + 1e-3)
    np.testing.assert_allclose(step(X), expected, rtol=1e-5, atol=1e-5)


def test_batch_norm_uses_pytorch_momentum():
    step = make_process({"function_class": "torch.nn.BatchNorm1d",
                         "function_parameters": {"num_features": 3, "momentum": 0.25}}, 3, rngs=nnx.Rngs(0))
    step(X)
    # running_mean = (1 - momentum)·0 + momentum·batch mean, PyTorch's convention
    np.testing.assert_allclose(step.mean[...], 0.25 * X.mean(0), rtol=1e-6)


def test_dropout_is_an_nnx_dropout_switched_off_in_evaluation():
    step = make_process({"function_class": "torch.nn.Dropout", "function_parameters": {"p": 0.5}}, 3,
                        rngs=nnx.Rngs(0))
    assert isinstance(step, nnx.Dropout) and step.rate == 0.5
    np.testing.assert_array_equal(nnx.view(step, deterministic=True)(X), X)


def test_unknown_keyword_and_width_mismatch_name_where():
    with pytest.raises(ValueError, match=r"out\[0\]: torch.nn.LayerNorm has no keyword 'epsilon'; "
                                         r"close matches: eps"):
        make_processes([{"function_class": "torch.nn.LayerNorm", "function_parameters": {"epsilon": 1}}], 3,
                       rngs=nnx.Rngs(0), where="out")
    with pytest.raises(ValueError, match=r"BatchNorm1d num_features=4 does not match the width 3"):
        make_process({"function_class": "torch.nn.BatchNorm1d", "function_parameters": {"num_features": 4}},
                     3, rngs=nnx.Rngs(0))
    with pytest.raises(ValueError, match=r"'relux' is not a known function; close matches: relu"):
        make_process("relux", 3, rngs=nnx.Rngs(0))


def test_parameter_pytrees_split_into_params_and_buffers():
    tree = {"w": jnp.ones(3), "mask": jnp.array([True, False]), "key": jnp.arange(2, dtype=jnp.uint32)}
    stored = to_variables(tree)
    assert isinstance(stored, ParamTree)
    assert len(jax.tree.leaves(nnx.state(stored, nnx.Param))) == 1
    assert len(jax.tree.leaves(nnx.state(stored, Buffer))) == 2
    assert jax.tree.map(lambda a, b: bool(jnp.all(a == b)), read(stored), tree) == \
        {"w": True, "mask": True, "key": True}
    assert to_variables(None) is None and read(None) is None
    assert isinstance(to_variables(jnp.zeros(2)), nnx.Param)
