"""tinyBIG's parameter initialisations of an RPN head (``parameters_init_method``).

By default every function draws its own parameters (its ``init``). tinyBIG heads
instead re-draw all their parameter tensors with one of PyTorch's schemes, on
tinyBIG's tensor shapes: ``w`` and the interdependence parameters as
``(channel_num, l)``, the remainder's weight as ``(n, m)``, the channel fusion's as
``(1, l)`` and the biases as ``(1, n)``. With ``fan_in`` the number of columns and
``fan_out`` the number of rows of that shape:

==========================  =====================================================
``xavier_uniform``          U(±√(6 / (fan_in + fan_out))), biases too
``xavier_normal``           N(0, 2 / (fan_in + fan_out)), biases too
``kaiming_uniform``         U(±1/√fan_in) (PyTorch's ``a = √5``); each bias
                            U(±1/√fan_in) of its weight
``fanout_std_uniform``      U(±1/√n) for every tensor, n the head's output width
==========================  =====================================================

Only trainable (floating) leaves are re-drawn: fixed masks and the key data of
fixed random matrices keep their values.

References:
  tinyBIG, ``tinybig/module/base_head.py`` (``initialize_parameters``).
  Glorot, X. and Bengio, Y. "Understanding the difficulty of training deep
  feedforward neural networks", AISTATS 2010.
  He, K. et al. "Delving Deep into Rectifiers", ICCV 2015.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp

from jaxbig.base import check_one_of, is_trainable_leaf
from jaxbig.nn.params import ParamTree

__all__ = ["INIT_METHODS", "tinybig_init"]

#: The names ``parameters_init_method`` accepts.
INIT_METHODS = ("xavier_uniform", "xavier_normal", "kaiming_uniform", "fanout_std_uniform")


def _draw(method: str, key: jax.Array, shape: tuple[int, ...], dtype: Any, fan_in: int, fan_out: int,
          n: int) -> jax.Array:
    if method == "xavier_normal":
        return math.sqrt(2.0 / (fan_in + fan_out)) * jax.random.normal(key, shape, dtype)
    bound = {"xavier_uniform": math.sqrt(6.0 / (fan_in + fan_out)),
             "kaiming_uniform": 1.0 / math.sqrt(fan_in),
             "fanout_std_uniform": 1.0 / math.sqrt(n)}[method]
    return jax.random.uniform(key, shape, dtype, -bound, bound)


def _redraw(stored: Any, key: jax.Array, draw: Callable[[jax.Array, Any], Any]) -> None:
    """Re-draws every trainable leaf of a stored parameter (in place) with ``draw(key, leaf)``."""
    if stored is None:
        return
    variables = list(stored.leaves) if isinstance(stored, ParamTree) else [stored]
    for variable, k in zip(variables, jax.random.split(key, len(variables))):
        if is_trainable_leaf(variable[...]):
            variable[...] = draw(k, variable[...])


def tinybig_init(head: Any, method: str, key: jax.Array) -> None:
    """Re-draws the parameters of an :class:`jaxbig.nn.RPNHead` as tinyBIG's ``method`` does.

    Args:
      head: the head (changed in place).
      method: one of :data:`INIT_METHODS`.
      key: a PRNG key.

    Raises:
      ValueError: for an unknown method.
    """
    check_one_of("RPNHead", "parameters_init_method", method, INIT_METHODS)
    n = head.n

    def rows(count: int) -> Callable[[jax.Array, Any], Any]:
        """Draws a leaf viewed as ``(count, size / count)``."""
        def draw(k: jax.Array, leaf: Any) -> Any:
            cols = max(leaf.size // count, 1)
            return _draw(method, k, leaf.shape, leaf.dtype, cols, count, n)
        return draw

    keys = iter(jax.random.split(key, 6))
    for stored in (head.w_attribute_interdependence, head.w_instance_interdependence, head.w):
        _redraw(stored, next(keys), rows(head.channel_num))
    _redraw(head.w_channel_fusion, next(keys), rows(1))
    k_bias, k_remainder = next(keys), next(keys)
    if head.b is not None:
        # kaiming: the bound of w's fan-in (its l columns); xavier: the (1, n) view.
        fan_in = head.l if method == "kaiming_uniform" else n
        head.b[...] = _draw(method, k_bias, head.b.shape, head.b.dtype, max(fan_in, 1), 1, n)
    _redraw(head.w_remainder, k_remainder,
            lambda k, leaf: _remainder(method, k, leaf, head.m, head.n_out, n))


def _remainder(method: str, key: jax.Array, w: jax.Array, m: int, rows: int, n: int) -> jax.Array:
    """A remainder's flat ``[W (rows·m), b (rows)]`` drawn as tinyBIG's ``w_remainder`` and ``b_remainder``.

    ``rows`` is the remainder's output width; ``n`` the head's (``fanout_std_uniform``'s bound).
    """
    if w.ndim != 1 or w.size not in (rows * m, rows * m + rows):  # not a linear map's layout: one (1, l) tensor
        return _draw(method, key, w.shape, w.dtype, w.size, 1, n)
    k_w, k_b = jax.random.split(key)
    weight = _draw(method, k_w, (rows * m,), w.dtype, m, rows, n)
    if w.size == rows * m:
        return weight
    fan_in = m if method == "kaiming_uniform" else rows
    return jnp.concatenate([weight, _draw(method, k_b, (rows,), w.dtype, fan_in, 1, n)])
