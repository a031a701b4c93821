"""Metric fusions: an entrywise reduction (max, min, median, product, norms, …) over inputs."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp

from jaxbig.fusion._common import ElementwiseFusion, check_no_params
from jaxbig.registry import register

__all__ = [
    "L1NormFusion",
    "L2NormFusion",
    "MaxFusion",
    "MeanFusion",
    "MedianFusion",
    "MetricFusion",
    "MinFusion",
    "ProdFusion",
    "SumFusion",
]


def _l2_norm(a: jax.Array, axis: int) -> jax.Array:
    # sqrt(Σ aᵢ²) with gradient 0 (as PyTorch's norm) instead of NaN where all aᵢ = 0.
    s = jnp.sum(a * a, axis=axis)
    positive = s > 0
    return jnp.where(positive, jnp.sqrt(jnp.where(positive, s, 1)), 0).astype(a.dtype)


#: The named metrics: reductions ``f(a, axis)`` over the stacked inputs.
_METRICS: dict[str, Callable[..., jax.Array]] = {
    "sum": jnp.sum,
    "mean": jnp.mean,
    "prod": jnp.prod,
    "max": jnp.max,
    "min": jnp.min,
    "median": jnp.median,
    "l1_norm": lambda a, axis: jnp.sum(jnp.abs(a), axis=axis),
    "l2_norm": _l2_norm,
}


@register(
    family="fusion",
    tinybig="metric_fusion",
    formula="fusion(A₁, …, A_k)(i, j) = metric(A₁(i, j), …, A_k(i, j))",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class MetricFusion(ElementwiseFusion):
    """Metric fusion: reduces inputs of equal shape entry by entry with a metric.

    fusion(A₁, …, A_k)(i, j) = metric(A₁(i, j), …, A_k(i, j)), where
    ``A₁, …, A_k`` are the ``k`` inputs (``xs``), each of shape ``(b, n)``, and
    ``metric`` reduces the ``k`` values at each entry. Parameter-free.

    Args:
      metric: a name — ``"sum"``, ``"mean"``, ``"prod"``, ``"max"``, ``"min"``,
        ``"median"``, ``"l1_norm"``, ``"l2_norm"`` — or a hashable callable with
        the signature of a NumPy reduction, ``metric(a, axis=0)``, applied to the
        stacked inputs of shape ``(k, b, n)``.
      dims: the input widths ``(n, …, n)``, optional.
      preprocess_functions: functions applied to the stacked inputs first.
      postprocess_functions: functions applied to the fused output.

    Raises:
      ValueError: if ``metric`` is an unknown name or an unhashable object.

    References:
      tinyBIG ``tinybig.fusion.metric_fusion``; Zhang, J. "RPN 2",
      arXiv:2411.11162, 2024.

    >>> import jax.numpy as jnp
    >>> MetricFusion(metric=jnp.max).apply(None, [jnp.array([[1.0, 5.0]]), jnp.array([[3.0, 2.0]])])
    Array([[3., 5.]], dtype=float32)
    """

    metric: str | Callable[..., jax.Array]

    def __post_init__(self) -> None:
        super().__post_init__()
        if isinstance(self.metric, str):
            if self.metric not in _METRICS:
                raise self._error(
                    f"metric={self.metric!r} is not one of {', '.join(map(repr, _METRICS))} "
                    "(or pass a callable metric(a, axis=0))"
                )
        elif callable(self.metric):
            try:
                hash(self.metric)
            except TypeError:
                raise self._error(f"metric {self.metric!r} must be hashable") from None
        else:
            raise self._error(f"metric must be a name or a callable, got {self.metric!r}")

    def _combine(self, params: Any, stacked: jax.Array) -> jax.Array:
        check_no_params(self, params)
        metric = _METRICS[self.metric] if isinstance(self.metric, str) else self.metric
        fused = metric(stacked, axis=0)
        if fused.shape != stacked.shape[1:]:
            raise self._error(
                f"metric must reduce (k, b, n) = {stacked.shape} over axis 0 to "
                f"{stacked.shape[1:]}, got shape {fused.shape}"
            )
        return fused


def _named(metric: str) -> Any:
    """The ``metric`` field of a named metric fusion: fixed, not a constructor argument."""
    return dataclasses.field(default=metric, init=False, repr=False)


@register(family="fusion", tinybig="sum_fusion", formula="fusion(A₁, …, A_k)(i, j) = Σₜ Aₜ(i, j)")
@dataclasses.dataclass(frozen=True, kw_only=True)
class SumFusion(MetricFusion):
    """Sum fusion: the metric fusion with the sum.

    fusion(A₁, …, A_k)(i, j) = Σₜ Aₜ(i, j) over the ``k`` inputs ``A₁, …, A_k``
    (``xs``) of shape ``(b, n)``; the same values as :class:`SummationFusion`.

    Args:
      dims, preprocess_functions, postprocess_functions: as in :class:`MetricFusion`.

    References:
      tinyBIG ``tinybig.fusion.sum_fusion``; Zhang, J. "RPN 2", arXiv:2411.11162, 2024.

    >>> import jax.numpy as jnp
    >>> SumFusion().apply(None, jnp.ones((3, 1, 2))).shape
    (1, 2)
    """

    metric: str = _named("sum")


@register(
    family="fusion", tinybig="mean_fusion", formula="fusion(A₁, …, A_k)(i, j) = (1/k) Σₜ Aₜ(i, j)"
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class MeanFusion(MetricFusion):
    """Mean fusion: the metric fusion with the mean (tinyBIG's default head/channel fusion).

    fusion(A₁, …, A_k)(i, j) = (1/k) Σₜ Aₜ(i, j) over the ``k`` inputs
    ``A₁, …, A_k`` (``xs``) of shape ``(b, n)``; the same values as :class:`AverageFusion`.

    Args:
      dims, preprocess_functions, postprocess_functions: as in :class:`MetricFusion`.

    References:
      tinyBIG ``tinybig.fusion.mean_fusion``; Zhang, J. "RPN 2", arXiv:2411.11162, 2024.

    >>> import jax.numpy as jnp
    >>> MeanFusion().apply(None, [jnp.zeros((1, 2)), jnp.ones((1, 2))])
    Array([[0.5, 0.5]], dtype=float32)
    """

    metric: str = _named("mean")


@register(
    family="fusion", tinybig="prod_fusion", formula="fusion(A₁, …, A_k)(i, j) = Πₜ Aₜ(i, j)"
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class ProdFusion(MetricFusion):
    """Product fusion: the entrywise (Hadamard) product of the inputs.

    fusion(A₁, …, A_k)(i, j) = Πₜ Aₜ(i, j) over the ``k`` inputs ``A₁, …, A_k``
    (``xs``) of shape ``(b, n)``.

    Args:
      dims, preprocess_functions, postprocess_functions: as in :class:`MetricFusion`.

    References:
      tinyBIG ``tinybig.fusion.prod_fusion``; Zhang, J. "RPN 2", arXiv:2411.11162, 2024.

    >>> import jax.numpy as jnp
    >>> ProdFusion().apply(None, [jnp.full((1, 2), 2.0), jnp.full((1, 2), 3.0)])
    Array([[6., 6.]], dtype=float32)
    """

    metric: str = _named("prod")


@register(
    family="fusion", tinybig="max_fusion", formula="fusion(A₁, …, A_k)(i, j) = maxₜ Aₜ(i, j)"
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class MaxFusion(MetricFusion):
    """Max fusion: the entrywise maximum of the inputs.

    fusion(A₁, …, A_k)(i, j) = maxₜ Aₜ(i, j) over the ``k`` inputs ``A₁, …, A_k``
    (``xs``) of shape ``(b, n)``.

    Args:
      dims, preprocess_functions, postprocess_functions: as in :class:`MetricFusion`.

    References:
      tinyBIG ``tinybig.fusion.max_fusion``; Zhang, J. "RPN 2", arXiv:2411.11162, 2024.

    >>> import jax.numpy as jnp
    >>> MaxFusion().apply(None, [jnp.array([[1.0, 5.0]]), jnp.array([[3.0, 2.0]])])
    Array([[3., 5.]], dtype=float32)
    """

    metric: str = _named("max")


@register(
    family="fusion", tinybig="min_fusion", formula="fusion(A₁, …, A_k)(i, j) = minₜ Aₜ(i, j)"
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class MinFusion(MetricFusion):
    """Min fusion: the entrywise minimum of the inputs.

    fusion(A₁, …, A_k)(i, j) = minₜ Aₜ(i, j) over the ``k`` inputs ``A₁, …, A_k``
    (``xs``) of shape ``(b, n)``.

    Args:
      dims, preprocess_functions, postprocess_functions: as in :class:`MetricFusion`.

    References:
      tinyBIG ``tinybig.fusion.min_fusion``; Zhang, J. "RPN 2", arXiv:2411.11162, 2024.

    >>> import jax.numpy as jnp
    >>> MinFusion().apply(None, [jnp.array([[1.0, 5.0]]), jnp.array([[3.0, 2.0]])])
    Array([[1., 2.]], dtype=float32)
    """

    metric: str = _named("min")


@register(
    family="fusion",
    tinybig="median_fusion",
    formula="fusion(A₁, …, A_k)(i, j) = medianₜ Aₜ(i, j)",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class MedianFusion(MetricFusion):
    """Median fusion: the entrywise median of the inputs.

    fusion(A₁, …, A_k)(i, j) = medianₜ Aₜ(i, j) over the ``k`` inputs
    ``A₁, …, A_k`` (``xs``) of shape ``(b, n)``. For even ``k`` the median is the
    mean of the two middle values (the standard definition); tinyBIG's code
    (``torch.median``) returns the lower of the two instead.

    Args:
      dims, preprocess_functions, postprocess_functions: as in :class:`MetricFusion`.

    References:
      tinyBIG ``tinybig.fusion.median_fusion``; Zhang, J. "RPN 2", arXiv:2411.11162, 2024.

    >>> import jax.numpy as jnp
    >>> MedianFusion().apply(None, jnp.array([[[1.0]], [[4.0]], [[2.0]], [[9.0]]]))
    Array([[3.]], dtype=float32)
    """

    metric: str = _named("median")


@register(
    family="fusion",
    tinybig="l1_norm_fusion",
    formula="fusion(A₁, …, A_k)(i, j) = Σₜ |Aₜ(i, j)|",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class L1NormFusion(MetricFusion):
    """L1-norm fusion: the entrywise L1 norm of the inputs.

    fusion(A₁, …, A_k)(i, j) = Σₜ |Aₜ(i, j)| over the ``k`` inputs ``A₁, …, A_k``
    (``xs``) of shape ``(b, n)``.

    Args:
      dims, preprocess_functions, postprocess_functions: as in :class:`MetricFusion`.

    References:
      tinyBIG ``tinybig.fusion.metric_fusion.l1_norm_fusion``; Zhang, J. "RPN 2",
      arXiv:2411.11162, 2024.

    >>> import jax.numpy as jnp
    >>> L1NormFusion().apply(None, [jnp.array([[-3.0]]), jnp.array([[4.0]])])
    Array([[7.]], dtype=float32)
    """

    metric: str = _named("l1_norm")


@register(
    family="fusion",
    tinybig="l2_norm_fusion",
    formula="fusion(A₁, …, A_k)(i, j) = (Σₜ Aₜ(i, j)²)^½",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class L2NormFusion(MetricFusion):
    """L2-norm fusion: the entrywise Euclidean norm of the inputs.

    fusion(A₁, …, A_k)(i, j) = (Σₜ Aₜ(i, j)²)^½ over the ``k`` inputs
    ``A₁, …, A_k`` (``xs``) of shape ``(b, n)``. Its gradient where all inputs
    are 0 is 0 (PyTorch's convention), not NaN.

    Args:
      dims, preprocess_functions, postprocess_functions: as in :class:`MetricFusion`.

    References:
      tinyBIG ``tinybig.fusion.metric_fusion.l2_norm_fusion``; Zhang, J. "RPN 2",
      arXiv:2411.11162, 2024.

    >>> import jax.numpy as jnp
    >>> L2NormFusion().apply(None, [jnp.array([[-3.0]]), jnp.array([[4.0]])])
    Array([[5.]], dtype=float32)
    """

    metric: str = _named("l2_norm")
