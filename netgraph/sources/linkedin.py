"""LinkedIn data export: ``Connections.csv``, ``messages.csv`` and ``Invitations.csv``.

Public API (all pure: nothing is written):

* :func:`parse` -- any of the three files -> one :class:`ParsedFile`. For ``Connections.csv``
  that is the *contacts* file; the matching "connected" events come from
  :func:`connections_events`, and :func:`parse_all` returns both (contacts first).
* :func:`connections_events` -- ``Connections.csv`` -> *interactions*, one ``connected`` event
  from me (``from_ref`` None) to each connection on its connection date. Its ``sha256`` is
  derived from the file's (the file hash plus a suffix) so that ingest, which skips a hash it
  has already imported, loads both halves of the same file.
* :func:`parse_messages` / :func:`parse_invitations` -- interactions of kind ``message`` and
  ``connected``.
* :func:`looks_like` / :func:`which` -- content-based detection from the first lines of a file.

People are referred to by LinkedIn profile URL when the file gives one (normalised by
:func:`profile_url`), else by name. Message bodies and invitation texts are dropped (privacy);
a message's subject is kept as its note. Rows that cannot be used are rejected with their line,
raw text and a reason; blank rows (no text, or only commas) are skipped and not counted. A
date that is missing, unreadable (``now`` is not a date) or outside the accepted window
(:mod:`netgraph.sources.bounds`) rejects its row.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from netgraph._errors import InputFileError
from netgraph.sources.base import ParsedFile
from netgraph.sources.csv_table import csv_records
from netgraph.sources.export_csv import (
    Table,
    clean_emails,
    clean_name,
    contacts_file,
    header_key,
    interactions_file,
    parse_when,
    profile_url,
    read_table,
    read_when,
)
from netgraph.sources.reading import read_text

__all__ = [
    "clean_emails",
    "clean_name",
    "connections_events",
    "looks_like",
    "parse",
    "parse_all",
    "parse_connections",
    "parse_invitations",
    "parse_messages",
    "parse_when",
    "profile_url",
    "which",
]

# -- detection -----------------------------------------------------------------------------------

_CONNECTIONS_COLS = {"first name", "last name", "connected on"}
_MESSAGES_COLS = {"from", "to", "date", "conversation id"}
_INVITATIONS_COLS = {"from", "to", "sent at", "direction"}


def which(text_head: str) -> str | None:
    """Which LinkedIn file ``text_head`` is from: ``connections``, ``messages``, ``invitations``, or None."""
    for rec in csv_records(text_head.lstrip("\ufeff"))[:50]:
        cols = {header_key(f) for f in rec.fields}
        if cols >= _CONNECTIONS_COLS:
            return "connections"
        if cols >= _MESSAGES_COLS:
            return "messages"
        if cols >= _INVITATIONS_COLS:
            return "invitations"
    return None


def looks_like(text_head: str) -> bool:
    """True when the first lines of a file are from a LinkedIn export this module reads."""
    return which(text_head) is not None


# -- Connections.csv -----------------------------------------------------------------------------


def _connections_table(path: str | Path) -> Table:
    return read_table(path, lambda cols: cols >= _CONNECTIONS_COLS, "LinkedIn Connections.csv "
                       "(First Name,Last Name,...,Connected On)")


def _connections(table: Table) -> tuple[list[dict[str, Any]], list[tuple[int, str, str]],
                                         list[dict[str, Any]], list[tuple[int, str, str]]]:
    contacts, c_bad, events, e_bad = [], list(table.bad), [], []
    raw = table.source.raw
    for line, c in table.rows:
        name = clean_name(c.get("first name"), c.get("last name"))
        emails = clean_emails([c.get("email address")])
        url = profile_url(c.get("url"))
        if name is None and not emails:
            c_bad.append((line, raw[line], "no name and no email address"))
            continue
        contacts.append({
            "line": line, "name": name or emails[0], "emails": emails,
            "company": c.get("company") or None, "title": c.get("position") or None,
            "linkedin_url": url, "tags": ["linkedin"],
        })
        when, reason = read_when(c.get("connected on"), "Connected On")
        if reason:
            e_bad.append((line, raw[line], reason))
            continue
        events.append({"line": line, "occurred_at": when, "from_ref": None, "kind": "connected",
                       "note": "connected on LinkedIn", "to": [url or (emails[0] if emails else name)]})
    return contacts, c_bad, events, e_bad


def parse_connections(path: str | Path) -> ParsedFile:
    """``Connections.csv`` -> contacts (tagged ``linkedin``)."""
    table = _connections_table(path)
    contacts, c_bad, _, _ = _connections(table)
    return contacts_file(table, contacts, c_bad, [])


def connections_events(path: str | Path) -> ParsedFile:
    """``Connections.csv`` -> interactions: one ``connected`` event from me to each connection.

    Rows rejected as contacts are not counted here (they are reported once, by
    :func:`parse_connections`); a connection with a missing or unreadable date is rejected here
    only, and its contact still loads.
    """
    table = _connections_table(path)
    return _events_file(table, *_connections(table)[2:])


def _events_file(table: Table, events: list[dict[str, Any]],
                 e_bad: list[tuple[int, str, str]]) -> ParsedFile:
    sha = hashlib.sha256(f"{table.tf.sha256}:linkedin-connected".encode()).hexdigest()
    return interactions_file(table, events, e_bad, [], sha256=sha,
                              rows_in=len(events) + len(e_bad))


def parse_all(path: str | Path) -> list[ParsedFile]:
    """Every ParsedFile a LinkedIn file yields.

    For ``Connections.csv`` [contacts, connected events] (import in that order), for the others the
    one interactions file.
    """
    tf = read_text(path)
    if which(tf.text[:20000]) != "connections":
        return [parse(path)]
    table = _connections_table(path)
    contacts, c_bad, events, e_bad = _connections(table)
    return [contacts_file(table, contacts, c_bad, []), _events_file(table, events, e_bad)]


# -- messages.csv --------------------------------------------------------------------------------


def _split_urls(text: str | None) -> list[str]:
    urls = [profile_url(u) for u in re.split(r"[\s,;]+", text or "") if u]
    return list(dict.fromkeys(u for u in urls if u))


def _split_names(text: str | None) -> list[str]:
    return list(dict.fromkeys(n for n in (clean_name(p) for p in (text or "").split(",")) if n))


def parse_messages(path: str | Path, me: str | Iterable[str] | None = None) -> ParsedFile:
    """``messages.csv`` -> interactions of kind ``message``, from the sender to the recipients.

    ``me`` (profile URL(s) or name(s)) says which participant is you; without it, you are the
    one participant present in every message (or, failing that, the one sender of the messages
    in the ``SENT`` folder). Messages you sent get ``from_ref`` None and leave you out of the
    recipients; messages to you keep your reference among the recipients. CONTENT is dropped;
    SUBJECT becomes the note.
    """
    table = read_table(path, lambda cols: cols >= _MESSAGES_COLS, "LinkedIn messages.csv")
    raw = table.source.raw
    bad = list(table.bad)
    msgs: list[tuple[int, dict[str, str], str, list[str], datetime]] = []
    for line, c in table.rows:
        sender = profile_url(c.get("sender profile url")) or clean_name(c.get("from"))
        recipients = _split_urls(c.get("recipient profile urls")) or _split_names(c.get("to"))
        when, when_bad = read_when(c.get("date"), "DATE")
        if sender is None:
            bad.append((line, raw[line], "missing sender ('FROM')"))
        elif not recipients:
            bad.append((line, raw[line], "missing recipients ('TO')"))
        elif when is None:
            bad.append((line, raw[line], when_bad or "missing 'DATE' date"))
        else:
            msgs.append((line, c, sender, recipients, when))
    notes: list[str] = []
    mine = _me_refs(me, msgs)
    if mine:
        notes.append(f"you are {sorted(mine)[0]} in this file")
    elif msgs:
        notes.append("could not tell which participant is you; senders are kept as given")
    events = []
    for line, c, sender, recipients, when in msgs:
        from_me = sender in mine
        to = [r for r in recipients if r != sender and not (from_me and r in mine)]
        if not to:
            bad.append((line, raw[line], "a message with no recipient other than its sender"))
            continue
        names = dict(zip(recipients, _split_names(c.get("to")), strict=False)) if len(
            _split_names(c.get("to"))) == len(recipients) else {}
        events.append({"line": line, "occurred_at": when, "from_ref": None if from_me else sender,
                       "kind": "message", "note": c.get("subject") or None, "to": to,
                       "from_name": clean_name(c.get("from")),
                       "to_names": [names.get(r) for r in to]})
    pf = interactions_file(table, events, bad, notes)
    pf.my_refs = set(mine)
    return pf


def _me_refs(me: str | Iterable[str] | None, msgs: list) -> set[str]:
    if me is not None:
        given = [me] if isinstance(me, str) else list(me)
        return {profile_url(m) or clean_name(m) or m for m in given}
    if not msgs:
        return set()
    everywhere = set.intersection(*({s, *rs} for _, _, s, rs, _ in msgs))
    if len(everywhere) == 1:
        return everywhere
    sent = Counter(s for _, c, s, _, _ in msgs if (c.get("folder") or "").upper() == "SENT")
    if len(sent) == 1:
        return set(sent)
    return set()


#: How an incoming invitation names me when the file gives no profile URL for me.
_ME = "(me)"


# -- Invitations.csv -----------------------------------------------------------------------------


def parse_invitations(path: str | Path) -> ParsedFile:
    """``Invitations.csv`` -> interactions of kind ``connected``.

    An OUTGOING invitation is from me (``from_ref`` None) to the invitee, note "invitation sent"; an
    INCOMING one from the inviter to me (referred to as the file names me), note "invitation
    received". The invitation message is dropped.
    """
    table = read_table(path, lambda cols: cols >= _INVITATIONS_COLS, "LinkedIn Invitations.csv")
    raw = table.source.raw
    bad = list(table.bad)
    events = []
    mine: set[str] = set()  # the invitee of an incoming invitation is me
    for line, c in table.rows:
        inviter = profile_url(c.get("inviterprofileurl")) or clean_name(c.get("from"))
        invitee = profile_url(c.get("inviteeprofileurl")) or clean_name(c.get("to"))
        direction = (c.get("direction") or "").upper()
        when, when_bad = read_when(c.get("sent at"), "Sent At")
        reason = None
        if direction not in ("OUTGOING", "INCOMING"):
            reason = f"unknown direction {c.get('direction')!r} (expected INCOMING or OUTGOING)"
        elif (direction == "OUTGOING" and invitee is None) or (direction == "INCOMING"
                                                               and inviter is None):
            reason = "missing the other person ('From'/'To')"
        elif when is None:
            reason = when_bad
        if reason:
            bad.append((line, raw[line], reason))
            continue
        if direction == "OUTGOING":
            events.append({"line": line, "occurred_at": when, "from_ref": None, "kind": "connected",
                           "note": "invitation sent", "to": [invitee],
                           "to_names": [clean_name(c.get("to"))]})
        else:
            events.append({"line": line, "occurred_at": when, "from_ref": inviter,
                           "kind": "connected", "note": "invitation received",
                           "to": [invitee or _ME], "from_name": clean_name(c.get("from"))})
            mine.add(invitee or _ME)
    pf = interactions_file(table, events, bad, [])
    pf.my_refs = mine
    return pf


# -- entry point ---------------------------------------------------------------------------------


def parse(path: str | Path) -> ParsedFile:
    """Parse one LinkedIn export file, told apart by its header.

    ``Connections.csv`` gives its contacts; use :func:`parse_all` or :func:`connections_events` for
    its ``connected`` events.
    """
    tf = read_text(path)
    kind = which(tf.text[:20000])
    if kind == "connections":
        return parse_connections(path)
    if kind == "messages":
        return parse_messages(path)
    if kind == "invitations":
        return parse_invitations(path)
    msg = (f"{tf.path}: not a LinkedIn Connections.csv, messages.csv or Invitations.csv "
           "(no matching header row found)")
    raise InputFileError(msg)
