"""After an event: ``netgraph triage`` records who I met, sorts them, and plans the follow-ups.

- targets (my market) first, then connectors, then general contacts; a target's follow-up is due
  in 2 days, a connector's in 7, a general contact's only where my notes hold a promise;
- people already known are matched by the usual identity rules and say so;
- a second run changes nothing (rows in = stored + skipped), and answers the same;
- an event file with no ``name`` column is a one-line error that names the fix;
- the event's .ics and a vCard work too;
- on the sample: the planted market target comes first.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

import netgraph as ng
from netgraph.cli.main import main

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def _cli(db: Path, *args: str, code: int = 0) -> str:
    res = CliRunner().invoke(main, [*args, "--db", str(db)])
    assert res.exit_code == code, res.output
    return res.output


def _json(db: Path, *args: str) -> list[dict]:
    return json.loads(_cli(db, *args, "--format", "json"))


def _store(tmp_path: Path) -> Path:
    """Me; Dana, whom I know; Kai, who made two introductions (a connector)."""
    db = tmp_path / "s.duckdb"
    (tmp_path / "c.csv").write_text(
        "name,email,company,title\nMe Myself,me@x.io,Acme,CEO\nDana Lee,dana@x.io,Beta,CTO\n"
        "Kai Berg,kai@k.io,Kappa,Partner\nA One,a1@x.io,,\nB Two,b2@x.io,,\nC Three,c3@x.io,,\n"
        "D Four,d4@x.io,,\n", encoding="utf-8")
    (tmp_path / "n.csv").write_text(
        "date,introducer,a,b,status\n2026-01-05,kai@k.io,a1@x.io,b2@x.io,made\n"
        "2026-02-05,kai@k.io,c3@x.io,d4@x.io,made\n", encoding="utf-8")
    _cli(db, "import", str(tmp_path / "c.csv"), str(tmp_path / "n.csv"))
    _cli(db, "init", "--me", "me@x.io", "--market", "title:Chief Partnerships Officer")
    return db


EVENT = """\
name,email,company,title,notes
Dana Lee,dana@x.io,Beta,CTO,good to see her again
Priya Nair,priya@z.io,Zeta,Chief Partnerships Officer,wants the deck
Kai Berg,kai@k.io,Kappa,Partner,knows everyone
Lee Park,lee@q.io,Q,Analyst,I'll send Lee the report by Friday.
Tom Hardy,,Omega,Engineer,
"""


def test_targets_first_and_exactly_the_follow_ups_the_rules_ask_for(tmp_path: Path) -> None:
    db = _store(tmp_path)
    (tmp_path / "event.csv").write_text(EVENT, encoding="utf-8")
    rows = _json(db, "triage", str(tmp_path / "event.csv"), "--event", "Demo Day",
                 "--date", "2026-03-04")
    assert list(rows[0]) == ["name", "person_id", "role", "due", "action", "reason"]
    got = [(r["name"], r["role"], r["due"]) for r in rows]
    assert got == [("Priya Nair", "target", "2026-03-06"), ("Kai Berg", "connector", "2026-03-11"),
                   ("Lee Park", "general", "2026-03-06"),  # the Friday after a Wednesday
                   ("Dana Lee", "general", None), ("Tom Hardy", "general", None)]
    reasons = {r["name"]: r["reason"] for r in rows}
    assert "already known (matched by email)" in reasons["Dana Lee"]
    assert "new to your network" in reasons["Priya Nair"]
    assert "in your market (title:Chief Partnerships Officer)" in reasons["Priya Nair"]
    # each person met me at the event; the follow-ups are exactly those with a due day
    with ng.open_store(db, read_only=True) as store:
        met = store.con.execute("SELECT count(*) FROM interactions WHERE kind = 'event' AND "
                                "note = 'met at Demo Day'").fetchone()[0]
    assert met == 5
    made = _json(db, "followups", "--as-of", "2026-03-04")
    assert sorted((r["name"], r["due_on"], r["source"]) for r in made) == [
        ("Kai Berg", "2026-03-11", "triage"), ("Lee Park", "2026-03-06", "triage"),
        ("Priya Nair", "2026-03-06", "triage")]


def test_a_second_run_changes_nothing(tmp_path: Path) -> None:
    db = _store(tmp_path)
    (tmp_path / "event.csv").write_text(EVENT, encoding="utf-8")
    args = ("triage", str(tmp_path / "event.csv"), "--event", "Demo Day", "--date", "2026-03-04")
    first = _json(db, *args)
    with ng.open_store(db, read_only=True) as store:
        before = store.counts()
    assert _json(db, *args) == first
    with ng.open_store(db, read_only=True) as store:
        assert store.counts() == before
        batches = store.sql("SELECT rows_in, rows_loaded, rows_duplicate, rows_rejected "
                            "FROM import_batches WHERE file LIKE '%event.csv'")
    assert (batches["rows_in"] == batches["rows_loaded"] + batches["rows_duplicate"]
            + batches["rows_rejected"]).all()


def test_an_event_file_without_names_is_a_one_line_error(tmp_path: Path) -> None:
    db = _store(tmp_path)
    (tmp_path / "bad.csv").write_text("email,company\npriya@z.io,Zeta\n", encoding="utf-8")
    out = _cli(db, "triage", str(tmp_path / "bad.csv"), "--event", "X", code=2)
    assert len(out.strip().splitlines()) == 1
    assert "bad.csv" in out and "needs a 'name' column" in out and "header line" in out


def test_the_event_s_calendar_and_a_vcard_list_the_people_met(tmp_path: Path) -> None:
    db = _store(tmp_path)
    (tmp_path / "event.ics").write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//EN\nBEGIN:VEVENT\nUID:e@t\n"
        "DTSTART:20260304T080000Z\nDTEND:20260304T100000Z\nSUMMARY:Demo Day\n"
        "ORGANIZER;CN=Me Myself:mailto:me@x.io\nATTENDEE;CN=Priya Nair:mailto:priya@z.io\n"
        "ATTENDEE;CN=Dana Lee:mailto:dana@x.io\nATTENDEE;CN=Me Myself:mailto:me@x.io\n"
        "END:VEVENT\nEND:VCALENDAR\n", encoding="utf-8")
    _cli(db, "init", "--me", "me@x.io", "--email", "me@x.io")
    rows = _json(db, "triage", str(tmp_path / "event.ics"), "--event", "Demo Day",
                 "--date", "2026-03-04")
    assert sorted(r["name"] for r in rows) == ["Dana Lee", "Priya Nair"]  # not me
    (tmp_path / "cards.vcf").write_text(
        "BEGIN:VCARD\nVERSION:3.0\nFN:Lina Ortiz\nEMAIL:lina@o.io\nTITLE:Chief Partnerships "
        "Officer\nEND:VCARD\n", encoding="utf-8")
    rows = _json(db, "triage", str(tmp_path / "cards.vcf"), "--event", "Meetup",
                 "--date", "2026-03-05")
    assert [(r["name"], r["role"], r["due"]) for r in rows] == [("Lina Ortiz", "target", "2026-03-07")]


def test_on_the_sample_the_planted_target_comes_first(tmp_path: Path) -> None:
    planted = json.loads((SAMPLE / "planted.json").read_text(encoding="utf-8"))
    db = tmp_path / "s.duckdb"
    _cli(db, "import", *(str(SAMPLE / f"{k}.csv") for k in ("contacts", "interactions",
                                                            "introductions", "followups")))
    _cli(db, "init", "--me", planted["me"]["id"], "--market", planted["market"]["rule"])
    event = planted["event"]
    rows = _json(db, "triage", str(SAMPLE / "event.csv"), "--event", event["name"],
                 "--date", event["date"])
    assert rows[0]["name"] == event["target"]["name"] and rows[0]["role"] == "target"
    assert {r["name"] for r in rows if r["role"] == "general" and r["due"] is None} >= {event["new"]}
    new = next(r for r in rows if r["name"] == event["new"])
    assert "new to your network" in new["reason"]
