"""Probabilistic compression: sampling law, densities against SciPy, layouts, keys, errors."""

import itertools

import chex
import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.stats

import jaxbig
from jaxbig import compression

RNG = np.random.default_rng(2)
X = RNG.normal(size=(3, 5)).astype(np.float32)


def _squash(x):
    return 0.99 / (1 + np.exp(-x.astype(np.float64))) + 0.001


def _inclusion_without_replacement(w, k):
    """P(position i is among k sequential draws without replacement ∝ w), by enumeration."""
    p = np.zeros(len(w))
    for order in itertools.permutations(range(len(w)), k):
        prob, left = 1.0, w.sum()
        for i in order:
            prob *= w[i] / left
            left -= w[i]
        p[list(order)] += prob
    return p


def test_sampling_law_equals_sequential_multinomial():
    x = np.array([[-2.0, -0.5, 0.3, 1.5]], np.float32)
    f = compression.NaiveNormalProbabilisticCompression(2, mean=0.5, std=0.2)
    g = compression.NaiveNormalProbabilisticCompression(3, mean=0.5, std=0.2, with_replacement=True)
    w = scipy.stats.norm.pdf(_squash(x[0]), 0.5, 0.2)
    keys = jax.random.split(jax.random.key(0), 4000)

    @jax.jit
    def draws(keys):
        one = lambda fn: jax.vmap(lambda k: fn.apply(None, x, key=k)[0])(keys)
        return one(f), one(g)

    kept, repeated = draws(keys)
    hits = (np.asarray(kept)[:, :, None] == x[0]).sum(axis=(0, 1)) / len(keys)
    np.testing.assert_allclose(hits, _inclusion_without_replacement(w, 2), atol=0.04)
    assert np.all(np.diff(np.searchsorted(x[0], np.asarray(kept)), axis=1) > 0)  # increasing
    counts = (np.asarray(repeated)[:, :, None] == x[0]).sum(axis=(0, 1)) / len(keys)
    np.testing.assert_allclose(counts, 3 * w / w.sum(), atol=0.06)
    assert np.all(np.diff(np.searchsorted(x[0], np.asarray(repeated)), axis=1) >= 0)


SCIPY = {  # jaxbig name -> (kwargs, SciPy log-density with torch's parameterisation)
    "NaiveNormalProbabilisticCompression": (dict(mean=0.3, std=0.5),
                                            lambda z: scipy.stats.norm.logpdf(z, 0.3, 0.5)),
    "NaiveCauchyProbabilisticCompression": (dict(loc=0.2, scale=2.0),
                                            lambda z: scipy.stats.cauchy.logpdf(z, 0.2, 2.0)),
    "NaiveLaplaceProbabilisticCompression": (dict(loc=0.1, scale=0.5),
                                             lambda z: scipy.stats.laplace.logpdf(z, 0.1, 0.5)),
    "NaiveChi2ProbabilisticCompression": (dict(df=3.0), lambda z: scipy.stats.chi2.logpdf(z, 3.0)),
    "NaiveExponentialProbabilisticCompression": (
        dict(rate=0.5), lambda z: scipy.stats.expon.logpdf(z, scale=2.0)),
    "NaiveGammaProbabilisticCompression": (
        dict(concentration=2.0, rate=3.0), lambda z: scipy.stats.gamma.logpdf(z, 2.0, scale=1 / 3)),
    "NaiveUniformProbabilisticCompression": (dict(low=0.0, high=2.0),
                                             lambda z: scipy.stats.uniform.logpdf(z, 0.0, 2.0)),
}


def test_log_densities_equal_scipy():
    # k = m keeps every position, so log_prob returns log p of the whole squashed row.
    fns = {name: jaxbig.make(name, k=5, simply_sampling=False, log_prob=True, **kwargs)
           for name, (kwargs, _) in SCIPY.items()}
    out = jax.jit(lambda x: {n: f.apply(None, x, key=jax.random.key(0)) for n, f in fns.items()})(X)
    for name, (_, logpdf) in SCIPY.items():
        np.testing.assert_allclose(out[name], logpdf(_squash(X)), rtol=2e-5, atol=1e-5, err_msg=name)


class NaiveVariantsTest(chex.TestCase):
    @chex.variants(with_jit=True, without_jit=True)
    def test_sampled_entries_are_increasing_positions_of_the_row(self):
        f = compression.NaiveLaplaceProbabilisticCompression(3)
        params = f.init(jax.random.key(3), 5)
        out = np.asarray(self.variant(f.apply)(params, X))
        assert out.shape == (3, f.calculate_D(5))
        for row, x in zip(out, X):
            positions = [int(np.flatnonzero(x == v)[0]) for v in row]
            assert positions == sorted(set(positions))


def test_params_fix_the_draw_and_key_overrides_it():
    f = compression.NaiveProbabilisticCompression(2)
    params = f.init(jax.random.key(5), 5)
    assert params.dtype == jnp.uint32 and not jaxbig.base.is_trainable_leaf(params)
    apply = jax.jit(f.apply)
    np.testing.assert_array_equal(apply(params, X), apply(params, X))
    fresh = [np.asarray(apply(params, X, key=jax.random.key(i))) for i in range(8)]
    assert len({a.tobytes() for a in fresh}) > 1
    np.testing.assert_array_equal(apply(params, X), apply(None, X, key=jax.random.key(5)))


