"""Ingest of interaction rows, and what mail and messages tell beside them.

Resolves each row's ``from`` and ``to`` references to people, rejects rows that cannot be
resolved or name one person on both sides, skips rows already stored (by fingerprint), and
writes the rest with their participants, each keeping the reference it came with. References a
file says are me become my identities; display names from mail headers name new people; a mail
from me to two people who had not met becomes an inferred introduction.

A file can hold millions of rows, so the work per row runs on numpy and Arrow columns: DuckDB
makes the fingerprints from Arrow tables, and the rows go to the store as Arrow tables too.
"""

from __future__ import annotations

from datetime import datetime

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from netgraph.identity.resolver import Resolved, Resolver
from netgraph.ingest.common import (
    Written,
    add_reasons,
    fingerprints,
    no_reasons,
    rejects_for,
)
from netgraph.ingest.promises import write_promises
from netgraph.normalise import reference_keys
from netgraph.sources import ParsedFile
from netgraph.sources.mbox import INTRO_MAX_RECIPIENTS
from netgraph.store.database import Store

__all__ = ["PLACEHOLDER_NOTE", "insert_arrow", "me_or_placeholder", "participant_rows", "ref_ids",
           "take_ids", "write_inferred_intros", "write_interactions"]

#: The note of the import that first meets "me" before ``netgraph init``.
PLACEHOLDER_NOTE = "a blank 'from' means you; recorded you as 'Me' until you run netgraph init --me NAME"


def me_or_placeholder(store: Store, resolver: Resolver) -> tuple[int, bool]:
    """Who "me" is, and whether it was created just now.

    Before ``netgraph init`` this creates the placeholder person "Me".
    """
    me = store.me_id
    if me is not None:
        return me, False
    me = resolver.create("Me", "placeholder")
    resolver.me = me
    store.set_setting("me", str(me))
    store.set_setting("me_placeholder", "1")
    return me, True


def _claim_my_refs(resolver: Resolver, pf: ParsedFile, mine: set[str], me: int) -> None:
    """Make the references the file says are me my identities.

    Those references are my profile URL in LinkedIn messages and the address a mailbox was delivered
    to; the addresses and profile URLs among them become mine, and a person made from one earlier is
    merged into me.
    """
    for ref in sorted(mine):
        kinds = sorted(k for k, _ in reference_keys(ref) if k != "id")  # an address or profile
        if not kinds:
            continue
        kind = kinds[0]
        pid = resolver.lookup(kind, ref)
        if pid is None:
            resolver.add_identity(kind, ref, me)
        elif resolver.root(pid) != resolver.root(me):
            resolver.absorb(me, pid, "me", f"{kind} {ref} is yours ({pf.path.name})")


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


def write_inferred_intros(store: Store, resolver: Resolver, pf: ParsedFile, batch_id: int) -> int:
    """Store the file's candidate introductions as inferred introductions.

    A candidate is a mail from me to two people who had not met before; pairs the store already
    shows in contact before that day are left out. A mail to more than
    :data:`~netgraph.sources.mbox.INTRO_MAX_RECIPIENTS` people does not count as contact, as in the
    mailbox itself; the check joins each candidate's interactions to the other person by id, so one
    mail with N participants costs O(N), not O(N²).
    """
    cands = pf.candidate_introductions
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
    frame["fingerprint"] = fingerprints(frame["key"]).to_numpy()
    with store.registered("_cand", frame):
        # each candidate's interactions with a, then b among the same interaction: an equi-join
        # on (interaction, person), never every pair of an interaction's participants
        known = store.con.execute("""
            WITH with_a AS (
                SELECT c.fingerprint, c.b_id, c.occurred_on, p.interaction_id
                FROM _cand c JOIN interaction_participants p ON p.person_id = c.a_id
            )
            SELECT DISTINCT w.fingerprint FROM with_a w
            JOIN interaction_participants q
              ON q.interaction_id = w.interaction_id AND q.person_id = w.b_id
            JOIN interactions i ON i.interaction_id = w.interaction_id
            WHERE i.occurred_at < w.occurred_on
              AND (i.kind <> 'email' OR i.n_participants <= ?)
            UNION
            SELECT fingerprint FROM _cand
            WHERE fingerprint IN (SELECT fingerprint FROM introductions)
        """, [INTRO_MAX_RECIPIENTS + 1]).fetchall()
    frame = frame[~frame["fingerprint"].isin({r[0] for r in known})].drop_duplicates("fingerprint")
    if frame.empty:
        return 0
    first = store.next_id("introductions")
    store.insert("introductions", pd.DataFrame({
        "intro_id": np.arange(first, first + len(frame), dtype=np.int64), "batch_id": batch_id,
        "line": 0, "occurred_on": frame["occurred_on"].dt.date.to_numpy(),
        "introducer_id": int(me), "a_id": frame["a_id"].astype(np.int64).to_numpy(),
        "b_id": frame["b_id"].astype(np.int64).to_numpy(), "status": "made", "value": None,
        "note": "inferred: you wrote to both of them in one mail",
        "fingerprint": frame["fingerprint"].to_numpy(), "inferred": True,
    }))
    return len(frame)


