"""Patch geometry over an (h, w, d) grid: which grid cells each packed patch covers.

tinyBIG (``tinybig/koala/geometry``) lays attributes out on a 3-D grid of shape
``(h, w, d)`` (optionally repeated over ``channel_num`` "universes"), places a patch
shape (a :class:`Cuboid`, :class:`Cylinder` or :class:`Sphere`) at regularly spaced
centers, and reads the cells each patch covers. This module computes that reading
once, with NumPy, at trace time: an integer array ``index`` of shape
``(num_patches, patch_size)`` into the flattened grid. A function that works on
patches is then a single vectorised gather (:func:`gather_patches`), with no Python
loop over patches at run time.

Conventions (all as tinyBIG defines them):

* **Flattening.** Cell ``(i, j, k)`` of channel ``c`` is attribute
  ``c·h·w·d + i·w·d + j·d + k`` (``grid.to_attribute_index``): channel-major, then
  row-major over ``(h, w, d)``.
* **Patch centers.** Centers are ``(i, j, k)`` for ``i in range(0, h, cd_h)``,
  ``j in range(0, w, cd_w)``, ``k in range(0, d, cd_d)``, in that (row-major) order
  (``grid.packing``), so there are ``ceil(h/cd_h)·ceil(w/cd_w)·ceil(d/cd_d)`` patches.
  The strides ``(cd_h, cd_w, cd_d)`` are given, or derived from a named packing
  strategy by the patch shape (``packing_strategy_parameters``).
* **Element order.** Within a patch, cells follow the shape's offsets in
  lexicographic ``(Δi, Δj, Δk)`` order (``generate_coordinates``).
* **Padding.** Patches that reach past the grid border keep their full size; the
  out-of-grid positions get the padding index ``grid_size = h·w·d`` and
  ``mask = False``. tinyBIG's padding matrix maps them to 0, which is what
  :func:`gather_patches` returns for them (``fill_value=0``).

Example: a 3×3 cuboid (``p_h = p_w = 1``) on a 2×2×1 grid with densest packing has
4 patches of 9 cells; the patch centered at cell 0 covers cells 0, 1, 2, 3 and 5
padded positions.

>>> import numpy as np
>>> from jaxbig.ops import Cuboid, patch_indices
>>> pi = patch_indices((2, 2, 1), Cuboid(p_h=1, p_w=1))
>>> pi.index.shape, pi.grid_size
((4, 9), 4)
>>> pi.index[0].tolist()
[4, 4, 4, 4, 0, 1, 4, 2, 3]
>>> pi.mask[0].astype(int).tolist()
[0, 0, 0, 0, 1, 1, 0, 1, 1]

References:
  tinyBIG, ``tinybig/koala/geometry/{grid,cuboid,cylinder,sphere}.py``,
  https://github.com/jwzhanggy/tinyBIG.
  Zhang, J. "RPN 2: On Interdependence Function Learning Towards Unifying and
  Advancing CNN, RNN, GNN, and Transformer", arXiv:2411.11162, 2024.
"""

from __future__ import annotations

import abc
import dataclasses
import functools
import math
from collections.abc import Mapping
from typing import Any, ClassVar, NamedTuple, Union

import jax
import jax.numpy as jnp
import numpy as np

from jaxbig.base import _owner_name, check_int, check_one_of

__all__ = [
    "Cuboid",
    "Cylinder",
    "PatchIndex",
    "Sphere",
    "aggregation_matrix",
    "gather_patches",
    "grid_parameters",
    "make_patch",
    "packed_grid_shape",
    "padding_matrix",
    "patch_indices",
]


def _check_offset(owner: object, name: str, value: object, default: int) -> int:
    """A non-negative extent; ``None`` stands for ``default`` (the symmetric value)."""
    return default if value is None else check_int(owner, name, value, minimum=0)


