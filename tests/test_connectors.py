"""Connectors: published values (Florentine families, Krackhardt kite, Burt's examples),
agreement with pure NetworkX on random graphs, and the sample's planted connectors."""

from __future__ import annotations

import json
import math
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netgraph as ng
from netgraph.analytics import connectors as conn
from netgraph.graph.engine import engine
from netgraph.identity.lookup import resolve_person

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def _uniform(G: nx.Graph, strength: float = 0.5) -> nx.Graph:
    nx.set_edge_attributes(G, strength, "strength")
    nx.set_edge_attributes(G, -math.log(strength), "distance")
    return G


def test_florentine_families():
    G = _uniform(nx.florentine_families_graph())
    out = conn.connectors(G, global_view=True).set_index("name")
    assert out.index[0] == "Medici"
    assert out.loc["Medici", "betweenness"] == pytest.approx(0.522, abs=1e-3)
    assert out.loc["Guadagni", "betweenness"] == pytest.approx(0.255, abs=1e-3)
    assert out.loc["Albizzi", "betweenness"] == pytest.approx(0.2125, abs=1e-3)
    assert out["betweenness"].idxmax() == "Medici"


def test_krackhardt_kite():
    G = _uniform(nx.krackhardt_kite_graph())
    names = ["Andre", "Beverly", "Carol", "Diane", "Ed", "Fernando", "Garth", "Heather", "Ike",
             "Jane"]
    nx.set_node_attributes(G, dict(enumerate(names)), "name")
    out = conn.connectors(G, global_view=True).set_index("name")
    assert out["betweenness"].idxmax() == "Heather"
    assert out.loc["Heather", "betweenness"] == pytest.approx(0.389, abs=1e-3)
    assert max(G.degree, key=lambda nd: nd[1])[0] == names.index("Diane")


BURT_EDGES = {("A", "B"): 2, ("A", "F"): 3, ("A", "G"): 5, ("A", "E"): 2, ("E", "G"): 8,
              ("F", "G"): 3, ("B", "G"): 4, ("B", "D"): 1, ("D", "G"): 3, ("G", "C"): 10}


@pytest.mark.parametrize("weighted", [False, True])
def test_burt_examples_from_networkx_tests(weighted):
    """The values in NetworkX's test_structuralholes.py (UCINET, checked by hand)."""
    G = nx.Graph(list(BURT_EDGES))
    nx.set_edge_attributes(G, BURT_EDGES if weighted else 1, "strength")
    eng = engine(G)
    con = dict(zip(eng.nodes, conn.constraint(eng), strict=True))
    esize = dict(zip(eng.nodes, conn.effective_size(eng), strict=True))
    expected = ({"G": (0.299, 5.47), "A": (0.795, 2.47), "C": (1.0, 1.0)} if weighted
                else {"G": (0.400, 4.67), "A": (0.595, 2.50), "C": (1.0, 1.0)})
    for node, (c, e) in expected.items():
        assert con[node] == pytest.approx(c, abs=1e-3)
        assert esize[node] == pytest.approx(e, abs=1e-2)


def test_isolated_people_have_no_constraint_or_size():
    G = nx.Graph(list(BURT_EDGES))
    nx.set_edge_attributes(G, 1, "strength")
    G.add_node("loner")
    eng = engine(G)
    i = eng.index["loner"]
    assert math.isnan(conn.constraint(eng)[i]) and math.isnan(conn.effective_size(eng)[i])