# The fingerprint of an interaction row is the md5 of its date (to the second), lower(from) or '',
# the distinct lower(to)s sorted and joined by ';', its kind and its note or '', joined by '|' as
# DuckDB's concat_ws joins them (a missing part is left out with its separator). Stores hold these,
# so the text must never change: lower-casing, sorting and md5 stay DuckDB's own. Only rows with
# several recipients need the aggregate; a row with one takes its recipient as it is.
_SEVERAL_RECIPIENTS = """
SELECT pos, string_agg(DISTINCT lower(ref), ';' ORDER BY lower(ref)) AS tos
FROM _fp_parts GROUP BY pos
"""
# The fingerprints of a piece stay in DuckDB, in this temporary table, from the moment they are
# made to the insert that stores them: millions of 32-character texts never become Python objects.
_PIECE_FP = "_piece_fp"
_ROW_FINGERPRINTS = f"""
CREATE OR REPLACE TEMP TABLE {_PIECE_FP} AS
SELECT pos, ok,
       CASE WHEN n_to > 0 THEN
           md5(concat_ws('|', strftime(occurred_at, '%Y-%m-%dT%H:%M:%S'),
                         coalesce(lower(from_ref), ''), coalesce(tos, lower(one_to)), kind,
                         coalesce(note, '')))
       END AS fingerprint
FROM _fp_rows
"""
# Rows to skip: a row whose fingerprint an earlier good row of the piece has (_REPEATS), or a
# stored row (_STORED). Equal fingerprints mean equal dates to the second, so only stored rows of
# the piece's seconds are looked at: DuckDB skips the row groups of other dates, and a file in
# date order costs one pass over what is stored, not one per piece.
_REPEATS = f"""
WITH repeated AS (
    SELECT fingerprint FROM {_PIECE_FP} WHERE ok GROUP BY fingerprint HAVING count(*) > 1
)
SELECT pos FROM (
    SELECT pos, row_number() OVER (PARTITION BY fingerprint ORDER BY pos) AS nth
    FROM {_PIECE_FP} WHERE ok AND fingerprint IN (SELECT fingerprint FROM repeated)
) WHERE nth > 1
"""
_STORED = f"""
SELECT DISTINCT f.pos FROM {_PIECE_FP} f
JOIN (SELECT fingerprint FROM interactions WHERE occurred_at >= $lo AND occurred_at < $hi) i
  ON i.fingerprint = f.fingerprint
WHERE f.ok
"""


def _arrow(values: pd.Series) -> pa.Array | pa.ChunkedArray:
    """A column as Arrow, missing values null; text stays text (no copy when Arrow-backed)."""
    arr = pa.array(values, from_pandas=True)
    if pa.types.is_null(arr.type):
        arr = arr.cast(pa.string())
    return arr


