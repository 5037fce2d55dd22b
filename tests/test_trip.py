"""Who to see while I am in a city: ``netgraph trip CITY``.

- on a small store: a strong, overdue tie ranks first; a person with no city is placed by their
  company's; other names of a city (NYC, münchen) find it; an introduction is offered through
  someone I know at the floor, and not through someone I know less well; the dates are checked;
  the JSON keys are exactly those documented;
- on the bundled sample: the city its people use most has people to see;
- a law over random networks: the ``see`` rows are exactly my contacts in the city, each once,
  best first, before every ``ask-intro`` row.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from netgraph.analytics.trip import INTRO_FLOOR, city_key, plan_trip
from netgraph.cli.main import main
from netgraph.normalise import normalise_name
from netgraph.rows import Rows
from netgraph.ties.model import MyHistory

TODAY = date.today()
KEYS = ["name", "person_id", "kind", "score", "reason"]


def _invoke(db: Path, *args: str):
    return CliRunner().invoke(main, [*args, "--db", str(db)])


def _cli(db: Path, *args: str) -> str:
    res = _invoke(db, *args)
    assert res.exit_code == 0, res.output
    return res.output


def _trip(db: Path, *args: str) -> list[dict]:
    res = _invoke(db, "trip", *args, "--format", "json")
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)  # a note on an empty answer goes to stderr


def _day(days_ago: int) -> str:
    return (TODAY - timedelta(days=days_ago)).isoformat()


def _network(tmp_path: Path, *, dana_close: bool = True, me: bool = True) -> Path:
    """A small network around Ana, who lives in Berlin.

    In New York: Olga (weekly for a year, silent for 100 days, a promise open), Rita (every few
    weeks, last seen two days ago), Carl (no city; two of the three at his company Globex are in
    New York) and Tom (a target Ana does not know; Dana knows him well). Mia is in Munich.
    """
    (tmp_path / "c.csv").write_text(
        "name,email,company,city,category\n"
        "Ana Me,ana@x.io,Solo,Berlin,\n"
        "Olga Over,olga@x.io,Initech,New York,\n"
        "Rita Recent,rita@x.io,Hooli,new york city,\n"
        "Carl Blank,carl@globex.com,Globex,,\n"
        "Gina Globex,gina@globex.com,Globex,New York,\n"
        "Gus Globex,gus@globex.com,GLOBEX,\"New York, NY\",\n"
        "Gail Globex,gail@globex.com,Globex,Boston,\n"
        "Mia Munich,mia@x.io,Bayern AG,Munich,\n"
        "Dana Lee,dana@x.io,Solo,Berlin,\n"
        "Tom Target,tom@x.io,Umbrella,New York,target\n", encoding="utf-8")
    rows = ["date,from,to,kind"]
    rows += [f"{_day(100 + 7 * k)},ana@x.io,olga@x.io,meeting" for k in range(52)]
    rows += [f"{_day(2 + 20 * k)},ana@x.io,rita@x.io,meeting" for k in range(4)]
    rows += [f"{_day(30 + 30 * k)},ana@x.io,carl@globex.com,call" for k in range(3)]
    rows += [f"{_day(10 + 30 * k)},ana@x.io,mia@x.io,call" for k in range(3)]
    rows += [f"{_day(3 + 7 * k)},dana@x.io,tom@x.io,meeting" for k in range(20)]
    if dana_close:
        rows += [f"{_day(5 + 10 * k)},ana@x.io,dana@x.io,meeting" for k in range(12)]
    else:
        rows.append(f"{_day(700)},ana@x.io,dana@x.io,email")
    (tmp_path / "i.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "f.csv").write_text(f"due,person,note,status\n{_day(20)},olga@x.io,Send the deck,open\n",
                                    encoding="utf-8")
    db = tmp_path / "s.duckdb"
    _cli(db, "import", str(tmp_path / "c.csv"))
    if me:
        _cli(db, "init", "--me", "ana@x.io")
    _cli(db, "import", str(tmp_path / "i.csv"), str(tmp_path / "f.csv"))
    return db


@pytest.fixture
def network(tmp_path: Path) -> Path:
    return _network(tmp_path)


def test_a_strong_overdue_tie_ranks_first_and_says_why(network):
    rows = _trip(network, "New York")
    see = [r for r in rows if r["kind"] == "see"]
    assert see[0]["name"] == "Olga Over"
    reason = see[0]["reason"]
    assert reason.startswith("strong tie at its peak (")
    assert "days overdue against a 7-day rhythm" in reason
    assert "1 open promise (\u201cSend the deck\u201d" in reason
    assert {r["name"] for r in see} == {"Olga Over", "Rita Recent", "Carl Blank"}
    assert "Rita Recent" in {r["name"] for r in see[1:]}


def test_a_person_without_a_city_is_placed_by_their_company(network):
    carl = next(r for r in _trip(network, "new york") if r["name"] == "Carl Blank")
    assert carl["kind"] == "see"
    assert "no city recorded; most people at Globex are in New York" in carl["reason"]
    assert "Carl Blank" not in {r["name"] for r in _trip(network, "Boston")}


def test_other_names_and_accents_find_the_city(network):
    assert {r["name"] for r in _trip(network, "NYC") if r["kind"] == "see"} == \
        {"Olga Over", "Rita Recent", "Carl Blank"}
    assert [r["name"] for r in _trip(network, "münchen")] == ["Mia Munich"]
    assert [r["name"] for r in _trip(network, "MUENCHEN")] == ["Mia Munich"]
    assert city_key("Zürich") == city_key("zurich") and city_key("São Paulo") == city_key("Sao Paulo")
    assert city_key("Washington, DC") == city_key("DC") == "washington"
    assert city_key("SF") == city_key("San Francisco Bay Area") == "san francisco"
    assert city_key("Wien") == "vienna" and city_key("Köln") == "cologne" and city_key("LA") == "los angeles"


def test_an_introduction_names_the_introducer(network):
    rows = _trip(network, "New York")
    asks = [r for r in rows if r["kind"] == "ask-intro"]
    assert [r["name"] for r in asks] == ["Tom Target"]
    assert "ask Dana Lee (your tie " in asks[0]["reason"] and "to introduce you" in asks[0]["reason"]
    assert rows[-1]["kind"] == "ask-intro"  # after every see row
    assert 0 < asks[0]["score"] <= 1


def test_no_introduction_through_someone_i_know_below_the_floor(tmp_path):
    db = _network(tmp_path, dana_close=False)
    rows = _trip(db, "New York")
    assert [r for r in rows if r["kind"] == "ask-intro"] == []
    assert "Olga Over" in {r["name"] for r in rows}


def test_from_after_to_is_a_one_line_error(network):
    res = _invoke(network, "trip", "New York", "--from", "2026-12-05", "--to", "2026-12-01")
    assert res.exit_code == 2
    lines = res.output.strip().splitlines()
    assert len(lines) == 1
    assert "2026-12-05" in lines[0] and "2026-12-01" in lines[0] and "--from on or before --to" in lines[0]


def test_a_trip_later_finds_ties_more_overdue(network):
    now = next(r for r in _trip(network, "New York", "--from", TODAY.isoformat(),  # not the clock's:
                                "--to", (TODAY + timedelta(days=3)).isoformat())  # a run may pass midnight
               if r["name"] == "Olga Over")
    later = next(r for r in _trip(network, "New York", "--from", (TODAY + timedelta(days=30)).isoformat(),
                                  "--to", (TODAY + timedelta(days=33)).isoformat())
                 if r["name"] == "Olga Over")
    days = [int(r["reason"].split(" days overdue")[0].rsplit(" ", 1)[-1]) for r in (now, later)]
    assert days[1] == days[0] + 30


def test_json_has_exactly_the_documented_keys(network):
    rows = _trip(network, "New York")
    assert rows and all(list(r) == KEYS for r in rows)


def test_an_unknown_city_says_where_people_are(network):
    out = _cli(network, "trip", "Lisbon")
    assert "No one in your network is in Lisbon (by their city or their company's)." in out
    assert "Known cities include: New York, Berlin, Boston, Munich." in out
    assert _trip(network, "Lisbon") == []
    assert "No one you know is in Boston" in _cli(network, "trip", "Boston")


def test_trip_needs_to_know_who_i_am(tmp_path):
    db = _network(tmp_path, me=False)
    res = _invoke(db, "trip", "New York")
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "netgraph init --me" in res.output


def test_on_the_sample_the_most_common_city_has_people_to_see(sample_db):
    db, planted = sample_db
    with (Path(__file__).resolve().parents[1] / "data" / "sample" / "contacts.csv").open() as f:
        city = Counter(r["city"] for r in csv.DictReader(f) if r["city"]).most_common(1)[0][0]
    rows = _trip(db, city, "--as-of", planted["end"])
    see = [r for r in rows if r["kind"] == "see"]
    assert see
    assert [r["score"] for r in see] == sorted((r["score"] for r in see), reverse=True)


# -- a law over random networks -----------------------------------------------------------------

CITIES = ["New York", "NYC", "new york, NY", "Berlin", "München", "Munich", "", None]
COMPANIES = ["Acme", "acme", "Globex", None]
QUERIES = ["NYC", "new york", "Berlin", "munich", "Lisbon"]


@st.composite
def networks(draw: st.DrawFn):
    n = draw(st.integers(1, 9))
    people = [{"person_id": p, "name": f"P{p}", "city": draw(st.sampled_from(CITIES)),
               "company": draw(st.sampled_from(COMPANIES)), "cadence_days": None, "category": None}
              for p in range(n + 1)]  # 0 is me
    mine = draw(st.lists(st.sampled_from(range(1, n + 1)), unique=True))
    strength = st.floats(0.01, 1.0)
    ties = Rows(("other", "strength", "last_contact", "recency_days"),
                [(p, draw(strength), None, draw(st.none() | st.floats(0, 800))) for p in mine])
    peaks = Rows(("other", "peak_strength", "peak_at"),
                 [(p, draw(strength), None) for p in mine if draw(st.booleans())])
    gaps = Rows(("other", "n_contact_days", "median_gap_days"),
                [(p, draw(st.integers(1, 30)), draw(st.floats(1, 200))) for p in mine
                 if draw(st.booleans())])
    followups = Rows(("other", "due_on", "note"),
                     [(draw(st.sampled_from(range(1, n + 1))), TODAY, "call")
                      for _ in range(draw(st.integers(0, 3)))])
    hist = MyHistory(0, TODAY, ties, peaks, gaps, Rows(("person_id",), []), followups,
                     Rows(("occurred_on", "introducer_id", "a_id", "b_id"), []))
    connectors = {p: draw(st.floats(0, 1)) for p in mine if draw(st.booleans())}
    targets = {p: "a target" for p in range(1, n + 1) if p not in mine and draw(st.booleans())}
    theirs = [(a, b, draw(strength)) for a in mine for b in targets if draw(st.booleans())]
    return people, hist, connectors, targets, theirs, draw(st.sampled_from(QUERIES))


def _where(people: list[dict]) -> dict[int, str]:
    """Each person's city key: their own, else the most common among their company (ties: first)."""
    by_company: dict[str, Counter] = {}
    for p in people:
        if city_key(p["city"]) and p["company"]:
            by_company.setdefault(normalise_name(p["company"]), Counter())[city_key(p["city"])] += 1
    out = {}
    for p in people:
        counts = by_company.get(normalise_name(p["company"] or ""), Counter())
        best = sorted(counts, key=lambda k: (-counts[k], k))
        out[p["person_id"]] = city_key(p["city"]) or (best[0] if best else "")
    return out


