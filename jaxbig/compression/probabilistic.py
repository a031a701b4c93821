"""Probabilistic compression: keep k entries of each instance, sampled by a density.

tinyBIG squashes each instance into ``(0.001, 0.991)``, weighs its entries by a
distribution's density there, and samples ``k`` entry positions
(``torch.multinomial``, without replacement by default), kept in increasing order.
Sampling without replacement is done here with the Gumbel-top-k trick, which draws
exactly the distribution of sequential sampling without replacement.

Randomness follows JAX's explicit-key style: ``init(key, m)`` stores the key (as
integer key data, a buffer that training leaves alone) and ``apply`` uses it, so a
call is reproducible; pass ``key=`` to ``apply`` to draw fresh positions on every
step, as tinyBIG does on every forward call.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxbig.base import Transformation, _owner_name, check_bool, check_float, check_int, check_matrix
from jaxbig.ops.functions import FunctionSpec, apply_functions, resolve_functions
from jaxbig.registry import register

__all__ = [
    "CombinatorialCompression",
    "CombinatorialProbabilisticCompression",
    "NaiveCauchyProbabilisticCompression",
    "NaiveChi2ProbabilisticCompression",
    "NaiveExponentialProbabilisticCompression",
    "NaiveGammaProbabilisticCompression",
    "NaiveLaplaceProbabilisticCompression",
    "NaiveNormalProbabilisticCompression",
    "NaiveProbabilisticCompression",
    "NaiveUniformProbabilisticCompression",
]


def _normalise(z: jax.Array) -> jax.Array:
    """tinyBIG's squashing into (0.001, 0.991): ``0.99·sigmoid(z) + 0.001``."""
    return 0.99 * jax.nn.sigmoid(z) + 0.001


def _resolve_key(owner: Any, params: Any, key: jax.Array | None) -> jax.Array:
    if key is None:
        if params is None:
            raise ValueError(
                f"{_owner_name(owner)}: apply needs params from init(key, m) or key=..."
            )
        key = params
    key = jnp.asarray(key) if not isinstance(key, jax.Array) else key
    if jnp.issubdtype(key.dtype, jax.dtypes.prng_key):
        return key
    return jax.random.wrap_key_data(key)


def _key_data(key: jax.Array) -> jax.Array:
    return jax.random.key_data(key) if jnp.issubdtype(key.dtype, jax.dtypes.prng_key) else key


def _sample_positions(key: jax.Array, logits: jax.Array, k: int, with_replacement: bool) -> jax.Array:
    """``k`` positions per row drawn ∝ ``exp(logits)``, sorted: ``(b, n)`` → ``(b, k)`` int32.

    Without replacement this is the Gumbel-top-k trick: the top ``k`` of
    ``logits + Gumbel noise`` are distributed as ``k`` sequential draws without
    replacement (``torch.multinomial(..., replacement=False)``).
    """
    if with_replacement:
        draws = jax.random.categorical(key, logits, axis=-1, shape=(k, logits.shape[0]))
        return jnp.sort(draws.T, axis=-1)
    noisy = logits + jax.random.gumbel(key, logits.shape, logits.dtype)
    return jnp.sort(jax.lax.top_k(noisy, k)[1], axis=-1)


@functools.partial(jax.jit, static_argnums=0)
def _compiled_sample(function: Any, x: jax.Array, rng: jax.Array) -> jax.Array:
    """One compiled sampler per (function, shape): eager calls do not run op by op."""
    return function._sample(x, rng)


def _uniform_01(z: jax.Array) -> jax.Array:
    return jax.scipy.stats.uniform.logpdf(z, 0.0, 1.0)


