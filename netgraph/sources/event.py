"""An event's list of people met, as contacts: typed-up business cards, badge scans, attendees.

``netgraph triage`` reads one file of the people met at an event:

- **CSV** (business cards typed up, a badge-scan export): a ``name`` column, and optionally
  ``email``, ``company``, ``title``, ``notes`` and ``tags``; read as netgraph's contacts CSV, so
  every check and reject of a contacts file applies (:mod:`netgraph.sources.generic_csv`);
- **vCard** (cards scanned by a phone): read as any vCard file (:mod:`netgraph.sources.vcard`);
- **iCalendar** (the event's own invitation): its attendees, by their display name (else their
  address) and address; my own addresses are left out.

Each gives a contacts :class:`~netgraph.sources.base.ParsedFile`, whose rows ``triage`` imports
as people and meets at the event (:func:`event_meetings`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime, time
from pathlib import Path

import pandas as pd

from netgraph._errors import InputFileError
from netgraph.normalise import normalise_email
from netgraph.sources import generic_csv, ics, vcard
from netgraph.sources.base import ParsedFile
from netgraph.sources.reading import check_file

__all__ = ["EVENT_COLUMNS", "event_meetings", "met_refs", "read_event_file"]

#: The columns of a contacts file's rows (as :mod:`netgraph.sources.generic_csv` gives them).
_CONTACT_COLUMNS = ("line", "ext_id", "name", "emails", "phones", "company", "title", "city", "country",
                    "tags", "category", "linkedin_url", "cadence_days", "closeness", "notes", "needs",
                    "offers")
#: The columns an event's CSV may have: ``name`` is required.
EVENT_COLUMNS = ("name", "email", "company", "title", "notes", "tags")


def read_event_file(path: str | Path, my_emails: Iterable[str] = ()) -> ParsedFile:
    """The people an event file lists, as a contacts file; see the module notes.

    Raises :class:`~netgraph._errors.InputFileError` with a one-line reason and its fix when the
    file cannot be read as a list of people (a CSV without a ``name`` column, say).
    """
    p = Path(path)
    head = check_file(p, head_bytes=4096)
    if vcard.looks_like(head):
        return vcard.parse(p)
    if ics.looks_like(head):
        return _attendees(ics.parse(p, my_emails, max_attendees=10_000), my_emails)
    try:
        return generic_csv.parse(p, kind="contacts")
    except InputFileError as exc:
        if "needs the column" not in str(exc):
            raise
        msg = (f"{p}: an event file needs a 'name' column (and may have "
               f"{', '.join(EVENT_COLUMNS[1:])}): add a header line such as "
               "'name,email,company', or give a vCard (.vcf) or the event's .ics")
        raise InputFileError(msg) from None


def _attendees(pf: ParsedFile, my_emails: Iterable[str]) -> ParsedFile:
    """The attendees of an event's .ics as contacts: one row per address, with its name."""
    mine = {normalise_email(e) for e in my_emails}
    parts = pf.parts if pf.parts is not None else pd.DataFrame(columns=["row", "ref", "name"])
    lines = pf.rows["line"].to_numpy() if len(pf.rows) else []
    people: dict[str, dict] = {}
    for row, ref, name in zip(parts["row"], parts["ref"], parts.get("name", [None] * len(parts)),
                              strict=True):
        email = str(ref).strip().lower()
        if "@" not in email or normalise_email(email) in mine or email in people:
            continue
        shown = name if isinstance(name, str) and name.strip() else email
        people[email] = {**dict.fromkeys(_CONTACT_COLUMNS), "line": int(lines[row]) if len(lines) else 0,
                         "name": shown, "emails": [email], "phones": [], "tags": [], "needs": [],
                         "offers": []}
    frame = pd.DataFrame(list(people.values()), columns=list(_CONTACT_COLUMNS))
    frame["cadence_days"] = frame["cadence_days"].astype("Int64")
    frame["closeness"] = frame["closeness"].astype(float)
    return ParsedFile(path=pf.path, kind="contacts", sha256=pf.sha256, rows=frame,
                      rejects=pf.rejects, rows_in=len(frame) + len(pf.rejects), notes=pf.notes)


def event_meetings(people: ParsedFile, event: str, day: date) -> ParsedFile:
    """The interactions of meeting the people of ``people`` at ``event`` on ``day``: one each, with me.

    Each row is an ``event`` from me (a blank ``from``) to the person's first email, else their
    name. The file is named by the people's file, the event and the day, so importing it again
    is recognised as done.
    """
    rows = people.rows.reset_index(drop=True)
    met_at = datetime.combine(day, time(0))
    return ParsedFile(
        path=people.path, kind="interactions", rows_in=len(rows), rejects=people.rejects.iloc[0:0],
        sha256=hashlib.sha256(f"{people.sha256}|{event}|{day.isoformat()}".encode()).hexdigest(),
        rows=pd.DataFrame({"line": rows["line"].astype("int64"),
                           "occurred_at": pd.Series([met_at] * len(rows), dtype="datetime64[us]"),
                           "from_ref": pd.Series([None] * len(rows), dtype=object),
                           "kind": "event", "note": f"met at {event}"}),
        parts=pd.DataFrame({"row": range(len(rows)), "ref": met_refs(people)}))


def met_refs(people: ParsedFile) -> list[str]:
    """How each person of an event file is named in its meetings: their first email, else their name."""
    return [r.emails[0] if len(r.emails) else r.name for r in people.rows.itertuples(index=False)]
