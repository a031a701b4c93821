"""Numerical and statistical kernel interdependence against independent NumPy/SciPy kernels."""

import math

import chex
import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.spatial.distance as ssd
import scipy.special
import scipy.stats
from absl.testing import parameterized
from jax.test_util import check_grads

import jaxbig
from jaxbig import interdependence as xi

B, M = 6, 5
X = np.random.default_rng(0).standard_normal((B, M)).astype(np.float32)
A_WEIGHTS = {"attribute": (0.5, 1.0, 2.0, 0.25, 1.5, 0.75), "instance": (0.5, 1.0, 2.0, 0.25, 1.5)}


def _cdist(metric, **kw):
    return lambda v: ssd.cdist(v, v, metric, **kw)


def _corr(v):
    return np.corrcoef(v)


def _kl(v):
    p = scipy.special.softmax(v, axis=1)
    return np.array([[scipy.stats.entropy(pi, pj) for pj in p] for pi in p])


def _mi(v):
    rho = np.corrcoef(v)
    out = -0.5 * np.log(1.0 - rho**2 + np.eye(len(v)))
    np.fill_diagonal(out, 0.0)
    return out


# name -> (constructor kwargs (per type), NumPy reference on the vectors-as-rows V, psd, symmetric)
CASES = {
    "linear": (xi.LinearKernelInterdependence, {}, lambda v: v @ v.T, True, True),
    "polynomial": (xi.PolynomialKernelInterdependence, {"c": 0.5, "d": 3},
                   lambda v: (v @ v.T + 0.5) ** 3, True, True),
    "tanh": (xi.HyperbolicTangentKernelInterdependence, {"c": 0.1, "alpha": 0.3},
             lambda v: np.tanh(0.3 * v @ v.T + 0.1), False, True),
    "exponential": (xi.ExponentialKernelInterdependence, {"gamma": 0.2},
                    lambda v: np.exp(-0.2 * _cdist("sqeuclidean")(v)), True, True),
    "gaussian_rbf": (xi.GaussianRBFKernelInterdependence, {"sigma": 1.5},
                     lambda v: np.exp(-_cdist("sqeuclidean")(v) / 4.5), True, True),
    "laplacian": (xi.LaplacianKernelInterdependence, {"sigma": 2.0},
                  lambda v: np.exp(-_cdist("cityblock")(v) / 2.0), True, True),
    "anisotropic_rbf": (xi.AnisotropicRBFKernelInterdependence, "a_vector",
                        None, True, True),
    "cosine": (xi.CosineSimilarityInterdependence, {}, lambda v: 1.0 - _cdist("cosine")(v), True, True),
    "minkowski": (xi.MinkowskiDistanceInterdependence, {"p": 3},
                  lambda v: np.exp(-_cdist("minkowski", p=3)(v)), False, True),
    "manhattan": (xi.ManhattanDistanceInterdependence, {},
                  lambda v: np.exp(-_cdist("cityblock")(v)), True, True),
    "euclidean": (xi.EuclideanDistanceInterdependence, {},
                  lambda v: np.exp(-_cdist("euclidean")(v)), True, True),
    "chebyshev": (xi.ChebyshevDistanceInterdependence, {},
                  lambda v: np.exp(-_cdist("chebyshev")(v)), False, True),
    "canberra": (xi.CanberraDistanceInterdependence, {},
                 lambda v: np.exp(-_cdist("canberra")(v)), False, True),
    "pearson": (xi.PearsonCorrelationInterdependence, {}, _corr, True, True),
    "rv_coefficient": (xi.RVCoefficientInterdependence, {}, lambda v: _corr(v) ** 2, True, True),
    "mutual_information": (xi.MutualInformationInterdependence, {}, _mi, False, True),
    "kl_divergence": (xi.KLDivergenceInterdependence, {}, _kl, False, False),
}


def _make(name, kind):
    cls, kwargs, _, _, _ = CASES[name]
    b, m = X.shape
    if kwargs == "a_vector":
        kwargs = {"a_vector": A_WEIGHTS[kind]}
    return cls(b, m, interdependence_type=kind, **kwargs)


def _reference(name, kind, x):
    v = np.asarray(x, np.float64)
    v = v.T if kind == "attribute" else v
    if name == "anisotropic_rbf":
        return np.exp(-ssd.cdist(v, v, "sqeuclidean", w=np.array(A_WEIGHTS[kind])))
    return CASES[name][2](v)


GRID = [(name, kind) for name in CASES for kind in ("attribute", "instance")]


