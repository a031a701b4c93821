"""expansion family (being built)."""

__all__: list[str] = []
