"""Index sets of r-combinations, in ``torch.combinations`` / ``itertools`` order.

tinyBIG's combinatorial expansions and compressions read every ``r``-subset of a
row's features (``torch.combinations``). Here the subsets are a static NumPy index
array built once at trace time with whole-array operations, so a function reads them
with one gather (``x[:, index]``) and no Python loop over subsets.
"""

from __future__ import annotations

import math

import numpy as np

from jaxbig.base import check_int

__all__ = ["combinations", "num_combinations"]


def num_combinations(m: int, r: int, *, with_replacement: bool = False) -> int:
    """The number of ``r``-combinations of ``m`` items: ``C(m, r)``, or ``C(m + r − 1, r)``
    with replacement.

    >>> num_combinations(5, 2), num_combinations(5, 2, with_replacement=True)
    (10, 15)
    """
    return math.comb(m + r - 1, r) if with_replacement else math.comb(m, r)


def combinations(m: int, r: int, *, with_replacement: bool = False) -> np.ndarray:
    """All ``r``-combinations of ``range(m)`` in lexicographic order, shape ``(C, r)``.

    The rows equal ``itertools.combinations(range(m), r)`` (or
    ``combinations_with_replacement``), which is also ``torch.combinations``' order,
    but are built by extending every prefix with all larger (or equal) indices at
    once: ``r − 1`` array steps however many combinations there are.

    Args:
      m: the number of items ``m ≥ 0``.
      r: the subset size ``r ≥ 1``.
      with_replacement: whether an index may repeat (``i_1 ≤ … ≤ i_r``).

    Returns:
      An int64 array of shape ``(num_combinations(m, r), r)``.

    Raises:
      ValueError: if ``m`` or ``r`` is out of range.

    >>> combinations(4, 2).tolist()
    [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]]
    >>> combinations(3, 2, with_replacement=True).tolist()
    [[0, 0], [0, 1], [0, 2], [1, 1], [1, 2], [2, 2]]
    """
    m = check_int("combinations", "m", m, minimum=0)
    r = check_int("combinations", "r", r, minimum=1)
    rows = np.arange(m, dtype=np.int64)[:, None]
    for _ in range(r - 1):
        last = rows[:, -1]
        start = last if with_replacement else last + 1
        counts = m - start  # how many larger (or equal) indices extend each row
        first = np.cumsum(counts) - counts  # where each row's extensions begin
        offsets = np.arange(int(counts.sum())) - np.repeat(first, counts)
        extension = np.repeat(start, counts) + offsets
        rows = np.concatenate([np.repeat(rows, counts, axis=0), extension[:, None]], axis=1)
    return rows
