"""Every reconciliation member against the fabrication protocol and an independent NumPy route.

For each member: ``apply`` equals the documented formula computed in NumPy from the
same parameters, ``product`` equals ``x @ apply(...).T`` (jit and no-jit), gradients
match finite differences, ``calculate_l`` is the length ``apply`` consumes, errors
name the function and the shapes, dtype follows the input, and ``vmap`` over a
stack of parameters works.
"""

import dataclasses
import functools

import chex
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from absl.testing import parameterized
from jax.test_util import check_grads

import jaxbig
from jaxbig import reconciliation as rec
from reconciliation_reference import compiled, numpy_formula

# (test id, function, n, D): every member, rectangular shapes, p ≠ q where it applies.
# Kept small: each case costs several XLA compiles. Further shapes (p > q, tall
# constant eye, closest-factor p, q) are covered in test_kronecker.py and
# tests/ops/test_kron.py.
CASES = (
    ("constant", rec.ConstantReconciliation(c=0.5), 4, 6),
    ("zero", rec.ZeroReconciliation(), 4, 6),
    ("one", rec.OneReconciliation(), 4, 6),
    ("constant_eye", rec.ConstantEyeReconciliation(), 3, 5),
    ("identity", rec.IdentityReconciliation(), 4, 6),
    ("masking", rec.MaskingReconciliation(p=0.5), 4, 6),
    ("duplicated_padding", rec.DuplicatedPadding(p=2, q=3), 4, 6),
    ("duplicated_diagonal_padding", rec.DuplicatedDiagonalPadding(p=2, q=3), 4, 6),
    ("low_rank", rec.LowRankReconciliation(r=2), 4, 6),
    ("hm", rec.HMReconciliation(p=2, q=3), 4, 6),
    ("lphm", rec.LPHMReconciliation(p=2, q=3, r=2), 4, 6),
    ("dual_lphm", rec.DualLPHMReconciliation(p=2, q=3, r=2), 4, 6),
    ("random_matrix_adaption", rec.RandomMatrixAdaptionReconciliation(r=2), 4, 6),
    ("random_matrix_hypernet", rec.RandomMatrixHypernetReconciliation(r=2, l=5, hidden_dim=6), 4, 6),
    ("hypernet_static", rec.HypernetReconciliation(l=5, hidden_dim=6), 4, 6),
    ("hypernet_dynamic", rec.HypernetReconciliation(l=5, hidden_dim=6, static=False), 4, 6),
)
IDS = [case[0] for case in CASES]
PARAMETERS = [dict(testcase_name=c[0], f=c[1], n=c[2], D=c[3]) for c in CASES]


def test_every_registered_reconciliation_is_covered():
    covered = {type(case[1]) for case in CASES}
    registered = {e.cls for e in jaxbig.entries("reconciliation")}
    assert registered == covered


# ---------------------------------------------------------------- helpers


# Test data is prepared in NumPy and params are cached: every eager JAX op or jit
# is an XLA compile, and compiles dominate this file's runtime.


@functools.lru_cache(maxsize=None)
def _init(f, n, D, seed=0, dtype=jnp.float32):
    return jax.tree.map(np.asarray, f.init(jax.random.key(seed), n, D, dtype=dtype))


def _w(params):
    return params.w if isinstance(params, tuple) else params


def _with_w(params, w):
    return params._replace(w=w) if isinstance(params, tuple) else w


def _x(D, b=3):
    return np.random.default_rng(7).standard_normal((b, D)).astype(np.float32)


def _cast(params, dtype):
    """params with its floating leaves cast to dtype (buffers unchanged), in NumPy."""
    return jax.tree.map(lambda a: a.astype(dtype) if np.issubdtype(a.dtype, np.floating) or a.dtype == jnp.bfloat16 else a, params)


# ---------------------------------------------------------------- jit / no-jit