def _ball_offsets(r: int, depth: tuple[int, int] | None) -> np.ndarray:
    """Offsets with ``Δi² + Δj² (+ Δk²) ≤ r²`` in lexicographic order.

    With ``depth = (back, front)`` the third axis is a straight extent
    ``Δk ∈ [-back, front]`` (a cylinder); with ``None`` it joins the ball (a sphere).
    """
    span = np.arange(-r, r + 1)
    ks = span if depth is None else np.arange(-depth[0], depth[1] + 1)
    grid = np.stack(np.meshgrid(span, span, ks, indexing="ij"), axis=-1).reshape(-1, 3)
    radial = grid[:, 0] ** 2 + grid[:, 1] ** 2
    if depth is None:
        radial = radial + grid[:, 2] ** 2
    return grid[radial <= r * r]


def _strides(values: tuple[float, float, float]) -> tuple[int, int, int]:
    """tinyBIG's rounding of packing distances: ``max(int(cd), 1)`` on each axis."""
    return tuple(max(int(v), 1) for v in values)  # type: ignore[return-value]


class _Patch(abc.ABC):
    """A patch shape: integer offsets around a center cell, and its packing strategies."""

    #: The packing strategy names this shape defines (tinyBIG's ``get_packing_strategies``).
    packing_strategies: ClassVar[tuple[str, ...]]

    @abc.abstractmethod
    def offsets(self) -> np.ndarray:
        """The ``(patch_size, 3)`` integer offsets ``(Δi, Δj, Δk)``, in tinyBIG's order."""

    @abc.abstractmethod
    def _packing_distances(self, packing_strategy: str) -> tuple[float, float, float]:
        """The unrounded center distances of a named strategy other than densest."""

    @property
    def size(self) -> int:
        """The number of cells in the patch (its volume)."""
        return int(self.offsets().shape[0])

    def packing_strategy_parameters(self, packing_strategy: str) -> tuple[int, int, int]:
        """The strides ``(cd_h, cd_w, cd_d)`` between patch centers for a named strategy.

        Args:
          packing_strategy: one of :attr:`packing_strategies`.

        Returns:
          Positive integer strides, each ``max(int(distance), 1)`` as tinyBIG rounds them.

        Raises:
          ValueError: for an unknown strategy (tinyBIG warns and falls back to
            ``densest_packing``; here the name must be valid).
        """
        check_one_of(self, "packing_strategy", packing_strategy, self.packing_strategies)
        if packing_strategy == "densest_packing":
            return (1, 1, 1)
        return _strides(self._packing_distances(packing_strategy))


@dataclasses.dataclass(frozen=True)
class Cuboid(_Patch):
    """A cuboid patch: ``Δi ∈ [-p_h, p_h']``, ``Δj ∈ [-p_w, p_w']``, ``Δk ∈ [-p_d, p_d']``.

    Its shape is ``(p_h + p_h' + 1, p_w + p_w' + 1, p_d + p_d' + 1)``.

    Args:
      p_h: extent above the center (towards smaller ``i``).
      p_w: extent left of the center (towards smaller ``j``).
      p_d: extent in front of the center (towards smaller ``k``).
      p_h_prime: extent below the center; ``None`` means ``p_h``.
      p_w_prime: extent right of the center; ``None`` means ``p_w``.
      p_d_prime: extent behind the center; ``None`` means ``p_d``.

    Raises:
      ValueError: if an extent is not a non-negative integer.

    >>> Cuboid(p_h=1, p_w=1).size, Cuboid(p_h=1, p_w=0, p_h_prime=0).offsets().tolist()
    (9, [[-1, 0, 0], [0, 0, 0]])
    """

    packing_strategies: ClassVar[tuple[str, ...]] = (
        "sparse_square", "complete_square", "dense_square", "densest_packing",
    )

    p_h: int
    p_w: int
    p_d: int = 0
    p_h_prime: int | None = None
    p_w_prime: int | None = None
    p_d_prime: int | None = None

    def __post_init__(self) -> None:
        for name in ("p_h", "p_w", "p_d"):
            object.__setattr__(self, name, check_int(self, name, getattr(self, name), minimum=0))
        for name in ("p_h", "p_w", "p_d"):
            prime = name + "_prime"
            object.__setattr__(
                self, prime, _check_offset(self, prime, getattr(self, prime), getattr(self, name))
            )

    def shape(self) -> tuple[int, int, int]:
        """The patch's ``(height, width, depth)``."""
        return (self.p_h + self.p_h_prime + 1, self.p_w + self.p_w_prime + 1,
                self.p_d + self.p_d_prime + 1)

    def offsets(self) -> np.ndarray:
        axes = [np.arange(-a, b + 1) for a, b in ((self.p_h, self.p_h_prime),
                                                  (self.p_w, self.p_w_prime),
                                                  (self.p_d, self.p_d_prime))]
        return np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, 3)

    def _packing_distances(self, packing_strategy: str) -> tuple[float, float, float]:
        factor = {"sparse_square": 3, "complete_square": 2, "dense_square": 1}[packing_strategy]
        return (factor * self.p_h, factor * self.p_w, factor * self.p_d)


