"""Shared machinery of reconciliations with fixed random matrices.

The matrices are drawn from a threefry2x32 key whose uint32 key data is stored in
:class:`~jaxbig.reconciliation.params.FixedRandomParams` next to ``w``, and are
regenerated inside ``apply``/``product``: they are buffers, never trained.
"""

from __future__ import annotations

import abc
import math
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np

from jaxbig.reconciliation._layout import Shape, _split, _Structured
from jaxbig.reconciliation.params import FixedRandomParams

_IMPL = "threefry2x32"


def _key_data(key: jax.Array) -> jax.Array:
    """uint32 threefry key data, shape ``(2,)``, derived from any PRNG key."""
    return jax.random.bits(key, (2,), jnp.uint32)


def _normals(key_data: jax.Array, shapes: tuple[Shape, ...], dtype: Any) -> tuple[jax.Array, ...]:
    """Standard normal matrices of the given shapes, cast to ``dtype``.

    They are consecutive row-major blocks of one float32 draw: a single random
    call compiles several times faster on XLA CPU than one call per matrix.
    """
    key = jax.random.wrap_key_data(key_data, impl=_IMPL)
    total = sum(math.prod(shape) for shape in shapes)
    return _split(jax.random.normal(key, (total,), jnp.float32).astype(dtype), shapes)


class _FixedRandom(_Structured):
    """A fabrication whose parameters are ``FixedRandomParams(w, key_data)``."""

    @abc.abstractmethod
    def _random_shapes(self, n: int, D: int) -> tuple[Shape, ...]:
        """Shapes of the fixed random matrices, in drawing order."""

    def init(self, key: jax.Array, n: int, D: int, *, dtype: Any = jnp.float32) -> FixedRandomParams:
        """Draws ``w`` (uniform in ±1/√D) and the key data of the fixed random matrices.

        Args:
          key: a PRNG key.
          n: output dimension.
          D: expansion-space dimension.
          dtype: floating dtype of ``w``.

        Returns:
          ``FixedRandomParams(w, key_data)``: ``w`` of shape ``(l,)``, ``key_data``
          uint32 ``(2,)``.
        """
        key_w, key_fixed = jax.random.split(key)
        return FixedRandomParams(super().init(key_w, n, D, dtype=dtype), _key_data(key_fixed))

    def _unpack(self, params: Any, n: int, D: int) -> tuple[tuple[jax.Array, ...], tuple[jax.Array, ...]]:
        """The split ``w`` and the regenerated fixed matrices (in ``w``'s dtype)."""
        if not (isinstance(params, tuple) and len(params) == 2):
            raise self._error(
                "parameters must be FixedRandomParams(w, key_data) (see init), got "
                f"{type(params).__name__} of shape {tuple(np.shape(params))}"
            )
        w, key_data = params
        parts = self._parts(w, n, D)
        shape, dtype = tuple(np.shape(key_data)), jnp.result_type(key_data)
        if shape != (2,) or dtype != jnp.uint32:
            raise self._error(f"key_data must be uint32 of shape (2,), got {dtype} of shape {shape}")
        return parts, _normals(key_data, self._random_shapes(n, D), parts[0].dtype)