graphs = st.builds(
    lambda n, p, seed: nx.gnp_random_graph(n, p, seed=seed),
    st.integers(4, 30), st.floats(0.08, 0.5), st.integers(0, 10_000),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(G=graphs, seed=st.integers(0, 10_000))
def test_engine_agrees_with_networkx(G, seed):
    rng = np.random.default_rng(seed)
    for u, v in G.edges:  # continuous strengths: no two paths tie, so no float-tie ambiguity
        s = float(rng.uniform(0.05, 0.99))
        G.edges[u, v]["strength"] = s
        G.edges[u, v]["distance"] = -math.log(s)
    eng = engine(G)
    btw = conn.betweenness(eng, exact=True)
    expected = nx.betweenness_centrality(G, weight="distance", normalized=True)
    for i, node in enumerate(eng.nodes):
        assert btw[i] == pytest.approx(expected[node], abs=1e-9)
    con, esize = conn.constraint(eng), conn.effective_size(eng)
    nx_con = nx.constraint(G, weight="strength", nodes=list(G))
    nx_esize = nx.effective_size(G, weight="strength", nodes=list(G))
    for i, node in enumerate(eng.nodes):
        if G.degree(node) == 0:
            assert math.isnan(con[i]) and math.isnan(esize[i])
            continue
        assert con[i] == pytest.approx(nx_con[node], abs=1e-9)
        assert esize[i] == pytest.approx(nx_esize[node], abs=1e-9)


def test_sampled_betweenness_is_close_and_seeded():
    G = nx.connected_watts_strogatz_graph(600, 6, 0.1, seed=3)
    _uniform(G)
    eng = engine(G)
    exact = conn.betweenness(eng, exact=True)
    a = conn.betweenness(eng, exact=False)
    b = conn.betweenness(eng, exact=False)
    assert np.array_equal(a, b)  # fixed seed
    rho = np.corrcoef(np.argsort(np.argsort(exact)), np.argsort(np.argsort(a)))[0, 1]
    assert rho > 0.9


def test_me_view_leaves_me_out_and_counts_unique_reach():
    # me - a - {x1, x2} and me - b - x2: x1 is reached only through a
    G = nx.Graph([("me", "a"), ("me", "b"), ("a", "x1"), ("a", "x2"), ("b", "x2"), ("x1", "y")])
    _uniform(G, 0.8)
    G.graph["me"] = "me"
    out = conn.connectors(G).set_index("person_id")  # the me view: my contacts only
    assert set(out.index) == {"a", "b"}
    assert out.loc["a", "unique_reach"] == 1 and out.loc["b", "unique_reach"] == 0
    assert out.index[0] == "a"
    assert "the only strong link to 1 of them" in out.loc["a", "reason"]
    assert out.loc["a", "through"] == pytest.approx(2.5)  # x1, y, and half of x2
    everyone = conn.connectors(G, global_view=True)
    assert "me" in set(everyone["person_id"])


def test_planted_connectors_rank_in_the_top_five(tmp_path):
    planted = json.loads((SAMPLE / "planted.json").read_text())
    with ng.open_store(tmp_path / "s.duckdb") as store:
        ng.import_file(store, SAMPLE / "contacts.csv")
        ng.set_me(store, planted["me"]["id"])
        ng.import_files(store, [SAMPLE / "interactions.csv", SAMPLE / "introductions.csv"])
        top = ng.connectors(store, as_of=planted["end"]).head(5)
        wanted = {resolve_person(store, c["id"]) for c in planted["connectors"]}
        assert wanted <= set(top["person_id"])
        assert (top["reason"].str.len() > 10).all()


# -- the "me" view: Brandes' single-source dependency --------------------------------------------


@pytest.mark.parametrize("seed", range(5))
def test_single_source_dependency_equals_networkx_subset_betweenness(seed):
    """delta_s(v) = sum over t of sigma_st(v) / sigma_st; NetworkX halves it on undirected graphs."""
    rng = np.random.default_rng(seed)
    G = nx.gnm_random_graph(40, 120, seed=seed)
    for u, v in G.edges:
        G[u][v]["strength"] = float(rng.choice([0.3, 0.6, 0.9]))  # ties between equal paths
    for _, _, d in G.edges(data=True):
        d["distance"] = -np.log(d["strength"])
    source = 0
    want = nx.betweenness_centrality_subset(G, sources=[source], targets=list(G),
                                            normalized=False, weight="distance")
    eng = engine(G)
    got = conn.dependency(eng, eng.index[source])
    np.testing.assert_allclose([got[eng.index[n]] for n in G], [2 * want[n] for n in G],
                               rtol=1e-9, atol=1e-9)


def test_dependency_on_a_path_and_a_diamond():
    path = nx.path_graph(4)  # 0-1-2-3: 1 carries 2 and 3, 2 carries 3
    nx.set_edge_attributes(path, 0.5, "strength")
    eng = engine(path)
    assert conn.dependency(eng, 0).tolist() == [0.0, 2.0, 1.0, 0.0]
    diamond = nx.Graph([(0, 1), (0, 2), (1, 3), (2, 3)])  # two equal paths to 3: half each
    nx.set_edge_attributes(diamond, 0.5, "strength")
    eng = engine(diamond)
    assert conn.dependency(eng, 0).tolist() == [0.0, 0.5, 0.5, 0.0]


def test_my_connectors_rank_my_contacts_only_by_what_flows_through_them():
    G = nx.Graph(me="me")
    G.add_edges_from([("me", "hub"), ("me", "leaf"), ("hub", "x"), ("hub", "y"), ("x", "y")],
                     strength=0.9)
    out = conn.my_connectors(G)
    assert out["person_id"].tolist() == ["hub", "leaf"]
    assert out.loc[0, "through"] == 2.0 and out.loc[0, "unique_reach"] == 2
    assert out.loc[0, "flow_share"] == pytest.approx(2 / 4)
