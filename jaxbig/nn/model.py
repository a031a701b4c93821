"""The RPN model (a stack of layers) as a Flax NNX module."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import jax
from flax import nnx

from jaxbig.nn.layer import RPNLayer, allocate

__all__ = ["RPN"]


class RPN(nnx.Module):
    """A deep RPN: h_0 = x, h_k = layer_k(h_{k-1}), ŷ = h_K.

    Args:
      layers: the layers, in order: :class:`RPNLayer` modules or any module that
        maps a ``(b, m)`` array to a ``(b, n)`` array, or to a tuple whose first
        element is that array (e.g. a :class:`PowerLawBottleneck` on the hidden
        features, which also returns its rate penalty), or
      layer: :class:`RPNLayer` keyword arguments (with ``m`` and ``n``, without
        ``rngs``), or a sequence of them, allocated over the depth with ``depth``
        / ``depth_alloc`` as tinyBIG does.
      depth: the number of layers K.
      depth_alloc: repeat counts, one per entry of ``layer``.
      rngs: random streams (needed to build layers from ``layer``).

    Raises:
      ValueError: when consecutive widths do not chain, or allocations are
        inconsistent.

    References:
      tinyBIG, ``tinybig/model/rpn.py``.
    """

    def __init__(
        self,
        layers: Sequence[Any] | None = None,
        *,
        layer: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
        depth: int | None = None,
        depth_alloc: int | Sequence[int] | None = None,
        rngs: nnx.Rngs | None = None,
    ):
        if (layers is None) == (layer is None):
            raise ValueError("RPN: give exactly one of layers (modules) and layer (layer keywords)")
        if layers is None:
            if rngs is None:
                raise ValueError("RPN: rngs is required to build layers from layer keywords")
            configs = allocate(depth, depth_alloc, layer, owner="RPN", names=("depth", "depth_alloc"))
            layers = []
            for i, config in enumerate(configs):
                if not isinstance(config, Mapping) or not {"m", "n"} <= set(config):
                    raise ValueError(f"RPN: layer[{i}] must be a mapping of RPNLayer keywords "
                                     f"with m and n, got {config!r}")
                layers.append(RPNLayer(**dict(config), rngs=rngs))
        else:
            layers = list(layers)
            if depth is not None and depth != len(layers):
                raise ValueError(f"RPN: depth={depth} but {len(layers)} layers were given")
        if not layers:
            raise ValueError("RPN: no layers")
        previous = None
        for i, module in enumerate(layers):
            m = getattr(module, "m", None)
            if previous is not None and m is not None and m != previous:
                raise ValueError(f"RPN: layer {i} expects width m={m}, but layer {i - 1} "
                                 f"outputs width {previous}")
            previous = getattr(module, "n_out", getattr(module, "n", previous))
        self.layers = nnx.List(layers)
        self.depth = len(layers)

    def __call__(self, x: jax.Array, *, return_aux: bool = False) -> Any:
        """Maps ``x`` of shape ``(b, m_0)`` through every layer.

        A layer that returns a tuple ``(y, aux)`` — a ``PowerLawBottleneck``
        returns the quantized features and their rate penalty — passes ``y`` on.

        Args:
          x: the input, shape ``(b, m_0)``.
          return_aux: whether to return the layers' auxiliary outputs too.

        Returns:
          The output ``(b, n_K)``; with ``return_aux``, ``(output, aux)`` where
          ``aux`` maps the index of every layer that returned a tuple to its ``aux``.
        """
        aux: dict[int, Any] = {}
        for index, module in enumerate(self.layers):
            x = module(x)
            if isinstance(x, tuple):
                x, aux[index] = x[0], (x[1] if len(x) == 2 else x[1:])
        return (x, aux) if return_aux else x