class _SamplingOptions:
    """Validation of the options shared by the naive and combinatorial compressions."""

    def _validate_options(self) -> None:
        for name in ("simply_sampling", "with_replacement", "require_normalization", "log_prob"):
            object.__setattr__(self, name, check_bool(self, name, getattr(self, name)))
        object.__setattr__(self, "metric", resolve_functions(self, "metric", self.metric))
        if self.simply_sampling:  # tinyBIG: sampled raw values carry no log-probability
            object.__setattr__(self, "log_prob", False)

    def init(self, key: jax.Array, m: int, *, dtype: Any = jnp.float32) -> jax.Array:
        """The sampling key, stored as integer key data (a buffer, never trained).

        Args:
          key: a PRNG key (typed or raw).
          m: the input width.
          dtype: unused (the parameters are integer).

        Returns:
          ``jax.random.key_data(key)``: uint32 key data.
        """
        del dtype
        self.calculate_D(m)
        return _key_data(key)


@register(
    family="compression",
    tinybig="naive_probabilistic_compression",
    formula="κ(x) = x[sort(S)], S ~ k draws ∝ p(0.99·σ(φ(x)) + 0.001), D = k",
)
@dataclasses.dataclass(frozen=True)
class NaiveProbabilisticCompression(_SamplingOptions, Transformation):
    """Naive probabilistic compression: k entries sampled by their density.

    ``κ(x) = x[sort(S)], S ~ k draws ∝ p(0.99·σ(φ(x)) + 0.001), D = k``: each row
    ``x`` is mapped by ``metric`` φ (identity by default), squashed into
    ``(0.001, 0.991)`` by ``0.99·σ(·) + 0.001`` (if ``require_normalization``),
    and its positions are drawn with probability proportional to the density ``p``
    (``distribution_function``) at the squashed values. The ``k`` positions are
    kept in increasing order; ``κ`` returns the raw entries there
    (``simply_sampling``), or the squashed ones, or their log-density ``log p``
    (``log_prob``; only when not ``simply_sampling``, as tinyBIG).

    Positions whose density is 0 are never drawn; a row with fewer than ``k``
    positive-density entries (without replacement) returns some zero-weight
    positions (tinyBIG's ``torch.multinomial`` raises instead).

    Args:
      k: the number of kept entries, ``0 <= k <= m``.
      distribution_function: the log-density ``log p``, a callable applied
        elementwise (e.g. ``jax.scipy.stats.norm.logpdf``); ``None`` is
        Uniform(0, 1), as tinyBIG's default.
      simply_sampling: return the raw sampled entries (forces ``log_prob=False``).
      metric: φ, applied to ``x`` before squashing: a callable or an activation name
        (see :func:`jaxbig.ops.resolve_functions`), or ``None``.
      with_replacement: sample with replacement.
      require_normalization: squash with ``0.99·σ(·) + 0.001`` before weighing.
      log_prob: return ``log p`` of the sampled squashed values.

    Raises:
      ValueError: for ``k`` outside ``[0, m]``, non-bool flags, an unknown metric
        name, or ``apply`` without a key.

    References:
      tinyBIG ``naive_probabilistic_compression``
      (``tinybig/compression/probabilistic_compression.py``); Zhang, J. "RPN",
      arXiv:2407.04819, 2024; Kool, W. et al. "Stochastic Beams and Where to Find
      Them: The Gumbel-Top-k Trick", ICML 2019.

    >>> import jax, jax.numpy as jnp
    >>> f = NaiveProbabilisticCompression(2)
    >>> params = f.init(jax.random.key(0), 5)
    >>> f.apply(params, jnp.arange(10.0).reshape(2, 5)).shape
    (2, 2)
    """

    k: int
    _: dataclasses.KW_ONLY
    distribution_function: Callable[[jax.Array], jax.Array] | None = None
    simply_sampling: bool = True
    metric: FunctionSpec = None
    with_replacement: bool = False
    require_normalization: bool = True
    log_prob: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "k", check_int(self, "k", self.k, minimum=0))
        self._validate_options()
        if self.distribution_function is not None:
            if not callable(self.distribution_function):
                raise ValueError(
                    f"{type(self).__name__}: distribution_function must be a log-density "
                    f"callable, got {self.distribution_function!r}"
                )
            hash(self.distribution_function)

    def _log_density(self, z: jax.Array) -> jax.Array:
        if self.distribution_function is None:
            return _uniform_01(z)
        return self.distribution_function(z)

    def calculate_D(self, m: int) -> int:
        """``D = k``.

        Raises:
          ValueError: if ``k > m``.
        """
        m = check_int(self, "m", m, minimum=1)
        if self.k > m:
            raise ValueError(f"{type(self).__name__}: k={self.k} must be <= m={m}")
        return self.k

    def apply(
        self, params: Any, x: jax.typing.ArrayLike, *, key: jax.Array | None = None
    ) -> jax.Array:
        """Samples ``k`` entries of every row.

        Args:
          params: the key data from :meth:`init` (used when ``key`` is None).
          x: ``(b, m)``.
          key: a fresh PRNG key for this call; overrides ``params``.

        Returns:
          ``(b, k)`` in ``x``'s dtype: raw entries, squashed values or log-densities.

        Raises:
          ValueError: if ``x`` is not 2-D, ``k > m``, or there is no key.
        """
        x = check_matrix(self, x, floating=True)
        self.calculate_D(x.shape[1])
        return _compiled_sample(self, x, _resolve_key(self, params, key))

    def _sample(self, x: jax.Array, rng: jax.Array) -> jax.Array:
        z = apply_functions(self.metric, x)
        if self.require_normalization:
            z = _normalise(z)
        logits = self._log_density(z).astype(jnp.promote_types(x.dtype, jnp.float32))
        positions = _sample_positions(rng, logits, self.k, self.with_replacement)
        out = jnp.take_along_axis(x if self.simply_sampling else z, positions, axis=1)
        if self.log_prob:
            out = self._log_density(out)
        return out.astype(x.dtype)


