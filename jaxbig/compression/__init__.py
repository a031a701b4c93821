"""Data compression functions κ: ℝ^m → ℝ^D with D < m (tinyBIG's compression family).

Every function is a frozen, hashable dataclass with ``calculate_D(m)``,
``init(key, m)`` and a pure ``apply(params, x)`` mapping ``(b, m)`` to ``(b, D)``.
"""

from jaxbig.compression.geometric import (
    CuboidMaxBasedGeometricCompression,
    CuboidMeanBasedGeometricCompression,
    CuboidMinBasedGeometricCompression,
    CuboidPatchBasedGeometricCompression,
    CylinderMaxBasedGeometricCompression,
    CylinderMeanBasedGeometricCompression,
    CylinderMinBasedGeometricCompression,
    CylinderPatchBasedGeometricCompression,
    GeometricCompression,
    SphereMaxBasedGeometricCompression,
    SphereMeanBasedGeometricCompression,
    SphereMinBasedGeometricCompression,
    SpherePatchBasedGeometricCompression,
)
from jaxbig.compression.metric import (
    MaxCompression,
    MeanCompression,
    MedianCompression,
    MetricCompression,
    MinCompression,
    ProdCompression,
    SumCompression,
)

__all__ = [
    "CuboidMaxBasedGeometricCompression",
    "CuboidMeanBasedGeometricCompression",
    "CuboidMinBasedGeometricCompression",
    "CuboidPatchBasedGeometricCompression",
    "CylinderMaxBasedGeometricCompression",
    "CylinderMeanBasedGeometricCompression",
    "CylinderMinBasedGeometricCompression",
    "CylinderPatchBasedGeometricCompression",
    "GeometricCompression",
    "MaxCompression",
    "MeanCompression",
    "MedianCompression",
    "MetricCompression",
    "MinCompression",
    "ProdCompression",
    "SphereMaxBasedGeometricCompression",
    "SphereMeanBasedGeometricCompression",
    "SphereMinBasedGeometricCompression",
    "SpherePatchBasedGeometricCompression",
    "SumCompression",
]
