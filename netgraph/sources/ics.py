"""iCalendar (.ics) files -> meeting interactions.

Each VEVENT with attendees becomes a ``meeting`` from its organiser to the attendees who did not
decline. People are referred to by email (lower-cased, from ``mailto:`` in any case); the CN
parameter is kept in ``parts['name']`` as a hint only. Attendees of VALARM components are not
people at the meeting and are ignored. Meetings with more than ``max_attendees`` people are
skipped and counted in ``notes``.

Every date must lie in the window of :mod:`netgraph.sources.bounds` (1900 to 100 years ahead): an
event whose DTSTART (or an RDATE) lies outside it is rejected with the reason.

Recurring events (RRULE, RDATE) are expanded from their DTSTART up to the as-of day of the import
(today), or to their own UNTIL or COUNT if that comes first; other events in the file play no part.
EXDATE removes occurrences, and an event with a RECURRENCE-ID replaces the occurrence it names: the
moved meeting counts once, at its new time. A series that starts after the as-of day loads its first
occurrence only, as a planned meeting. Expansion is lazy and bounded, so a hostile rule cannot hang
an import, and these reject *that event* with the reason:

- a rule that repeats every second or minute (``FREQ=SECONDLY``, ``FREQ=MINUTELY``), an INTERVAL
  below 1, a BYxxx part that RFC 5545 does not allow (a value out of range, ``BYWEEKNO`` without
  ``FREQ=YEARLY``), or a rule that can never match a day (``BYMONTH=2;BYMONTHDAY=30``): dateutil
  would look for its next day up to the year 9999;
- more than ``max_occurrences`` occurrences (default 1,000) up to the as-of day;
- occurrences past :data:`MAX_OCCURRENCES_PER_FILE` (100,000), the most that the recurring events
  of one file may add up to together.

The file is split into VEVENT blocks here, so each keeps the line of its ``BEGIN:VEVENT`` and a
corrupt event is rejected on its own while the others load: one cut off (no ``END:VEVENT``), one
with bytes that are not text or a line that is not a property, and the lines of an event whose
``BEGIN:VEVENT`` line is damaged (an ``END:VEVENT`` with no BEGIN). A file that does not end with
``END:VCALENDAR`` is said to look truncated in ``notes``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd

from netgraph.sources.base import ParsedFile, rejects_frame
from netgraph.sources.bounds import DATE_MIN, when_problem
from netgraph.sources.reading import read_text

__all__ = ["MAX_ATTENDEES", "MAX_OCCURRENCES", "MAX_OCCURRENCES_PER_FILE", "looks_like", "parse"]

#: Meetings with more people than this (organiser included) are skipped (``--max-attendees``).
MAX_ATTENDEES = 10
#: The most occurrences one recurring event may have up to the as-of day (``--max-occurrences``).
MAX_OCCURRENCES = 1_000
#: The most occurrences the recurring events of one file may add up to together.
MAX_OCCURRENCES_PER_FILE = 100_000

_EOL = re.compile(r"\r\n|\r|\n")
# rules that repeat this often are no meetings, and would cost millions of steps to expand
_TOO_OFTEN = {"SECONDLY": "second", "MINUTELY": "minute"}
# the values RFC 5545 allows in each BYxxx part: (part, lowest, highest, may be negative)
_RANGES = (("BYMONTH", 1, 12, False), ("BYMONTHDAY", 1, 31, True), ("BYYEARDAY", 1, 366, True),
           ("BYWEEKNO", 1, 53, True), ("BYSETPOS", 1, 366, True), ("BYHOUR", 0, 23, False),
           ("BYMINUTE", 0, 59, False), ("BYSECOND", 0, 60, False))
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
    """Yield (first line, physical lines, status) for each top-level VEVENT.

    The status is ``closed``, ``open`` (cut off by the next BEGIN:VEVENT or the end of the file) or
    ``orphan`` (an END:VEVENT without its BEGIN: the lines since the previous top-level component).
    """
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
    max_attendees: int = MAX_ATTENDEES,
    max_occurrences: int = MAX_OCCURRENCES,
    as_of: date | None = None,
) -> ParsedFile:
    """Parse an .ics file into meeting interactions.

    ``my_emails`` are my addresses: an event I organise has ``from_ref`` None. Recurring events
    are expanded from their start up to the end of the day ``as_of`` (default: today, UTC times),
    or their own UNTIL or COUNT; an event with more than ``max_occurrences`` occurrences by then
    is rejected, as are those past :data:`MAX_OCCURRENCES_PER_FILE`. Events with more than
    ``max_attendees`` people (organiser included) are skipped and counted in ``notes``. Raises
    :class:`netgraph.InputFileError` when the file cannot be read at all.
    """
    from icalendar import Event

    mine = {e.strip().lower() for e in my_emails}
    tf = read_text(path)
    lines = _EOL.split(tf.text)
    rejects: list[tuple[int, str, str]] = []
    events: list[tuple[int, object, datetime]] = []
    raws: dict[int, str] = {}  # the text of each event, by line
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
            dtstart = ev.decoded("DTSTART")
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
        problem = _date_problem(dtstart)
        if problem:
            rejects.append((start, raw, f"DTSTART: {problem}"))
            continue
        events.append((start, ev, _utc(dtstart)))
        raws[start] = raw

    as_of = as_of or date.today()
    end = datetime(as_of.year, as_of.month, as_of.day) + timedelta(days=1)  # expand before this
    overrides = set()
    for _, ev, _first in events:
        if ev.get("RECURRENCE-ID") is not None:
            try:
                overrides.add((str(ev.get("UID")), _utc(ev.decoded("RECURRENCE-ID"))))
            except Exception:
                continue

    rows: list[dict] = []
    parts: list[tuple[int, str, str | None]] = []
    skipped_big = no_people = future = emptied = 0
    budget = MAX_OCCURRENCES_PER_FILE  # occurrences the file's recurring events may still add
    for start, ev, first in events:
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
        recurring = ev.get("RRULE") is not None or ev.get("RDATE") is not None
        try:
            if not recurring:
                times = [first]
            elif first >= end:  # a series still to come: its first meeting is a planned one
                times, future = [first], future + 1
            else:
                limit = min(max_occurrences, budget)
                times = _occurrences(ev, end, limit, overrides)
                if len(times) > limit:
                    raise _Rejected(_too_many(max_occurrences, budget, as_of))
                emptied += not times
        except _Rejected as exc:
            rejects.append((start, raws[start], str(exc)))
            continue
        except Exception as exc:  # bad RRULE/RDATE/EXDATE values
            rejects.append((start, raws[start], f"unreadable recurrence rule: {exc}"))
            continue
        if recurring:
            budget -= len(times)
        summary = ev.get("SUMMARY")
        note = str(summary).strip() or None if summary is not None else None
        about = ev.get("DESCRIPTION")  # read for promises with its first meeting, never stored
        body = str(about).strip() or None if about is not None else None
        for n_time, when in enumerate(times):
            row = len(rows)
            rows.append({"line": start, "occurred_at": when, "from_ref": from_ref,
                         "kind": "meeting", "note": note, "body": None if n_time else body})
            parts.extend((row, email, name) for email, name in people.items())

    notes = [note] if (note := tf.encoding_note()) else []
    last = next((ln.strip().upper() for ln in reversed(lines) if ln.strip()), "")
    if last != "END:VCALENDAR":
        notes.append("the file does not end with END:VCALENDAR: it looks truncated, and events "
                     "after the cut are missing")
    if skipped_big:
        notes.append(f"skipped {skipped_big} event(s) with more than {max_attendees} people")
    if no_people:
        notes.append(f"ignored {no_people} event(s) without other attendees")
    if future:
        notes.append(f"{future} recurring event(s) start after {as_of:%Y-%m-%d}: only their first "
                     "occurrence is loaded")
    if emptied:
        notes.append(f"{emptied} recurring event(s) have no occurrence up to {as_of:%Y-%m-%d} "
                     "(all excluded by EXDATE or moved by RECURRENCE-ID)")
    frame = pd.DataFrame(rows, columns=["line", "occurred_at", "from_ref", "kind", "note", "body"])
    frame["line"] = frame["line"].astype("int64")
    frame["occurred_at"] = pd.to_datetime(frame["occurred_at"]).astype("datetime64[us]")
    frame["from_ref"] = frame["from_ref"].astype(object)
    parts_frame = pd.DataFrame(parts, columns=["row", "ref", "name"])
    parts_frame["row"] = parts_frame["row"].astype("int64")
    return ParsedFile(path=tf.path, kind="interactions", sha256=tf.sha256, rows=frame,
                      rejects=rejects_frame(rejects), rows_in=len(rows) + len(rejects), notes=notes,
                      parts=parts_frame, skipped=skipped_big)


class _Rejected(Exception):
    """An event to reject, with the reason as its message."""


def _date_problem(value) -> str | None:
    """Why a DTSTART, RDATE or occurrence is no acceptable date (see :mod:`netgraph.sources.bounds`)."""
    try:
        return when_problem(value)
    except (OverflowError, ValueError):  # a time zone offset pushed it past year 1 or 9999
        return f"date {value.isoformat()} is outside the accepted range"


def _too_many(cap: int, budget: int, as_of: date) -> str:
    if cap <= budget:
        return (f"recurring event has more than {cap:,} occurrences up to {as_of:%Y-%m-%d}; "
                "raise --max-occurrences to load it")
    return (f"the recurring events of this file have more than {MAX_OCCURRENCES_PER_FILE:,} "
            f"occurrences in all up to {as_of:%Y-%m-%d}, the most one file may hold; this event is "
            "past that limit: split the calendar into smaller files to load it")


def _ints(values) -> list[int]:
    out = []
    for v in values or ():
        try:
            out.append(int(str(v)))
        except ValueError:  # "2L" (a leap month) and the like: leave the check to dateutil
            continue
    return out


# every day of a common and of a leap year
_DAYS = [date(y, 1, 1) + timedelta(days=i) for y, n in ((2001, 365), (2004, 366)) for i in range(n)]


def _day_fits(day: date, months: set[int], monthdays: list[int], yeardays: set[int]) -> bool:
    """True if ``day`` passes a rule's BYMONTH, BYMONTHDAY and BYYEARDAY (negative: from the end)."""
    if months and day.month not in months:
        return False
    if monthdays:
        length = calendar.monthrange(day.year, day.month)[1]
        if day.day not in monthdays and day.day - length - 1 not in monthdays:
            return False
    if yeardays:
        nth, length = day.timetuple().tm_yday, 366 if calendar.isleap(day.year) else 365
        if nth not in yeardays and nth - length - 1 not in yeardays:
            return False
    return True


