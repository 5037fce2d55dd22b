"""Ingest: validated rows from :mod:`netgraph.sources` into the store, one batch per file.

Each file is written in one transaction. Every input row ends up exactly once as loaded, as a
duplicate of something already stored (skipped), or as a rejected row kept with its file, line,
raw text and reason, so ``rows_in == loaded + duplicates + rejected`` always holds. Importing
the same file again changes nothing. Bulk writes go through registered DataFrames.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from netgraph.identity import Resolver
from netgraph.ingest_contacts import write_contacts
from netgraph.merge import apply_merges
from netgraph.sources import ParsedFile
from netgraph.sources.detect import parse_any
from netgraph.store import ID_COLUMNS, Store

__all__ = [
    "ImportResult", "import_file", "import_files", "import_parsed", "parse_files", "write_people",
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
) -> list[ImportResult]:
    """Import several files, contacts first; each file is its own batch and transaction.

    Every file is parsed before anything is written, so a file that cannot be read stops the
    run with a clear message and nothing from it, or after it, is written.
    """
    return import_parsed(store, parse_files(paths, kind=kind, my_emails=store.my_emails()),
                         on_file=on_file)


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
    result = ImportResult(file=str(pf.path), kind=pf.kind, rows_in=pf.rows_in, notes=list(pf.notes),
                          skipped=getattr(pf, "skipped", 0))
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
        result.inferred_intros = _write_inferred_intros(store, resolver, pf, batch_id)
        _write_rejects(store, batch_id, str(pf.path), rejects)
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


# -- shared helpers ------------------------------------------------------------------------------


def _fingerprints(keys: pd.Series) -> pd.Series:
    return keys.map(lambda k: hashlib.blake2b(k.encode(), digest_size=16).hexdigest())


def _stored(store: Store, table: str, fps: pd.Series) -> pd.Series:
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


def _insert(store: Store, table: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    store.con.register("_batch_rows", frame)
    try:
        cols = ", ".join(frame.columns)
        store.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _batch_rows")
    finally:
        store.con.unregister("_batch_rows")


def _rejects(pf: ParsedFile, rows: pd.DataFrame, reasons: pd.Series) -> pd.DataFrame:
    hit = reasons.notna()
    lines = rows.loc[hit, "line"]
    return pd.DataFrame({"line": lines, "raw": pf.raws(lines), "reason": reasons[hit]})


def _text(series: pd.Series) -> pd.Series:
    return series.astype(object).where(series.notna(), "").astype(str)


def _no_reasons(index: pd.Index) -> pd.Series:
    return pd.Series(None, index=index, dtype=object)


def _add_reasons(reasons: pd.Series, more: pd.Series | str, where: pd.Series | None = None) -> None:
    """Give rows that have no reason yet the reason in ``more`` (where it applies)."""
    if isinstance(more, str):
        hit = where & reasons.isna()
        reasons[hit] = more
        return
    more = more.reindex(reasons.index)
    hit = reasons.isna() & more.notna()
    reasons[hit] = more[hit]


def _me(store: Store, resolver: Resolver, result: ImportResult) -> int:
    me = store.me_id
    if me is None:
        me = resolver.create("Me", "placeholder")
        resolver.me = me
        store.set_setting("me", str(me))
        store.set_setting("me_placeholder", "1")
        result.notes.append(
            "a blank 'from' means you; recorded you as 'Me' until you run netgraph init --me NAME"
        )
    return me


def _claim_my_refs(store: Store, resolver: Resolver, pf: ParsedFile, result: ImportResult) -> set[str]:
    """The references the file says are me (my profile URL in LinkedIn messages, the address a
    mailbox was delivered to). Addresses and profile URLs among them become my identities; a
    person made from one earlier is merged into me."""
    mine = set(getattr(pf, "my_refs", ()))
    if not mine:
        return mine
    me = _me(store, resolver, result)
    for ref in sorted(mine):
        kind = "email" if "@" in ref else "linkedin" if "linkedin.com/" in ref.casefold() else None
        if kind is None:
            continue
        pid = resolver.lookup(kind, ref)
        if pid is None:
            resolver.add_identity(kind, ref, me)
        elif resolver.root(pid) != resolver.root(me):
            resolver.absorb(me, pid, "me", f"{kind} {ref} is yours ({pf.path.name})")
    return mine


def _name_hints(rows: pd.DataFrame, parts: pd.DataFrame) -> dict[str, str]:
    """Display names given beside addresses (mail and calendar headers): address -> name."""
    hints: dict[str, str] = {}
    pairs = []
    if "from_name" in rows:
        pairs.append(rows[["from_ref", "from_name"]].set_axis(["ref", "name"], axis=1))
    if "name" in parts:
        pairs.append(parts[["ref", "name"]])
    for frame in pairs:
        frame = frame.dropna()
        hints.update(zip(frame["ref"].astype(str), frame["name"].astype(str), strict=True))
    return {ref: name for ref, name in hints.items() if name.strip() and "@" not in name}


def _write_inferred_intros(store: Store, resolver: Resolver, pf: ParsedFile, batch_id: int) -> int:
    """Store the file's candidate introductions (a mail from me to two people who had not met
    before) as inferred introductions, leaving out pairs the store already shows in contact
    before that day."""
    cands = getattr(pf, "candidate_introductions", None)
    if cands is None or cands.empty:
        return 0
    me = store.me_id
    refs = pd.concat([cands["a"], cands["b"]], ignore_index=True)
    ids, _err = resolver.resolve_series(refs)
    n = len(cands)
    frame = pd.DataFrame({
        "occurred_on": cands["date"].dt.normalize().to_numpy(),
        "introducer_id": me, "a_id": ids.iloc[:n].to_numpy(), "b_id": ids.iloc[n:].to_numpy(),
        "key": (cands["date"].dt.strftime("%Y-%m-%d") + "|me|" + cands["a"] + ";" + cands["b"]
                + "|inferred").to_numpy(),
    }).dropna()
    frame = frame[(frame["a_id"] != frame["b_id"]) & (frame["a_id"] != me) & (frame["b_id"] != me)]
    if frame.empty or me is None:
        return 0
    frame["fingerprint"] = _fingerprints(frame["key"]).to_numpy()
    store.con.register("_cand", frame)
    try:
        known = store.con.execute("""
            SELECT c.fingerprint FROM _cand c WHERE EXISTS (
                SELECT 1 FROM interaction_participants p JOIN interaction_participants q
                  USING (interaction_id) JOIN interactions i USING (interaction_id)
                WHERE p.person_id = c.a_id AND q.person_id = c.b_id
                  AND i.occurred_at < c.occurred_on)
            OR c.fingerprint IN (SELECT fingerprint FROM introductions)
        """).fetchall()
    finally:
        store.con.unregister("_cand")
    frame = frame[~frame["fingerprint"].isin({r[0] for r in known})].drop_duplicates("fingerprint")
    if frame.empty:
        return 0
    first = store.next_id("introductions")
    _insert(store, "introductions", pd.DataFrame({
        "intro_id": np.arange(first, first + len(frame), dtype=np.int64), "batch_id": batch_id,
        "line": 0, "occurred_on": frame["occurred_on"].dt.date.to_numpy(),
        "introducer_id": int(me), "a_id": frame["a_id"].astype(np.int64).to_numpy(),
        "b_id": frame["b_id"].astype(np.int64).to_numpy(), "status": "made", "value": None,
        "note": "inferred: you wrote to both of them in one mail",
        "fingerprint": frame["fingerprint"].to_numpy(), "inferred": True,
    }))
    return len(frame)


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
        _insert(store, "people", _people_frame(rows))
    updates = [
        {**rec, "person_id": pid} for pid, rec in records.items() if pid not in created
    ]
    if updates:
        frame = _people_frame([{**_EMPTY_PERSON, **u, "batch_id": 0} for u in updates])
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
        _insert(store, "identities", ident.assign(batch_id=batch_id))
    return len(created)


_PERSON_FIELDS = (
    "person_id", "name", "company", "title", "city", "country", "tags", "category",
    "cadence_days", "closeness", "notes", "created_by",
)
_EMPTY_PERSON: dict[str, Any] = {f: None for f in _PERSON_FIELDS} | {"tags": []}


def _people_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["cadence_days"] = frame["cadence_days"].astype("Int64")
    frame["closeness"] = frame["closeness"].astype("Float64")
    frame["tags"] = frame["tags"].map(lambda t: list(t) if t is not None else [])
    return frame


def _write_rejects(store: Store, batch_id: int, file: str, rejects: pd.DataFrame) -> None:
    if rejects.empty:
        return
    frame = pd.DataFrame({
        "batch_id": batch_id,
        "file": file,
        "line": rejects["line"].astype(np.int64),
        "raw": rejects["raw"].astype(str),
        "reason": rejects["reason"].astype(str),
    })
    _insert(store, "rejected_rows", frame)


# -- one writer per kind --------------------------------------------------------------------------
# Each returns (loaded, duplicates, rejects found while resolving, person records to write).

_Written = tuple[int, int, pd.DataFrame, dict[int, dict[str, Any]]]


_INTERACTION_FINGERPRINTS = """
WITH tos AS (
    SELECT "row", string_agg(DISTINCT lower(ref), ';' ORDER BY lower(ref)) AS tos
    FROM _batch_parts GROUP BY "row"
)
SELECT r."row",
       md5(concat_ws('|', strftime(r.occurred_at, '%Y-%m-%dT%H:%M:%S'),
                     coalesce(lower(r.from_ref), ''), t.tos, r.kind,
                     coalesce(r.note, ''))) AS fingerprint
