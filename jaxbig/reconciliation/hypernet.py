"""Hypernet reconciliation: a one-hidden-layer MLP maps ``w`` to the ``(n, D)`` matrix."""

from __future__ import annotations

import dataclasses
from typing import Any

import jax
import jax.numpy as jnp

from jaxbig.reconciliation._layout import Shape
from jaxbig.reconciliation._random import _FixedRandom, _normals
from jaxbig.reconciliation.params import HypernetParams
from jaxbig.registry import register

__all__ = ["HypernetReconciliation"]


@register(
    family="reconciliation",
    tinybig="hypernet_reconciliation",
    formula="ψ(w) = reshape(W₂ σ(W₁ w + b₁) + b₂)",
)
@dataclasses.dataclass(frozen=True)
class HypernetReconciliation(_FixedRandom):
    """Hypernet reconciliation: an MLP ``[l] → [hidden_dim] → [n·D]`` applied to ``w``.

    ψ(w) = reshape(W₂ σ(W₁ w + b₁) + b₂)

    where ``w ∈ ℝ^l`` (``l`` is a hyperparameter, independent of ``n`` and ``D``),
    ``σ`` is the logistic sigmoid, ``W₁ ∈ ℝ^{hidden_dim×l}``, ``b₁ ∈ ℝ^{hidden_dim}``,
    ``W₂ ∈ ℝ^{(n·D)×hidden_dim}``, ``b₂ ∈ ℝ^{n·D}``, all drawn standard normal (in
    this order) as in tinyBIG, and the output of length ``n·D`` is reshaped row-major to
    ``(n, D)``. ``product`` forms ψ(w) and multiplies (the net's output layer is
    the ``(n·D)``-sized object either way).

    With ``static=True`` (tinyBIG's default) the net is frozen: :meth:`init` returns
    :class:`~jaxbig.reconciliation.FixedRandomParams` ``(w, key_data)`` and the net is
    regenerated from the key data at every call; an explicit
    :class:`~jaxbig.reconciliation.HypernetParams` (e.g. tinyBIG's weights) is used
    under :func:`jax.lax.stop_gradient`. With ``static=False`` :meth:`init` returns
    ``HypernetParams`` whose net weights are trained with ``w``.

    Args:
      l: the length of ``w``.
      hidden_dim: the width of the hidden layer.
      static: whether the net is frozen (``True``) or trained (``False``).

    Raises:
      ValueError: if ``l`` or ``hidden_dim`` is not a positive integer or ``static``
        is not a bool; at call time if the parameters are neither container or an
        explicit net's weights have other shapes than above.

    References:
      tinyBIG 0.2.1, ``tinybig/reconciliation/hypernet_reconciliation.py``
      (``hypernet_reconciliation``).
      Ha, D., Dai, A., Le, Q. V. "HyperNetworks", ICLR 2017.
      Zhang, J. "RPN: Reconciled Polynomial Network", arXiv:2407.04819, 2024.

    >>> import jax
    >>> psi = HypernetReconciliation(l=4, hidden_dim=8)
    >>> params = psi.init(jax.random.key(0), 2, 3)
    >>> psi.calculate_l(2, 3), params.w.shape
    (4, (4,))
    >>> psi.apply(params, 2, 3).shape
    (2, 3)
    """

    l: int = 64
    hidden_dim: int = 128
    static: bool = True

    def __post_init__(self) -> None:
        self._positive_ints("l", "hidden_dim")
        self._bool("static")

    def _layout(self, n: int, D: int) -> tuple[Shape, ...]:
        self._check_nD(n, D)
        return ((self.l,),)

    def _random_shapes(self, n: int, D: int) -> tuple[Shape, ...]:
        d = self.hidden_dim
        return ((d, self.l), (d,), (n * D, d), (n * D,))

    def init(self, key: jax.Array, n: int, D: int, *, dtype: Any = jnp.float32) -> Any:
        """Draws ``w`` (uniform in ±1/√D) and the net.

        Args:
          key: a PRNG key.
          n: output dimension.
          D: expansion-space dimension.
          dtype: floating dtype of ``w`` (and of a trained net).

        Returns:
          ``FixedRandomParams(w, key_data)`` when ``static``, else
          ``HypernetParams(w, hidden_weight, hidden_bias, output_weight, output_bias)``.
        """
        params = super().init(key, n, D, dtype=dtype)
        if self.static:
            return params
        net = _normals(params.key_data, self._random_shapes(n, D), dtype)
        return HypernetParams(params.w, *net)

    def apply(self, w: Any, n: int, D: int) -> jax.Array:
        if isinstance(w, HypernetParams):
            (vec,) = self._parts(w.w, n, D)
            net = tuple(jnp.asarray(a) for a in w[1:])
            for name, a, shape in zip(w._fields[1:], net, self._random_shapes(n, D)):
                if a.shape != shape:
                    raise self._error(f"{name} must have shape {shape}, got shape {a.shape}")
            if self.static:
                net = jax.lax.stop_gradient(net)
        else:
            (vec,), net = self._unpack(w, n, D)
        w1, b1, w2, b2 = net
        return (w2 @ jax.nn.sigmoid(w1 @ vec + b1) + b2).reshape(n, D)
