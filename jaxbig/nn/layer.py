"""The RPN layer (several heads, fused) as a Flax NNX module, and tinyBIG's allocation rule."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import jax
from flax import nnx

from jaxbig.base import check_int, check_matrix
from jaxbig.nn.head import DEFAULT_FUSION, RPNHead
from jaxbig.nn.params import read, to_variables
from jaxbig.nn.specs import resolve

__all__ = ["RPNLayer", "allocate"]


def allocate(
    num: int | None,
    alloc: int | Sequence[int] | None,
    configs: Any,
    *,
    owner: str,
    names: tuple[str, str] = ("width", "width_alloc"),
) -> list[Any]:
    """Expands configs by their repeat counts, with tinyBIG's rule (``process_num_alloc_configs``).

    The total ``num`` (a layer's ``width`` or a model's ``depth``), the repeat
    counts ``alloc`` and the list of configs may be given in these combinations:

    * ``alloc`` with one count per config (``num``, if given, must be their sum);
    * ``num`` and as many configs: each config once;
    * ``num`` and one config: that config ``num`` times;
    * configs alone: each config once.

    Args:
      num: the total number, or ``None``.
      alloc: a count or one count per config, or ``None``.
      configs: one config or a sequence of configs.
      owner: who asks, for messages (``"RPNLayer"``).
      names: the names of ``num`` and ``alloc`` in messages.

    Returns:
      The configs, each repeated by its count, in order.

    Raises:
      ValueError: naming both values when they do not fit together.

    >>> allocate(3, None, ["a"], owner="RPNLayer")
    ['a', 'a', 'a']
    >>> allocate(None, [1, 2], ["a", "b"], owner="RPNLayer")
    ['a', 'b', 'b']
    """
    num_name, alloc_name = names
    configs = list(configs) if isinstance(configs, (list, tuple)) else [configs]
    if not configs:
        raise ValueError(f"{owner}: no configs given")
    if num is not None:
        num = check_int(owner, num_name, num, minimum=1)
    if alloc is None:
        if num is None or num == len(configs):
            alloc = [1] * len(configs)
        elif len(configs) == 1:
            alloc = [num]
        else:
            raise ValueError(
                f"{owner}: {num_name}={num} does not match the {len(configs)} configs given; "
                f"give {alloc_name} (one count per config)"
            )
    alloc = [alloc] if isinstance(alloc, int) else list(alloc)
    alloc = [check_int(owner, alloc_name, a, minimum=1) for a in alloc]
    if len(alloc) != len(configs):
        raise ValueError(f"{owner}: {alloc_name}={alloc} needs one count per config, "
                         f"got {len(configs)} configs")
    if num is not None and sum(alloc) != num:
        raise ValueError(f"{owner}: {alloc_name}={alloc} must sum to {num_name}={num}")
    return [config for config, count in zip(configs, alloc) for _ in range(count)]


class RPNLayer(nnx.Module):
    """An RPN layer: g(x) = fusion_h(g_0(x), …, g_{H-1}(x)) over H heads of width m → n.

    Every head maps ``(b, m)`` to ``(b, n)``; the layer fuses the head outputs with
    ``head_fusion`` (tinyBIG's ``mean_fusion`` by default when H > 1; tinyBIG's
    docstring writes the sum, its code takes the mean, and so does jaxbig).

    Args:
      m: input width.
      n: output width of each head.
      heads: ready-made heads (modules with ``m``/``n`` attributes, or any module
        that maps ``(b, m)`` to ``(b, n)``), or
      head: :class:`RPNHead` keyword arguments (without ``m``, ``n``, ``rngs``), or
        a sequence of them, allocated over the heads with ``width`` /
        ``width_alloc`` as tinyBIG does (see :func:`allocate`).
      width: the number of heads H.
      width_alloc: repeat counts, one per entry of ``head``.
      head_fusion: fusion over the heads: a Fusion, name or config, or ``None``.
      rngs: random streams (needed when heads are built from ``head``, and for
        fusion parameters).

    Raises:
      ValueError: for inconsistent widths or allocations.

    References:
      tinyBIG, ``tinybig/module/base_layer.py``.

    >>> import jax.numpy as jnp
    >>> from flax import nnx
    >>> layer = RPNLayer(4, 3, head=dict(transformation="identity_expansion",
    ...                                  fabrication="identity_reconciliation",
    ...                                  remainder="zero_remainder"),
    ...                  width=2, rngs=nnx.Rngs(0))
    >>> layer(jnp.ones((5, 4))).shape
    (5, 3)
    """

    def __init__(
        self,
        m: int,
        n: int,
        *,
        heads: Sequence[nnx.Module] | None = None,
        head: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None,
        width: int | None = None,
        width_alloc: int | Sequence[int] | None = None,
        head_fusion: Any = None,
        rngs: nnx.Rngs | None = None,
    ):
        self.m = check_int(self, "m", m, minimum=1)
        self.n = check_int(self, "n", n, minimum=1)
        if (heads is None) == (head is None):
            raise ValueError("RPNLayer: give exactly one of heads (modules) and head (head keywords)")
        if heads is None:
            if rngs is None:
                raise ValueError("RPNLayer: rngs is required to build heads from head keywords")
            configs = allocate(width, width_alloc, head, owner="RPNLayer")
            for i, config in enumerate(configs):
                if not isinstance(config, Mapping):
                    raise ValueError(f"RPNLayer: head[{i}] must be a mapping of RPNHead keywords, "
                                     f"got {config!r}")
                clash = sorted({"m", "n", "rngs"} & set(config))
                if clash:
                    raise ValueError(f"RPNLayer: head keywords must not set {clash}: the layer sets them")
            heads = [RPNHead(self.m, self.n, **dict(config), rngs=rngs) for config in configs]
        else:
            heads = list(heads)
            if not heads:
                raise ValueError("RPNLayer: heads is empty")
            if width is not None and width != len(heads):
                raise ValueError(f"RPNLayer: width={width} but {len(heads)} heads were given")
            for i, h in enumerate(heads):
                shape = (getattr(h, "m", self.m), getattr(h, "n_out", getattr(h, "n", self.n)))
                if shape != (self.m, self.n):
                    raise ValueError(f"RPNLayer: heads[{i}] maps {shape[0]} -> {shape[1]}, "
                                     f"the layer {self.m} -> {self.n}")
        self.heads = nnx.List(heads)
        self.width = len(heads)
        if head_fusion is None and self.width > 1:
            head_fusion = DEFAULT_FUSION
        dims = (self.n,) * self.width
        if head_fusion is None:
            self.head_fusion = None
            self.w_head_fusion = None
            self.n_out = self.n
        else:
            fusion = resolve(head_fusion, "fusion", where="RPNLayer.head_fusion")
            self.head_fusion = fusion.function
            if rngs is None and self.head_fusion.calculate_l(dims) > 0:
                raise ValueError("RPNLayer: rngs is required for a head fusion with parameters")
            key = jax.random.key(0) if rngs is None else rngs.params()
            self.w_head_fusion = to_variables(self.head_fusion.init(key, dims))
            self.n_out = check_int(self, "head fusion width", self.head_fusion.calculate_n(dims), minimum=1)

    def __call__(self, x: jax.Array) -> jax.Array:
        """Maps ``x`` of shape ``(b, m)`` to ``(b, n_out)``.

        Raises:
          ValueError: if ``x`` is not of shape ``(b, m)``.
        """
        x = check_matrix(self, x, self.m)
        outputs = [h(x) for h in self.heads]
        if self.head_fusion is None:
            return outputs[0]
        return self.head_fusion.apply(read(self.w_head_fusion), outputs)

