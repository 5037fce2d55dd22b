"""Whole-network metrics on Spark, from a tie table: per person and per tie, as Parquet.

:func:`compute_metrics` reads the ``ties.parquet`` that ``netgraph spark ties`` wrote and
writes, beside a manifest:

- ``people_metrics.parquet``: ``person_id``, ``component`` (:mod:`~netgraph.spark.components`),
  ``degree``, ``reach2``, ``pagerank`` (:mod:`~netgraph.spark.rank`) and ``constraint``
  (:mod:`~netgraph.spark.structure`), one row per person with a tie;
- ``tie_metrics.parquet``: ``u``, ``v``, ``strength``, ``embeddedness``, ``overlap`` and
  ``local_bridge``, one row per tie.

Weighted betweenness and communities (Leiden) have no distributed version here: they need the
whole graph in one place. With these metrics attached (``netgraph attach TIES METRICS``),
``connectors --global`` and ``weak-ties --everyone`` answer from them, without betweenness or
communities (:mod:`netgraph.analytics.from_metrics`); with the ties attached alone, those two
compute them with igraph from the tie table on one large machine, betweenness estimated from
sampled sources above :data:`netgraph.analytics.connectors.SAMPLE_ABOVE` people.
:data:`NOT_DISTRIBUTED` says so.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from netgraph.spark import folders
from netgraph.spark.components import components
from netgraph.spark.progress import Steps, Update
from netgraph.spark.rank import pagerank
from netgraph.spark.structure import constraint, degrees, reach2, tie_structure, triangles

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["NOT_DISTRIBUTED", "TABLES", "MetricsRun", "compute_metrics", "metric_frames"]

log = logging.getLogger(__name__)

#: The tables written, in order.
TABLES = ("people_metrics", "tie_metrics")
#: What Spark does not compute, and where it is computed instead.
NOT_DISTRIBUTED = ("Betweenness and communities (Leiden) have no distributed version: with these "
                   "metrics attached, connectors --global and weak-ties --everyone answer without "
                   "them. Attach the ties alone to compute them with igraph on one machine from "
                   "the tie table, betweenness from sampled sources above 5,000 people.")


@dataclass
class MetricsRun:
    """What :func:`compute_metrics` wrote, and what it found on the way."""

    out: Path
    people: int = 0
    ties: int = 0
    components: int = 0
    rounds: int = 0
    iterations: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def metric_frames(ties: DataFrame, steps: Steps, run: MetricsRun) -> tuple[DataFrame, DataFrame]:
    """The people and tie metrics of ``ties`` (``u``, ``v``, ``strength``), each step timed."""
    from pyspark.sql import functions as F

    ties = ties.select("u", "v", "strength")
    with steps.step("degree and strength"):
        degree = degrees(ties).localCheckpoint()
    with steps.step("connected components"):
        rounds: list[int] = []
        parts = components(ties, rounds=rounds).localCheckpoint()
        run.rounds = rounds[0]
    with steps.step("PageRank on strength"):
        its: list[int] = []
        ranks = pagerank(ties, iterations=its)
        run.iterations = its[0]
    with steps.step("2-hop reach"):
        reach = reach2(ties).localCheckpoint()
    with steps.step("triangles"):
        tri = triangles(ties, degree).localCheckpoint()
    with steps.step("embeddedness and overlap"):
        per_tie = tie_structure(ties, degree, tri).localCheckpoint()
    with steps.step("Burt's constraint"):
        burt = constraint(ties, degree, tri).localCheckpoint()
    people = (degree.join(parts, "person_id").join(reach, "person_id").join(ranks, "person_id")
              .join(burt, "person_id", "left")
              .select("person_id", "component", F.col("degree").cast("long").alias("degree"),
                      F.col("reach2").cast("long").alias("reach2"), "pagerank",
                      F.coalesce("constraint", F.lit(0.0)).alias("constraint")))
    return people, per_tie


def compute_metrics(spark: SparkSession, ties_dir: str | os.PathLike[str],
                    out_dir: str | os.PathLike[str], *, overwrite: bool = False,
                    show: Callable[[Update], None] | None = None) -> MetricsRun:
    """Compute the whole-network metrics of a tie table on Spark and write them as Parquet.

    Parameters
    ----------
    spark : SparkSession
        A session (:func:`netgraph.spark.session.start`).
    ties_dir : path
        A folder written by ``netgraph spark ties``.
    out_dir : path
        Where to write :data:`TABLES` and ``netgraph.json``.
    overwrite : bool
        Replace an earlier output (``--force``).
    show : callable, optional
        Receives the progress (:class:`~netgraph.spark.progress.Update`).

    Returns
    -------
    MetricsRun
    """
    manifest = folders.read_manifest(ties_dir, "ties")
    path = folders.parquet_path(ties_dir, "ties", "ties")
    out = folders.check_out(out_dir, list(TABLES), overwrite=overwrite, protect=[Path(ties_dir)])
    run = MetricsRun(out)
    steps = Steps(spark, show)
    people, per_tie = metric_frames(spark.read.parquet(str(path)), steps, run)
    out.mkdir(parents=True, exist_ok=True)
    with steps.step("write the metrics"):
        for name, frame in zip(TABLES, (people.orderBy("person_id"), per_tie.orderBy("u", "v")),
                               strict=True):
            folders.write_table(frame, out, name)
    with steps.step("count"):
        from pyspark.sql import functions as F

        written = spark.read.parquet(str(out / "people_metrics.parquet"))
        row = written.agg(F.count("*"), F.countDistinct("component")).first()
        run.people, run.components = int(row[0]), int(row[1])
        run.ties = spark.read.parquet(str(out / "tie_metrics.parquet")).count()
    run.seconds = steps.times
    folders.write_manifest(out, {
        "kind": "metrics", "as_of": manifest.get("as_of"), "me": manifest.get("me"),
        "data_version": manifest.get("data_version"), "people": run.people, "ties": run.ties,
        "components": run.components, "component_rounds": run.rounds,
        "pagerank_iterations": run.iterations, "not_distributed": NOT_DISTRIBUTED,
        "spark": spark.version,
    })
    log.info("Wrote the metrics of %s people and %s ties to %s", f"{run.people:,}",
             f"{run.ties:,}", out)
    return run