@dataclasses.dataclass(frozen=True)
class Cylinder(_Patch):
    """A cylinder patch: a disc ``Δi² + Δj² ≤ p_r²`` extruded over ``Δk ∈ [-p_d, p_d']``.

    tinyBIG documents this depth range (depth ``p_d + p_d' + 1``), but its
    ``generate_coordinates`` iterates ``Δk ∈ [-p_d', p_d']``; the two agree whenever
    ``p_d' = p_d`` (the default). Here the documented range is used.

    Args:
      p_r: radius of the disc.
      p_d: depth in front of the center (towards smaller ``k``).
      p_d_prime: depth behind the center; ``None`` means ``p_d``.

    Raises:
      ValueError: if an extent is not a non-negative integer.

    >>> Cylinder(p_r=1).size, Cylinder(p_r=1, p_d=1).size
    (5, 15)
    """

    packing_strategies: ClassVar[tuple[str, ...]] = (
        "sparse_square", "complete_square", "sparse_hexagonal", "complete_hexagonal",
        "dense_hexagonal", "denser_hexagonal", "densest_packing",
    )

    p_r: int
    p_d: int = 0
    p_d_prime: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "p_r", check_int(self, "p_r", self.p_r, minimum=0))
        object.__setattr__(self, "p_d", check_int(self, "p_d", self.p_d, minimum=0))
        object.__setattr__(self, "p_d_prime", _check_offset(self, "p_d_prime", self.p_d_prime, self.p_d))

    def offsets(self) -> np.ndarray:
        return _ball_offsets(self.p_r, (self.p_d, self.p_d_prime))

    def _packing_distances(self, packing_strategy: str) -> tuple[float, float, float]:
        r, d = self.p_r, self.p_d
        return {
            "sparse_square": (2 * r, 2 * r, 2 * d),
            "complete_square": (math.sqrt(2) * r, math.sqrt(2) * r, 2 * d),
            "sparse_hexagonal": (math.sqrt(3) * r, 2 * r, 2 * d),
            "complete_hexagonal": (1.5 * r, math.sqrt(3) * r, 2 * d),
            "dense_hexagonal": (0.5 * math.sqrt(6) * r, math.sqrt(2) * r, d),
            "denser_hexagonal": (0.5 * math.sqrt(3) * r, r, d),
        }[packing_strategy]


@dataclasses.dataclass(frozen=True)
class Sphere(_Patch):
    """A sphere patch: the cells with ``Δi² + Δj² + Δk² ≤ p_r²``.

    Args:
      p_r: radius of the ball.

    Raises:
      ValueError: if ``p_r`` is not a non-negative integer.

    >>> Sphere(p_r=1).size, Sphere(p_r=2).size
    (7, 33)
    """

    packing_strategies: ClassVar[tuple[str, ...]] = (
        "sparse_simple_cubic", "complete_simple_cubic", "dense_simple_cubic",
        "sparse_face_centered_cubic", "complete_face_centered_cubic",
        "dense_face_centered_cubic", "sparse_hexagonal", "complete_hexagonal",
        "dense_hexagonal", "densest_packing",
    )

    p_r: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "p_r", check_int(self, "p_r", self.p_r, minimum=0))

    def offsets(self) -> np.ndarray:
        return _ball_offsets(self.p_r, None)

    def _packing_distances(self, packing_strategy: str) -> tuple[float, float, float]:
        r = self.p_r
        # tinyBIG writes 2/3 and 4/3 as the decimals 0.6667 and 1.3333; kept as they are
        # because the rounded strides depend on them.
        c = 0.6667 * math.sqrt(3) * r
        return {
            "sparse_simple_cubic": (2 * r, 2 * r, 2 * r),
            "complete_simple_cubic": (c, c, c),
            "dense_simple_cubic": (r, r, r),
            "sparse_face_centered_cubic": (2 * r, math.sqrt(3) * r, 0.6667 * math.sqrt(6) * r),
            "complete_face_centered_cubic": (math.sqrt(2) * r, 0.6667 * math.sqrt(6) * r,
                                             1.3333 * r),
            "dense_face_centered_cubic": (r, r, r),
            "sparse_hexagonal": (2 * r, 2 * r, math.sqrt(6) * r),
            "complete_hexagonal": (c, c, r),
            "dense_hexagonal": (r, r, r),
        }[packing_strategy]