def _at(values: pa.Array | pa.ChunkedArray, index: np.ndarray) -> pa.Array | pa.ChunkedArray:
    """``values[index]``, null where ``index`` is -1."""
    return pc.take(values, pa.array(index, type=pa.int64(), mask=index < 0))


def _recipients(con: duckdb.DuckDBPyConnection, refs: pa.Array | pa.ChunkedArray, pos: np.ndarray,
                n_rows: int) -> tuple[np.ndarray, pa.Array | pa.ChunkedArray, pa.Array | pa.ChunkedArray]:
    """Per row: how many recipients, the one recipient (rows with one), the joined ones (rows with several).

    ``refs`` are the recipients, ``pos`` the position of each one's row among ``n_rows`` rows.
    """
    n_to = np.bincount(pos, minlength=n_rows)
    single = np.full(n_rows, -1, dtype=np.int64)
    first = n_to[pos] == 1
    single[pos[first]] = np.flatnonzero(first)
    several = ~first
    joined = pa.nulls(n_rows, pa.string())
    if several.any():
        table = pa.table({"pos": pa.array(pos[several]), "ref": refs.filter(pa.array(several))})
        con.register("_fp_parts", table)
        try:
            agg = con.sql(_SEVERAL_RECIPIENTS).to_arrow_table()
        finally:
            con.unregister("_fp_parts")
        where = np.full(n_rows, -1, dtype=np.int64)
        where[agg.column("pos").to_numpy()] = np.arange(agg.num_rows)
        joined = _at(agg.column("tos").combine_chunks(), where)
    return n_to, _at(refs, single), joined


def _fingerprint_piece(store: Store, rows: pd.DataFrame, parts: pd.DataFrame, ok: np.ndarray) -> None:
    """Fingerprint every row into the temporary table :data:`_PIECE_FP`: ``pos``, ``ok``, ``fingerprint``.

    ``pos`` is the row's position in ``rows``; the fingerprint is missing for a row with no
    recipient. It is made in DuckDB from the row's normalised source fields (date, from, sorted
    to, kind, note): see :data:`_ROW_FINGERPRINTS`. Everything runs on Arrow columns, without a
    join. ``ok`` marks the rows that may be stored (no reason to reject them).
    """
    pos = rows.index.get_indexer(parts["row"])
    found = pos >= 0
    refs = _arrow(parts["ref"])
    if not found.all():
        refs, pos = refs.filter(pa.array(found)), pos[found]
    con = store.con
    n_to, one_to, tos = _recipients(con, refs, pos.astype(np.int64), len(rows))
    table = pa.table({
        "pos": np.arange(len(rows), dtype=np.int64), "ok": ok, "n_to": n_to,
        "occurred_at": _arrow(rows["occurred_at"]), "from_ref": _arrow(rows["from_ref"]),
        "one_to": one_to, "tos": tos, "kind": _arrow(rows["kind"]), "note": _arrow(rows["note"]),
    })
    con.register("_fp_rows", table)
    try:
        con.execute(_ROW_FINGERPRINTS)
    finally:
        con.unregister("_fp_rows")


def _fingerprints(store: Store, rows: pd.DataFrame, parts: pd.DataFrame) -> pd.Series:
    """The fingerprint of each row as text, aligned with ``rows`` (missing for a row with no recipient)."""
    _fingerprint_piece(store, rows, parts, np.ones(len(rows), dtype=bool))
    out = store.con.sql(f"SELECT fingerprint FROM {_PIECE_FP} ORDER BY pos").to_arrow_table()
    return out.column("fingerprint").to_pandas().astype("str").set_axis(rows.index)


def _duplicates(store: Store, rows: pd.DataFrame, ok: np.ndarray) -> np.ndarray:
    """Which rows of the fingerprinted piece to skip: repeats of an earlier good row, or of a stored row.

    Only rows marked ``ok`` are duplicates, and only they count as earlier rows.
    """
    dup = np.zeros(len(rows), dtype=bool)
    if not ok.any():
        return dup
    when = rows["occurred_at"].to_numpy(dtype="datetime64[us]")[ok]
    lo = when.min().astype("datetime64[s]")  # fingerprints count to the second
    hi = when.max().astype("datetime64[s]") + np.timedelta64(1, "s")
    dup[store.con.execute(_REPEATS).fetchnumpy()["pos"].astype(np.int64)] = True
    if store.count("interactions"):
        params = {"lo": lo.astype(datetime), "hi": hi.astype(datetime)}
        dup[store.con.execute(_STORED, params).fetchnumpy()["pos"].astype(np.int64)] = True
    return dup


