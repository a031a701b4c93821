"""RPNLayer and RPN: tinyBIG's allocation rules, fusion of heads, chaining of widths."""

import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx

from jaxbig.nn import RPN, RPNHead, RPNLayer, allocate

IDENTITY_HEAD = dict(transformation="identity_expansion", fabrication="identity_reconciliation",
                     remainder="zero_remainder")


@pytest.mark.parametrize("num, alloc, configs, expected", [
    (3, None, ["a"], ["a", "a", "a"]),                 # one config repeated
    (2, None, ["a", "b"], ["a", "b"]),                 # one each
    (None, None, ["a", "b"], ["a", "b"]),              # inferred total
    (None, [2, 1], ["a", "b"], ["a", "a", "b"]),       # counts per config
    (3, [1, 2], ["a", "b"], ["a", "b", "b"]),          # counts summing to the total
    (None, 2, "a", ["a", "a"]),                        # scalar count, single config
])
def test_allocation_follows_tinybig(num, alloc, configs, expected):
    assert allocate(num, alloc, configs, owner="RPNLayer") == expected


@pytest.mark.parametrize("num, alloc, configs, message", [
    (3, None, ["a", "b"], r"width=3 does not match the 2 configs given; give width_alloc"),
    (4, [1, 2], ["a", "b"], r"width_alloc=\[1, 2\] must sum to width=4"),
    (None, [1], ["a", "b"], r"width_alloc=\[1\] needs one count per config"),
])
def test_inconsistent_allocation_is_rejected(num, alloc, configs, message):
    with pytest.raises(ValueError, match=r"RPNLayer: " + message):
        allocate(num, alloc, configs, owner="RPNLayer")


def test_layer_fuses_heads_by_their_mean_by_default():
    rngs = nnx.Rngs(0)
    heads = [RPNHead(3, 2, **IDENTITY_HEAD, rngs=rngs) for _ in range(3)]
    layer = RPNLayer(3, 2, heads=heads)
    x = jnp.asarray(np.random.default_rng(0).normal(size=(4, 3)), jnp.float32)
    expected = np.mean([np.asarray(x) @ np.asarray(h.w[...]).reshape(2, 3).T for h in heads], axis=0)
    np.testing.assert_allclose(layer(x), expected, rtol=1e-5, atol=1e-6)
    summed = RPNLayer(3, 2, heads=heads, head_fusion="summation_fusion")
    np.testing.assert_allclose(summed(x), 3 * expected, rtol=1e-5, atol=1e-6)


def test_concatenation_fusion_widens_the_layer_and_model_chains_it():
    rngs = nnx.Rngs(0)
    wide = RPNLayer(3, 2, head=IDENTITY_HEAD, width=2, head_fusion="concatenation_fusion", rngs=rngs)
    assert wide.n_out == 4
    model = RPN([wide, RPNLayer(4, 1, head=IDENTITY_HEAD, rngs=rngs)])
    assert model(jnp.ones((5, 3))).shape == (5, 1)


def test_model_from_layer_keywords_with_depth_allocation():
    model = RPN(layer=[dict(m=3, n=3, head=IDENTITY_HEAD), dict(m=3, n=1, head=IDENTITY_HEAD)],
                depth_alloc=[2, 1], rngs=nnx.Rngs(0))
    assert [(layer.m, layer.n) for layer in model.layers] == [(3, 3), (3, 3), (3, 1)]


def test_widths_that_do_not_chain_are_rejected():
    rngs = nnx.Rngs(0)
    with pytest.raises(ValueError, match=r"RPN: layer 1 expects width m=4, but layer 0 outputs width 2"):
        RPN([RPNLayer(3, 2, head=IDENTITY_HEAD, rngs=rngs), RPNLayer(4, 1, head=IDENTITY_HEAD, rngs=rngs)])
    with pytest.raises(ValueError, match=r"RPNLayer: heads\[0\] maps 3 -> 2, the layer 3 -> 5"):
        RPNLayer(3, 5, heads=[RPNHead(3, 2, **IDENTITY_HEAD, rngs=rngs)])
    with pytest.raises(ValueError, match=r"head keywords must not set \['m'\]"):
        RPNLayer(3, 2, head={**IDENTITY_HEAD, "m": 3}, rngs=rngs)


def test_models_work_under_nnx_vmap_and_nnx_jit():
    @nnx.split_rngs(splits=3)
    @nnx.vmap(in_axes=(0,), out_axes=0)
    def create(rngs):
        return RPN([RPNLayer(3, 2, head=dict(IDENTITY_HEAD, transformation="taylor_expansion"), rngs=rngs)])

    models = create(nnx.Rngs(0))
    x = jnp.asarray(np.random.default_rng(0).normal(size=(5, 3)), jnp.float32)
    ys = nnx.jit(nnx.vmap(lambda model, x: model(x), in_axes=(0, None)))(models, x)
    assert ys.shape == (3, 5, 2)
    w = np.asarray(models.layers[0].heads[0].w[...])  # (3 members, 1 channel, l)
    assert w.shape == (3, 1, 24) and not np.allclose(w[0], w[1])
    kx = np.concatenate([x, np.einsum("ba,bc->bac", x, x).reshape(5, 9)], axis=1)
    np.testing.assert_allclose(ys[1], kx @ w[1, 0].reshape(2, 12).T, rtol=1e-5, atol=1e-6)


def test_model_passes_on_the_first_element_of_tuple_outputs_and_collects_the_rest():
    class Halve(nnx.Module):
        def __call__(self, x):
            return x / 2, jnp.sum(x, axis=-1)

    rngs = nnx.Rngs(0)
    first, last = RPNLayer(3, 4, head=IDENTITY_HEAD, rngs=rngs), RPNLayer(4, 2, head=IDENTITY_HEAD, rngs=rngs)
    model = RPN([first, Halve(), last])
    x = jnp.ones((5, 3))
    y, aux = model(x, return_aux=True)
    np.testing.assert_allclose(y, last(first(x) / 2), rtol=1e-6)
    np.testing.assert_allclose(aux[1], jnp.sum(first(x), axis=-1), rtol=1e-6)
    np.testing.assert_allclose(model(x), y)
