"""The power-law entropy bottleneck as a Flax NNX module."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import numpy as np
from flax import nnx

from jaxbig.entropy import PowerLawEntropyModel

__all__ = ["PowerLawBottleneck"]


class PowerLawBottleneck(nnx.Module):
    """A quantising bottleneck with a power-law rate penalty (TFC's ``PowerLawEntropyModel``).

    In training, calling the module returns the latents rounded with a
    straight-through gradient and the rate penalty of every coding unit, to be
    weighted into the loss; at inference :meth:`compress` turns latents into one
    byte string per coding unit (identical to TFC's) and :meth:`decompress` back.
    The module has no parameters: it holds the pure
    :class:`jaxbig.entropy.PowerLawEntropyModel` and calls it.

    Args:
      coding_rank: number of innermost axes forming one coding unit.
      alpha: the penalty's regulariser α > 0 (penalty ``log((|x| + α) / α)``).
      bottleneck_dtype: dtype the latents are cast to (``None``: keep theirs).

    Raises:
      ValueError: as :class:`jaxbig.entropy.PowerLawEntropyModel` does.

    >>> import jax.numpy as jnp
    >>> bottleneck = PowerLawBottleneck(1)
    >>> y, rate = bottleneck(jnp.array([[0.4, -2.6, 3.1]]))
    >>> y, rate.shape
    (Array([[ 0., -3.,  3.]], dtype=float32), (1,))
    >>> bottleneck.decompress(bottleneck.compress(y), (3,))
    Array([[ 0., -3.,  3.]], dtype=float32)
    """

    def __init__(self, coding_rank: int, *, alpha: float = 0.01, bottleneck_dtype: Any = None):
        self.entropy_model = PowerLawEntropyModel(coding_rank, alpha=alpha, bottleneck_dtype=bottleneck_dtype)

    def __call__(self, x: jax.typing.ArrayLike) -> tuple[jax.Array, jax.Array]:
        """Straight-through quantised latents and the rate penalty.

        Args:
          x: latents, shape ``batch + unit`` with ``len(unit) = coding_rank``.

        Returns:
          ``(y, rate)``: ``y`` rounded (gradient: identity), same shape as ``x``;
          ``rate`` the penalty of every coding unit, shape ``batch``.
        """
        return self.entropy_model(x)

    def compress(self, x: jax.typing.ArrayLike) -> np.ndarray:
        """One run-length gamma ``bytes`` per coding unit: an object array of shape ``batch``."""
        return self.entropy_model.compress(x)

    def decompress(self, strings: Any, code_shape: Sequence[int]) -> jax.Array:
        """The quantised latents, shape ``batch + code_shape``, from :meth:`compress`'s strings."""
        return self.entropy_model.decompress(strings, code_shape)
