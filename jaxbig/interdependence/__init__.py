"""Interdependence functions ξ: matrices that mix attributes (columns) or instances (rows).

An attribute function computes ``x @ A`` with ``A (m, m')``; an instance function
computes ``A.T @ x`` with ``A (b, b')``. Members are frozen, hashable dataclasses
built with ``b, m`` and ``interdependence_type``; see :class:`jaxbig.base.Interdependence`.
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

__all__ = sorted([
    "CuboidPatchAggregationBasedGeometricInterdependence",
    "CuboidPatchBasedGeometricInterdependence",
    "CuboidPatchPaddingBasedGeometricInterdependence",
    "CylinderPatchAggregationBasedGeometricInterdependence",
    "CylinderPatchBasedGeometricInterdependence",
    "CylinderPatchPaddingBasedGeometricInterdependence",
    "GeometricInterdependence",
    "SpherePatchAggregationBasedGeometricInterdependence",
    "SpherePatchBasedGeometricInterdependence",
    "SpherePatchPaddingBasedGeometricInterdependence",
    "HybridInterdependence",
    "ParameterizedRPNInterdependence",
    "DualLPHMParameterizedBilinearInterdependence",
    "HMParameterizedBilinearInterdependence",
    "LowRankParameterizedBilinearInterdependence",
    "LPHMParameterizedBilinearInterdependence",
    "ParameterizedBilinearInterdependence",
    "RandomMatrixAdaptionParameterizedBilinearInterdependence",
    "DualLPHMParameterizedInterdependence",
    "HMParameterizedInterdependence",
    "LowRankParameterizedInterdependence",
    "LPHMParameterizedInterdependence",
    "ParameterizedInterdependence",
    "RandomMatrixAdaptionParameterizedInterdependence",
    "ChainInterdependence",
    "ExponentialApproxMultihopChainInterdependence",
    "GraphInterdependence",
    "InverseApproxMultihopChainInterdependence",
    "MultihopChainInterdependence",
    "MultihopGraphInterdependence",
    "PageRankMultihopGraphInterdependence",
    "AnisotropicRBFKernelInterdependence",
    "CanberraDistanceInterdependence",
    "ChebyshevDistanceInterdependence",
    "ConstantCInterdependence",
    "ConstantInterdependence",
    "CosineSimilarityInterdependence",
    "CustomHybridKernelInterdependence",
    "EuclideanDistanceInterdependence",
    "ExponentialKernelInterdependence",
    "GaussianRBFKernelInterdependence",
    "HyperbolicTangentKernelInterdependence",
    "IdentityInterdependence",
    "KLDivergenceInterdependence",
    "LaplacianKernelInterdependence",
    "LinearKernelInterdependence",
    "ManhattanDistanceInterdependence",
    "MinkowskiDistanceInterdependence",
    "MutualInformationInterdependence",
    "NumericalKernelBasedInterdependence",
    "OneInterdependence",
    "PearsonCorrelationInterdependence",
    "PolynomialKernelInterdependence",
    "RVCoefficientInterdependence",
    "StaticArray",
    "StatisticalKernelBasedInterdependence",
    "ZeroInterdependence",
])
