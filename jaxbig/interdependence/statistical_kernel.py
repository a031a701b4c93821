"""Statistical kernel interdependence: KL divergence, Pearson correlation, RV coefficient, MI.

Each member treats the vectors ``v_i`` (the columns of ``x`` for attribute functions,
its rows for instance functions) as samples of random variables and computes
``A(i, j)`` from their statistics, as tinyBIG's ``tinybig/koala/statistics/kernel.py``.

**Zero variance.** A vector whose spread is within floating-point rounding of its
mean (``‖v - mean(v)‖₂² ≤ k·(16·ε·max|v|)²`` for ``k`` entries and machine ``ε``; in
particular any exactly constant vector) has zero variance. tinyBIG returns NaN for
its Pearson correlation; here every correlation, RV coefficient and mutual
information involving it is defined as 0 (a constant carries no information about
anything), diagonal included, and gradients stay finite.
"""

from __future__ import annotations

import dataclasses

import jax
import jax.numpy as jnp

from jaxbig.interdependence._kernel import CallableKernel, KernelBase
from jaxbig.interdependence._pairwise import gram, zero_diagonal
from jaxbig.registry import register

__all__ = [
    "KLDivergenceInterdependence",
    "MutualInformationInterdependence",
    "PearsonCorrelationInterdependence",
    "RVCoefficientInterdependence",
    "StatisticalKernelBasedInterdependence",
]

_FAMILY = "interdependence"

#: tinyBIG's floor for variances and 2×2 covariance determinants in the mutual information.
MI_EPSILON = 1e-10

#: Rounding allowance (in machine epsilons per entry) below which a vector is constant.
_CONSTANT_ULPS = 16.0


def _centered(v: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array]:
    """Centered rows, their squared norms, and which rows have zero variance."""
    k = v.shape[1]
    c = v - jnp.mean(v, axis=1, keepdims=True)
    norm2 = jnp.sum(c * c, axis=1)
    scale = _CONSTANT_ULPS * jnp.finfo(v.dtype).eps * jnp.max(jnp.abs(v), axis=1)
    return c, norm2, norm2 <= k * scale * scale


def _correlation(v: jax.Array) -> tuple[jax.Array, jax.Array]:
    """Pearson correlations between rows (0 for zero-variance rows) and the constant mask."""
    c, norm2, constant = _centered(v)
    z = jnp.where(constant[:, None], 0.0, c / jnp.sqrt(jnp.where(constant, 1.0, norm2))[:, None])
    return gram(z), constant


@register(
    family=_FAMILY,
    tinybig="statistical_kernel_based_interdependence",
    formula="A(i, j) = kernel(v_i, v_j) for a given statistical kernel",
)
@dataclasses.dataclass(frozen=True)
class StatisticalKernelBasedInterdependence(CallableKernel):
    """Interdependence by a user-given statistical kernel.

    ``A(i, j) = kernel(v_i, v_j) for a given statistical kernel``, where ``v_i`` is
    the i-th column of ``x`` (attribute) or its i-th row (instance).

    Args:
      b: number of instances.
      m: number of attributes.
      kernel: a hashable callable in tinyBIG's orientation: it receives the vectors
        as the *columns* of a ``(k, n)`` array and returns the ``(n, n)`` matrix.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: functions applied to ``x`` before the kernel.
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if ``kernel`` is missing, not callable or not hashable, or returns
        a matrix of the wrong shape.

    References:
      tinyBIG, ``tinybig/interdependence/statistical_kernel_interdependence.py``.
      Zhang, J. "RPN 2", arXiv:2411.11162, 2024.

    >>> import jax.numpy as jnp, numpy as np
    >>> f = StatisticalKernelBasedInterdependence(3, 2, kernel=lambda v: jnp.cov(v.T))
    >>> f.calculate_A(None, np.arange(6.0).reshape(3, 2)).tolist()
    [[4.0, 4.0], [4.0, 4.0]]
    """


@register(
    family=_FAMILY,
    tinybig="kl_divergence_interdependence",
    formula="A(i, j) = Σ_k p_ik·log(p_ik / p_jk), p_i = softmax(v_i)",
)
@dataclasses.dataclass(frozen=True)
class KLDivergenceInterdependence(KernelBase):
    """Interdependence by the Kullback–Leibler divergence between softmax-normalised vectors.

    ``A(i, j) = Σ_k p_ik·log(p_ik / p_jk), p_i = softmax(v_i)``: each vector (a column
    of ``x`` for attribute functions, a row for instance functions) is normalised
    into a distribution with a softmax over its own entries, as tinyBIG does
    (``softmax(x, dim=0)`` on the vectors-as-columns matrix). Computed from
    log-softmax, so it is finite for any finite input. Not symmetric; non-negative
    with a zero diagonal.

    Args:
      b: number of instances.
      m: number of attributes.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: functions applied to ``x`` before the kernel.
      postprocess_functions: functions applied to A.

    References:
      tinyBIG, ``kl_divergence_interdependence`` (``batch_kl_divergence_kernel``).
      Zhang, J. "RPN 2", arXiv:2411.11162, 2024.

    >>> import numpy as np
    >>> a = KLDivergenceInterdependence(2, 2).calculate_A(None, np.array([[0.0, 1.0], [0.0, 0.0]]))
    >>> np.asarray(a, float).round(4).tolist()
    [[0.0, 0.1201], [0.1109, 0.0]]
    """

    def pairwise(self, v: jax.Array) -> jax.Array:
        log_p = jax.nn.log_softmax(v, axis=1)
        p = jnp.exp(log_p)
        entropy_term = jnp.sum(p * log_p, axis=1)
        return zero_diagonal(entropy_term[:, None] - gram(p, log_p))


