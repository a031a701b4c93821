"""jaxbig against tinyBIG 0.2.1's recorded outputs (tests/data/tinybig_reference.npz).

Each reconciliation case holds tinyBIG's output (``out``), the documented formula
computed independently (``formula``) and ``ok``: whether tinyBIG matches its own
formula. jaxbig must equal the formula everywhere, equal tinyBIG where ``ok``, and
differ from tinyBIG where not; for those, tinyBIG's construction (an outer product of
the flattened factors, reshaped) is reproduced in NumPy to show exactly what it
computes instead of the Kronecker product.
"""

import json
import pathlib

import numpy as np
import pytest

import jaxbig
from reconciliation_reference import compiled, kron_blocks

DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "tinybig_reference.npz"


def _cases():
    with np.load(DATA, allow_pickle=False) as data:
        names = sorted({key.split("/")[0] for key in data.files})
        cases = []
        for name in names:
            if str(data[f"{name}/family"]) != "reconciliation":
                continue
            fields = {key.split("/", 1)[1]: data[key] for key in data.files if key.startswith(name + "/")}
            cases.append(pytest.param(fields, id=f"{name}-{fields['cls']}"))
        return cases


CASES = _cases()


def _build(case):
    return jaxbig.make(str(case["cls"]), **json.loads(str(case["kwargs"])))


def _x(case):
    return np.random.default_rng(1).standard_normal((2, int(case["D"]))).astype(np.float32)


def _run(case):
    """(apply, product) on tinyBIG's (1, l) weights, one compile per case."""
    return compiled(_build(case))(case["w"], _x(case), int(case["n"]), int(case["D"]))


def test_the_reference_file_covers_the_wrong_and_the_right_tinybig_constructions():
    flags = {str(c.values[0]["cls"]): bool(c.values[0]["ok"]) for c in CASES}
    assert len(CASES) >= 12
    assert not flags["hm_reconciliation"] and flags["lorr_reconciliation"]


@pytest.mark.parametrize("case", CASES)
def test_calculate_l_matches_tinybig(case):
    n, D = int(case["n"]), int(case["D"])
    assert _build(case).calculate_l(n, D) == int(case["l"]) == case["w"].shape[1]


@pytest.mark.parametrize("case", CASES)
def test_apply_equals_documented_formula_on_tinybig_weights(case):
    # w is tinyBIG's (1, l) layout, loaded as it is.
    out = np.asarray(_run(case)[0])
    np.testing.assert_allclose(out, case["formula"], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("case", CASES)
def test_agrees_with_tinybig_exactly_where_tinybig_agrees_with_its_formula(case):
    out = np.asarray(_run(case)[0])
    if bool(case["ok"]):
        np.testing.assert_allclose(out, case["out"], rtol=1e-5, atol=1e-5)
    else:
        assert np.abs(out - case["out"]).max() > 1e-2


def _tinybig_flattened_einsum(a_flat, b_flat, n, D):
    """tinyBIG 0.2.1: einsum('pq,st->psqt', A(1, ·), B(1, ·)).view(n, D) (NumPy)."""
    return np.einsum("pq,st->psqt", a_flat[None, :], b_flat[None, :]).reshape(n, D)


def _factors(cls, kwargs, w, n, D):
    """The two flattened factors tinyBIG feeds its einsum, from w (float64)."""
    p, q = kwargs["p"], kwargs.get("q", kwargs["p"])
    s, t = n // p, D // q
    r = kwargs.get("r")
    if cls == "duplicated_padding_reconciliation":
        return np.ones(p * q), w
    if cls == "hm_reconciliation":
        return w[: p * q], w[p * q :]
    if cls == "lphm_reconciliation":
        a, S, T = np.split(w, [p * q, p * q + s * r])
        return a, (S.reshape(s, r) @ T.reshape(r, t)).ravel()
    if cls == "dual_lphm_reconciliation":
        P, Q, S, T = np.split(w, np.cumsum([p * r, q * r, s * r]))
        return (P.reshape(p, r) @ Q.reshape(r, q)).ravel(), (S.reshape(s, r) @ T.reshape(r, t)).ravel()
    raise AssertionError(cls)


@pytest.mark.parametrize("case", [c for c in CASES if not bool(c.values[0]["ok"])])
def test_tinybig_outer_product_construction_reproduced_and_differs_from_kronecker(case):
    cls, kwargs = str(case["cls"]), json.loads(str(case["kwargs"]))
    n, D = int(case["n"]), int(case["D"])
    w = case["w"][0].astype(np.float64)
    a_flat, b_flat = _factors(cls, kwargs, w, n, D)
    # tinyBIG's output is exactly the reshaped outer product of the flattened factors ...
    tinybig = _tinybig_flattened_einsum(a_flat, b_flat, n, D)
    np.testing.assert_allclose(tinybig, case["out"], rtol=1e-5, atol=1e-5)
    # ... while the documented Kronecker product of the same factors is jaxbig's output.
    p, q = kwargs["p"], kwargs.get("q", kwargs["p"])
    kron = kron_blocks(a_flat.reshape(p, q), b_flat.reshape(n // p, D // q))
    np.testing.assert_allclose(kron, case["formula"], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(np.asarray(_run(case)[0]), kron, rtol=1e-5, atol=1e-5)
    # The outer product lays row i·s + k out as a contiguous chunk of vec(a) ⊗ vec(b);
    # the Kronecker product interleaves the blocks. Both hold the same multiset of
    # products a_ij·b_kl, only placed differently.
    np.testing.assert_allclose(np.sort(tinybig.ravel()), np.sort(kron.ravel()), rtol=1e-6, atol=1e-6)
    assert not np.allclose(tinybig, kron, atol=1e-3)


def test_tinybig_duplicated_padding_is_right_only_when_q_or_s_is_one():
    # The reshaped outer product is vec(W) repeated p·q times and cut into rows of
    # length q·t: that equals 1_{p×q} ⊗ W exactly when q = 1 or W is a single row.
    rng = np.random.default_rng(0)
    for p, q, s, t in [(3, 1, 3, 4), (2, 1, 2, 5), (2, 2, 1, 3), (2, 3, 4, 4), (2, 2, 2, 3), (1, 2, 3, 2)]:
        W = rng.standard_normal((s, t))
        outer = _tinybig_flattened_einsum(np.ones(p * q), W.ravel(), p * s, q * t)
        assert np.allclose(outer, kron_blocks(np.ones((p, q)), W)) == (q == 1 or s == 1)


@pytest.mark.parametrize("case", CASES)
def test_product_equals_matmul_with_formula(case):
    out = np.asarray(_run(case)[1])
    np.testing.assert_allclose(out, _x(case) @ case["formula"].T, rtol=1e-4, atol=1e-4)
