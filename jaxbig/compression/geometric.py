"""Geometric (patch) compression: a metric pooled over cuboid, cylinder or sphere patches.

The input is a grid of shape ``(channel_num, h, w, d)`` flattened channel-major,
as tinyBIG's ``grid`` lays attributes out. Patches are packed over the grid with
strides ``(cd_h, cd_w, cd_d)`` (see :func:`jaxbig.ops.patch_indices`), each patch is
read with one vectorised gather (out-of-grid positions read 0, as tinyBIG's padding
matrix gives), and a metric reduces it to one value. This is the pooling layer of
tinyBIG's grid (CNN-like) models.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp

from jaxbig.base import Transformation, check_int, check_matrix
from jaxbig.compression._metrics import check_metric_width, reduce_named, resolve_metric
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
    "CuboidMaxBasedGeometricCompression",
    "CuboidMeanBasedGeometricCompression",
    "CuboidMinBasedGeometricCompression",
    "CuboidPatchBasedGeometricCompression",
    "CylinderMaxBasedGeometricCompression",
    "CylinderMeanBasedGeometricCompression",
    "CylinderMinBasedGeometricCompression",
    "CylinderPatchBasedGeometricCompression",
    "GeometricCompression",
    "SphereMaxBasedGeometricCompression",
    "SphereMeanBasedGeometricCompression",
    "SphereMinBasedGeometricCompression",
    "SpherePatchBasedGeometricCompression",
]

_FORMULA = "κ(x)_{c,p} = φ(x[c, P_p]), D = channel_num · num_patches"

_GRID_ARGS = """h: grid height (keyword-only, like every argument below).
      w: grid width.
      d: grid depth (default 1).
      channel_num: number of channels ("universes") stacked channel-major in ``x``.
      packing_strategy: a named packing of patch centers (the patch shape's
        ``packing_strategies``; ``None`` means ``"densest_packing"``, stride 1).
      cd_h: stride between patch centers along h; ``cd_h, cd_w, cd_d`` are given
        together, and then override ``packing_strategy``.
      cd_w: stride along w.
      cd_d: stride along d."""


@dataclasses.dataclass(frozen=True)
class _GridFields:
    """The grid and packing hyperparameters, keyword-only."""

    _: dataclasses.KW_ONLY
    h: int
    w: int
    d: int = 1
    channel_num: int = 1
    packing_strategy: str | None = "densest_packing"
    cd_h: int | None = None
    cd_w: int | None = None
    cd_d: int | None = None


class _GeometricBase(Transformation):
    """Shared logic: validation, patch indices, width and the vectorised pooling."""

    def _patch(self) -> Cuboid | Cylinder | Sphere:
        raise NotImplementedError

    def __post_init__(self) -> None:
        for name in ("h", "w", "d", "channel_num"):
            object.__setattr__(self, name, check_int(self, name, getattr(self, name), minimum=1))
        object.__setattr__(self, "metric", resolve_metric(self, self.metric))
        pi = self._patch_index()  # validates the packing arguments now, not at trace time
        if isinstance(self.metric, str):
            check_metric_width(self, self.metric, pi.patch_size, "patch size")

    def _patch_index(self) -> PatchIndex:
        try:
            return patch_indices(
                (self.h, self.w, self.d), self._patch(),
                packing_strategy=self.packing_strategy,
                cd_h=self.cd_h, cd_w=self.cd_w, cd_d=self.cd_d,
            )
        except ValueError as error:
            raise ValueError(f"{type(self).__name__}: {error}") from None

    @property
    def grid_size(self) -> int:
        """``m = channel_num · h · w · d``, the required input width."""
        return self.channel_num * self.h * self.w * self.d

    @property
    def patch_size(self) -> int:
        """The number of cells in one patch (padded positions included)."""
        return self._patch().size

    @property
    def packed_shape(self) -> tuple[int, int, int]:
        """The ``(h', w', d')`` grid of patch centers: the output grid of each channel."""
        return self._patch_index().packed_shape

    def calculate_D(self, m: int) -> int:
        """``D = channel_num · num_patches`` for ``m = channel_num · h · w · d``.

        Args:
          m: the input width; must equal ``channel_num · h · w · d``.

        Returns:
          The number of pooled values, ``channel_num · h' · w' · d'``.

        Raises:
          ValueError: if ``m`` does not match the grid.
        """
        m = check_int(self, "m", m, minimum=1)
        if m != self.grid_size:
            raise ValueError(
                f"{type(self).__name__}: m={m} must equal channel_num·h·w·d = "
                f"{self.channel_num}·{self.h}·{self.w}·{self.d} = {self.grid_size}"
            )
        return self.channel_num * self._patch_index().num_patches

    def apply(self, params: Any, x: jax.typing.ArrayLike) -> jax.Array:
        """Pools every patch of every channel with the metric.

        Args:
          params: ``None`` (no parameters).
          x: ``(b, channel_num·h·w·d)``, channel-major then row-major over ``(h, w, d)``.

        Returns:
          ``(b, channel_num·num_patches)``: channel-major, patches in row-major order
          of their centers (tinyBIG's layout), in ``x``'s dtype.

        Raises:
          ValueError: if ``x`` is not ``(b, channel_num·h·w·d)``, or a callable metric
            does not map ``(n, patch_size)`` to ``(n,)``.
        """
        del params
        x = check_matrix(self, x, self.grid_size, floating=True)
        b = x.shape[0]
        pi = self._patch_index()
        patches = gather_patches(x.reshape(b, self.channel_num, pi.grid_size), pi)
        if isinstance(self.metric, str):
            pooled = reduce_named(self.metric, patches)
        else:
            flat = patches.reshape(-1, pi.patch_size)
            pooled = self.metric(flat)
            if getattr(pooled, "shape", None) != flat.shape[:1]:
                raise ValueError(
                    f"{type(self).__name__}: metric must map (n, patch_size) to (n,); on "
                    f"shape {flat.shape} it returned shape {getattr(pooled, 'shape', None)}"
                )
        return jnp.reshape(pooled, (b, -1)).astype(x.dtype)


@register(family="compression", tinybig="geometric_compression", formula=_FORMULA,
          keywords={"patch_configs": "patch"})
@dataclasses.dataclass(frozen=True)
class GeometricCompression(_GridFields, _GeometricBase):
    """Geometric compression with a given patch shape: pools each packed patch with φ.

    ``κ(x)_{c,p} = φ(x[c, P_p]), D = channel_num · num_patches``: ``x[c, P_p]`` are
    the ``patch_size`` cells of channel ``c`` covered by the ``p``-th packed patch
    (``patch`` centered at the ``p``-th center; cells outside the grid read 0), and
    φ is ``metric`` (a name as in :class:`MetricCompression`, e.g. ``"max"``,
    ``"mean"``, ``"batch_max"``, or a callable mapping ``(n, patch_size)`` to ``(n,)``).
    Out-of-grid zeros take part in φ as in tinyBIG (e.g. ``mean`` divides by the
    full patch size).

    Args:
      metric: the pooling metric φ.
      patch: a :class:`jaxbig.ops.Cuboid`, :class:`jaxbig.ops.Cylinder` or
        :class:`jaxbig.ops.Sphere`, or a tinyBIG ``patch_configs`` dict (keyword
        ``patch_configs`` too; see :func:`jaxbig.ops.make_patch`).
      {grid}

    Raises:
      ValueError: for an unknown metric, a bad grid, packing or patch, or an input
        whose width is not ``channel_num·h·w·d``.

    References:
      tinyBIG ``geometric_compression`` (``tinybig/compression/geometric_compression.py``);
      Zhang, J. "RPN 2", arXiv:2411.11162, 2024.

    >>> import jax.numpy as jnp
    >>> from jaxbig.ops import Cuboid
    >>> f = GeometricCompression("max", Cuboid(p_h=0, p_w=0, p_h_prime=1, p_w_prime=1),
    ...                          h=4, w=4, cd_h=2, cd_w=2, cd_d=1)
    >>> f.calculate_D(16), f.apply(None, jnp.arange(16.0)[None]).tolist()
    (4, [[5.0, 7.0, 13.0, 15.0]])
    """

    metric: str | Callable[..., Any]
    patch: Cuboid | Cylinder | Sphere

    def __post_init__(self) -> None:
        object.__setattr__(self, "patch", make_patch(self, self.patch))
        super().__post_init__()

    def _patch(self) -> Cuboid | Cylinder | Sphere:
        return self.patch


@dataclasses.dataclass(frozen=True)
class _CuboidFields:
    p_h: int
    p_w: int
    p_d: int
    p_h_prime: int | None = None
    p_w_prime: int | None = None
    p_d_prime: int | None = None

    def _patch(self) -> Cuboid:
        return Cuboid(p_h=self.p_h, p_w=self.p_w, p_d=self.p_d, p_h_prime=self.p_h_prime,
                      p_w_prime=self.p_w_prime, p_d_prime=self.p_d_prime)


@dataclasses.dataclass(frozen=True)
class _CylinderFields:
    p_r: int
    p_d: int
    p_d_prime: int | None = None

    def _patch(self) -> Cylinder:
        return Cylinder(p_r=self.p_r, p_d=self.p_d, p_d_prime=self.p_d_prime)


@dataclasses.dataclass(frozen=True)
class _SphereFields:
    p_r: int

    def _patch(self) -> Sphere:
        return Sphere(p_r=self.p_r)


@dataclasses.dataclass(frozen=True)
class _MetricField:
    metric: str | Callable[..., Any]


_SHAPES = {
    "Cuboid": ("cuboid", _CuboidFields, """p_h: cuboid extent above the center (Δi ≥ -p_h).
      p_w: extent left of the center (Δj ≥ -p_w).
      p_d: extent in front of the center (Δk ≥ -p_d).
      p_h_prime: extent below the center; ``None`` means ``p_h``.
      p_w_prime: extent right of the center; ``None`` means ``p_w``.
      p_d_prime: extent behind the center; ``None`` means ``p_d``.""",
               "p_h=1, p_w=1, p_d=0", 4),
    "Cylinder": ("cylinder", _CylinderFields, """p_r: radius of the disc Δi² + Δj² ≤ p_r².
      p_d: depth in front of the center (Δk ≥ -p_d).
      p_d_prime: depth behind the center; ``None`` means ``p_d``.""", "p_r=1, p_d=0", 4),
    "Sphere": ("sphere", _SphereFields, "p_r: radius of the ball Δi² + Δj² + Δk² ≤ p_r².",
               "p_r=1", 4),
}

_METRIC_WORDS = {"Max": "max", "Mean": "mean", "Min": "min"}


def _shape_doc(shape: str, metric: str | None, cls_name: str) -> str:
    word, _, args, example_args, D = _SHAPES[shape]
    metric_arg = "" if metric else """metric: the pooling metric φ (a name as in
        :class:`MetricCompression` or a callable mapping ``(n, patch_size)`` to ``(n,)``).
      """
    phi = f"φ = {metric}" if metric else "φ = ``metric``"
    summary = (f"{shape} patch based geometric compression with the {metric} metric."
               if metric else f"{shape} patch based geometric compression with a given metric.")
    call = f'{cls_name}({"" if metric else chr(34) + "max" + chr(34) + ", "}{example_args}, h=2, w=2)'
    return f"""{summary}

    ``{_FORMULA}``: ``x[c, P_p]`` are the cells of channel ``c`` covered by the
    {word} patch centered at the ``p``-th packed center (cells outside the grid read
    0, as in tinyBIG), and {phi}. See :class:`GeometricCompression`.

    Args:
      {metric_arg}{args}
      {_GRID_ARGS}

    Raises:
      ValueError: for a bad patch size, grid or packing, or an input whose width is
        not ``channel_num·h·w·d``.

    References:
      tinyBIG ``{_tinybig_name(shape, metric)}``; Zhang, J. "RPN 2", arXiv:2411.11162, 2024.

    >>> import jax.numpy as jnp
    >>> f = {call}
    >>> f.calculate_D(4), f.apply(None, jnp.ones((3, 4))).shape
    ({D}, (3, {D}))
    """


def _tinybig_name(shape: str, metric: str | None) -> str:
    return f"{shape.lower()}_{metric or 'patch'}_based_geometric_compression"


def _make(shape: str, metric: str | None) -> type:
    """Builds, documents and registers one of the twelve patch-shape classes."""
    name = f"{shape}{metric.capitalize() if metric else 'Patch'}BasedGeometricCompression"
    _, fields, _, _, _ = _SHAPES[shape]
    namespace: dict[str, Any] = {"__module__": __name__, "__qualname__": name}
    bases: tuple[type, ...] = (fields, _GridFields, _GeometricBase)
    if metric:
        namespace["__annotations__"] = {"metric": str}
        namespace["metric"] = dataclasses.field(default=metric, init=False)
    else:
        bases = (fields, _MetricField, _GridFields, _GeometricBase)
    cls = type(name, bases, namespace)
    cls.__doc__ = _shape_doc(shape, metric, name)
    cls = dataclasses.dataclass(frozen=True)(cls)
    return register(family="compression", tinybig=_tinybig_name(shape, metric),
                    formula=_FORMULA)(cls)


GeometricCompression.__doc__ = GeometricCompression.__doc__.replace("{grid}", _GRID_ARGS)

CuboidPatchBasedGeometricCompression = _make("Cuboid", None)
CuboidMaxBasedGeometricCompression = _make("Cuboid", "max")
CuboidMeanBasedGeometricCompression = _make("Cuboid", "mean")
CuboidMinBasedGeometricCompression = _make("Cuboid", "min")
CylinderPatchBasedGeometricCompression = _make("Cylinder", None)
CylinderMaxBasedGeometricCompression = _make("Cylinder", "max")
CylinderMeanBasedGeometricCompression = _make("Cylinder", "mean")
CylinderMinBasedGeometricCompression = _make("Cylinder", "min")
SpherePatchBasedGeometricCompression = _make("Sphere", None)
SphereMaxBasedGeometricCompression = _make("Sphere", "max")
SphereMeanBasedGeometricCompression = _make("Sphere", "mean")
SphereMinBasedGeometricCompression = _make("Sphere", "min")
