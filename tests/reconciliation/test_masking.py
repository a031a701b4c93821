"""MaskingReconciliation: the mask is a boolean buffer drawn at init, or per call from a key."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jaxbig.reconciliation import MaskingParams, MaskingReconciliation

N, D = 4, 6


def _w():
    return np.arange(N * D, dtype=np.float32) + 1.0


def test_init_draws_a_boolean_mask_kept_by_every_call():
    f = MaskingReconciliation(p=0.5)
    params = f.init(jax.random.key(0), N, D)
    assert params.mask.dtype == jnp.bool_ and params.mask.shape == (N, D)
    first, second = f.apply(params, N, D), f.apply(params, N, D)
    np.testing.assert_array_equal(first, second)
    np.testing.assert_array_equal(first, np.where(params.mask, np.asarray(params.w).reshape(N, D), 0.0))


def test_keep_ratio_is_p():
    f = MaskingReconciliation(p=0.25)
    mask = np.asarray(f.init(jax.random.key(1), 64, 64).mask)
    assert abs(mask.mean() - 0.25) < 0.03


@pytest.mark.parametrize("p, expected", [(1.0, "identity"), (0.0, "zero")])
def test_ratio_one_keeps_everything_and_zero_nothing(p, expected):
    f = MaskingReconciliation(p=p)
    out = f.apply(_w(), N, D, key=jax.random.key(2))
    np.testing.assert_array_equal(out, _w().reshape(N, D) if expected == "identity" else np.zeros((N, D)))


def test_redrawn_mask_needs_a_key_and_changes_with_it():
    f = MaskingReconciliation(p=0.5, fixed_mask=False)
    params = f.init(jax.random.key(0), N, D)
    with pytest.raises(ValueError, match="MaskingReconciliation: fixed_mask=False draws a new mask at every call: pass key="):
        f.apply(params, N, D)
    a = f.apply(params, N, D, key=jax.random.key(1))
    b = f.apply(params, N, D, key=jax.random.key(2))
    np.testing.assert_array_equal(a, f.apply(params, N, D, key=jax.random.key(1)))
    assert not np.array_equal(a, b)
    mask = jax.random.bernoulli(jax.random.key(1), 0.5, (N, D))
    np.testing.assert_array_equal(a, MaskingReconciliation(p=0.5).apply(MaskingParams(params.w, mask), N, D))


def test_plain_w_needs_a_mask_or_a_key():
    # tinyBIG stores no mask: its (1, l) weights load with a key that draws one.
    f = MaskingReconciliation(p=0.5)
    with pytest.raises(ValueError, match=r"MaskingReconciliation: w carries no mask: pass MaskingParams\(w, mask\)"):
        f.apply(_w(), N, D)
    out = f.apply(_w()[None, :], N, D, key=jax.random.key(3))
    mask = jax.random.bernoulli(jax.random.key(3), 0.5, (N, D))
    np.testing.assert_array_equal(out, f.apply(MaskingParams(_w(), mask), N, D))
    x = np.ones((2, D), np.float32)
    np.testing.assert_allclose(f.product(_w(), x, N, D, key=jax.random.key(3)), x @ np.asarray(out).T)


@pytest.mark.parametrize(
    "mask, match",
    [
        (np.ones((N, D), np.float32), r"mask must be boolean of shape \(4, 6\), got float32 of shape \(4, 6\)"),
        (np.ones((D, N), bool), r"mask must be boolean of shape \(4, 6\), got bool of shape \(6, 4\)"),
    ],
)
def test_mask_must_be_a_boolean_n_by_D_buffer(mask, match):
    with pytest.raises(ValueError, match="MaskingReconciliation: " + match):
        MaskingReconciliation().apply(MaskingParams(_w(), mask), N, D)


def test_gradient_flows_only_through_kept_entries():
    f = MaskingReconciliation(p=0.5)
    params = f.init(jax.random.key(4), N, D)
    grad = jax.grad(lambda w: f.apply(params._replace(w=w), N, D).sum())(params.w)
    np.testing.assert_array_equal(grad, np.asarray(params.mask, np.float32).ravel())
