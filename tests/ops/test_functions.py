"""Function lists (activations, pre/post-processing): names, PyTorch semantics, errors."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy import special

from jaxbig.ops import apply_functions, resolve_functions

X = np.linspace(-3.0, 3.0, 13, dtype=np.float32)


@pytest.mark.parametrize(
    "spec, reference",
    [
        ("relu", lambda x: np.maximum(x, 0)),
        ("torch.nn.functional.sigmoid", lambda x: 1 / (1 + np.exp(-x))),
        # PyTorch's GELU is the exact, erf-based one (jax.nn.gelu defaults to tanh).
        ("torch.nn.GELU", lambda x: 0.5 * x * (1 + special.erf(x / math.sqrt(2)))),
        ("LeakyReLU", lambda x: np.where(x > 0, x, 0.01 * x)),
        ("hardtanh", lambda x: np.clip(x, -1, 1)),
        ("layer_norm", lambda x: (x - x.mean()) / np.sqrt(x.var() + 1e-5)),
    ],
)
def test_names_follow_pytorch_semantics(spec, reference):
    out = apply_functions(resolve_functions("T", "f", spec), jnp.asarray(X))
    np.testing.assert_allclose(out, reference(X.astype(np.float64)), rtol=1e-5, atol=1e-6)


def test_lists_apply_left_to_right_and_callables_pass_through():
    fs = resolve_functions("T", "f", [jnp.square, "tanh"])
    assert fs == (jnp.square, "tanh")
    np.testing.assert_allclose(apply_functions(fs, jnp.asarray(X)), np.tanh(X**2), rtol=1e-6)
    assert resolve_functions("T", "f", None) == () and resolve_functions("T", "f", []) == ()
    hash(fs)


def test_unknown_name_is_named_with_close_matches():
    with pytest.raises(ValueError, match=r"Owner: activation_functions entry 'rleu' is not a known function; close matches: relu"):
        resolve_functions("Owner", "activation_functions", "rleu")


@pytest.mark.parametrize("spec", ["dropout", "torch.nn.BatchNorm1d"])
def test_stateful_functions_are_rejected(spec):
    with pytest.raises(ValueError, match="Owner: f entry .* has state or randomness"):
        resolve_functions("Owner", "f", spec)


def test_non_callable_entries_are_rejected():
    with pytest.raises(ValueError, match="Owner: f entries must be names or callables, got 3"):
        resolve_functions("Owner", "f", [3])


def test_works_under_jit_with_bfloat16():
    fs = resolve_functions("T", "f", ("gelu", "sigmoid"))
    out = jax.jit(lambda x: apply_functions(fs, x))(jnp.asarray(X, jnp.bfloat16))
    assert out.dtype == jnp.bfloat16


class _Unhashable:
    __hash__ = None

    def __call__(self, x):
        return x


def test_unhashable_callables_are_rejected():
    with pytest.raises(ValueError, match="Owner: f entry .* must be hashable"):
        resolve_functions("Owner", "f", [_Unhashable()])
