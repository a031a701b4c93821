"""Interdependence functions ξ: matrices that mix attributes (columns) or instances (rows).

An attribute function computes ``x @ A`` with ``A (m, m')``; an instance function
computes ``A.T @ x`` with ``A (b, b')``. Members are frozen, hashable dataclasses
built with ``b, m`` and ``interdependence_type`` (tinyBIG's aliases ``column``/``right``
and ``row``/``left`` are accepted); see :class:`jaxbig.base.Interdependence`.

Files: :mod:`~jaxbig.interdependence.basic` (constant, constant-c, zero, one,
identity), :mod:`~jaxbig.interdependence.parameterized` (learned A, plain or
fabricated by a reconciliation), :mod:`~jaxbig.interdependence.bilinear`
(``Xᵀ W X`` forms), :mod:`~jaxbig.interdependence.rpn` and
:mod:`~jaxbig.interdependence.hybrid` (compositions),
:mod:`~jaxbig.interdependence.numerical_kernel` and
:mod:`~jaxbig.interdependence.statistical_kernel` (data kernels),
:mod:`~jaxbig.interdependence.topological` (chains, graphs) and
:mod:`~jaxbig.interdependence.geometric` (grid patches).

References:
  Zhang, J. "RPN 2: On Interdependence Function Learning Towards Unifying and
  Advancing CNN, RNN, GNN, and Transformer", arXiv:2411.11162, 2024.
"""

from jaxbig.interdependence._static import StaticArray
from jaxbig.interdependence.basic import (
    ConstantCInterdependence,
    ConstantInterdependence,
    IdentityInterdependence,
    OneInterdependence,
    ZeroInterdependence,
)
from jaxbig.interdependence.bilinear import (
    DualLPHMParameterizedBilinearInterdependence,
    HMParameterizedBilinearInterdependence,
    LowRankParameterizedBilinearInterdependence,
    LPHMParameterizedBilinearInterdependence,
    ParameterizedBilinearInterdependence,
    RandomMatrixAdaptionParameterizedBilinearInterdependence,
)
from jaxbig.interdependence.geometric import (
    CuboidPatchAggregationBasedGeometricInterdependence,
    CuboidPatchBasedGeometricInterdependence,
    CuboidPatchPaddingBasedGeometricInterdependence,
    CylinderPatchAggregationBasedGeometricInterdependence,
    CylinderPatchBasedGeometricInterdependence,
    CylinderPatchPaddingBasedGeometricInterdependence,
    GeometricInterdependence,
    SpherePatchAggregationBasedGeometricInterdependence,
    SpherePatchBasedGeometricInterdependence,
    SpherePatchPaddingBasedGeometricInterdependence,
)
from jaxbig.interdependence.hybrid import HybridInterdependence
from jaxbig.interdependence.numerical_kernel import (
    AnisotropicRBFKernelInterdependence,
    CanberraDistanceInterdependence,
    ChebyshevDistanceInterdependence,
    CosineSimilarityInterdependence,
    CustomHybridKernelInterdependence,
    EuclideanDistanceInterdependence,
    ExponentialKernelInterdependence,
    GaussianRBFKernelInterdependence,
    HyperbolicTangentKernelInterdependence,
    LaplacianKernelInterdependence,
    LinearKernelInterdependence,
    ManhattanDistanceInterdependence,
    MinkowskiDistanceInterdependence,
    NumericalKernelBasedInterdependence,
    PolynomialKernelInterdependence,
)
from jaxbig.interdependence.parameterized import (
    DualLPHMParameterizedInterdependence,
    HMParameterizedInterdependence,
    LowRankParameterizedInterdependence,
    LPHMParameterizedInterdependence,
    ParameterizedInterdependence,
    RandomMatrixAdaptionParameterizedInterdependence,
)
from jaxbig.interdependence.rpn import ParameterizedRPNInterdependence
from jaxbig.interdependence.topological import (
    ChainInterdependence,
    ExponentialApproxMultihopChainInterdependence,
    GraphInterdependence,
    InverseApproxMultihopChainInterdependence,
    MultihopChainInterdependence,
    MultihopGraphInterdependence,
    PageRankMultihopGraphInterdependence,
)
from jaxbig.interdependence.statistical_kernel import (
    KLDivergenceInterdependence,
    MutualInformationInterdependence,
    PearsonCorrelationInterdependence,
    RVCoefficientInterdependence,
    StatisticalKernelBasedInterdependence,
)

__all__ = [
    "AnisotropicRBFKernelInterdependence",
    "CanberraDistanceInterdependence",
    "ChainInterdependence",
    "ChebyshevDistanceInterdependence",
    "ConstantCInterdependence",
    "ConstantInterdependence",
    "CosineSimilarityInterdependence",
    "CuboidPatchAggregationBasedGeometricInterdependence",
    "CuboidPatchBasedGeometricInterdependence",
    "CuboidPatchPaddingBasedGeometricInterdependence",
    "CustomHybridKernelInterdependence",
    "CylinderPatchAggregationBasedGeometricInterdependence",
    "CylinderPatchBasedGeometricInterdependence",
    "CylinderPatchPaddingBasedGeometricInterdependence",
    "DualLPHMParameterizedBilinearInterdependence",
    "DualLPHMParameterizedInterdependence",
    "EuclideanDistanceInterdependence",
    "ExponentialApproxMultihopChainInterdependence",
    "ExponentialKernelInterdependence",
    "GaussianRBFKernelInterdependence",
    "GeometricInterdependence",
    "GraphInterdependence",
    "HMParameterizedBilinearInterdependence",
    "HMParameterizedInterdependence",
    "HybridInterdependence",
    "HyperbolicTangentKernelInterdependence",
    "IdentityInterdependence",
    "InverseApproxMultihopChainInterdependence",
    "KLDivergenceInterdependence",
    "LPHMParameterizedBilinearInterdependence",
    "LPHMParameterizedInterdependence",
    "LaplacianKernelInterdependence",
    "LinearKernelInterdependence",
    "LowRankParameterizedBilinearInterdependence",
    "LowRankParameterizedInterdependence",
    "ManhattanDistanceInterdependence",
    "MinkowskiDistanceInterdependence",
    "MultihopChainInterdependence",
    "MultihopGraphInterdependence",
    "MutualInformationInterdependence",
    "NumericalKernelBasedInterdependence",
    "OneInterdependence",
    "PageRankMultihopGraphInterdependence",
    "ParameterizedBilinearInterdependence",
    "ParameterizedInterdependence",
    "ParameterizedRPNInterdependence",
    "PearsonCorrelationInterdependence",
    "PolynomialKernelInterdependence",
    "RVCoefficientInterdependence",
    "RandomMatrixAdaptionParameterizedBilinearInterdependence",
    "RandomMatrixAdaptionParameterizedInterdependence",
    "SpherePatchAggregationBasedGeometricInterdependence",
    "SpherePatchBasedGeometricInterdependence",
    "SpherePatchPaddingBasedGeometricInterdependence",
    "StaticArray",
    "StatisticalKernelBasedInterdependence",
    "ZeroInterdependence",
]
