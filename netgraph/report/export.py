r"""Export the projected graph, with every node and edge attribute, for Gephi and other tools.

- **GEXF** and **GraphML** (one file each): values these formats cannot hold are converted
  first (:func:`flat_graph`): lists (tags, the team) become ``"; "``-joined text, dates become
  ISO 8601 text, and missing values are left out rather than written as ``None``. Each node also
  gets a ``label`` (the person's name), which Gephi shows. The files read back with
  ``nx.read_gexf(path, node_type=int)`` and ``nx.read_graphml(path, node_type=int)`` to the same
  nodes, edges and attributes (``tests/test_export.py`` checks it); GEXF adds an edge ``id`` and
  has no place for the graph's own attributes (``as_of``, ``me``, ``team``), which GraphML keeps.
- **CSV** and **Parquet** (a folder with ``nodes`` and ``edges`` tables): one row per person
  (``person_id`` first) and per tie (``u, v`` first). CSV joins tags with ``"; "`` and writes
  dates as ISO text; Parquet keeps tags as a list and dates as timestamps. CSV text cells are
  made safe for spreadsheets: a cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
  return gets a leading ``'`` and control characters are written as ``\x1b``-style escapes
  (:func:`netgraph.report.escape.csv_text`); ``raw=True`` (``--raw``) writes them as stored.

With ``redact=True`` people carry pseudonyms only (see :mod:`netgraph.report.redact`).

**The store's tables** (:func:`export_tables`, ``--store-tables``): the four tables the tie
query reads (:data:`TIE_INPUTS`), as Parquet files in a folder, with ``netgraph.json`` saying
which store, data version and "me" they come from: the input of ``netgraph spark ties``. Only
the columns the tie query reads are written: ids, dates, kinds, statuses and declared closeness;
no name, address or note leaves the store. Timestamps stay naive (Parquet ``isAdjustedToUTC``
false), as the store holds them. The rows are streamed in record batches, so a store of any
size is written in bounded memory.

Every file is written to a temporary file beside it and renamed into place once complete (both
tables of a folder export only when both are written), so a failed write leaves nothing behind.
The store's own files are never written over; ``overwrite=False`` (the CLI without ``--force``)
refuses an existing file, or a folder that already holds the nodes or edges table.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from netgraph._errors import NetgraphError
from netgraph.graph.projection import load_graph
from netgraph.report.atomic import as_path, atomic_files, check_target
from netgraph.report.escape import csv_safe
from netgraph.report.redact import pseudonyms, redact_graph
from netgraph.store.database import Store
from netgraph.store.values import plain
from netgraph.ties.model import AsOf

__all__ = ["FORMATS", "MANIFEST", "TIE_INPUTS", "export", "export_tables", "flat_graph", "tables",
           "write_graph"]

log = logging.getLogger(__name__)

FORMATS = ("gexf", "graphml", "csv", "parquet")
LIST_SEPARATOR = "; "
#: The store's tables the tie query reads, with the columns it reads (the Spark tests check
#: these against the query itself).
TIE_INPUTS = {
    "people": ("person_id", "closeness"),
    "interactions": ("interaction_id", "occurred_at", "kind", "initiator_id", "n_participants"),
    "interaction_participants": ("interaction_id", "person_id"),
    "introductions": ("introducer_id", "a_id", "b_id", "status", "occurred_on"),
}
#: The file that says where a folder of store tables comes from.
MANIFEST = "netgraph.json"
#: Rows per Parquet record batch when streaming a table out of the store.
BATCH_ROWS = 1_000_000


def _flat(value: Any) -> Any:
    """A value GEXF and GraphML accept (str, int, float, bool), or None to leave it out."""
    value = plain(value)
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | np.ndarray):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _flat_dict(d: dict) -> dict:
    return {k: v for k, v in ((str(k), _flat(x)) for k, x in d.items()) if v is not None}


def flat_graph(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` whose graph, node and edge attributes GEXF and GraphML can hold.

    >>> from datetime import datetime
    >>> G = nx.Graph(team=[2, 3], me=None)
    >>> G.add_node(1, name="Ana", tags=["a", "b"], city=None)
    >>> G.add_edge(1, 2, strength=0.5, last_contact=datetime(2025, 1, 2))
    >>> H = flat_graph(G)
    >>> H.graph, H.nodes[1], H.edges[1, 2]["last_contact"]
    ({'team': '2; 3'}, {'name': 'Ana', 'tags': 'a; b', 'label': 'Ana'}, '2025-01-02T00:00:00')
    """
    H = nx.Graph()
    H.graph.update(_flat_dict(G.graph))
    for n, d in G.nodes(data=True):
        attrs = _flat_dict(d)
        attrs.setdefault("label", str(d.get("name") or n))
        H.add_node(n, **attrs)
    H.add_edges_from((u, v, _flat_dict(d)) for u, v, d in G.edges(data=True))
    return H