class FabricationVariantsTest(chex.TestCase):
    @chex.variants(with_jit=True, without_jit=True)
    @parameterized.named_parameters(PARAMETERS)
    def test_apply_equals_numpy_formula_and_product_equals_dense_matmul(self, f, n, D):
        params, x = _init(f, n, D), _x(D)
        dense, prod = self.variant(lambda p, x: (f.apply(p, n, D), f.product(p, x, n, D)))(params, x)
        chex.assert_shape(dense, (n, D))
        chex.assert_shape(prod, (3, n))
        formula = numpy_formula(f, params, n, D)
        np.testing.assert_allclose(dense, formula, rtol=2e-5, atol=2e-5)
        # product is x @ apply(w).T, which is x @ formula.T.
        np.testing.assert_allclose(prod, np.asarray(x, np.float64) @ np.asarray(dense, np.float64).T, rtol=2e-5, atol=2e-5)
        np.testing.assert_allclose(prod, np.asarray(x, np.float64) @ formula.T, rtol=1e-4, atol=1e-4)


# ---------------------------------------------------------------- gradients


@pytest.mark.parametrize("f, n, D", [c[1:] for c in CASES], ids=IDS)
def test_gradients_match_finite_differences(f, n, D):
    # One check covers both outputs: (apply(w), product(w, x)) as functions of (w, x).
    # Reverse mode (what training uses) against finite differences; the forward
    # mode of the structured products is checked in tests/ops/test_kron.py.
    params, x = _init(f, n, D), _x(D)
    both = compiled(f)
    tol = dict(order=1, modes=("rev",), rtol=2e-2, atol=2e-2)
    if _w(params).size:
        check_grads(lambda w, x: both(_with_w(params, w), x, n, D), (_w(params), x), **tol)
    else:
        check_grads(lambda x: both(params, x, n, D)[1], (x,), **tol)


# ---------------------------------------------------------------- shapes and errors


@pytest.mark.parametrize("f, n, D", [c[1:] for c in CASES], ids=IDS)
def test_calculate_l_is_the_length_apply_consumes(f, n, D):
    params, x = _init(f, n, D), _x(D)
    l = f.calculate_l(n, D)
    assert isinstance(l, int) and _w(params).shape == (l,)
    # tinyBIG's (1, l) layout gives the same results (eagerly: reuses compiled ops).
    tinybig_params = _with_w(params, _w(params).reshape(1, l))
    chex.assert_trees_all_equal(f.apply(tinybig_params, n, D), f.apply(params, n, D))
    chex.assert_trees_all_equal(f.product(tinybig_params, x, n, D), f.product(params, x, n, D))
    name = type(f).__name__
    for bad in (l + 1, l - 1):
        if bad < 0:
            continue
        msg = rf"{name}: w must have shape \({l},\).*got shape \({bad},\)"
        with pytest.raises(ValueError, match=msg):
            f.apply(_with_w(params, np.zeros(bad, np.float32)), n, D)
        with pytest.raises(ValueError, match=msg):
            f.product(_with_w(params, np.zeros(bad, np.float32)), _x(D), n, D)


@pytest.mark.parametrize("f, n, D", [c[1:] for c in CASES], ids=IDS)
def test_wrong_x_width_names_function_and_shapes(f, n, D):
    params = _init(f, n, D)
    with pytest.raises(ValueError, match=rf"{type(f).__name__}: x must have shape \(b, {D}\), got shape \(3, {D + 1}\)"):
        f.product(params, _x(D + 1), n, D)
    with pytest.raises(ValueError, match=rf"{type(f).__name__}: x must be 2-D"):
        f.product(params, np.zeros((D,), np.float32), n, D)


@pytest.mark.parametrize("f", [c[1] for c in CASES], ids=IDS)
@pytest.mark.parametrize("n, D", [(0, 4), (4, -1), (2.0, 4)])
def test_non_positive_or_non_integer_dimensions_are_rejected(f, n, D):
    bad, value = ("n", n) if n != 4 else ("D", D)
    with pytest.raises(ValueError, match=rf"{type(f).__name__}: {bad}"):
        f.calculate_l(n, D)


# ---------------------------------------------------------------- dtypes, vmap, make


