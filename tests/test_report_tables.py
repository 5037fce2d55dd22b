"""The report's tables equal the CLI's JSON for the same --as-of, and the view keeps who matters."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import netgraph as ng
from netgraph.analytics.paths.warm import warm_paths
from netgraph.cli.main import main
from netgraph.graph.projection import load_neighbourhood
from netgraph.identity.lookup import resolve_person
from netgraph.report import html as report
from netgraph.report.data import TABLE_ROWS, select_view

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
AS_OF = "2026-10-30"


def report_json(path: Path) -> dict:
    """The data block a report page embeds, parsed."""
    html = path.read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', html, re.S)
    assert block is not None
    return json.loads(block.group(1))


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    """The bundled sample, loaded as `netgraph demo` loads it."""
    where = tmp_path_factory.mktemp("sample")
    res = CliRunner().invoke(main, ["demo", "--out", str(where / "demo.html")])
    assert res.exit_code == 0, res.output
    return where / "demo.duckdb"


@pytest.fixture(scope="module")
def planted():
    return json.loads((SAMPLE / "planted.json").read_text())


@pytest.fixture(scope="module")
def built(sample_store, planted, tmp_path_factory):
    targets = [h["id"] for h in planted["hard_to_reach"][:2]] + ["company:Fjord Ventures"]
    out = tmp_path_factory.mktemp("report") / "r.html"
    with ng.open_store(sample_store, read_only=True) as store:
        report.build_report(store, as_of=AS_OF, out=out, targets=targets)
    return out, targets


def _cli(db: Path, *args: str) -> list[dict]:
    res = CliRunner().invoke(main, [*args, "--as-of", AS_OF, "--format", "json",
                                    "--top", str(TABLE_ROWS), "--db", str(db)])
    assert res.exit_code == 0, res.output
    return json.loads(res.output)


def _table(data: dict, key: str) -> dict:
    return next(t for t in data["tables"] if t["id"] == key)


def _same(table: dict, cli_rows: list[dict]) -> None:
    keys = [c["key"] for c in table["columns"]]
    assert len(keys) >= 4
    assert table["rows"] == [{k: row[k] for k in keys} for row in cli_rows]


@pytest.mark.parametrize(("key", "command"), [
    ("connectors", ["connectors"]),
    ("neglected", ["neglected"]),
    ("weak_ties", ["weak-ties"]),
])
def test_tables_equal_the_cli_json(built, sample_store, key, command):
    path, _ = built
    table = _table(report_json(path), key)
    cli_rows = _cli(sample_store, *command)
    assert len(cli_rows) == min(TABLE_ROWS, table["total"]) > 0
    _same(table, cli_rows)


def test_a_different_as_of_gives_different_tables(built, sample_store):
    """The comparison above can fail: a month earlier, the neglected list differs."""
    path, _ = built
    table = _table(report_json(path), "neglected")
    res = CliRunner().invoke(main, ["neglected", "--as-of", "2026-09-30", "--format", "json",
                                    "--top", str(TABLE_ROWS), "--db", str(sample_store)])
    keys = [c["key"] for c in table["columns"]]
    assert table["rows"] != [{k: r[k] for k in keys} for r in json.loads(res.output)]


def test_paths_equal_the_cli_json(built, sample_store, planted):
    path, targets = built
    data = report_json(path)
    assert [t["label"] for t in data["paths"]["targets"]] == [
        *(h["name"] for h in planted["hard_to_reach"][:2]), "company:Fjord Ventures"]
    for shown, target in zip(data["paths"]["targets"], targets, strict=True):
        cli_rows = _cli(sample_store, "intro", target)
        assert shown["rows"], f"no path to {shown['label']}"
        assert shown["rows"] == [{k: row[k] for k in shown["rows"][0]} for row in cli_rows]
    with ng.open_store(sample_store, read_only=True) as store:
        G = ng.load_graph(store, AS_OF)
        result = warm_paths(G, None, resolve_person(store, targets[0]), k=3)
    assert data["paths"]["targets"][0]["advice"] == result.advice


def test_sections_figures_and_settings(built, planted):
    path, _ = built
    data = report_json(path)
    html = path.read_text()
    assert {t["id"] for t in data["tables"]} == {"connectors", "neglected", "followups", "weak_ties"}
    figures = {f["label"]: f["value"] for f in data["figures"]}
    assert figures["people"] == f"{planted['people']:,}"
    assert figures["interactions"] == f"{planted['counts']['interactions']:,}"
    assert "<svg" in html and "interactions in" in html  # the activity chart, inline
    footer = " ".join(data["footer"])
    assert f"As of {AS_OF}" in footer and f"from {planted['start']}" in footer
    assert "targets: " + planted["hard_to_reach"][0]["name"] in footer
    me = next(n for n in data["nodes"] if n.get("shape") == "star")
    assert me["name"] == planted["me"]["name"] and "(you)" in me["tooltip"]
    # the tooltips carry company, strength to me and last contact
    tied = [n["tooltip"] for n in data["nodes"] if "Strength to you" in n["tooltip"]]
    assert tied and all("last contact 20" in t or "no contact yet" in t for t in tied)
    assert sum("last contact 20" in t for t in tied) > len(tied) / 2


def test_above_max_nodes_the_view_keeps_who_matters(sample_store, planted, tmp_path):
    targets = [h["id"] for h in planted["hard_to_reach"]]
    with ng.open_store(sample_store, read_only=True) as store:
        out = report.build_report(store, as_of=AS_OF, out=tmp_path / "small.html", max_nodes=60,
                                  targets=targets)
        ids = {f"p{resolve_person(store, t)}" for t in [planted["me"]["id"], *targets]}
        connectors = ng.connectors(store, AS_OF)["person_id"].head(10)
        near = load_neighbourhood(store, [store.me_id], hops=2, as_of=AS_OF).number_of_nodes()
    data = report_json(out)
    shown = {n["id"] for n in data["nodes"]}
    assert len(shown) == 60
    assert ids <= shown
    assert {f"p{p}" for p in connectors} <= shown
    # the candidates: my 2-hop neighbourhood and the people on the paths to the targets
    note = next(n for n in data["view_notes"] if "left out" in n)
    total, left = (int(x.replace(",", "")) for x in
                   re.search(r"of ([\d,]+) people .*; ([\d,]+) left out", note).groups())
    assert near <= total < planted["people"] and left == total - 60
    assert all(e["from"] in shown and e["to"] in shown for e in data["edges"])


def test_select_view_pins_me_and_focus_then_ranks_by_importance():
    G = nx.path_graph(6)
    G.graph["me"] = 0
    nx.set_edge_attributes(G, 0.5, "strength")
    G[0][1]["strength"] = 0.9
    view, total = select_view(G, None, None, None, [], max_nodes=3)
    assert total == 6 and view[0] == 0 and view[1] == 1 and len(view) == 3
    view, total = select_view(G, None, None, None, [], focus=4, radius=1, max_nodes=10)
    assert total == 3 and set(view) == {3, 4, 5}


def test_bare_graph_report_still_works(tmp_path):
    G = nx.karate_club_graph()
    nx.set_edge_attributes(G, 0.6, "strength")
    nx.set_node_attributes(G, {n: f"Member {n}" for n in G}, "name")
    out = report.write_report(G, tmp_path / "karate.html", title="Karate club")
    data = report_json(out)
    assert len(data["nodes"]) == 34
    assert _table(data, "connectors")["rows"][0]["name"] in {"Member 0", "Member 33"}
    assert "need the store" in _table(data, "neglected")["empty"]