Patch = Union[Cuboid, Cylinder, Sphere]

_PATCH_CLASSES = {"cuboid": Cuboid, "cylinder": Cylinder, "sphere": Sphere}


def make_patch(owner: Any, spec: Any) -> Patch:
    """A patch from a patch object or a tinyBIG ``patch_configs`` dict.

    Args:
      owner: the function (or its name) that receives the patch, for messages.
      spec: a :class:`Cuboid`, :class:`Cylinder` or :class:`Sphere`, or
        ``{"patch_class": "tinybig.koala.geometry.cuboid", "patch_parameters": {...}}``
        (the class path's last part names the shape; ``name``, ``center`` and
        ``device`` parameters are ignored: tinyBIG re-centers patches at packing).

    Returns:
      The patch object.

    Raises:
      ValueError: naming ``owner`` for an unknown patch class or another object.

    >>> make_patch("Demo", {"patch_class": "tinybig.koala.geometry.sphere",
    ...                     "patch_parameters": {"p_r": 2, "name": "s"}})
    Sphere(p_r=2)
    """
    if isinstance(spec, (Cuboid, Cylinder, Sphere)):
        return spec
    if isinstance(spec, Mapping) and "patch_class" in spec:
        key = str(spec["patch_class"]).rsplit(".", 1)[-1].lower()
        if key not in _PATCH_CLASSES:
            raise ValueError(
                f"{_owner_name(owner)}: unknown patch_class {spec['patch_class']!r} "
                f"(one of {', '.join(_PATCH_CLASSES)})"
            )
        parameters = {k: v for k, v in dict(spec.get("patch_parameters") or {}).items()
                      if k not in ("name", "center", "device")}
        try:
            return _PATCH_CLASSES[key](**parameters)
        except TypeError as error:
            raise ValueError(f"{_owner_name(owner)}: patch_parameters {parameters!r}: {error}") from None
    raise ValueError(
        f"{_owner_name(owner)}: patch must be a jaxbig.ops Cuboid, Cylinder or Sphere or a "
        f"patch_configs dict, got {spec!r}"
    )


def grid_parameters(owner: Any, spec: Any) -> dict[str, int]:
    """The grid hyperparameters ``h, w, d, channel_num`` of a tinyBIG ``grid_configs`` dict.

    Args:
      owner: the function (or its name) that receives the grid, for messages.
      spec: ``{"grid_class": "tinybig.koala.geometry.grid", "grid_parameters":
        {"h": ..., "w": ..., "d": 1, "universe_num": 1}}`` (``universe_num`` is the
        number of channels; ``name``, ``center`` and ``device`` are ignored).

    Returns:
      ``{"h": h, "w": w, "d": d, "channel_num": universe_num}``.

    Raises:
      ValueError: naming ``owner`` for another class, a missing or unknown
        parameter, or a size that is not a positive integer.

    >>> grid_parameters("Demo", {"grid_class": "tinybig.koala.geometry.grid",
    ...                          "grid_parameters": {"h": 4, "w": 5, "universe_num": 3}})
    {'h': 4, 'w': 5, 'd': 1, 'channel_num': 3}
    """
    name = _owner_name(owner)
    if not isinstance(spec, Mapping) or str(spec.get("grid_class", "")).rsplit(".", 1)[-1] != "grid":
        raise ValueError(f"{name}: grid_configs must be {{'grid_class': 'tinybig.koala.geometry.grid', "
                         f"'grid_parameters': {{...}}}}, got {spec!r}")
    parameters = {k: v for k, v in dict(spec.get("grid_parameters") or {}).items()
                  if k not in ("name", "center", "device")}
    unknown = sorted(set(parameters) - {"h", "w", "d", "universe_num"})
    if unknown or not {"h", "w"} <= set(parameters):
        raise ValueError(f"{name}: grid_parameters need h, w and optional d, universe_num; got {sorted(parameters)}")
    return {"h": check_int(name, "h", parameters["h"], minimum=1),
            "w": check_int(name, "w", parameters["w"], minimum=1),
            "d": check_int(name, "d", parameters.get("d", 1), minimum=1),
            "channel_num": check_int(name, "universe_num", parameters.get("universe_num", 1), minimum=1)}