@pytest.mark.parametrize("name,kind", GRID)
def test_kernel_matches_scipy_and_is_symmetric_and_psd_where_the_math_says_so(name, kind):
    a = jax.jit(_make(name, kind).calculate_A)(None, X)
    d = M if kind == "attribute" else B
    assert a.shape == (d, d) and a.dtype == jnp.float32
    np.testing.assert_allclose(a, _reference(name, kind, X), rtol=2e-4, atol=2e-5)
    _, _, _, psd, symmetric = CASES[name]
    a = np.asarray(a, np.float64)
    if symmetric:
        np.testing.assert_array_equal(a, a.T)
    else:
        assert not np.allclose(a, a.T)
    if psd:
        assert np.linalg.eigvalsh(a).min() >= -1e-5 * max(1.0, np.abs(a).max())


class KernelApplyTest(chex.TestCase):
    @chex.variants(with_jit=True, without_jit=True)
    @parameterized.parameters(("gaussian_rbf",), ("canberra",))
    def test_apply_mixes_with_the_reference_kernel(self, name):
        for kind in ("attribute", "instance"):
            f = _make(name, kind)
            out = self.variant(f.apply)(None, X)
            a = _reference(name, kind, X)
            expected = X @ a if kind == "attribute" else a.T @ X
            np.testing.assert_allclose(out, expected, rtol=2e-4, atol=2e-4)


@pytest.mark.parametrize("name", list(CASES))
def test_kernel_gradients_match_finite_differences(name):
    f = _make(name, "attribute")
    with jax.enable_x64(True):
        x = X.astype(np.float64)
        check_grads(jax.jit(lambda x: f.calculate_A(None, x)), (x,), order=1, modes=("rev",))


def test_euclidean_kernel_reproduces_tinybig_tutorial_output():
    # tinyBIG's interdependence tutorial prints attribute_A for this X.
    x = np.array([[2.0, 7.0, 6.0, 4.0], [6.0, 5.0, 0.0, 4.0]], np.float32)
    f = xi.EuclideanDistanceInterdependence(2, 4)
    a, out = jax.jit(lambda x: (f.calculate_A(None, x), f.apply(None, x)))(x)
    printed = [[1.0, 6.1027e-03, 7.3834e-04, 5.9106e-02],
               [6.1027e-03, 1.0, 6.1027e-03, 4.2329e-02],
               [7.3834e-04, 6.1027e-03, 1.0, 1.1423e-02],
               [5.9106e-02, 4.2329e-02, 1.1423e-02, 1.0]]
    np.testing.assert_allclose(a, printed, rtol=1e-4)
    np.testing.assert_allclose(out, [[2.2836, 7.2181, 6.0899, 4.4831], [6.2669, 5.2059, 0.0806, 4.5663]],
                               atol=1e-4)


def test_minkowski_special_orders_equal_the_named_distances():
    inf = xi.MinkowskiDistanceInterdependence(B, M, p=math.inf).calculate_A(None, X)
    np.testing.assert_allclose(inf, xi.ChebyshevDistanceInterdependence(B, M).calculate_A(None, X))
    assert xi.MinkowskiDistanceInterdependence(B, M, p="inf").p == math.inf
    fro = xi.MinkowskiDistanceInterdependence(B, M, p="fro").calculate_A(None, X)
    np.testing.assert_allclose(fro, xi.EuclideanDistanceInterdependence(B, M).calculate_A(None, X),
                               rtol=1e-5)
    one = xi.MinkowskiDistanceInterdependence(B, M, p=1).calculate_A(None, X)
    np.testing.assert_allclose(one, xi.ManhattanDistanceInterdependence(B, M).calculate_A(None, X))


def test_rv_coefficient_follows_its_formula_not_tinybig_code():
    v = X.T.astype(np.float64)
    ours = np.asarray(xi.RVCoefficientInterdependence(B, M).calculate_A(None, X), np.float64)
    # The documented formula tr(Σxy Σyx)/sqrt(tr(Σx²) tr(Σy²)) for single variables:
    cov = np.cov(v)
    formula = cov**2 / np.sqrt(np.outer(np.diag(cov) ** 2, np.diag(cov) ** 2))
    np.testing.assert_allclose(ours, formula, rtol=1e-4, atol=1e-6)
    # tinyBIG 0.2.1's code: clamp(ρ, 0, 1) off the diagonal, 0 on it.
    tinybig = np.clip(np.corrcoef(v), 0.0, 1.0)
    np.fill_diagonal(tinybig, 0.0)
    assert not np.allclose(ours, tinybig, atol=1e-3)
    np.testing.assert_allclose(np.diag(ours), 1.0, rtol=1e-5)


