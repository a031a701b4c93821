"""Numerical kernel interdependence: inner-product, RBF and distance kernels between vectors.

Each member computes ``A(i, j) = kernel(v_i, v_j)`` where ``v_i`` is the i-th column
of ``x (b, m)`` (attribute, A is ``(m, m)``) or its i-th row (instance, A is
``(b, b)``), as tinyBIG's ``tinybig/koala/linear_algebra/kernel.py`` does with its
default ``centered=False``. No member normalises the data unless its formula says so.

Distance kernels are ``exp(-distance)``, as tinyBIG's code and its kernel
documentation define them (``manhattan_distance_kernel``: "the exponential of the
negative Manhattan distance"), and as its tutorial's printed outputs show. The class
docstrings of tinyBIG's ``*_distance_interdependence`` write ``1 - ‖x - y‖`` (and
the raw Canberra distance) instead; that text disagrees with tinyBIG's own kernels
and outputs, so jaxbig follows the kernels. Likewise tinyBIG's exponential kernel
is ``exp(-γ‖x - y‖₂²)`` in its code and kernel documentation (its class docstring
says ``‖x - y‖₁``).

Squared Euclidean distances come from the Gram matrix (one matmul; the diagonal is
exactly 0); L1, L∞, Lp and Canberra reductions broadcast in row blocks.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxbig.base import check_float, check_int
from jaxbig.interdependence._kernel import CallableKernel, KernelBase, check_weights
from jaxbig.interdependence._pairwise import (
    gram,
    pairwise_reduce,
    safe_power,
    safe_sqrt,
    squared_distances,
)
from jaxbig.registry import register

__all__ = [
    "AnisotropicRBFKernelInterdependence",
    "CanberraDistanceInterdependence",
    "ChebyshevDistanceInterdependence",
    "CosineSimilarityInterdependence",
    "CustomHybridKernelInterdependence",
    "EuclideanDistanceInterdependence",
    "ExponentialKernelInterdependence",
    "GaussianRBFKernelInterdependence",
    "HyperbolicTangentKernelInterdependence",
    "LaplacianKernelInterdependence",
    "LinearKernelInterdependence",
    "ManhattanDistanceInterdependence",
    "MinkowskiDistanceInterdependence",
    "NumericalKernelBasedInterdependence",
    "PolynomialKernelInterdependence",
]

_FAMILY = "interdependence"

#: tinyBIG's guard against 0/0 in the Canberra distance.
CANBERRA_EPSILON = 1e-10


def _l1(v: jax.Array) -> jax.Array:
    return pairwise_reduce(v, lambda a, c: jnp.abs(a - c))


def _linf(v: jax.Array) -> jax.Array:
    return pairwise_reduce(v, lambda a, c: jnp.abs(a - c), jnp.max)


def _lp(v: jax.Array, p: float) -> jax.Array:
    if p == math.inf:
        return _linf(v)
    if p == 1.0:
        return _l1(v)
    return safe_power(pairwise_reduce(v, lambda a, c: safe_power(jnp.abs(a - c), p)), 1.0 / p)


@register(
    family=_FAMILY,
    tinybig="numerical_kernel_based_interdependence",
    formula="A(i, j) = kernel(v_i, v_j) for a given kernel",
)
@dataclasses.dataclass(frozen=True)
class NumericalKernelBasedInterdependence(CallableKernel):
    """Interdependence by a user-given numerical kernel.

    ``A(i, j) = kernel(v_i, v_j) for a given kernel``, where ``v_i`` is the i-th
    column of ``x`` (attribute) or its i-th row (instance).

    Args:
      b: number of instances.
      m: number of attributes.
      kernel: a hashable callable in tinyBIG's orientation: it receives the vectors
        as the *columns* of a ``(k, n)`` array and returns the ``(n, n)`` matrix
        (tinyBIG passes ``x`` for attribute and ``x.T`` for instance functions).
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: functions applied to ``x`` before the kernel.
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if ``kernel`` is missing, not callable or not hashable, or returns
        a matrix of the wrong shape.

    References:
      tinyBIG, ``tinybig/interdependence/numerical_kernel_interdependence.py``.
      Zhang, J. "RPN 2", arXiv:2411.11162, 2024.

    >>> import jax.numpy as jnp, numpy as np
    >>> f = NumericalKernelBasedInterdependence(2, 3, kernel=lambda v: v.T @ v)
    >>> f.calculate_A(None, np.ones((2, 3))).shape
    (3, 3)
    """


@register(
    family=_FAMILY,
    tinybig="linear_kernel_interdependence",
    formula="A(i, j) = ⟨v_i, v_j⟩",
)
@dataclasses.dataclass(frozen=True)
class LinearKernelInterdependence(KernelBase):
    """Interdependence by the linear (inner-product) kernel: the Gram matrix.

    ``A(i, j) = ⟨v_i, v_j⟩``, where ``v_i`` is the i-th column of ``x`` (attribute,
    ``A = xᵀx``) or its i-th row (instance, ``A = x xᵀ``). Symmetric and PSD.

    Args:
      b: number of instances.
      m: number of attributes.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: functions applied to ``x`` before the kernel.
      postprocess_functions: functions applied to A.

    References:
      tinyBIG, ``linear_kernel_interdependence``; RPN 2, arXiv:2411.11162.

    >>> import numpy as np
    >>> a = LinearKernelInterdependence(2, 2).calculate_A(None, np.array([[1.0, 2.0], [3.0, 4.0]]))
    >>> np.asarray(a, float).round(4).tolist()
    [[10.0, 14.0], [14.0, 20.0]]
    """

    def pairwise(self, v: jax.Array) -> jax.Array:
        return gram(v)


@register(
    family=_FAMILY,
    tinybig="polynomial_kernel_interdependence",
    formula="A(i, j) = (⟨v_i, v_j⟩ + c)^d",
)
@dataclasses.dataclass(frozen=True)
class PolynomialKernelInterdependence(KernelBase):
    """Interdependence by the polynomial kernel.

    ``A(i, j) = (⟨v_i, v_j⟩ + c)^d`` over the columns (attribute) or rows (instance)
    of ``x``. Symmetric; PSD when ``c ≥ 0``.

    Args:
      b: number of instances.
      m: number of attributes.
      c: the offset ``c``.
      d: the degree ``d``, a non-negative integer (tinyBIG's negative powers of
        zero are rejected by construction).
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: functions applied to ``x`` before the kernel.
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if ``c`` is not finite or ``d`` is not a non-negative integer.

    References:
      tinyBIG, ``polynomial_kernel_interdependence``; RPN 2, arXiv:2411.11162.

    >>> import numpy as np
    >>> f = PolynomialKernelInterdependence(2, 2, c=1.0, d=2)
    >>> f.calculate_A(None, np.array([[1.0, 0.0], [0.0, 1.0]])).tolist()
    [[4.0, 1.0], [1.0, 4.0]]
    """

    _: dataclasses.KW_ONLY
    c: float = 0.0
    d: int = 1

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "c", check_float(self, "c", self.c))
        object.__setattr__(self, "d", check_int(self, "d", self.d, minimum=0))

    def pairwise(self, v: jax.Array) -> jax.Array:
        return (gram(v) + self.c) ** self.d


@register(
    family=_FAMILY,
    tinybig="hyperbolic_tangent_kernel_interdependence",
    formula="A(i, j) = tanh(α·⟨v_i, v_j⟩ + c)",
)
@dataclasses.dataclass(frozen=True)
class HyperbolicTangentKernelInterdependence(KernelBase):
    """Interdependence by the hyperbolic tangent (sigmoid) kernel.

    ``A(i, j) = tanh(α·⟨v_i, v_j⟩ + c)`` over the columns (attribute) or rows
    (instance) of ``x``. Symmetric, not PSD in general.

    Args:
      b: number of instances.
      m: number of attributes.
      c: the offset ``c``.
      alpha: the slope ``α``.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: functions applied to ``x`` before the kernel.
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if ``c`` or ``alpha`` is not finite.

    References:
      tinyBIG, ``hyperbolic_tangent_kernel_interdependence``; RPN 2, arXiv:2411.11162.

    >>> import numpy as np
    >>> f = HyperbolicTangentKernelInterdependence(2, 2, alpha=0.0, c=1.0)
    >>> bool(np.allclose(f.calculate_A(None, np.eye(2)), np.tanh(1.0)))
    True
    """

    _: dataclasses.KW_ONLY
    c: float = 0.0
    alpha: float = 1.0

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "c", check_float(self, "c", self.c))
        object.__setattr__(self, "alpha", check_float(self, "alpha", self.alpha))

    def pairwise(self, v: jax.Array) -> jax.Array:
        return jnp.tanh(self.alpha * gram(v) + self.c)


@register(
    family=_FAMILY,
    tinybig="exponential_kernel_interdependence",
    formula="A(i, j) = exp(-γ‖v_i - v_j‖₂²)",
)
@dataclasses.dataclass(frozen=True)
class ExponentialKernelInterdependence(KernelBase):
    """Interdependence by the exponential (squared-distance) kernel.

    ``A(i, j) = exp(-γ‖v_i - v_j‖₂²)`` over the columns (attribute) or rows
    (instance) of ``x``: tinyBIG's code and kernel documentation use the squared
    Euclidean distance (its class docstring's ``‖·‖₁`` is the Laplacian kernel).
    Symmetric, unit diagonal, PSD for ``γ ≥ 0``.

    Args:
      b: number of instances.
      m: number of attributes.
      gamma: the rate ``γ``, non-negative.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: functions applied to ``x`` before the kernel.
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if ``gamma`` is negative or not finite.

    References:
      tinyBIG, ``exponential_kernel_interdependence``; RPN 2, arXiv:2411.11162.

    >>> import numpy as np
    >>> a = ExponentialKernelInterdependence(1, 2, gamma=0.5).calculate_A(None, np.array([[0.0, 2.0]]))
    >>> np.asarray(a, float).round(4).tolist()
    [[1.0, 0.1353], [0.1353, 1.0]]
    """

    _: dataclasses.KW_ONLY
    gamma: float = 1.0

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "gamma", check_float(self, "gamma", self.gamma, minimum=0.0))

    def pairwise(self, v: jax.Array) -> jax.Array:
        return jnp.exp(-self.gamma * squared_distances(v))


@register(
    family=_FAMILY,
    tinybig="gaussian_rbf_kernel_interdependence",
    formula="A(i, j) = exp(-‖v_i - v_j‖₂² / (2σ²))",
)
@dataclasses.dataclass(frozen=True)
class GaussianRBFKernelInterdependence(KernelBase):
    """Interdependence by the Gaussian RBF kernel.

    ``A(i, j) = exp(-‖v_i - v_j‖₂² / (2σ²))`` over the columns (attribute) or rows
    (instance) of ``x``. Symmetric, unit diagonal, PSD.

    Args:
      b: number of instances.
      m: number of attributes.
      sigma: the bandwidth ``σ > 0``.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: functions applied to ``x`` before the kernel.
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if ``sigma`` is not positive.

    References:
      tinyBIG, ``gaussian_rbf_kernel_interdependence``; RPN 2, arXiv:2411.11162.

    >>> import numpy as np
    >>> a = GaussianRBFKernelInterdependence(1, 2).calculate_A(None, np.array([[0.0, 2.0]]))
    >>> np.asarray(a, float).round(4).tolist()
    [[1.0, 0.1353], [0.1353, 1.0]]
    """

    _: dataclasses.KW_ONLY
    sigma: float = 1.0

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(
            self, "sigma", check_float(self, "sigma", self.sigma, minimum=0.0, strict_minimum=True)
        )

    def pairwise(self, v: jax.Array) -> jax.Array:
        return jnp.exp(-squared_distances(v) / (2.0 * self.sigma**2))


@register(
    family=_FAMILY,
    tinybig="laplacian_kernel_interdependence",
    formula="A(i, j) = exp(-‖v_i - v_j‖₁ / σ)",
)
@dataclasses.dataclass(frozen=True)
class LaplacianKernelInterdependence(KernelBase):
    """Interdependence by the Laplacian kernel.

    ``A(i, j) = exp(-‖v_i - v_j‖₁ / σ)`` over the columns (attribute) or rows
    (instance) of ``x``. Symmetric, unit diagonal, PSD.

    Args:
      b: number of instances.
      m: number of attributes.
      sigma: the scale ``σ > 0`` (tinyBIG only rejects 0; a negative ``σ`` would
        make the kernel grow with distance, so it is rejected here).
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: functions applied to ``x`` before the kernel.
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if ``sigma`` is not positive.

    References:
      tinyBIG, ``laplacian_kernel_interdependence``; RPN 2, arXiv:2411.11162.

    >>> import numpy as np
    >>> a = LaplacianKernelInterdependence(2, 2, sigma=2.0).calculate_A(None, np.array([[0.0, 1.0], [0.0, 1.0]]))
    >>> np.asarray(a, float).round(4).tolist()
    [[1.0, 0.3679], [0.3679, 1.0]]
    """

    _: dataclasses.KW_ONLY
    sigma: float = 1.0

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(
            self, "sigma", check_float(self, "sigma", self.sigma, minimum=0.0, strict_minimum=True)
        )

    def pairwise(self, v: jax.Array) -> jax.Array:
        return jnp.exp(-_l1(v) / self.sigma)


@register(
    family=_FAMILY,
    tinybig="anisotropic_rbf_kernel_interdependence",
    formula="A(i, j) = exp(-Σ_k a_k (v_ik - v_jk)²)",
)
@dataclasses.dataclass(frozen=True)
class AnisotropicRBFKernelInterdependence(KernelBase):
    """Interdependence by the anisotropic RBF kernel ``exp(-(v_i - v_j) diag(a) (v_i - v_j)ᵀ)``.

    ``A(i, j) = exp(-Σ_k a_k (v_ik - v_jk)²)`` over the columns (attribute) or rows
    (instance) of ``x``; ``k`` runs over the entries of a vector, i.e. over the
    ``b`` instances (attribute) or the ``m`` attributes (instance). Symmetric, unit
    diagonal, PSD.

    Args:
      b: number of instances.
      m: number of attributes.
      a_vector: the weights ``a``, ``b`` of them (attribute) or ``m`` (instance),
        non-negative; ``None`` means ``a_scalar`` everywhere.
      a_scalar: the common weight used when ``a_vector`` is ``None``, non-negative.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: functions applied to ``x`` before the kernel.
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if a weight is negative or not finite, ``a_vector`` has the wrong
        length, or (attribute) ``x`` has a row count other than ``len(a_vector)``.

    References:
      tinyBIG, ``anisotropic_rbf_kernel_interdependence``; RPN 2, arXiv:2411.11162.

    >>> import numpy as np
    >>> f = AnisotropicRBFKernelInterdependence(2, 2, a_vector=(1.0, 0.0))
    >>> a = f.calculate_A(None, np.array([[0.0, 1.0], [5.0, -5.0]]))
    >>> np.asarray(a, float).round(4).tolist()
    [[1.0, 0.3679], [0.3679, 1.0]]
    """

    _: dataclasses.KW_ONLY
    a_vector: Any = None
    a_scalar: float = 1.0

    def __post_init__(self) -> None:
        super().__post_init__()
        object.__setattr__(self, "a_scalar", check_float(self, "a_scalar", self.a_scalar))
        if self.a_scalar < 0:
            raise self._error(f"a_scalar={self.a_scalar} must be >= 0")
        if self.a_vector is not None:
            length = self.b if self.is_attribute else self.m
            a = check_weights(self, "a_vector", self.a_vector, length)
            if min(a) < 0:
                raise self._error(f"a_vector must be non-negative, got {a}")
            object.__setattr__(self, "a_vector", a)

    def pairwise(self, v: jax.Array) -> jax.Array:
        k = v.shape[1]
        if self.a_vector is None:
            a = jnp.full((k,), self.a_scalar, v.dtype)
        elif len(self.a_vector) != k:
            raise self._error(
                f"a_vector has {len(self.a_vector)} weights but the vectors have {k} entries"
            )
        else:
            a = jnp.asarray(self.a_vector, v.dtype)
        return jnp.exp(-squared_distances(v, a))


@register(
    family=_FAMILY,
    tinybig="cosine_similarity_interdependence",
    formula="A(i, j) = ⟨v_i, v_j⟩ / (‖v_i‖₂·‖v_j‖₂)",
)
@dataclasses.dataclass(frozen=True)
class CosineSimilarityInterdependence(KernelBase):
    """Interdependence by cosine similarity.

    ``A(i, j) = ⟨v_i, v_j⟩ / (‖v_i‖₂·‖v_j‖₂)`` over the columns (attribute) or
    rows (instance) of ``x``: each vector is normalised to unit L2 norm. A vector
    of zero norm stays zero (tinyBIG divides it by 1), so its row and column of A,
    diagonal included, are 0. Symmetric and PSD.

    Args:
      b: number of instances.
      m: number of attributes.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: functions applied to ``x`` before the kernel.
      postprocess_functions: functions applied to A.

    References:
      tinyBIG, ``cosine_similarity_interdependence``; RPN 2, arXiv:2411.11162.

    >>> import numpy as np
    >>> a = CosineSimilarityInterdependence(2, 3).calculate_A(
    ...     None, np.array([[1.0, 2.0, 0.0], [0.0, 0.0, 0.0]]))
    >>> np.asarray(a, float).round(4).tolist()
    [[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 0.0]]
    """

    def pairwise(self, v: jax.Array) -> jax.Array:
        norms = safe_sqrt(jnp.sum(v * v, axis=1, keepdims=True))
        unit = v / jnp.where(norms > 0, norms, 1.0)
        return gram(unit)


class _DistanceKernel(KernelBase):
    """``exp(-distance(v_i, v_j))``."""

    def _distance(self, v: jax.Array) -> jax.Array:
        raise NotImplementedError

    def pairwise(self, v: jax.Array) -> jax.Array:
        return jnp.exp(-self._distance(v))


def _check_p(owner: Any, p: Any) -> float:
    """tinyBIG accepts numbers, ``inf`` (``torch.inf``, ``"inf"``) and ``"fro"`` (= 2)."""
    if isinstance(p, str):
        if p in ("inf", "Inf", "infinity"):
            return math.inf
        if p == "fro":
            return 2.0
        raise owner._error(f"p={p!r} must be a positive number, inf or 'fro'")
    if isinstance(p, (int, float)) and not isinstance(p, bool) and p == math.inf:
        return math.inf
    return check_float(owner, "p", p, minimum=0.0, strict_minimum=True)


@register(
    family=_FAMILY,
    tinybig="minkowski_distance_interdependence",
    formula="A(i, j) = exp(-‖v_i - v_j‖_p)",
)
@dataclasses.dataclass(frozen=True)
class MinkowskiDistanceInterdependence(_DistanceKernel):
    """Interdependence by the Minkowski-distance kernel.

    ``A(i, j) = exp(-‖v_i - v_j‖_p)`` with ``‖d‖_p = (Σ_k |d_k|^p)^{1/p}`` over the
    columns (attribute) or rows (instance) of ``x``. Symmetric, unit diagonal; PSD
    for ``p ≤ 2``.

    Args:
      b: number of instances.
      m: number of attributes.
      p: the order ``p > 0``, ``math.inf`` (or ``"inf"``) for the Chebyshev
        distance, or ``"fro"`` (= 2) as tinyBIG accepts it.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: functions applied to ``x`` before the kernel.
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if ``p`` is missing, not positive, or not a number/inf/'fro'.

    References:
      tinyBIG, ``minkowski_distance_interdependence``; RPN 2, arXiv:2411.11162.

    >>> import numpy as np
    >>> f = MinkowskiDistanceInterdependence(2, 2, p=3)
    >>> bool(np.isclose(f.calculate_A(None, np.array([[0.0, 1.0], [0.0, 1.0]]))[0, 1], np.exp(-2 ** (1 / 3))))
    True
    """

    _: dataclasses.KW_ONLY
    p: Any = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.p is None:
            raise self._error("p, the order of the distance, is required")
        object.__setattr__(self, "p", _check_p(self, self.p))

    def _distance(self, v: jax.Array) -> jax.Array:
        return _lp(v, self.p)


@register(
    family=_FAMILY,
    tinybig="manhattan_distance_interdependence",
    formula="A(i, j) = exp(-‖v_i - v_j‖₁)",
)
@dataclasses.dataclass(frozen=True)
class ManhattanDistanceInterdependence(_DistanceKernel):
    """Interdependence by the Manhattan-distance kernel.

    ``A(i, j) = exp(-‖v_i - v_j‖₁)`` over the columns (attribute) or rows (instance)
    of ``x``. Symmetric, unit diagonal, PSD.

    Args:
      b: number of instances.
      m: number of attributes.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: functions applied to ``x`` before the kernel.
      postprocess_functions: functions applied to A.

    References:
      tinyBIG, ``manhattan_distance_interdependence``; RPN 2, arXiv:2411.11162.

    >>> import numpy as np
    >>> a = ManhattanDistanceInterdependence(2, 2).calculate_A(None, np.array([[0.0, 1.0], [0.0, 1.0]]))
    >>> np.asarray(a, float).round(4).tolist()
    [[1.0, 0.1353], [0.1353, 1.0]]
    """

    def _distance(self, v: jax.Array) -> jax.Array:
        return _l1(v)


@register(
    family=_FAMILY,
    tinybig="euclidean_distance_interdependence",
    formula="A(i, j) = exp(-‖v_i - v_j‖₂)",
)
@dataclasses.dataclass(frozen=True)
class EuclideanDistanceInterdependence(_DistanceKernel):
    """Interdependence by the Euclidean-distance kernel.

    ``A(i, j) = exp(-‖v_i - v_j‖₂)`` over the columns (attribute) or rows (instance)
    of ``x``; the distances come from the Gram matrix. Symmetric, unit diagonal, PSD.

    Args:
      b: number of instances.
      m: number of attributes.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: functions applied to ``x`` before the kernel.
      postprocess_functions: functions applied to A.

    References:
      tinyBIG, ``euclidean_distance_interdependence``; RPN 2, arXiv:2411.11162.

    >>> import numpy as np
    >>> a = EuclideanDistanceInterdependence(2, 2).calculate_A(None, np.array([[0.0, 3.0], [0.0, 4.0]]))
    >>> np.asarray(a, float).round(5).tolist()
    [[1.0, 0.00674], [0.00674, 1.0]]
    """

    def _distance(self, v: jax.Array) -> jax.Array:
        return safe_sqrt(squared_distances(v))


@register(
    family=_FAMILY,
    tinybig="chebyshev_distance_interdependence",
    formula="A(i, j) = exp(-‖v_i - v_j‖_∞)",
)
@dataclasses.dataclass(frozen=True)
class ChebyshevDistanceInterdependence(_DistanceKernel):
    """Interdependence by the Chebyshev-distance kernel.

    ``A(i, j) = exp(-‖v_i - v_j‖_∞)`` over the columns (attribute) or rows (instance)
    of ``x``. Symmetric, unit diagonal (not PSD in general).

    Args:
      b: number of instances.
      m: number of attributes.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: functions applied to ``x`` before the kernel.
      postprocess_functions: functions applied to A.

    References:
      tinyBIG, ``chebyshev_distance_interdependence``; RPN 2, arXiv:2411.11162.

    >>> import numpy as np
    >>> a = ChebyshevDistanceInterdependence(2, 2).calculate_A(None, np.array([[0.0, 1.0], [0.0, 3.0]]))
    >>> np.asarray(a, float).round(4).tolist()
    [[1.0, 0.0498], [0.0498, 1.0]]
    """

    def _distance(self, v: jax.Array) -> jax.Array:
        return _linf(v)


@register(
    family=_FAMILY,
    tinybig="canberra_distance_interdependence",
    formula="A(i, j) = exp(-Σ_k |v_ik - v_jk| / (|v_ik| + |v_jk| + 1e-10))",
)
@dataclasses.dataclass(frozen=True)
class CanberraDistanceInterdependence(_DistanceKernel):
    """Interdependence by the Canberra-distance kernel.

    ``A(i, j) = exp(-Σ_k |v_ik - v_jk| / (|v_ik| + |v_jk| + 1e-10))`` over the columns
    (attribute) or rows (instance) of ``x``. The ``1e-10`` is tinyBIG's guard: a
    coordinate where both entries are 0 contributes 0. Symmetric, unit diagonal.

    Args:
      b: number of instances.
      m: number of attributes.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: functions applied to ``x`` before the kernel.
      postprocess_functions: functions applied to A.

    References:
      tinyBIG, ``canberra_distance_interdependence``; RPN 2, arXiv:2411.11162.

    >>> import numpy as np
    >>> a = CanberraDistanceInterdependence(2, 2).calculate_A(None, np.array([[1.0, 3.0], [2.0, 4.0]]))
    >>> np.asarray(a, float).round(4).tolist()
    [[1.0, 0.4346], [0.4346, 1.0]]
    """

    def _distance(self, v: jax.Array) -> jax.Array:
        return pairwise_reduce(
            v, lambda a, c: jnp.abs(a - c) / (jnp.abs(a) + jnp.abs(c) + CANBERRA_EPSILON)
        )


@register(
    family=_FAMILY,
    tinybig="custom_hybrid_kernel_interdependence",
    formula="A = Σ_t α_t·K_t(X)",
)
@dataclasses.dataclass(frozen=True)
class CustomHybridKernelInterdependence(KernelBase):
    """Interdependence by a weighted sum of kernels.

    ``A = Σ_t α_t·K_t(X)``: each ``K_t`` is one of ``kernels``, computed over the
    columns (attribute) or rows (instance) of ``x``, and ``α_t`` its weight.

    Args:
      b: number of instances.
      m: number of attributes.
      kernels: a non-empty sequence of kernel interdependence functions built with
        the same ``b``, ``m`` and ``interdependence_type`` (only their kernel is
        used), or hashable callables in tinyBIG's orientation (see
        :class:`NumericalKernelBasedInterdependence`).
      weights: the weights ``α``, one per kernel; ``None`` means ``1/len(kernels)`` each.
      interdependence_type: ``'attribute'`` or ``'instance'`` (or a tinyBIG alias).
      preprocess_functions: functions applied to ``x`` before the kernels.
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: if ``kernels`` is empty, holds something else, or a kernel
        function was built for other sizes or another type; if ``weights`` has the
        wrong length or non-finite entries.

    References:
      tinyBIG, ``custom_hybrid_kernel_interdependence``; RPN 2, arXiv:2411.11162.

    >>> import numpy as np
    >>> f = CustomHybridKernelInterdependence(
    ...     2, 2, kernels=(LinearKernelInterdependence(2, 2), GaussianRBFKernelInterdependence(2, 2)),
    ...     weights=(1.0, 2.0))
    >>> a = f.calculate_A(None, np.eye(2))
    >>> np.asarray(a, float).round(4).tolist()
    [[3.0, 0.7358], [0.7358, 3.0]]
    """

    _: dataclasses.KW_ONLY
    kernels: Any = ()
    weights: Any = None

    def __post_init__(self) -> None:
        super().__post_init__()
        kernels = (self.kernels,) if isinstance(self.kernels, KernelBase) or callable(
            self.kernels) else tuple(self.kernels)
        if not kernels:
            raise self._error("kernels must hold at least one kernel")
        for kernel in kernels:
            if isinstance(kernel, KernelBase):
                own = (kernel.b, kernel.m, kernel.interdependence_type)
                if own != (self.b, self.m, self.interdependence_type):
                    raise self._error(
                        f"kernel {type(kernel).__name__} has (b, m, type)={own}, expected "
                        f"{(self.b, self.m, self.interdependence_type)}"
                    )
            elif not callable(kernel):
                raise self._error(f"kernels entries must be kernel functions, got {kernel!r}")
            else:
                try:
                    hash(kernel)
                except TypeError:
                    raise self._error(f"kernel {kernel!r} must be hashable") from None
        object.__setattr__(self, "kernels", kernels)
        weights = (1.0 / len(kernels),) * len(kernels) if self.weights is None else self.weights
        weights = check_weights(self, "weights", np.atleast_1d(weights), len(kernels))
        object.__setattr__(self, "weights", weights)

    def pairwise(self, v: jax.Array) -> jax.Array:
        total = jnp.zeros((v.shape[0], v.shape[0]), v.dtype)
        for weight, kernel in zip(self.weights, self.kernels):
            a = kernel.pairwise(v) if isinstance(kernel, KernelBase) else kernel(v.T)
            total = total + weight * a
        return total
