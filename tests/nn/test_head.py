"""RPNHead: the head formula against hand computations, tinyBIG's sizes, buffers, errors."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from flax import nnx

from jaxbig.nn import Buffer, RPNHead, count_params

TAYLOR = {"function_class": "tinybig.expansion.taylor_expansion", "function_parameters": {"d": 2}}


def _taylor2(x):
    """[x, x⊗x] row by row, column a·m + c of x⊗x being x_a·x_c (tinyBIG's order)."""
    return np.concatenate([x, np.einsum("ba,bc->bac", x, x).reshape(len(x), -1)], axis=1)


def test_head_equals_hand_computation_of_its_formula():
    m, n, C = 3, 2, 2
    head = RPNHead(m, n, transformation=TAYLOR,
                   fabrication={"function_class": "identity_reconciliation",
                                "function_parameters": {"enable_bias": True}},
                   remainder="linear_remainder", channel_num=C, rngs=nnx.Rngs(0))
    D = m + m * m
    rng = np.random.default_rng(1)
    W = rng.normal(size=(C, n, D)).astype(np.float32)
    b = rng.normal(size=(n,)).astype(np.float32)
    R = rng.normal(size=(n, m)).astype(np.float32)
    head.w[...] = W.reshape(C, n * D)
    head.b[...] = b
    head.w_remainder[...] = R.reshape(-1)
    x = rng.normal(size=(5, m)).astype(np.float32)
    kx = _taylor2(x)
    channels = [kx @ W[c].T + b for c in range(C)]
    expected = np.mean(channels, axis=0) + x @ R.T  # tinyBIG's default channel fusion is the mean
    np.testing.assert_allclose(head(jnp.asarray(x)), expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(nnx.jit(lambda h, x: h(x))(head, x), expected, rtol=1e-5, atol=1e-5)


def test_transformation_postprocess_and_output_process_apply_in_tinybig_order():
    m, n = 2, 3
    kappa = {**TAYLOR, "function_parameters": {"d": 2, "postprocess_function_configs": [
        {"function_class": "torch.nn.LayerNorm", "function_parameters": {"normalized_shape": 6}}]}}
    head = RPNHead(m, n, transformation=kappa, fabrication="identity_reconciliation",
                   remainder="zero_remainder", output_process=["torch.nn.Sigmoid"], rngs=nnx.Rngs(0))
    x = np.array([[0.5, -1.0], [2.0, 0.25]], np.float32)
    kx = _taylor2(x)
    normed = (kx - kx.mean(1, keepdims=True)) / np.sqrt(kx.var(1, keepdims=True) + 1e-5)
    W = np.asarray(head.w[...]).reshape(n, 6)
    expected = 1 / (1 + np.exp(-(normed @ W.T)))
    np.testing.assert_allclose(head(x), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("m, n, fabrication, l", [
    (64, 64, {"function_class": "identity_reconciliation"}, 64 * 4160),
    (784, 64, {"function_class": "dual_lphm_reconciliation", "function_parameters": {"p": 8, "q": 784, "r": 5}},
     5 * (8 + 784 + 64 // 8 + 615440 // 784)),
    (64, 10, {"function_class": "dual_lphm_reconciliation", "function_parameters": {"p": 2, "q": 64, "r": 5}},
     5 * (2 + 64 + 10 // 2 + 4160 // 64)),
])
def test_head_from_tinybig_config_has_tinybig_sizes(m, n, fabrication, l):
    D = m + m * m  # tinyBIG's taylor_expansion.calculate_D for d = 2
    head = RPNHead(m, n, transformation={**TAYLOR, "function_parameters": {
        "d": 2, "postprocess_function_configs": [
            {"function_class": "torch.nn.LayerNorm", "function_parameters": {"normalized_shape": D}}]}},
        fabrication=fabrication, remainder={"function_class": "tinybig.remainder.zero_remainder"},
        rngs=nnx.Rngs(0))
    assert (head.D, head.l) == (D, l)
    assert head.w[...].shape == (1, l)  # tinyBIG's (channel_num, l)
    assert count_params(head) == l + 2 * D  # w, then LayerNorm's weight and bias


def test_linear_remainder_with_bias_has_tinybig_count():
    head = RPNHead(5, 3, transformation="identity_expansion", fabrication="identity_reconciliation",
                   remainder={"function_class": "linear_remainder", "function_parameters": {"enable_bias": True}},
                   channel_num=2, bias=True, rngs=nnx.Rngs(0))
    # channels·l + b + w_remainder (n·m) + b_remainder (n)
    assert count_params(head) == 2 * 15 + 3 + 15 + 3


def test_low_rank_psi_is_never_materialised():
    m, n, D = 16, 12, 16 * 4
    head = RPNHead(m, n, transformation={"function_class": "bspline_expansion",
                                         "function_parameters": {"t": 1, "d": 3}},
                   fabrication={"function_class": "lorr_reconciliation", "function_parameters": {"r": 2}},
                   remainder="zero_remainder", rngs=nnx.Rngs(0))
    assert head.D == D
    graphdef, state = nnx.split(head)
    jaxpr = jax.make_jaxpr(lambda s, x: nnx.merge(graphdef, s)(x))(state, jnp.ones((3, m)))
    shapes = {tuple(v.aval.shape) for eqn in jaxpr.eqns for v in eqn.outvars}
    assert (n, D) not in shapes and (D, n) not in shapes


def test_integer_parameter_leaves_are_buffers_and_untrained():
    head = RPNHead(4, 3, transformation="identity_expansion",
                   fabrication={"function_class": "masking_reconciliation", "function_parameters": {"p": 0.5}},
                   remainder="zero_remainder", rngs=nnx.Rngs(0))
    buffers = jax.tree.leaves(nnx.state(head, Buffer))
    assert len(buffers) == 1 and buffers[0].dtype == jnp.bool_
    grads = nnx.grad(lambda h: jnp.sum(h(jnp.ones((2, 4)))))(head)
    assert all(jnp.issubdtype(g.dtype, jnp.floating) for g in jax.tree.leaves(grads))
    assert count_params(head) == 12


def test_output_dtype_follows_bfloat16_input():
    head = RPNHead(3, 2, transformation=TAYLOR, fabrication="identity_reconciliation",
                   remainder="linear_remainder", rngs=nnx.Rngs(0))
    assert head(jnp.ones((4, 3), jnp.bfloat16)).dtype == jnp.bfloat16


def test_remainder_that_cannot_change_width_is_rejected():
    with pytest.raises(ValueError, match=r"RPNHead: remainder IdentityRemainder does not fit m=5, n=3: .*LinearRemainder"):
        RPNHead(5, 3, transformation="identity_expansion", fabrication="identity_reconciliation",
                remainder="identity_remainder", rngs=nnx.Rngs(0))


def test_function_of_the_wrong_family_is_rejected():
    with pytest.raises(ValueError, match=r"RPNHead.transformation: expected a Transformation.*IdentityReconciliation"):
        RPNHead(3, 2, transformation="identity_reconciliation", fabrication="identity_reconciliation",
                remainder="zero_remainder", rngs=nnx.Rngs(0))


def test_unknown_function_name_lists_close_matches():
    with pytest.raises(ValueError, match=r"RPNHead.transformation: .*taylr_expansion.*taylor_expansion"):
        RPNHead(3, 2, transformation="taylr_expansion", fabrication="identity_reconciliation",
                remainder="zero_remainder", rngs=nnx.Rngs(0))


def test_input_of_the_wrong_width_is_rejected():
    head = RPNHead(3, 2, transformation="identity_expansion", fabrication="identity_reconciliation",
                   remainder="zero_remainder", rngs=nnx.Rngs(0))
    with pytest.raises(ValueError, match=r"RPNHead: x must have shape \(b, 3\), got shape \(4, 5\)"):
        head(jnp.ones((4, 5)))


def test_interdependence_per_channel_equals_hand_computation():
    b, m, n, C = 4, 3, 2, 2
    attribute = {"function_class": "parameterized_interdependence",
                 "function_parameters": {"b": b, "m": m, "m_prime": 2, "interdependence_type": "attribute"}}
    instance = {"function_class": "parameterized_interdependence",
                "function_parameters": {"b": b, "m": m, "b_prime": b, "interdependence_type": "instance"}}
    head = RPNHead(m, n, transformation=TAYLOR, fabrication="identity_reconciliation",
                   remainder="linear_remainder", attribute_interdependence=attribute,
                   instance_interdependence=instance, channel_num=C, batch_num=b, rngs=nnx.Rngs(0))
    assert (head.m_prime, head.D) == (2, 6)
    x = np.random.default_rng(2).normal(size=(b, m)).astype(np.float32)
    A = np.asarray(head.w_attribute_interdependence[...]).reshape(C, m, 2)   # ξ_attr(w) = reshape(w)
    B = np.asarray(head.w_instance_interdependence[...]).reshape(C, b, b)
    W = np.asarray(head.w[...]).reshape(C, n, 6)
    R = np.asarray(head.w_remainder[...]).reshape(n, m)
    channels = [B[c].T @ _taylor2(x @ A[c]) @ W[c].T for c in range(C)]
    np.testing.assert_allclose(head(x), np.mean(channels, axis=0) + x @ R.T, rtol=2e-5, atol=1e-5)
