"""Shared pieces of ingest: what a writer returns, fingerprints, rejected rows.

Used by :mod:`netgraph.ingest.batch` and the writers of each kind (:mod:`netgraph.ingest.contacts`,
:mod:`netgraph.ingest.interactions`, :mod:`netgraph.ingest.records`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from netgraph.sources import ParsedFile
from netgraph.store.database import Store

__all__ = ["Written", "add_reasons", "as_text", "fingerprints", "no_reasons", "rejects_for",
           "stored_fingerprints", "write_rejects"]


@dataclass(frozen=True)
class Written:
    """What one kind's writer did with a file's rows.

    :mod:`netgraph.ingest.batch` turns it into the file's :class:`~netgraph.ingest.batch.ImportResult`.
    """

    #: rows written
    loaded: int
    #: rows already stored (or repeated in the file), skipped
    duplicates: int
    #: rows rejected while resolving or checking them: ``line``, ``raw``, ``reason``
    rejects: pd.DataFrame
    #: person id -> the fields the file gave them, to write with the batch's people
    people: dict[int, dict[str, Any]] = field(default_factory=dict)
    #: rows that matched someone already known, by rule (id, email, linkedin, phone, name...)
    merged: dict[str, int] = field(default_factory=dict)
    #: what the user should know about the file beyond its counts
    notes: tuple[str, ...] = ()


def fingerprints(keys: pd.Series) -> pd.Series:
    """A short hash of each row's key text, to tell a row already stored."""
    return keys.map(lambda k: hashlib.blake2b(k.encode(), digest_size=16).hexdigest())


def stored_fingerprints(store: Store, table: str, fps: pd.Series) -> pd.Series:
    """Which fingerprints are already in ``table``.

    DuckDB finds them with one semi-join (repeats in ``fps`` cost nothing there); only the few
    found come back to Python.
    """
    with store.registered("_batch_fps", pd.DataFrame({"fp": fps})):
        found = store.con.execute(
            f"SELECT DISTINCT fingerprint FROM {table} WHERE fingerprint IN (SELECT fp FROM _batch_fps)"
        ).fetchall()
    if not found:
        return pd.Series(False, index=fps.index)
    return fps.isin({r[0] for r in found})


def rejects_for(pf: ParsedFile, rows: pd.DataFrame, reasons: pd.Series) -> pd.DataFrame:
    """The rows of ``rows`` that have a reason, as rejects (``line``, raw text, ``reason``)."""
    hit = reasons.notna()
    lines = rows.loc[hit, "line"]
    return pd.DataFrame({"line": lines, "raw": pf.raws(lines), "reason": reasons[hit]})


def as_text(series: pd.Series) -> pd.Series:
    """``series`` as text for fingerprints, missing values as empty text."""
    return series.astype(object).where(series.notna(), "").astype(str)


def no_reasons(index: pd.Index) -> pd.Series:
    """A reason per row, none yet (see :func:`add_reasons`)."""
    return pd.Series(None, index=index, dtype=object)


def add_reasons(reasons: pd.Series, more: pd.Series | str, where: pd.Series | None = None) -> None:
    """Give rows that have no reason yet the reason in ``more`` (where it applies)."""
    if isinstance(more, str):
        hit = where & reasons.isna()
        reasons[hit] = more
        return
    more = more.reindex(reasons.index)
    hit = reasons.isna() & more.notna()
    reasons[hit] = more[hit]


def write_rejects(store: Store, batch_id: int, file: str, rejects: pd.DataFrame) -> None:
    """Keep the rejected rows of ``file`` (``line``, ``raw``, ``reason``) with batch ``batch_id``."""
    if rejects.empty:
        return
    frame = pd.DataFrame({
        "batch_id": batch_id,
        "file": file,
        "line": rejects["line"].astype(np.int64),
        "raw": rejects["raw"].astype(str),
        "reason": rejects["reason"].astype(str),
    })
    store.insert("rejected_rows", frame)