def ref_ids(store: Store, refs: np.ndarray) -> np.ndarray:
    """The id in ``participant_refs`` of each reference, adding the ones not stored yet.

    Ids are aligned with ``refs``. References repeat a lot (every mail to the same address), so each
    is stored once. All in DuckDB: a Python loop over a million references would dominate the import.
    """
    frame = pd.DataFrame({"pos": np.arange(len(refs), dtype=np.int64),
                          "ref": pd.Series(refs, dtype=object).astype(str)})
    con = store.con
    first = store.next_id("participant_refs")
    with store.registered("_batch_refs", frame):
        con.execute(f"""
            INSERT INTO participant_refs
            SELECT {first} + row_number() OVER (ORDER BY ref) - 1, ref
            FROM (SELECT DISTINCT ref FROM _batch_refs b
                  WHERE NOT EXISTS (SELECT 1 FROM participant_refs r WHERE r.ref = b.ref))
        """)
        ids = con.execute("SELECT r.ref_id FROM _batch_refs b JOIN participant_refs r USING (ref) "
                          "ORDER BY b.pos").fetchnumpy()["ref_id"]
    return np.asarray(ids, dtype=np.int64)


def take_ids(ids: np.ndarray, codes: np.ndarray) -> pa.Array:
    """``ids[codes]`` as Arrow integers, null where the code is -1."""
    values = ids[codes] if len(ids) else np.zeros(len(codes), dtype=np.int64)
    return pa.array(values, type=pa.int64(), mask=codes < 0)


def write_interactions(store: Store, resolver: Resolver, pf: ParsedFile, batch_id: int) -> Written:
    """Write interaction rows and their participants.

    Returns the rows loaded, the duplicates, the rejects, and a note when a blank ``from`` made the
    placeholder "Me".
    """
    rows, parts = pf.rows, pf.parts
    if rows.empty:
        return Written(0, 0, rejects_for(pf, rows, no_reasons(rows.index)))
    mine = set(pf.my_refs)
    blank_from = rows["from_ref"].isna()
    me, notes = None, ()
    if mine or blank_from.any():
        me, created = me_or_placeholder(store, resolver)
        notes = (PLACEHOLDER_NOTE,) if created else ()
        _claim_my_refs(resolver, pf, mine, me)
        me = resolver.root(me)
    resolver.hints = _name_hints(rows, parts)
    fr = resolver.resolve_refs(rows["from_ref"], mine, me)
    from_ids, from_err = fr.ids, fr.errors
    if me is not None:  # a blank 'from' is me
        from_ids = from_ids.mask(blank_from, me)
    tr = resolver.resolve_refs(parts["ref"], mine, me)
    to_ids, to_err = tr.ids, tr.errors
    row_of = parts["row"].to_numpy()
    to = pd.DataFrame({"row": row_of, "person_id": to_ids.to_numpy(), "code": tr.codes})
    self_hit = to["person_id"].to_numpy() == from_ids.reindex(row_of).to_numpy()
    reasons = no_reasons(rows.index)
    add_reasons(reasons, from_err)
    add_reasons(reasons, pd.Series(to_err.to_numpy(), index=row_of).dropna().groupby(level=0).first())
    self_rows = pd.Series(False, index=rows.index)
    self_rows[np.unique(row_of[np.asarray(self_hit, dtype=bool)])] = True
    add_reasons(reasons, "a person interacting with themselves: from and to name the same person",
                 self_rows)
    ok = reasons.isna().to_numpy(dtype=bool)
    _fingerprint_piece(store, rows, parts, ok)
    try:
        dup = _duplicates(store, rows, ok)
        keep = ok & ~dup
        ids = _store_rows(store, batch_id, rows, keep, (from_ids, fr), (to, tr))
    finally:
        store.con.execute(f"DROP TABLE IF EXISTS {_PIECE_FP}")
    mine = store.me_id if me is None else me
    write_promises(store, batch_id, rows, keep, ids, from_ids.to_numpy(dtype=np.int64, na_value=-1),
                   to, None if mine is None else resolver.root(mine))
    return Written(int(keep.sum()), int(dup.sum()), rejects_for(pf, rows, reasons), notes=notes)


