"""Merging two records of the same person, and undoing it.

A merge moves everything that points at the merged person (identities, interactions,
introductions, follow-ups, "me" and the team) onto the kept person, fills the kept person's
blank fields from the merged one, keeps the merged name as an alias, and deletes the merged
person's row. Every value it changes is logged (tables ``merges`` and ``merge_changes``), so
:func:`unmerge` puts the store back exactly: nothing from any source row is lost either way.

Merges are applied in bulk, a few SQL statements whatever their number, so an import that merges
thousands of people stays fast. Each logged row remembers the person it first pointed at; after
an undo every logged row points at that person as the merges still in force map it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

from netgraph._errors import NetgraphError
from netgraph.store import Store

__all__ = ["MergeRequest", "apply_merges", "mark_distinct", "merge", "merge_history", "unmerge"]

#: Person fields a merge fills on the kept person when the kept person has none.
_FILL = ("company", "title", "city", "country", "category", "cadence_days", "closeness", "notes")
_PEOPLE_COLS = ("person_id", "name", *_FILL, "tags", "batch_id", "created_by")

#: (table, key columns, person column) for every reference to a person.
_REFS = (
    ("interactions", ("interaction_id",), "initiator_id"),
    ("introductions", ("intro_id",), "introducer_id"),
    ("introductions", ("intro_id",), "a_id"),
    ("introductions", ("intro_id",), "b_id"),
    ("follow_ups", ("follow_up_id",), "person_id"),
    ("identities", ("kind", "value"), "person_id"),
)
_SEP = "\x1f"
#: A participant row is named by its interaction, role and the reference it came with: the
#: person it points at changes with merges, so it cannot be part of the name.
_PART_KEYS = ("interaction_id", "role", "ref")
_PART_KEY = (f"CAST(p.interaction_id AS VARCHAR) || '{_SEP}' || p.role || '{_SEP}' || "
             "coalesce(p.ref, '')")


class MergeError(NetgraphError):
    """A merge or unmerge that cannot be done as asked."""


@dataclass(frozen=True)
class MergeRequest:
    """Merge ``merged`` into ``kept`` because of ``rule`` (email, linkedin, phone,
    name+company, me, manual); ``evidence`` says what matched, in words."""

    kept: int
    merged: int
    rule: str
    evidence: str = ""
    #: the merged record is the newer one (a row just imported): its fields overwrite
    newer_wins: bool = False


# -- applying ------------------------------------------------------------------------------------


def _json(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _people(store: Store, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    ids = sorted(set(ids))
    if not ids:
        return {}
    cols = ", ".join(_PEOPLE_COLS)
    rows = store.con.execute(
        f"SELECT {cols} FROM people WHERE person_id IN (SELECT unnest(?))", [ids]
    ).fetchall()
    out = {}
    for row in rows:
        rec = {c: _json(v) for c, v in zip(_PEOPLE_COLS, row, strict=True)}
        rec["tags"] = list(rec["tags"] or [])
        out[rec["person_id"]] = rec
    return out


def _combine(kept: dict[str, Any], merged: dict[str, Any], newer_wins: bool) -> dict[str, Any]:
    out = dict(kept)
    for f in _FILL:
        if merged.get(f) not in (None, "") and (newer_wins or out.get(f) in (None, "")):
            out[f] = merged[f]
    out["tags"] = list(dict.fromkeys([*(kept.get("tags") or []), *(merged.get("tags") or [])]))
    if out.get("created_by") in ("reference", "placeholder") and merged.get("created_by") == "contact":
        out["created_by"] = "contact"
    return out


def _distinct(store: Store) -> set[tuple[int, int]]:
    return {(int(a), int(b)) for a, b in store.con.execute(
        "SELECT low_id, high_id FROM distinct_people").fetchall()}


def apply_merges(store: Store, requests: Iterable[MergeRequest], batch_id: int) -> list[int]:
    """Apply merges inside the caller's transaction; returns the new merge ids.

    A request whose people are already one person (through earlier requests) is skipped; so is
    one the user marked as two different people. "Me" is always the person kept.
    """
    me = store.me_id
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while x in parent:
            x = parent[x]
        return x

    distinct = _distinct(store)
    plan: list[tuple[int, int, MergeRequest]] = []
    for req in requests:
        kept, merged = root(req.kept), root(req.merged)
        if kept == merged or (min(kept, merged), max(kept, merged)) in distinct:
            continue
        if merged == me:
            kept, merged = merged, kept
        parent[merged] = kept
        plan.append((kept, merged, req))
    if not plan:
        return []
    people = _people(store, [p for k, m, _ in plan for p in (k, m)])
    missing = sorted({p for k, m, _ in plan for p in (k, m)} - set(people))
    if missing:
        msg = f"no person with id {missing[0]}"
        raise MergeError(msg)
    first = store.next_id("merges")
    records, final = [], {}
    for i, (kept, merged, req) in enumerate(plan):
        records.append({
            "merge_id": first + i, "batch_id": batch_id, "kept_id": kept, "merged_id": merged,
            "rule": req.rule, "evidence": req.evidence or None,
            "kept_before": json.dumps(people[kept]), "merged_row": json.dumps(people[merged]),
        })
        people[kept] = _combine(people[kept], people[merged], req.newer_wins)
        final[merged] = first + i
    mapping = pd.DataFrame({
        "merged_id": list(final), "merge_id": list(final.values()),
        "kept_id": [root(m) for m in final],
    })
    con = store.con
    con.register("_merge_records", pd.DataFrame(records))
    con.register("_merge_map", mapping)
    try:
        con.execute("INSERT INTO merges (merge_id, batch_id, kept_id, merged_id, rule, evidence, "
                    "kept_before, merged_row) SELECT * FROM _merge_records")
        _repoint(store, mapping)
        _add_aliases(store, records, root)
        con.execute("DELETE FROM people WHERE person_id IN (SELECT merged_id FROM _merge_map)")
    finally:
        con.unregister("_merge_records")
        con.unregister("_merge_map")
    kept_rows = {root(m): people[root(m)] for m in final}
    _write_people(store, list(kept_rows.values()))
    _merge_team(store, mapping)
    return [r["merge_id"] for r in records]


def _log(store: Store, select: str) -> None:
    """Append to merge_changes the rows of ``select`` (merge_id, tbl, op, row_key, col, old)."""
    seq = int(store.scalar("SELECT coalesce(max(seq), 0) FROM merge_changes"))
    store.con.execute(
        f"INSERT INTO merge_changes SELECT merge_id, {seq} + row_number() OVER (), tbl, op, row_key, "
        f"col, old FROM ({select})"
    )


def _key_sql(keys: tuple[str, ...], alias: str) -> str:
    return f" || '{_SEP}' || ".join(f"CAST({alias}.{k} AS VARCHAR)" for k in keys)


def _repoint(store: Store, mapping: pd.DataFrame) -> None:
    con = store.con
    for table, keys, col in _REFS:
        _log(store, f"SELECT m.merge_id, '{table}' AS tbl, 'update' AS op, {_key_sql(keys, 't')} "
                    f"AS row_key, '{col}' AS col, CAST(t.{col} AS VARCHAR) AS old FROM {table} t "
                    f"JOIN _merge_map m ON t.{col} = m.merged_id")
        con.execute(f"UPDATE {table} SET {col} = m.kept_id FROM _merge_map m "
                    f"WHERE {table}.{col} = m.merged_id")
    # a participant row whose interaction already has the kept person in that role goes
    clash = ("FROM interaction_participants p JOIN _merge_map m ON p.person_id = m.merged_id "
             "WHERE EXISTS (SELECT 1 FROM interaction_participants q WHERE q.interaction_id = "
             "p.interaction_id AND q.role = p.role AND q.person_id = m.kept_id)")
    _log(store, "SELECT m.merge_id, 'interaction_participants' AS tbl, 'delete' AS op, "
                f"{_PART_KEY} AS row_key, NULL AS col, CAST(p.person_id AS VARCHAR) AS old {clash}")
    con.execute("DELETE FROM interaction_participants WHERE (interaction_id, role, person_id) IN "
                f"(SELECT p.interaction_id, p.role, p.person_id {clash})")
    _log(store, "SELECT m.merge_id, 'interaction_participants' AS tbl, 'update' AS op, "
                f"{_PART_KEY} AS row_key, 'person_id' AS col, CAST(p.person_id AS VARCHAR) AS old "
                "FROM interaction_participants p JOIN _merge_map m ON p.person_id = m.merged_id")
    con.execute("UPDATE interaction_participants SET person_id = m.kept_id FROM _merge_map m "
                "WHERE interaction_participants.person_id = m.merged_id")


def _add_aliases(store: Store, records: list[dict[str, Any]], root: Any) -> None:
    """The merged person's name becomes an alias of the kept person, so references by that name
    still resolve (unless the alias is someone's already)."""
    taken = {r[0] for r in store.con.execute(
        "SELECT value FROM identities WHERE kind = 'alias'").fetchall()}
    rows = []
    for rec in records:
        name = json.loads(rec["merged_row"])["name"]
        if name and name != json.loads(rec["kept_before"])["name"] and name not in taken:
            taken.add(name)
            rows.append({"merge_id": rec["merge_id"], "value": name, "kept": root(rec["kept_id"]),
                         "batch_id": rec["batch_id"]})
    if not rows:
        return
    store.con.register("_merge_alias", pd.DataFrame(rows))
    try:
        store.con.execute("INSERT INTO identities SELECT 'alias', value, value, kept, batch_id "
                          "FROM _merge_alias")
        _log(store, "SELECT merge_id, 'identities' AS tbl, 'insert' AS op, "
                    f"'alias{_SEP}' || value AS row_key, NULL AS col, NULL AS old FROM _merge_alias")
    finally:
        store.con.unregister("_merge_alias")


def _write_people(store: Store, rows: list[dict[str, Any]]) -> None:
    """Overwrite people rows (by person_id) with ``rows``, or insert the ones that are gone."""
    if not rows:
        return
    frame = pd.DataFrame(rows, columns=list(_PEOPLE_COLS))
    frame["cadence_days"] = frame["cadence_days"].astype("Int64")
    frame["closeness"] = frame["closeness"].astype("Float64")
    frame["tags"] = frame["tags"].map(lambda t: list(t) if t is not None else [])
    cols = ", ".join(_PEOPLE_COLS)
    store.con.register("_merge_people", frame)
    try:
        store.con.execute("DELETE FROM people WHERE person_id IN (SELECT person_id FROM _merge_people)")
        store.con.execute(f"INSERT INTO people ({cols}) SELECT {cols} FROM _merge_people")
    finally:
        store.con.unregister("_merge_people")


def _merge_team(store: Store, mapping: pd.DataFrame) -> None:
    """Team members merged away are replaced by the kept person; the old list is logged."""
    team = store.team_ids
    kept = dict(zip(mapping["merged_id"], mapping["kept_id"], strict=True))
    hit = [t for t in team if t in kept]
    if not hit:
        return
    merge_id = int(mapping.loc[mapping["merged_id"] == hit[0], "merge_id"].iloc[0])
    seq = int(store.scalar("SELECT coalesce(max(seq), 0) + 1 FROM merge_changes"))
    store.con.execute("INSERT INTO merge_changes VALUES (?, ?, 'settings', 'update', 'team', "
                      "'value', ?)", [merge_id, seq, store.get_setting("team")])
    store.set_setting("team", json.dumps(list(dict.fromkeys(int(kept.get(t, t)) for t in team))))


def _restore_team(store: Store, changes: pd.DataFrame, after: dict[int, int]) -> None:
    """The team as it was before the undone merge, mapped by the merges still in force."""
    logged = changes[(changes["tbl"] == "settings") & (changes["row_key"] == "team")]
    if logged.empty:
        return
    old = json.loads(logged["old"].iloc[0])
    store.set_setting("team", json.dumps(list(dict.fromkeys(after.get(t, t) for t in old))))


# -- the public operations ----------------------------------------------------------------------


def resolve_person(store: Store, ref: str | int) -> int:
    """A person id from an id (also as text), an email, a profile URL or a name."""
    if isinstance(ref, str) and ref.strip().isdigit():
        ref = int(ref.strip())
    return store.resolve(ref)


def merge(store: Store, keep: str | int, other: str | int, *, evidence: str = "") -> int:
    """Merge person ``other`` into ``keep`` (each an id, email or exact name), in its own
    transaction; returns the merge id. ``netgraph unmerge`` undoes it."""
    a, b = resolve_person(store, keep), resolve_person(store, other)
    if a == b:
        msg = f"{keep!r} and {other!r} are already the same person (id {a})"
        raise MergeError(msg)
    con = store.con
    con.execute("BEGIN TRANSACTION")
    try:
        low, high = min(a, b), max(a, b)
        con.execute("DELETE FROM distinct_people WHERE low_id = ? AND high_id = ?", [low, high])
        batch_id = store.new_batch(f"(merge {a} {b})", "merge")
        ids = apply_merges(store, [MergeRequest(a, b, "manual", evidence or "merged by hand")],
                           batch_id)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return ids[0]


def _active(store: Store) -> pd.DataFrame:
    return store.sql("SELECT merge_id, kept_id, merged_id FROM merges WHERE undone_by IS NULL "
                     "ORDER BY merge_id")


def _find_merge(store: Store, ref: str | int) -> int:
    """A merge id given as ``#N``/``N``, or the latest merge in force that involves a person."""
    text = str(ref).strip()
    if text.startswith("#") and text[1:].isdigit():
        return int(text[1:])
    pid = resolve_person(store, ref)
    hit = store.scalar("SELECT max(merge_id) FROM merges WHERE undone_by IS NULL AND "
                       "(kept_id = ? OR merged_id = ?)", [pid, pid])
    if hit is None:
        msg = f"{store.name_of(pid)} (id {pid}) is not part of any merge in force; see netgraph merges"
        raise MergeError(msg)
    return int(hit)


def unmerge(store: Store, ref: str | int) -> dict[str, Any]:
    """Undo a merge: ``ref`` is a merge id (``#N``) or a person (their latest merge).

    The merged person comes back with their identities and everything that pointed at them;
    the kept person's fields go back to what they were. The pair is remembered as two people,
    so imports and ``dedupe`` do not merge or suggest them again. Returns what was undone.
    """
    merge_id = _find_merge(store, ref)
    row = store.con.execute("SELECT kept_id, merged_id, undone_by, kept_before, merged_row, rule "
                            "FROM merges WHERE merge_id = ?", [merge_id]).fetchall()
    if not row:
        msg = f"no merge #{merge_id}; see netgraph merges"
        raise MergeError(msg)
    kept, merged, undone, kept_before, merged_row, rule = row[0]
    if undone is not None:
        msg = f"merge #{merge_id} was already undone"
        raise MergeError(msg)
    later = store.scalar("SELECT min(merge_id) FROM merges WHERE undone_by IS NULL AND merge_id > ? "
                         "AND (kept_id IN (?, ?) OR merged_id IN (?, ?))",
                         [merge_id, kept, merged, kept, merged])
    if later is not None:
        msg = (f"merge #{later} came later and involves the same people; undo it first "
               f"(netgraph unmerge #{later})")
        raise MergeError(msg)
    con = store.con
    con.execute("BEGIN TRANSACTION")
    try:
        batch_id = store.new_batch(f"(unmerge #{merge_id})", "merge")
        before = _root_map(_active(store))
        con.execute("UPDATE merges SET undone_by = ? WHERE merge_id = ?", [batch_id, merge_id])
        after = _root_map(_active(store))
        _write_people(store, [json.loads(kept_before), json.loads(merged_row)])
        _restore(store, merge_id, before, after)
        _reclaim(store, before.get(merged, merged), after.get(merged, merged))
        con.execute("INSERT INTO distinct_people VALUES (?, ?) ON CONFLICT DO NOTHING",
                    [min(kept, merged), max(kept, merged)])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return {"merge_id": merge_id, "kept_id": int(kept), "restored_id": int(merged), "rule": rule,
            "kept": store.name_of(int(kept)), "restored": store.name_of(int(merged))}


def _root_map(active: pd.DataFrame) -> dict[int, int]:
    parent = dict(zip(active["merged_id"].astype(int), active["kept_id"].astype(int), strict=True))

    def root(x: int) -> int:
        while x in parent:
            x = parent[x]
        return x

    return {m: root(m) for m in parent}


def _restore(store: Store, merge_id: int, before: dict[int, int], after: dict[int, int]) -> None:
    """Point every logged row at its original person as the merges now in force map it."""
    con = store.con
    changes = store.sql("SELECT merge_id, tbl, op, row_key, col, old FROM merge_changes m "
                        "WHERE (SELECT undone_by FROM merges WHERE merge_id = m.merge_id) IS NULL "
                        "OR m.merge_id = ? ORDER BY seq", [merge_id])
    moved = changes[(changes["op"] != "insert") & (changes["tbl"] != "settings")].copy()
    moved["old"] = moved["old"].astype(int)
    moved["cur"] = moved["old"].map(lambda p: before.get(p, p))
    moved["new"] = moved["old"].map(lambda p: after.get(p, p))
    moved = moved[moved["cur"] != moved["new"]]
    for (tbl, op, col), group in moved.groupby(["tbl", "op", "col"], dropna=False):
        if op == "update":
            _update(store, tbl, col, group)
    deleted = moved[moved["op"] == "delete"]
    for rec in deleted.itertuples():
        iid, role, ref = rec.row_key.split(_SEP, 2)
        con.execute("INSERT INTO interaction_participants SELECT ?, ?, ?, ? WHERE NOT EXISTS "
                    "(SELECT 1 FROM interaction_participants WHERE interaction_id = ? AND role = ? "
                    "AND person_id = ?)", [int(iid), rec.new, role, ref or None, int(iid), role, rec.new])
    _restore_team(store, changes[changes["merge_id"] == merge_id], after)
    inserted = changes[(changes["op"] == "insert") & (changes["merge_id"] == merge_id)]
    for rec in inserted.itertuples():
        kind, value = rec.row_key.split(_SEP, 1)
        con.execute("DELETE FROM identities WHERE kind = ? AND value = ?", [kind, value])


def _reclaim(store: Store, holder: int, restored: int) -> None:
    """Interactions imported after the merge that named the restored person by one of their own
    ids, emails or profile URLs go back to them (participants keep the reference they came
    with)."""
    from netgraph.identity import normalise_email, normalise_linkedin

    if holder == restored:
        return
    own = {(k, v) for k, v in store.con.execute(
        "SELECT kind, value FROM identities WHERE person_id = ? AND kind IN ('id', 'email', "
        "'linkedin')", [restored]).fetchall()}
    rows = store.con.execute("SELECT interaction_id, role, ref FROM interaction_participants "
                             "WHERE person_id = ? AND ref IS NOT NULL", [holder]).fetchall()
    back = []
    for iid, role, ref in rows:
        text = ref.strip()
        keys = {("id", text)}
        if "@" in text:
            keys.add(("email", normalise_email(text)))
        if "linkedin.com/" in text.casefold():
            keys.add(("linkedin", normalise_linkedin(text)))
        if keys & own:
            back.append((iid, role))
    if not back:
        return
    frame = pd.DataFrame(back, columns=["iid", "role"])
    store.con.register("_reclaim", frame)
    try:
        store.con.execute("UPDATE interaction_participants SET person_id = ? FROM _reclaim r WHERE "
                          "interaction_id = r.iid AND interaction_participants.role = r.role AND "
                          "person_id = ?", [restored, holder])
        store.con.execute("UPDATE interactions SET initiator_id = ? FROM _reclaim r WHERE "
                          "interaction_id = r.iid AND r.role = 'from' AND initiator_id = ?",
                          [restored, holder])
    finally:
        store.con.unregister("_reclaim")


def _update(store: Store, tbl: str, col: str, group: pd.DataFrame) -> None:
    keys = [k for t, k, c in _REFS if t == tbl and c == col]
    keys = keys[0] if keys else _PART_KEYS
    parts = group["row_key"].str.split(_SEP, expand=True)
    frame = pd.DataFrame({f"k{i}": parts[i] for i in range(len(keys))})
    frame["cur"], frame["new"] = group["cur"].to_numpy(), group["new"].to_numpy()
    cond = " AND ".join(f"coalesce(CAST({tbl}.{k} AS VARCHAR), '') = f.k{i}"
                        for i, k in enumerate(keys))
    store.con.register("_merge_fix", frame)
    try:
        store.con.execute(f"UPDATE {tbl} SET {col} = f.new FROM _merge_fix f "
                          f"WHERE {cond} AND {tbl}.{col} = f.cur")
    finally:
        store.con.unregister("_merge_fix")


def mark_distinct(store: Store, a: str | int, b: str | int) -> tuple[int, int]:
    """Record that two people are different, so they are never suggested or merged again."""
    x, y = resolve_person(store, a), resolve_person(store, b)
    if x == y:
        msg = f"{a!r} and {b!r} are one person (id {x})"
        raise MergeError(msg)
    store.con.execute("INSERT INTO distinct_people VALUES (?, ?) ON CONFLICT DO NOTHING",
                      [min(x, y), max(x, y)])
    return min(x, y), max(x, y)


def merge_history(store: Store) -> pd.DataFrame:
    """Every merge, newest first: id, when, rule, evidence, kept and merged names, undone."""
    return store.sql("""
        SELECT m.merge_id, b.imported_at AS merged_at, m.rule, m.evidence, m.kept_id,
               coalesce(k.name, json_extract_string(m.kept_before, '$.name')) AS kept,
               m.merged_id, json_extract_string(m.merged_row, '$.name') AS merged,
               m.undone_by IS NOT NULL AS undone
        FROM merges m JOIN import_batches b USING (batch_id)
        LEFT JOIN people k ON k.person_id = m.kept_id
        ORDER BY m.merge_id DESC
    """)
