"""Shared pieces of ingest: fingerprints, bulk inserts, rejected rows, writing people.

Used by :mod:`netgraph.ingest.batch` and the writers of each kind (:mod:`netgraph.ingest.contacts`,
:mod:`netgraph.ingest.interactions`).
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
import pandas as pd

from netgraph.identity.resolver import Resolver
from netgraph.sources import ParsedFile
from netgraph.store.database import Store

#: What each kind's writer returns: (loaded, duplicates, rejects found while resolving,
#: person records to write).
Written = tuple[int, int, pd.DataFrame, dict[int, dict[str, Any]]]



def fingerprints(keys: pd.Series) -> pd.Series:
    return keys.map(lambda k: hashlib.blake2b(k.encode(), digest_size=16).hexdigest())


def stored_fingerprints(store: Store, table: str, fps: pd.Series) -> pd.Series:
    """Which fingerprints are already in ``table``."""
    frame = pd.DataFrame({"fp": fps.unique()})
    store.con.register("_batch_fps", frame)
    try:
        found = store.con.execute(
            f"SELECT fingerprint FROM {table} WHERE fingerprint IN (SELECT fp FROM _batch_fps)"
        ).fetchall()
    finally:
        store.con.unregister("_batch_fps")
    return fps.isin({r[0] for r in found})


def insert_frame(store: Store, table: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    store.con.register("_batch_rows", frame)
    try:
        cols = ", ".join(frame.columns)
        store.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _batch_rows")
    finally:
        store.con.unregister("_batch_rows")


def reject_frame(pf: ParsedFile, rows: pd.DataFrame, reasons: pd.Series) -> pd.DataFrame:
    hit = reasons.notna()
    lines = rows.loc[hit, "line"]
    return pd.DataFrame({"line": lines, "raw": pf.raws(lines), "reason": reasons[hit]})


def as_text(series: pd.Series) -> pd.Series:
    return series.astype(object).where(series.notna(), "").astype(str)


def no_reasons(index: pd.Index) -> pd.Series:
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


def write_people(
    store: Store, resolver: Resolver, batch_id: int, records: dict[int, dict[str, Any]]
) -> int:
    created = {p.person_id for p in resolver.new_people}
    rows = []
    for p in resolver.new_people:
        rec = records.get(p.person_id, {})
        rows.append({**_EMPTY_PERSON, **rec, "person_id": p.person_id, "name": rec.get("name", p.name),
                     "batch_id": batch_id, "created_by": rec.get("created_by", p.created_by)})
    if rows:
        insert_frame(store, "people", people_frame(rows))
    updates = [
        {**rec, "person_id": pid} for pid, rec in records.items() if pid not in created
    ]
    if updates:
        frame = people_frame([{**_EMPTY_PERSON, **u, "batch_id": 0} for u in updates])
        cols = [c for c in _PERSON_FIELDS if c != "person_id"]
        store.con.register("_person_updates", frame)
        try:
            sets = ", ".join(f"{c} = u.{c}" for c in cols)
            store.con.execute(
                f"UPDATE people SET {sets} FROM _person_updates u "
                "WHERE people.person_id = u.person_id"
            )
        finally:
            store.con.unregister("_person_updates")
    if resolver.new_identities:
        ident = pd.DataFrame(resolver.new_identities, columns=["kind", "value", "raw", "person_id"])
        insert_frame(store, "identities", ident.assign(batch_id=batch_id))
    return len(created)


_PERSON_FIELDS = (
    "person_id", "name", "company", "title", "city", "country", "tags", "category",
    "cadence_days", "closeness", "notes", "created_by",
)
_EMPTY_PERSON: dict[str, Any] = {f: None for f in _PERSON_FIELDS} | {"tags": []}


def people_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["cadence_days"] = frame["cadence_days"].astype("Int64")
    frame["closeness"] = frame["closeness"].astype("Float64")
    frame["tags"] = frame["tags"].map(lambda t: list(t) if t is not None else [])
    return frame


def write_rejects(store: Store, batch_id: int, file: str, rejects: pd.DataFrame) -> None:
    if rejects.empty:
        return
    frame = pd.DataFrame({
        "batch_id": batch_id,
        "file": file,
        "line": rejects["line"].astype(np.int64),
        "raw": rejects["raw"].astype(str),
        "reason": rejects["reason"].astype(str),
    })
    insert_frame(store, "rejected_rows", frame)
