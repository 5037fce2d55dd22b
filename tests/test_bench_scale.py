"""Smoke test of the scale benchmark: a tiny generated network imports, and the floors measure.

The real suite (``python -m bench scale``) runs at 10k and 100k people; here 300 people and
5,000 interactions keep it to seconds.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench import scale_floors
from bench._child import ROOT
from bench.scale import run_cli, session_steps
from bench.scale_data import ScaleDataset, Spec, generate, write

PEOPLE, INTERACTIONS = 300, 5_000


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> ScaleDataset:
    out = tmp_path_factory.mktemp("scale-tiny")
    write(generate(Spec(PEOPLE, INTERACTIONS, ties_per_person=8)), out, dt.date.today())
    session = json.loads((out / "session.json").read_text(encoding="utf-8"))
    return ScaleDataset("scale-tiny", out, session)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_generated_files_are_consistent(tiny: ScaleDataset) -> None:
    contacts = _rows(tiny.files["contacts"])
    inter = _rows(tiny.files["interactions"])
    assert len(contacts) == PEOPLE and len(inter) == INTERACTIONS
    assert {"name", "email", "company", "city"} <= set(contacts[0])
    emails = {c["email"] for c in contacts}
    assert len(emails) == PEOPLE
    named = {r["from"] for r in inter} | {e for r in inter for e in r["to"].split(";")}
    assert named <= emails  # every participant is a contact
    assert any(";" in r["to"] for r in inter)  # some group interactions
    days = [dt.date.fromisoformat(r["date"][:10]) for r in inter]
    today = dt.date.today()
    assert today - dt.timedelta(days=3 * 365) <= min(days) and max(days) <= today
    s = tiny.session
    assert s["me"] == contacts[0]["email"] and s["target"] in emails
    assert s["target_hops"] in (2, 3)
    assert s["company"] in {c["company"] for c in contacts}


def test_netgraph_imports_the_files(tiny: ScaleDataset, tmp_path: Path) -> None:
    env = {**os.environ, "NETGRAPH_DB": str(tmp_path / "t.duckdb"), "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "netgraph"]
    done = subprocess.run([*cmd, "import", *map(str, tiny.files.values())], env=env,
                          cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    people = subprocess.run([*cmd, "people", "--format", "json"], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=60, check=False)
    assert people.returncode == 0, people.stderr
    assert len(json.loads(people.stdout)) == PEOPLE  # no one merged, no one made up
    summary = [*cmd, "summary", "--format", "json"]
    before = subprocess.run(summary, env=env, cwd=tmp_path, capture_output=True, text=True,
                            timeout=60, check=True).stdout
    rebuilt = subprocess.run([sys.executable, "-m", "bench.scale_ties"], env=env, cwd=tmp_path,
                             capture_output=True, text=True, timeout=120, check=False)
    assert rebuilt.returncode == 0 and "rebuilt" in rebuilt.stderr, rebuilt.stderr
    after = subprocess.run(summary, env=env, cwd=tmp_path, capture_output=True, text=True,
                           timeout=60, check=True).stdout
    assert after == before  # the rebuild writes the ties that were there


def test_run_cli_reports_ok_failed_and_timeout(tiny: ScaleDataset, tmp_path: Path) -> None:
    steps = session_steps(tiny)
    assert steps[0].args == ("--help",) and steps[-1].compare == "report"
    ok = run_cli(("--help",), tmp_path, tmp_path / "t.duckdb", timeout=60)
    assert ok.status == "OK" and ok.wall_s > 0 and ok.peak_mb > 1
    bad = run_cli(("no-such-command",), tmp_path, tmp_path / "t.duckdb", timeout=60)
    assert bad.status == "FAILED" and bad.exit_code != 0 and "no-such-command" in bad.error
    slow = run_cli(("--help",), tmp_path, tmp_path / "t.duckdb", timeout=0.001)
    assert slow.status == "TIMEOUT"


def test_floors_measure_positive_times(tiny: ScaleDataset, tmp_path: Path) -> None:
    inter = str(tiny.files["interactions"])
    read = scale_floors.read_csv(str(tmp_path / "raw.duckdb"), inter)
    assert read["rows"] == INTERACTIONS and read["seconds"] > 0
    pairs = scale_floors.pair_aggregation(inter, str(tmp_path))
    assert pairs["seconds"] > 0 and pairs["people"] == PEOPLE and pairs["pairs"] > PEOPLE
    built = scale_floors.igraph_build(str(tmp_path))
    assert built["seconds"] > 0 and built["edges"] == pairs["pairs"]
    assert scale_floors.betweenness(str(tmp_path), sources=20)["seconds"] > 0
    leiden = scale_floors.leiden(str(tmp_path))
    assert leiden["seconds"] > 0 and leiden["communities"] >= 2
    assert scale_floors.constraint(str(tmp_path))["nodes"] == PEOPLE


def test_the_session_total_leaves_out_the_tie_rebuild_measured_beside_it():
    from bench.scale import _session_row

    def row(step: str, compare: str, wall: float) -> dict:
        return {"step": step, "kind": "step", "compare": compare, "status": "OK",
                "wall_s": wall, "peak_mb": 10.0}

    rows = [row("import", "import", 8.0), row("ties: full rebuild", "ties", 1.5),
            row("summary", "question", 0.5), {"step": "import beyond read_csv", "kind": "beyond",
                                              "wall_s": 7.0, "peak_mb": None}]
    total = _session_row(rows, "10k")
    assert total["wall_s"] == 8.5
    assert total["result"] == "PASS"