def _rule_problem(rule, dtstart) -> str | None:
    """Why an RRULE is no meeting rule, or None when it is one.

    A rule is none when it repeats every second or minute, or when dateutil would scan to the year
    9999 for a day that never comes (its UNTIL is only checked on a match).
    """
    text = rule.to_ical().decode()
    freq = str((rule.get("FREQ") or [""])[0]).upper()
    if freq in _TOO_OFTEN:
        unit = _TOO_OFTEN[freq]
        return (f"recurring event repeats every {unit} (RRULE:{text}): a meeting that repeats every "
                f"{unit} is not a meeting")
    interval = _ints(rule.get("INTERVAL")) or [1]
    if interval[0] < 1:
        return f"recurrence rule RRULE:{text} has INTERVAL below 1"
    # RFC 5545 3.3.10: rules it forbids are the ones that can scan for ever without a match
    for part, low, high, signed in _RANGES:
        bad = [v for v in _ints(rule.get(part)) if not low <= abs(v) <= high or (v < 0 and not signed)]
        if bad:
            return f"recurrence rule RRULE:{text} is not valid: {part}={bad[0]} is out of range"
    if rule.get("BYWEEKNO") and freq != "YEARLY":
        return f"recurrence rule RRULE:{text} is not valid: BYWEEKNO needs FREQ=YEARLY"
    if rule.get("BYYEARDAY") and freq in ("DAILY", "WEEKLY", "MONTHLY"):
        return f"recurrence rule RRULE:{text} is not valid: BYYEARDAY cannot be used with FREQ={freq}"
    if freq not in ("MONTHLY", "YEARLY") and any(re.match(r"[+-]?\d", str(d))
                                                 for d in rule.get("BYDAY") or ()):
        return (f"recurrence rule RRULE:{text} is not valid: a numbered BYDAY (such as 1MO) needs "
                "FREQ=MONTHLY or FREQ=YEARLY")
    months = set(_ints(rule.get("BYMONTH")))
    monthdays = _ints(rule.get("BYMONTHDAY"))
    yeardays = set(_ints(rule.get("BYYEARDAY")))
    if (months or monthdays or yeardays) and not any(
            _day_fits(day, months, monthdays, yeardays) for day in _DAYS):
        return f"recurrence rule RRULE:{text} never matches a day (no such day in any year)"
    days = [str(d)[-2:].upper() for d in rule.get("BYDAY") or ()]
    if freq == "DAILY" and days and interval[0] % 7 == 0 and isinstance(dtstart, date):
        weekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[dtstart.weekday()]
        if weekday not in days:
            return (f"recurrence rule RRULE:{text} never matches a day (every {interval[0]} days "
                    f"from a {weekday} never falls on {','.join(days)})")
    setpos = _ints(rule.get("BYSETPOS"))
    if setpos:
        per_hour = max(1, len(rule.get("BYMINUTE") or ())) * max(1, len(rule.get("BYSECOND") or ()))
        per_day = max(1, len(rule.get("BYHOUR") or ())) * per_hour
        # at most this many candidates per period (YEARLY scans 8,000 periods at most)
        most = {"HOURLY": per_hour, "DAILY": per_day, "WEEKLY": min(7, len(days) or 1) * per_day,
                "MONTHLY": min(31, len(monthdays) or 5 * len(days) or 1) * per_day}.get(freq)
        if most is not None and all(abs(p) > most for p in setpos):
            return f"recurrence rule RRULE:{text} never matches: BYSETPOS is past every candidate"
    return None


