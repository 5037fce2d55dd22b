"""Neglected relationships, dormant ties, the ledger and suggested roles."""

from __future__ import annotations

import dataclasses
import json
import math
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import netgraph as ng
from netgraph.analytics import neglect
from netgraph.cli.main import main
from netgraph.identity.lookup import resolve_person
from netgraph.rows import Rows
from netgraph.ties.model import MyHistory

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def _history(rows: list[dict], *, followups=None, intros=None) -> MyHistory:
    """A hand-built history: each row is one of my ties (other, strength, days silent, ...)."""
    as_of = date(2025, 6, 30)
    ties = Rows(("other", "strength", "last_contact", "recency_days"), [
        (r["other"], r["strength"], datetime(2025, 6, 30) - timedelta(days=r["silent"]),
         float(r["silent"])) for r in rows])
    peaks = Rows(("other", "peak_strength", "peak_at"), [
        (r["other"], r.get("peak", r["strength"]), datetime(2025, 1, 1)) for r in rows])
    gaps = Rows(("other", "n_contact_days", "median_gap_days"), [
        (r["other"], r.get("days", 0), r.get("gap")) for r in rows])
    people = Rows(("person_id", "name", "company", "city", "cadence_days", "category"), [
        (r["other"], r["name"], None, None, r.get("cadence"), None) for r in rows])
    followups = Rows(("other", "due_on", "note"), followups or [])
    intros = Rows(("occurred_on", "introducer_id", "a_id", "b_id", "status", "value", "note",
                   "inferred"), intros or [])
    return MyHistory(0, as_of, ties, peaks, gaps, people, followups, intros)


def test_same_silence_shorter_cadence_ranks_first():
    hist = _history([
        {"other": 1, "name": "Weekly", "strength": 0.6, "silent": 60, "cadence": 7},
        {"other": 2, "name": "Yearly", "strength": 0.6, "silent": 60, "cadence": 365},
        {"other": 3, "name": "Monthly", "strength": 0.6, "silent": 60, "cadence": 30},
    ])
    out = neglect.neglected(hist).to_frame()
    assert list(out["name"]) == ["Weekly", "Monthly"]  # the yearly tie is not overdue
    weekly = out.iloc[0]
    assert weekly["days_overdue"] == 53
    assert weekly["priority"] == pytest.approx(0.6 * math.log2(1 + 53 / 7))
    assert weekly["cadence_source"] == "own"
    assert weekly["reason"] == "you asked for every week; silent for 2 months"


def test_same_silence_stronger_tie_ranks_first():
    hist = _history([
        {"other": 1, "name": "Trivial", "strength": 0.05, "silent": 60, "cadence": 30},
        {"other": 2, "name": "Strong", "strength": 0.9, "silent": 60, "cadence": 30},
    ])
    assert list(neglect.neglected(hist).to_frame()["name"]) == ["Strong", "Trivial"]


def test_cadence_comes_from_own_then_rhythm_then_tier():
    hist = _history([
        {"other": 1, "name": "Own", "strength": 0.5, "silent": 100, "cadence": 10, "gap": 50, "days": 9},
        {"other": 2, "name": "Rhythm", "strength": 0.5, "silent": 100, "gap": 21, "days": 3},
        {"other": 3, "name": "Few", "strength": 0.5, "silent": 100, "gap": 5, "days": 2, "peak": 0.97},
        {"other": 4, "name": "Wide", "strength": 0.2, "silent": 400, "peak": 0.3},
    ])
    out = neglect.neglected(hist).to_frame().set_index("name")
    assert out.loc["Own", ["cadence_days", "cadence_source"]].tolist() == [10, "own"]
    assert out.loc["Rhythm", ["cadence_days", "cadence_source"]].tolist() == [21, "rhythm"]
    assert out.loc["Few", ["cadence_days", "cadence_source"]].tolist() == [7, "tier"]  # inner circle
    assert out.loc["Wide", ["cadence_days", "cadence_source"]].tolist() == [365, "tier"]
    assert "an inner circle tie (about every week)" in out.loc["Few", "reason"]


def test_past_due_follow_ups_are_always_listed():
    followups = [(2, date(2025, 6, 1), "Let's do lunch"), (1, date(2025, 9, 1), "not due yet")]
    hist = _history([
        {"other": 1, "name": "Recent", "strength": 0.9, "silent": 2, "cadence": 30},
        {"other": 2, "name": "Promised", "strength": 0.3, "silent": 5, "cadence": 30},
    ], followups=followups)
    out = neglect.neglected(hist).to_frame()
    assert list(out["name"]) == ["Promised"]
    row = out.iloc[0]
    assert row["follow_up"] == "Let's do lunch"
    assert "you promised \u201cLet's do lunch\u201d by 01 Jun" in row["reason"]