@register(
    family=_FAMILY,
    tinybig="pearson_correlation_interdependence",
    formula="A(i, j) = cov(v_i, v_j) / (σ_i·σ_j)",
)
@dataclasses.dataclass(frozen=True)
class PearsonCorrelationInterdependence(KernelBase):
    """Interdependence by the Pearson correlation coefficient.

    ``A(i, j) = cov(v_i, v_j) / (σ_i·σ_j)``, computed as the inner product of the
    centered, unit-norm vectors (the normalisation ``1/b`` or ``1/(b-1)`` cancels).
    Zero-variance vectors get 0 (see the module docstring; tinyBIG gives NaN).
    Symmetric, PSD, unit diagonal except for zero-variance vectors.

    Args:
      b: number of instances.
      m: number of attributes.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: functions applied to ``x`` before the kernel.
      postprocess_functions: functions applied to A.

    References:
      tinyBIG, ``pearson_correlation_interdependence``; RPN 2, arXiv:2411.11162.

    >>> import numpy as np
    >>> a = PearsonCorrelationInterdependence(3, 3).calculate_A(None, np.array([[1.0, 3.0, 5.0], [2.0, 2.0, 5.0], [3.0, 1.0, 5.0]]))
    >>> np.asarray(a, float).round(4).tolist()
    [[1.0, -1.0, 0.0], [-1.0, 1.0, 0.0], [0.0, 0.0, 0.0]]
    """

    def pairwise(self, v: jax.Array) -> jax.Array:
        return _correlation(v)[0]


@register(
    family=_FAMILY,
    tinybig="rv_coefficient_interdependence",
    formula="A(i, j) = tr(Σ_ij·Σ_ji) / √(tr(Σ_ii²)·tr(Σ_jj²))",
)
@dataclasses.dataclass(frozen=True)
class RVCoefficientInterdependence(KernelBase):
    """Interdependence by the RV coefficient.

    ``A(i, j) = tr(Σ_ij·Σ_ji) / √(tr(Σ_ii²)·tr(Σ_jj²))`` with ``Σ_ij`` the covariance
    of ``v_i`` and ``v_j``. For single variables (each vector is one variable) this
    is the squared Pearson correlation ``ρ_ij²``, in ``[0, 1]`` with a unit diagonal.

    tinyBIG's code computes ``clamp(ρ_ij, 0, 1)`` off the diagonal and leaves the
    diagonal 0, which contradicts this documented formula; jaxbig implements the
    formula. Zero-variance vectors get 0 (see the module docstring). Symmetric and
    PSD (a Hadamard square of the correlation matrix).

    Args:
      b: number of instances.
      m: number of attributes.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: functions applied to ``x`` before the kernel.
      postprocess_functions: functions applied to A.

    References:
      tinyBIG, ``rv_coefficient_interdependence``; RPN 2, arXiv:2411.11162.
      Robert, P., Escoufier, Y. "A unifying tool for linear multivariate statistical
      methods: the RV-coefficient", Applied Statistics 25(3), 1976.

    >>> import numpy as np
    >>> a = RVCoefficientInterdependence(3, 2).calculate_A(None, np.array([[1.0, 3.0], [2.0, 2.0], [3.0, 1.0]]))
    >>> np.asarray(a, float).round(4).tolist()
    [[1.0, 1.0], [1.0, 1.0]]
    """

    def pairwise(self, v: jax.Array) -> jax.Array:
        rho = _correlation(v)[0]
        return rho * rho


@register(
    family=_FAMILY,
    tinybig="mutual_information_interdependence",
    formula="A(i, j) = ½·log(det Σ_i·det Σ_j / det Σ_(i,j))",
)
@dataclasses.dataclass(frozen=True)
class MutualInformationInterdependence(KernelBase):
    """Interdependence by the Gaussian mutual information.

    ``A(i, j) = ½·log(det Σ_i·det Σ_j / det Σ_(i,j))`` with ``Σ_i = var(v_i)`` and
    ``Σ_(i,j)`` the 2×2 covariance matrix of ``(v_i, v_j)`` (unbiased, ``1/(k-1)``),
    i.e. ``-½·log(1 - ρ_ij²)``. As in tinyBIG, variances and the determinant are
    floored at ``1e-10`` before the logarithm (so perfectly correlated vectors give a
    large finite value) and the diagonal, where the formula is infinite, is 0.
    Zero-variance vectors get 0 (tinyBIG's floors would give ``½·log(var_j)``).
    Symmetric and non-negative.

    Args:
      b: number of instances.
      m: number of attributes.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: functions applied to ``x`` before the kernel.
      postprocess_functions: functions applied to A.

    References:
      tinyBIG, ``mutual_information_interdependence``; RPN 2, arXiv:2411.11162.

    >>> import numpy as np
    >>> a = MutualInformationInterdependence(4, 2).calculate_A(
    ...     None, np.array([[1.0, 1.0], [2.0, 3.0], [3.0, 2.0], [4.0, 4.0]]))
    >>> bool(np.isclose(a[0, 1], -0.5 * np.log(1 - 0.8 ** 2), atol=1e-5)), float(a[0, 0])
    (True, 0.0)
    """

    def pairwise(self, v: jax.Array) -> jax.Array:
        c, norm2, constant = _centered(v)
        dof = max(v.shape[1] - 1, 1)
        var = norm2 / dof
        cov = gram(c) / dof
        det = var[:, None] * var[None, :] - cov * cov
        log_var = jnp.log(jnp.maximum(var, MI_EPSILON))
        mi = 0.5 * (log_var[:, None] + log_var[None, :] - jnp.log(jnp.maximum(det, MI_EPSILON)))
        undefined = constant[:, None] | constant[None, :]
        return zero_diagonal(jnp.where(undefined, 0.0, mi))
