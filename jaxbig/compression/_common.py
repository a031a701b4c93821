"""Helpers shared by the compression functions: input checks and the target-width rule."""

from __future__ import annotations

from typing import Any

import jax
import jax.numpy as jnp

from jaxbig.base import Transformation, _owner_name, check_int


def compute_dtype(dtype: Any) -> Any:
    """The dtype statistics are accumulated in: ``dtype``, but at least float32.

    Reductions over many bfloat16/float16 values lose most of their digits; they
    are computed in float32 and the result is cast back to the input's dtype.
    """
    return jnp.promote_types(dtype, jnp.float32)


def check_target_width(owner: Any, D: int, m: Any) -> int:
    """Checks ``m`` and that the fixed target width ``D`` fits it (``D <= m``); returns ``m``.

    Raises:
      ValueError: ``"<owner>: D=5 must be <= m=4"`` (tinyBIG asserts the same).
    """
    m = check_int(owner, "m", m, minimum=1)
    if D > m:
        raise ValueError(f"{_owner_name(owner)}: D={D} must be <= m={m} (a compression)")
    return m


def check_rows(owner: Any, x: jax.Array, minimum: int, why: str) -> None:
    """Raises a ValueError unless ``x`` has at least ``minimum`` rows (instances)."""
    if x.shape[0] < minimum:
        raise ValueError(
            f"{_owner_name(owner)}: x must have at least {minimum} rows ({why}), "
            f"got shape {tuple(x.shape)}"
        )


class TargetWidth(Transformation):
    """A compression to a fixed width given by its ``D`` field (``1 <= D <= m``).

    Subclasses are dataclasses with a field ``D``; those with a ``__post_init__``
    call ``super().__post_init__()``.
    """

    def __post_init__(self) -> None:
        object.__setattr__(self, "D", check_int(self, "D", self.D, minimum=1))

    def calculate_D(self, m: int) -> int:
        """``D`` (checked against ``m``).

        Args:
          m: the input width.

        Returns:
          ``D``.

        Raises:
          ValueError: if ``D > m``.
        """
        check_target_width(self, self.D, m)
        return self.D
