"""Beyond one machine: ``netgraph spark ties``, ``netgraph spark metrics`` and ``netgraph attach``.

pyspark and sqlglot are an optional extra; they load inside the commands (and only there), so
``netgraph --help`` stays quick and a missing extra is one line saying how to install it. Spark's
progress shows as a rich progress bar on a terminal, or one line per step otherwise; Spark's own
log goes to a file (:mod:`netgraph.spark.session`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from netgraph.cli.options import as_of_option, db_option, err, force_option, out, store_path

if TYPE_CHECKING:
    from netgraph.spark.progress import Update

_FOLDER = click.Path(file_okay=False, path_type=Path)


def _master_option(func: Callable) -> Callable:
    return click.option(
        "--master", default=None, metavar="URL",
        help="Where Spark runs: local[N] (this machine, N cores), spark://HOST:7077, yarn... "
             "Default: local[*].")(func)


def _partitions_option(func: Callable) -> Callable:
    return click.option(
        "--partitions", type=click.IntRange(min=1), default=None,
        help="Shuffle partitions (spark.sql.shuffle.partitions). Default: two per local core, "
             "or the cluster's setting.")(func)


@contextlib.contextmanager
def _progress() -> Iterator[Callable[[Update], None]]:
    """A ``show`` for Spark's steps: a rich progress bar on a terminal, else a line per step."""
    if not err.is_terminal:
        def line(update: Update) -> None:
            if update.seconds is not None:
                err.print(f"spark: {update.step}: done in {update.seconds:.1f} s "
                          f"({update.done:,} tasks)", markup=False)

        yield line
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bars: dict[str, Any] = {}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("tasks"), TimeElapsedColumn(), console=err.console,
                  transient=False) as bar:
        def show(update: Update) -> None:
            if update.step not in bars:
                bars[update.step] = bar.add_task(update.step, total=None)
            task = bars[update.step]
            total = max(update.total, 1) if update.seconds is not None else (update.total or None)
            done = total if update.seconds is not None else update.done
            bar.update(task, completed=done, total=total)

        yield show


@contextlib.contextmanager
def _spark(master: str | None, partitions: int | None) -> Iterator[Any]:
    """A Spark session for the command, with a line while it starts."""
    from netgraph.spark.session import failures, start, stop

    with err.status("Starting Spark...") if err.is_terminal else contextlib.nullcontext():
        spark = start(master, partitions=partitions)
    if not err.is_terminal:
        err.print(f"spark: session started on {spark.sparkContext.master}", markup=False)
    try:
        with failures(spark):
            yield spark
    finally:
        stop(spark)


@click.group("spark")
def spark_group() -> None:
    r"""Compute the tie table and whole-network metrics on Apache Spark (pip install 'netgraph[spark]').

    For networks beyond one machine. End to end:

    \b
      netgraph export tables/ --format parquet --store-tables
      netgraph spark ties --input tables/ --out ties/
      netgraph spark metrics --ties ties/ --out metrics/
      netgraph attach ties/ metrics/

    Folders must be visible to the driver and every executor (a shared file system on a
    cluster). With the metrics attached, connectors --global and weak-ties --everyone answer
    from them. Betweenness and communities have no distributed version: attach the ties alone
    and those two compute them with igraph on one machine from the tie table.
    """


@spark_group.command("ties")
@click.option("--input", "input_dir", type=_FOLDER, required=True,
              help="A folder written by: netgraph export DIR --format parquet --store-tables.")
@click.option("--out", "out_dir", type=_FOLDER, required=True,
              help="Where to write ties.parquet and netgraph.json.")
