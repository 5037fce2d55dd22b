"""Ingest of contact rows: create people, or update the person a row already describes.

A contact row is matched to a stored person by external id, email or LinkedIn URL; failing
those, by exact name, but only when nothing contradicts it (the person has no other id, and not
both sides carry emails). A later row's non-blank fields overwrite earlier ones, blanks never
erase, tags accumulate, and a changed name is kept as an alias so old references still resolve.
A row that changes nothing counts as a duplicate.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from netgraph.identity import Resolver
from netgraph.sources import ParsedFile
from netgraph.store import Store

if TYPE_CHECKING:
    from netgraph.ingest import ImportResult

_FIELDS = ("name", "company", "title", "city", "country", "category", "cadence_days",
           "closeness", "notes")
_COLUMNS = ("person_id", *_FIELDS, "tags", "created_by")


def _clean(value: Any) -> Any:
    """None for every flavour of missing; plain Python scalars otherwise."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if math.isnan(value) else float(value)
    return value


def _stored_people(store: Store) -> dict[int, dict[str, Any]]:
    cols = ", ".join(_COLUMNS)
    out = {}
    for row in store.con.execute(f"SELECT {cols} FROM people").fetchall():
        rec = {c: _clean(v) for c, v in zip(_COLUMNS, row, strict=True)}
        rec["tags"] = list(rec["tags"] or [])
        out[rec.pop("person_id")] = rec
    return out


def _match(resolver: Resolver, row: Any, idents: list[tuple[str, str]]) -> tuple[int | None, str | None]:
    cands = {pid for k, v in idents if (pid := resolver.lookup(k, v)) is not None}
    if len(cands) > 1:
        return None, (
            "its id, email or profile URL belong to different people already "
            f"(person ids {', '.join(map(str, sorted(cands)))}); fix the row or merge them first"
        )
    if cands:
        return cands.pop(), None
    hits = resolver.by_name(row.name)
    if len(hits) == 1:
        kinds = resolver.kinds.get(hits[0], set())
        clash_id = row.ext_id is not None and "id" in kinds
        clash_email = bool(row.emails) and "email" in kinds
        if not (clash_id or clash_email):
            return hits[0], None
    return None, None


def write_contacts(
    store: Store, resolver: Resolver, pf: ParsedFile, batch_id: int, result: ImportResult
) -> tuple[int, int, pd.DataFrame, dict[int, dict[str, Any]]]:
    """Create or update one person per row. Returns (loaded, duplicates, rejects, records)."""
    stored = _stored_people(store)
    records: dict[int, dict[str, Any]] = {}
    loaded = dups = 0
    bad: list[tuple[int, str, str]] = []
    for row in pf.rows.itertuples(index=False):
        idents = [("id", row.ext_id), ("linkedin", row.linkedin_url)]
        idents += [("email", e) for e in row.emails]
        idents = [(k, v) for k, v in idents if _clean(v)]
        pid, reason = _match(resolver, row, idents)
        if reason:
            bad.append((row.line, pf.raws([row.line])[0], reason))
            continue
        if pid is None:
            pid = resolver.create(row.name, "contact")
            before: dict[str, Any] = {}
            state = {f: None for f in _FIELDS} | {"name": row.name, "tags": []}
        else:
            before = records.get(pid) or stored.get(pid) or {
                f: None for f in _FIELDS} | {"name": row.name, "tags": []}
            state = dict(before)
            state["tags"] = list(before.get("tags") or [])
        for f in _FIELDS:
            value = _clean(getattr(row, f))
            if value is not None:
                state[f] = value
        state["tags"] = list(dict.fromkeys([*state["tags"], *row.tags]))
        state["created_by"] = "contact"
        if before and before.get("name") != state["name"]:
            resolver.rename(pid, before["name"], state["name"])
        added = [resolver.add_identity(k, v, pid) for k, v in idents]
        for phone in row.phones:
            added.append(resolver.add_identity("phone", phone, pid))
            if not added[-1] and resolver.lookup("phone", phone) != pid:
                result.notes.append(
                    f"line {row.line}: phone {phone} already belongs to another person; not added"
                )
        if state != before or any(added):
            records[pid] = state
            loaded += 1
        else:
            dups += 1
    rejects = pd.DataFrame(bad, columns=["line", "raw", "reason"])
    return loaded, dups, rejects, records