def _distribution(
    name: str,
    tinybig: str,
    parameters: dict[str, float],
    log_density: Callable[..., Any],
    constraints: dict[str, str],
    description: str,
    forced_normalization: bool,
) -> type:
    """Builds and registers a naive compression with a fixed, parameterised density."""
    fields = [(p, float, dataclasses.field(default=v, kw_only=True)) for p, v in parameters.items()]
    fields.append(("distribution_function", Any,
                   dataclasses.field(default=None, init=False, repr=False)))

    def __post_init__(self: Any) -> None:
        NaiveProbabilisticCompression.__post_init__(self)
        for p in parameters:
            positive = constraints.get(p) == "positive"
            object.__setattr__(self, p, check_float(self, p, getattr(self, p),
                                                    minimum=0.0 if positive else None,
                                                    strict_minimum=positive))
        if "low" in parameters and not self.low < self.high:
            raise ValueError(f"{name}: low={self.low} must be < high={self.high}")
        if forced_normalization and self.require_normalization is not True:
            raise ValueError(
                f"{name}: require_normalization must be True (tinyBIG always squashes "
                f"the input for this distribution), got {self.require_normalization!r}"
            )

    def _log_density(self: Any, z: jax.Array) -> jax.Array:
        return log_density(z, *(getattr(self, p) for p in parameters))

    formula = f"κ(x) = x[sort(S)], S ~ k draws ∝ {description}(0.99·σ(x) + 0.001), D = k"
    args = "\n".join(f"      {p}: the {p} of the distribution (default {v})."
                     for p, v in parameters.items())
    forced = (" tinyBIG always normalises for this distribution, so "
              "``require_normalization`` must be True." if forced_normalization else "")
    doc = f"""Naive probabilistic compression weighted by a {description} density.

    ``{formula}``: as :class:`NaiveProbabilisticCompression` with
    ``log p = {log_density.__name__}``.{forced}

    Args:
      k: the number of kept entries, ``0 <= k <= m``; the sampling options are
        those of :class:`NaiveProbabilisticCompression` (keyword-only).
{args}

    Raises:
      ValueError: for an invalid distribution parameter or ``k > m``.

    References:
      tinyBIG ``{tinybig}``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax, jax.numpy as jnp
    >>> f = {name}(3)
    >>> f.apply(f.init(jax.random.key(0), 4), jnp.ones((2, 4))).shape
    (2, 3)
    """
    cls = dataclasses.make_dataclass(
        name, fields, bases=(NaiveProbabilisticCompression,), frozen=True,
        namespace={"__post_init__": __post_init__, "_log_density": _log_density,
                   "__doc__": doc, "__module__": __name__},
    )
    return register(family="compression", tinybig=tinybig, formula=formula)(cls)


