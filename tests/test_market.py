"""What people need and offer, and my target market.

- contacts carry ``needs`` and ``offers`` (CSV columns, or vCard NOTE lines ``needs: ...``); rows
  add to them, a merge joins them and its undo takes back what it brought;
- ``netgraph init --market RULE`` records my market, shown by ``init``; a rule that cannot be
  read is a one-line error that changes nothing;
- ``roles`` calls the people who match a rule targets, and only them;
- an older store gains the two columns when it is opened.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

import netgraph as ng
from netgraph.cli.main import main
from netgraph.identity.merge import merge
from netgraph.identity.unmerge import unmerge
from netgraph.market import MarketRuleError, match, parse_rule

TODAY = date.today()


def _cli(db: Path, *args: str) -> str:
    res = CliRunner().invoke(main, [*args, "--db", str(db)])
    assert res.exit_code == 0, res.output
    return res.output


def _people(db: Path) -> dict[str, tuple]:
    with ng.open_store(db, read_only=True) as store:
        rows = store.con.execute("SELECT name, needs, offers FROM people").fetchall()
    return {name: (needs or [], offers or []) for name, needs, offers in rows}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    (tmp_path / "c.csv").write_text(
        "name,email,title,city,tags,needs,offers\n"
        "Dana Lee,dana@x.io,Founder,Berlin,fintech,seed funding; a CTO,\n"
        "Lee Park,lee@x.io,CTO & co-founder,São Paulo,,,CTO-for-hire; Rust mentoring\n"
        "Sam Roe,sam@x.io,Designer,Lisbon,berlin-fintech,,\n"
        "Ana Me,ana@x.io,Consultant,Berlin,,,\n", encoding="utf-8")
    day = (TODAY - timedelta(days=3)).isoformat()
    (tmp_path / "i.csv").write_text(
        "date,from,to,kind\n" + "".join(f"{day},ana@x.io,{p}@x.io,meeting\n"
                                        for p in ("dana", "lee", "sam")), encoding="utf-8")
    path = tmp_path / "s.duckdb"
    _cli(path, "import", str(tmp_path / "c.csv"), str(tmp_path / "i.csv"))
    _cli(path, "init", "--me", "ana@x.io")
    return path


def test_needs_and_offers_come_from_csv_columns_and_vcard_notes(db, tmp_path):
    got = _people(db)
    assert got["Dana Lee"] == (["seed funding", "a CTO"], [])
    assert got["Lee Park"] == ([], ["CTO-for-hire", "Rust mentoring"])
    (tmp_path / "more.vcf").write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dana Lee\r\nEMAIL:dana@x.io\r\n"
        "NOTE:met at a meetup\\nNeeds: A CTO; a lawyer\\noffers: intros to angels\r\nEND:VCARD\r\n",
        encoding="utf-8")
    _cli(db, "import", str(tmp_path / "more.vcf"))
    # added to, never replaced; "A CTO" is "a CTO" (case-blind, as tags)
    assert _people(db)["Dana Lee"] == (["seed funding", "a CTO", "a lawyer"], ["intros to angels"])


def test_a_merge_joins_needs_and_offers_and_its_undo_takes_them_back(db):
    with ng.open_store(db) as store:
        dana, lee = (ng.resolve_person(store, e) for e in ("dana@x.io", "lee@x.io"))
        merge(store, dana, lee)
        assert _needs_offers(store, dana) == (["seed funding", "a CTO"], ["CTO-for-hire", "Rust mentoring"])
        unmerge(store, int(store.scalar("SELECT max(merge_id) FROM merges")))
        assert _needs_offers(store, dana) == (["seed funding", "a CTO"], [])
        assert _needs_offers(store, lee) == ([], ["CTO-for-hire", "Rust mentoring"])


def _needs_offers(store: ng.Store, pid: int) -> tuple[list, list]:
    needs, offers = store.con.execute("SELECT needs, offers FROM people WHERE person_id = ?",
                                      [pid]).fetchone()
    return needs or [], offers or []


@pytest.mark.parametrize(("text", "fix"), [
    ("CTO", "title:CTO"), ("sector:fintech", "title:fintech"), ("tag:", "such as tag:Berlin")])
def test_a_market_rule_that_cannot_be_read_is_a_one_line_error(db, text, fix):
    res = CliRunner().invoke(main, ["init", "--market", text, "--db", str(db)])
    assert res.exit_code != 0
    assert "Traceback" not in res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and text.strip() in lines[0] and fix in lines[0]
    with ng.open_store(db, read_only=True) as store:
        assert store.get_setting("market") is None  # nothing changed


def test_rules_match_case_and_accent_blind_by_words():
    sao, fintech, cto = (parse_rule(r) for r in ("city:sao paulo", "industry:Fintech", "title:cto"))
    assert match({"city": "São Paulo"}, [sao]) == sao
    assert match({"tags": ["berlin-fintech"]}, [fintech]) == fintech
    assert match({"company": "Fintech Partners"}, [fintech]) == fintech
    assert match({"title": "CTO & co-founder"}, [cto]) == cto
    assert match({"title": "Director"}, [cto]) is None  # "cto" inside a word is not the word
    with pytest.raises(MarketRuleError):
        parse_rule("industry")


def test_init_records_and_shows_the_market_and_clears_it(db):
    assert "Market: (none" in _cli(db, "init")
    _cli(db, "init", "--market", "title:CTO", "--market", "city:São Paulo", "--market", "Title: cto")
    assert "Market: title:CTO; city:São Paulo" in _cli(db, "init")  # the same rule is kept once
    _cli(db, "init", "--market-clear", "--market", "tag:fintech")
    assert "Market: tag:fintech" in _cli(db, "init")
    _cli(db, "init", "--market-clear")
    assert "Market: (none" in _cli(db, "init")


def _roles(db: Path) -> dict[str, dict]:
    rows = json.loads(_cli(db, "roles", "--format", "json"))
    return {r["name"]: r for r in rows}


def test_a_market_rule_makes_the_people_it_matches_targets_and_only_them(db):
    before = _roles(db)
    assert before["Lee Park"]["suggested_role"] != "target"
    _cli(db, "init", "--market", "title:CTO")
    after = _roles(db)
    assert after["Lee Park"]["suggested_role"] == "target"
    assert "in your market (title:CTO)" in after["Lee Park"]["reason"]
    assert {n for n, r in after.items() if r["suggested_role"] == "target"} == {"Lee Park"}
    assert all(r["reason"] for r in [*before.values(), *after.values()])  # each role with its reason
    _cli(db, "init", "--market", "industry:fintech")  # a tag, and a word inside one
    targets = {n for n, r in _roles(db).items() if r["suggested_role"] == "target"}
    assert targets == {"Lee Park", "Dana Lee", "Sam Roe"}
    assert next(iter(_roles(db).values()))["suggested_role"] == "target"  # targets come first


def test_an_older_store_gains_needs_and_offers_when_opened(tmp_path):
    path = tmp_path / "old.duckdb"
    with ng.open_store(path) as store:
        store.con.execute("ALTER TABLE people DROP COLUMN needs")
        store.con.execute("ALTER TABLE people DROP COLUMN offers")
        store.con.execute("UPDATE netgraph_meta SET value = '3' WHERE key = 'schema_version'")
    with ng.open_store(path) as store:
        cols = {r[0] for r in store.con.execute("DESCRIBE people").fetchall()}
        assert {"needs", "offers"} <= cols
        assert store.get_setting("market") is None
