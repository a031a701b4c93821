"""Timing shared by the benchmark scripts (imported as a sibling module)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

import jax


def median_ms(fn: Callable[..., Any], *args: Any, repeats: int, inner: int = 1) -> float:
    """Median over ``repeats`` rounds of the mean milliseconds of ``inner`` calls of ``fn(*args)``.

    The first call (compilation and warm-up) is not timed; every round ends with
    ``jax.block_until_ready`` on the last result, so asynchronous dispatch is counted.
    """
    jax.block_until_ready(fn(*args))
    runs = []
    for _ in range(repeats):
        tic = time.perf_counter()
        for _ in range(inner):
            out = fn(*args)
        jax.block_until_ready(out)
        runs.append((time.perf_counter() - tic) / inner * 1e3)
    return statistics.median(runs)