def _normal(z: jax.Array, mean: float, std: float) -> jax.Array:
    return jax.scipy.stats.norm.logpdf(z, mean, std)


def _cauchy(z: jax.Array, loc: float, scale: float) -> jax.Array:
    return jax.scipy.stats.cauchy.logpdf(z, loc, scale)


def _laplace(z: jax.Array, loc: float, scale: float) -> jax.Array:
    return jax.scipy.stats.laplace.logpdf(z, loc, scale)


def _chi2(z: jax.Array, df: float) -> jax.Array:
    return jax.scipy.stats.chi2.logpdf(z, df)


def _exponential(z: jax.Array, rate: float) -> jax.Array:
    return jax.scipy.stats.expon.logpdf(z, scale=1.0 / rate)


def _gamma(z: jax.Array, concentration: float, rate: float) -> jax.Array:
    return jax.scipy.stats.gamma.logpdf(z, concentration, scale=1.0 / rate)


def _uniform(z: jax.Array, low: float, high: float) -> jax.Array:
    return jax.scipy.stats.uniform.logpdf(z, low, high - low)


NaiveNormalProbabilisticCompression = _distribution(
    "NaiveNormalProbabilisticCompression", "naive_normal_probabilistic_compression",
    {"mean": 0.0, "std": 1.0}, _normal, {"std": "positive"}, "Normal(mean, std)", False)
NaiveCauchyProbabilisticCompression = _distribution(
    "NaiveCauchyProbabilisticCompression", "naive_cauchy_probabilistic_compression",
    {"loc": 0.0, "scale": 1.0}, _cauchy, {"scale": "positive"}, "Cauchy(loc, scale)", False)
NaiveLaplaceProbabilisticCompression = _distribution(
    "NaiveLaplaceProbabilisticCompression", "naive_laplace_probabilistic_compression",
    {"loc": 0.0, "scale": 1.0}, _laplace, {"scale": "positive"}, "Laplace(loc, scale)", False)
NaiveChi2ProbabilisticCompression = _distribution(
    "NaiveChi2ProbabilisticCompression", "naive_chi2_probabilistic_compression",
    {"df": 1.0}, _chi2, {"df": "positive"}, "Chi2(df)", True)
NaiveExponentialProbabilisticCompression = _distribution(
    "NaiveExponentialProbabilisticCompression", "naive_exponential_probabilistic_compression",
    {"rate": 0.5}, _exponential, {"rate": "positive"}, "Exponential(rate)", True)
NaiveGammaProbabilisticCompression = _distribution(
    "NaiveGammaProbabilisticCompression", "naive_gamma_probabilistic_compression",
    {"concentration": 1.0, "rate": 1.0}, _gamma,
    {"concentration": "positive", "rate": "positive"}, "Gamma(concentration, rate)", True)
NaiveUniformProbabilisticCompression = _distribution(
    "NaiveUniformProbabilisticCompression", "naive_uniform_probabilistic_compression",
    {"low": 0.0, "high": 1.0}, _uniform, {}, "Uniform(low, high)", True)


def _standard_normal_logpdf(z: jax.Array) -> jax.Array:
    """``log N(z; 0, I_r)`` over the last axis (torch's MultivariateNormal(0, I))."""
    r = z.shape[-1]
    return -0.5 * jnp.sum(jnp.square(z), axis=-1) - 0.5 * r * math.log(2 * math.pi)


