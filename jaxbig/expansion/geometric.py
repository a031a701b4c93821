"""Geometric (patch-based) expansions: the input read as an h×w×d grid, cut into patches."""

from __future__ import annotations

import dataclasses
from typing import Any

import jax
import jax.numpy as jnp

from jaxbig.base import check_int
from jaxbig.expansion._common import ExpansionBase
from jaxbig.ops.patches import (
    Cuboid,
    Cylinder,
    PatchIndex,
    Sphere,
    gather_patches,
    make_patch,
    patch_indices,
)
from jaxbig.registry import register

__all__ = [
    "CuboidPatchBasedGeometricExpansion",
    "CylinderPatchBasedGeometricExpansion",
    "GeometricExpansion",
    "SpherePatchBasedGeometricExpansion",
]


@register(
    family="expansion",
    tinybig="geometric_expansion",
    formula="κ(x) = [x(p_1), x(p_2), ..., x(p_P)] (patches of the h×w×d grid, 0 outside it), D = P·p",
    keywords={"patch_configs": "patch"},
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class GeometricExpansion(ExpansionBase):
    """Geometric expansion: the grid values covered by each of a set of patches.

    ``κ(x) = [x(p_1), x(p_2), ..., x(p_P)] (patches of the h×w×d grid, 0 outside it), D = P·p``.

    The row ``x`` of width ``m = h·w·d·channel_num`` is a grid (channel outermost,
    then ``i < h``, ``j < w``, ``k < d``: entry ``u·hwd + i·wd + j·d + k``). Patch
    centres sit at ``(i, j, k)`` for ``i ∈ {0, cd_h, 2cd_h, … < h}`` (likewise ``j``,
    ``k``; ``i`` outermost), ``P`` of them; the patch ``x(p_c)`` lists the ``p``
    values at the centre plus the patch offsets, 0 where an offset leaves the grid
    (zero padding). Column ``(u·p + o)·P + c`` holds offset ``o`` of patch ``c`` in
    channel ``u`` (tinyBIG's order: offset-major), ``D = P·p·channel_num``.

    Args:
      h: the grid height ``h ≥ 1``.
      w: the grid width ``w ≥ 1``.
      d: the grid depth ``d ≥ 1``.
      channel_num: the number of stacked grids (channels) ``≥ 1``.
      patch: a :class:`jaxbig.ops.Cuboid`, ``Cylinder`` or ``Sphere``, or a tinyBIG
        ``patch_configs`` dict (keyword ``patch_configs`` too).
      packing_strategy: one of the patch's ``packing_strategies`` (e.g.
        ``"densest_packing"``, a centre at every grid point); ``None`` means
        ``"densest_packing"``, tinyBIG's fallback.
      cd_h, cd_w, cd_d: explicit centre distances (all three or none), overriding
        ``packing_strategy``.

    Raises:
      ValueError: for a non-positive grid size, an unknown patch or packing
        strategy, partial centre distances, or an input whose width is not
        ``h·w·d·channel_num``.

    References:
      tinyBIG ``geometric_expansion``; Zhang, J. "RPN 2: On Interdependence Function
      Learning Towards Unifying and Advancing CNN, RNN, GNN, and Transformer",
      arXiv:2411.11162, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import GeometricExpansion
    >>> from jaxbig.ops import Cuboid
    >>> kappa = GeometricExpansion(h=2, w=2, patch=Cuboid(p_h=0, p_w=0, p_w_prime=1))
    >>> kappa.apply(None, jnp.array([[1.0, 2.0, 3.0, 4.0]]))
    Array([[1., 2., 3., 4., 2., 0., 4., 0.]], dtype=float32)
    """

    h: int
    w: int
    d: int = 1
    channel_num: int = 1
    patch: Any = None
    packing_strategy: str | None = "densest_packing"
    cd_h: int | None = None
    cd_w: int | None = None
    cd_d: int | None = None

    def __post_init__(self) -> None:
        for name in ("h", "w", "d", "channel_num"):
            object.__setattr__(self, name, check_int(self, name, getattr(self, name), minimum=1))
        object.__setattr__(self, "patch", make_patch(self, self.patch))
        if self.packing_strategy is None:
            object.__setattr__(self, "packing_strategy", "densest_packing")
        try:
            self.patch_index()  # validates the strategy and the centre distances
        except ValueError as error:
            raise ValueError(f"{type(self).__name__}: {error}") from None

    def patch_index(self) -> PatchIndex:
        """Where each of the ``P`` patches reads one channel's grid (static NumPy
        indices, ``(P, p)``; see :func:`jaxbig.ops.patch_indices`)."""
        return patch_indices(
            (self.h, self.w, self.d),
            self.patch,
            packing_strategy=self.packing_strategy,
            cd_h=self.cd_h,
            cd_w=self.cd_w,
            cd_d=self.cd_d,
        )

    def _width(self) -> int:
        return self.h * self.w * self.d * self.channel_num

    def _D(self, m: int) -> int:
        return self.patch_index().index.size * self.channel_num

    def _expand(self, x: jax.Array) -> jax.Array:
        b = x.shape[0]
        grids = x.reshape(b, self.channel_num, self.h * self.w * self.d)
        patches = gather_patches(grids, self.patch_index())  # (b, channel, P, p)
        return jnp.swapaxes(patches, 2, 3).reshape(b, -1)  # offset-major: (u·p + o)·P + c


@register(
    family="expansion",
    tinybig="cuboid_patch_based_geometric_expansion",
    formula="κ(x) = [x(p_1), ..., x(p_P)], p = cuboid [−p_h, p_h']×[−p_w, p_w']×[−p_d, p_d'], D = P·p",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class CuboidPatchBasedGeometricExpansion(GeometricExpansion):
    """Geometric expansion with cuboid patches.

    ``κ(x) = [x(p_1), ..., x(p_P)], p = cuboid [−p_h, p_h']×[−p_w, p_w']×[−p_d, p_d'], D = P·p``;
    layout and grid as in :class:`GeometricExpansion`, with
    ``patch = Cuboid(p_h, p_w, p_d, p_h_prime, p_w_prime, p_d_prime)``.

    Args:
      p_h, p_w, p_d: the patch extents below the centre (``≥ 0``).
      p_h_prime, p_w_prime, p_d_prime: the extents above it (``None``: symmetric).
      h, w, d, channel_num, packing_strategy, cd_h, cd_w, cd_d: as in
        :class:`GeometricExpansion` (strategies: ``Cuboid.packing_strategies``).

    Raises:
      ValueError: as :class:`GeometricExpansion`, or for negative extents.

    References:
      tinyBIG ``cuboid_patch_based_geometric_expansion``; Zhang, J. "RPN 2",
      arXiv:2411.11162, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.expansion import CuboidPatchBasedGeometricExpansion
    >>> kappa = CuboidPatchBasedGeometricExpansion(h=4, w=4, p_h=1, p_w=1)
    >>> kappa.calculate_D(16), kappa.apply(None, jnp.ones((2, 16))).shape
    (144, (2, 144))
    """

    p_h: int
    p_w: int
    p_d: int = 0
    p_h_prime: int | None = None
    p_w_prime: int | None = None
    p_d_prime: int | None = None
    patch: Any = dataclasses.field(default=None, init=False)

    def __post_init__(self) -> None:
        patch = Cuboid(self.p_h, self.p_w, self.p_d, self.p_h_prime, self.p_w_prime, self.p_d_prime)
        object.__setattr__(self, "patch", patch)
        super().__post_init__()


@register(
    family="expansion",
    tinybig="cylinder_patch_based_geometric_expansion",
    formula="κ(x) = [x(p_1), ..., x(p_P)], p = cylinder ∇i² + ∇j² ≤ p_r², ∇k ∈ [−p_d, p_d'], D = P·p",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class CylinderPatchBasedGeometricExpansion(GeometricExpansion):
    """Geometric expansion with cylinder patches.

    ``κ(x) = [x(p_1), ..., x(p_P)], p = cylinder ∇i² + ∇j² ≤ p_r², ∇k ∈ [−p_d, p_d'], D = P·p``;
    layout and grid as in :class:`GeometricExpansion`, with
    ``patch = Cylinder(p_r, p_d, p_d_prime)`` (see its note on ``p_d'``).

    Args:
      p_r: the patch radius (``≥ 0``).
      p_d: the depth below the centre (``≥ 0``).
      p_d_prime: the depth above it (``None``: symmetric).
      h, w, d, channel_num, packing_strategy, cd_h, cd_w, cd_d: as in
        :class:`GeometricExpansion` (strategies: ``Cylinder.packing_strategies``).

    Raises:
      ValueError: as :class:`GeometricExpansion`, or for negative sizes.

    References:
      tinyBIG ``cylinder_patch_based_geometric_expansion``; Zhang, J. "RPN 2",
      arXiv:2411.11162, 2024.

    >>> from jaxbig.expansion import CylinderPatchBasedGeometricExpansion
    >>> CylinderPatchBasedGeometricExpansion(h=3, w=3, p_r=1).calculate_D(9)
    45
    """

    p_r: int
    p_d: int = 0
    p_d_prime: int | None = None
    patch: Any = dataclasses.field(default=None, init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "patch", Cylinder(self.p_r, self.p_d, self.p_d_prime))
        super().__post_init__()


@register(
    family="expansion",
    tinybig="sphere_patch_based_geometric_expansion",
    formula="κ(x) = [x(p_1), ..., x(p_P)], p = sphere ∇i² + ∇j² + ∇k² ≤ p_r², D = P·p",
)
@dataclasses.dataclass(frozen=True, kw_only=True)
class SpherePatchBasedGeometricExpansion(GeometricExpansion):
    """Geometric expansion with sphere patches.

    ``κ(x) = [x(p_1), ..., x(p_P)], p = sphere ∇i² + ∇j² + ∇k² ≤ p_r², D = P·p``;
    layout and grid as in :class:`GeometricExpansion`, with
    ``patch = Sphere(p_r)``.

    Args:
      p_r: the patch radius (``≥ 0``).
      h, w, d, channel_num, packing_strategy, cd_h, cd_w, cd_d: as in
        :class:`GeometricExpansion` (strategies: ``Sphere.packing_strategies``).

    Raises:
      ValueError: as :class:`GeometricExpansion`, or for a negative radius.

    References:
      tinyBIG ``sphere_patch_based_geometric_expansion``; Zhang, J. "RPN 2",
      arXiv:2411.11162, 2024.

    >>> from jaxbig.expansion import SpherePatchBasedGeometricExpansion
    >>> SpherePatchBasedGeometricExpansion(h=3, w=3, d=3, p_r=1).calculate_D(27)
    189
    """

    p_r: int
    patch: Any = dataclasses.field(default=None, init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "patch", Sphere(self.p_r))
        super().__post_init__()