def tables(G: nx.Graph) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(nodes, edges) as frames: ``person_id`` + node attributes; ``u, v`` + edge attributes."""
    nodes = pd.DataFrame([{"person_id": n, **d} for n, d in G.nodes(data=True)])
    if nodes.empty:
        nodes = pd.DataFrame(columns=["person_id"])
    edges = pd.DataFrame([{"u": u, "v": v, **d} for u, v, d in G.edges(data=True)])
    if edges.empty:
        edges = pd.DataFrame(columns=["u", "v"])
    for frame in (nodes, edges):
        for col in frame.columns:
            if frame[col].map(lambda x: isinstance(x, datetime | date)).any():
                frame[col] = pd.to_datetime(frame[col])
    return nodes, edges


def _for_csv(frame: pd.DataFrame, *, raw: bool = False) -> pd.DataFrame:
    out = frame.copy()
    for col in out.columns:
        if out[col].map(lambda x: isinstance(x, list | tuple)).any():
            out[col] = out[col].map(lambda x: LIST_SEPARATOR.join(map(str, x))
                                    if isinstance(x, list | tuple) else x)
        elif pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].map(lambda x: x.isoformat() if not pd.isna(x) else None)
    return csv_safe(out, raw=raw)


def _format(out: str | Path, fmt: str | None) -> str:
    fmt = (fmt or as_path(out).suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        msg = (f"cannot tell the export format from {str(out)!r}: give --format "
               f"{'|'.join(FORMATS)} (csv and parquet write a folder)")
        raise NetgraphError(msg)
    return fmt


def _check(out: str | Path, fmt: str, overwrite: bool, protect: tuple) -> Path:
    folder = fmt in ("csv", "parquet")
    return check_target(out, overwrite=overwrite, protect=protect, folder=folder,
                        files=[f"nodes.{fmt}", f"edges.{fmt}"] if folder else ())


def write_graph(G: nx.Graph, out: str | Path, fmt: str | None = None, *, overwrite: bool = True,
                raw: bool = False, protect: tuple = ()) -> list[Path]:
    """Write ``G`` as ``fmt`` (default: from the suffix of ``out``); return the files written.

    GEXF and GraphML write the file ``out``; CSV and Parquet write ``nodes`` and ``edges`` in
    the folder ``out``. ``overwrite=False`` refuses existing files; ``raw=True`` writes CSV
    cells as stored; ``protect`` lists store paths never to write over.

    Raises
    ------
    OutputError
        When ``out`` cannot be written (see :func:`netgraph.report.atomic.check_target`).
    """
    fmt = _format(out, fmt)
    out = _check(out, fmt, overwrite, protect)
    if fmt in ("gexf", "graphml"):
        H = flat_graph(G)
        written = [out]
        with atomic_files(written) as (tmp,):
            if fmt == "gexf":
                nx.write_gexf(H, tmp)
            else:
                nx.write_graphml(H, tmp)
    else:
        nodes, edges = tables(G)
        written = [out / f"nodes.{fmt}", out / f"edges.{fmt}"]
        with atomic_files(written, label=out) as temps:
            for frame, path in zip((nodes, edges), temps, strict=True):
                if fmt == "csv":
                    _for_csv(frame, raw=raw).to_csv(path, index=False)
                else:
                    frame.to_parquet(path, index=False)
    log.info("Exported %s people and %s ties to %s", f"{G.number_of_nodes():,}",
             f"{G.number_of_edges():,}", ", ".join(map(str, written)))
    return written


def export(store: Store, out: str | Path, fmt: str | None = None, *,
           as_of: AsOf = None, redact: bool = False,
           keep_org: bool = False, overwrite: bool = True, raw: bool = False) -> list[Path]:
    """Project the store as of a date and write it (see :func:`write_graph`).

    The store's own files are never written over; the path is checked before the projection.
    """
    protect = (store.path,)
    _check(out, _format(out, fmt), overwrite, protect)  # fail before the projection
    G = load_graph(store, as_of)
    if redact:
        G = redact_graph(G, pseudonyms(store), keep_org=keep_org)
    return write_graph(G, out, fmt, overwrite=overwrite, raw=raw, protect=protect)


def export_tables(store: Store, out: str | Path, *, overwrite: bool = False) -> list[Path]:
    """Write the store's tables that the tie query reads as Parquet in the folder ``out``.

    One file per table of :data:`TIE_INPUTS` (``interactions.parquet``...), with only the
    columns the tie query reads, and :data:`MANIFEST`: the store's schema and data version, who
    "me" is, and each table's row count. Every file is written whole or not at all; existing
    files are replaced only with ``overwrite``.

    Returns
    -------
    list of Path
        The files written, the manifest last.
    """
    import json

    import pyarrow.parquet as pq

    from netgraph.store.schema import SCHEMA_VERSION

    names = [f"{t}.parquet" for t in TIE_INPUTS] + [MANIFEST]
    folder = check_target(out, overwrite=overwrite, protect=(store.path,), folder=True, files=names)
    counts = {}
    written = [folder / n for n in names]
    with atomic_files(written, label=folder) as temps:
        for (table, columns), tmp in zip(TIE_INPUTS.items(), temps, strict=False):
            reader = store.con.sql(f"SELECT {', '.join(columns)} FROM {table}").to_arrow_reader(
                BATCH_ROWS)
            with pq.ParquetWriter(tmp, reader.schema) as writer:
                for batch in reader:
                    writer.write_batch(batch)
            counts[table] = pq.ParquetFile(tmp).metadata.num_rows
        manifest = {"kind": "store tables", "schema_version": SCHEMA_VERSION,
                    "data_version": store.data_version(),
                    "me": store.me_id, "rows": counts}
        temps[-1].write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    log.info("Exported the tie query's tables (%s) to %s",
             ", ".join(f"{t} {n:,}" for t, n in counts.items()), folder)
    return written
