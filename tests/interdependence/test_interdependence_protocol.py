"""What every registered interdependence function promises: shapes, parameters, hashing, errors."""

import dataclasses
import math

import jax
import numpy as np
import pytest

import jaxbig
from jaxbig import interdependence as xi
from jaxbig.expansion import IdentityExpansion
from jaxbig.fusion import SummationFusion
from jaxbig.ops import Sphere
from jaxbig.reconciliation import LowRankReconciliation

B, M = 4, 6
X = np.random.default_rng(9).standard_normal((B, M)).astype(np.float32)


def _grid(kind):
    return {"h": 2, "w": 3} if kind == "attribute" else {"h": 2, "w": 2}


def _hybrid(kind):
    return {"fusion_function": SummationFusion(), "interdependence_functions": (
        xi.IdentityInterdependence(B, M, interdependence_type=kind),
        xi.LowRankParameterizedInterdependence(B, M, r=1, interdependence_type=kind))}


# Extra hyperparameters of each member for b=4, m=6 data (a callable takes the type).
EXTRA = {
    "AnisotropicRBFKernelInterdependence": lambda kind: {"a_vector": (1.0,) * (B if kind == "attribute" else M)},
    "ConstantInterdependence": lambda kind: {"A": np.ones((M, 2)) if kind == "attribute" else np.ones((B, 3))},
    "ConstantCInterdependence": {"c": 2.0},
    "CuboidPatchAggregationBasedGeometricInterdependence": lambda kind: {**_grid(kind), "p_h": 1, "p_w": 1},
    "CuboidPatchBasedGeometricInterdependence": lambda kind: {**_grid(kind), "p_h": 1, "p_w": 1},
    "CuboidPatchPaddingBasedGeometricInterdependence": lambda kind: {**_grid(kind), "p_h": 1, "p_w": 1},
    "CustomHybridKernelInterdependence": lambda kind: {"kernels": (
        xi.LinearKernelInterdependence(B, M, interdependence_type=kind),)},
    "CylinderPatchAggregationBasedGeometricInterdependence": lambda kind: {**_grid(kind), "r": 1},
    "CylinderPatchBasedGeometricInterdependence": lambda kind: {**_grid(kind), "r": 1},
    "CylinderPatchPaddingBasedGeometricInterdependence": lambda kind: {**_grid(kind), "r": 1},
    "DualLPHMParameterizedBilinearInterdependence": {"r": 1, "p": 2},
    "DualLPHMParameterizedInterdependence": {"r": 1, "p": 2},
    "GeometricInterdependence": lambda kind: {**_grid(kind), "patch": Sphere(p_r=1)},
    "GraphInterdependence": {"links": ((0, 1), (2, 3))},
    "HMParameterizedBilinearInterdependence": {"p": 2},
    "HMParameterizedInterdependence": {"p": 2},
    "HybridInterdependence": _hybrid,
    "LPHMParameterizedBilinearInterdependence": {"r": 1, "p": 2},
    "LPHMParameterizedInterdependence": {"r": 1, "p": 2},
    "LowRankParameterizedInterdependence": lambda kind: {"r": 1, "m_prime": 3} if kind == "attribute"
    else {"r": 1, "b_prime": 2},
    "MinkowskiDistanceInterdependence": {"p": 1.5},
    "MultihopGraphInterdependence": {"links": ((0, 1), (1, 2)), "h": 2},
    "NumericalKernelBasedInterdependence": {"kernel": lambda v: v.T @ v},
    "PageRankMultihopGraphInterdependence": {"links": ((0, 1), (1, 2)), "normalization": True},
    "ParameterizedInterdependence": lambda kind: {"m_prime": 5} if kind == "attribute" else {"b_prime": 7},
    "ParameterizedRPNInterdependence": {"data_transformation": IdentityExpansion(),
                                        "parameter_fabrication": LowRankReconciliation(r=1)},
    "SpherePatchAggregationBasedGeometricInterdependence": lambda kind: {**_grid(kind), "r": 1},
    "SpherePatchBasedGeometricInterdependence": lambda kind: {**_grid(kind), "r": 1},
    "SpherePatchPaddingBasedGeometricInterdependence": lambda kind: {**_grid(kind), "r": 1},
    "StatisticalKernelBasedInterdependence": {"kernel": lambda v: v.T @ v},
}
NAMES = [entry.name for entry in jaxbig.entries("interdependence")]


def _make(name, kind):
    extra = EXTRA.get(name, {})
    kind_name = {"right": "attribute"}.get(kind, kind)
    extra = extra(kind_name) if callable(extra) else extra
    sizes = {} if "Geometric" in name else {"b": B, "m": M}
    return jaxbig.make(name, **sizes, interdependence_type=kind, **extra)


def _x(f):
    return X if f.is_attribute or f.b == B else np.random.default_rng(0).standard_normal((f.b, M)).astype(np.float32)


def test_every_registered_member_has_an_example():
    assert set(NAMES) >= set(EXTRA)
    assert len(NAMES) == 56


@pytest.mark.parametrize("kind", ["attribute", "instance"])
@pytest.mark.parametrize("name", NAMES)
def test_shapes_follow_the_calculators(name, kind):
    # Abstract evaluation only (no compilation): each family's own tests check the values.
    f = _make(name, kind)
    x = _x(f)
    params = jax.eval_shape(f.init, jax.random.key(0))
    leaves = [leaf for leaf in jax.tree.leaves(getattr(params, "w", params))
              if leaf is not None and jax.numpy.issubdtype(leaf.dtype, jax.numpy.floating)]
    assert sum(math.prod(leaf.shape) for leaf in leaves) == f.calculate_l()
    a, out = jax.eval_shape(lambda p, x: (f.calculate_A(p, x), f.apply(p, x)), params, x)
    b, m = x.shape
    if kind == "attribute":
        assert a.shape == (m, f.calculate_m_prime()) and out.shape == (b, f.calculate_m_prime())
        assert f.calculate_b_prime(b) == b
    else:
        assert a.shape == (b, f.calculate_b_prime()) and out.shape == (f.calculate_b_prime(), m)
        assert f.calculate_m_prime(m) == m
    assert out.dtype == x.dtype


@pytest.mark.parametrize("name", NAMES)
def test_members_are_hashable_and_reject_unknown_types(name):
    f = _make(name, "attribute")
    assert f == dataclasses.replace(f) and hash(f) == hash(dataclasses.replace(f))
    assert _make(name, "right") == f  # tinyBIG's aliases are normalised
    with pytest.raises(ValueError, match=rf"{name}: interdependence_type='sideways' is not one of"):
        dataclasses.replace(f, interdependence_type="sideways")
