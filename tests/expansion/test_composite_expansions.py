"""Nested and extended expansions: composition, parameters, configs, errors."""

from __future__ import annotations

import dataclasses
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxbig
from jaxbig.base import Transformation
from jaxbig.expansion import (
    ChebyshevExpansion,
    ExtendedExpansion,
    HyperbolicExpansion,
    NestedExpansion,
    TaylorExpansion,
)

X = np.random.default_rng(8).uniform(-1, 1, (3, 4)).astype(np.float32)


@dataclasses.dataclass(frozen=True)
class _Scale(Transformation):
    """κ(x) = w ⊙ x with learned w of shape (m,) (a parameterised test transformation)."""

    def calculate_D(self, m: int) -> int:
        return m

    def init(self, key: jax.Array, m: int, *, dtype: Any = jnp.float32) -> jax.Array:
        return jax.random.normal(key, (m,), dtype)

    def apply(self, params: Any, x: jax.typing.ArrayLike) -> jax.Array:
        return jnp.asarray(x) * params


def test_nested_equals_the_composition_and_chains_widths():
    kappa = NestedExpansion(composition_functions=(TaylorExpansion(d=2), HyperbolicExpansion()))
    expected = HyperbolicExpansion().apply(None, TaylorExpansion(d=2).apply(None, X))
    assert kappa.calculate_D(4) == 3 * (4 + 16)
    np.testing.assert_allclose(kappa.apply(kappa.init(jax.random.key(0), 4), X), expected, rtol=1e-6)


def test_extended_equals_the_concatenation():
    parts = (TaylorExpansion(d=2), ChebyshevExpansion(d=3))
    kappa = ExtendedExpansion(composition_functions=parts)
    expected = np.concatenate([f.apply(None, X) for f in parts], axis=1)
    assert kappa.calculate_D(4) == 20 + 12
    np.testing.assert_allclose(kappa.apply(None, X), expected, rtol=1e-6)


def test_sub_functions_from_names_and_tinybig_configs():
    configs = [
        {"function_class": "tinybig.expansion.taylor_expansion",
         "function_parameters": {"d": 2, "name": "taylor", "device": "cpu"}},
        {"function_class": "hyperbolic_expansion", "function_parameters": {}},
    ]
    from_configs = jaxbig.make("nested_expansion", composition_function_configs=configs)
    from_names = NestedExpansion(composition_functions=["taylor_expansion", "HyperbolicExpansion"])
    assert from_configs == NestedExpansion(composition_functions=(TaylorExpansion(), HyperbolicExpansion()))
    assert hash(from_configs) == hash(from_names) and from_configs == from_names


def test_compressions_compose_too():
    kappa = NestedExpansion(composition_functions=("taylor_expansion", "max_compression"))
    expected = TaylorExpansion().apply(None, X).max(axis=1, keepdims=True)
    assert kappa.calculate_D(4) == 1
    np.testing.assert_allclose(kappa.apply(kappa.init(jax.random.key(0), 4), X), expected, rtol=1e-6)


@pytest.mark.parametrize("cls", [NestedExpansion, ExtendedExpansion])
def test_params_are_the_tuple_of_sub_function_params_and_train(cls):
    kappa = cls(composition_functions=(_Scale(), ChebyshevExpansion(d=2)))
    params = kappa.init(jax.random.key(1), 4)
    assert isinstance(params, tuple) and params[0].shape == (4,) and params[1] is None

    def loss(p):
        return jnp.sum(kappa.apply(p, X) ** 2)

    w = params[0]
    if cls is NestedExpansion:
        def manual(w):
            return jnp.sum(ChebyshevExpansion(d=2).apply(None, X * w) ** 2)
    else:
        def manual(w):
            return jnp.sum((X * w) ** 2) + jnp.sum(ChebyshevExpansion(d=2).apply(None, X) ** 2)
    np.testing.assert_allclose(jax.grad(loss)(params)[0], jax.grad(manual)(w), rtol=1e-5)
    # an ensemble: vmap over stacked params
    ensemble = jax.vmap(lambda k: kappa.init(k, 4))(jax.random.split(jax.random.key(2), 3))
    outs = jax.vmap(kappa.apply, in_axes=(0, None))(ensemble, X)
    np.testing.assert_allclose(outs[1], kappa.apply((ensemble[0][1], None), X), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize(
    "functions, message",
    [
        ((), r"NestedExpansion: composition_functions must be a non-empty sequence"),
        (("identity_reconciliation",), r"NestedExpansion: IdentityReconciliation is not a transformation"),
        ((42,), r"NestedExpansion: composition_functions entries must be transformations"),
        (("taylr_expansion",), r"make: unknown function 'taylr_expansion'"),
    ],
)
def test_bad_sub_functions_are_named(functions, message):
    with pytest.raises(ValueError, match=message):
        NestedExpansion(composition_functions=functions)


def test_params_of_the_wrong_length_are_named():
    kappa = ExtendedExpansion(composition_functions=(_Scale(), _Scale()))
    with pytest.raises(ValueError, match=r"ExtendedExpansion: params must be a tuple of 2 sub-function parameters .* of length 1"):
        kappa.apply((jnp.ones(4),), X)
