"""Independent NumPy routes for the reconciliation tests, and one shared compile per function.

``numpy_formula`` computes ψ(w) from each member's documented formula in float64
NumPy (Kronecker products assembled block by block), never through jaxbig's code.
"""

import functools
import math

import jax
import numpy as np

from jaxbig import reconciliation as rec


def kron_blocks(a, b):
    """A ⊗ B assembled block by block: block (i, j) is a[i, j] · b."""
    (p, q), (s, t) = a.shape, b.shape
    out = np.zeros((p * s, q * t), np.float64)
    for i in range(p):
        for j in range(q):
            out[i * s : (i + 1) * s, j * t : (j + 1) * t] = a[i, j] * b
    return out


def take(w, *shapes):
    """Consecutive row-major blocks of the flat w (which they must use up)."""
    out, start = [], 0
    for shape in shapes:
        size = math.prod(shape)
        out.append(w[start : start + size].reshape(shape))
        start += size
    assert start == w.size
    return out


def close_factor(n):
    """The largest divisor of n not above √n (tinyBIG's find_close_factors)."""
    return max(i for i in range(1, math.isqrt(n) + 1) if n % i == 0)


def _normals(key_data, *shapes):
    """The fixed random matrices, by the convention documented in FixedRandomParams."""
    total = sum(math.prod(s) for s in shapes)
    flat = np.asarray(jax.random.normal(jax.random.wrap_key_data(key_data), (total,)), np.float64)
    return take(flat, *shapes)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def numpy_formula(f, params, n, D):
    """ψ(w) from the documented formula, in float64 NumPy."""
    w = np.asarray(params[0] if isinstance(params, tuple) else params, np.float64)
    if isinstance(f, rec.ZeroReconciliation):
        return np.zeros((n, D))
    if isinstance(f, rec.OneReconciliation):
        return np.ones((n, D))
    if isinstance(f, rec.ConstantReconciliation):
        return np.full((n, D), f.c)
    if isinstance(f, rec.ConstantEyeReconciliation):
        return np.eye(n, D)
    if isinstance(f, rec.IdentityReconciliation):
        return w.reshape(n, D)
    if isinstance(f, rec.MaskingReconciliation):
        return np.asarray(params.mask) * w.reshape(n, D)
    if isinstance(f, rec.LowRankReconciliation):
        a, b = take(w, (n, f.r), (f.r, D))
        return a @ b
    if isinstance(f, (rec.DuplicatedPadding, rec.DuplicatedDiagonalPadding)):
        (W,) = take(w, (n // f.p, D // f.q))
        const = np.ones((f.p, f.q)) if isinstance(f, rec.DuplicatedPadding) else np.eye(f.p, f.q)
        return kron_blocks(const, W)
    if isinstance(f, (rec.HMReconciliation, rec.LPHMReconciliation, rec.DualLPHMReconciliation)):
        p = f.p or close_factor(n)
        q = f.q or close_factor(D)
        s, t = n // p, D // q
        if isinstance(f, rec.HMReconciliation):
            a, b = take(w, (p, q), (s, t))
            return kron_blocks(a, b)
        if isinstance(f, rec.LPHMReconciliation):
            a, S, T = take(w, (p, q), (s, f.r), (f.r, t))
            return kron_blocks(a, S @ T)
        P, Q, S, T = take(w, (p, f.r), (f.r, q), (s, f.r), (f.r, t))
        return kron_blocks(P @ Q, S @ T)
    if isinstance(f, rec.RandomMatrixAdaptionReconciliation):
        lam1, lam2 = take(w, (n,), (f.r,))
        a, b = _normals(params.key_data, (n, f.r), (D, f.r))
        return np.diag(lam1) @ a @ np.diag(lam2) @ b.T
    if isinstance(f, rec.RandomMatrixHypernetReconciliation):
        P, Q, S, T = _normals(
            params.key_data, (f.l, f.r), (f.hidden_dim, f.r), (f.hidden_dim, f.r), (n * D, f.r)
        )
        return (_sigmoid(w @ P @ Q.T) @ S @ T.T).reshape(n, D)
    if isinstance(f, rec.HypernetReconciliation):
        shapes = ((f.hidden_dim, f.l), (f.hidden_dim,), (n * D, f.hidden_dim), (n * D,))
        if isinstance(params, rec.HypernetParams):
            w1, b1, w2, b2 = (np.asarray(a, np.float64) for a in params[1:])
        else:
            w1, b1, w2, b2 = _normals(params.key_data, *shapes)
        return (w2 @ _sigmoid(w1 @ w + b1) + b2).reshape(n, D)
    raise AssertionError(f"no NumPy formula for {type(f).__name__}")


@functools.lru_cache(maxsize=None)
def compiled(f):
    """``(params, x, n, D) -> (apply, product)`` of f under one ``jax.jit``, cached per f.

    Every eager op or jit is an XLA compile, and compiles dominate the runtime of
    these tests; sharing one compiled function per member keeps them fast.
    """
    return jax.jit(lambda p, x, n, D: (f.apply(p, n, D), f.product(p, x, n, D)), static_argnums=(2, 3))
