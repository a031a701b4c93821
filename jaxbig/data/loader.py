"""Mini-batches of in-memory arrays, shuffled deterministically per epoch."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

__all__ = ["batches", "num_batches"]


def num_batches(size: int, batch_size: int, *, drop_last: bool = True) -> int:
    """How many batches :func:`batches` yields for ``size`` examples.

    Raises:
      ValueError: if ``batch_size`` is not positive, or no full batch fits when
        ``drop_last`` is set.

    >>> num_batches(10, 4), num_batches(10, 4, drop_last=False)
    (2, 3)
    """
    if batch_size < 1:
        raise ValueError(f"batches: batch_size={batch_size} must be >= 1")
    count = size // batch_size if drop_last else -(-size // batch_size)
    if count == 0:
        raise ValueError(f"batches: batch_size={batch_size} is larger than the {size} examples")
    return count


def batches(arrays: Sequence[np.ndarray], batch_size: int, *, seed: int | None = None, epoch: int = 0,
            drop_last: bool = True) -> Iterator[tuple[np.ndarray, ...]]:
    """Yields aligned mini-batches of ``arrays`` (e.g. ``(x, y)``).

    The order is a permutation drawn from ``numpy.random.default_rng([seed, epoch])``,
    so it depends only on the seed and the epoch: a run resumed at epoch ``k``
    sees the same batches as an uninterrupted one.

    Args:
      arrays: arrays with the same first dimension.
      batch_size: examples per batch.
      seed: shuffling seed; ``None`` keeps the stored order.
      epoch: the epoch, mixed into the seed.
      drop_last: whether to drop the final partial batch (fixed shapes avoid
        recompiling a jitted step).

    Yields:
      Tuples of arrays, each with ``batch_size`` rows (fewer for a final partial batch).

    Raises:
      ValueError: if the arrays have different lengths, or ``batch_size`` does not fit.

    >>> [b[0].tolist() for b in batches((np.arange(5),), 2, drop_last=False)]
    [[0, 1], [2, 3], [4]]
    """
    arrays = tuple(np.asarray(a) for a in arrays)
    size = len(arrays[0])
    if any(len(a) != size for a in arrays):
        raise ValueError(f"batches: arrays have different lengths {[len(a) for a in arrays]}")
    count = num_batches(size, batch_size, drop_last=drop_last)
    order = np.arange(size) if seed is None else np.random.default_rng([seed, epoch]).permutation(size)
    for i in range(count):
        index = order[i * batch_size:(i + 1) * batch_size]
        yield tuple(a[index] for a in arrays)
