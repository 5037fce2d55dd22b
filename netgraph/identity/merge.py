"""Merging two records of the same person, recorded so that it can be undone.

A merge moves everything that points at the merged person (identities, interactions,
introductions, follow-ups, "me" and the team) onto the kept person, fills the kept person's
blank fields from the merged one, keeps the merged name as an alias, and deletes the merged
person's row. Every value it changes is logged (tables ``merges`` and ``merge_changes``), so
:func:`netgraph.identity.unmerge.unmerge` puts the store back exactly: nothing from any source row is
lost either way.

Merges are applied in bulk, a few SQL statements whatever their number, so an import that merges
thousands of people stays fast.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd

from netgraph._errors import NetgraphError
from netgraph.identity.links import distinct_pairs, forget_apart, keep_apart, pair, root
from netgraph.identity.lookup import resolve_person
from netgraph.identity.people import LIST_FIELDS, replace_people
from netgraph.store.database import Store
from netgraph.store.values import plain
from netgraph.ties.table import refresh as refresh_ties

__all__ = ["MergeError", "MergeRequest", "apply_merges", "mark_distinct", "merge"]

#: Person fields a merge fills on the kept person when the kept person has none.
FILL = ("company", "title", "city", "country", "category", "cadence_days", "closeness", "notes")
#: The columns of a person as the merge log keeps them (in this order, as JSON).
LOGGED_COLUMNS = ("person_id", "name", *FILL, *LIST_FIELDS, "batch_id", "created_by")

#: (table, key columns, person column) for every reference to a person.
REFS = (
    ("interactions", ("interaction_id",), "initiator_id"),
    ("introductions", ("intro_id",), "introducer_id"),
    ("introductions", ("intro_id",), "a_id"),
    ("introductions", ("intro_id",), "b_id"),
    ("follow_ups", ("follow_up_id",), "person_id"),
    ("identities", ("kind", "value"), "person_id"),
)
#: Joins the key columns of a logged row into one text (``merge_changes.row_key``).
SEP = "\x1f"
#: A participant row is named by its interaction, role and the reference it came with: the
#: person it points at changes with merges, so it cannot be part of the name.
PART_KEYS = ("interaction_id", "role", "ref_id")


class MergeError(NetgraphError):
    """A merge or unmerge that cannot be done as asked."""


@dataclass(frozen=True)
class MergeRequest:
    """Merge ``merged`` into ``kept`` because of ``rule``.

    ``rule`` is email, linkedin, phone, name+company, me or manual; ``evidence`` says what matched, in
    words.
    """

    kept: int
    merged: int
    rule: str
    evidence: str = ""
    #: the merged record is the newer one (a row just imported): its fields overwrite
    newer_wins: bool = False


# -- applying ------------------------------------------------------------------------------------


def _json(value: Any) -> Any:
    """A value as the merge log keeps it: :func:`plain`, with dates as ISO text."""
    value = plain(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def logged_people(store: Store, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Person id -> their row as the merge log keeps it (JSON-ready values), for ``ids``."""
    ids = sorted(set(ids))
    if not ids:
        return {}
    cols = ", ".join(LOGGED_COLUMNS)
    rows = store.con.execute(
        f"SELECT {cols} FROM people WHERE person_id IN (SELECT unnest(?))", [ids]
    ).fetchall()
    out = {}
    for row in rows:
        rec = {c: _json(v) for c, v in zip(LOGGED_COLUMNS, row, strict=True)}
        for f in LIST_FIELDS:
            rec[f] = list(rec[f] or [])
        out[rec["person_id"]] = rec
    return out


def _combine(kept: dict[str, Any], merged: dict[str, Any], newer_wins: bool) -> dict[str, Any]:
    out = dict(kept)
    for f in FILL:
        if merged.get(f) not in (None, "") and (newer_wins or out.get(f) in (None, "")):
            out[f] = merged[f]
    for f in LIST_FIELDS:
        out[f] = list(dict.fromkeys([*(kept.get(f) or []), *(merged.get(f) or [])]))
    if out.get("created_by") in ("reference", "placeholder") and merged.get("created_by") == "contact":
        out["created_by"] = "contact"
    return out


def apply_merges(store: Store, requests: Iterable[MergeRequest], batch_id: int) -> list[int]:
    """Apply merges inside the caller's transaction; returns the new merge ids.

    A request whose people are already one person (through earlier requests) is skipped; so is
    one the user marked as two different people. "Me" is always the person kept.
    """
    me = store.me_id
    parent: dict[int, int] = {}
    distinct = distinct_pairs(store)
    plan: list[tuple[int, int, MergeRequest]] = []
    for req in requests:
        kept, merged = root(parent, req.kept), root(parent, req.merged)
        if kept == merged or pair(kept, merged) in distinct:
            continue
        if merged == me:
            kept, merged = merged, kept
        parent[merged] = kept
        plan.append((kept, merged, req))
    if not plan:
        return []
    people = logged_people(store, [p for k, m, _ in plan for p in (k, m)])
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
        "kept_id": [root(parent, m) for m in final],
    })
    store.insert("merges", pd.DataFrame(records))
    with store.registered("_merge_map", mapping):
        _repoint(store, mapping)
        _add_aliases(store, records, parent)
        store.con.execute("DELETE FROM people WHERE person_id IN (SELECT merged_id FROM _merge_map)")
    kept_rows = {root(parent, m): people[root(parent, m)] for m in final}
    replace_people(store, list(kept_rows.values()))
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
    """A row's key columns joined into one text (a missing value as empty text).

    This is the text :func:`netgraph.identity.unmerge.unmerge` splits and matches.
    """
    return f" || '{SEP}' || ".join(f"coalesce(CAST({alias}.{k} AS VARCHAR), '')" for k in keys)


