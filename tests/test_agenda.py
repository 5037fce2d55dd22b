"""This week's agenda: what it lists, how it balances, and its iCalendar file.

- on the sample: the five people who went silent (as reconnect or follow-up), the planted
  thank-you, the give-first pairs, at most --top items, each person once, the kinds taking turns;
- a thank-you for an introduction made for me, until I contact the introducer;
- an ask only where the first hop is strong and I have given them at least as much as I received;
- promises due in the window count, later ones do not;
- the .ics file reads back with icalendar, every item a to-do, the same UIDs when written again;
- bad input is a one-line error.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from netgraph.analytics.agenda import KINDS, balance
from netgraph.cli.main import main

TODAY = date.today()


def _cli(db: Path, *args: str) -> str:
    res = CliRunner().invoke(main, [*args, "--db", str(db)])
    assert res.exit_code == 0, res.output
    return res.output


def _agenda(db: Path, *args: str) -> list[dict]:
    return json.loads(_cli(db, "agenda", "--format", "json", *args))


def test_on_the_sample_the_agenda_holds_the_silent_people_the_thank_you_and_the_gives(sample_db):
    db, planted = sample_db
    items = _agenda(db, "--as-of", planted["end"], "--top", "12")  # the sample's debts all fit
    assert 0 < len(items) <= 12
    assert set(items[0]) == {"kind", "name", "person_id", "why", "first_step", "context", "due"}
    silent = {p["name"] for p in planted["went_silent"]}
    listed = {i["name"]: i["kind"] for i in items}
    assert silent <= set(listed)
    assert {listed[n] for n in silent} <= {"reconnect", "follow-up"}
    thank = planted["thank_you"]
    assert listed.get(thank["introducer"]["name"]) == "thank"
    assert any(thank["introduced"]["name"] in i["why"] for i in items if i["kind"] == "thank")
    gives = [i["name"] for i in items if i["kind"] == "give"]
    assert gives[:2] == [f"{p['a']['name']} and {p['b']['name']}" for p in planted["give_first"]]
    assert len({i["person_id"] for i in items}) == len(items)  # each person once
    kinds = Counter(i["kind"] for i in items)
    assert max(kinds.values()) <= 5  # no kind fills the list
    assert all(i["context"].startswith("last contact ") for i in items)


def test_the_kinds_take_turns_and_a_person_is_listed_once():
    def item(pid: int) -> dict:
        return {"person_id": pid, "name": f"P{pid}", "why": "w", "first_step": "s", "due": TODAY}

    rows = balance({"follow-up": [item(1), item(2), item(3)], "give": [item(1), item(4)],
                    "reconnect": [item(5), item(6), item(7)], "ask": [item(8)]}, top=7)
    assert [(r[0], r[2]) for r in rows.rows] == [
        ("follow-up", 1), ("give", 4), ("reconnect", 5), ("reconnect", 6), ("ask", 8),
        ("follow-up", 2), ("reconnect", 7)]
    assert KINDS[0] == "follow-up"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    day = lambda n: (TODAY - timedelta(days=n)).isoformat()  # noqa: E731
    (tmp_path / "c.csv").write_text(
        "name,email,category\nAna Me,ana@x.io,\nHal Hop,hal@x.io,\nTia Target,tia@x.io,target\n"
        "Ivy Intro,ivy@x.io,\nOla Other,ola@x.io,\n", encoding="utf-8")
    rows = ["date,from,to,kind"]
    for d in range(2, 40, 3):  # strong: me-Hal, Hal-Tia, me-Ivy (until 20 days ago)
        rows += [f"{day(d)},ana@x.io,hal@x.io,meeting", f"{day(d)},hal@x.io,tia@x.io,meeting"]
        if d > 20:
            rows.append(f"{day(d)},ana@x.io,ivy@x.io,meeting")
    (tmp_path / "i.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "n.csv").write_text(
        "date,introducer,a,b,status\n"
        f"{day(10)},ivy@x.io,ana@x.io,ola@x.io,made\n"       # a thank-you I owe Ivy
        f"{day(200)},ana@x.io,hal@x.io,ola@x.io,made\n",     # I gave Hal one: I may ask him
        encoding="utf-8")
    (tmp_path / "f.csv").write_text(
        f"due,person,note,status\n{day(-3)},ola@x.io,Send the deck,open\n"
        f"{day(-30)},ola@x.io,Plan the offsite,open\n", encoding="utf-8")
    path = tmp_path / "s.duckdb"
    _cli(path, "import", *(str(tmp_path / f) for f in ("c.csv", "i.csv", "n.csv", "f.csv")))
    _cli(path, "init", "--me", "ana@x.io")
    return path


def test_thanks_asks_and_promises_in_the_window(db, tmp_path):
    items = {(i["kind"], i["name"]): i for i in _agenda(db)}
    thank = items[("thank", "Ivy Intro")]
    assert "introduced you to Ola Other" in thank["why"] and "Thank them" in thank["first_step"]
    ask = items[("ask", "Hal Hop")]
    assert "Tia Target" in ask["why"]
    follow = items[("follow-up", "Ola Other")]
    assert "Send the deck" in follow["why"]  # due in 3 days; the offsite (in 30) is not listed
    assert not any("offsite" in i["why"] for i in items.values())
    assert len(_agenda(db, "--days", "31")) == len(items)  # Ola is listed once either way
    (tmp_path / "j.csv").write_text(f"date,from,to,kind\n{TODAY.isoformat()},ana@x.io,ivy@x.io,call\n",
                                    encoding="utf-8")
    _cli(db, "import", str(tmp_path / "j.csv"))
    assert ("thank", "Ivy Intro") not in {(i["kind"], i["name"]) for i in _agenda(db)}


def test_no_ask_of_someone_who_has_given_me_more(db, tmp_path):
    day = (TODAY - timedelta(days=50)).isoformat()
    (tmp_path / "m.csv").write_text(
        "date,introducer,a,b,status\n" + "".join(
            f"{day},hal@x.io,ana@x.io,{p}@x.io,made\n" for p in ("ola", "ivy", "tia")),
        encoding="utf-8")
    _cli(db, "import", str(tmp_path / "m.csv"))
    assert not [i for i in _agenda(db) if i["kind"] == "ask"]


def test_the_ics_agenda_reads_back_with_every_item(db, tmp_path):
    from icalendar import Calendar

    items = _agenda(db)
    out = tmp_path / "agenda.ics"
    _cli(db, "agenda", "--format", "ics", "--out", str(out))
    todos = list(Calendar.from_ical(out.read_bytes()).walk("VTODO"))
    assert [str(t["summary"]) for t in todos] == [f"{i['kind']}: {i['name']}" for i in items]
    assert [t.decoded("due").isoformat() for t in todos] == [i["due"] for i in items]
    assert all(i["first_step"] in str(t["description"]) for t, i in zip(todos, items, strict=True))
    uids = [str(t["uid"]) for t in todos]
    res = CliRunner().invoke(main, ["agenda", "--format", "ics", "--out", str(out), "--db", str(db)])
    assert res.exit_code != 0 and "exists" in res.output  # never replaced without --force
    _cli(db, "agenda", "--format", "ics", "--out", str(out), "--force")
    assert [str(t["uid"]) for t in Calendar.from_ical(out.read_bytes()).walk("VTODO")] == uids


@pytest.mark.parametrize(("args", "says"), [
    (["--days", "0"], "--days must be at least 1"),
    (["--format", "ics"], "--out FILE"),
    (["--out", "x.ics"], "--out goes with --format ics"),
])
def test_bad_agenda_options_are_one_line_errors(db, args, says):
    res = CliRunner().invoke(main, ["agenda", *args, "--db", str(db)])
    assert res.exit_code != 0 and "Traceback" not in res.output
    assert len(res.output.strip().splitlines()) == 1 and says in res.output
