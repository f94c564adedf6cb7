"""A rich progress bar for the ``progress(stage, done, total)`` callbacks of train and eval."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TimeElapsedColumn


class RichProgress:
    """One bar per stage, shown on stderr while the block runs.

    Use as ``with RichProgress() as progress: train(..., progress=progress)``.

    Args:
        console: Where to draw (default: stderr).
    """

    def __init__(self, console: Console | None = None) -> None:
        self._progress = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console or Console(stderr=True),
            transient=False,
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> RichProgress:
        self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        """Advance the bar of ``stage`` to ``done`` of ``total``."""
        task = self._tasks.get(stage)
        if task is None:
            task = self._progress.add_task(stage, total=max(total, 1))
            self._tasks[stage] = task
        self._progress.update(task, completed=done, total=max(total, 1))
