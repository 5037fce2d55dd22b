"""Ingest of interaction rows, and what mail and messages tell beside them.

Resolves each row's ``from`` and ``to`` references to people, rejects rows that cannot be
resolved or name one person on both sides, skips rows already stored (by fingerprint), and
writes the rest with their participants, each keeping the reference it came with. References a
file says are me become my identities; display names from mail headers name new people; a mail
from me to two people who had not met becomes an inferred introduction.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from netgraph.identity.resolver import Resolver
from netgraph.ingest.common import (
    Written,
    add_reasons,
    fingerprints,
    no_reasons,
    rejects_for,
    stored_fingerprints,
)
from netgraph.normalise import reference_keys
from netgraph.sources import ParsedFile
from netgraph.sources.mbox import INTRO_MAX_RECIPIENTS
from netgraph.store.database import Store

__all__ = ["PLACEHOLDER_NOTE", "me_or_placeholder", "write_inferred_intros", "write_interactions"]

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
    """Fingerprint each row and flag duplicates: repeats within the file and rows already stored.

    The fingerprint is made in DuckDB from the row's normalised source fields (date, from, sorted
    to, kind, note).
    """
    frame = rows[["occurred_at", "from_ref", "kind", "note"]].rename_axis("row").reset_index()
    with store.registered("_batch_rows", frame), store.registered("_batch_parts", parts):
        out = store.con.execute(_INTERACTION_FINGERPRINTS).df().set_index("row").reindex(rows.index)
    out["duplicate"] = out["fingerprint"].duplicated()
    if store.count("interactions"):
        out["duplicate"] |= stored_fingerprints(store, "interactions", out["fingerprint"])
    return out


def _ref_ids(store: Store, refs: np.ndarray) -> np.ndarray:
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


def _take(ids: np.ndarray, codes: np.ndarray) -> pd.arrays.IntegerArray:
    """``ids[codes]`` as nullable integers, missing where the code is -1."""
    out = pd.array(np.where(codes >= 0, ids[codes] if len(ids) else 0, 0), dtype="Int64")
    out[codes < 0] = pd.NA
    return out


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
    ok = reasons.isna()
    fps = _interaction_fingerprints(store, rows[ok], parts[parts["row"].isin(rows.index[ok])])
    dup = pd.Series(False, index=rows.index)
    dup[ok] = fps["duplicate"].to_numpy(dtype=bool)
    keep = ok & ~dup
    first_id = store.next_id("interactions")
    ids = pd.Series(np.arange(first_id, first_id + int(keep.sum()), dtype=np.int64),
                    index=rows.index[keep])
    to = to[to["row"].isin(ids.index)]
    ref_ids = _ref_ids(store, np.concatenate([fr.uniques, tr.uniques]))
    from_ref_ids, to_ref_ids = ref_ids[:len(fr.uniques)], ref_ids[len(fr.uniques):]
    parts_out = pd.concat([
        pd.DataFrame({"interaction_id": ids.to_numpy(),
                      "person_id": from_ids[keep].to_numpy(dtype=np.int64), "role": "from",
                      "ref_id": _take(from_ref_ids, fr.codes[keep.to_numpy()])}),
        pd.DataFrame({"interaction_id": ids.reindex(to["row"]).to_numpy(),
                      "person_id": to["person_id"].to_numpy(dtype=np.int64), "role": "to",
                      "ref_id": _take(to_ref_ids, to["code"].to_numpy())}),
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
    store.insert("interactions", inter)
    store.insert("interaction_participants", parts_out)
    return Written(int(keep.sum()), int(dup.sum()), rejects_for(pf, rows, reasons), notes=notes)
