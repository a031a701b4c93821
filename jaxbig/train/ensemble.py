"""Ensembles: K models of one architecture and different seeds, trained in one vmapped step."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax
from flax import nnx

from jaxbig.data.loader import batches
from jaxbig.train.losses import LossFn, classification_loss
from jaxbig.train.trainer import _eval_step, _train_step, compiled, eval_view

__all__ = ["Ensemble"]


def _train_steps(graphdefs: Any, loss_fn: LossFn, state: Any, batch: Any) -> Any:
    return jax.vmap(functools.partial(_train_step, graphdefs, loss_fn), in_axes=(0, None))(state, batch)


def _eval_steps(graphdef: Any, loss_fn: LossFn, state: Any, batch: Any) -> Any:
    return jax.vmap(functools.partial(_eval_step, graphdef, loss_fn), in_axes=(0, None))(state, batch)


def _predict(graphdef: Any, loss_fn: Any, state: Any, x: jax.Array) -> jax.Array:
    del loss_fn
    return jax.vmap(lambda s: eval_view(nnx.merge(graphdef, s))(x))(state)


class Ensemble:
    """K models built by ``factory`` with different seeds, stacked and trained together.

    The K parameter sets are stacked on a leading axis and the train step is
    ``jax.vmap`` of the single-model step (:class:`jaxbig.train.Trainer`'s), jitted
    once and donating its buffers: one compiled program trains all members on the
    same batch. Member ``k`` is exactly the model ``factory(nnx.Rngs(seeds[k]))``
    trained alone.

    Args:
      factory: builds one model from its random streams, ``factory(rngs) -> module``.
      optimizer: the optax transformation each member uses.
      seeds: one seed per member.
      loss_fn: ``loss_fn(model, batch) -> (loss, metrics)``.

    >>> import optax, jax.numpy as jnp
    >>> from flax import nnx
    >>> from jaxbig.train import Ensemble, regression_loss
    >>> ensemble = Ensemble(lambda rngs: nnx.Linear(2, 1, rngs=rngs), optax.sgd(0.1),
    ...                     seeds=[0, 1, 2], loss_fn=regression_loss)
    >>> ensemble.step((jnp.ones((4, 2)), jnp.ones((4, 1))))["loss"].shape
    (3,)
    """

    def __init__(self, factory: Callable[[nnx.Rngs], nnx.Module], optimizer: optax.GradientTransformation,
                 *, seeds: Sequence[int], loss_fn: LossFn = classification_loss):
        seeds = [int(s) for s in seeds]
        if not seeds:
            raise ValueError("Ensemble: seeds must not be empty")

        def create(key: jax.Array) -> Any:
            model = factory(nnx.Rngs(key))
            return model, nnx.Optimizer(model, optimizer, wrt=nnx.Param)

        model, opt = nnx.eval_shape(lambda: create(jax.random.key(0)))
        self._graphdefs = (nnx.graphdef(model), nnx.graphdef(opt))

        def create_state(key: jax.Array) -> Any:
            model, opt = create(key)
            return nnx.state(model), nnx.state(opt)

        keys = jnp.stack([jax.random.key(s) for s in seeds])
        self._state = jax.jit(jax.vmap(create_state))(keys)
        self.size = len(seeds)
        self.seeds = tuple(seeds)
        self.loss_fn = loss_fn
        self._train = compiled(_train_steps, self._graphdefs, loss_fn, donate=True)
        self._eval = compiled(_eval_steps, self._graphdefs[0], loss_fn, donate=False)
        self._predict = compiled(_predict, self._graphdefs[0], None, donate=False)

    def step(self, batch: Any) -> dict[str, jax.Array]:
        """One step of every member on the same batch; metrics have shape ``(K,)``."""
        self._state, metrics = self._train(self._state, batch)
        return metrics

    def evaluate(self, data: Sequence[np.ndarray], *, batch_size: int | None = None) -> dict[str, np.ndarray]:
        """Each member's loss and metrics on ``data`` (evaluation mode), arrays of shape ``(K,)``."""
        size = len(data[0])
        totals: dict[str, np.ndarray] = {}
        for batch in batches(data, batch_size or size, drop_last=False):
            metrics = jax.device_get(self._eval(self._state[0], batch))
            for key, value in metrics.items():
                totals[key] = totals.get(key, 0.0) + np.asarray(value, np.float64) * len(batch[0])
        return {key: value / size for key, value in totals.items()}

    def __call__(self, x: jax.Array) -> jax.Array:
        """Every member's output on ``x`` (evaluation mode), shape ``(K, b, ...)``."""
        return self._predict(self._state[0], x)

    def member(self, k: int) -> nnx.Module:
        """Member ``k`` as a standalone model (a copy of its current state)."""
        if not 0 <= k < self.size:
            raise ValueError(f"Ensemble: member k={k} must be in [0, {self.size})")
        return nnx.merge(self._graphdefs[0], jax.tree.map(lambda a: a[k], self._state[0]))
