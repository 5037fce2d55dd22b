"""Recurring iCalendar events: expanded up to the as-of day, bounded, and rejected one at a time.

Issue 11 items 2 (series silently dropped), 7 (DTSTART:00010101 aborted the file) and 10
(FREQ=SECONDLY from 1900 hung the import).
"""

from __future__ import annotations

import json
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from netgraph.cli.main import main
from netgraph.sources import ics

AS_OF = date(2026, 11, 30)
ME = {"me@example.com"}


def _event(uid: str, dtstart: str, *extra: str, attendee: str = "ana@example.com") -> str:
    return "\r\n".join(["BEGIN:VEVENT", f"UID:{uid}", f"DTSTART:{dtstart}", *extra,
                        f"SUMMARY:{uid}", "ORGANIZER:mailto:me@example.com",
                        f"ATTENDEE;PARTSTAT=ACCEPTED:mailto:{attendee}", "END:VEVENT"])


def _calendar(tmp_path: Path, *events: str, name: str = "cal.ics") -> Path:
    path = tmp_path / name
    text = "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//netgraph tests//EN", *events,
                        "END:VCALENDAR"]) + "\r\n"
    path.write_bytes(text.encode())
    return path


def _times(pf, uid: str) -> list[datetime]:
    return [t.to_pydatetime() for t in pf.rows.loc[pf.rows["note"] == uid, "occurred_at"]]


def _reasons(pf) -> dict[int, str]:
    return dict(zip(pf.rejects["line"], pf.rejects["reason"], strict=True))


def _accounted(pf) -> bool:
    return pf.rows_in == len(pf.rows) + len(pf.rejects)


WEEKLY_20 = _event("weekly", "20240102T090000Z", "RRULE:FREQ=WEEKLY;COUNT=20")


def test_weekly_count_20_loads_all_20(tmp_path):
    pf = ics.parse(_calendar(tmp_path, WEEKLY_20), ME, as_of=AS_OF)
    times = _times(pf, "weekly")
    assert len(times) == 20
    assert times[0] == datetime(2024, 1, 2, 9) and times[-1] == datetime(2024, 5, 14, 9)
    assert pf.rejects.empty and _accounted(pf)


def test_a_far_future_event_does_not_shrink_the_series(tmp_path):
    # before: the window ended at the newest DTSTART, so this 2099 meeting made the series load 0
    pf = ics.parse(_calendar(tmp_path, WEEKLY_20, _event("later", "20990601T100000Z")), ME, as_of=AS_OF)
    assert len(_times(pf, "weekly")) == 20
    assert _times(pf, "later") == [datetime(2099, 6, 1, 10)]
    assert pf.rejects.empty and _accounted(pf)


def test_open_series_runs_to_the_as_of_day(tmp_path):
    start = datetime(2026, 9, 21, 9)  # a Monday, ten weeks before AS_OF
    pf = ics.parse(_calendar(tmp_path, _event("open", f"{start:%Y%m%dT%H%M%S}Z", "RRULE:FREQ=WEEKLY")),
                   ME, as_of=AS_OF)
    times = _times(pf, "open")
    assert times == [start + timedelta(weeks=k) for k in range(11)]  # up to 2026-11-30, that day included
    later = ics.parse(pf.path, ME, as_of=AS_OF + timedelta(days=7))
    assert len(_times(later, "open")) == 12


def test_until_ends_a_series_before_the_as_of_day(tmp_path):
    ev = _event("until", "20250106T090000Z", "RRULE:FREQ=DAILY;UNTIL=20250110T090000Z")
    pf = ics.parse(_calendar(tmp_path, ev), ME, as_of=AS_OF)
    assert len(_times(pf, "until")) == 5


