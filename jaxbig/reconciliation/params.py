"""Parameter containers of the reconciliations that hold fixed random draws.

They follow the house rule of :mod:`jaxbig.base`: the floating-point field ``w``
(and a dynamic hypernet's weights) are trained; integer and boolean fields (a
mask, the key data of fixed random matrices) are buffers that training never
changes. ``calculate_l(n, D)`` is always the length of ``w``.
"""

from __future__ import annotations

from typing import NamedTuple

import jax

__all__ = ["FixedRandomParams", "HypernetParams", "MaskingParams"]


class MaskingParams(NamedTuple):
    """Parameters of :class:`~jaxbig.reconciliation.MaskingReconciliation`.

    Attributes:
      w: the trained parameters, shape ``(n·D,)``.
      mask: the fixed binary mask ``M``, boolean, shape ``(n, D)``.
    """

    w: jax.Array
    mask: jax.Array


class FixedRandomParams(NamedTuple):
    """Trained parameters together with the seed of fixed random matrices.

    The matrices themselves are regenerated from ``key_data`` at every call
    (pure and cheap), so they are never trained and never stored.

    Attributes:
      w: the trained parameters, shape ``(l,)``.
      key_data: uint32 key data of shape ``(2,)`` (a threefry2x32 key, as
        ``jax.random.key_data(jax.random.key(seed))`` gives) from which the fixed
        matrices are drawn: a member's matrices, in the order its docstring lists
        them, are consecutive row-major blocks of one draw
        ``jax.random.normal(jax.random.wrap_key_data(key_data), (total,))`` (float32,
        then cast to ``w``'s dtype).
    """

    w: jax.Array
    key_data: jax.Array


class HypernetParams(NamedTuple):
    """Parameters of :class:`~jaxbig.reconciliation.HypernetReconciliation` with an explicit net.

    The layout of the two linear layers is PyTorch's ``nn.Linear`` (weight
    ``(out, in)``), so tinyBIG's hypernet weights load as they are.

    Attributes:
      w: the trained input vector, shape ``(l,)``.
      hidden_weight: ``W₁``, shape ``(hidden_dim, l)``.
      hidden_bias: ``b₁``, shape ``(hidden_dim,)``.
      output_weight: ``W₂``, shape ``(n·D, hidden_dim)``.
      output_bias: ``b₂``, shape ``(n·D,)``.
    """

    w: jax.Array
    hidden_weight: jax.Array
    hidden_bias: jax.Array
    output_weight: jax.Array
    output_bias: jax.Array
