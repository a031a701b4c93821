"""Named metrics φ: reductions over the last axis, shared by metric and geometric compression.

Each metric maps ``(..., k)`` to ``(...)``. Statistics are accumulated in at least
float32 and returned in the input's dtype. The behaviour at ties, zeros, negative
inputs and singular points is part of the contract (documented in
:class:`jaxbig.compression.MetricCompression` and tested):

* ``max``/``min``/``linf_norm``: ties share the gradient equally (``jnp.max``'s rule).
* ``median``: the lower median ``sort(x)[(k-1)//2]`` as ``torch.median``; its gradient is
  one-hot at the element that a stable sort puts there.
* ``std``/``var``: unbiased (ddof = 1, ``torch.std``/``torch.var``'s default), so ``k >= 2``.
  ``std``'s gradient at a constant row is 0 (a subgradient; ``sqrt`` is singular there).
* ``l2_norm``: gradient ``x/‖x‖``, and 0 at ``x = 0``.
* ``geometric_mean``: ``exp(mean(log x))`` for positive rows; 0 when a row has a 0 and
  no negative entry (gradient 0 there, where the exact partial derivative in the zero
  entry is +∞ for k > 1); NaN when a row has a negative entry.
* ``harmonic_mean``: ``k / Σ 1/x``; 0 when a row has a zero entry, with the exact
  one-sided derivative (k in a lone zero entry, 0 elsewhere).
* ``entropy``: ``-Σ x log x`` of the raw values (no normalisation), ``0·log 0 = 0``;
  a negative entry makes it -inf; the derivative ``-log x - 1`` is +inf at ``x = 0``.
* ``skewness``/``kurtosis``: tinyBIG's ``mean((x-μ)³)/(σ³ + 1e-12)`` with the biased σ,
  and the excess kurtosis ``mean((x-μ)⁴)/(σ⁴ + 1e-12) - 3``; a constant row gives 0 and
  -3 with zero gradient.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp

from jaxbig.base import _owner_name
from jaxbig.compression._common import compute_dtype

_MOMENT_EPS = 1e-12  # tinyBIG's guard in batch_skewness


def _mean(x: jax.Array) -> jax.Array:
    return jnp.mean(x, axis=-1)


def _central(x: jax.Array) -> jax.Array:
    return x - jnp.mean(x, axis=-1, keepdims=True)


def _var(x: jax.Array) -> jax.Array:
    k = x.shape[-1]
    return jnp.sum(jnp.square(_central(x)), axis=-1) / (k - 1)


def _safe_sqrt(s: jax.Array) -> jax.Array:
    """``sqrt(s)`` with gradient 0 (not inf/NaN) at ``s = 0``."""
    positive = s > 0
    return jnp.where(positive, jnp.sqrt(jnp.where(positive, s, 1)), 0)


def _median(x: jax.Array) -> jax.Array:
    return jnp.sort(x, axis=-1)[..., (x.shape[-1] - 1) // 2]


def _geometric_mean(x: jax.Array) -> jax.Array:
    positive = jnp.all(x > 0, axis=-1)
    safe = jnp.where(positive[..., None], x, 1)
    value = jnp.exp(jnp.mean(jnp.log(safe), axis=-1))
    degenerate = jnp.where(jnp.any(x < 0, axis=-1), jnp.nan, 0).astype(x.dtype)
    return jnp.where(positive, value, degenerate)


@jax.custom_jvp
def _harmonic_mean(x: jax.Array) -> jax.Array:
    zero = jnp.any(x == 0, axis=-1)
    safe = jnp.where(x == 0, 1, x)
    return jnp.where(zero, 0, x.shape[-1] / jnp.sum(1 / safe, axis=-1))


@_harmonic_mean.defjvp
def _harmonic_mean_jvp(primals: tuple[jax.Array], tangents: tuple[jax.Array]) -> Any:
    (x,), (t,) = primals, tangents
    k = x.shape[-1]
    h = _harmonic_mean(x)
    is_zero = x == 0
    lone_zero = (jnp.sum(is_zero, axis=-1) == 1)[..., None]
    # r_i = h / x_i: the limit k for a lone zero, 0 for a zero among several.
    ratio = jnp.where(is_zero, jnp.where(lone_zero, k, 0), h[..., None] / jnp.where(is_zero, 1, x))
    return h, jnp.sum(jnp.square(ratio) / k * t, axis=-1)


def _entropy(x: jax.Array) -> jax.Array:
    return jnp.sum(jax.scipy.special.entr(x), axis=-1)


def _standardised_moment(x: jax.Array, order: int) -> jax.Array:
    c = _central(x)
    biased_var = jnp.mean(jnp.square(c), axis=-1)
    return jnp.mean(c**order, axis=-1) / (biased_var ** (order / 2) + _MOMENT_EPS)


@dataclasses.dataclass(frozen=True)
class _Metric:
    reduce: Callable[[jax.Array], jax.Array]
    min_width: int = 1
    why: str = ""


METRICS: dict[str, _Metric] = {
    "max": _Metric(lambda x: jnp.max(x, axis=-1)),
    "min": _Metric(lambda x: jnp.min(x, axis=-1)),
    "sum": _Metric(lambda x: jnp.sum(x, axis=-1)),
    "mean": _Metric(_mean),
    "prod": _Metric(lambda x: jnp.prod(x, axis=-1)),
    "median": _Metric(_median),
    "std": _Metric(lambda x: _safe_sqrt(_var(x)), 2, "unbiased, ddof=1"),
    "var": _Metric(_var, 2, "unbiased, ddof=1"),
    "l1_norm": _Metric(lambda x: jnp.sum(jnp.abs(x), axis=-1)),
    "l2_norm": _Metric(lambda x: _safe_sqrt(jnp.sum(jnp.square(x), axis=-1))),
    "linf_norm": _Metric(lambda x: jnp.max(jnp.abs(x), axis=-1)),
    "geometric_mean": _Metric(_geometric_mean),
    "harmonic_mean": _Metric(_harmonic_mean),
    "entropy": _Metric(_entropy),
    "skewness": _Metric(lambda x: _standardised_moment(x, 3)),
    "kurtosis": _Metric(lambda x: _standardised_moment(x, 4) - 3),
}

# tinyBIG's and common spellings.
_SYNONYMS = {
    "variance": "var",
    "standard_deviation": "std",
    "gmean": "geometric_mean",
    "hmean": "harmonic_mean",
    "skew": "skewness",
    "product": "prod",
    "norm": "l2_norm",
}


def resolve_metric(owner: Any, metric: Any) -> str | Callable[..., Any]:
    """A metric's canonical name, or the (hashable) callable itself.

    Names may carry tinyBIG's ``batch_`` prefix or a dotted path
    (``"tinybig.koala.linear_algebra.batch_max"`` is ``"max"``).

    Raises:
      ValueError: naming ``owner`` for an unknown name (with close matches) or an
        unhashable or non-callable object.
    """
    if isinstance(metric, str):
        key = metric.rsplit(".", 1)[-1].lower()
        key = key[len("batch_"):] if key.startswith("batch_") else key
        key = _SYNONYMS.get(key, key)
        if key in METRICS:
            return key
        close = difflib.get_close_matches(key, list(METRICS) + list(_SYNONYMS), n=3, cutoff=0.6)
        hint = f"; close matches: {', '.join(close)}" if close else ""
        raise ValueError(
            f"{_owner_name(owner)}: metric={metric!r} is not a known metric{hint} "
            f"(known: {', '.join(METRICS)}; or pass a callable)"
        )
    if not callable(metric):
        raise ValueError(f"{_owner_name(owner)}: metric must be a name or a callable, got {metric!r}")
    try:
        hash(metric)
    except TypeError:
        raise ValueError(f"{_owner_name(owner)}: metric {metric!r} must be hashable") from None
    return metric


def check_metric_width(owner: Any, metric: str, k: int, axis_name: str) -> None:
    """Raises a ValueError if the named metric is undefined for ``k`` values."""
    spec = METRICS[metric]
    if k < spec.min_width:
        raise ValueError(
            f"{_owner_name(owner)}: metric={metric!r} ({spec.why}) needs {axis_name} >= "
            f"{spec.min_width}, got {axis_name}={k}"
        )


def reduce_named(metric: str, x: jax.Array) -> jax.Array:
    """Applies a named metric over the last axis: ``(..., k)`` → ``(...)``, in ``x``'s dtype."""
    return METRICS[metric].reduce(x.astype(compute_dtype(x.dtype))).astype(x.dtype)
