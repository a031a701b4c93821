"""A jitted optax training loop for NNX models: steps, evaluation, progress, checkpoints."""

from __future__ import annotations

import dataclasses
import functools
import math
import pathlib
import time
from collections.abc import Callable, Sequence
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax
from flax import nnx
from jax.sharding import Mesh

from jaxbig.data.loader import batches, num_batches
from jaxbig.train import checkpoint
from jaxbig.train.losses import LossFn, classification_loss
from jaxbig.train.progress import ProgressBar
from jaxbig.train.sharding import replicate, shard_batch

__all__ = ["DivergenceError", "History", "Trainer", "eval_view"]


class DivergenceError(FloatingPointError):
    """Training stopped because the loss stopped being finite."""


def eval_view(model: nnx.Module) -> nnx.Module:
    """``model`` in evaluation mode: dropout off, batch norm on its running statistics.

    The view shares the model's arrays; the model itself is not changed.
    """
    return nnx.view(model, deterministic=True, use_running_average=True, raise_if_not_found=False)


def _train_step(graphdefs: Any, loss_fn: LossFn, state: Any, batch: Any) -> tuple[Any, dict[str, jax.Array]]:
    """One step on split state: merge, differentiate with respect to ``nnx.Param``, update."""
    model, optimizer = nnx.merge(graphdefs[0], state[0]), nnx.merge(graphdefs[1], state[1])
    (loss, metrics), grads = nnx.value_and_grad(loss_fn, has_aux=True)(model, batch)
    optimizer.update(model, grads)
    return (nnx.state(model), nnx.state(optimizer)), {"loss": loss, **metrics}


def _eval_step(graphdef: Any, loss_fn: LossFn, state: Any, batch: Any) -> dict[str, jax.Array]:
    """Loss and metrics of the model (evaluation mode) on split state."""
    loss, metrics = loss_fn(eval_view(nnx.merge(graphdef, state)), batch)
    return {"loss": loss, **metrics}


@functools.lru_cache(maxsize=64)
def compiled(step: Callable[..., Any], static: Any, loss_fn: LossFn, *, donate: bool) -> Callable[..., Any]:
    """``jax.jit`` of ``step`` with its static arguments bound, one per distinct key.

    Trainers of the same architecture, optimizer and loss share one compiled step,
    and the key (graph definitions hash slowly) is hashed once, not at every call.
    """
    return jax.jit(functools.partial(step, static, loss_fn), donate_argnums=0 if donate else ())


@dataclasses.dataclass
class History:
    """Per-epoch records of a :meth:`Trainer.fit` run.

    Attributes:
      epochs: one dict per epoch: ``epoch``, ``train_<metric>`` (means over the
        epoch's steps), ``eval_<metric>`` (when evaluation data is given),
        ``time_s`` and ``samples_per_s``.
    """

    epochs: list[dict[str, float]] = dataclasses.field(default_factory=list)

    def __getitem__(self, key: str) -> list[float]:
        """The series of one quantity over the epochs, e.g. ``history["eval_accuracy"]``."""
        return [record[key] for record in self.epochs if key in record]

    def last(self) -> dict[str, float]:
        """The record of the last epoch (empty before training)."""
        return dict(self.epochs[-1]) if self.epochs else {}


