"""Long steps announce themselves, so a command line can show them; silent by default.

A stage that may run for seconds (building the tie table, a whole-network analysis) wraps the
work in :func:`task`. The CLI installs a reporter (:func:`reporting`) that draws a spinner with
the step's description and elapsed time on a terminal; the library itself prints nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager

__all__ = ["Reporter", "reporting", "task"]

#: A reporter turns a description into a context manager that is open while the step runs.
Reporter = Callable[[str], AbstractContextManager]

_reporters: list[Reporter] = []


@contextlib.contextmanager
def task(description: str) -> Iterator[None]:
    """Run the block as one announced step (the innermost reporter shows it)."""
    if not _reporters:
        yield
        return
    with _reporters[-1](description):
        yield


@contextlib.contextmanager
def reporting(reporter: Reporter) -> Iterator[None]:
    """Show the steps announced inside the block with ``reporter``."""
    _reporters.append(reporter)
    try:
        yield
    finally:
        _reporters.remove(reporter)