def _repoint(store: Store, mapping: pd.DataFrame) -> None:
    con = store.con
    for table, keys, col in REFS:
        _log(store, f"SELECT m.merge_id, '{table}' AS tbl, 'update' AS op, {_key_sql(keys, 't')} "
                    f"AS row_key, '{col}' AS col, CAST(t.{col} AS VARCHAR) AS old FROM {table} t "
                    f"JOIN _merge_map m ON t.{col} = m.merged_id")
        con.execute(f"UPDATE {table} SET {col} = m.kept_id FROM _merge_map m "
                    f"WHERE {table}.{col} = m.merged_id")
    # a participant row goes when its interaction already has, in the same role, the kept
    # person or another row becoming them (of those, the lowest person id stays)
    clash = ("FROM interaction_participants p JOIN _merge_map m ON p.person_id = m.merged_id "
             "WHERE EXISTS (SELECT 1 FROM interaction_participants q "
             "LEFT JOIN _merge_map mq ON q.person_id = mq.merged_id "
             "WHERE q.interaction_id = p.interaction_id AND q.role = p.role "
             "AND q.person_id <> p.person_id AND coalesce(mq.kept_id, q.person_id) = m.kept_id "
             "AND (mq.merged_id IS NULL OR q.person_id < p.person_id))")
    part_key = _key_sql(PART_KEYS, "p")
    _log(store, "SELECT m.merge_id, 'interaction_participants' AS tbl, 'delete' AS op, "
                f"{part_key} AS row_key, NULL AS col, CAST(p.person_id AS VARCHAR) AS old {clash}")
    con.execute("DELETE FROM interaction_participants WHERE (interaction_id, role, person_id) IN "
                f"(SELECT p.interaction_id, p.role, p.person_id {clash})")
    _log(store, "SELECT m.merge_id, 'interaction_participants' AS tbl, 'update' AS op, "
                f"{part_key} AS row_key, 'person_id' AS col, CAST(p.person_id AS VARCHAR) AS old "
                "FROM interaction_participants p JOIN _merge_map m ON p.person_id = m.merged_id")
    con.execute("UPDATE interaction_participants SET person_id = m.kept_id FROM _merge_map m "
                "WHERE interaction_participants.person_id = m.merged_id")


def _add_aliases(store: Store, records: list[dict[str, Any]], parent: dict[int, int]) -> None:
    """The merged person's name becomes an alias of the kept person, unless it is someone's already.

    References by that name then still resolve.
    """
    taken = {r[0] for r in store.con.execute(
        "SELECT value FROM identities WHERE kind = 'alias'").fetchall()}
    rows = []
    for rec in records:
        name = json.loads(rec["merged_row"])["name"]
        if name and name != json.loads(rec["kept_before"])["name"] and name not in taken:
            taken.add(name)
            rows.append({"merge_id": rec["merge_id"], "value": name, "kept": root(parent, rec["kept_id"]),
                         "batch_id": rec["batch_id"]})
    if not rows:
        return
    with store.registered("_merge_alias", pd.DataFrame(rows)):
        store.con.execute("INSERT INTO identities SELECT 'alias', value, value, kept, batch_id "
                          "FROM _merge_alias")
        _log(store, "SELECT merge_id, 'identities' AS tbl, 'insert' AS op, "
                    f"'alias{SEP}' || value AS row_key, NULL AS col, NULL AS old FROM _merge_alias")


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


# -- the public operations ----------------------------------------------------------------------


def merge(store: Store, keep: str | int, other: str | int, *, evidence: str = "") -> int:
    """Merge person ``other`` into ``keep`` in its own transaction; returns the merge id.

    Each is named as :func:`resolve_person` reads it. ``netgraph unmerge`` undoes it.
    """
    a, b = resolve_person(store, keep), resolve_person(store, other)
    if a == b:
        msg = f"{keep!r} and {other!r} are already the same person (id {a})"
        raise MergeError(msg)
    with store.transaction():
        forget_apart(store, a, b)
        batch_id = store.new_batch(f"(merge {a} {b})", "merge")
        ids = apply_merges(store, [MergeRequest(a, b, "manual", evidence or "merged by hand")],
                           batch_id)
        refresh_ties(store)
    return ids[0]


def mark_distinct(store: Store, a: str | int, b: str | int) -> tuple[int, int]:
    """Record that two people are different, so they are never suggested or merged again.

    Each is named as :func:`resolve_person` reads it. Returns their (low, high) ids.
    """
    x, y = resolve_person(store, a), resolve_person(store, b)
    if x == y:
        msg = f"{a!r} and {b!r} are one person (id {x})"
        raise MergeError(msg)
    return keep_apart(store, x, y)