FROM _batch_rows r JOIN tos t USING ("row")
"""


def _interaction_fingerprints(store: Store, rows: pd.DataFrame, parts: pd.DataFrame) -> pd.DataFrame:
    """Fingerprint each row from its normalised source fields (date, from, sorted to, kind,
    note) in DuckDB, and flag duplicates: repeats within the file and rows already stored."""
    con = store.con
    frame = rows[["occurred_at", "from_ref", "kind", "note"]].rename_axis("row").reset_index()
    con.register("_batch_rows", frame)
    con.register("_batch_parts", parts)
    try:
        out = con.execute(_INTERACTION_FINGERPRINTS).df().set_index("row").reindex(rows.index)
    finally:
        con.unregister("_batch_rows")
        con.unregister("_batch_parts")
    out["duplicate"] = out["fingerprint"].duplicated()
    if store.count("interactions"):
        out["duplicate"] |= _stored(store, "interactions", out["fingerprint"])
    return out


def _write_interactions(
    store: Store, resolver: Resolver, pf: ParsedFile, batch_id: int, result: ImportResult
) -> _Written:
    rows, parts = pf.rows, pf.parts
    if rows.empty:
        return 0, 0, _rejects(pf, rows, _no_reasons(rows.index)), {}
    mine = _claim_my_refs(store, resolver, pf, result)
    resolver.hints = _name_hints(rows, parts)
    blank_from = rows["from_ref"].isna() | rows["from_ref"].isin(mine)
    from_ids, from_err = resolver.resolve_series(rows["from_ref"].mask(blank_from))
    if blank_from.any():
        from_ids = from_ids.mask(blank_from, _me(store, resolver, result))
    my_parts = parts["ref"].isin(mine).to_numpy()
    to_ids, to_err = resolver.resolve_series(parts["ref"].mask(my_parts))
    if my_parts.any():
        to_ids = to_ids.mask(my_parts, resolver.root(_me(store, resolver, result)))
    row_of = parts["row"].to_numpy()
    to = pd.DataFrame({"row": row_of, "person_id": to_ids.to_numpy(), "ref": parts["ref"].to_numpy()})
    self_hit = to["person_id"].to_numpy() == from_ids.reindex(row_of).to_numpy()
    reasons = _no_reasons(rows.index)
    _add_reasons(reasons, from_err)
    _add_reasons(reasons, pd.Series(to_err.to_numpy(), index=row_of).dropna().groupby(level=0).first())
    self_rows = pd.Series(False, index=rows.index)
    self_rows[np.unique(row_of[np.asarray(self_hit, dtype=bool)])] = True
    _add_reasons(reasons, "a person interacting with themselves: from and to name the same person",
                 self_rows)
    ok = reasons.isna()
    fps = _interaction_fingerprints(store, rows[ok], parts[parts["row"].isin(rows.index[ok])])
    dup = pd.Series(False, index=rows.index)
    dup[ok] = fps["duplicate"].to_numpy(dtype=bool)
    keep = ok & ~dup
    first_id = store.next_id("interactions")
    ids = pd.Series(np.arange(first_id, first_id + int(keep.sum()), dtype=np.int64),
                    index=rows.index[keep])
    to = to[to["row"].isin(ids.index)]
    parts_out = pd.concat([
        pd.DataFrame({"interaction_id": ids.to_numpy(),
                      "person_id": from_ids[keep].to_numpy(dtype=np.int64), "role": "from",
                      "ref": rows.loc[keep, "from_ref"].to_numpy(dtype=object)}),
        pd.DataFrame({"interaction_id": ids.reindex(to["row"]).to_numpy(),
                      "person_id": to["person_id"].to_numpy(dtype=np.int64), "role": "to",
                      "ref": to["ref"].to_numpy(dtype=object)}),
    ], ignore_index=True).drop_duplicates(["interaction_id", "person_id"])
    n_part = parts_out.groupby("interaction_id").size()
    kept = rows.loc[keep].reset_index(drop=True)  # text columns stay Arrow-backed
    inter = pd.DataFrame({
        "interaction_id": ids.to_numpy(),
        "batch_id": batch_id,
        "line": kept["line"],
        "occurred_at": kept["occurred_at"],
        "kind": kept["kind"],
        "initiator_id": from_ids[keep].to_numpy(dtype=np.int64),
        "n_participants": n_part.reindex(ids.to_numpy()).to_numpy(),
        "note": kept["note"],
        "fingerprint": fps.loc[ids.index, "fingerprint"].to_numpy(),
    })
    _insert(store, "interactions", inter)
    _insert(store, "interaction_participants", parts_out)
    return int(keep.sum()), int(dup.sum()), _rejects(pf, rows, reasons), {}


def _write_unique(store: Store, pf: ParsedFile, batch_id: int, table: str, keys: pd.Series,
                  reasons: pd.Series, columns: dict[str, pd.Series]) -> _Written:
    """Fingerprint rows by ``keys``, skip repeats (in the file or already stored), insert the
    rest into ``table`` with fresh ids. ``columns`` are aligned with ``pf.rows``."""
    rows = pf.rows
    fps = _fingerprints(keys)
    ok = reasons.isna()
    dup = ok & (fps.duplicated() | _stored(store, table, fps))
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
    _insert(store, table, frame)
    return int(keep.sum()), int(dup.sum()), _rejects(pf, rows, reasons), {}


def _write_introductions(
    store: Store, resolver: Resolver, pf: ParsedFile, batch_id: int, result: ImportResult
) -> _Written:
    rows = pf.rows
    resolved = {}
    reasons = _no_reasons(rows.index)
    for col in ("introducer_ref", "a_ref", "b_ref"):
        resolved[col], err = resolver.resolve_series(rows[col])
        _add_reasons(reasons, err)
    i, a, b = resolved["introducer_ref"], resolved["a_ref"], resolved["b_ref"]
    same = ((i == a) | (i == b) | (a == b)).fillna(False).astype(bool)
    _add_reasons(reasons, "introducer, a and b must be three different people", same)
    keys = (
        rows["occurred_on"].dt.strftime("%Y-%m-%d") + "|" + rows["introducer_ref"].str.casefold()
        + "|" + pd.concat([rows["a_ref"].str.casefold(), rows["b_ref"].str.casefold()], axis=1)
        .apply(lambda r: ";".join(sorted(r)), axis=1, result_type="reduce").astype(str)
        + "|" + rows["status"] + "|" + _text(rows["value"]) + "|" + _text(rows["note"])
    ) if not rows.empty else pd.Series(dtype=str)
    return _write_unique(store, pf, batch_id, "introductions", keys, reasons, {
        "occurred_on": rows["occurred_on"], "introducer_id": i, "a_id": a, "b_id": b,
        "status": rows["status"], "value": rows["value"], "note": rows["note"],
    })


def _write_followups(
    store: Store, resolver: Resolver, pf: ParsedFile, batch_id: int, result: ImportResult
) -> _Written:
    rows = pf.rows
    pids, err = resolver.resolve_series(rows["person_ref"])
    reasons = _no_reasons(rows.index)
    _add_reasons(reasons, err)
    keys = (
        rows["due_on"].dt.strftime("%Y-%m-%d") + "|" + _text(rows["person_ref"]).str.casefold()
        + "|" + _text(rows["note"]) + "|" + rows["status"]
    )
    return _write_unique(store, pf, batch_id, "follow_ups", keys, reasons, {
        "person_id": pids, "due_on": rows["due_on"], "note": rows["note"],
        "status": rows["status"],
    })


_WRITERS: dict[str, Callable[..., _Written]] = {
    "contacts": write_contacts,
    "interactions": _write_interactions,
    "introductions": _write_introductions,
    "followups": _write_followups,
}

