from datetime import datetime
from pathlib import Path

from netgraph.sources import ics

DATA = Path(__file__).parent / "data" / "formats" / "ics"
ME = {"me@example.com"}


def _meetings(pf):
    return [(r.line, r.occurred_at.to_pydatetime(), None if r.from_ref != r.from_ref else r.from_ref,
             r.note, sorted(pf.parts.loc[pf.parts["row"] == i, "ref"]))
            for i, r in zip(pf.rows.index, pf.rows.itertuples(), strict=True)]


def test_ics_meetings_by_value():
    pf = ics.parse(DATA / "calendar.ics", ME)
    assert _meetings(pf) == [
        (4, datetime(2025, 3, 10, 14), None, "Coffee with Ana",
         ["ana.lima@example.com", "carla@example.org"]),
        (23, datetime(2025, 1, 1, 8), "dev@partner.io", "Weekly sync", ["me@example.com"]),
        (23, datetime(2025, 1, 8, 8), "dev@partner.io", "Weekly sync", ["me@example.com"]),
        (23, datetime(2025, 1, 22, 8), "dev@partner.io", "Weekly sync", ["me@example.com"]),
    ]
    assert set(pf.rows["kind"]) == {"meeting"}
    assert "Carla Diaz, PhD" in set(pf.parts["name"])
    assert "alarm-only@example.com" not in set(pf.parts["ref"])
    assert list(pf.rejects["line"]) == [56]
    assert "skipped 1 event(s) with more than 10 people" in pf.notes
    assert pf.rows_in == 5


def test_ics_options():
    pf = ics.parse(DATA / "calendar.ics", ME, max_attendees=20, max_occurrences=2)
    assert len(pf.rows) == 2  # Coffee, All hands; the weekly sync (3 occurrences) is rejected
    assert list(pf.rejects["line"]) == [23, 56]
    assert "more than 2 occurrences" in pf.rejects["reason"][0]
    assert pf.rows_in == 4
    assert ics.looks_like(b"BEGIN:VCALENDAR\r\n")