class Trainer:
    """Trains an NNX model with optax: a jitted, buffer-donating step, evaluation and ``fit``.

    The trainer splits the model and optimizer once into a graph definition and a
    copy of their state, and runs ``jax.jit`` on a pure step over that state
    (donating its buffers), which keeps Python overhead off the hot loop; trainers
    of the same architecture and loss share the compiled step. While it trains it
    owns the state: :meth:`sync` (called at the end of :meth:`fit`, and by
    :attr:`model`, :attr:`optimizer` and :meth:`save`) writes a copy back into the
    model and optimizer objects. Gradients are taken with respect to ``nnx.Param`` only, never with
    respect to the data or buffers.

    Args:
      model: the NNX model.
      optimizer: an optax ``GradientTransformation`` (the trainer builds
        ``nnx.Optimizer(model, tx, wrt=nnx.Param)``) or an ``nnx.Optimizer``.
      loss_fn: ``loss_fn(model, batch) -> (loss, metrics)``
        (:func:`jaxbig.train.classification_loss` by default).
      mesh: a device mesh with a ``"data"`` axis for data parallelism: the state
        is replicated and each batch split over the devices.

    >>> import optax, jax.numpy as jnp
    >>> from flax import nnx
    >>> from jaxbig.train import Trainer, regression_loss
    >>> trainer = Trainer(nnx.Linear(2, 1, rngs=nnx.Rngs(0)), optax.sgd(0.1), loss_fn=regression_loss)
    >>> sorted(trainer.step((jnp.ones((4, 2)), jnp.ones((4, 1)))))
    ['loss', 'mse']
    """

    def __init__(self, model: nnx.Module, optimizer: optax.GradientTransformation | nnx.Optimizer, *,
                 loss_fn: LossFn = classification_loss, mesh: Mesh | None = None):
        if not isinstance(optimizer, nnx.Optimizer):
            optimizer = nnx.Optimizer(model, optimizer, wrt=nnx.Param)
        self._model = model
        self._optimizer = optimizer
        self.loss_fn = loss_fn
        self.mesh = mesh
        self._graphdefs = (nnx.graphdef(model), nnx.graphdef(optimizer))
        self._load_state()
        self._train = compiled(_train_step, self._graphdefs, loss_fn, donate=True)
        self._eval = compiled(_eval_step, self._graphdefs[0], loss_fn, donate=False)
        #: Seconds the first step took (compilation included), or ``None`` before it.
        self.first_step_s: float | None = None

    def _load_state(self) -> None:
        # A copy: the steps donate the trainer's buffers, never the arrays of the model
        # objects, which stay readable (if stale) until sync().
        state = (nnx.state(self._model), nnx.state(self._optimizer))
        if self.mesh is not None:
            state = replicate(state, self.mesh)  # may return the same arrays when already placed so
        self._state = jax.tree.map(jnp.copy, state)
        self._stale = False

    def _place(self, batch: Any) -> Any:
        return batch if self.mesh is None else shard_batch(batch, self.mesh)

    # ------------------------------------------------------------------------------- state

    def sync(self) -> None:
        """Writes a copy of the trainer's current state into the model and optimizer objects."""
        if self._stale:
            state = jax.tree.map(jnp.copy, self._state)
            nnx.update(self._model, state[0])
            nnx.update(self._optimizer, state[1])
            self._stale = False

    @property
    def model(self) -> nnx.Module:
        """The model, with the current parameters."""
        self.sync()
        return self._model

    @property
    def optimizer(self) -> nnx.Optimizer:
        """The optimizer, with the current state."""
        self.sync()
        return self._optimizer

    # ------------------------------------------------------------------------------- steps

    def step(self, batch: Any) -> dict[str, jax.Array]:
        """One optimisation step on ``batch``; returns its loss and metrics (device scalars)."""
        start = time.perf_counter() if self.first_step_s is None else None
        self._state, metrics = self._train(self._state, self._place(batch))
        self._stale = True
        if start is not None:
            jax.block_until_ready(metrics)
            self.first_step_s = time.perf_counter() - start
        return metrics

    def evaluate(self, data: Sequence[np.ndarray], *, batch_size: int | None = None) -> dict[str, float]:
        """Loss and metrics of the model in evaluation mode, averaged over ``data``.

        Args:
          data: the arrays of the evaluation set, e.g. ``(x, y)``.
          batch_size: evaluate in batches of this size (the whole set at once by default).

        Returns:
          ``{"loss": ..., <metric>: ...}`` as Python floats, weighted by batch size.
        """
        size = len(data[0])
        totals: dict[str, float] = {}
        for batch in batches(data, batch_size or size, drop_last=False):
            metrics = jax.device_get(self._eval(self._state[0], self._place(batch)))
            for key, value in metrics.items():
                totals[key] = totals.get(key, 0.0) + float(value) * len(batch[0])
        return {key: value / size for key, value in totals.items()}

    # ------------------------------------------------------------------------- checkpoints

    def save(self, directory: str | pathlib.Path, step: int, *, metadata: dict[str, Any] | None = None,
             max_to_keep: int | None = 3) -> pathlib.Path:
        """Saves model and optimizer state (see :func:`jaxbig.train.checkpoint.save`)."""
        self.sync()
        return checkpoint.save(directory, step, self._model, self._optimizer, metadata=metadata,
                               max_to_keep=max_to_keep)

    def restore(self, directory: str | pathlib.Path, *, step: int | None = None) -> dict[str, Any]:
        """Restores model and optimizer state; returns the checkpoint's metadata."""
        self.sync()
        metadata = checkpoint.restore(directory, self._model, self._optimizer, step=step)
        self._load_state()
        return metadata

    # --------------------------------------------------------------------------------- fit

    def fit(
        self,
        train: Sequence[np.ndarray],
        *,
        epochs: int,
        batch_size: int,
        seed: int = 0,
        eval_data: Sequence[np.ndarray] | None = None,
        eval_batch_size: int | None = None,
        progress: bool = True,
        checkpoint_dir: str | pathlib.Path | None = None,
        resume: bool = False,
        on_epoch_end: Callable[[Trainer, dict[str, float]], None] | None = None,
    ) -> History:
        """Trains for ``epochs`` epochs over shuffled mini-batches of ``train``.

        Each epoch visits the batches of :func:`jaxbig.data.batches` (a permutation
        drawn from ``(seed, epoch)``; the final partial batch is dropped), then
        evaluates on ``eval_data`` and, with ``checkpoint_dir``, saves a checkpoint
        numbered by the epoch. With ``resume``, training continues after the newest
        checkpoint in ``checkpoint_dir`` and reproduces the uninterrupted run
        exactly (same batches, same dropout draws, same optimizer state).

        Args:
          train: the training arrays, e.g. ``(x, y)``.
          epochs: the total number of epochs (including those already done when resuming).
          batch_size: examples per step.
          seed: seed of the batch order.
          eval_data: arrays to evaluate on after each epoch.
          eval_batch_size: evaluation batch size (whole set by default).
          progress: whether to show a progress bar on stderr (steps, loss, samples/s).
          checkpoint_dir: where to save a checkpoint after every epoch.
          resume: whether to continue from the newest checkpoint in ``checkpoint_dir``.
          on_epoch_end: called with the trainer and the epoch's record.

        Returns:
          The :class:`History` of every epoch (those before a resume included).

        Raises:
          DivergenceError: as soon as the loss is NaN or infinite, naming the epoch
            and step.
          ValueError: if ``resume`` is set without ``checkpoint_dir``, or the batch
            size does not fit the data.
        """
        if resume and checkpoint_dir is None:
            raise ValueError("fit: resume=True needs checkpoint_dir")
        history, start = History(), 0
        if resume and checkpoint.latest_step(checkpoint_dir) is not None:
            metadata = self.restore(checkpoint_dir)
            history = History([dict(r) for r in metadata.get("history", [])])
            start = int(metadata["epoch"])
        steps = num_batches(len(train[0]), batch_size)
        with ProgressBar(max(epochs - start, 0) * steps, enabled=progress) as bar:
            for epoch in range(start, epochs):
                tic = time.perf_counter()
                sums: dict[str, float] = {}
                pending: tuple[int, dict[str, jax.Array]] | None = None

                def settle(index: int, metrics: dict[str, jax.Array]) -> None:
                    values = {k: float(v) for k, v in jax.device_get(metrics).items()}
                    if not math.isfinite(values["loss"]):
                        raise DivergenceError(
                            f"training diverged: the loss is {values['loss']} at epoch {epoch + 1}, "
                            f"step {index + 1} of {steps}; the parameters are no longer finite. "
                            "Lower the learning rate, or resume from the last checkpoint.")
                    for key, value in values.items():
                        sums[key] = sums.get(key, 0.0) + value
                    elapsed = time.perf_counter() - tic
                    bar.update(loss=values["loss"], samples_per_s=(index + 1) * batch_size / elapsed,
                               description=f"epoch {epoch + 1}/{epochs}")

                for index, batch in enumerate(batches(train, batch_size, seed=seed, epoch=epoch)):
                    metrics = self.step(batch)
                    if pending is not None:
                        settle(*pending)
                    pending = (index, metrics)
                settle(*pending)
                seconds = time.perf_counter() - tic
                record = {"epoch": epoch + 1, **{f"train_{k}": v / steps for k, v in sums.items()},
                          "time_s": seconds, "samples_per_s": steps * batch_size / seconds}
                if eval_data is not None:
                    record.update({f"eval_{k}": v for k, v in
                                   self.evaluate(eval_data, batch_size=eval_batch_size).items()})
                history.epochs.append(record)
                if checkpoint_dir is not None:
                    self.save(checkpoint_dir, epoch + 1,
                              metadata={"epoch": epoch + 1, "seed": seed, "history": history.epochs})
                if on_epoch_end is not None:
                    on_epoch_end(self, record)
        self.sync()
        return history
