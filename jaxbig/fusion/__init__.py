"""Fusion functions: combine a sequence of ``(b, n_i)`` arrays (channels or heads) into one.

Every member is a frozen, hashable dataclass with ``calculate_n(dims)`` (the output
width), ``calculate_l(dims)`` (the number of parameters), ``init(key, dims)``
(``None`` when parameter-free) and ``apply(params, xs)``, where ``dims`` is the tuple
of input widths ``(n_1, …, n_k)`` and ``xs`` a sequence of ``(b, n_i)`` arrays (or
one stacked ``(k, b, n)`` array). Members may be built with tinyBIG's ``dims``; the
methods then default to it and reject other widths. Fusions that need equal widths
raise a ``ValueError`` naming the function and the widths.

References:
  tinyBIG ``tinybig.fusion``; Zhang, J. "RPN 2: On Interdependence Function Learning
  Towards Unifying and Advancing CNN, RNN, GNN, and Transformer", arXiv:2411.11162, 2024.
"""

from jaxbig.fusion.basic import (
    AverageFusion,
    ParameterizedWeightedSummationFusion,
    SummationFusion,
    WeightedSummationFusion,
)
from jaxbig.fusion.concatenation import ConcatenationFusion
from jaxbig.fusion.metric import (
    L1NormFusion,
    L2NormFusion,
    MaxFusion,
    MeanFusion,
    MedianFusion,
    MetricFusion,
    MinFusion,
    ProdFusion,
    SumFusion,
)
from jaxbig.fusion.parameterized_concatenation import (
    DualLPHMParameterizedConcatenationFusion,
    HMParameterizedConcatenationFusion,
    LowRankParameterizedConcatenationFusion,
    LPHMParameterizedConcatenationFusion,
    ParameterizedConcatenationFusion,
    RandomMatrixAdaptionParameterizedConcatenationFusion,
)

__all__ = [
    "AverageFusion",
    "ConcatenationFusion",
    "DualLPHMParameterizedConcatenationFusion",
    "HMParameterizedConcatenationFusion",
    "L1NormFusion",
    "L2NormFusion",
    "LPHMParameterizedConcatenationFusion",
    "LowRankParameterizedConcatenationFusion",
    "MaxFusion",
    "MeanFusion",
    "MedianFusion",
    "MetricFusion",
    "MinFusion",
    "ParameterizedConcatenationFusion",
    "ParameterizedWeightedSummationFusion",
    "ProdFusion",
    "RandomMatrixAdaptionParameterizedConcatenationFusion",
    "SumFusion",
    "SummationFusion",
    "WeightedSummationFusion",
]
