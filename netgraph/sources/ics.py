"""iCalendar (.ics) files -> meeting interactions.

Each VEVENT with attendees becomes a ``meeting`` from its organiser to the attendees who did not
decline. People are referred to by email (lower-cased, from ``mailto:`` in any case); the CN
parameter is kept in ``parts['name']`` as a hint only. Attendees of VALARM components are not
people at the meeting and are ignored. Recurring events are expanded within a window (by default
the two years up to the newest event) and capped at ``max_occurrences`` per event. Meetings with
more than ``max_attendees`` people are skipped and counted in ``notes``.

The file is split into VEVENT blocks here, so each keeps the line of its ``BEGIN:VEVENT`` and a
corrupt event is rejected on its own while the others load: one cut off (no ``END:VEVENT``), one
with bytes that are not text or a line that is not a property, and the lines of an event whose
``BEGIN:VEVENT`` line is damaged (an ``END:VEVENT`` with no BEGIN). A file that does not end with
``END:VCALENDAR`` is said to look truncated in ``notes``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd

from netgraph.sources._text import read_text
from netgraph.sources.generic_csv import ParsedFile

__all__ = ["looks_like", "parse"]

_EOL = re.compile(r"\r\n|\r|\n")
_WINDOW = timedelta(days=730)
# properties read here: a parse error in any of them (or in a line that is no property at all,
# reported as None) makes the event untrustworthy
_USED = {None, "DTSTART", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID", "ATTENDEE", "ORGANIZER",
         "SUMMARY", "UID"}
# the top-level components: an END of one of them (or BEGIN:VCALENDAR) is where an event whose
# BEGIN line is damaged can start at the earliest
_TOP = ("BEGIN:VCALENDAR", "END:VTODO", "END:VJOURNAL", "END:VFREEBUSY", "END:VTIMEZONE")


def looks_like(head: bytes) -> bool:
    """True if the start of a file looks like an iCalendar file."""
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    return text[:15].upper() == b"BEGIN:VCALENDAR"


def _email(value) -> str | None:
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    text = text.strip().lower()
    return text if "@" in text else None


def _utc(value) -> datetime:
    """A DTSTART value (date, naive or aware datetime) as a naive UTC datetime."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return value.astimezone(UTC).replace(tzinfo=None)
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    msg = f"not a date or time: {value!r}"
    raise ValueError(msg)


def _blocks(lines: list[str]):
    """Yield (first line, physical lines, status) for each top-level VEVENT: ``closed``, ``open``
    (cut off by the next BEGIN:VEVENT or the end of the file) or ``orphan`` (an END:VEVENT
    without its BEGIN: the lines since the previous top-level component)."""
    start, block, depth, after = 0, None, 0, 0
    for i, line in enumerate(lines, 1):
        key = line.strip().upper()
        if block is None:
            if key == "BEGIN:VEVENT":
                start, block, depth = i, [line], 1
            elif key == "END:VEVENT":
                first = next((j for j in range(after, i - 1) if lines[j].strip()), i - 1)
                yield first + 1, lines[first:i], "orphan"
                after = i
            elif key in _TOP:
                after = i
            continue
        if key == "BEGIN:VEVENT":  # a VEVENT never nests: the previous one was cut off
            yield start, block, "open"
            start, block, depth = i, [line], 1
            continue
        block.append(line)
        if key.startswith("BEGIN:"):
            depth += 1
        elif key.startswith("END:"):
            depth -= 1
            if depth == 0:
                yield start, block, "closed" if key == "END:VEVENT" else "open"
                block, after = None, i
    if block is not None:
        yield start, block, "open"


