"""The command line: help everywhere, one-line errors with status 2, the listing conventions."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from netgraph.cli.main import main

DATA = Path(__file__).parent / "data"
TINY = [str(DATA / f"tiny_{k}.csv") for k in ("contacts", "interactions", "introductions")]


@pytest.fixture
def run(db_path):
    runner = CliRunner()

    def invoke(*args: str, db: bool = True):
        extra = ["--db", str(db_path)] if db else []
        return runner.invoke(main, [*args, *extra], catch_exceptions=False)

    return invoke


@pytest.fixture
def loaded(run):
    assert run("import", TINY[0]).exit_code == 0
    assert run("init", "--me", "Maya Patel", "--member", "Ann Lee").exit_code == 0
    assert run("import", *TINY[1:]).exit_code == 0
    return run


def test_every_command_has_help():
    runner = CliRunner()
    for name, command in main.commands.items():
        res = runner.invoke(main, [name, "--help"])
        assert res.exit_code == 0, name
        assert command.help and len(command.help) > 20, name
        assert "--help" in res.output
        for param in command.params:
            if param.param_type_name == "option":
                assert param.help, f"{name} {param.name} has no help text"


def test_import_prints_per_file_counts_and_reasons(run, write_csv):
    bad = write_csv("i.csv", "date,from,to,kind,note\n2025-01-01,Ann,Bob,call,\n2025-99-01,Ann,Bob,call,\n")
    res = run("import", str(bad))
    assert res.exit_code == 0
    assert "i.csv (interactions): 1 loaded, 0 skipped, 1 rejected, 2 new people" in res.output
    assert "rejected line 3: unparseable date" in res.output
    again = run("import", str(bad))
    assert "already imported as batch 1" in again.output
    assert "nothing changed" in again.output


def test_rejects_lists_file_line_raw_and_reason(run, write_csv):
    bad = write_csv("i.csv", "date,from,to,kind,note\n2025-01-01,Ann,Bob,call\n")
    run("import", str(bad))
    res = run("rejects", "--format", "json")
    rows = json.loads(res.output)
    assert rows == [{"file": str(bad), "line": 2, "raw": "2025-01-01,Ann,Bob,call",
                     "reason": "wrong column count: expected 5 fields, found 4", "batch_id": 1}]


def test_people_json_csv_and_top(loaded):
    rows = json.loads(loaded("people", "--format", "json").output)
    assert len(rows) == 5
    assert all(set(r) >= {"person_id", "name", "emails", "phones", "profiles", "company", "city",
                          "tags", "category"} for r in rows)
    assert all(k == k.lower() and " " not in k for r in rows for k in r)
    ann = next(r for r in rows if r["name"] == "Ann Lee")
    assert ann["emails"] == "ann@acme.io" and ann["category"] == "connector"
    top = json.loads(loaded("people", "--format", "json", "--top", "2").output)
    assert len(top) == 2
    table = list(csv.DictReader(io.StringIO(loaded("people", "--format", "csv").output)))
    assert [r["name"] for r in table] == [r["name"] for r in rows]
    text = loaded("people", "--top", "3").output
    assert "showing 3 of 5" in text


def test_db_before_the_command_and_env_var(loaded, db_path, monkeypatch):
    runner = CliRunner()
    res = runner.invoke(main, ["--db", str(db_path), "people", "--format", "json"])
    assert len(json.loads(res.output)) == 5
    monkeypatch.setenv("NETGRAPH_DB", str(db_path))
    res = runner.invoke(main, ["people", "--format", "json"])
    assert len(json.loads(res.output)) == 5


def test_summary_and_report(loaded, tmp_path):
    res = loaded("summary", "--as-of", "2025-12-31", "--format", "json")
    assert json.loads(res.output)[0]["ties"] == 7
    out = tmp_path / "r.html"
    res = loaded("report", "--out", str(out), "--as-of", "2025-12-31")
    assert res.exit_code == 0 and out.exists()
    assert "Maya Patel" in out.read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "does-not-exist.csv"], "does-not-exist.csv: no such file"),
        (["people"], "no store at"),
        (["summary", "--as-of", "2025-02-31"], "Invalid value for '--as-of'"),
    ],
)
def test_errors_are_one_line_and_status_2(tmp_path, args, message):
    res = subprocess.run([sys.executable, "-m", "netgraph", *args, "--db",
                          str(tmp_path / "x.duckdb")], capture_output=True, text=True, cwd=tmp_path)
    assert res.returncode == 2
    assert message in res.stderr
    assert "Traceback" not in res.stderr
    if "Invalid value" not in message:
        assert len(res.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.duckdb").exists()


def test_init_alone_shows_settings_or_says_no_store(tmp_path):
    res = CliRunner().invoke(main, ["--db", str(tmp_path / "x.duckdb"), "init"])
    assert res.exit_code == 2 and "no store at" in res.output
    assert not (tmp_path / "x.duckdb").exists()