def _occurrences(ev, end: datetime, limit: int, overrides) -> list[datetime]:
    """The start times (naive UTC) of a recurring event before ``end``.

    At most ``limit`` + 1 (one more than ``limit`` says there are too many). Raises
    :class:`_Rejected` for a rule that is no meeting or a date outside the bounds, other exceptions
    for values dateutil cannot read.
    """
    from dateutil.rrule import rrulestr

    dtstart = ev.decoded("DTSTART")
    rules = ev.get("RRULE")
    rules = rules if isinstance(rules, list) else [rules] if rules is not None else []
    for r in rules:
        problem = _rule_problem(r, dtstart)
        if problem:
            raise _Rejected(problem)
    if not isinstance(dtstart, datetime):
        dtstart = datetime(dtstart.year, dtstart.month, dtstart.day)
    text = "\n".join("RRULE:" + r.to_ical().decode() for r in rules)
    try:
        rset = rrulestr(text or "RDATE:" + dtstart.strftime("%Y%m%dT%H%M%S"),
                        dtstart=dtstart, forceset=True)
    except ValueError:  # UNTIL and DTSTART disagree on time zones: expand in UTC
        dtstart = dtstart.astimezone(UTC) if dtstart.tzinfo else dtstart.replace(tzinfo=UTC)
        text = re.sub(r"UNTIL=(\d{8}T\d{6})(?!Z)", r"UNTIL=\1Z", text)
        rset = rrulestr(text, dtstart=dtstart, forceset=True)
    rset.rdate(dtstart)
    excluded_days: set[date] = set()  # EXDATE;VALUE=DATE removes every occurrence on that day
    for prop, add in (("RDATE", rset.rdate), ("EXDATE", rset.exdate)):
        values = ev.get(prop)
        for v in values if isinstance(values, list) else [values] if values is not None else []:
            for d in v.dts:
                dt = d.dt[0] if isinstance(d.dt, tuple) else d.dt  # an RDATE period: its start
                if isinstance(dt, timedelta):
                    raise ValueError(f"{prop} holds a duration, not a date")
                problem = _date_problem(dt)
                if problem and prop == "RDATE":
                    raise _Rejected(f"RDATE: {problem}")
                if not isinstance(dt, datetime):
                    if prop == "EXDATE":
                        excluded_days.add(dt)
                    dt = datetime(dt.year, dt.month, dt.day)
                if dtstart.tzinfo and dt.tzinfo is None:
                    dt = dt.replace(tzinfo=dtstart.tzinfo)
                elif dtstart.tzinfo is None and dt.tzinfo is not None:
                    dt = dt.astimezone(UTC).replace(tzinfo=None)
                add(dt)
    uid = str(ev.get("UID"))
    out: list[datetime] = []
    for dt in rset:  # lazy: stops at the as-of day or one past the limit, whatever the rule
        when = _utc(dt)
        if when >= end:
            break
        if (uid, when) in overrides or (excluded_days and dt.date() in excluded_days):
            continue
        if when < DATE_MIN:
            raise _Rejected(_date_problem(when) or "date outside the accepted range")
        out.append(when)
        if len(out) > limit:
            break
    return out