def test_recurrence_id_moves_an_occurrence_and_exdate_removes_one(tmp_path):
    master = _event("sync", "20250106T090000Z", "RRULE:FREQ=WEEKLY;COUNT=5",
                    "EXDATE:20250120T090000Z")
    moved = _event("sync", "20250114T150000Z", "RECURRENCE-ID:20250113T090000Z")
    pf = ics.parse(_calendar(tmp_path, master, moved), ME, as_of=AS_OF)
    assert sorted(_times(pf, "sync")) == [datetime(2025, 1, 6, 9), datetime(2025, 1, 14, 15),
                                          datetime(2025, 1, 27, 9), datetime(2025, 2, 3, 9)]
    assert pf.rejects.empty and _accounted(pf)


def test_exdate_of_a_whole_day_and_time_zones(tmp_path):
    ev = _event("tz", "20250106T090000", "RRULE:FREQ=DAILY;COUNT=4", "EXDATE;VALUE=DATE:20250107")
    ev = ev.replace("DTSTART:", "DTSTART;TZID=Europe/Berlin:")
    pf = ics.parse(_calendar(tmp_path, ev), ME, as_of=AS_OF)
    assert _times(pf, "tz") == [datetime(2025, 1, 6, 8), datetime(2025, 1, 8, 8), datetime(2025, 1, 9, 8)]


@pytest.mark.parametrize(("rule", "dtstart", "unit"), [
    ("FREQ=SECONDLY", "19000101T000000Z", "second"),
    ("FREQ=MINUTELY", "20000101T000000Z", "minute"),
])
def test_runaway_frequency_is_rejected_at_once(tmp_path, rule, dtstart, unit):
    path = _calendar(tmp_path, WEEKLY_20, _event("runaway", dtstart, f"RRULE:{rule}"))
    began = time.perf_counter()
    pf = ics.parse(path, ME, as_of=AS_OF)
    assert time.perf_counter() - began < 10  # was over 180 s (SECONDLY) and 138 s (MINUTELY)
    reason = _reasons(pf)[12]
    assert f"repeats every {unit}" in reason and "not a meeting" in reason
    assert len(_times(pf, "weekly")) == 20 and _times(pf, "runaway") == []
    assert _accounted(pf)


def test_more_occurrences_than_the_cap_rejects_that_event(tmp_path):
    daily = _event("daily", "20000101T090000Z", "RRULE:FREQ=DAILY")
    hourly = _event("hourly", "19000101T000000Z", "RRULE:FREQ=HOURLY")
    began = time.perf_counter()
    pf = ics.parse(_calendar(tmp_path, WEEKLY_20, daily, hourly), ME, as_of=AS_OF)
    assert time.perf_counter() - began < 10
    reasons = _reasons(pf)
    assert reasons[12] == ("recurring event has more than 1,000 occurrences up to 2026-11-30; "
                           "raise --max-occurrences to load it")
    assert "more than 1,000 occurrences" in reasons[20]
    assert len(_times(pf, "weekly")) == 20 and _times(pf, "daily") == []
    raised = ics.parse(pf.path, ME, as_of=date(2000, 12, 31), max_occurrences=400)
    assert len(_times(raised, "daily")) == 366  # all of 2000, a leap year


def test_the_file_total_is_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(ics, "MAX_OCCURRENCES_PER_FILE", 30)
    second = _event("second", "20240102T100000Z", "RRULE:FREQ=WEEKLY;COUNT=20")
    pf = ics.parse(_calendar(tmp_path, WEEKLY_20, second), ME, as_of=AS_OF)
    assert len(_times(pf, "weekly")) == 20 and _times(pf, "second") == []
    reason = _reasons(pf)[12]
    assert "more than 30 occurrences in all" in reason and "split the calendar" in reason
    assert _accounted(pf) and pf.rows_in == 21


@pytest.mark.parametrize(("dtstart", "rule"), [
    ("00010101", None),
    ("99991231", None),
    ("00010101", "RRULE:FREQ=DAILY"),
    ("18991231T230000Z", "RRULE:FREQ=YEARLY;COUNT=3"),
])
def test_out_of_range_dtstart_rejects_only_that_event(tmp_path, dtstart, rule):
    bad = _event("bad", dtstart, *([rule] if rule else []))
    pf = ics.parse(_calendar(tmp_path, WEEKLY_20, bad), ME, as_of=AS_OF)
    assert "outside the accepted range" in _reasons(pf)[12]
    assert len(_times(pf, "weekly")) == 20 and _accounted(pf)


