"""Low-level operations shared by the families (no flax, no optax)."""

__all__: list[str] = []