def _combinations(m: int, r: int, with_replacement: bool) -> np.ndarray:
    """``torch.combinations(arange(m), r, with_replacement)``: lexicographic ``(C, r)``."""
    make = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    combos = np.array(list(make(range(m), r)), dtype=np.int32)
    return combos.reshape(-1, r)


@register(
    family="compression",
    tinybig="combinatorial_compression",
    formula="κ(x) = [x[C_r][sort(S_r)]]_{r=1..d}, S_r ~ k draws ∝ N(0.99·σ(x[C_r]) + 0.001; 0, I_r)",
)
@dataclasses.dataclass(frozen=True)
class CombinatorialCompression(_SamplingOptions, Transformation):
    """Combinatorial compression: k sampled r-combinations of entries, for r = 1..d.

    ``κ(x) = [x[C_r][sort(S_r)]]_{r=1..d}, S_r ~ k draws ∝ N(0.99·σ(x[C_r]) + 0.001; 0, I_r)``:
    for every order ``r``, ``x[C_r]`` lists the ``r``-combinations of the row's
    entries (``torch.combinations`` order, with repetition if
    ``with_replacement``); each combination is mapped by ``metric``, squashed by
    ``0.99·σ(·) + 0.001`` (if ``require_normalization``) and weighed by the
    standard ``r``-variate normal density; ``k`` combinations are drawn and kept in
    increasing order. With ``simply_sampling`` the output of sample slot ``j`` is
    the concatenation of its raw ``r``-combinations for ``r = 1..d``
    (``D = k·d(d+1)/2``, tinyBIG's ``(b, k, Σr)`` layout); with ``log_prob`` it is the
    log-density of each sampled squashed combination, order after order
    (``D = d·k``).

    Args:
      d: the largest combination order, ``d >= 1``.
      k: combinations kept per order; without replacement ``k`` may not exceed the
        number of ``r``-combinations for any ``r <= d``.
      simply_sampling: return raw combinations (forces ``log_prob=False``).
      metric: φ applied to the ``(b, C, r)`` combinations (callable or activation
        name), or ``None``.
      with_replacement: combinations with repetition, and sampling with replacement.
      require_normalization: squash before weighing.
      log_prob: return log-densities (needs ``simply_sampling=False``).

    Raises:
      ValueError: for invalid sizes, ``simply_sampling`` and ``log_prob`` both False
        (tinyBIG's output width then contradicts its ``calculate_D``), or too few
        combinations for ``k``.

    References:
      tinyBIG ``combinatorial_compression``
      (``tinybig/compression/combinatorial_compression.py``); Zhang, J. "RPN",
      arXiv:2407.04819, 2024.

    >>> import jax, jax.numpy as jnp
    >>> f = CombinatorialCompression(d=2, k=2)
    >>> f.calculate_D(4), f.apply(f.init(jax.random.key(0), 4), jnp.ones((3, 4))).shape
    (6, (3, 6))
    """

    d: int = 1
    k: int = 1
    _: dataclasses.KW_ONLY
    simply_sampling: bool = True
    metric: FunctionSpec = None
    with_replacement: bool = False
    require_normalization: bool = True
    log_prob: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "d", check_int(self, "d", self.d, minimum=1))
        object.__setattr__(self, "k", check_int(self, "k", self.k, minimum=0))
        self._validate_options()
        if not self.simply_sampling and not self.log_prob:
            raise ValueError(
                f"{type(self).__name__}: simply_sampling=False needs log_prob=True (tinyBIG "
                f"returns log-densities then; squashed combinations have no defined width)"
            )

    def calculate_D(self, m: int) -> int:
        """``D = k·d(d+1)/2`` (raw combinations) or ``d·k`` (log-densities).

        Raises:
          ValueError: if ``k > m`` or, without replacement, ``k`` exceeds the number
            of ``r``-combinations of ``m`` entries for some ``r <= d``.
        """
        m = check_int(self, "m", m, minimum=1)
        if self.k > m:
            raise ValueError(f"{type(self).__name__}: k={self.k} must be <= m={m}")
        if not self.with_replacement:
            fewest = min(math.comb(m, r) for r in range(1, self.d + 1))
            if self.k > fewest:
                raise ValueError(
                    f"{type(self).__name__}: k={self.k} exceeds the {fewest} combinations of "
                    f"some order r <= d={self.d} of m={m} entries (without replacement)"
                )
        return self.d * self.k if self.log_prob else self.k * self.d * (self.d + 1) // 2

    def apply(
        self, params: Any, x: jax.typing.ArrayLike, *, key: jax.Array | None = None
    ) -> jax.Array:
        """Samples ``k`` combinations of every order ``r = 1..d`` of every row.

        Args:
          params: the key data from :meth:`init` (used when ``key`` is None).
          x: ``(b, m)``.
          key: a fresh PRNG key for this call; overrides ``params``.

        Returns:
          ``(b, calculate_D(m))`` in ``x``'s dtype.

        Raises:
          ValueError: if ``x`` is not 2-D, the sizes do not fit ``m``, or there is no key.
        """
        x = check_matrix(self, x, floating=True)
        self.calculate_D(x.shape[1])
        return _compiled_sample(self, x, _resolve_key(self, params, key))

    def _sample(self, x: jax.Array, rng: jax.Array) -> jax.Array:
        b, m = x.shape
        D = self.calculate_D(m)
        keys = jax.random.split(rng, self.d)
        pieces = []
        for r in range(1, self.d + 1):
            data = x[:, _combinations(m, r, self.with_replacement)]  # (b, C, r)
            z = apply_functions(self.metric, data)
            if self.require_normalization:
                z = _normalise(z)
            logits = _standard_normal_logpdf(z.astype(jnp.promote_types(x.dtype, jnp.float32)))
            positions = _sample_positions(keys[r - 1], logits, self.k, self.with_replacement)
            chosen = jnp.take_along_axis(
                data if self.simply_sampling else z, positions[:, :, None], axis=1)
            pieces.append(_standard_normal_logpdf(chosen) if self.log_prob else chosen)
        return jnp.concatenate(pieces, axis=-1).reshape(b, D).astype(x.dtype)


