"""A progress bar for training loops (rich, on stderr), or nothing when disabled."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any

__all__ = ["ProgressBar"]


class ProgressBar:
    """Shows steps, loss and throughput of a training run on stderr.

    Args:
      total: the total number of steps.
      enabled: whether to show anything (a disabled bar costs nothing).
      description: the text before the bar.

    Use as a context manager; call :meth:`update` after each step.
    """

    def __init__(self, total: int, *, enabled: bool = True, description: str = "training"):
        self.enabled = enabled
        self._progress: Any = None
        self._task: Any = None
        if not enabled:
            return
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn,
                                   TimeElapsedColumn, TimeRemainingColumn)

        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("loss {task.fields[loss]}"),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=Console(file=sys.stderr),
            transient=False,
        )
        self._task = self._progress.add_task(description, total=total, loss="-", rate="")

    def __enter__(self) -> ProgressBar:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if self._progress is not None:
            self._progress.stop()

    def update(self, advance: int = 1, *, loss: float | None = None, samples_per_s: float | None = None,
               description: str | None = None) -> None:
        """Advances the bar and shows the latest loss and throughput."""
        if self._progress is None:
            return
        fields: dict[str, Any] = {}
        if loss is not None:
            fields["loss"] = f"{loss:.4g}"
        if samples_per_s is not None:
            fields["rate"] = f"{samples_per_s:,.0f} samples/s"
        if description is not None:
            fields["description"] = description
        self._progress.update(self._task, advance=advance, **fields)
