"""Straight-through rounding: round in the forward pass, identity in the backward pass.

Rounding has a zero derivative almost everywhere, which stops gradients flowing
through a quantised bottleneck. The straight-through estimator (Bengio et al.,
2013) keeps the forward value ``round(x)`` and passes the incoming cotangent
through unchanged, as TensorFlow Compression's ``round_st`` does.

Ties round half to even (``round(0.5) = 0``, ``round(1.5) = 2``, ``round(2.5) = 2``),
which is what ``tf.round`` (and hence TFC's quantisation) and ``jnp.round`` do.

References:
  Bengio, Y., Léonard, N., Courville, A. "Estimating or propagating gradients
  through stochastic neurons for conditional computation", arXiv:1308.3432, 2013.
  Ballé, J. et al. TensorFlow Compression, ``tfc.round_st``.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

__all__ = ["round_st"]


@jax.custom_vjp
def _round_st(x: jax.Array) -> jax.Array:
    return jnp.round(x)


def _round_st_fwd(x: jax.Array) -> tuple[jax.Array, None]:
    return jnp.round(x), None


def _round_st_bwd(_: None, g: jax.Array) -> tuple[jax.Array]:
    return (g,)


_round_st.defvjp(_round_st_fwd, _round_st_bwd)


def round_st(x: jax.typing.ArrayLike) -> jax.Array:
    """Rounds to the nearest integer (ties to even) with a straight-through gradient.

    Args:
      x: a floating-point array of any shape.

    Returns:
      ``round(x)``, same shape and dtype as ``x``; its vector-Jacobian product is
      the identity, so ``jax.grad(lambda x: round_st(x).sum())(x)`` is all ones.

    Raises:
      ValueError: if ``x`` is not floating point (integers are already rounded and
        have no gradient).

    >>> import jax, jax.numpy as jnp
    >>> round_st(jnp.array([0.5, 1.5, 2.5, -0.7]))
    Array([ 0.,  2.,  2., -1.], dtype=float32)
    >>> jax.grad(lambda x: round_st(x).sum())(jnp.array([0.2, 0.9]))
    Array([1., 1.], dtype=float32)
    """
    x = jnp.asarray(x)
    if not jnp.issubdtype(x.dtype, jnp.floating):
        raise ValueError(f"round_st: x must be floating point, got dtype {x.dtype}")
    return _round_st(x)