def test_mutual_information_matches_tinybig_recipe_off_the_diagonal():
    v = X.T.astype(np.float64)
    ours = np.asarray(xi.MutualInformationInterdependence(B, M).calculate_A(None, X), np.float64)
    eps = 1e-10
    for i in range(M):
        assert ours[i, i] == 0.0
        for j in range(i + 1, M):
            joint = np.linalg.det(np.cov(np.stack([v[i], v[j]])))
            expected = 0.5 * np.log(max(np.var(v[i], ddof=1), eps) * max(np.var(v[j], ddof=1), eps)
                                    / max(joint, eps))
            np.testing.assert_allclose(ours[i, j], expected, rtol=1e-4)
            assert ours[j, i] == ours[i, j]


def test_kl_divergence_is_nonnegative_with_zero_diagonal():
    a = np.asarray(xi.KLDivergenceInterdependence(B, M).calculate_A(None, X * 10))
    assert np.all(np.isfinite(a)) and np.all(a >= -1e-6)
    np.testing.assert_array_equal(np.diag(a), 0.0)


@pytest.mark.parametrize("cls", [xi.PearsonCorrelationInterdependence, xi.RVCoefficientInterdependence,
                                 xi.MutualInformationInterdependence])
def test_zero_variance_columns_give_zero_not_nan(cls):
    x = X.copy()
    x[:, 1] = 0.1  # not exactly representable: the centered column is rounding noise
    x[:, 3] = -2.0
    f = cls(B, M)
    a = np.asarray(jax.jit(f.calculate_A)(None, x))
    assert np.all(np.isfinite(a))
    for j in (1, 3):
        np.testing.assert_array_equal(a[j], 0.0)
        np.testing.assert_array_equal(a[:, j], 0.0)
    grad = jax.jit(jax.grad(lambda x: jnp.sum(f.calculate_A(None, x) ** 2)))(x)
    assert np.all(np.isfinite(grad))


def test_zero_norm_vectors_have_zero_cosine_similarity():
    x = X.copy()
    x[:, 2] = 0.0
    f = xi.CosineSimilarityInterdependence(B, M)
    a = np.asarray(f.calculate_A(None, x))
    np.testing.assert_array_equal(a[2], 0.0)
    np.testing.assert_array_equal(a[:, 2], 0.0)
    np.testing.assert_allclose(np.delete(np.diag(a), 2), 1.0, rtol=1e-6)
    assert np.all(np.isfinite(jax.jit(jax.grad(lambda x: jnp.sum(f.calculate_A(None, x))))(x)))


def test_distance_kernel_gradients_are_finite_on_duplicate_vectors():
    x = X.copy()
    x[:, 4] = x[:, 0]
    for cls in (xi.EuclideanDistanceInterdependence, xi.MinkowskiDistanceInterdependence):
        f = cls(B, M, p=3) if cls is xi.MinkowskiDistanceInterdependence else cls(B, M)
        grad = jax.jit(jax.grad(lambda x: jnp.sum(f.calculate_A(None, x))))(x)
        assert np.all(np.isfinite(grad))


def test_custom_hybrid_kernel_is_the_weighted_sum():
    linear, rbf = xi.LinearKernelInterdependence(B, M), xi.GaussianRBFKernelInterdependence(B, M)
    hybrid = xi.CustomHybridKernelInterdependence(B, M, kernels=[linear, rbf], weights=[0.25, 2.0])
    expected = 0.25 * linear.calculate_A(None, X) + 2.0 * rbf.calculate_A(None, X)
    np.testing.assert_allclose(hybrid.calculate_A(None, X), expected, rtol=1e-6)
    equal = xi.CustomHybridKernelInterdependence(B, M, kernels=(linear, rbf))
    assert equal.weights == (0.5, 0.5)
    tinybig_style = xi.CustomHybridKernelInterdependence(B, M, kernels=(lambda v: v.T @ v,), weights=3.0)
    np.testing.assert_allclose(tinybig_style.calculate_A(None, X), 3.0 * X.T @ X, rtol=1e-5)


def test_user_kernels_use_tinybig_orientation():
    f = xi.NumericalKernelBasedInterdependence(B, M, kernel=lambda v: v.T @ v, interdependence_type="row")
    np.testing.assert_allclose(f.calculate_A(None, X), X @ X.T, rtol=1e-5)
    g = jaxbig.make("statistical_kernel_based_interdependence", b=B, m=M, kernel=lambda v: v.T @ v)
    np.testing.assert_allclose(g.calculate_A(None, X), X.T @ X, rtol=1e-5)


