"""Geometric expansions against a transcription of tinyBIG's padding-matrix route."""

from __future__ import annotations

import math

import numpy as np
import pytest

import jaxbig
from jaxbig.ops import Cuboid


# tinyBIG's koala.geometry coordinate generators (dict order = element order); the
# cylinder uses its documented depth range [-p_d, p_d'].
def _cuboid(p_h, p_w, p_d, p_h_prime, p_w_prime, p_d_prime):
    return [(i, j, k) for i in range(-p_h, p_h_prime + 1) for j in range(-p_w, p_w_prime + 1)
            for k in range(-p_d, p_d_prime + 1)]


def _cylinder(p_r, p_d, p_d_prime):
    out = []
    for i in range(-p_r, p_r + 1):
        lim = int(math.sqrt(p_r**2 - i**2))
        for j in range(-lim, lim + 1):
            if i**2 + j**2 <= p_r**2:
                out += [(i, j, k) for k in range(-p_d, p_d_prime + 1)]
    return out


def _sphere(p_r):
    out = []
    for i in range(-p_r, p_r + 1):
        lim = int(math.sqrt(p_r**2 - i**2))
        for j in range(-lim, lim + 1):
            klim = int(math.sqrt(max(p_r**2 - i**2 - j**2, 0)))
            out += [(i, j, k) for k in range(-klim, klim + 1) if i**2 + j**2 + k**2 <= p_r**2]
    return out


def _tinybig(x, h, w, d, channels, offsets, cd):
    """grid.to_padding_matrix, then geometric_interdependence and geometric_expansion's
    view/permute sequence."""
    n = h * w * d
    centres = [(i, j, k) for i in range(0, h, cd[0]) for j in range(0, w, cd[1]) for k in range(0, d, cd[2])]
    P, p = len(centres), len(offsets)
    A = np.zeros((n, P * p))
    for c, (ci, cj, ck) in enumerate(centres):
        for o, (di, dj, dk) in enumerate(offsets):
            i, j, k = ci + di, cj + dj, ck + dk
            if 0 <= i < h and 0 <= j < w and 0 <= k < d:
                A[k + j * d + i * d * w, c * p + o] = 1.0
    b = x.shape[0]
    xi = (x.reshape(b * channels, n) @ A).reshape(b, channels, P, p).transpose(0, 2, 1, 3).reshape(b, -1)
    return xi.reshape(b, P, -1).transpose(0, 2, 1).reshape(b, -1)


CASES = [
    ("cuboid_patch_based_geometric_expansion",
     dict(h=4, w=5, p_h=1, p_w=0, p_h_prime=0, p_w_prime=2, channel_num=2, cd_h=2, cd_w=1, cd_d=1),
     _cuboid(1, 0, 0, 0, 2, 0), (2, 1, 1)),
    ("cuboid_patch_based_geometric_expansion",
     dict(h=5, w=4, d=2, p_h=1, p_w=1, p_d=1, packing_strategy="complete_square"),
     _cuboid(1, 1, 1, 1, 1, 1), (2, 2, 2)),
    ("cylinder_patch_based_geometric_expansion",
     dict(h=4, w=4, d=3, p_r=2, p_d=1, p_d_prime=0, packing_strategy="complete_hexagonal"),
     _cylinder(2, 1, 0), (3, 3, 2)),
    ("sphere_patch_based_geometric_expansion",
     dict(h=3, w=4, d=3, p_r=2, packing_strategy="complete_face_centered_cubic"),
     _sphere(2), (2, 3, 2)),  # (√2·2, 0.6667·√6·2, 1.3333·2) truncated
    ("geometric_expansion",
     dict(h=3, w=3, patch_configs={"patch_class": "tinybig.koala.geometry.cuboid",
                                   "patch_parameters": {"p_h": 1, "p_w": 1, "name": "cuboid"}}),
     _cuboid(1, 1, 0, 1, 1, 0), (1, 1, 1)),
]


@pytest.mark.parametrize("name, kwargs, offsets, cd", CASES)
def test_patches_equal_tinybig_padding_route(name, kwargs, offsets, cd):
    kappa = jaxbig.make(name, **kwargs)
    h, w, d, c = kwargs["h"], kwargs["w"], kwargs.get("d", 1), kwargs.get("channel_num", 1)
    x = np.random.default_rng(7).normal(size=(2, h * w * d * c)).astype(np.float32)
    expected = _tinybig(x.astype(np.float64), h, w, d, c, offsets, cd)
    assert kappa.calculate_D(h * w * d * c) == expected.shape[1]
    np.testing.assert_allclose(kappa.apply(None, x), expected, rtol=1e-6)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(h=3, w=3, p_r=1, packing_strategy="dense_square"),
         r"SpherePatchBasedGeometricExpansion: Sphere: packing_strategy='dense_square' is not one of"),
        (dict(h=3, w=3, p_r=1, cd_h=2), r"SpherePatchBasedGeometricExpansion: .*give all of cd_h, cd_w, cd_d or none"),
        (dict(h=0, w=3, p_r=1), r"SpherePatchBasedGeometricExpansion: h=0 must be >= 1"),
    ],
)
def test_bad_hyperparameters_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        jaxbig.make("sphere_patch_based_geometric_expansion", **kwargs)


def test_geometric_expansion_needs_a_patch():
    with pytest.raises(ValueError, match=r"GeometricExpansion: patch must be a jaxbig.ops Cuboid"):
        jaxbig.make("geometric_expansion", h=2, w=2)
    assert jaxbig.make("geometric_expansion", h=2, w=2, patch=Cuboid(0, 0), packing_strategy=None).packing_strategy == "densest_packing"
