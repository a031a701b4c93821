"""Training RPN models with optax: a jitted step, evaluation, progress, checkpoints, parallelism.

:class:`Trainer` runs a ``jax.jit`` step that donates its buffers, with a
``loss_fn(model, batch) -> (loss, metrics)`` (:func:`classification_loss`,
:func:`regression_loss`, or your own); :meth:`Trainer.fit` adds a progress bar,
evaluation, an early stop on a non-finite loss, checkpoints and resume.
:mod:`jaxbig.train.ensemble` trains K models of different seeds in one vmapped
step; :mod:`jaxbig.train.sharding` splits batches over a device mesh;
:func:`code_features` measures bits per symbol of a bottleneck's features with its
entropy model's codec and checks that they decode exactly.
"""

from jaxbig.train import checkpoint
from jaxbig.train.coding import CodingReport, code_features
from jaxbig.train.ensemble import Ensemble
from jaxbig.train.losses import (
    LossFn,
    accuracy,
    classification_loss,
    cross_entropy,
    mean_squared_error,
    regression_loss,
)
from jaxbig.train.progress import ProgressBar
from jaxbig.train.sharding import data_mesh, replicate, shard_batch
from jaxbig.train.trainer import DivergenceError, History, Trainer, eval_view

__all__ = [
    "CodingReport",
    "DivergenceError",
    "Ensemble",
    "History",
    "LossFn",
    "ProgressBar",
    "Trainer",
    "accuracy",
    "checkpoint",
    "classification_loss",
    "code_features",
    "cross_entropy",
    "data_mesh",
    "eval_view",
    "mean_squared_error",
    "regression_loss",
    "replicate",
    "shard_batch",
]
