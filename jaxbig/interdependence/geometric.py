"""Geometric (patch) interdependence: cuboid, cylinder and sphere patches over a grid.

The data are grids of shape ``(channel_num, h, w, d)`` flattened channel-major (then
row-major over ``(h, w, d)``), as tinyBIG's ``grid`` lays attributes out; ``n = h·w·d``
cells per channel. Patches are packed over the grid with strides ``(cd_h, cd_w,
cd_d)`` (:func:`jaxbig.ops.patch_indices`), ``P`` patches of ``V`` positions each.

* **padding** mode gathers every patch: the output holds, for each patch ``p``,
  channel ``c`` and position ``e``, the cell the patch covers there (0 past the
  border): ``(b, P·c·V)`` ordered patch-major, then channel, then position (the
  input of a convolution-like head).
* **aggregation** mode sums every patch into its center cell: ``(b, n·c)`` ordered
  cell-major, then channel; cells that are not patch centers are 0.

``apply`` is one vectorised gather (plus a weighted sum for aggregation); it never
forms the ``(m, m')`` matrix, which :meth:`calculate_A` returns for inspection.
With ``normalization`` the per-channel matrix is degree-normalised first (tinyBIG's
``degree_based_normalize_matrix``) and ``apply`` uses the normalised weights.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, ClassVar

import jax
import jax.numpy as jnp
import numpy as np

from jaxbig.base import check_bool, check_int, check_one_of
from jaxbig.interdependence._base import StaticBase, output_dtype
from jaxbig.interdependence._matrix import NORMALIZATION_MODES, degree_normalize
from jaxbig.ops import Cuboid, Cylinder, Sphere, gather_patches, make_patch, patch_indices
from jaxbig.ops.patches import PatchIndex, aggregation_matrix, padding_matrix
from jaxbig.registry import register

__all__ = [
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
]

_FAMILY = "interdependence"
MODES = ("padding", "aggregation")


@register(
    family=_FAMILY,
    tinybig="geometric_interdependence",
    formula="A = [A_p]_p (padding: A_p gathers patch p) or A(i, c) = 1 if cell i ∈ patch(c)",
    keywords={"patch_configs": "patch"},
)
@dataclasses.dataclass(frozen=True)
class GeometricInterdependence(StaticBase):
    """Geometric interdependence over a grid with a given patch shape.

    ``A = [A_p]_p (padding: A_p gathers patch p) or A(i, c) = 1 if cell i ∈ patch(c)``:
    in padding mode A concatenates one block ``A_p ∈ ℝ^{n×V}`` per patch, with
    ``A_p(i, e) = 1`` when position ``e`` of patch ``p`` is cell ``i``; in aggregation
    mode ``A ∈ ℝ^{n×n}`` has ``A(i, c) = 1`` when cell ``i`` lies in the patch
    centered at ``c``. Channels are independent (block-diagonal), and the output is
    reordered patch/cell-major as tinyBIG's ``forward`` does; :meth:`calculate_A`
    returns that whole ``(m, m')`` map, while tinyBIG's ``calculate_A`` returns the
    per-channel block (:meth:`channel_matrix` here).

    Attribute functions read the grid from the columns of ``x (b, m)``,
    ``m = channel_num·h·w·d``; instance functions read it from the rows
    (``b = channel_num·h·w·d``; ``apply = Aᵀ x``).

    Args:
      b: number of instances; for instance functions ``None`` means the grid size.
      m: number of attributes; for attribute functions ``None`` means the grid size.
      h: grid height.
      w: grid width.
      d: grid depth.
      channel_num: number of channels, stacked channel-major.
      patch: a :class:`~jaxbig.ops.Cuboid`, :class:`~jaxbig.ops.Cylinder` or
        :class:`~jaxbig.ops.Sphere`, or a tinyBIG ``patch_configs`` dict (keyword
        ``patch_configs`` too; see :func:`jaxbig.ops.make_patch`).
      packing_strategy: a named packing of the patch centers (the shape's
        ``packing_strategies``); ``None`` means ``"densest_packing"`` (stride 1).
      cd_h: stride between centers along ``h``; ``cd_h, cd_w, cd_d`` are given
        together and override ``packing_strategy``.
      cd_w: stride along ``w``.
      cd_d: stride along ``d``.
      interdependence_matrix_mode: ``'padding'`` or ``'aggregation'``.
      normalization: whether to degree-normalise the per-channel matrix.
      normalization_mode: ``'row'``, ``'column'`` or ``'row_column'`` (tinyBIG's default).
      interdependence_type: ``'attribute'`` (default) or ``'instance'`` (or an alias).
      preprocess_functions: unused (no data).
      postprocess_functions: functions applied to A (``apply`` then uses the
        materialised A).

    Raises:
      ValueError: if a grid size or stride is not a positive integer, the packing
        strategy is unknown, ``m`` (attribute) or ``b`` (instance) is not the grid
        size, or a mode is unknown.

    References:
      tinyBIG, ``tinybig/interdependence/geometric_interdependence.py`` and
      ``tinybig/koala/geometry``; RPN 2, arXiv:2411.11162.

    >>> import jax.numpy as jnp
    >>> from jaxbig.ops import Cuboid
    >>> f = GeometricInterdependence(h=2, w=2, patch=Cuboid(p_h=1, p_w=1))
    >>> f.m, f.calculate_m_prime(), f.apply(None, jnp.ones((3, 4))).shape
    (4, 36, (3, 36))
    """

    b: int | None = None
    m: int | None = None
    _: dataclasses.KW_ONLY
    h: int = 1
    w: int = 1
    d: int = 1
    channel_num: int = 1
    patch: Any
    packing_strategy: str | None = "densest_packing"
    cd_h: int | None = None
    cd_w: int | None = None
    cd_d: int | None = None
    interdependence_matrix_mode: str = "padding"
    normalization: bool = False
    normalization_mode: str = "row_column"

    #: Set by the padding / aggregation members, whose mode is fixed.
    _FIXED_MODE: ClassVar[str | None] = None

    def __post_init__(self) -> None:
        for name in ("h", "w", "d", "channel_num"):
            object.__setattr__(self, name, check_int(self, name, getattr(self, name), minimum=1))
        if isinstance(self.patch, Mapping):  # a tinyBIG patch_configs dict
            object.__setattr__(self, "patch", make_patch(self, self.patch))
        size = self.grid_size
        attribute = self.interdependence_type in ("attribute", "column", "right",
                                                  "attribute_interdependence")
        for name, is_grid_axis in (("m", attribute), ("b", not attribute)):
            value = getattr(self, name)
            if value is None or value == 0:  # tinyBIG's default 0: derive from the grid
                object.__setattr__(self, name, size if is_grid_axis else 1)
        super().__post_init__()
        axis = "m" if self.is_attribute else "b"
        if getattr(self, axis) != size:
            raise self._error(
                f"{axis}={getattr(self, axis)} must equal channel_num·h·w·d = "
                f"{self.channel_num}·{self.h}·{self.w}·{self.d} = {size}"
            )
        check_one_of(self, "interdependence_matrix_mode", self.interdependence_matrix_mode, MODES)
        if self._FIXED_MODE is not None and self.interdependence_matrix_mode != self._FIXED_MODE:
            raise self._error(
                f"interdependence_matrix_mode={self.interdependence_matrix_mode!r} must be "
                f"{self._FIXED_MODE!r} for this function"
            )
        object.__setattr__(self, "normalization", check_bool(self, "normalization", self.normalization))
        check_one_of(self, "normalization_mode", self.normalization_mode, NORMALIZATION_MODES)
        self.patch_index()  # validates the patch and the packing now, not at trace time

    # -- geometry -------------------------------------------------------------------

    def _patch(self) -> Cuboid | Cylinder | Sphere:
        if not isinstance(self.patch, (Cuboid, Cylinder, Sphere)):
            raise self._error(f"patch must be a jaxbig.ops Cuboid, Cylinder or Sphere, got {self.patch!r}")
        return self.patch

    @property
    def grid_size(self) -> int:
        """``channel_num·h·w·d``: the width (attribute) or height (instance) of ``x``."""
        return self.channel_num * self.h * self.w * self.d

    def patch_index(self) -> PatchIndex:
        """The static patch indices (:func:`jaxbig.ops.patch_indices`) of one channel."""
        patch = self._patch()
        try:
            return patch_indices(
                (self.h, self.w, self.d), patch, packing_strategy=self.packing_strategy,
                cd_h=self.cd_h, cd_w=self.cd_w, cd_d=self.cd_d,
            )
        except ValueError as error:
            raise self._error(str(error)) from None

    def get_patch_num(self) -> int:
        """``P``, the number of patches per channel."""
        return self.patch_index().num_patches

    def get_patch_size(self) -> int:
        """``V``, the number of positions per patch (padded ones included)."""
        return self.patch_index().patch_size

    def _d_prime(self) -> int:
        pi = self.patch_index()
        per_channel = pi.num_patches * pi.patch_size if self._padding else pi.grid_size
        return self.channel_num * per_channel

    @property
    def _padding(self) -> bool:
        return self.interdependence_matrix_mode == "padding"

    # -- matrices -------------------------------------------------------------------

    def channel_matrix(self) -> np.ndarray:
        """The per-channel matrix (tinyBIG's ``calculate_A``): ``(n, P·V)`` or ``(n, n)``, float64."""
        pi = self.patch_index()
        a = (padding_matrix if self._padding else aggregation_matrix)(pi).astype(np.float64)
        return degree_normalize(a, self.normalization_mode) if self.normalization else a

    def _weights(self) -> np.ndarray:
        """The weight of every gathered position, ``(P, V)`` (1, or normalised; 0 if padded)."""
        pi = self.patch_index()
        a = self.channel_matrix()
        if self._padding:
            columns = np.arange(pi.index.size).reshape(pi.index.shape)
        else:
            columns = np.broadcast_to(pi.centers[:, None], pi.index.shape)
        rows = np.where(pi.mask, pi.index, 0)
        return np.where(pi.mask, a[rows, columns], 0.0)

    def _matrix(self) -> np.ndarray:
        """The whole ``(m, m')`` map: block-diagonal over channels, columns reordered."""
        c, block = self.channel_num, self.channel_matrix()
        n, k = block.shape
        full = np.zeros((c, n, k, c))
        full[np.arange(c), :, :, np.arange(c)] = block  # (channel_in, n, column, channel_out)
        if self._padding:
            pi = self.patch_index()
            full = full.reshape(c, n, pi.num_patches, pi.patch_size, c).transpose(0, 1, 2, 4, 3)
        return full.reshape(c * n, k * c)

    # -- application ----------------------------------------------------------------

    def _structured(self, x: jax.Array) -> jax.Array:
        grid = x if self.is_attribute else x.T  # (rows, c·n)
        rows, pi = grid.shape[0], self.patch_index()
        dtype = output_dtype(x)
        patches = gather_patches(grid.reshape(rows, self.channel_num, pi.grid_size), pi)  # (r, c, P, V)
        weights = jnp.asarray(self._weights(), dtype)
        if self._padding:
            out = (patches * weights).transpose(0, 2, 1, 3)  # (r, P, c, V)
        else:
            sums = jnp.sum(patches * weights, axis=-1)  # (r, c, P)
            cells = jnp.zeros((rows, self.channel_num, pi.grid_size), dtype)
            out = cells.at[:, :, pi.centers].set(sums).transpose(0, 2, 1)  # (r, n, c)
        out = out.reshape(rows, -1).astype(dtype)
        return out if self.is_attribute else out.T


@register(
    family=_FAMILY,
    tinybig="cuboid_patch_based_geometric_interdependence",
    formula="A = GeometricInterdependence's matrix for a cuboid patch",
)
@dataclasses.dataclass(frozen=True)
class CuboidPatchBasedGeometricInterdependence(GeometricInterdependence):
    """Geometric interdependence with cuboid patches (padding or aggregation).

    ``A = GeometricInterdependence's matrix for a cuboid patch``: see
    :class:`GeometricInterdependence`; the patch is a
    cuboid ``Δi ∈ [-p_h, p_h']``, ``Δj ∈ [-p_w, p_w']``, ``Δk ∈ [-p_d, p_d']``.

    Args:
      b: number of instances; for instance functions ``None`` means the grid size.
      m: number of attributes; for attribute functions ``None`` means the grid size.
      h, w, d, channel_num: the grid (see :class:`GeometricInterdependence`).
      packing_strategy, cd_h, cd_w, cd_d: the packing of patch centers (idem).
      p_h: extent above the center (towards smaller ``i``).
      p_w: extent left of the center.
      p_d: extent in front of the center (0 for 2-D images).
      p_h_prime: extent below the center; ``None`` means ``p_h``.
      p_w_prime: extent right of the center; ``None`` means ``p_w``.
      p_d_prime: extent behind the center; ``None`` means ``p_d``.
      interdependence_matrix_mode: ``'padding'`` (default) or ``'aggregation'``.
      normalization: whether to degree-normalise the per-channel matrix.
      normalization_mode: ``'row'``, ``'column'`` or ``'row_column'``.
      interdependence_type: ``'attribute'`` (default) or ``'instance'`` (or an alias).
      preprocess_functions: unused (no data).
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: as :class:`GeometricInterdependence`, or for a negative extent.

    References:
      tinyBIG, ``cuboid_patch_based_geometric_interdependence``; RPN 2, arXiv:2411.11162.

    >>> import jax.numpy as jnp
    >>> f = CuboidPatchBasedGeometricInterdependence(h=2, w=2, p_h=1, p_w=1)
    >>> f.calculate_m_prime(), f.apply(None, jnp.ones((3, 4))).shape
    (36, (3, 36))
    """

    _: dataclasses.KW_ONLY
    patch: Any = None
    p_h: int
    p_w: int
    p_d: int = 0
    p_h_prime: int | None = None
    p_w_prime: int | None = None
    p_d_prime: int | None = None

    def __post_init__(self) -> None:
        if self.patch is not None:
            raise self._error("the patch shape is given by its own fields, not by patch=")
        super().__post_init__()

    def _patch(self) -> Cuboid:
        try:
            return Cuboid(p_h=self.p_h, p_w=self.p_w, p_d=self.p_d, p_h_prime=self.p_h_prime,
                          p_w_prime=self.p_w_prime, p_d_prime=self.p_d_prime)
        except ValueError as error:
            raise self._error(str(error)) from None


@register(
    family=_FAMILY,
    tinybig="cuboid_patch_padding_based_geometric_interdependence",
    formula="A = GeometricInterdependence's padding matrix for a cuboid patch",
)
@dataclasses.dataclass(frozen=True)
class CuboidPatchPaddingBasedGeometricInterdependence(CuboidPatchBasedGeometricInterdependence):
    """Geometric interdependence with cuboid patches in padding mode.

    ``A = GeometricInterdependence's padding matrix for a cuboid patch``: see
    :class:`GeometricInterdependence`; the patch is a
    cuboid ``Δi ∈ [-p_h, p_h']``, ``Δj ∈ [-p_w, p_w']``, ``Δk ∈ [-p_d, p_d']``.

    Args:
      b: number of instances; for instance functions ``None`` means the grid size.
      m: number of attributes; for attribute functions ``None`` means the grid size.
      h, w, d, channel_num: the grid (see :class:`GeometricInterdependence`).
      packing_strategy, cd_h, cd_w, cd_d: the packing of patch centers (idem).
      (patch fields): as :class:`CuboidPatchBasedGeometricInterdependence`.
      interdependence_matrix_mode: must be ``'padding'`` (the mode is fixed).
      normalization: whether to degree-normalise the per-channel matrix.
      normalization_mode: ``'row'``, ``'column'`` or ``'row_column'``.
      interdependence_type: ``'attribute'`` (default) or ``'instance'`` (or an alias).
      preprocess_functions: unused (no data).
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: as :class:`GeometricInterdependence`, or for a negative extent or another mode.

    References:
      tinyBIG, ``cuboid_patch_padding_based_geometric_interdependence``; RPN 2, arXiv:2411.11162.

    >>> import jax.numpy as jnp
    >>> f = CuboidPatchPaddingBasedGeometricInterdependence(h=2, w=2, p_h=1, p_w=1)
    >>> f.calculate_m_prime(), f.apply(None, jnp.ones((3, 4))).shape
    (36, (3, 36))
    """

    _: dataclasses.KW_ONLY
    interdependence_matrix_mode: str = "padding"

    _FIXED_MODE: ClassVar[str | None] = "padding"


@register(
    family=_FAMILY,
    tinybig="cuboid_patch_aggregation_based_geometric_interdependence",
    formula="A = GeometricInterdependence's aggregation matrix for a cuboid patch",
)
@dataclasses.dataclass(frozen=True)
class CuboidPatchAggregationBasedGeometricInterdependence(CuboidPatchBasedGeometricInterdependence):
    """Geometric interdependence with cuboid patches in aggregation mode.

    ``A = GeometricInterdependence's aggregation matrix for a cuboid patch``: see
    :class:`GeometricInterdependence`; the patch is a
    cuboid ``Δi ∈ [-p_h, p_h']``, ``Δj ∈ [-p_w, p_w']``, ``Δk ∈ [-p_d, p_d']``.

    Args:
      b: number of instances; for instance functions ``None`` means the grid size.
      m: number of attributes; for attribute functions ``None`` means the grid size.
      h, w, d, channel_num: the grid (see :class:`GeometricInterdependence`).
      packing_strategy, cd_h, cd_w, cd_d: the packing of patch centers (idem).
      (patch fields): as :class:`CuboidPatchBasedGeometricInterdependence`.
      interdependence_matrix_mode: must be ``'aggregation'`` (the mode is fixed).
      normalization: whether to degree-normalise the per-channel matrix.
      normalization_mode: ``'row'``, ``'column'`` or ``'row_column'``.
      interdependence_type: ``'attribute'`` (default) or ``'instance'`` (or an alias).
      preprocess_functions: unused (no data).
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: as :class:`GeometricInterdependence`, or for a negative extent or another mode.

    References:
      tinyBIG, ``cuboid_patch_aggregation_based_geometric_interdependence``; RPN 2,
        arXiv:2411.11162.

    >>> import jax.numpy as jnp
    >>> f = CuboidPatchAggregationBasedGeometricInterdependence(h=2, w=2, p_h=1, p_w=1)
    >>> f.calculate_m_prime(), f.apply(None, jnp.ones((3, 4))).shape
    (4, (3, 4))
    """

    _: dataclasses.KW_ONLY
    interdependence_matrix_mode: str = "aggregation"

    _FIXED_MODE: ClassVar[str | None] = "aggregation"


@register(
    family=_FAMILY,
    tinybig="cylinder_patch_based_geometric_interdependence",
    formula="A = GeometricInterdependence's matrix for a cylinder patch",
    keywords={'p_r': 'r'},
)
@dataclasses.dataclass(frozen=True)
class CylinderPatchBasedGeometricInterdependence(GeometricInterdependence):
    """Geometric interdependence with cylinder patches (padding or aggregation).

    ``A = GeometricInterdependence's matrix for a cylinder patch``: see
    :class:`GeometricInterdependence`; the patch is a
    cylinder: the disc ``Δi² + Δj² ≤ r²`` over ``Δk ∈ [-p_d, p_d']`` (the documented range;
    tinyBIG's code uses ``[-p_d', p_d']``, and its class passes ``r=`` to a
    ``cylinder(p_r=...)`` constructor, which fails).

    Args:
      b: number of instances; for instance functions ``None`` means the grid size.
      m: number of attributes; for attribute functions ``None`` means the grid size.
      h, w, d, channel_num: the grid (see :class:`GeometricInterdependence`).
      packing_strategy, cd_h, cd_w, cd_d: the packing of patch centers (idem).
      r: the disc radius (tinyBIG's ``r``; ``p_r`` is accepted by :func:`jaxbig.make`).
      p_d: depth in front of the center.
      p_d_prime: depth behind the center; ``None`` means ``p_d``.
      interdependence_matrix_mode: ``'padding'`` (default) or ``'aggregation'``.
      normalization: whether to degree-normalise the per-channel matrix.
      normalization_mode: ``'row'``, ``'column'`` or ``'row_column'``.
      interdependence_type: ``'attribute'`` (default) or ``'instance'`` (or an alias).
      preprocess_functions: unused (no data).
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: as :class:`GeometricInterdependence`, or for a negative extent.

    References:
      tinyBIG, ``cylinder_patch_based_geometric_interdependence``; RPN 2, arXiv:2411.11162.

    >>> import jax.numpy as jnp
    >>> f = CylinderPatchBasedGeometricInterdependence(h=2, w=2, r=1)
    >>> f.calculate_m_prime(), f.apply(None, jnp.ones((3, 4))).shape
    (20, (3, 20))
    """

    _: dataclasses.KW_ONLY
    patch: Any = None
    r: int
    p_d: int = 0
    p_d_prime: int | None = None

    def __post_init__(self) -> None:
        if self.patch is not None:
            raise self._error("the patch shape is given by its own fields, not by patch=")
        super().__post_init__()

    def _patch(self) -> Cylinder:
        try:
            return Cylinder(p_r=self.r, p_d=self.p_d, p_d_prime=self.p_d_prime)
        except ValueError as error:
            raise self._error(str(error)) from None


@register(
    family=_FAMILY,
    tinybig="cylinder_patch_padding_based_geometric_interdependence",
    formula="A = GeometricInterdependence's padding matrix for a cylinder patch",
    keywords={'p_r': 'r'},
)
@dataclasses.dataclass(frozen=True)
class CylinderPatchPaddingBasedGeometricInterdependence(CylinderPatchBasedGeometricInterdependence):
    """Geometric interdependence with cylinder patches in padding mode.

    ``A = GeometricInterdependence's padding matrix for a cylinder patch``: see
    :class:`GeometricInterdependence`; the patch is a
    cylinder: the disc ``Δi² + Δj² ≤ r²`` over ``Δk ∈ [-p_d, p_d']`` (the documented range;
    tinyBIG's code uses ``[-p_d', p_d']``, and its class passes ``r=`` to a
    ``cylinder(p_r=...)`` constructor, which fails).

    Args:
      b: number of instances; for instance functions ``None`` means the grid size.
      m: number of attributes; for attribute functions ``None`` means the grid size.
      h, w, d, channel_num: the grid (see :class:`GeometricInterdependence`).
      packing_strategy, cd_h, cd_w, cd_d: the packing of patch centers (idem).
      (patch fields): as :class:`CylinderPatchBasedGeometricInterdependence`.
      interdependence_matrix_mode: must be ``'padding'`` (the mode is fixed).
      normalization: whether to degree-normalise the per-channel matrix.
      normalization_mode: ``'row'``, ``'column'`` or ``'row_column'``.
      interdependence_type: ``'attribute'`` (default) or ``'instance'`` (or an alias).
      preprocess_functions: unused (no data).
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: as :class:`GeometricInterdependence`, or for a negative extent or another mode.

    References:
      tinyBIG, ``cylinder_patch_padding_based_geometric_interdependence``; RPN 2, arXiv:2411.11162.

    >>> import jax.numpy as jnp
    >>> f = CylinderPatchPaddingBasedGeometricInterdependence(h=2, w=2, r=1)
    >>> f.calculate_m_prime(), f.apply(None, jnp.ones((3, 4))).shape
    (20, (3, 20))
    """

    _: dataclasses.KW_ONLY
    interdependence_matrix_mode: str = "padding"

    _FIXED_MODE: ClassVar[str | None] = "padding"


@register(
    family=_FAMILY,
    tinybig="cylinder_patch_aggregation_based_geometric_interdependence",
    formula="A = GeometricInterdependence's aggregation matrix for a cylinder patch",
    keywords={'p_r': 'r'},
)
@dataclasses.dataclass(frozen=True)
class CylinderPatchAggregationBasedGeometricInterdependence(CylinderPatchBasedGeometricInterdependence):
    """Geometric interdependence with cylinder patches in aggregation mode.

    ``A = GeometricInterdependence's aggregation matrix for a cylinder patch``: see
    :class:`GeometricInterdependence`; the patch is a
    cylinder: the disc ``Δi² + Δj² ≤ r²`` over ``Δk ∈ [-p_d, p_d']`` (the documented range;
    tinyBIG's code uses ``[-p_d', p_d']``, and its class passes ``r=`` to a
    ``cylinder(p_r=...)`` constructor, which fails).

    Args:
      b: number of instances; for instance functions ``None`` means the grid size.
      m: number of attributes; for attribute functions ``None`` means the grid size.
      h, w, d, channel_num: the grid (see :class:`GeometricInterdependence`).
      packing_strategy, cd_h, cd_w, cd_d: the packing of patch centers (idem).
      (patch fields): as :class:`CylinderPatchBasedGeometricInterdependence`.
      interdependence_matrix_mode: must be ``'aggregation'`` (the mode is fixed).
      normalization: whether to degree-normalise the per-channel matrix.
      normalization_mode: ``'row'``, ``'column'`` or ``'row_column'``.
      interdependence_type: ``'attribute'`` (default) or ``'instance'`` (or an alias).
      preprocess_functions: unused (no data).
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: as :class:`GeometricInterdependence`, or for a negative extent or another mode.

    References:
      tinyBIG, ``cylinder_patch_aggregation_based_geometric_interdependence``; RPN 2,
        arXiv:2411.11162.

    >>> import jax.numpy as jnp
    >>> f = CylinderPatchAggregationBasedGeometricInterdependence(h=2, w=2, r=1)
    >>> f.calculate_m_prime(), f.apply(None, jnp.ones((3, 4))).shape
    (4, (3, 4))
    """

    _: dataclasses.KW_ONLY
    interdependence_matrix_mode: str = "aggregation"

    _FIXED_MODE: ClassVar[str | None] = "aggregation"


@register(
    family=_FAMILY,
    tinybig="sphere_patch_based_geometric_interdependence",
    formula="A = GeometricInterdependence's matrix for a sphere patch",
    keywords={'p_r': 'r'},
)
@dataclasses.dataclass(frozen=True)
class SpherePatchBasedGeometricInterdependence(GeometricInterdependence):
    """Geometric interdependence with sphere patches (padding or aggregation).

    ``A = GeometricInterdependence's matrix for a sphere patch``: see
    :class:`GeometricInterdependence`; the patch is a
    sphere: the ball ``Δi² + Δj² + Δk² ≤ r²`` (tinyBIG's class passes ``r=`` to a
    ``sphere(p_r=...)`` constructor, which fails).

    Args:
      b: number of instances; for instance functions ``None`` means the grid size.
      m: number of attributes; for attribute functions ``None`` means the grid size.
      h, w, d, channel_num: the grid (see :class:`GeometricInterdependence`).
      packing_strategy, cd_h, cd_w, cd_d: the packing of patch centers (idem).
      r: the ball radius (tinyBIG's ``r``; ``p_r`` is accepted by :func:`jaxbig.make`).
      interdependence_matrix_mode: ``'padding'`` (default) or ``'aggregation'``.
      normalization: whether to degree-normalise the per-channel matrix.
      normalization_mode: ``'row'``, ``'column'`` or ``'row_column'``.
      interdependence_type: ``'attribute'`` (default) or ``'instance'`` (or an alias).
      preprocess_functions: unused (no data).
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: as :class:`GeometricInterdependence`, or for a negative extent.

    References:
      tinyBIG, ``sphere_patch_based_geometric_interdependence``; RPN 2, arXiv:2411.11162.

    >>> import jax.numpy as jnp
    >>> f = SpherePatchBasedGeometricInterdependence(h=2, w=2, r=1)
    >>> f.calculate_m_prime(), f.apply(None, jnp.ones((3, 4))).shape
    (28, (3, 28))
    """

    _: dataclasses.KW_ONLY
    patch: Any = None
    r: int

    def __post_init__(self) -> None:
        if self.patch is not None:
            raise self._error("the patch shape is given by its own fields, not by patch=")
        super().__post_init__()

    def _patch(self) -> Sphere:
        try:
            return Sphere(p_r=self.r)
        except ValueError as error:
            raise self._error(str(error)) from None


@register(
    family=_FAMILY,
    tinybig="sphere_patch_padding_based_geometric_interdependence",
    formula="A = GeometricInterdependence's padding matrix for a sphere patch",
    keywords={'p_r': 'r'},
)
@dataclasses.dataclass(frozen=True)
class SpherePatchPaddingBasedGeometricInterdependence(SpherePatchBasedGeometricInterdependence):
    """Geometric interdependence with sphere patches in padding mode.

    ``A = GeometricInterdependence's padding matrix for a sphere patch``: see
    :class:`GeometricInterdependence`; the patch is a
    sphere: the ball ``Δi² + Δj² + Δk² ≤ r²`` (tinyBIG's class passes ``r=`` to a
    ``sphere(p_r=...)`` constructor, which fails).

    Args:
      b: number of instances; for instance functions ``None`` means the grid size.
      m: number of attributes; for attribute functions ``None`` means the grid size.
      h, w, d, channel_num: the grid (see :class:`GeometricInterdependence`).
      packing_strategy, cd_h, cd_w, cd_d: the packing of patch centers (idem).
      (patch fields): as :class:`SpherePatchBasedGeometricInterdependence`.
      interdependence_matrix_mode: must be ``'padding'`` (the mode is fixed).
      normalization: whether to degree-normalise the per-channel matrix.
      normalization_mode: ``'row'``, ``'column'`` or ``'row_column'``.
      interdependence_type: ``'attribute'`` (default) or ``'instance'`` (or an alias).
      preprocess_functions: unused (no data).
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: as :class:`GeometricInterdependence`, or for a negative extent or another mode.

    References:
      tinyBIG, ``sphere_patch_padding_based_geometric_interdependence``; RPN 2, arXiv:2411.11162.

    >>> import jax.numpy as jnp
    >>> f = SpherePatchPaddingBasedGeometricInterdependence(h=2, w=2, r=1)
    >>> f.calculate_m_prime(), f.apply(None, jnp.ones((3, 4))).shape
    (28, (3, 28))
    """

    _: dataclasses.KW_ONLY
    interdependence_matrix_mode: str = "padding"

    _FIXED_MODE: ClassVar[str | None] = "padding"


@register(
    family=_FAMILY,
    tinybig="sphere_patch_aggregation_based_geometric_interdependence",
    formula="A = GeometricInterdependence's aggregation matrix for a sphere patch",
    keywords={'p_r': 'r'},
)
@dataclasses.dataclass(frozen=True)
class SpherePatchAggregationBasedGeometricInterdependence(SpherePatchBasedGeometricInterdependence):
    """Geometric interdependence with sphere patches in aggregation mode.

    ``A = GeometricInterdependence's aggregation matrix for a sphere patch``: see
    :class:`GeometricInterdependence`; the patch is a
    sphere: the ball ``Δi² + Δj² + Δk² ≤ r²`` (tinyBIG's class passes ``r=`` to a
    ``sphere(p_r=...)`` constructor, which fails).

    Args:
      b: number of instances; for instance functions ``None`` means the grid size.
      m: number of attributes; for attribute functions ``None`` means the grid size.
      h, w, d, channel_num: the grid (see :class:`GeometricInterdependence`).
      packing_strategy, cd_h, cd_w, cd_d: the packing of patch centers (idem).
      (patch fields): as :class:`SpherePatchBasedGeometricInterdependence`.
      interdependence_matrix_mode: must be ``'aggregation'`` (the mode is fixed).
      normalization: whether to degree-normalise the per-channel matrix.
      normalization_mode: ``'row'``, ``'column'`` or ``'row_column'``.
      interdependence_type: ``'attribute'`` (default) or ``'instance'`` (or an alias).
      preprocess_functions: unused (no data).
      postprocess_functions: functions applied to A.

    Raises:
      ValueError: as :class:`GeometricInterdependence`, or for a negative extent or another mode.

    References:
      tinyBIG, ``sphere_patch_aggregation_based_geometric_interdependence``; RPN 2,
        arXiv:2411.11162.

    >>> import jax.numpy as jnp
    >>> f = SpherePatchAggregationBasedGeometricInterdependence(h=2, w=2, r=1)
    >>> f.calculate_m_prime(), f.apply(None, jnp.ones((3, 4))).shape
    (4, (3, 4))
    """

    _: dataclasses.KW_ONLY
    interdependence_matrix_mode: str = "aggregation"

    _FIXED_MODE: ClassVar[str | None] = "aggregation"