@_master_option
@_partitions_option
@as_of_option
@force_option
def spark_ties_cmd(input_dir: Path, out_dir: Path, master: str | None, partitions: int | None,
                   as_of: Any, force: bool) -> None:
    """Compute the tie table (features and strength) on Spark, as the store computes it.

    The SQL is the store's own tie query, translated from DuckDB by sqlglot; the Parquet written
    has the store's ties columns, types and values.
    """
    from netgraph.spark import folders
    from netgraph.spark.session import require

    require("pyspark"), require("sqlglot")  # the extra first: one line on how to install it
    from netgraph.spark.ties import check_inputs, compute_ties

    check_inputs(input_dir)  # a wrong folder fails before Spark starts
    folders.check_out(out_dir, ["ties"], overwrite=force, protect=[input_dir])
    with _spark(master, partitions) as spark, _progress() as show:
        run = compute_ties(spark, input_dir, out_dir, as_of=as_of, overwrite=force, show=show)
    out.print(f"{run.ties:,} ties as of {run.as_of} in {run.out / 'ties.parquet'}", markup=False)


@spark_group.command("metrics")
@click.option("--ties", "ties_dir", type=_FOLDER, required=True,
              help="A folder written by: netgraph spark ties.")
@click.option("--out", "out_dir", type=_FOLDER, required=True,
              help="Where to write people_metrics.parquet, tie_metrics.parquet and netgraph.json.")
@_master_option
@_partitions_option
@force_option
def spark_metrics_cmd(ties_dir: Path, out_dir: Path, master: str | None, partitions: int | None,
                      force: bool) -> None:
    """Compute whole-network metrics on Spark: components, PageRank, reach, embeddedness, constraint.

    Per person: connected component, degree, 2-hop reach, PageRank on strength and Burt's
    constraint. Per tie: embeddedness, overlap and the local-bridge flag.
    """
    from netgraph.spark.session import require

    require("pyspark"), require("sqlglot")  # the extra first: one line on how to install it
    from netgraph.spark import folders
    from netgraph.spark.metrics import NOT_DISTRIBUTED, TABLES, compute_metrics

    folders.read_manifest(ties_dir, "ties")
    folders.check_out(out_dir, list(TABLES), overwrite=force, protect=[ties_dir])
    with _spark(master, partitions) as spark, _progress() as show:
        run = compute_metrics(spark, ties_dir, out_dir, overwrite=force, show=show)
    out.print(f"{run.people:,} people in {run.components:,} components "
              f"({run.rounds} rounds), {run.ties:,} ties; PageRank in {run.iterations} "
              f"iterations. Written to {run.out}", markup=False)
    out.print(NOT_DISTRIBUTED, markup=False)


@click.command("attach")
@click.argument("ties_dir", metavar="TIES_DIR", type=_FOLDER)
@click.argument("metrics_dir", metavar="[METRICS_DIR]", type=_FOLDER, required=False)
@db_option
def attach_cmd(ties_dir: Path, metrics_dir: Path | None, db: Path | None) -> None:
    """Make the store use the ties and metrics Spark wrote (netgraph spark ties, spark metrics).

    The questions about you (intro, connectors, neglected, weak-ties, report, agenda) then read
    the ties, as of the day they were computed for (give that day as --as-of). With METRICS_DIR,
    connectors --global ranks by Spark's PageRank, constraint and 2-hop reach, and weak-ties
    --everyone classifies every tie by Spark's embeddedness and overlap. The store must hold the
    data they were computed from.
    """
    from netgraph.cli.options import prepare_answers
    from netgraph.spark.attach import attach
    from netgraph.spark.metrics import NOT_DISTRIBUTED
    from netgraph.store.database import open_store

    with open_store(store_path(db)) as store:
        done = attach(store, ties_dir, metrics_dir)
        prepare_answers(store)
    out.print(f"Attached {done.ties:,} ties as of {done.as_of}. Ask as of that day, e.g. "
              f"netgraph intro NAME --as-of {done.as_of}", markup=False)
    if done.metrics:
        m = done.metrics
        out.print(f"Metrics checked: {m.get('people', 0):,} people in "
                  f"{m.get('components', 0):,} components, {m.get('ties', 0):,} ties "
                  f"(Parquet in {metrics_dir}). connectors --global and weak-ties --everyone "
                  f"--as-of {done.as_of} now answer from them.", markup=False)
    out.print(NOT_DISTRIBUTED, markup=False)


#: The commands this module adds to ``netgraph``.
COMMANDS = [spark_group, attach_cmd]