@register(
    family="compression",
    tinybig="combinatorial_probabilistic_compression",
    formula="κ(x) = [log N(z_r[sort(S_r)]; 0, I_r)]_{r=1..d}, z_r = 0.99·σ(x[C_r]) + 0.001, D = d·k",
)
@dataclasses.dataclass(frozen=True)
class CombinatorialProbabilisticCompression(CombinatorialCompression):
    """Combinatorial probabilistic compression: log-densities of sampled combinations.

    ``κ(x) = [log N(z_r[sort(S_r)]; 0, I_r)]_{r=1..d}, z_r = 0.99·σ(x[C_r]) + 0.001, D = d·k``:
    :class:`CombinatorialCompression` with ``simply_sampling=False`` and
    ``log_prob=True`` fixed, as tinyBIG's subclass.

    Args:
      d: the largest combination order.
      k: combinations kept per order.
      metric: φ applied to the combinations, or ``None``.
      with_replacement: combinations with repetition, and sampling with replacement.
      require_normalization: squash before weighing.

    Raises:
      ValueError: as :class:`CombinatorialCompression`.

    References:
      tinyBIG ``combinatorial_probabilistic_compression``; Zhang, J. "RPN",
      arXiv:2407.04819, 2024.

    >>> import jax, jax.numpy as jnp
    >>> f = CombinatorialProbabilisticCompression(d=2, k=3)
    >>> f.apply(f.init(jax.random.key(0), 4), jnp.ones((2, 4))).shape
    (2, 6)
    """

    simply_sampling: bool = dataclasses.field(default=False, init=False)
    log_prob: bool = dataclasses.field(default=True, init=False)
