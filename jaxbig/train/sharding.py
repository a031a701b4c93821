"""Data parallelism over a device mesh: replicated state, batches split along ``"data"``.

The train step of :class:`jaxbig.train.Trainer` is an ordinary ``jax.jit``
function, so given replicated parameters and a batch sharded over the mesh's
``"data"`` axis, XLA partitions it (each device takes its slice of the batch, and
the gradient is all-reduced). On a CPU, several host devices can be forced for
testing with ``XLA_FLAGS=--xla_force_host_platform_device_count=4`` (set before
importing jax).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec

__all__ = ["DATA_AXIS", "data_mesh", "replicate", "shard_batch"]

DATA_AXIS = "data"


def data_mesh(devices: Sequence[jax.Device] | None = None) -> Mesh:
    """A 1-D mesh over ``devices`` (all devices by default) with the axis ``"data"``."""
    devices = jax.devices() if devices is None else list(devices)
    return Mesh(np.asarray(devices), (DATA_AXIS,))


def replicate(tree: Any, mesh: Mesh) -> Any:
    """Places every leaf of ``tree`` on all devices of ``mesh`` (fully replicated)."""
    return jax.device_put(tree, NamedSharding(mesh, PartitionSpec()))


def shard_batch(batch: Any, mesh: Mesh) -> Any:
    """Splits every leaf of ``batch`` along its first axis over the mesh's ``"data"`` axis.

    Raises:
      ValueError: if a leaf's first dimension is not a multiple of the number of devices.
    """
    count = mesh.shape[DATA_AXIS]
    for leaf in jax.tree.leaves(batch):
        if np.shape(leaf)[0] % count:
            raise ValueError(f"shard_batch: batch size {np.shape(leaf)[0]} must be a multiple of "
                             f"the {count} devices of the mesh")
    return jax.device_put(batch, NamedSharding(mesh, PartitionSpec(DATA_AXIS)))
