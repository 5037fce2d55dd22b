"""Promises found in what is imported become follow-ups: mail I sent, interaction notes, events.

Each interaction stored by an import is read for promises (:func:`netgraph.promises.find_promises`):
its note, and the text the source gives beside it (the body of a mail I sent, the description of a
calendar event; never stored). A text speaks with the voice of the interaction's initiator (the
``from``, the organiser):

- **I wrote it** (a mail I sent, a note on my own interaction): my promise ("I'll send you the
  deck") is owed to each other participant, at most :data:`MOST_PEOPLE` of them; a promise it
  reports of someone else ("Dana said she'd send the terms") is theirs, when the interaction has
  exactly one other participant.
- **They wrote it, to me**: their promise, owed to me, from the initiator.
- An interaction I am not part of: nothing (promises between others are not mine to follow).

Each becomes a follow-up with ``source = 'detected'``, the sentence as its note, its owner (me or
them), what keeps it (a meeting for "let's do lunch", any contact for a deliverable), the moment
it was made, the interaction it came from, and its due date (a stated one, else 14 days after).
Importing the same file again stores no interaction again, so finds no promise again; the
fingerprint (the interaction, the person and the sentence) keeps even a repeat out.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from netgraph._errors import NetgraphError
from netgraph.promises import TRIGGER_WORDS, find_promises
from netgraph.store.database import Store

__all__ = ["CLOSE", "MAYBE_PROMISE", "MOST_PEOPLE", "TEXT_COLUMNS", "close_follow_up", "write_follow_ups",
           "write_promises"]

#: A promise in a mail to more people than this is an announcement, owed to no one in particular.
MOST_PEOPLE = 10
#: The columns of a source's rows read for promises, beside the note (never stored).
TEXT_COLUMNS = ("note", "body")
#: Texts without any of the trigger words (:data:`netgraph.promises.TRIGGER_WORDS`) hold no
#: promise: the rest are read one by one. Made from the words, so no apostrophe ("let’s") or word
#: the detector knows is missed here.
MAYBE_PROMISE = "(?i)(" + "|".join(re.escape(word) for word in TRIGGER_WORDS) + ")"


def _texts(rows: pd.DataFrame, at: np.ndarray) -> list[str | None]:
    """The text read for promises of each row at ``at``: its note, then its body, or None."""
    parts = [rows[c].to_numpy(dtype=object)[at] for c in TEXT_COLUMNS if c in rows]
    out: list[str | None] = []
    for values in zip(*parts, strict=True):
        kept = [v for v in values if isinstance(v, str) and v.strip()]
        out.append("\n\n".join(kept) if kept else None)  # a subject is a sentence of its own
    return out


def _candidates(rows: pd.DataFrame, keep: np.ndarray) -> np.ndarray:
    """Positions of the stored rows whose text may hold a promise (one C++ pass per column)."""
    maybe = np.zeros(len(rows), dtype=bool)
    for column in TEXT_COLUMNS:
        if column not in rows:
            continue
        values = pa.array(rows[column], from_pandas=True)  # Arrow-backed text: no copy
        if pa.types.is_null(values.type) or values.null_count == len(values):
            continue
        hit = pc.match_substring_regex(values, MAYBE_PROMISE)
        maybe |= pc.fill_null(hit, False).to_numpy(zero_copy_only=False)
    return np.flatnonzero(maybe & keep)


def _owed(writer: int, me: int, others: list[int], owner: str) -> Iterator[tuple[int, str]]:
    """Who a promise is owed by and to, as (the other person, owner): see the module notes."""
    if writer == me:
        if owner == "writer":
            yield from ((p, "me") for p in others[:MOST_PEOPLE] if len(others) <= MOST_PEOPLE)
        elif len(others) == 1:
            yield others[0], "them"
    elif me in others and owner == "writer":
        yield writer, "them"


def write_promises(store: Store, batch_id: int, rows: pd.DataFrame, keep: np.ndarray,
                   ids: np.ndarray, initiators: np.ndarray, recipients: pd.DataFrame,
                   me: int | None) -> int:
    """Store the promises found in the rows just stored; returns how many.

    ``ids`` is each row's interaction id (-1 for a row not stored), ``initiators`` each row's
    person, ``recipients`` each recipient's ``row`` (a label of ``rows``) and ``person_id``.
    """
    if me is None or not len(rows):
        return 0
    at = _candidates(rows, keep)
    if not len(at):
        return 0
    texts = _texts(rows, at)
    when = rows["occurred_at"].to_numpy(dtype="datetime64[us]")[at]
    lines = rows["line"].to_numpy()[at]
    pos = rows.index.get_indexer(recipients["row"])
    people = recipients["person_id"].to_numpy(dtype=np.int64, na_value=-1)
    wanted = np.isin(pos, at)
    others_of: dict[int, list[int]] = {}
    for p, person in zip(pos[wanted].tolist(), people[wanted].tolist(), strict=True):
        if person >= 0 and person not in others_of.setdefault(p, []):
            others_of[p].append(person)
    found = []
    for i, text, made, line in zip(at.tolist(), texts, when.tolist(), lines.tolist(), strict=True):
        if text is None or ids[i] < 0:
            continue
        writer = int(initiators[i])
        others = [p for p in others_of.get(i, []) if p != writer]
        for promise in find_promises(text, made):
            for person, owner in _owed(writer, me, others, promise.owner):
                key = f"detected|{int(ids[i])}|{person}|{promise.sentence}"
                found.append((int(line), person, promise.due, promise.sentence, owner,
                              promise.kind, made, int(ids[i]),
                              hashlib.md5(key.encode("utf-8"), usedforsecurity=False).hexdigest()))
    if not found:
        return 0
    return _insert_new(store, batch_id, "detected", pd.DataFrame(found, columns=[
        "line", "person_id", "due_on", "note", "owner", "promise_kind", "made_at", "interaction_id",
        "fingerprint"]))


def _insert_new(store: Store, batch_id: int, source: str, frame: pd.DataFrame) -> int:
    """Insert the follow-ups of ``frame`` not stored yet (by fingerprint), open, from ``source``."""
    frame = frame.drop_duplicates("fingerprint")
    with store.registered("_new_follow_ups", frame):
        frame = store.con.execute(
            "SELECT * FROM _new_follow_ups f WHERE NOT EXISTS "
            "(SELECT 1 FROM follow_ups u WHERE u.fingerprint = f.fingerprint)").df()
    if frame.empty:
        return 0
    first = store.next_id("follow_ups")
    frame.insert(0, "follow_up_id", np.arange(first, first + len(frame), dtype=np.int64))
    frame.insert(1, "batch_id", batch_id)
    frame["status"], frame["source"] = "open", source
    frame["made_at"] = pd.to_datetime(frame["made_at"]).astype("datetime64[us]")
    frame["interaction_id"] = frame["interaction_id"].astype("Int64")
    store.insert("follow_ups", frame)
    return len(frame)


#: How a follow-up can be closed by hand, and the status it is stored with.
CLOSE = {"done": "done", "drop": "dropped"}


def close_follow_up(store: Store, follow_up_id: int, how: str) -> dict[str, object]:
    """Close a follow-up by hand: ``done`` (kept) or ``drop`` (no longer meant); returns it.

    Raises :class:`~netgraph._errors.NetgraphError` for an unknown id or way of closing.
    """
    if how not in CLOSE:
        msg = f"unknown way to close a follow-up {how!r}: use done or drop"
        raise NetgraphError(msg)
    row = store.con.execute("SELECT f.follow_up_id, p.name, f.note, f.status FROM follow_ups f "
                            "JOIN people p USING (person_id) WHERE f.follow_up_id = ?",
                            [follow_up_id]).fetchone()
    if row is None:
        msg = (f"there is no follow-up {follow_up_id}: see their numbers with "
               "netgraph followups --status all")
        raise NetgraphError(msg)
    with store.transaction():
        store.con.execute("UPDATE follow_ups SET status = ? WHERE follow_up_id = ?",
                          [CLOSE[how], follow_up_id])
    return {"follow_up_id": row[0], "name": row[1], "note": row[2], "was": row[3],
            "status": CLOSE[how]}


def write_follow_ups(store: Store, batch_id: int, items: list[dict[str, object]], *,
                     source: str) -> int:
    """Store follow-ups of mine made by a command (``triage``), skipping those already stored.

    Each item has ``line``, ``person_id``, ``due_on``, ``note``, ``made_at`` and a ``key`` that
    names it for good (its fingerprint is made from it): running the command again adds none.
    Returns how many were stored.
    """
    if not items:
        return 0
    return _insert_new(store, batch_id, source, pd.DataFrame([{
        "line": int(i["line"]), "person_id": int(i["person_id"]), "due_on": i["due_on"],
        "note": i["note"], "owner": "me", "promise_kind": "deliverable", "made_at": i["made_at"],
        "interaction_id": None,
        "fingerprint": hashlib.md5(f"{source}|{i['key']}".encode(), usedforsecurity=False).hexdigest(),
    } for i in items]))