def _store_rows(store: Store, batch_id: int, rows: pd.DataFrame, keep: np.ndarray,
                senders: tuple[pd.Series, Resolved], recipients: tuple[pd.DataFrame, Resolved]) -> np.ndarray:
    """Write the rows to ``keep`` as interactions, with their participants and references.

    Returns each row's interaction id, -1 for a row not kept.

    The rows' fingerprints are in :data:`_PIECE_FP`, in the rows' order; ``senders`` are each
    row's person and how its ``from`` resolved, ``recipients`` each recipient's row, person and
    code, and how they resolved. Every reference of the file is stored in ``participant_refs``,
    kept row or not.
    """
    (from_ids, fr), (to, tr) = senders, recipients
    stored = ref_ids(store, np.concatenate([fr.uniques, tr.uniques]))
    from_ref_ids, to_ref_ids = stored[:len(fr.uniques)], stored[len(fr.uniques):]
    first_id = store.next_id("interactions")
    ids = np.arange(first_id, first_id + int(keep.sum()), dtype=np.int64)
    id_of_row = np.full(len(rows), -1, dtype=np.int64)
    id_of_row[keep] = ids
    at = rows.index.get_indexer(to["row"])
    part_ids = np.where(at >= 0, id_of_row[at], -1)
    to_kept = part_ids >= 0
    initiators = from_ids.to_numpy(dtype=np.int64, na_value=-1)
    participants = participant_rows(
        ids, initiators[keep], take_ids(from_ref_ids, fr.codes[keep]),
        part_ids[to_kept], to["person_id"].to_numpy(dtype=np.int64, na_value=-1)[to_kept],
        take_ids(to_ref_ids, to["code"].to_numpy()[to_kept]))
    n_participants = np.zeros(len(rows), dtype=np.int64)
    n_participants[keep] = np.bincount(participants.column("interaction_id").to_numpy() - first_id,
                                       minlength=len(ids))
    _insert_interactions(store, pa.table({  # every row, and DuckDB keeps the kept ones: no copies
        "interaction_id": id_of_row,
        "batch_id": np.full(len(rows), batch_id, dtype=np.int64),
        "line": rows["line"].to_numpy(dtype=np.int64),
        "occurred_at": _arrow(rows["occurred_at"]),
        "kind": _arrow(rows["kind"]),
        "initiator_id": initiators,
        "n_participants": n_participants,
        "note": _arrow(rows["note"]),
    }), keep)
    insert_arrow(store, "interaction_participants", participants)
    return id_of_row


def participant_rows(ids: np.ndarray, initiators: np.ndarray, from_refs: pa.Array,
                     to_ids: np.ndarray, to_people: np.ndarray, to_refs: pa.Array) -> pa.Table:
    """The participant rows: each interaction's initiator, then each recipient.

    ``ids`` are consecutive interaction ids, ``initiators`` their people; ``to_ids`` and
    ``to_people`` name each recipient. A person named twice in one interaction (two addresses of
    theirs) is kept once, the first time, as ``drop_duplicates`` would keep them.
    """
    kept = ~_repeated_recipients(ids, initiators, to_ids, to_people)
    n_to = int(kept.sum())
    role = pa.DictionaryArray.from_arrays(
        pa.array(np.concatenate([np.zeros(len(ids), dtype=np.int8), np.ones(n_to, dtype=np.int8)])),
        pa.array(["from", "to"]))
    return pa.table({
        "interaction_id": np.concatenate([ids, to_ids[kept]]),
        "person_id": np.concatenate([initiators, to_people[kept]]),
        "role": role,
        "ref_id": pa.concat_arrays([from_refs, to_refs.filter(pa.array(kept))]),
    })


