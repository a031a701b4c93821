"""One small configuration of every registered expansion, for the registry-wide tests.

``CASES[name] = Case(kwargs, widths, smooth)``: hyperparameters for ``jaxbig.make``,
input widths ``m`` to try (one for functions whose width is fixed by their grid),
and whether the function is differentiable on generic inputs (``check_grads``).
"""

from __future__ import annotations

import json
import pathlib
from typing import Any, NamedTuple

import numpy as np

from jaxbig import registry
from jaxbig.expansion import ChebyshevExpansion, IdentityExpansion
from jaxbig.ops import Cuboid

GOLDEN = pathlib.Path(__file__).parents[1] / "data" / "tinybig_reference.npz"


class Case(NamedTuple):
    kwargs: dict[str, Any]
    widths: tuple[int, ...] = (1, 3, 5)
    smooth: bool = True


_WAVELET = {"s": 2, "t": 2, "a": 2.0, "b": 0.5}

CASES: dict[str, Case] = {
    "IdentityExpansion": Case({}),
    "ReciprocalExpansion": Case({}),
    "LinearExpansion": Case({"c": 2.0}),
    "TaylorExpansion": Case({"d": 3}),
    "FourierExpansion": Case({"P": 3.0, "N": 2}),
    "BSplineExpansion": Case({"t": 4, "d": 2}),
    "ChebyshevExpansion": Case({"d": 4}),
    "LegendreExpansion": Case({"d": 4}),
    "HermiteExpansion": Case({"d": 4}),
    "LaguerreExpansion": Case({"d": 3, "alpha": 0.5}),
    "JacobiExpansion": Case({"d": 3, "alpha": 0.5, "beta": 1.5}),
    "GegenbauerExpansion": Case({"d": 3, "alpha": 0.75}),
    "BesselExpansion": Case({"d": 4}),
    "ReverseBesselExpansion": Case({"d": 4}),
    "FibonacciExpansion": Case({"d": 4}),
    "LucasExpansion": Case({"d": 4}),
    "TrigonometricExpansion": Case({}),
    "HyperbolicExpansion": Case({}),
    "ArcTrigonometricExpansion": Case({}),
    "ArcHyperbolicExpansion": Case({}),
    "GaussianRBFExpansion": Case({"num_interval": 4, "epsilon": 2.0}),
    "InverseQuadraticRBFExpansion": Case({"num_interval": 4, "epsilon": 2.0}),
    "NaiveNormalExpansion": Case({}),
    "NormalExpansion": Case({}),
    "NaiveCauchyExpansion": Case({}),
    "CauchyExpansion": Case({}),
    "NaiveChi2Expansion": Case({}),
    "Chi2Expansion": Case({}),
    "NaiveGammaExpansion": Case({}),
    "GammaExpansion": Case({}),
    "NaiveLaplaceExpansion": Case({}),
    "LaplaceExpansion": Case({}),
    "NaiveExponentialExpansion": Case({}),
    "ExponentialExpansion": Case({}),
    "HybridProbabilisticExpansion": Case({}),
    "HaarWaveletExpansion": Case(dict(_WAVELET), smooth=False),
    "BetaWaveletExpansion": Case({**_WAVELET, "alpha": 2.0, "beta": 3.0}),
    "ShannonWaveletExpansion": Case(dict(_WAVELET)),
    "RickerWaveletExpansion": Case({**_WAVELET, "d": 2, "sigma": 0.8}),
    "DOGWaveletExpansion": Case({**_WAVELET, "sigma_1": 0.5, "sigma_2": 1.5}),
    "MeyerWaveletExpansion": Case(dict(_WAVELET)),
    "CombinatorialExpansion": Case({"d": 3}),
    "CombinatorialNormalExpansion": Case({"d": 2}),
    "GeometricExpansion": Case({"h": 3, "w": 3, "patch": Cuboid(p_h=1, p_w=1)}, widths=(9,)),
    "CuboidPatchBasedGeometricExpansion": Case(
        {"h": 3, "w": 4, "p_h": 1, "p_w": 1, "packing_strategy": "complete_square"}, widths=(12,)
    ),
    "CylinderPatchBasedGeometricExpansion": Case({"h": 3, "w": 3, "d": 2, "p_r": 1}, widths=(18,)),
    "SpherePatchBasedGeometricExpansion": Case({"h": 3, "w": 3, "d": 3, "p_r": 1}, widths=(27,)),
    "NestedExpansion": Case({"composition_functions": ("taylor_expansion", "hyperbolic_expansion")}),
    "ExtendedExpansion": Case(
        {"composition_functions": (IdentityExpansion(), ChebyshevExpansion(d=2))}
    ),
}


def names() -> list[str]:
    """The jaxbig names of every registered expansion."""
    return [entry.name for entry in registry.entries("expansion")]


def build(name: str):
    """The function of ``CASES[name]``."""
    return registry.make(name, **CASES[name].kwargs)


def inputs(shape: tuple[int, int], seed: int = 0) -> np.ndarray:
    """Generic float32 inputs in ±(0.1, 0.9): away from 0 (reciprocal) and from the
    kinks and special points the cases have at integers and half-integers."""
    rng = np.random.default_rng(seed)
    magnitude = rng.uniform(0.1, 0.9, shape)
    # keep clear of Haar/Meyer/Shannon special points τ ∈ {0, ±0.5, ±0.75, 1}
    magnitude = np.where(np.abs(magnitude - 0.5) < 0.02, magnitude + 0.05, magnitude)
    sign = rng.choice([-1.0, 1.0], shape)
    return (sign * magnitude).astype(np.float32)


def golden_cases(family: str = "expansion") -> dict[str, dict[str, Any]]:
    """The golden cases of a family: ``{case: {field: value}}`` with ``kwargs`` decoded."""
    data = np.load(GOLDEN, allow_pickle=False)
    cases: dict[str, dict[str, Any]] = {}
    for key in data.files:
        case, field = key.split("/", 1)
        cases.setdefault(case, {})[field] = data[key]
    selected = {c: f for c, f in cases.items() if str(f["family"]) == family}
    for fields in selected.values():
        fields["kwargs"] = json.loads(str(fields["kwargs"]))
    return dict(sorted(selected.items()))
