"""Losses and metrics for training RPN models, and the standard ``loss_fn``s.

A ``loss_fn`` has the signature ``loss_fn(model, batch) -> (loss, metrics)``: it
calls the model on a batch ``(x, y)`` and returns the scalar loss to minimise and
a dict of scalar metrics (batch means), which :class:`jaxbig.train.Trainer`
averages over an epoch or an evaluation set.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import optax
from flax import nnx

__all__ = [
    "LossFn",
    "accuracy",
    "classification_loss",
    "cross_entropy",
    "mean_squared_error",
    "regression_loss",
]

#: ``loss_fn(model, batch) -> (loss, metrics)``.
LossFn = Callable[[nnx.Module, Any], tuple[jax.Array, dict[str, jax.Array]]]


def cross_entropy(logits: jax.Array, labels: jax.Array) -> jax.Array:
    """Mean softmax cross-entropy of ``logits`` ``(b, k)`` against integer ``labels`` ``(b,)``.

    >>> float(cross_entropy(jnp.zeros((2, 4)), jnp.array([0, 3])))  # log 4
    1.386...
    """
    logits = logits.astype(jnp.promote_types(logits.dtype, jnp.float32))
    return jnp.mean(optax.softmax_cross_entropy_with_integer_labels(logits, labels.astype(jnp.int32)))


def accuracy(logits: jax.Array, labels: jax.Array) -> jax.Array:
    """The fraction of rows of ``logits`` ``(b, k)`` whose arg-max is the label ``(b,)``.

    >>> float(accuracy(jnp.array([[0.0, 1.0], [2.0, 1.0]]), jnp.array([1, 1])))
    0.5
    """
    return jnp.mean(jnp.argmax(logits, axis=-1) == labels)


def mean_squared_error(predictions: jax.Array, targets: jax.Array) -> jax.Array:
    """Mean of ``(predictions - targets)²`` over every entry (PyTorch's ``MSELoss``).

    >>> float(mean_squared_error(jnp.array([[1.0], [3.0]]), jnp.array([[0.0], [1.0]])))
    2.5
    """
    predictions = predictions.astype(jnp.promote_types(predictions.dtype, jnp.float32))
    return jnp.mean((predictions - jnp.reshape(targets, predictions.shape)) ** 2)


def classification_loss(model: nnx.Module, batch: Any) -> tuple[jax.Array, dict[str, jax.Array]]:
    """Cross-entropy of ``model(x)`` against integer labels, with the accuracy as a metric.

    Args:
      model: maps ``x`` of shape ``(b, m)`` to logits ``(b, k)``.
      batch: ``(x, y)`` with integer labels ``y`` of shape ``(b,)``.

    Returns:
      ``(loss, {"accuracy": ...})``.
    """
    x, y = batch
    logits = model(x)
    return cross_entropy(logits, y), {"accuracy": accuracy(logits, y)}


def regression_loss(model: nnx.Module, batch: Any) -> tuple[jax.Array, dict[str, jax.Array]]:
    """Mean squared error of ``model(x)`` against targets ``y``, with the MSE as a metric.

    Args:
      model: maps ``x`` of shape ``(b, m)`` to ``(b, k)``.
      batch: ``(x, y)`` with ``y`` of shape ``(b, k)`` (or ``(b,)`` when ``k = 1``).

    Returns:
      ``(loss, {"mse": loss})``.
    """
    x, y = batch
    loss = mean_squared_error(model(x), y)
    return loss, {"mse": loss}