def parse(
    path: str | Path,
    my_emails: Iterable[str] = frozenset(),
    *,
    max_attendees: int = 10,
    max_occurrences: int = 200,
    window_start: datetime | None = None,
    window_end: datetime | None = None,
) -> ParsedFile:
    """Parse an .ics file into meeting interactions.

    ``my_emails`` are my addresses: an event I organise has ``from_ref`` None. Recurring events
    are expanded between ``window_start`` and ``window_end`` (naive UTC; by default the two
    years up to the newest event start), at most ``max_occurrences`` times each. Events with
    more than ``max_attendees`` people (organiser included) are skipped and counted in
    ``notes``. Raises :class:`netgraph.InputFileError` when the file cannot be read at all.
    """
    from icalendar import Event

    mine = {e.strip().lower() for e in my_emails}
    tf = read_text(path)
    lines = _EOL.split(tf.text)
    rejects: list[tuple[int, str, str]] = []
    events: list[tuple[int, object, datetime]] = []
    for start, block, status in _blocks(lines):
        raw = "\n".join(block)
        if status == "open":
            rejects.append((start, raw, "truncated event: BEGIN:VEVENT without END:VEVENT"))
            continue
        if status == "orphan":
            rejects.append((start, raw, "END:VEVENT without BEGIN:VEVENT: the event's BEGIN line "
                            "is damaged or missing"))
            continue
        damage = tf.damage(start, raw)
        if damage:
            rejects.append((start, raw, f"unreadable event: {damage}"))
            continue
        try:
            ev = Event.from_ical("\r\n".join(block) + "\r\n")
            first = _utc(ev.decoded("DTSTART"))
        except KeyError:
            rejects.append((start, raw, "event has no DTSTART"))
            continue
        except Exception as exc:  # icalendar raises many kinds of errors
            rejects.append((start, raw, f"unreadable event: {exc}"))
            continue
        errors = [(prop, msg) for prop, msg in getattr(ev, "errors", ()) if prop in _USED]
        if errors:
            prop, msg = errors[0]
            rejects.append((start, raw, f"unreadable event: {prop + ': ' if prop else ''}{msg}"))
            continue
        events.append((start, ev, first))

    newest = max((f for _, _, f in events), default=None)
    end = window_end or newest
    begin = window_start or (end - _WINDOW if end is not None else None)
    overrides = set()
    for _, ev, _first in events:
        if ev.get("RECURRENCE-ID") is not None:
            try:
                overrides.add((str(ev.get("UID")), _utc(ev.decoded("RECURRENCE-ID"))))
            except Exception:
                continue

    rows: list[dict] = []
    parts: list[tuple[int, str, str | None]] = []
    skipped_big = no_people = capped = 0
    for start, ev, first in events:
        raw_lines = None
        attendees = ev.get("ATTENDEE")
        if attendees is None:
            no_people += 1
            continue
        if not isinstance(attendees, list):
            attendees = [attendees]
        org = ev.get("ORGANIZER")
        org_email = _email(org) if org is not None else None
        invited = {e for a in attendees if (e := _email(a))}
        if org_email:
            invited.add(org_email)
        if len(invited) > max_attendees:
            skipped_big += 1
            continue
        from_ref = None if (org_email is None or org_email in mine) else org_email
        people: dict[str, str | None] = {}
        for a in attendees:
            email = _email(a)
            params = getattr(a, "params", {})
            if email is None or str(params.get("PARTSTAT", "")).upper() == "DECLINED":
                continue
            if str(params.get("CUTYPE", "")).upper() in ("ROOM", "RESOURCE"):
                continue
            if email == org_email or (from_ref is None and email in mine):
                continue
            people.setdefault(email, str(params["CN"]).strip() if params.get("CN") else None)
        if not people:
            no_people += 1
            continue
        try:
            times, was_capped = _occurrences(ev, first, begin, end, max_occurrences, overrides)
        except Exception as exc:  # bad RRULE/RDATE/EXDATE values
            raw_lines = "\n".join(ev.to_ical().decode("utf-8", "replace").splitlines())
            rejects.append((start, raw_lines, f"unreadable recurrence rule: {exc}"))
            continue
        capped += was_capped
        summary = ev.get("SUMMARY")
        note = str(summary).strip() or None if summary is not None else None
        for when in times:
            row = len(rows)
            rows.append({"line": start, "occurred_at": when, "from_ref": from_ref,
                         "kind": "meeting", "note": note})
            parts.extend((row, email, name) for email, name in people.items())

    notes = []
    if tf.encoding != "utf-8":
        notes.append(f"read as {tf.encoding}, not UTF-8; check accented names")
    last = next((ln.strip().upper() for ln in reversed(lines) if ln.strip()), "")
    if last != "END:VCALENDAR":
        notes.append("the file does not end with END:VCALENDAR: it looks truncated, and events "
                     "after the cut are missing")
    if skipped_big:
        notes.append(f"skipped {skipped_big} event(s) with more than {max_attendees} people")
    if no_people:
        notes.append(f"ignored {no_people} event(s) without other attendees")
    if capped:
        notes.append(f"{capped} recurring event(s) capped at {max_occurrences} occurrences")
    frame = pd.DataFrame(rows, columns=["line", "occurred_at", "from_ref", "kind", "note"])
    frame["line"] = frame["line"].astype("int64")
    frame["occurred_at"] = pd.to_datetime(frame["occurred_at"]).astype("datetime64[us]")
    frame["from_ref"] = frame["from_ref"].astype(object)
    parts_frame = pd.DataFrame(parts, columns=["row", "ref", "name"])
    parts_frame["row"] = parts_frame["row"].astype("int64")
    rej = pd.DataFrame(rejects, columns=["line", "raw", "reason"]).sort_values(
        "line", kind="stable", ignore_index=True)
    rej["line"] = rej["line"].astype("int64")
    return ParsedFile(tf.path, "interactions", tf.sha256, frame, rej, len(rows) + len(rejects),
                      notes, parts_frame, skipped=skipped_big)