def _repeated_recipients(ids: np.ndarray, initiators: np.ndarray, to_ids: np.ndarray,
                         to_people: np.ndarray) -> np.ndarray:
    """Which recipients repeat a person named before them in the same interaction.

    That is the interaction's initiator (named first), or an earlier recipient; the second case
    can only arise in interactions with several recipients, so only those are compared.
    """
    if not len(to_ids):
        return np.zeros(0, dtype=bool)
    at = to_ids - ids[0]  # ids are consecutive
    repeated = to_people == initiators[at]
    several = np.bincount(at, minlength=len(ids))[at] > 1
    if several.any():
        repeated[several] |= ~_first_of_pairs(to_ids[several], to_people[several])
    return repeated


def _first_of_pairs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """True where the pair ``(a[i], b[i])`` has not appeared before ``i`` (as ``drop_duplicates``)."""
    first = np.zeros(len(a), dtype=bool)
    if not len(a):
        return first
    span = int(b.max()) - int(b.min()) + 1
    if int(a.max()) - int(a.min()) < 2**62 // span:  # one integer per pair, without overflow
        key = (a - a.min()) * span + (b - b.min())
        first[np.unique(key, return_index=True)[1]] = True
        return first
    order = np.lexsort((b, a))  # stable: equal pairs keep their order
    sa, sb = a[order], b[order]
    first[order] = np.concatenate([[True], (sa[1:] != sa[:-1]) | (sb[1:] != sb[:-1])])
    return first


def _insert_interactions(store: Store, data: pa.Table, keep: np.ndarray) -> None:
    """Insert the rows of ``data`` to ``keep`` as interactions, each with its fingerprint.

    The fingerprints are those of :data:`_PIECE_FP`, whose rows are in the same order as
    ``data``'s (DuckDB keeps the order in which a table is written); they are joined by position,
    and a row that would meet another row's fingerprint stops the import.
    """
    n_keep = int(keep.sum())
    if not n_keep:
        return
    data = data.append_column("_keep", pa.array(keep)).append_column(
        "_pos", pa.array(np.arange(data.num_rows, dtype=np.int64)))
    cols = [c for c in data.column_names if not c.startswith("_")]
    con = store.con
    con.register("_insert_arrow", data)
    try:
        con.execute(f"""
            INSERT INTO interactions ({", ".join(cols)}, fingerprint)
            SELECT {", ".join("a." + c for c in cols)}, f.fingerprint
            FROM _insert_arrow a POSITIONAL JOIN {_PIECE_FP} f
            WHERE a._keep AND a._pos = f.pos
        """)
        inserted = con.fetchone()[0]
    finally:
        con.unregister("_insert_arrow")
    if inserted != n_keep:  # never expected: the rows and their fingerprints fell out of line
        msg = f"interactions and their fingerprints are out of line ({inserted} of {n_keep} rows)"
        raise RuntimeError(msg)


def insert_arrow(store: Store, table: str, data: pa.Table, keep: np.ndarray | None = None) -> None:
    """Insert the rows of ``data`` (those to ``keep``, if given) into the store's ``table``.

    Columns go by name, and Arrow columns go to DuckDB as they are, without pandas' object columns
    in between; DuckDB leaves out the rows not kept. No rows to insert is a no-op.
    """
    where = ""
    if keep is not None and not keep.all():
        data, where = data.append_column("_keep", pa.array(keep)), 'WHERE "_keep"'
    if not data.num_rows or (keep is not None and not keep.any()):
        return
    cols = ", ".join(c for c in data.column_names if c != "_keep")
    store.con.register("_insert_arrow", data)
    try:
        store.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _insert_arrow {where}")
    finally:
        store.con.unregister("_insert_arrow")