def test_gradient_flows_to_the_sampled_entries():
    f = compression.NaiveCauchyProbabilisticCompression(2)
    g = compression.NaiveGammaProbabilisticCompression(
        5, concentration=2.0, rate=3.0, simply_sampling=False, log_prob=True)
    params = f.init(jax.random.key(1), 5)

    @jax.jit
    def values_and_grads(x):
        total = lambda fn, p: lambda v: fn.apply(p, v, key=jax.random.key(0)).sum()
        return (f.apply(params, x), jax.grad(lambda v: f.apply(params, v).sum())(x),
                jax.grad(total(g, None))(x))

    out, grad, log_grad = values_and_grads(X)
    chosen = (X[:, :, None] == np.asarray(out)[:, None, :]).any(axis=2)
    np.testing.assert_array_equal(grad, chosen.astype(np.float32))
    # d/dx log Gamma(z; 2, rate 3) at z = 0.99 σ(x) + 0.001: (1/z - 3) · 0.99 σ(1 - σ).
    s = 1 / (1 + np.exp(-X.astype(np.float64)))
    z = 0.99 * s + 0.001
    np.testing.assert_allclose(log_grad, (1 / z - 3) * 0.99 * s * (1 - s), rtol=1e-4, atol=1e-6)


def test_combinatorial_keeps_every_combination_when_k_is_their_number():
    x = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]], np.float32)
    f = compression.CombinatorialCompression(d=2, k=3)
    g = compression.CombinatorialProbabilisticCompression(d=2, k=3)
    raw, logp = jax.jit(lambda v: (f.apply(None, v, key=jax.random.key(0)),
                                   g.apply(None, v, key=jax.random.key(0))))(x)
    pairs = [(0, 1), (0, 2), (1, 2)]  # torch.combinations order
    expected = np.array([[[r[j], r[a], r[b]] for j, (a, b) in enumerate(pairs)] for r in x])
    assert raw.shape == (2, f.calculate_D(3)) == (2, 9)
    np.testing.assert_array_equal(raw, expected.reshape(2, 9))
    z = _squash(x)
    singles = scipy.stats.norm.logpdf(z)
    doubles = np.stack([scipy.stats.multivariate_normal(np.zeros(2)).logpdf(z[:, list(p)])
                        for p in pairs], axis=1)
    assert logp.shape == (2, g.calculate_D(3)) == (2, 6)
    np.testing.assert_allclose(logp, np.concatenate([singles, doubles], 1), rtol=1e-5)


def test_combinatorial_with_replacement_and_bfloat16():
    f = compression.CombinatorialCompression(d=2, k=2, with_replacement=True)
    out = jax.jit(f.apply)(f.init(jax.random.key(0), 2), X[:, :2].astype(jnp.bfloat16))
    assert out.shape == (3, f.calculate_D(2)) == (3, 6) and out.dtype == jnp.bfloat16
    values = set(np.asarray(X[:, :2].astype(jnp.bfloat16), np.float32).ravel().tolist())
    assert set(np.asarray(out, np.float32).ravel().tolist()) <= values


def test_errors_name_the_function_and_values():
    with pytest.raises(ValueError, match=r"NaiveProbabilisticCompression: k=6 must be <= m=5"):
        compression.NaiveProbabilisticCompression(6).apply(None, X, key=jax.random.key(0))
    with pytest.raises(ValueError, match=r"apply needs params from init\(key, m\) or key="):
        compression.NaiveProbabilisticCompression(2).apply(None, X)
    with pytest.raises(ValueError, match=r"NaiveNormalProbabilisticCompression: std=0.0 must be > 0.0"):
        compression.NaiveNormalProbabilisticCompression(2, std=0.0)
    with pytest.raises(ValueError, match=r"NaiveUniformProbabilisticCompression: low=1.0 must be < high=1.0"):
        compression.NaiveUniformProbabilisticCompression(2, low=1.0)
    with pytest.raises(ValueError, match=r"NaiveChi2ProbabilisticCompression: require_normalization must be True"):
        jaxbig.make("naive_chi2_probabilistic_compression", k=2, require_normalization=False)
    with pytest.raises(ValueError, match=r"CombinatorialCompression: k=3 exceeds the 1 combinations"):
        compression.CombinatorialCompression(d=3, k=3).calculate_D(3)
    with pytest.raises(ValueError, match=r"simply_sampling=False needs log_prob=True"):
        compression.CombinatorialCompression(simply_sampling=False)
    with pytest.raises(ValueError, match=r"NaiveProbabilisticCompression: x must be 2-D"):
        compression.NaiveProbabilisticCompression(2).apply(None, X[0], key=jax.random.key(0))
    assert compression.NaiveProbabilisticCompression(2, simply_sampling=True, log_prob=True).log_prob is False
