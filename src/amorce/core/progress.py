"""One progress protocol for the whole platform: jobs, CLI bars and the batch engine.

A progress reporter is any callable ``progress(done, total=None, message=None)``:

- ``done`` and ``total`` are counts (``done / total`` is the fraction), or ``done`` alone is a
  fraction in [0, 1] when ``total`` is None;
- ``message`` (French, optional) says what is being done now.

:class:`amorce.web.jobs.JobContext.progress` has this shape, :func:`rich_bar` gives one for the
command line, and :func:`part` maps a sub-step's own 0..1 progress into its slice of the parent's.
Pure: no Django import.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Protocol


class Progress(Protocol):
    def __call__(self, done: float, total: float | None = None, message: str | None = None) -> None: ...


def fraction(done: float, total: float | None = None) -> float:
    """``done / total`` (or ``done`` when there is no total), clipped to [0, 1]."""
    value = float(done) / float(total) if total else float(done)
    return min(max(value, 0.0), 1.0)


def ignore(done: float, total: float | None = None, message: str | None = None) -> None:
    """A reporter that reports nothing (for callers that do not follow progress)."""


def part(progress: Progress | None, begin: float, width: float) -> Progress:
    """A reporter for a sub-step that covers ``[begin, begin + width]`` of ``progress``."""
    if progress is None:
        return ignore

    def report(done: float, total: float | None = None, message: str | None = None) -> None:
        progress(begin + width * fraction(done, total), 1.0, message)

    return report


@contextlib.contextmanager
def rich_bar(description: str, *, stderr: bool = True) -> Iterator[Progress]:
    """A rich progress bar on the terminal (stderr by default, so --json output stays clean)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.progress import Progress as RichProgress

    with RichProgress(TextColumn("[bold]{task.description}"), BarColumn(), TaskProgressColumn(),
                      TimeElapsedColumn(), TimeRemainingColumn(), console=Console(stderr=stderr),
                      transient=False) as bar:
        task = bar.add_task(description, total=1.0)

        def report(done: float, total: float | None = None, message: str | None = None) -> None:
            bar.update(task, completed=fraction(done, total), **({"description": message} if message else {}))

        yield report
        bar.update(task, completed=1.0)