@settings(max_examples=200, deadline=None)
@given(networks())
def test_see_rows_are_exactly_my_contacts_in_the_city_best_first(net):
    people, hist, connectors, targets, theirs, query = net
    rows = plan_trip(query, hist, people, connectors=connectors, targets=targets,
                     their_ties=theirs).records()
    where = _where(people)
    expected = {p for p in hist.ties.column("other") if where[p] == city_key(query)}
    see = [r for r in rows if r["kind"] == "see"]
    assert sorted(r["person_id"] for r in see) == sorted(expected)  # each once
    assert [r["score"] for r in see] == sorted((r["score"] for r in see), reverse=True)
    assert rows[:len(see)] == see  # see rows first
    asks = rows[len(see):]
    assert all(r["kind"] == "ask-intro" for r in asks)
    assert len({r["person_id"] for r in asks}) == len(asks)
    for r in asks:
        assert r["person_id"] in targets and where[r["person_id"]] == city_key(query)
        mine = dict(zip(hist.ties.column("other"), hist.ties.column("strength"), strict=True))
        best = max((mine[a] * s for a, b, s in theirs if b == r["person_id"]
                    and mine[a] >= INTRO_FLOOR and s >= INTRO_FLOOR), default=None)
        assert best is not None and r["score"] == round(best, 4)
    assert all(list(r) == KEYS for r in rows)


def test_on_the_sample_the_planted_city_lists_overdue_strong_ties_first(sample_db):
    db, planted = sample_db
    trip = planted["trip"]
    rows = _trip(db, trip["city"], "--from", planted["end"], "--as-of", planted["end"])
    see = [r for r in rows if r["kind"] == "see"]
    first = see[:5]  # the best meetings: strong at their peak, and overdue against their rhythm
    assert all("overdue against" in r["reason"] and "at its peak" in r["reason"]
               and not r["reason"].startswith("weak") for r in first)
    names = [r["name"] for r in see]
    for person in trip["overdue"]:  # my two planted overdue regular contacts live there
        row = next(r for r in see if r["name"] == person["name"])
        assert "overdue against" in row["reason"] and names.index(person["name"]) < len(see) // 2
    ask = [r for r in rows if r["kind"] == "ask-intro"]
    target = trip["ask_intro"]
    assert any(r["name"] == target["name"] and target["via"]["name"] in r["reason"] for r in ask)
    assert rows.index(ask[0]) == len(see)  # the asks come after everyone to see
