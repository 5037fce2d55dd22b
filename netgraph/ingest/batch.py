"""Ingest: validated rows from :mod:`netgraph.sources` into the store, one batch per file.

Each file is written in one transaction. Every input row ends up exactly once as loaded, as a
duplicate of something already stored (skipped), or as a rejected row kept with its file, line,
raw text and reason, so ``rows_in == loaded + duplicates + rejected`` always holds. Importing
the same file again changes nothing. Bulk writes go through registered DataFrames.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from netgraph.identity.merge import apply_merges
from netgraph.identity.resolver import Resolver
from netgraph.ingest.common import (
    Written,
    add_reasons,
    as_text,
    fingerprints,
    insert_frame,
    no_reasons,
    reject_frame,
    stored_fingerprints,
    write_people,
    write_rejects,
)
from netgraph.ingest.contacts import write_contacts
from netgraph.ingest.interactions import write_inferred_intros, write_interactions
from netgraph.sources import ParsedFile
from netgraph.sources.bounds import check_parsed
from netgraph.sources.detect import parse_any
from netgraph.store.database import ID_COLUMNS, Store

__all__ = [
    "ImportResult", "import_file", "import_files", "import_parsed", "parse_files",
]

log = logging.getLogger(__name__)

#: Kinds in the order a multi-file import runs them: people first, so later files resolve
#: references to full contacts instead of creating bare people.
KIND_ORDER = ("contacts", "interactions", "introductions", "followups")


@dataclass
class ImportResult:
    """What one file's import did."""

    file: str
    kind: str
    rows_in: int = 0
    loaded: int = 0
    duplicates: int = 0
    rejected: int = 0
    people_created: int = 0
    #: rows that matched someone already known, by rule (id, email, linkedin, phone, name...)
    merged: dict[str, int] = field(default_factory=dict)
    #: records the file holds but netgraph leaves out on purpose (mailing lists, all-hands)
    skipped: int = 0
    #: introductions inferred from the file (a mail from me to two strangers)
    inferred_intros: int = 0
    batch_id: int | None = None
    already_imported: bool = False
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def import_files(
    store: Store,
    paths: Iterable[str | Path],
    *,
    kind: str | None = None,
    on_file: Callable[[ImportResult], None] | None = None,
    **options: Any,
) -> list[ImportResult]:
    """Import several files, contacts first; each file is its own batch and transaction.

    Every file is parsed before anything is written, so a file that cannot be read stops the
    run with a clear message and nothing from it, or after it, is written. ``options`` go to
    :func:`parse_files` (``fmt``, ``max_attendees``, ``max_occurrences``).
    """
    parsed = parse_files(paths, kind=kind, my_emails=store.my_emails(), **options)
    return import_parsed(store, parsed, on_file=on_file)


def parse_files(
    paths: Iterable[str | Path],
    *,
    kind: str | None = None,
    fmt: str | None = None,
    my_emails: Iterable[str] = (),
    on_progress: Callable[[Path, int], None] | None = None,
    **options: Any,
) -> list[ParsedFile]:
    """Parse every file, in any supported format (raising on the first that cannot be read),
    contacts first. ``options`` go to :func:`netgraph.sources.detect.parse_any`
    (``max_attendees``, ``max_occurrences``); ``on_progress(path, bytes_read)`` reports
    progress through each file."""
    mine = tuple(my_emails)
    parsed = []
    for p in paths:
        report = (lambda n, p=Path(p): on_progress(p, n)) if on_progress else None
        parsed += parse_any(p, kind=kind, fmt=fmt, my_emails=mine, progress=report, **options)
        if on_progress:
            on_progress(Path(p), -1)  # done
    parsed.sort(key=lambda pf: KIND_ORDER.index(pf.kind) if pf.kind in KIND_ORDER else 99)
    return parsed


def import_parsed(
    store: Store,
    parsed: Iterable[ParsedFile],
    *,
    on_file: Callable[[ImportResult], None] | None = None,
) -> list[ImportResult]:
    """Write already-parsed files, each as its own batch and transaction."""
    results = []
    resolver: Resolver | None = None  # loaded once, kept in step with each committed batch
    for pf in parsed:
        result, resolver = _import_parsed(store, pf, resolver)
        if on_file:
            on_file(result)
        results.append(result)
    return results


