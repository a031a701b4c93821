"""Checkpoints of a model and its optimizer with orbax, restored bit for bit."""

from __future__ import annotations

import pathlib
from typing import Any

import jax
import orbax.checkpoint as ocp
from flax import nnx

__all__ = ["latest_step", "restore", "save"]


def _manager(directory: str | pathlib.Path, max_to_keep: int | None = None) -> ocp.CheckpointManager:
    return ocp.CheckpointManager(
        pathlib.Path(directory).absolute(),
        options=ocp.CheckpointManagerOptions(max_to_keep=max_to_keep, create=True),
    )


def save(directory: str | pathlib.Path, step: int, model: nnx.Module, optimizer: nnx.Optimizer | None = None,
         *, metadata: dict[str, Any] | None = None, max_to_keep: int | None = 3) -> pathlib.Path:
    """Saves the state of ``model`` (and ``optimizer``) as checkpoint ``step`` under ``directory``.

    Everything in the modules' state is saved — parameters, buffers, batch-norm
    statistics, random-stream counters, the optimizer's step and moments — so
    :func:`restore` gives back exactly the same arrays.

    Args:
      directory: the checkpoint directory (created if needed).
      step: the checkpoint number (e.g. the epoch or the global step).
      model: the module to save.
      optimizer: its optimizer, if any.
      metadata: JSON-serialisable extras (epoch, history, seed, ...).
      max_to_keep: how many checkpoints to keep (oldest removed first).

    Returns:
      The directory of this checkpoint.
    """
    state = {"model": nnx.state(model)}
    if optimizer is not None:
        state["optimizer"] = nnx.state(optimizer)
    with _manager(directory, max_to_keep) as manager:
        manager.save(step, args=ocp.args.Composite(
            state=ocp.args.StandardSave(state), metadata=ocp.args.JsonSave(metadata or {})))
        manager.wait_until_finished()
    return pathlib.Path(directory).absolute() / str(step)


def latest_step(directory: str | pathlib.Path) -> int | None:
    """The number of the newest checkpoint under ``directory``, or ``None``."""
    if not pathlib.Path(directory).exists():
        return None
    with _manager(directory) as manager:
        return manager.latest_step()


def restore(directory: str | pathlib.Path, model: nnx.Module, optimizer: nnx.Optimizer | None = None,
            *, step: int | None = None) -> dict[str, Any]:
    """Restores ``model`` (and ``optimizer``) in place from a checkpoint.

    Args:
      directory: the checkpoint directory.
      model: a module of the same structure as the saved one (its values are replaced).
      optimizer: its optimizer, if one was saved.
      step: which checkpoint; the newest by default.

    Returns:
      The checkpoint's metadata (with ``"step"`` added).

    Raises:
      FileNotFoundError: if there is no checkpoint.
    """
    with _manager(directory) as manager:
        step = manager.latest_step() if step is None else step
        if step is None:
            raise FileNotFoundError(f"restore: no checkpoint under {directory}")
        state = {"model": nnx.state(model)}
        if optimizer is not None:
            state["optimizer"] = nnx.state(optimizer)
        abstract = jax.tree.map(ocp.utils.to_shape_dtype_struct, state)
        restored = manager.restore(step, args=ocp.args.Composite(
            state=ocp.args.StandardRestore(abstract), metadata=ocp.args.JsonRestore()))
    nnx.update(model, restored["state"]["model"])
    if optimizer is not None:
        nnx.update(optimizer, restored["state"]["optimizer"])
    return {**dict(restored["metadata"] or {}), "step": step}
