"""Low-level operations shared by the families (no flax, no optax)."""

from jaxbig.ops.functions import FunctionSpec, apply_functions, resolve_functions

__all__: list[str] = ["FunctionSpec", "apply_functions", "resolve_functions"]