def _occurrences(ev, first: datetime, begin, end, cap: int, overrides) -> tuple[list[datetime], bool]:
    """The start times (naive UTC) of an event, recurrences expanded within [begin, end]."""
    if ev.get("RRULE") is None and ev.get("RDATE") is None:
        return [first], False
    from dateutil.rrule import rrulestr

    dtstart = ev.decoded("DTSTART")
    if not isinstance(dtstart, datetime):
        dtstart = datetime(dtstart.year, dtstart.month, dtstart.day)
    rules = ev.get("RRULE")
    rules = rules if isinstance(rules, list) else [rules] if rules is not None else []
    text = "\n".join("RRULE:" + r.to_ical().decode() for r in rules)
    try:
        rset = rrulestr(text or "RDATE:" + dtstart.strftime("%Y%m%dT%H%M%S"),
                        dtstart=dtstart, forceset=True)
    except ValueError:  # UNTIL and DTSTART disagree on time zones: expand in UTC
        dtstart = dtstart.astimezone(UTC) if dtstart.tzinfo else dtstart.replace(tzinfo=UTC)
        text = re.sub(r"UNTIL=(\d{8}T\d{6})(?!Z)", r"UNTIL=\1Z", text)
        rset = rrulestr(text, dtstart=dtstart, forceset=True)
    rset.rdate(dtstart)
    for prop, add in (("RDATE", rset.rdate), ("EXDATE", rset.exdate)):
        values = ev.get(prop)
        for v in values if isinstance(values, list) else [values] if values is not None else []:
            for d in v.dts:
                dt = d.dt
                if not isinstance(dt, datetime):
                    dt = datetime(dt.year, dt.month, dt.day)
                if dtstart.tzinfo and dt.tzinfo is None:
                    dt = dt.replace(tzinfo=dtstart.tzinfo)
                elif dtstart.tzinfo is None and dt.tzinfo is not None:
                    dt = dt.astimezone(UTC).replace(tzinfo=None)
                add(dt)
    uid = str(ev.get("UID"))
    out: list[datetime] = []
    for dt in rset:
        when = _utc(dt)
        if end is not None and when > end:
            break
        if begin is not None and when < begin:
            continue
        if (uid, when) in overrides:
            continue
        if len(out) >= cap:
            return out, True
        out.append(when)
    return out, False