def test_a_promise_made_to_me_is_shown_but_is_not_my_debt():
    hist = _history([
        {"other": 1, "name": "Owed", "strength": 0.6, "silent": 40, "cadence": 30},
        {"other": 2, "name": "Owes", "strength": 0.3, "silent": 5, "cadence": 30},
    ])
    base = neglect.neglected(hist).to_frame()
    theirs = Rows(("other", "due_on", "note", "owner", "state"),
                  [(1, date(2025, 6, 1), "Send the terms", "them", "open"),
                   (2, date(2025, 6, 1), "Intro to Sam", "them", "broken")])
    out = neglect.neglected(dataclasses.replace(hist, followups=theirs)).to_frame()
    assert list(out["name"]) == list(base["name"]) == ["Owed"]  # not listed for their promise
    assert out["priority"].tolist() == base["priority"].tolist()  # and no more urgent
    assert out["follow_up"].isna().all()
    assert "they promised \u201cSend the terms\u201d by 01 Jun (not your debt)" in out.iloc[0]["reason"]


def test_ledger_by_value():
    intros = [  # occurred_on, introducer_id, a_id, b_id, status, value, note, inferred
        (date(2025, 1, 1), 0, 1, 5, "made", None, None, False),
        (date(2025, 2, 1), 0, 1, 6, "converted", 5000.0, None, False),
        (date(2025, 3, 1), 0, 7, 1, "declined", None, None, False),
        (date(2025, 3, 1), 2, 0, 8, "made", None, None, None),
    ]
    hist = _history([{"other": 1, "name": "Taker", "strength": 0.5, "silent": 3},
                     {"other": 2, "name": "Giver", "strength": 0.5, "silent": 3}], intros=intros)
    out = neglect.ledger(hist, min_imbalance=1).to_frame().set_index("name")
    assert out.loc["Taker", ["given", "received", "balance", "given_converted"]].tolist() == [2, 0, 2, 1]
    assert out.loc["Taker", "given_value"] == 5000.0
    assert out.loc["Giver", ["given", "received", "balance"]].tolist() == [0, 1, -1]
    assert list(out.index[:1]) == ["Taker"]
    assert len(neglect.ledger(hist, min_imbalance=2)) == 1


# -- on the bundled sample ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_store(sample_db):
    db, planted = sample_db
    store = ng.open_store(db, read_only=True)
    yield store, planted
    store.close()


def test_went_silent_people_top_the_neglected_list(sample_store):
    store, planted = sample_store
    out = ng.neglected(store, as_of=planted["end"])
    silent = {resolve_person(store, p["id"]) for p in planted["went_silent"]}
    assert set(out["person_id"].head(len(silent))) == silent
    regular = {resolve_person(store, p["id"]) for p in planted["regular"]}
    assert not regular & set(out["person_id"].head(10))


def test_dormant_ties_of_the_sample(sample_store):
    store, planted = sample_store
    out = ng.dormant(store, as_of=planted["end"])
    assert {resolve_person(store, i) for i in planted["dormant"]} <= set(out["person_id"])
    assert (out["days_silent"] > 365).all() and (out["peak_strength"] >= 0.8).all()


def test_planted_connectors_are_suggested_as_connectors(sample_store):
    store, planted = sample_store
    before = store.sql("SELECT person_id, category FROM people ORDER BY person_id")
    roles = ng.roles(store, as_of=planted["end"]).set_index("person_id")
    for c in planted["connectors"]:
        assert roles.loc[resolve_person(store, c["id"]), "suggested_role"] == "connector", c["name"]
    after = store.sql("SELECT person_id, category FROM people ORDER BY person_id")
    pd.testing.assert_frame_equal(before, after)  # suggestions never overwrite categories


def test_as_of_makes_the_analysis_reproducible(sample_store):
    store, planted = sample_store
    a = ng.neglected(store, as_of=planted["end"])
    b = ng.neglected(store, as_of=planted["end"])
    pd.testing.assert_frame_equal(a, b)
    earlier = ng.neglected(store, as_of="2025-06-30")
    assert not earlier.equals(a)


def test_cli_neglected_json_and_needs_me(sample_store, tmp_path):
    store, planted = sample_store
    runner = CliRunner()
    res = runner.invoke(main, ["neglected", "--db", str(store.path), "--as-of", planted["end"],
                               "--format", "json", "--top", "3"])
    rows = json.loads(res.output)
    assert len(rows) == 3
    assert set(rows[0]) == set(neglect.COLUMNS)
    assert rows[0]["name"] in {p["name"] for p in planted["went_silent"]}
    empty = tmp_path / "nome.duckdb"
    ng.open_store(empty).close()
    res = runner.invoke(main, ["neglected", "--db", str(empty)])
    assert res.exit_code == 2
    assert "netgraph init --me" in res.output
