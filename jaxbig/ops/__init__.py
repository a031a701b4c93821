"""Low-level operations shared by the families (no flax, no optax)."""

from jaxbig.ops.combinations import combinations, num_combinations
from jaxbig.ops.functions import FunctionSpec, apply_functions, resolve_functions
from jaxbig.ops.kron import eye_kron_product, kron_product, ones_kron_product
from jaxbig.ops.patches import (
    Cuboid,
    Cylinder,
    PatchIndex,
    Sphere,
    aggregation_matrix,
    gather_patches,
    grid_parameters,
    make_patch,
    packed_grid_shape,
    padding_matrix,
    patch_indices,
)
from jaxbig.ops.rounding import round_st

__all__: list[str] = [
    "Cuboid",
    "Cylinder",
    "FunctionSpec",
    "PatchIndex",
    "Sphere",
    "aggregation_matrix",
    "apply_functions",
    "combinations",
    "eye_kron_product",
    "gather_patches",
    "grid_parameters",
    "kron_product",
    "make_patch",
    "num_combinations",
    "ones_kron_product",
    "packed_grid_shape",
    "padding_matrix",
    "patch_indices",
    "resolve_functions",
    "round_st",
]