def test_preprocess_and_postprocess_functions_are_applied():
    f = xi.LinearKernelInterdependence(B, M, preprocess_functions="relu", postprocess_functions=["softmax"])
    relu = np.maximum(X, 0.0)
    np.testing.assert_allclose(f.calculate_A(None, X), scipy.special.softmax(relu.T @ relu, axis=1),
                               rtol=1e-5, atol=1e-7)
    # apply mixes the raw data with the processed A, as tinyBIG's forward does.
    np.testing.assert_allclose(f.apply(None, X), X @ f.calculate_A(None, X), rtol=1e-5)


def test_bfloat16_inputs_give_bfloat16_kernels():
    a = xi.PearsonCorrelationInterdependence(B, M).calculate_A(None, jnp.asarray(X, jnp.bfloat16))
    assert a.dtype == jnp.bfloat16
    np.testing.assert_allclose(np.asarray(a, np.float32), np.corrcoef(X.T), atol=3e-2)


@pytest.mark.parametrize("make,match", [
    (lambda: xi.GaussianRBFKernelInterdependence(B, M, interdependence_type="diagonal"),
     "GaussianRBFKernelInterdependence: interdependence_type='diagonal' is not one of"),
    (lambda: xi.GaussianRBFKernelInterdependence(B, M, sigma=0.0),
     "GaussianRBFKernelInterdependence: sigma=0.0 must be > 0"),
    (lambda: xi.LaplacianKernelInterdependence(B, M, sigma=-1.0), "LaplacianKernelInterdependence: sigma"),
    (lambda: xi.PolynomialKernelInterdependence(B, M, d=-1), "PolynomialKernelInterdependence: d=-1"),
    (lambda: xi.MinkowskiDistanceInterdependence(B, M), "MinkowskiDistanceInterdependence: p, the order"),
    (lambda: xi.MinkowskiDistanceInterdependence(B, M, p="nuc"), "MinkowskiDistanceInterdependence: p='nuc'"),
    (lambda: xi.AnisotropicRBFKernelInterdependence(B, M, a_vector=(1.0, 2.0)),
     "AnisotropicRBFKernelInterdependence: a_vector must have 6 entries"),
    (lambda: xi.AnisotropicRBFKernelInterdependence(B, M, a_scalar=-1.0), "a_scalar=-1.0 must be >= 0"),
    (lambda: xi.CustomHybridKernelInterdependence(B, M, kernels=()), "kernels must hold at least one"),
    (lambda: xi.CustomHybridKernelInterdependence(B, M, kernels=(xi.LinearKernelInterdependence(B, 4),)),
     r"kernel LinearKernelInterdependence has \(b, m, type\)"),
    (lambda: xi.CustomHybridKernelInterdependence(
        B, M, kernels=(xi.LinearKernelInterdependence(B, M),), weights=(1.0, 2.0)), "weights must have 1"),
    (lambda: xi.NumericalKernelBasedInterdependence(B, M, kernel=None), "kernel, a callable"),
])
def test_bad_hyperparameters_raise_naming_the_function(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_bad_data_shapes_raise_naming_the_function():
    with pytest.raises(ValueError, match=r"PearsonCorrelationInterdependence: x must have shape \(b, 5\)"):
        xi.PearsonCorrelationInterdependence(B, M).calculate_A(None, X[:, :4])
    with pytest.raises(ValueError, match=r"CosineSimilarityInterdependence: x must have shape \(6, m\)"):
        xi.CosineSimilarityInterdependence(B, M, interdependence_type="left").apply(None, X[:4])
    with pytest.raises(ValueError, match="LinearKernelInterdependence: calculate_A needs the data"):
        xi.LinearKernelInterdependence(B, M).calculate_A(None)
    with pytest.raises(ValueError, match=r"takes no parameters \(l = 0\)"):
        xi.LinearKernelInterdependence(B, M).apply(np.ones(3), X)
    with pytest.raises(ValueError, match="a_vector has 6 weights but the vectors have 4 entries"):
        xi.AnisotropicRBFKernelInterdependence(B, M, a_vector=A_WEIGHTS["attribute"]).calculate_A(None, X[:4])


def test_kernels_are_hashable_and_jit_static():
    f = xi.MinkowskiDistanceInterdependence(B, M, p=3)
    assert f == xi.MinkowskiDistanceInterdependence(B, M, p=3.0) and hash(f) == hash(
        xi.MinkowskiDistanceInterdependence(B, M, p=3.0))
    apply = jax.jit(lambda f, x: f.apply(None, x), static_argnums=0)
    np.testing.assert_allclose(apply(f, X), f.apply(None, X), rtol=1e-6)
