"""The tie table on Spark: the store's tie query, translated, over the exported tables.

:func:`compute_ties` reads the folder ``netgraph export --format parquet --store-tables``
writes, runs the tie query that :mod:`netgraph.spark.sql` derives from the DuckDB one, and
writes ``ties.parquet``: the columns, types and values of the store's ``ties`` table as of a day
(strength included), sorted by ``u, v``. The parameters are the store's own
(:func:`netgraph.ties.features.params`), with "me" read from the folder's manifest.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from netgraph._errors import InputFileError
from netgraph.spark import folders, sql
from netgraph.spark.progress import Steps, Update
from netgraph.ties.features import params
from netgraph.ties.model import AsOf, as_of_date

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["TiesRun", "check_inputs", "compute_ties", "read_inputs", "tie_frame"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TiesRun:
    """What :func:`compute_ties` wrote: the folder, the day, the number of ties, step times."""

    out: Path
    as_of: date
    ties: int
    seconds: dict[str, float]


class _Owner:
    """The one thing the tie query's parameters read from a store: who "me" is."""

    def __init__(self, me: int | None) -> None:
        self.me_id = me


def check_inputs(folder: str | os.PathLike[str]) -> tuple[dict, dict[str, Path]]:
    """The manifest of an input folder and the Parquet of each table the tie query reads.

    Checked before Spark starts, so a wrong folder is one line in a second.

    Raises
    ------
    InputFileError
        The folder has no manifest of store tables, or a table's Parquet is missing.
    """
    manifest = folders.read_manifest(folder, "store tables")
    paths = {t: folders.parquet_path(folder, t, "store tables") for t in sorted(sql.tables_read())}
    return manifest, paths


def read_inputs(spark: SparkSession, folder: str | os.PathLike[str]) -> dict:
    """Register the tables the tie query reads from ``folder`` as Spark views; its manifest.

    Raises
    ------
    InputFileError
        The folder has no manifest of store tables, a table's Parquet is missing, or it lacks
        a column the tie query reads.
    """
    manifest, paths = check_inputs(folder)
    for table, columns in sorted(sql.tables_read().items()):
        path = paths[table]
        frame = spark.read.parquet(str(path))
        missing = sorted(columns - set(frame.columns))
        if missing:
            msg = (f"{path} lacks the column(s) {', '.join(missing)} that the tie query reads; "
                   f"{folders.EXPORT_HINT}")
            raise InputFileError(msg)
        frame.createOrReplaceTempView(table)
    return manifest


def tie_frame(spark: SparkSession, as_of: AsOf, me: int | None) -> DataFrame:
    """The tie table as of ``as_of`` over the registered views (:func:`read_inputs`), lazily."""
    day = as_of_date(as_of)
    values = {**params(_Owner(me), day), "day": day}  # type: ignore[arg-type]
    return spark.sql(sql.tie_query(values))


def compute_ties(spark: SparkSession, input_dir: str | os.PathLike[str],
                 out_dir: str | os.PathLike[str], *, as_of: AsOf = None, overwrite: bool = False,
                 show: Callable[[Update], None] | None = None) -> TiesRun:
    """Compute the tie table on Spark from exported store tables and write it as Parquet.

    Parameters
    ----------
    spark : SparkSession
        A session (:func:`netgraph.spark.session.start`).
    input_dir : path
        A folder written by ``netgraph export DIR --format parquet --store-tables``.
    out_dir : path
        Where to write ``ties.parquet`` (a folder of Parquet parts) and ``netgraph.json``.
    as_of : date, datetime, str or None
        The day the ties are as of (default: today), as ``--as-of`` everywhere.
    overwrite : bool
        Replace an earlier output (``--force``).
    show : callable, optional
        Receives the progress (:class:`~netgraph.spark.progress.Update`).

    Returns
    -------
    TiesRun
    """
    out = folders.check_out(out_dir, ["ties"], overwrite=overwrite, protect=[Path(input_dir)])
    day = as_of_date(as_of)
    steps = Steps(spark, show)
    with steps.step("read the store tables"):
        manifest = read_inputs(spark, input_dir)
    out.mkdir(parents=True, exist_ok=True)
    with steps.step("compute the ties"):
        written = folders.write_table(tie_frame(spark, day, manifest.get("me")), out, "ties")
    with steps.step("count the ties"):
        n = spark.read.parquet(str(written)).count()
    folders.write_manifest(out, {
        "kind": "ties", "as_of": day.isoformat(), "me": manifest.get("me"), "ties": n,
        "data_version": manifest.get("data_version"),
        "schema_version": manifest.get("schema_version"), "spark": spark.version,
    })
    log.info("Wrote %s ties as of %s to %s", f"{n:,}", day, out)
    return TiesRun(out, day, n, steps.times)
