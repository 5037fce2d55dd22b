"""A brief before reaching out: what it says, and what it never claims.

- about someone I have never contacted, it says so, and its opener claims no shared history;
- about a contact, it lists our last five interactions (latest first), the open promises, the
  introductions both ways, the mutual contacts (those NetworkX finds as common neighbours,
  strongest first), what we share, and an opener citing our last contact;
- an unknown person is a one-line error with close names; JSON is one object per section.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import netgraph as ng
from netgraph.analytics.brief import SECTIONS
from netgraph.cli.main import main

TODAY = date.today()
HISTORY_CLAIMS = ("spoke", "good to have", "again", "last time", "since our", "following up")


def _cli(db: Path, *args: str) -> str:
    res = CliRunner().invoke(main, [*args, "--db", str(db)])
    assert res.exit_code == 0, res.output
    return res.output


def _brief(db: Path, person: str, *more: str) -> dict[str, dict]:
    rows = json.loads(_cli(db, "brief", person, "--format", "json", *more))
    assert [r["section"] for r in rows] == list(SECTIONS)  # one object per section, in order
    return {r["section"]: r for r in rows}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    (tmp_path / "c.csv").write_text(
        "name,email,title,company,city,tags,needs,offers\n"
        "Ana Me,ana@x.io,Advisor,Me Co,Berlin,fintech,,fundraising advice\n"
        "Dana Lee,dana@x.io,Founder,Acme,Berlin,fintech;founders,fundraising advice,\n"
        "Sam Roe,sam@x.io,Engineer,Beta,Lisbon,,,\n"
        "Kim New,kim@x.io,CFO,Gamma,Berlin,,,\n", encoding="utf-8")
    rows = ["date,from,to,kind,note"]
    for d in range(1, 9):
        rows.append(f"{(TODAY - timedelta(days=d * 7)).isoformat()},ana@x.io,dana@x.io,"
                    f"{'meeting' if d % 2 else 'call'},visit {d}")
        rows.append(f"{(TODAY - timedelta(days=d * 7 + 1)).isoformat()},sam@x.io,dana@x.io;ana@x.io,"
                    "meeting,")
    (tmp_path / "i.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "n.csv").write_text(
        "date,introducer,a,b,status\n"
        f"{(TODAY - timedelta(days=30)).isoformat()},ana@x.io,dana@x.io,sam@x.io,made\n"
        f"{(TODAY - timedelta(days=20)).isoformat()},dana@x.io,ana@x.io,kim@x.io,requested\n",
        encoding="utf-8")
    (tmp_path / "f.csv").write_text(f"due,person,note,status\n{TODAY.isoformat()},dana@x.io,"
                                    "Send the deck,open\n", encoding="utf-8")
    path = tmp_path / "s.duckdb"
    _cli(path, "import", *(str(tmp_path / f) for f in ("c.csv", "i.csv", "n.csv", "f.csv")))
    _cli(path, "init", "--me", "ana@x.io")
    return path


def test_a_brief_about_a_contact(db):
    b = _brief(db, "Dana Lee")
    assert b["relationship"]["summary"].startswith("Tie strength")
    assert any(d.startswith("recency:") for d in b["relationship"]["details"])
    recent = b["recent interactions"]["details"]
    assert len(recent) == 5 and b["recent interactions"]["summary"].startswith("16 in all")
    days = [d.split()[0] for d in recent]
    assert days == sorted(days, reverse=True) and days[0] == (TODAY - timedelta(days=7)).isoformat()
    assert b["open promises"]["details"] == [f"you promised, due {TODAY.isoformat()}: Send the deck"]
    assert b["introductions"]["summary"] == "1 given, 1 received."
    assert any("you introduced Dana Lee to Sam Roe (made)" in d for d in b["introductions"]["details"])
    assert any("Dana Lee introduced you to Kim New (requested)" in d
               for d in b["introductions"]["details"])
    assert [d.split(" (")[0] for d in b["mutual contacts"]["details"]] == ["Sam Roe"]
    assert set(b["shared"]["details"]) == {"city: Berlin", "tag: fintech",
                                           "they need fundraising advice; you offer fundraising advice"}
    opener = b["opener"]["summary"]
    assert (TODAY - timedelta(days=7)).isoformat() in opener and "visit 1" in opener
    assert "Send the deck" in opener and "fundraising advice" in opener


def test_a_brief_about_someone_never_contacted_claims_no_history(db):
    b = _brief(db, "Kim New")
    assert b["relationship"]["summary"] == "You have never been in contact with Kim New."
    assert b["recent interactions"]["details"] == []
    opener = b["opener"]["summary"]
    assert opener.startswith("Hi Kim, I'm Ana Me")
    assert not any(claim in opener.lower() for claim in HISTORY_CLAIMS)
    # what we do share, as facts: a mutual contact (Dana introduced us), else the city
    mutual = [d.rsplit(" (", 1)[0] for d in b["mutual contacts"]["details"]]
    assert (f"We both know {mutual[0]}." in opener) if mutual else ("We are both in Berlin." in opener)


def test_an_unknown_person_is_a_one_line_error_with_close_names(db):
    res = CliRunner().invoke(main, ["brief", "Dana Leee", "--db", str(db)])
    assert res.exit_code != 0 and "Traceback" not in res.output
    assert len(res.output.strip().splitlines()) == 1 and "Did you mean 'Dana Lee'?" in res.output
    res = CliRunner().invoke(main, ["brief", "ana@x.io", "--db", str(db)])
    assert res.exit_code != 0 and "someone else" in res.output


def test_mutual_contacts_are_networkx_common_neighbours_strongest_first(sample_db):
    db, planted = sample_db
    person = planted["went_silent"][0]["name"]
    b = _brief(db, person, "--as-of", planted["end"])
    with ng.open_store(db, read_only=True) as store:
        G = ng.load_graph(store, as_of=planted["end"])
        me, them = store.me_id, ng.resolve_person(store, person)
    common = set(nx.common_neighbors(G, me, them))
    assert b["mutual contacts"]["summary"].startswith(f"{len(common)} in all")
    expected = sorted(common, key=lambda p: (-(G[me][p]["strength"] * G[them][p]["strength"]) ** 0.5, p))
    assert [d.rsplit(" (", 1)[0] for d in b["mutual contacts"]["details"]] == \
        [G.nodes[p]["name"] for p in expected[:5]]


def test_a_brief_as_csv_and_its_first_sections(db):
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(_cli(db, "brief", "Dana Lee", "--format", "csv"))))
    assert [r["section"] for r in rows] == list(SECTIONS)
    assert "city: Berlin; tag: fintech" in rows[SECTIONS.index("shared")]["details"]
    top = json.loads(_cli(db, "brief", "Dana Lee", "--format", "json", "--top", "2"))
    assert [r["section"] for r in top] == list(SECTIONS[:2])
