"""Metric based compression: κ(x) = φ(x), a summary statistic of each instance."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp

from jaxbig.base import Transformation, check_int, check_matrix
from jaxbig.compression._metrics import check_metric_width, reduce_named, resolve_metric
from jaxbig.registry import register

__all__ = [
    "MaxCompression",
    "MeanCompression",
    "MedianCompression",
    "MetricCompression",
    "MinCompression",
    "ProdCompression",
    "SumCompression",
]


@register(
    family="compression",
    tinybig="metric_compression",
    formula="κ(x) = φ(x) ∈ ℝ^{d_φ}, D = d_φ",
)
@dataclasses.dataclass(frozen=True)
class MetricCompression(Transformation):
    """Metric based compression: each instance is summarised by a metric φ.

    ``κ(x) = φ(x) ∈ ℝ^{d_φ}, D = d_φ``, where ``φ`` is ``metric`` and ``d_φ`` its
    output width (1 for every named metric). Named metrics reduce each row
    ``x ∈ ℝ^m``; statistics are accumulated in at least float32:

    ==================  ======================================================================
    ``max``, ``min``     largest / smallest entry; ties share the gradient equally (``jnp.max``).
    ``sum``, ``mean``    ``Σ x_i``, ``Σ x_i / m`` (gradient ``1``, ``1/m``).
    ``prod``             ``Π x_i``; gradient ``Π_{j≠i} x_j`` (exact with zeros).
    ``median``           lower median ``sort(x)[⌊(m-1)/2⌋]``, as ``torch.median`` (no averaging
                         for even m); gradient one-hot at the element a stable sort puts there.
    ``std``, ``var``     unbiased (ddof = 1, as ``torch.std``/``torch.var``), so m ≥ 2; ``std``'s
                         gradient is 0 on a constant row (a subgradient of the seminorm).
    ``l1_norm``          ``Σ |x_i|``; gradient ``sign(x)`` (0 at 0).
    ``l2_norm``          ``‖x‖₂``; gradient ``x/‖x‖₂``, 0 at ``x = 0``.
    ``linf_norm``        ``max |x_i|``; ties share the gradient.
    ``geometric_mean``   ``exp(mean(log x))`` for positive rows. A row with a zero (and no
                         negative) gives 0 with gradient 0 (the exact partial derivative in
                         the zero entry is +∞ when m > 1); a row with a negative entry
                         gives NaN (tinyBIG requires x > 0).
    ``harmonic_mean``    ``m / Σ 1/x_i``. A row with a zero gives 0 (the limit); its
                         gradient is exact: m in a lone zero entry, 0 elsewhere (and 0
                         everywhere when several entries are 0). Rows whose ``Σ 1/x_i`` is 0
                         (mixed signs) give ±inf.
    ``entropy``          ``-Σ x_i log x_i`` of the raw values with ``0·log 0 = 0`` (no
                         normalisation: apply softmax first for a distribution); a
                         negative entry gives -inf; the gradient ``-log x_i - 1`` is +inf
                         at ``x_i = 0``.
    ``skewness``         ``mean((x-μ)³) / (σ³ + 1e-12)``, σ the biased std (tinyBIG's formula).
    ``kurtosis``         excess kurtosis ``mean((x-μ)⁴) / (σ⁴ + 1e-12) - 3`` (σ biased);
                         a constant row gives 0 skewness and -3 kurtosis, gradient 0.
    ==================  ======================================================================

    Names also accept tinyBIG's spellings (``"batch_max"``, ``"variance"``,
    ``"gmean"``, ``"hmean"``, ``"skew"``, dotted paths).

    Args:
      metric: a metric name from the table, or a pure callable φ mapping ``(b, m)``
        to ``(b,)`` (D = 1) or ``(b, d_φ)``; its width is found with
        :func:`jax.eval_shape` on a ``(1, m)`` input.

    Raises:
      ValueError: for an unknown metric name, an unhashable callable, ``m`` too small
        for the metric (``std``/``var`` need m ≥ 2), or a callable whose output is
        not ``(b,)`` or ``(b, d)``.

    References:
      tinyBIG ``metric_compression`` (``tinybig/compression/metric_based_compression.py``);
      Zhang, J. "RPN: Reconciled Polynomial Network", arXiv:2407.04819, 2024;
      Zhang, J. "RPN 2", arXiv:2411.11162, 2024.

    >>> import jax.numpy as jnp
    >>> f = MetricCompression("geometric_mean")
    >>> f.calculate_D(3), f.apply(None, jnp.array([[1.0, 2.0, 4.0]]))
    (1, Array([[2.]], dtype=float32))
    """

    metric: str | Callable[..., Any]

    def __post_init__(self) -> None:
        object.__setattr__(self, "metric", resolve_metric(self, self.metric))

    def _callable_width(self, m: int, dtype: Any = jnp.float32) -> int:
        out = jax.eval_shape(self.metric, jax.ShapeDtypeStruct((1, m), dtype))
        shape = getattr(out, "shape", None)
        if shape == (1,):
            return 1
        if shape is not None and len(shape) == 2 and shape[0] == 1:
            return int(shape[1])
        raise ValueError(
            f"{type(self).__name__}: metric must map (b, m) to (b,) or (b, d); on an "
            f"input of shape (1, {m}) it returned {shape if shape is not None else out!r}"
        )

    def calculate_D(self, m: int) -> int:
        """The output width ``D = d_φ`` for inputs of width ``m``.

        Args:
          m: the input width, a positive integer.

        Returns:
          1 for named metrics; the callable's output width otherwise.

        Raises:
          ValueError: if ``m`` is not a positive integer or too small for the metric.
        """
        m = check_int(self, "m", m, minimum=1)
        if isinstance(self.metric, str):
            check_metric_width(self, self.metric, m, "m")
            return 1
        return self._callable_width(m)

    def apply(self, params: Any, x: jax.typing.ArrayLike) -> jax.Array:
        """κ(x) = φ(x), row by row.

        Args:
          params: ``None`` (no parameters).
          x: the input, shape ``(b, m)``; floating dtypes are kept (integers become
            float32).

        Returns:
          ``(b, D)`` in ``x``'s dtype.

        Raises:
          ValueError: naming the function and the shapes, if ``x`` is not 2-D, ``m``
            is too small for the metric, or a callable returns another shape.
        """
        del params
        x = check_matrix(self, x, floating=True)
        b, m = x.shape
        if isinstance(self.metric, str):
            check_metric_width(self, self.metric, m, "m")
            return reduce_named(self.metric, x)[:, None]
        D = self._callable_width(m, x.dtype)
        return jnp.reshape(self.metric(x), (b, D)).astype(x.dtype)


def _fixed_metric(metric: str, *, tinybig: str, formula: str, summary: str, example: str) -> Any:
    """Registers a subclass of :class:`MetricCompression` whose metric is fixed.

    The class gets the docstring (with ``formula``) and a ``metric`` field that is
    set to ``metric`` and is not a constructor argument.
    """

    def decorate(cls: type) -> type:
        cls.__annotations__ = {"metric": str}
        cls.metric = dataclasses.field(default=metric, init=False)  # type: ignore[attr-defined]
        cls.__doc__ = f"""{summary}

    ``{formula}``.

    Args:
      (none): the metric is fixed; use :class:`MetricCompression` for others.

    References:
      tinyBIG ``{tinybig}``; Zhang, J. "RPN", arXiv:2407.04819, 2024.

    >>> import jax.numpy as jnp
    >>> {cls.__name__}().apply(None, jnp.array([[3.0, 1.0, 2.0, 5.0]]))
    Array([[{example}]], dtype=float32)
    """
        cls = dataclasses.dataclass(frozen=True)(cls)
        return register(family="compression", tinybig=tinybig, formula=formula)(cls)

    return decorate


@_fixed_metric("max", tinybig="max_compression", formula="κ(x) = max_i x_i, D = 1",
               summary="Max compression: the largest entry of each instance (ties share "
                       "the gradient).", example="5.")
class MaxCompression(MetricCompression):
    pass


@_fixed_metric("min", tinybig="min_compression", formula="κ(x) = min_i x_i, D = 1",
               summary="Min compression: the smallest entry of each instance (ties share "
                       "the gradient).", example="1.")
class MinCompression(MetricCompression):
    pass


@_fixed_metric("sum", tinybig="sum_compression", formula="κ(x) = Σ_i x_i, D = 1",
               summary="Sum compression: the sum of each instance's entries.", example="11.")
class SumCompression(MetricCompression):
    pass


@_fixed_metric("mean", tinybig="mean_compression", formula="κ(x) = (1/m) Σ_i x_i, D = 1",
               summary="Mean compression: the average of each instance's entries.",
               example="2.75")
class MeanCompression(MetricCompression):
    pass


@_fixed_metric("prod", tinybig="prod_compression", formula="κ(x) = Π_i x_i, D = 1",
               summary="Prod compression: the product of each instance's entries.",
               example="30.")
class ProdCompression(MetricCompression):
    pass


@_fixed_metric("median", tinybig="median_compression",
               formula="κ(x) = sort(x)_{⌊(m-1)/2⌋} (lower median), D = 1",
               summary="Median compression: the lower median of each instance, as "
                       "``torch.median`` (no averaging for even m).", example="2.")
class MedianCompression(MetricCompression):
    pass