@pytest.mark.parametrize("f, n, D", [c[1:] for c in CASES], ids=IDS)
def test_dtype_follows_input(f, n, D):
    bf16_params = jax.eval_shape(lambda k: f.init(k, n, D, dtype=jnp.bfloat16), jax.random.key(0))
    assert _w(bf16_params).dtype == jnp.bfloat16
    params, x = _init(f, n, D), _x(D)
    results = {}
    for dtype in (jnp.float32, jnp.bfloat16):
        dense, prod = compiled(f)(_cast(params, dtype), x.astype(dtype), n, D)
        assert dense.dtype == dtype and prod.dtype == dtype
        results[dtype] = np.asarray(prod, np.float32)
    # bfloat16 agrees with float32 to bfloat16 precision.
    ref = results[jnp.float32]
    np.testing.assert_allclose(results[jnp.bfloat16], ref, rtol=0.05, atol=0.05 * (1 + np.abs(ref).max()))


@pytest.mark.parametrize("f, n, D", [c[1:] for c in CASES], ids=IDS)
def test_vmap_over_stacked_params(f, n, D):
    members = [_init(f, n, D, seed) for seed in range(3)]
    stack = jax.tree.map(lambda *leaves: np.stack(leaves), *members)
    x = _x(D)
    both = compiled(f)
    dense, prod = jax.jit(jax.vmap(lambda p: both(p, x, n, D)))(stack)
    chex.assert_shape(dense, (3, n, D))
    chex.assert_shape(prod, (3, 3, n))
    for i, params_i in enumerate(members):
        dense_i, prod_i = both(params_i, x, n, D)
        np.testing.assert_allclose(dense[i], dense_i, rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(prod[i], prod_i, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("f", [c[1] for c in CASES], ids=IDS)
def test_make_builds_from_tinybig_name_and_keywords(f):
    entry = jaxbig.lookup(type(f).__name__)
    kwargs = {field.name: getattr(f, field.name) for field in dataclasses.fields(f)}
    made = jaxbig.make(entry.tinybig, **kwargs)
    assert made == f and hash(made) == hash(f)
    assert jaxbig.make(f"tinybig.reconciliation.{entry.tinybig}", name="x", device="cpu", **kwargs) == f


def test_registry_doctest_example():
    f = jaxbig.make("duplicated_diagonal_padding_reconciliation", p=2, q=3)
    assert isinstance(f, rec.DuplicatedDiagonalPadding) and f.calculate_l(4, 6) == 4


def test_tinybig_alias_names_resolve():
    assert jaxbig.make("low_rank_reconciliation", r=3) == rec.LowRankReconciliation(r=3)
    assert jaxbig.make("hypercomplex_multiplication_reconciliation", p=2) == rec.HMReconciliation(p=2)
    assert jaxbig.make("constant_c_reconciliation", c=2.0) == rec.ConstantReconciliation(c=2.0)


@pytest.mark.parametrize(
    "name, kwargs, match",
    [
        ("DuplicatedPadding", dict(p=0), "DuplicatedPadding: p=0 must be >= 1"),
        ("DuplicatedDiagonalPadding", dict(p=2, q=2.5), "DuplicatedDiagonalPadding: q must be an integer"),
        ("HMReconciliation", dict(p=-1), "HMReconciliation: p=-1 must be >= 1"),
        ("LPHMReconciliation", dict(r=0), "LPHMReconciliation: r=0 must be >= 1"),
        ("DualLPHMReconciliation", dict(q="3"), "DualLPHMReconciliation: q must be an integer"),
        ("LowRankReconciliation", dict(r=True), "LowRankReconciliation: r must be an integer"),
        ("MaskingReconciliation", dict(p=1.5), r"MaskingReconciliation: p=1.5 must be <= 1.0"),
        ("MaskingReconciliation", dict(fixed_mask="yes"), "MaskingReconciliation: fixed_mask must be a bool"),
        ("ConstantReconciliation", dict(c=float("nan")), "ConstantReconciliation: c=nan must be finite"),
        ("RandomMatrixAdaptionReconciliation", dict(r=0), "RandomMatrixAdaptionReconciliation: r=0"),
        ("RandomMatrixHypernetReconciliation", dict(hidden_dim=0), "hidden_dim=0 must be >= 1"),
        ("HypernetReconciliation", dict(l=0), "HypernetReconciliation: l=0 must be >= 1"),
        ("HypernetReconciliation", dict(static=1), "HypernetReconciliation: static must be a bool"),
    ],
)
def test_invalid_hyperparameters_are_rejected_with_their_values(name, kwargs, match):
    with pytest.raises(ValueError, match=match):
        jaxbig.make(name, **kwargs)
