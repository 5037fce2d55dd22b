"""The main job: `netgraph demo` on the bundled sample, as `make run` calls it."""

from __future__ import annotations

import filecmp
import json
import subprocess
import sys
from pathlib import Path

import pytest

import netgraph as ng
from netgraph.identity.lookup import resolve_person
from tests.browser import CANVAS_INK, hover_node, open_page

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def test_bundled_sample_is_what_the_generator_makes(tmp_path):
    planted = json.loads((SAMPLE / "planted.json").read_text())
    ng.write_sample(ng.generate_sample(planted["people"], seed=planted["seed"]), tmp_path)
    for name in ("contacts.csv", "interactions.csv", "introductions.csv", "followups.csv",
                 "planted.json"):
        assert filecmp.cmp(SAMPLE / name, tmp_path / name, shallow=False), name


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    where = tmp_path_factory.mktemp("demo")
    res = subprocess.run([sys.executable, "-m", "netgraph", "demo", "--out", "reports/demo.html"],
                         cwd=where, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    return where, res.stdout


def test_demo_prints_the_summary_and_writes_the_report(demo):
    where, output = demo
    planted = json.loads((SAMPLE / "planted.json").read_text())
    counts = planted["counts"]
    assert f"contacts.csv (contacts): {counts['contacts']:,} loaded, 0 skipped, 0 rejected" in output
    assert f"{counts['interactions']:,} interactions" in output
    assert "largest connected part:" in output
    assert f"contacts from {planted['start']}" in output or "contacts from" in output
    assert (where / "reports" / "demo.html").stat().st_size > 100_000
    with ng.open_store(where / "reports" / "demo.duckdb", read_only=True) as store:
        assert store.me_id == resolve_person(store, planted["me"]["id"])
        assert store.team_ids == [resolve_person(store, t["id"]) for t in planted["team"]]
        assert store.count("rejected_rows") == 0
        assert store.count("people") == planted["people"]


def test_demo_twice_rebuilds_the_same_store(demo):
    where, first = demo
    res = subprocess.run([sys.executable, "-m", "netgraph", "demo", "--out", "reports/demo.html"],
                         cwd=where, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0
    assert res.stdout == first


@pytest.mark.browser
def test_demo_report_in_chromium(demo):
    where, _ = demo
    planted = json.loads((SAMPLE / "planted.json").read_text())
    with ng.open_store(where / "reports" / "demo.duckdb", read_only=True) as store:
        me = store.me_id
    with open_page(where / "reports" / "demo.html") as (page, log):
        assert log.requests == [] and log.console_errors == [] and log.page_errors == []
        assert page.evaluate(CANVAS_INK) > 2000
        tip = hover_node(page, f"p{me}")
        assert planted["me"]["name"] in tip and "(you)" in tip
