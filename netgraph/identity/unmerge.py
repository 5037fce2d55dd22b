"""Undoing a merge, and the history of merges.

:func:`unmerge` brings the merged person back from the log that :mod:`netgraph.identity.merge` keeps:
their row, their identities, and every row that pointed at them; the kept person's fields go
back to what they were. Each logged row remembers the person it first pointed at; after an undo
it points at that person as the merges still in force map them. Interactions imported after the
merge that named the person by one of their own addresses follow them back too.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from netgraph.identity.links import keep_apart, root
from netgraph.identity.lookup import resolve_person
from netgraph.identity.merge import FILL, PART_KEYS, REFS, SEP, MergeError, logged_people
from netgraph.identity.people import LIST_FIELDS, replace_people
from netgraph.normalise import reference_keys
from netgraph.store.database import Store
from netgraph.ties.table import refresh as refresh_ties

__all__ = ["merge_history", "unmerge"]


def _active(store: Store) -> pd.DataFrame:
    return store.sql("SELECT merge_id, kept_id, merged_id FROM merges WHERE undone_by IS NULL "
                     "ORDER BY merge_id")


def _find_merge(store: Store, ref: str | int) -> int:
    """A merge id given as ``#N``, or the latest merge in force that involves a person.

    The person is named as :func:`~netgraph.identity.lookup.resolve_person` reads it: ``N`` is
    person N.
    """
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
    with store.transaction():
        batch_id = store.new_batch(f"(unmerge #{merge_id})", "merge")
        before = _root_map(_active(store))
        store.con.execute("UPDATE merges SET undone_by = ? WHERE merge_id = ?", [batch_id, merge_id])
        after = _root_map(_active(store))
        replace_people(store, [_kept_after_undo(store, kept, json.loads(kept_before),
                                                json.loads(merged_row)), json.loads(merged_row)])
        _restore(store, merge_id, before, after)
        _reclaim(store, before.get(merged, merged), after.get(merged, merged))
        keep_apart(store, kept, merged)
        refresh_ties(store)
    return {"merge_id": merge_id, "kept_id": int(kept), "restored_id": int(merged), "rule": rule,
            "kept": store.name_of(int(kept)), "restored": store.name_of(int(merged))}


def _kept_after_undo(store: Store, kept: int, before: dict[str, Any],
                     merged: dict[str, Any]) -> dict[str, Any]:
    """The kept person's row with what the merge brought taken back.

    A field goes back to its value before the merge only if it still holds the merged person's value
    (an import since then may have changed it, and that change stays); tags, needs and offers only
    the merged person had go.
    """
    now = logged_people(store, [kept])[kept]
    out = dict(now)
    for f in (*FILL, "created_by"):
        if now.get(f) == merged.get(f) and before.get(f) != now.get(f):
            out[f] = before.get(f)
    for f in LIST_FIELDS:  # a merge logged before needs and offers existed brought none
        brought = set(merged.get(f) or []) - set(before.get(f) or [])
        out[f] = [t for t in now.get(f) or [] if t not in brought]
    return out


def _root_map(active: pd.DataFrame) -> dict[int, int]:
    """Merged person -> the person they are now, through the merges in ``active``."""
    parent = dict(zip(active["merged_id"].astype(int), active["kept_id"].astype(int), strict=True))
    return {m: root(parent, m) for m in parent}


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
        iid, role, ref_id = rec.row_key.split(SEP, 2)
        con.execute("INSERT INTO interaction_participants SELECT ?, ?, ?, ? WHERE NOT EXISTS "
                    "(SELECT 1 FROM interaction_participants WHERE interaction_id = ? AND role = ? "
                    "AND person_id = ?)", [int(iid), rec.new, role, int(ref_id) if ref_id else None,
                                           int(iid), role, rec.new])
    _restore_team(store, changes[changes["merge_id"] == merge_id], after)
    inserted = changes[(changes["op"] == "insert") & (changes["merge_id"] == merge_id)]
    for rec in inserted.itertuples():
        kind, value = rec.row_key.split(SEP, 1)
        con.execute("DELETE FROM identities WHERE kind = ? AND value = ?", [kind, value])


def _restore_team(store: Store, changes: pd.DataFrame, after: dict[int, int]) -> None:
    """The team as it was before the undone merge, mapped by the merges still in force."""
    logged = changes[(changes["tbl"] == "settings") & (changes["row_key"] == "team")]
    if logged.empty:
        return
    old = json.loads(logged["old"].iloc[0])
    store.set_setting("team", json.dumps(list(dict.fromkeys(after.get(t, t) for t in old))))


def _reclaim(store: Store, holder: int, restored: int) -> None:
    """Give the restored person back the interactions imported since the merge that name them.

    An interaction goes back when it named them by one of their own ids, emails or profile URLs;
    participants keep the reference they came with, and promises found in it go back with it.
    """
    if holder == restored:
        return
    own = {(k, v) for k, v in store.con.execute(
        "SELECT kind, value FROM identities WHERE person_id = ? AND kind IN ('id', 'email', "
        "'linkedin')", [restored]).fetchall()}
    rows = store.con.execute("SELECT p.interaction_id, p.role, r.ref FROM interaction_participants p "
                             "JOIN participant_refs r USING (ref_id) WHERE p.person_id = ?",
                             [holder]).fetchall()
    back = [(iid, role) for iid, role, ref in rows if reference_keys(ref) & own]
    if not back:
        return
    frame = pd.DataFrame(back, columns=["iid", "role"])
    with store.registered("_reclaim", frame):
        store.con.execute("UPDATE interaction_participants SET person_id = ? FROM _reclaim r WHERE "
                          "interaction_id = r.iid AND interaction_participants.role = r.role AND "
                          "person_id = ?", [restored, holder])
        store.con.execute("UPDATE interactions SET initiator_id = ? FROM _reclaim r WHERE "
                          "interaction_id = r.iid AND r.role = 'from' AND initiator_id = ?",
                          [restored, holder])
        # a promise found in a mail goes back with the mail
        store.con.execute("UPDATE follow_ups SET person_id = ? FROM _reclaim r WHERE "
                          "follow_ups.interaction_id = r.iid AND follow_ups.person_id = ?",
                          [restored, holder])


def _update(store: Store, tbl: str, col: str, group: pd.DataFrame) -> None:
    keys = [k for t, k, c in REFS if t == tbl and c == col]
    keys = keys[0] if keys else PART_KEYS
    parts = group["row_key"].str.split(SEP, expand=True)
    frame = pd.DataFrame({f"k{i}": parts[i] for i in range(len(keys))})
    frame["cur"], frame["new"] = group["cur"].to_numpy(), group["new"].to_numpy()
    cond = " AND ".join(f"coalesce(CAST({tbl}.{k} AS VARCHAR), '') = f.k{i}"
                        for i, k in enumerate(keys))
    with store.registered("_merge_fix", frame):
        store.con.execute(f"UPDATE {tbl} SET {col} = f.new FROM _merge_fix f "
                          f"WHERE {cond} AND {tbl}.{col} = f.cur")


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
