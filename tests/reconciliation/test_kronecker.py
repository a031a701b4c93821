"""Kronecker members: jnp.kron against explicit NumPy blocks, every p and q, and their errors."""

import numpy as np
import pytest

from jaxbig import reconciliation as rec
from reconciliation_reference import compiled, kron_blocks, numpy_formula


def _rng_w(l, seed=0):
    return np.random.default_rng(seed).standard_normal(l).astype(np.float32)


@pytest.mark.parametrize("p, q, s, t", [(1, 1, 3, 2), (2, 2, 2, 3), (3, 2, 2, 2), (2, 3, 1, 2), (4, 1, 1, 3), (1, 4, 2, 1)])
def test_diagonal_padding_jit_kron_equals_numpy_blocks_for_every_p_q(p, q, s, t):
    f, n, D = rec.DuplicatedDiagonalPadding(p=p, q=q), p * s, q * t
    w = _rng_w(f.calculate_l(n, D))
    x = np.random.default_rng(1).standard_normal((3, D)).astype(np.float32)
    dense, prod = compiled(f)(w, x, n, D)
    # Independent of np.kron / jnp.kron: the blocks written out one by one.
    expected = kron_blocks(np.eye(p, q), w.reshape(s, t))
    np.testing.assert_allclose(dense, expected, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(prod, x @ expected.T, rtol=1e-5, atol=1e-5)
    # Block diagonal with min(p, q) copies of W: the other blocks are exactly zero.
    blocks = np.asarray(dense).reshape(p, s, q, t).transpose(0, 2, 1, 3)
    for i in range(p):
        for j in range(q):
            np.testing.assert_array_equal(blocks[i, j], w.reshape(s, t) if i == j else 0.0)


def test_diagonal_padding_with_p_equal_q_equal_n_is_block_diag_as_in_tinybig():
    # tinyBIG's only accepted case: p = q = n, s = 1, W a row.
    f, n, D = rec.DuplicatedDiagonalPadding(p=4, q=4), 4, 12
    w = _rng_w(3)
    expected = np.zeros((4, 12))
    for i in range(4):
        expected[i, 3 * i : 3 * i + 3] = w
    np.testing.assert_allclose(compiled(f)(w[None, :], np.zeros((1, D), np.float32), n, D)[0], expected)


@pytest.mark.parametrize(
    "f, n, D",
    [
        (rec.DuplicatedPadding(p=3, q=2), 6, 4),
        (rec.HMReconciliation(), 12, 10),
        (rec.LPHMReconciliation(r=1), 6, 8),
        (rec.DualLPHMReconciliation(p=3, q=1, r=3), 9, 4),
    ],
)
def test_kronecker_members_equal_numpy_blocks(f, n, D):
    w = _rng_w(f.calculate_l(n, D))
    x = np.random.default_rng(2).standard_normal((2, D)).astype(np.float32)
    expected = numpy_formula(f, w, n, D)
    dense, prod = compiled(f)(w, x, n, D)
    np.testing.assert_allclose(dense, expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(prod, x @ expected.T, rtol=1e-4, atol=1e-4)


def test_omitted_p_q_are_the_closest_factors_as_in_tinybig():
    # p: the largest divisor of n not above √n (12 → 3, 7 → 1, 16 → 4); q likewise from D.
    assert rec.HMReconciliation().calculate_l(12, 10) == 3 * 2 + 4 * 5
    assert rec.HMReconciliation().calculate_l(7, 16) == 1 * 4 + 7 * 4
    assert rec.LPHMReconciliation(r=3).calculate_l(12, 10) == 3 * 2 + 3 * (4 + 5)
    assert rec.DualLPHMReconciliation(q=5, r=2).calculate_l(12, 10) == 2 * (3 + 5 + 4 + 2)
    assert rec.HMReconciliation() == rec.HMReconciliation(p=None, q=None)


def test_padding_q_defaults_to_p():
    assert rec.DuplicatedPadding(p=3) == rec.DuplicatedPadding(p=3, q=3)
    assert rec.DuplicatedDiagonalPadding().q == 2
    assert rec.DuplicatedDiagonalPadding(p=2).calculate_l(4, 6) == 6


@pytest.mark.parametrize(
    "f, n, D, match",
    [
        (rec.DuplicatedDiagonalPadding(p=3), 10, 6, "DuplicatedDiagonalPadding: p=3 must divide n=10"),
        (rec.DuplicatedDiagonalPadding(p=2, q=4), 4, 6, "DuplicatedDiagonalPadding: q=4 must divide D=6"),
        (rec.DuplicatedPadding(p=5, q=1), 4, 6, "DuplicatedPadding: p=5 must divide n=4"),
        (rec.HMReconciliation(p=3, q=2), 8, 12, "HMReconciliation: p=3 must divide n=8"),
        (rec.LPHMReconciliation(q=5), 8, 12, "LPHMReconciliation: q=5 must divide D=12"),
        (rec.DualLPHMReconciliation(p=2, q=7), 8, 12, "DualLPHMReconciliation: q=7 must divide D=12"),
    ],
)
def test_non_dividing_p_or_q_is_rejected_everywhere(f, n, D, match):
    x = np.zeros((2, D), np.float32)
    with pytest.raises(ValueError, match=match):
        f.calculate_l(n, D)
    with pytest.raises(ValueError, match=match):
        f.apply(np.zeros(3, np.float32), n, D)
    with pytest.raises(ValueError, match=match):
        f.product(np.zeros(3, np.float32), x, n, D)


@pytest.mark.parametrize("n, D", [(5, 3), (3, 5)])
def test_constant_eye_product_truncates_and_pads(n, D):
    x = np.random.default_rng(3).standard_normal((2, D)).astype(np.float32)
    f = rec.ConstantEyeReconciliation()
    np.testing.assert_allclose(compiled(f)(None, x, n, D)[1], x @ np.eye(n, D).T, rtol=1e-6)
