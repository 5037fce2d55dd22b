"""Ingest of introduction and follow-up rows: resolve the people they name, skip repeats, insert.

Both kinds are plain records: each row resolves its references to people (rejecting the row
when one cannot be resolved), is fingerprinted from its source fields, and is inserted unless
the same fingerprint is already stored or repeats in the file.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netgraph.identity.resolver import Resolver
from netgraph.ingest.common import (
    Written,
    add_reasons,
    as_text,
    fingerprints,
    no_reasons,
    rejects_for,
    stored_fingerprints,
)
from netgraph.sources import ParsedFile
from netgraph.store.database import ID_COLUMNS, Store

__all__ = ["write_followups", "write_introductions"]


def _write_unique(store: Store, pf: ParsedFile, batch_id: int, table: str, keys: pd.Series,
                  reasons: pd.Series, columns: dict[str, pd.Series]) -> Written:
    """Fingerprint rows by ``keys``, skip repeats, and insert the rest into ``table`` with fresh ids.

    Repeats are those in the file or already stored. ``columns`` are aligned with ``pf.rows``.
    """
    rows = pf.rows
    fps = fingerprints(keys)
    ok = reasons.isna()
    dup = ok & (fps.duplicated() | stored_fingerprints(store, table, fps))
    keep = ok & ~dup
    first_id = store.next_id(table)

    def kept(values: pd.Series) -> np.ndarray:
        values = values[keep]
        return values.to_numpy(dtype=np.int64) if values.dtype == "Int64" else values.to_numpy()

    frame = pd.DataFrame({
        ID_COLUMNS[table]: np.arange(first_id, first_id + int(keep.sum()), dtype=np.int64),
        "batch_id": batch_id,
        "line": rows.loc[keep, "line"].to_numpy(),
        **{name: kept(values) for name, values in columns.items()},
        "fingerprint": fps[keep].to_numpy(),
    })
    store.insert(table, frame)
    return Written(int(keep.sum()), int(dup.sum()), rejects_for(pf, rows, reasons))


def write_introductions(store: Store, resolver: Resolver, pf: ParsedFile, batch_id: int) -> Written:
    """Write introduction rows: introducer, a and b must be three different people."""
    rows = pf.rows
    resolved = {}
    reasons = no_reasons(rows.index)
    for col in ("introducer_ref", "a_ref", "b_ref"):
        resolved[col], err = resolver.resolve_series(rows[col])
        add_reasons(reasons, err)
    i, a, b = resolved["introducer_ref"], resolved["a_ref"], resolved["b_ref"]
    same = ((i == a) | (i == b) | (a == b)).fillna(False).astype(bool)
    add_reasons(reasons, "introducer, a and b must be three different people", same)
    keys = (
        rows["occurred_on"].dt.strftime("%Y-%m-%d") + "|" + rows["introducer_ref"].str.casefold()
        + "|" + pd.concat([rows["a_ref"].str.casefold(), rows["b_ref"].str.casefold()], axis=1)
        .apply(lambda r: ";".join(sorted(r)), axis=1, result_type="reduce").astype(str)
        + "|" + rows["status"] + "|" + as_text(rows["value"]) + "|" + as_text(rows["note"])
    ) if not rows.empty else pd.Series(dtype=str)
    return _write_unique(store, pf, batch_id, "introductions", keys, reasons, {
        "occurred_on": rows["occurred_on"], "introducer_id": i, "a_id": a, "b_id": b,
        "status": rows["status"], "value": rows["value"], "note": rows["note"],
    })


def write_followups(store: Store, resolver: Resolver, pf: ParsedFile, batch_id: int) -> Written:
    """Write follow-up rows, each about one person."""
    rows = pf.rows
    pids, err = resolver.resolve_series(rows["person_ref"])
    reasons = no_reasons(rows.index)
    add_reasons(reasons, err)
    keys = (
        rows["due_on"].dt.strftime("%Y-%m-%d") + "|" + as_text(rows["person_ref"]).str.casefold()
        + "|" + as_text(rows["note"]) + "|" + rows["status"]
    )
    return _write_unique(store, pf, batch_id, "follow_ups", keys, reasons, {
        "person_id": pids, "due_on": rows["due_on"], "note": rows["note"],
        "status": rows["status"],
    })
