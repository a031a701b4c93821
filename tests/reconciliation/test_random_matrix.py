"""Members with fixed random matrices: regenerated from uint32 key data, never trained."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jaxbig.base import is_trainable_leaf
from jaxbig.reconciliation import (
    FixedRandomParams,
    HypernetParams,
    HypernetReconciliation,
    RandomMatrixAdaptionReconciliation,
    RandomMatrixHypernetReconciliation,
)
from reconciliation_reference import compiled

# The members and shapes of test_fabrication_protocol.py, so that the compiled
# (apply, product) of each member is shared (compiling a threefry draw is slow).
N, D = 4, 6
MEMBERS = [
    RandomMatrixAdaptionReconciliation(r=2),
    RandomMatrixHypernetReconciliation(r=2, l=5, hidden_dim=6),
    HypernetReconciliation(l=5, hidden_dim=6),
]
IDS = ["rma", "rm_hypernet", "hypernet"]


def _apply(f, params):
    """f.apply through the shared compiled (apply, product), one compile per member."""
    return compiled(f)(params, np.zeros((3, D), np.float32), N, D)[0]


@pytest.mark.parametrize("f", MEMBERS, ids=IDS)
def test_fixed_matrices_are_a_pure_function_of_key_data(f):
    params = f.init(jax.random.key(0), N, D)
    assert params.key_data.dtype == jnp.uint32 and params.key_data.shape == (2,)
    assert [is_trainable_leaf(leaf) for leaf in params] == [True, False]
    first = _apply(f, params)
    np.testing.assert_array_equal(first, _apply(f, FixedRandomParams(np.asarray(params.w), np.asarray(params.key_data))))
    other = params._replace(key_data=jax.random.key_data(jax.random.key(123)))
    assert not np.allclose(first, _apply(f, other))


@pytest.mark.parametrize("f", MEMBERS, ids=IDS)
def test_plain_w_is_rejected_naming_the_container(f):
    w = np.zeros(f.calculate_l(N, D), np.float32)
    with pytest.raises(ValueError, match=rf"{type(f).__name__}: parameters must be FixedRandomParams\(w, key_data\)"):
        f.apply(w, N, D)


@pytest.mark.parametrize("key_data", [np.zeros(2, np.int32), np.zeros(4, np.uint32)])
def test_key_data_must_be_a_uint32_pair(key_data):
    f = RandomMatrixAdaptionReconciliation()
    with pytest.raises(ValueError, match="RandomMatrixAdaptionReconciliation: key_data must be uint32 of shape"):
        f.apply(FixedRandomParams(np.zeros(N + 2, np.float32), key_data), N, D)


def test_random_matrix_adaption_has_rank_at_most_r():
    f = MEMBERS[0]
    params = f.init(jax.random.key(5), N, D)
    assert np.linalg.matrix_rank(np.asarray(_apply(f, params), np.float64), tol=1e-4) == 2 < min(N, D)


def test_hypernet_length_is_the_hyperparameter_l():
    assert HypernetReconciliation(l=7).calculate_l(3, 9) == 7
    assert RandomMatrixHypernetReconciliation(l=11).calculate_l(100, 2) == 11


def test_dynamic_hypernet_starts_from_the_static_net_and_trains_it():
    static = HypernetReconciliation(l=5, hidden_dim=6)
    dynamic = HypernetReconciliation(l=5, hidden_dim=6, static=False)
    p_static, p_dynamic = static.init(jax.random.key(0), N, D), dynamic.init(jax.random.key(0), N, D)
    assert isinstance(p_static, FixedRandomParams) and isinstance(p_dynamic, HypernetParams)
    assert all(is_trainable_leaf(leaf) for leaf in p_dynamic)
    np.testing.assert_allclose(static.apply(p_static, N, D), dynamic.apply(p_dynamic, N, D), rtol=1e-6)
    loss = lambda f: jax.grad(lambda p: jnp.sum(f.apply(p, N, D) ** 2))(p_dynamic)  # noqa: E731
    # static=True freezes an explicit net (e.g. tinyBIG's) under stop_gradient; static=False trains it.
    frozen, trained = loss(static), loss(dynamic)
    for name in HypernetParams._fields[1:]:
        assert not np.any(getattr(frozen, name)) and np.any(getattr(trained, name))
    np.testing.assert_allclose(frozen.w, trained.w, rtol=1e-6)
    assert np.any(frozen.w)


def test_hypernet_net_weights_must_have_torch_linear_shapes():
    f = HypernetReconciliation(l=5, hidden_dim=6, static=False)
    params = f.init(jax.random.key(0), N, D)
    bad = params._replace(output_weight=np.zeros((6, N * D), np.float32))
    with pytest.raises(ValueError, match=r"HypernetReconciliation: output_weight must have shape \(24, 6\), got shape \(6, 24\)"):
        f.apply(bad, N, D)