class PatchIndex(NamedTuple):
    """Where every packed patch reads the flattened ``(h, w, d)`` grid (NumPy, read-only).

    Attributes:
      index: ``(num_patches, patch_size)`` int32 attribute indices in ``[0, grid_size]``;
        ``grid_size`` marks an out-of-grid (padded) position.
      mask: ``(num_patches, patch_size)`` bool, ``True`` where the position is in the grid.
      centers: ``(num_patches,)`` int32 attribute index of each patch's center cell.
      grid_shape: ``(h, w, d)``.
      packed_shape: ``(h', w', d')``, the grid of patch centers
        (``num_patches = h'·w'·d'``).
      offsets: ``(patch_size, 3)`` int offsets ``(Δi, Δj, Δk)`` of the patch cells.
      strides: ``(cd_h, cd_w, cd_d)``, the distances between patch centers.
    """

    index: np.ndarray
    mask: np.ndarray
    centers: np.ndarray
    grid_shape: tuple[int, int, int]
    packed_shape: tuple[int, int, int]
    offsets: np.ndarray
    strides: tuple[int, int, int]

    @property
    def grid_size(self) -> int:
        """``h·w·d``, the number of cells of one channel; also the padding index."""
        return int(np.prod(self.grid_shape))

    @property
    def num_patches(self) -> int:
        """The number of patches per channel."""
        return int(self.index.shape[0])

    @property
    def patch_size(self) -> int:
        """The number of positions per patch (in-grid or padded)."""
        return int(self.index.shape[1])