def import_file(store: Store, path: str | Path, *, kind: str | None = None) -> ImportResult:
    """Import one file into ``store`` and say what happened."""
    return import_files(store, [path], kind=kind)[0]


def _import_parsed(
    store: Store, pf: ParsedFile, resolver: Resolver | None = None
) -> tuple[ImportResult, Resolver | None]:
    """Import one parsed file; returns the result and the resolver to reuse for the next file."""
    pf = check_parsed(pf)  # the one value boundary, whatever the format
    result = ImportResult(file=str(pf.path), kind=pf.kind, rows_in=pf.rows_in, notes=list(pf.notes),
                          skipped=pf.skipped)
    prev = store.con.execute(
        "SELECT batch_id, imported_at FROM import_batches WHERE sha256 = ? ORDER BY batch_id LIMIT 1",
        [pf.sha256],
    ).fetchall()
    prev = prev[0] if prev else None
    if prev:
        result.already_imported = True
        result.batch_id = int(prev[0])
        result.notes.append(
            f"already imported as batch {prev[0]} on {prev[1]:%Y-%m-%d %H:%M}; nothing changed"
        )
        return result, resolver
    con = store.con
    con.execute("BEGIN TRANSACTION")
    try:
        batch_id = store.new_batch(str(pf.path), pf.kind, pf.sha256)
        resolver = resolver or Resolver(store)
        loaded, dups, rejects, records = _WRITERS[pf.kind](store, resolver, pf, batch_id, result)
        rejects = pd.concat([pf.rejects, rejects], ignore_index=True).sort_values(
            "line", kind="stable", ignore_index=True
        )
        created = write_people(store, resolver, batch_id, records)
        apply_merges(store, resolver.merges, batch_id)
        result.people_created = created - sum(
            1 for p in resolver.new_people if p.person_id in resolver.merged_into)
        result.inferred_intros = write_inferred_intros(store, resolver, pf, batch_id)
        write_rejects(store, batch_id, str(pf.path), rejects)
        result.batch_id = batch_id
        result.loaded, result.duplicates, result.rejected = loaded, dups, len(rejects)
        result.reasons = [f"line {r.line}: {r.reason}" for r in rejects.head(5).itertuples()]
        con.execute(
            "UPDATE import_batches SET rows_in = ?, rows_loaded = ?, rows_rejected = ?, "
            "rows_duplicate = ?, people_created = ? WHERE batch_id = ?",
            [result.rows_in, loaded, len(rejects), dups, result.people_created, batch_id],
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    resolver.committed()
    if result.rows_in != result.loaded + result.duplicates + result.rejected:  # pragma: no cover
        msg = f"internal error: row accounting does not add up for {pf.path}"
        raise AssertionError(msg)
    log.info(
        "Imported %s: %d loaded, %d duplicates, %d rejected",
        pf.path, result.loaded, result.duplicates, result.rejected,
    )
    return result, resolver


# -- one writer per kind (contacts and interactions have modules of their own) -----------------


def _write_unique(store: Store, pf: ParsedFile, batch_id: int, table: str, keys: pd.Series,
                  reasons: pd.Series, columns: dict[str, pd.Series]) -> Written:
    """Fingerprint rows by ``keys``, skip repeats (in the file or already stored), insert the
    rest into ``table`` with fresh ids. ``columns`` are aligned with ``pf.rows``."""
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
    insert_frame(store, table, frame)
    return int(keep.sum()), int(dup.sum()), reject_frame(pf, rows, reasons), {}


def _write_introductions(
    store: Store, resolver: Resolver, pf: ParsedFile, batch_id: int, result: ImportResult
) -> Written:
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


def _write_followups(
    store: Store, resolver: Resolver, pf: ParsedFile, batch_id: int, result: ImportResult
) -> Written:
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


_WRITERS: dict[str, Callable[..., Written]] = {
    "contacts": write_contacts,
    "interactions": write_interactions,
    "introductions": _write_introductions,
    "followups": _write_followups,
}

