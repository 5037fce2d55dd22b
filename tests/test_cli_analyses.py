"""The analysis commands on the bundled sample: JSON keys, the listing conventions, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from netgraph.cli.main import main

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def _json(db, *args):
    res = CliRunner().invoke(main, [*args, "--db", str(db), "--format", "json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert isinstance(rows, list)
    assert all(k == k.lower() and " " not in k for r in rows for k in r)
    return rows


@pytest.mark.parametrize(("command", "key"), [
    (["connectors"], "name"), (["connectors", "--global"], "name"),
    (["weak-ties"], "v_name"), (["weak-ties", "--all"], "ties_class"),
    (["neglected"], "name"), (["neglected", "--dormant"], "name"), (["ledger"], "name"),
    (["roles"], "suggested_role"),
])
def test_every_analysis_lists_json_and_honours_top(sample_db, command, key):
    db, planted = sample_db
    rows = _json(db, *command, "--as-of", planted["end"], "--top", "3")
    assert 0 < len(rows) <= 3
    assert all(key in r for r in rows)


def test_intro_to_a_hard_to_reach_person(sample_db):
    db, planted = sample_db
    target = planted["hard_to_reach"][0]
    rows = _json(db, "intro", target["name"], "--as-of", planted["end"])
    warm = [r for r in rows if r["warm"]]
    assert warm and warm[0]["rank"] == 1
    assert warm[0]["target"] == target["name"]
    assert warm[0]["path"].startswith(planted["me"]["name"])
    assert all(r["label"] == "cold" for r in rows if not r["warm"])


def test_intro_when_only_a_weak_hop_leads_there(sample_db):
    db, planted = sample_db
    target = planted["weak_only"][0]
    res = CliRunner().invoke(main, ["intro", target["name"], "--db", str(db), "--as-of",
                                    planted["end"]])
    assert res.exit_code == 0
    assert "strengthen your tie to" in res.output


def test_intro_team_and_plan(sample_db, tmp_path):
    db, planted = sample_db
    team = _json(db, "intro", planted["hard_to_reach"][1]["id"], "--team", "--as-of",
                 planted["end"])
    assert sum(r["should_ask"] for r in team) == 1
    targets = tmp_path / "targets.txt"
    targets.write_text("# people and companies I want to meet\n"
                       + "\n".join(h["name"] for h in planted["hard_to_reach"]) + "\n")
    plan = _json(db, "intro", "--targets", str(targets), "--as-of", planted["end"])
    assert plan
    assert "introducer" in plan[0]


def test_explain_tie_and_unknown_people(sample_db):
    db, planted = sample_db
    silent = planted["went_silent"][0]
    rows = _json(db, "explain-tie", planted["me"]["name"], silent["name"], "--as-of",
                 planted["end"])
    assert rows[-1]["factor"] == "strength"
    res = CliRunner().invoke(main, ["explain-tie", "Nobody Here", silent["name"], "--db",
                                    str(db)])
    assert res.exit_code == 2
    assert "no person matches 'Nobody Here'" in res.output