def packed_grid_shape(
    grid_shape: tuple[int, int, int], strides: tuple[int, int, int]
) -> tuple[int, int, int]:
    """The shape ``(ceil(h/cd_h), ceil(w/cd_w), ceil(d/cd_d))`` of the patch-center grid.

    >>> packed_grid_shape((5, 4, 1), (2, 2, 1))
    (3, 2, 1)
    """
    return tuple(-(-n // s) for n, s in zip(grid_shape, strides))  # type: ignore[return-value]


def _resolve_strides(
    patch: Patch,
    packing_strategy: str | None,
    strides: tuple[int | None, int | None, int | None],
) -> tuple[int, int, int]:
    names = ("cd_h", "cd_w", "cd_d")
    given = [s is not None for s in strides]
    if all(given):
        return tuple(check_int("patch_indices", n, s, minimum=1)  # type: ignore[return-value]
                     for n, s in zip(names, strides))
    if any(given):
        raise ValueError(
            "patch_indices: give all of cd_h, cd_w, cd_d or none of them, got "
            + ", ".join(f"{n}={s}" for n, s in zip(names, strides))
        )
    return patch.packing_strategy_parameters(
        "densest_packing" if packing_strategy is None else packing_strategy
    )


@functools.lru_cache(maxsize=256)
def _patch_indices(
    grid_shape: tuple[int, int, int], patch: Patch, strides: tuple[int, int, int]
) -> PatchIndex:
    shape = np.asarray(grid_shape)
    packed = packed_grid_shape(grid_shape, strides)
    axes = [np.arange(0, n, s) for n, s in zip(grid_shape, strides)]
    centers = np.stack(np.meshgrid(*axes, indexing="ij"), axis=-1).reshape(-1, 3)
    offsets = patch.offsets()
    cells = centers[:, None, :] + offsets[None, :, :]
    mask = np.all((cells >= 0) & (cells < shape), axis=-1)
    weights = np.array([grid_shape[1] * grid_shape[2], grid_shape[2], 1])
    grid_size = int(np.prod(shape))
    index = np.where(mask, cells @ weights, grid_size).astype(np.int32)
    center_index = (centers @ weights).astype(np.int32)
    for array in (index, mask, center_index, offsets):
        array.setflags(write=False)
    return PatchIndex(index, mask, center_index, tuple(grid_shape), packed, offsets, strides)


def patch_indices(
    grid_shape: tuple[int, int, int],
    patch: Patch,
    *,
    packing_strategy: str | None = "densest_packing",
    cd_h: int | None = None,
    cd_w: int | None = None,
    cd_d: int | None = None,
) -> PatchIndex:
    """The cells every packed patch covers on an ``(h, w, d)`` grid, as static NumPy indices.

    The strides between patch centers are ``(cd_h, cd_w, cd_d)`` when all three are
    given, and otherwise ``patch.packing_strategy_parameters(packing_strategy)``.
    Results are memoised (the arguments are hashable), so calling this at every
    trace costs nothing after the first time.

    Args:
      grid_shape: ``(h, w, d)``, positive integers.
      patch: a :class:`Cuboid`, :class:`Cylinder` or :class:`Sphere`.
      packing_strategy: one of ``patch.packing_strategies``; ``None`` means
        ``"densest_packing"`` (stride 1 on every axis), as in tinyBIG.
      cd_h: stride between patch centers along ``h``.
      cd_w: stride along ``w``.
      cd_d: stride along ``d``.

    Returns:
      A :class:`PatchIndex` with ``index`` and ``mask`` of shape
      ``(num_patches, patch_size)``, patches in row-major order of their centers and
      cells in the patch's offset order; out-of-grid positions hold ``grid_size``.

    Raises:
      ValueError: for a non-positive grid size or stride, only some of
        ``cd_h, cd_w, cd_d`` given, an unknown packing strategy or patch type.
    """
    if not isinstance(patch, (Cuboid, Cylinder, Sphere)):
        raise ValueError(
            f"patch_indices: patch must be a Cuboid, Cylinder or Sphere, got {patch!r}"
        )
    if len(tuple(grid_shape)) != 3:
        raise ValueError(f"patch_indices: grid_shape must be (h, w, d), got {grid_shape!r}")
    grid_shape = tuple(check_int("patch_indices", n, v, minimum=1)
                       for n, v in zip(("h", "w", "d"), grid_shape))
    strides = _resolve_strides(patch, packing_strategy, (cd_h, cd_w, cd_d))
    return _patch_indices(grid_shape, patch, strides)


def gather_patches(
    x: jax.typing.ArrayLike, patch_index: PatchIndex, *, fill_value: float = 0
) -> jax.Array:
    """Reads the patches out of the last axis of ``x``, vectorised over all patches.

    Equal to ``jnp.take(x, patch_index.index, axis=-1, mode="fill",
    fill_value=fill_value)``, but computed as one strided slice of the padded grid per
    patch *cell* (``patch_size`` static slices, each covering every patch at once).
    Slices transpose to pads, so the backward pass is as cheap as the forward pass
    (the transpose of a gather is a scatter-add, which is slow on CPUs), and
    forward-mode differentiation works too.

    Args:
      x: ``(..., h·w·d)`` values on the flattened grid (one channel; reshape a
        multi-channel ``(b, c·h·w·d)`` input to ``(b, c, h·w·d)`` first).
      patch_index: from :func:`patch_indices`.
      fill_value: the value of out-of-grid positions (tinyBIG pads with 0).

    Returns:
      ``(..., num_patches, patch_size)``, with ``x``'s dtype.

    Raises:
      ValueError: if the last axis of ``x`` is not ``h·w·d``.

    >>> import jax.numpy as jnp
    >>> pi = patch_indices((1, 3, 1), Cuboid(p_h=0, p_w=1))
    >>> gather_patches(jnp.array([1.0, 2.0, 3.0]), pi).tolist()
    [[0.0, 1.0, 2.0], [1.0, 2.0, 3.0], [2.0, 3.0, 0.0]]
    """
    x = jnp.asarray(x)
    if x.ndim < 1 or x.shape[-1] != patch_index.grid_size:
        raise ValueError(
            f"gather_patches: x must have shape (..., {patch_index.grid_size}) for the "
            f"grid {patch_index.grid_shape}, got shape {x.shape}"
        )
    return _gather_cells(
        x, jnp.asarray(fill_value, x.dtype), grid_shape=patch_index.grid_shape,
        packed_shape=patch_index.packed_shape, strides=patch_index.strides,
        offsets=tuple(map(tuple, patch_index.offsets.tolist())))


@functools.partial(jax.jit, static_argnames=("grid_shape", "packed_shape", "strides", "offsets"))
def _gather_cells(
    x: jax.Array,
    fill_value: jax.Array,
    *,
    grid_shape: tuple[int, int, int],
    packed_shape: tuple[int, int, int],
    strides: tuple[int, int, int],
    offsets: tuple[tuple[int, int, int], ...],
) -> jax.Array:
    """:func:`gather_patches` as one compiled function per geometry (eager calls compile
    once, not once per slice)."""
    lead = x.shape[:-1]
    shape, packed, step = np.array(grid_shape), np.array(packed_shape), np.array(strides)
    cell_offsets = np.array(offsets)
    # Pad so that every (center + offset) lands inside the padded grid.
    before = np.maximum(-cell_offsets.min(axis=0), 0)
    after = np.maximum((packed - 1) * step + cell_offsets.max(axis=0) - (shape - 1), 0)
    grid = jnp.pad(x.reshape(*lead, *grid_shape),
                   [(0, 0)] * len(lead) + list(zip(before.tolist(), after.tolist())),
                   constant_values=fill_value)
    keep = (0,) * len(lead)
    cells = []
    for offset in cell_offsets:
        start = before + offset
        limit = start + (packed - 1) * step + 1
        cell = jax.lax.slice(grid, keep + tuple(start.tolist()), lead + tuple(limit.tolist()),
                             (1,) * len(lead) + tuple(strides))
        cells.append(cell.reshape(*lead, int(np.prod(packed_shape))))
    return jnp.stack(cells, axis=-1)


def padding_matrix(patch_index: PatchIndex) -> np.ndarray:
    """tinyBIG's "padding" matrix ``A`` of shape ``(h·w·d, num_patches·patch_size)``.

    ``(x @ A)[p·patch_size + e] = x[index[p, e]]`` (0 where padded): the dense
    equivalent of :func:`gather_patches` on one channel (``grid.to_padding_matrix``).

    >>> padding_matrix(patch_indices((1, 2, 1), Cuboid(p_h=0, p_w=1))).astype(int).tolist()
    [[0, 1, 0, 1, 0, 0], [0, 0, 1, 0, 1, 0]]
    """
    rows = patch_index.grid_size
    flat_index, flat_mask = patch_index.index.ravel(), patch_index.mask.ravel()
    matrix = np.zeros((rows, flat_index.size), np.float32)
    columns = np.arange(flat_index.size)
    matrix[flat_index[flat_mask], columns[flat_mask]] = 1.0
    return matrix


def aggregation_matrix(patch_index: PatchIndex) -> np.ndarray:
    """tinyBIG's "aggregation" matrix ``A`` of shape ``(h·w·d, h·w·d)``.

    ``A[cell, center] = 1`` for every in-grid cell of the patch at ``center``, so
    ``(x @ A)[center]`` sums the patch and the columns of non-center cells are 0
    (``grid.to_aggregation_matrix``).

    >>> aggregation_matrix(patch_indices((1, 2, 1), Cuboid(p_h=0, p_w=1))).astype(int).tolist()
    [[1, 1], [1, 1]]
    """
    rows = patch_index.grid_size
    matrix = np.zeros((rows, rows), np.float32)
    columns = np.broadcast_to(patch_index.centers[:, None], patch_index.index.shape)
    matrix[patch_index.index[patch_index.mask], columns[patch_index.mask]] = 1.0
    return matrix
