"""Attach Spark's output to a local store: its ties become the store's tie table.

``netgraph spark ties`` writes the store's ``ties`` table, column for column, as of a day. Loading
it into the store and recording it as current for that day, data version and "me" (the keys
:func:`netgraph.ties.table.state` reads) makes every question about me read it as it reads ties
built locally: ``intro``, ``connectors``, ``neglected``, ``weak-ties``, ``report`` and ``agenda``
answer from my neighbourhood in the table. Answers kept in the store were derived from the old
table, so they are dropped.

The store must hold the data the ties were computed from: the same data version and "me" as the
exported tables (the manifests say which). A later import moves the version, and the table is
then patched locally as usual.

A metrics folder (``netgraph spark metrics``) is checked against the ties, and the two
whole-network questions are answered from it (:mod:`netgraph.analytics.from_metrics`) and kept
in the store for the data version, day and "me" attached (:data:`ANSWERS`): ``connectors
--global`` ranks by PageRank, constraint and 2-hop reach, ``weak-ties --everyone`` classifies
every tie by Spark's embeddedness and overlap. No graph of the whole network is built for them.
The people and tie metrics also stay in the folder's Parquet files, which DuckDB or pandas read
as they are.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from netgraph._errors import InputFileError
from netgraph.spark import folders
from netgraph.store.database import Store
from netgraph.ties.table import TIE_COLUMNS, TieState, save_state

__all__ = ["ANSWERS", "BATCH_ROWS", "Attached", "attach"]

log = logging.getLogger(__name__)

#: Rows per Arrow batch while loading the ties (bounded memory for any size).
BATCH_ROWS = 1_000_000
#: The whole-network answers made from attached metrics, under the names they are kept as: read
#: by :func:`netgraph.api.connectors` and :func:`netgraph.api.weak_ties` before computing their own.
ANSWERS = {"connectors": "connectors from spark", "weak_ties": "weak_ties from spark"}

_PEOPLE_SQL = """
SELECT m.person_id, p.name, p.company, m.component, m.degree, m.reach2, m.pagerank, m."constraint"
FROM _spark_people_metrics m LEFT JOIN people p USING (person_id)
"""
_TIES_SQL = """
SELECT m.u, m.v, a.name AS u_name, b.name AS v_name, m.strength, m.embeddedness, m.overlap,
       m.local_bridge
FROM _spark_tie_metrics m LEFT JOIN people a ON a.person_id = m.u LEFT JOIN people b ON b.person_id = m.v
"""


@dataclass
class Attached:
    """What :func:`attach` loaded: the ties, their day, and the metrics' summary if any."""

    ties: int
    as_of: date
    metrics: dict[str, Any] = field(default_factory=dict)


def _check_source(store: Store, manifest: dict, folder: Path) -> None:
    """Refuse ties computed from other data than the store's (another version or "me")."""
    version, me = store.data_version(), store.me_id
    if manifest.get("data_version") != version or manifest.get("me") != me:
        msg = (f"{folder} holds ties of data version {manifest.get('data_version')} with me = "
               f"{manifest.get('me')}, but this store is at version {version} with me = {me}: "
               "export this store again (netgraph export DIR --format parquet --store-tables), "
               "then rerun netgraph spark ties")
        raise InputFileError(msg)


def _load(store: Store, path: Path) -> int:
    """Replace the store's ties with those of the Parquet at ``path``, batch by batch."""
    import pyarrow.dataset as ds

    data = ds.dataset(str(path), format="parquet")
    missing = [c for c in TIE_COLUMNS if c not in data.schema.names]
    if missing:
        msg = f"{path} lacks the tie column(s) {', '.join(missing)}; rerun netgraph spark ties"
        raise InputFileError(msg)
    con, n = store.con, 0
    con.execute("DELETE FROM ties")
    for batch in data.to_batches(columns=list(TIE_COLUMNS), batch_size=BATCH_ROWS):
        with store.registered("_spark_ties", batch):
            con.execute(f"INSERT INTO ties SELECT {', '.join(TIE_COLUMNS)} FROM _spark_ties")
        n += batch.num_rows
    return n


def _metrics(folder: Path, ties: dict) -> dict[str, Any]:
    """The metrics folder's manifest, checked to come from the ties attached."""
    manifest = folders.read_manifest(folder, "metrics")
    for key in ("as_of", "data_version", "me"):
        if manifest.get(key) != ties.get(key):
            msg = (f"{folder} holds metrics of other ties ({key} {manifest.get(key)}, the ties' "
                   f"{ties.get(key)}): rerun netgraph spark metrics --ties on the ties attached")
            raise InputFileError(msg)
    for table in ("people_metrics", "tie_metrics"):
        folders.parquet_path(folder, table, "metrics")
    return manifest


def _answer_from(store: Store, folder: Path, day: date) -> None:
    """Answer ``connectors --global`` and ``weak-ties --everyone`` from the metrics in ``folder``."""
    import pyarrow.dataset as ds

    from netgraph.analytics.from_metrics import connectors_from_metrics, weak_ties_from_metrics
    from netgraph.store import cache

    for table, sql, answer, name in (
            ("people_metrics", _PEOPLE_SQL, connectors_from_metrics, ANSWERS["connectors"]),
            ("tie_metrics", _TIES_SQL, weak_ties_from_metrics, ANSWERS["weak_ties"])):
        data = ds.dataset(str(folders.parquet_path(folder, table, "metrics")), format="parquet")
        with store.registered(f"_spark_{table}", data.to_table()):
            frame = store.con.execute(sql).df()
        cache.keep(store, name, day.isoformat(), answer(frame))


def attach(store: Store, ties_dir: str | os.PathLike[str],
           metrics_dir: str | os.PathLike[str] | None = None) -> Attached:
    """Make ``store`` read the ties Spark wrote in ``ties_dir`` (see the module docstring).

    Parameters
    ----------
    store : Store
        A writable store, holding the data the ties were computed from.
    ties_dir : path
        A folder written by ``netgraph spark ties``.
    metrics_dir : path, optional
        A folder written by ``netgraph spark metrics`` from those ties: checked and summarised.

    Returns
    -------
    Attached

    Raises
    ------
    InputFileError
        A folder is not what it should be, or the ties come from other data than the store's.
    """
    ties_dir = Path(ties_dir)
    manifest = folders.read_manifest(ties_dir, "ties")
    _check_source(store, manifest, ties_dir)
    path = folders.parquet_path(ties_dir, "ties", "ties")
    metrics = _metrics(Path(metrics_dir), manifest) if metrics_dir is not None else {}
    day = date.fromisoformat(manifest["as_of"])
    me = store.me_id
    with store.transaction():
        n = _load(store, path)
        save_state(store, TieState(store.data_version(), day, -1 if me is None else me))
        store.con.execute("DELETE FROM derived_cache")  # answers derived from the old table
    if metrics:
        _answer_from(store, Path(metrics_dir), day)  # type: ignore[arg-type]
    log.info("Attached %s ties as of %s from %s", f"{n:,}", day, ties_dir)
    return Attached(n, day, metrics)
