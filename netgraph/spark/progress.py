"""Spark's progress, step by step: the tasks done out of those known, for a bar or a line.

Each step of a Spark command runs as one job group. While it runs, a thread asks Spark's status
tracker every half second how many tasks of the group's stages are done, and passes an
:class:`Update` to the caller's ``show`` (the CLI draws a rich progress bar, or prints one line
per step when its output is not a terminal). Spark's own console progress bar and log stay off
(:mod:`netgraph.spark.session`).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["Steps", "Update"]


class Update(NamedTuple):
    """Where a step stands: its tasks done and known so far; ``seconds`` once it has finished."""

    step: str
    done: int
    total: int
    seconds: float | None = None


class Steps:
    """The named steps of one Spark command, reported to ``show`` (nothing shown when None)."""

    def __init__(self, spark: SparkSession, show: Callable[[Update], None] | None = None, *,
                 interval: float = 0.5) -> None:
        self.spark = spark
        self.show = show
        self.interval = interval
        self.times: dict[str, float] = {}

    def _tasks(self, group: str) -> tuple[int, int]:
        tracker = self.spark.sparkContext.statusTracker()
        done = total = 0
        for job in tracker.getJobIdsForGroup(group):
            info = tracker.getJobInfo(job)
            for stage in (info.stageIds if info else []):
                s = tracker.getStageInfo(stage)
                if s is not None:
                    done, total = done + s.numCompletedTasks, total + s.numTasks
        return done, total

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Run the block as the step ``name``; its time is kept in :attr:`times`."""
        context = self.spark.sparkContext
        group = f"netgraph-{len(self.times)}-{name}"
        context.setJobGroup(group, name)
        stop = threading.Event()

        def poll() -> None:
            while not stop.wait(self.interval):
                with contextlib.suppress(Exception):  # the tracker is best effort
                    self.show(Update(name, *self._tasks(group)))

        watcher = threading.Thread(target=poll, daemon=True) if self.show else None
        if self.show:
            self.show(Update(name, 0, 0))
            watcher.start()
        start = time.perf_counter()
        try:
            yield
        finally:
            stop.set()
            if watcher is not None:
                watcher.join()
            self.times[name] = time.perf_counter() - start
            context.setLocalProperty("spark.jobGroup.id", None)
        if self.show:
            done, total = self._tasks(group)
            self.show(Update(name, done, total, self.times[name]))
