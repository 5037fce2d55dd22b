"""Projection of a tiny hand-built network, checked edge by edge."""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path

import networkx as nx
import pytest

import netgraph as ng
from netgraph.identity.lookup import resolve_person

DATA = Path(__file__).parent / "data"


@pytest.fixture
def tiny(store):
    ng.import_file(store, DATA / "tiny_contacts.csv")
    ng.set_me(store, "me")
    ng.import_file(store, DATA / "tiny_interactions.csv")
    ng.import_file(store, DATA / "tiny_introductions.csv")
    return store


def _edge(G, store, a, b):
    return G.edges[resolve_person(store, a), resolve_person(store, b)]


def test_nodes_carry_person_attributes(tiny):
    G = ng.load_graph(tiny, as_of="2025-12-31")
    assert isinstance(G, nx.Graph) and not G.is_directed()
    assert G.number_of_nodes() == 5
    ann = G.nodes[resolve_person(tiny, "Ann Lee")]
    assert ann == {"name": "Ann Lee", "company": "Acme", "title": "CTO", "city": "Berlin",
                   "country": "DE", "tags": ["fintech", "friend"], "category": "connector"}
    assert G.graph["me"] == resolve_person(tiny, "Maya Patel")
    assert G.graph["as_of"] == "2025-12-31"


def test_edges_by_value(tiny):
    G = ng.load_graph(tiny, as_of="2025-12-31")
    assert G.number_of_edges() == 7
    e = _edge(G, tiny, "Maya Patel", "Ann Lee")
    assert (e["n_interactions"], e["n_one_to_one"]) == (3, 2)
    assert e["weighted_contacts"] == pytest.approx(2.5)  # 1 + 1 + 1/2 for the three-way meeting
    assert e["first_contact"] == datetime(2025, 1, 10)
    assert e["last_contact"] == datetime(2025, 3, 1)
    assert e["kinds"] == "email;meeting"
    assert (e["n_intros"], e["n_converted"]) == (1, 1)  # Ann introduced Maya (to Cy)
    me, ann = resolve_person(tiny, "Maya Patel"), resolve_person(tiny, "Ann Lee")
    from_me = e["n_from_u"] if me < ann else e["n_from_v"]
    assert from_me == 2
    group = _edge(G, tiny, "Ann Lee", "Bob Stone")  # only the three-way meeting
    assert (group["n_interactions"], group["n_one_to_one"], group["weighted_contacts"]) == (1, 0, 0.5)
    assert (group["n_from_u"], group["n_from_v"]) == (0, 0)  # Maya started it
    intro_only = _edge(G, tiny, "Maya Patel", "Cy Young")
    assert (intro_only["n_interactions"], intro_only["n_intros"]) == (0, 1)
    assert "first_contact" not in intro_only
    assert _edge(G, tiny, "Ann Lee", "Cy Young")["n_intros"] == 1
    assert _edge(G, tiny, "Bob Stone", "Cy Young")["kinds"] == "call"
    assert _edge(G, tiny, "Cy Young", "Dee Newman")["n_interactions"] == 1


def test_strength_and_distance_on_every_edge(tiny):
    G = ng.load_graph(tiny, as_of="2025-12-31")
    for _, _, d in G.edges(data=True):
        assert 0 < d["strength"] <= 1
        assert d["distance"] == pytest.approx(-math.log(d["strength"]))


def test_as_of_leaves_out_later_events(tiny):
    G = ng.load_graph(tiny, as_of="2025-02-10")
    assert G.number_of_edges() == 1  # only Maya-Ann so far
    e = _edge(G, tiny, "Maya Patel", "Ann Lee")
    assert e["n_interactions"] == 2
    assert G.number_of_nodes() == 5  # people exist regardless of date


def test_summary(tiny):
    G = ng.load_graph(tiny, as_of="2025-12-31")
    s = ng.summary(tiny, G)
    assert s == {
        "people": 5, "ties": 7, "interactions": 5, "introductions": 1,
        "first_contact": "2025-01-10", "last_contact": "2025-04-01",
        "largest_part": 5, "largest_part_share": 1.0, "as_of": "2025-12-31",
    }
