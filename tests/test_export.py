"""`netgraph export`: GEXF and GraphML round-trip through NetworkX; CSV and Parquet hold it all."""

from __future__ import annotations

from datetime import datetime

import networkx as nx
import pandas as pd
import pytest

import netgraph as ng
from netgraph._errors import NetgraphError
from netgraph.report import export

AS_OF = "2025-12-31"


@pytest.fixture
def graph_store(store, write_csv):
    ng.import_file(store, write_csv("c.csv", """\
        id,name,email,company,city,tags,category
        me,Maya Patel,maya@example.com,Patel Advisory,London,advisor;london,
        ann,Ann Lee,ann@acme.io,Acme,Berlin,fintech;friend,connector
        bob,Bob Stone,,,,,
        cy,Cy Young,cy@acme.io,Acme,Berlin,,target
        """))
    ng.set_me(store, "me")
    ng.import_file(store, write_csv("i.csv", """\
        date,from,to,kind,note
        2025-01-05,me,ann,meeting,
        2025-03-05T10:30:00,ann,me,email,
        2025-04-01,me,bob;cy,meeting,
        """))
    ng.import_file(store, write_csv("x.csv", """\
        date,introducer,a,b,status
        2025-05-01,ann,me,cy,made
        """))
    return store


@pytest.fixture
def G(graph_store):
    return ng.load_graph(graph_store, AS_OF)


def test_the_graph_has_the_awkward_types(G):
    """What the round trips below must convert: lists, datetimes, missing values."""
    assert any(isinstance(d["tags"], list) and d["tags"] for _, d in G.nodes(data=True))
    assert any(isinstance(d.get("last_contact"), datetime) for *_, d in G.edges(data=True))
    assert any("last_contact" not in d for *_, d in G.edges(data=True))  # introduction only
    assert any("company" not in d for _, d in G.nodes(data=True))
    assert isinstance(G.graph["team"], list)


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_round_trip(graph_store, G, tmp_path, fmt):
    path = tmp_path / f"net.{fmt}"
    assert export.export(graph_store, path, as_of=AS_OF) == [path]
    read = nx.read_gexf if fmt == "gexf" else nx.read_graphml
    back = read(path, node_type=int)
    expected = export.flat_graph(G)
    assert set(back.nodes) == set(G.nodes)
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in G.edges}
    for n in G:
        assert dict(back.nodes[n]) == dict(expected.nodes[n])
        assert back.nodes[n]["label"] == G.nodes[n]["name"]
    for u, v in G.edges:
        got = {k: x for k, x in back.edges[u, v].items() if not (fmt == "gexf" and k == "id")}
        assert got == dict(expected.edges[u, v])
        assert got["strength"] == G.edges[u, v]["strength"]  # floats exactly
        if "last_contact" in G.edges[u, v]:
            assert datetime.fromisoformat(got["last_contact"]) == G.edges[u, v]["last_contact"]
    tags = {n: d["tags"] for n, d in G.nodes(data=True) if d["tags"]}
    assert all(back.nodes[n]["tags"].split("; ") == t for n, t in tags.items())
    if fmt == "graphml":
        assert back.graph["as_of"] == AS_OF and back.graph["me"] == G.graph["me"]


def test_csv_holds_every_attribute(graph_store, G, tmp_path):
    nodes_path, edges_path = export.export(graph_store, tmp_path / "csv", "csv", as_of=AS_OF)
    nodes, edges = pd.read_csv(nodes_path), pd.read_csv(edges_path)
    assert len(nodes) == G.number_of_nodes() and len(edges) == G.number_of_edges()
    assert {"person_id", "name", "company", "city", "tags", "category"} <= set(nodes.columns)
    assert {"u", "v", "strength", "distance", "n_interactions", "last_contact", "kinds"} <= set(
        edges.columns)
    ann = nodes.set_index("name").loc["Ann Lee"]
    assert ann["tags"] == "fintech; friend" and ann["company"] == "Acme"
    row = edges[(edges["u"] == min(G.graph["me"], int(ann["person_id"])))
                & (edges["v"] == max(G.graph["me"], int(ann["person_id"])))].iloc[0]
    assert row["last_contact"] == "2025-03-05T10:30:00"
    assert row["strength"] == pytest.approx(G.edges[G.graph["me"], int(ann["person_id"])]["strength"])


def test_parquet_keeps_lists_and_timestamps(graph_store, G, tmp_path):
    nodes_path, edges_path = export.export(graph_store, tmp_path / "pq", "parquet", as_of=AS_OF)
    nodes, edges = pd.read_parquet(nodes_path), pd.read_parquet(edges_path)
    assert len(nodes) == G.number_of_nodes() and len(edges) == G.number_of_edges()
    ann = nodes.set_index("name").loc["Ann Lee"]
    assert list(ann["tags"]) == ["fintech", "friend"]
    assert pd.api.types.is_datetime64_any_dtype(edges["last_contact"])
    assert edges["last_contact"].isna().sum() == sum(
        "last_contact" not in d for *_, d in G.edges(data=True))


def test_redacted_export_has_pseudonyms_only(graph_store, tmp_path):
    path = tmp_path / "red.graphml"
    export.export(graph_store, path, as_of=AS_OF, redact=True)
    text = path.read_text()
    for secret in ("Maya Patel", "Ann Lee", "Acme", "Berlin", "fintech", "maya@example.com"):
        assert secret not in text
    back = nx.read_graphml(path, node_type=int)
    assert sorted(d["name"] for _, d in back.nodes(data=True)) == [f"Contact {i}" for i in range(1, 5)]


def test_unknown_format_says_what_to_do(graph_store, tmp_path):
    with pytest.raises(NetgraphError, match="--format gexf"):
        export.export(graph_store, tmp_path / "net.txt")
