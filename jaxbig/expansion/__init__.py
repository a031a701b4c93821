"""Data expansion functions κ: ℝ^m → ℝ^D (D > m), tinyBIG's expansion family in JAX.

Every member is a frozen, hashable dataclass of static hyperparameters with
``calculate_D(m)``, ``init(key, m)`` (``None`` unless it holds sub-functions) and
``apply(params, x)`` mapping ``(b, m)`` to ``(b, D)`` in ``x``'s dtype; all work under
``jit``, ``vmap`` and ``grad``. Feature orders are tinyBIG's, so its weights transfer.

Groups: basic (identity, reciprocal, linear), polynomial (Taylor, Fourier),
B-spline, orthogonal polynomials (Chebyshev, Legendre, Hermite, Laguerre, Jacobi,
Gegenbauer), polynomial sequences (Bessel, reverse Bessel, Fibonacci, Lucas),
trigonometric/hyperbolic and their inverses, RBFs, probabilistic (naive, six-way,
hybrid), wavelets, combinatorial, geometric (patch-based), nested and extended.
"""

from jaxbig.expansion.basic import IdentityExpansion, LinearExpansion, ReciprocalExpansion
from jaxbig.expansion.bspline import BSplineExpansion
from jaxbig.expansion.combinatorial import CombinatorialExpansion, CombinatorialNormalExpansion
from jaxbig.expansion.composite import ExtendedExpansion, NestedExpansion
from jaxbig.expansion.geometric import (
    CuboidPatchBasedGeometricExpansion,
    CylinderPatchBasedGeometricExpansion,
    GeometricExpansion,
    SpherePatchBasedGeometricExpansion,
)
from jaxbig.expansion.orthogonal import (
    ChebyshevExpansion,
    GegenbauerExpansion,
    HermiteExpansion,
    JacobiExpansion,
    LaguerreExpansion,
    LegendreExpansion,
)
from jaxbig.expansion.polynomial import FourierExpansion, TaylorExpansion
from jaxbig.expansion.probabilistic import (
    CauchyExpansion,
    Chi2Expansion,
    ExponentialExpansion,
    GammaExpansion,
    HybridProbabilisticExpansion,
    LaplaceExpansion,
    NaiveCauchyExpansion,
    NaiveChi2Expansion,
    NaiveExponentialExpansion,
    NaiveGammaExpansion,
    NaiveLaplaceExpansion,
    NaiveNormalExpansion,
    NormalExpansion,
)
from jaxbig.expansion.rbf import GaussianRBFExpansion, InverseQuadraticRBFExpansion
from jaxbig.expansion.sequences import (
    BesselExpansion,
    FibonacciExpansion,
    LucasExpansion,
    ReverseBesselExpansion,
)
from jaxbig.expansion.trigonometric import (
    ArcHyperbolicExpansion,
    ArcTrigonometricExpansion,
    HyperbolicExpansion,
    TrigonometricExpansion,
)
from jaxbig.expansion.wavelet import (
    BetaWaveletExpansion,
    DOGWaveletExpansion,
    HaarWaveletExpansion,
    MeyerWaveletExpansion,
    RickerWaveletExpansion,
    ShannonWaveletExpansion,
)

__all__ = [
    "ArcHyperbolicExpansion",
    "ArcTrigonometricExpansion",
    "BSplineExpansion",
    "BesselExpansion",
    "BetaWaveletExpansion",
    "CauchyExpansion",
    "ChebyshevExpansion",
    "Chi2Expansion",
    "CombinatorialExpansion",
    "CombinatorialNormalExpansion",
    "CuboidPatchBasedGeometricExpansion",
    "CylinderPatchBasedGeometricExpansion",
    "DOGWaveletExpansion",
    "ExponentialExpansion",
    "ExtendedExpansion",
    "FibonacciExpansion",
    "FourierExpansion",
    "GammaExpansion",
    "GaussianRBFExpansion",
    "GegenbauerExpansion",
    "GeometricExpansion",
    "HaarWaveletExpansion",
    "HermiteExpansion",
    "HybridProbabilisticExpansion",
    "HyperbolicExpansion",
    "IdentityExpansion",
    "InverseQuadraticRBFExpansion",
    "JacobiExpansion",
    "LaguerreExpansion",
    "LaplaceExpansion",
    "LegendreExpansion",
    "LinearExpansion",
    "LucasExpansion",
    "MeyerWaveletExpansion",
    "NaiveCauchyExpansion",
    "NaiveChi2Expansion",
    "NaiveExponentialExpansion",
    "NaiveGammaExpansion",
    "NaiveLaplaceExpansion",
    "NaiveNormalExpansion",
    "NestedExpansion",
    "NormalExpansion",
    "ReciprocalExpansion",
    "ReverseBesselExpansion",
    "RickerWaveletExpansion",
    "ShannonWaveletExpansion",
    "SpherePatchBasedGeometricExpansion",
    "TaylorExpansion",
    "TrigonometricExpansion",
]