def test_a_calendar_of_one_ancient_event(tmp_path):
    # before: OverflowError, and the whole file was refused
    path = _calendar(tmp_path, _event("ancient", "00010101", "RRULE:FREQ=WEEKLY;COUNT=3"))
    pf = ics.parse(path, ME, as_of=AS_OF)
    assert pf.rows.empty and list(pf.rejects["line"]) == [4]
    assert "outside the accepted range" in pf.rejects["reason"][0] and pf.rows_in == 1


@pytest.mark.parametrize("rule", [
    "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=HOURLY;BYMONTH=4;BYMONTHDAY=31",
    "FREQ=DAILY;INTERVAL=7;BYDAY=TU",
    "FREQ=DAILY;BYSETPOS=3",
    "FREQ=DAILY;BYMONTH=13",
    "FREQ=HOURLY;BYSETPOS=3",
    "FREQ=HOURLY;BYMONTHDAY=1;BYYEARDAY=-1",
    "FREQ=WEEKLY;BYSETPOS=7;BYDAY=MO,TU",
    "FREQ=DAILY;INTERVAL=0",
    "FREQ=HOURLY;BYYEARDAY=60;BYMONTH=1",
    "FREQ=DAILY;BYWEEKNO=1;BYMONTH=7",
    "FREQ=DAILY;BYYEARDAY=60",
    "FREQ=DAILY;BYDAY=5MO;BYMONTH=2",
])
def test_rules_that_never_match_are_rejected_quickly(tmp_path, rule):
    # dateutil checks UNTIL only on a match: these scanned every day up to the year 9999 (20 s each)
    ev = _event("never", "19000101T000000Z", f"RRULE:{rule}")  # 1900-01-01 is a Monday
    began = time.perf_counter()
    pf = ics.parse(_calendar(tmp_path, ev), ME, as_of=AS_OF)
    assert time.perf_counter() - began < 5
    assert "RRULE:" in _reasons(pf)[4] and pf.rows.empty


def test_a_series_still_to_come_loads_its_first_meeting(tmp_path):
    ev = _event("planned", "20270104T090000Z", "RRULE:FREQ=WEEKLY;COUNT=10")
    pf = ics.parse(_calendar(tmp_path, ev), ME, as_of=AS_OF)
    assert _times(pf, "planned") == [datetime(2027, 1, 4, 9)]
    assert any("start after 2026-11-30" in n for n in pf.notes)


def test_import_through_the_cli(tmp_path):
    today = date.today()
    weekly = _event("weekly", f"{today - timedelta(weeks=30):%Y%m%d}T090000Z", "RRULE:FREQ=WEEKLY;COUNT=20")
    path = _calendar(tmp_path, weekly, _event("runaway", "19000101T000000Z", "RRULE:FREQ=SECONDLY"),
                     _event("ancient", "00010101", attendee="bo@example.com"),
                     _event("daily", "20000101T090000Z", "RRULE:FREQ=DAILY", attendee="cy@example.com"))
    db = str(tmp_path / "store.duckdb")
    runner = CliRunner()
    res = runner.invoke(main, ["import", str(path), "--db", db])
    assert res.exit_code == 0, res.output
    assert "unexpected error" not in res.output
    res = runner.invoke(main, ["rejects", "--format", "json", "--db", db])
    assert res.exit_code == 0, res.output
    reasons = {r["line"]: r["reason"] for r in json.loads(res.output)}
    assert "repeats every second" in reasons[12]
    assert "outside the accepted range" in reasons[20]
    assert "raise --max-occurrences" in reasons[27]
    res = runner.invoke(main, ["batches", "--format", "json", "--db", db])
    assert res.exit_code == 0, res.output
    [batch] = json.loads(res.output)
    assert (batch["rows_in"], batch["rows_loaded"], batch["rows_rejected"]) == (23, 20, 3)
