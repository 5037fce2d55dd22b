"""Weak ties: embeddedness, overlap, local bridges and spans checked against NetworkX."""

from __future__ import annotations

import math
import random

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import netgraph.analytics.weak_ties as wt
from netgraph._errors import NotConfiguredError, PersonNotFound
from netgraph.analytics.weak_ties import COLUMNS, MODERATE_MAX, weak_ties


def _by_edge(frame) -> dict[frozenset, object]:
    return {frozenset((r.u, r.v)): r for r in frame.itertuples(index=False)}


def _check_against_networkx(G: nx.Graph, frame) -> None:
    """Every structural column of ``frame`` against NetworkX's own answers."""
    rows = _by_edge(frame)
    assert len(frame) == G.number_of_edges() == len(rows)
    spans = {frozenset((u, v)): s for u, v, s in nx.local_bridges(G, with_span=True)}
    cut = {frozenset(e) for e in nx.bridges(G)}
    assert {e for e, r in rows.items() if r.local_bridge} == set(spans)
    for e, r in rows.items():
        u, v = tuple(e)
        common = len(list(nx.common_neighbors(G, u, v)))
        assert r.embeddedness == common
        denom = G.degree(u) - 1 + G.degree(v) - 1 - common
        assert r.overlap == pytest.approx(common / denom if denom else 0.0, abs=1e-9)
        assert r.only_link == (e in cut)
        if e not in spans:
            assert pd.isna(r.span)
            assert not r.span_at_least
        elif spans[e] == 3:
            assert (r.span, r.span_at_least) == (3, False)
        else:  # NetworkX says 4 or more, or inf
            assert spans[e] >= 4
            assert (r.span, r.span_at_least) == (wt.SPAN_FLOOR, True)
            assert r.only_link == math.isinf(spans[e])


def _florentine() -> nx.Graph:
    G = nx.florentine_families_graph()
    nx.set_edge_attributes(G, 1.0, "strength")
    nx.set_edge_attributes(G, 0.0, "distance")
    return G


def test_florentine_local_bridges_and_spans() -> None:
    G = _florentine()
    frame = weak_ties(G, mine_only=False)
    assert list(frame.columns) == COLUMNS
    rows = _by_edge(frame)
    for pair in (("Acciaiuoli", "Medici"), ("Medici", "Salviati")):
        r = rows[frozenset(pair)]
        assert r.local_bridge and r.ties_class == "bridge" and r.only_link
    assert not rows[frozenset(("Medici", "Tornabuoni"))].local_bridge  # Ridolfi is mutual
    assert sum(frame["local_bridge"]) == 12
    _check_against_networkx(G, frame)


@st.composite
def small_graphs(draw) -> nx.Graph:
    kind = draw(st.sampled_from(["gnp", "barabasi", "watts"]))
    n = draw(st.integers(5, 40))
    seed = draw(st.integers(0, 2**31 - 1))
    if kind == "gnp":
        G = nx.gnp_random_graph(n, draw(st.floats(0.02, 0.5)), seed=seed)
    elif kind == "barabasi":
        G = nx.barabasi_albert_graph(n, draw(st.integers(1, 3)), seed=seed)
    else:
        G = nx.watts_strogatz_graph(n, draw(st.sampled_from([2, 4])), draw(st.floats(0, 0.5)),
                                    seed=seed)
    rng = random.Random(seed)
    for _, _, d in G.edges(data=True):
        d["strength"] = rng.uniform(0.01, 1.0)
        d["distance"] = -math.log(d["strength"])
    return G


@settings(max_examples=150, deadline=None)
@given(G=small_graphs(), k=st.integers(1, 4))
def test_structure_matches_networkx_on_random_graphs(G: nx.Graph, k: int) -> None:
    part = {n: hash((n, k)) % k for n in G}
    frame = weak_ties(G, mine_only=False, communities=part)
    _check_against_networkx(G, frame)
    nodes = list(G)
    A = nx.to_numpy_array(G, nodelist=nodes, weight=None)
    walks3 = A @ A @ A
    at = {n: i for i, n in enumerate(nodes)}
    for r in frame.itertuples(index=False):
        assert r.cross_community == (part[r.u] != part[r.v])
        if r.local_bridge:  # 3-paths avoiding the tie = 3-walks minus those that use it
            i, j = at[r.u], at[r.v]
            paths3 = walks3[i, j] - G.degree(r.u) - G.degree(r.v) + 1
            assert (r.span == 3) == (paths3 > 0)
        assert r.strength == pytest.approx(G.edges[r.u, r.v]["strength"], abs=1e-9)
        assert (r.ties_class == "bridge") == r.local_bridge


@settings(max_examples=40, deadline=None)
@given(G=small_graphs())
def test_small_batches_give_the_same_answer(G: nx.Graph) -> None:
    """Splitting the neighbour look-ups into tiny batches changes nothing."""
    whole = weak_ties(G, mine_only=False, communities={})
    old = wt.CHUNK
    wt.CHUNK = 3
    try:
        engine_cache_free = nx.Graph(G)  # a new object: no cached engine
        batched = weak_ties(engine_cache_free, mine_only=False, communities={})
    finally:
        wt.CHUNK = old
    cols = ["embeddedness", "overlap", "local_bridge", "span", "span_at_least", "only_link"]
    assert whole[cols].equals(batched[cols])


def _two_clusters() -> nx.Graph:
    """Two 6-cliques (Paris design, Berlin fintech) joined by the tie a0 - b0; I am a0."""
    G = nx.Graph(me="a0")
    for side, city, tags in (("a", "Paris", ["design"]), ("b", "Berlin", ["berlin-fintech"])):
        people = [f"{side}{i}" for i in range(6)]
        G.add_nodes_from((p, {"name": p.upper(), "city": city, "tags": tags}) for p in people)
        G.add_edges_from(((x, y) for i, x in enumerate(people) for y in people[i + 1:]),
                         strength=0.9)
    G.add_edge("a0", "b0", strength=0.3)
    return G


def test_the_one_tie_between_two_clusters_is_my_bridge() -> None:
    G = _two_clusters()
    everything = weak_ties(G, mine_only=False)
    tie = _by_edge(everything)[frozenset(("a0", "b0"))]
    assert (tie.ties_class, tie.cross_community, tie.only_link) == ("bridge", True, True)
    assert everything.iloc[0].ties_class == "bridge"
    assert (everything["ties_class"] == "bridge").sum() == 1
    mine = weak_ties(G)  # me from G.graph: my bridges and cross-community ties only
    assert mine[["u", "v"]].values.tolist() == [["a0", "b0"]]
    assert mine.iloc[0].reason == "only link between the berlin fintech cluster and yours"
    assert weak_ties(G, me="b0")[["u", "v"]].values.tolist() == [["b0", "a0"]]
    assert len(weak_ties(G, me="a1")) == 0  # a1's ties stay inside Paris
    by_letter = weak_ties(G, communities={n: n[0] for n in G})  # any hashable labels
    assert by_letter[["u", "v", "cross_community"]].values.tolist() == [["a0", "b0", True]]


def test_the_mine_view_orders_bridges_then_crossings_then_weakest() -> None:
    G = nx.complete_graph(["me", "a1", "a2", "a3"])
    nx.add_path(G, ["b1", "b2", "b3", "b1"])
    G.add_edges_from([("me", "b1", {"strength": 0.6}), ("a1", "b1", {"strength": 0.6}),
                      ("me", "x1", {"strength": 0.4}), ("me", "x2", {"strength": 0.1}),
                      ("me", "c", {"strength": 0.9})])
    part = {n: n[0] for n in G} | {"x1": "m", "x2": "m", "a1": "m", "a2": "m", "a3": "m"}
    mine = weak_ties(G, me="me", communities=part)
    assert mine["v"].tolist() == ["c", "x2", "x1", "b1"]  # a-ties: same community, not bridges
    assert mine["local_bridge"].tolist() == [True, True, True, False]
    assert mine["cross_community"].tolist() == [True, False, False, True]


def test_the_mine_view_needs_a_known_me() -> None:
    G = _two_clusters()
    del G.graph["me"]
    assert len(weak_ties(G)) == G.number_of_edges()  # no me: every tie
    with pytest.raises(NotConfiguredError):
        weak_ties(G, mine_only=True)
    with pytest.raises(PersonNotFound):
        weak_ties(G, me="nobody")


def _pair_with_mutuals(G: nx.Graph, a: str, b: str, k: int, strength: float) -> None:
    G.add_edge(a, b, strength=strength)
    for i in range(k):
        G.add_edge(a, f"{a}{b}-m{i}", strength=0.5)
        G.add_edge(b, f"{a}{b}-m{i}", strength=0.5)


@pytest.mark.parametrize(("mutuals", "strength", "expected"), [
    (5, 0.2, "moderately weak"),
    (20, 0.9, "embedded strong"),
    (MODERATE_MAX, 0.2, "moderately weak"),
    (MODERATE_MAX + 1, 0.2, "other"),           # too embedded for the band
    (5, wt.STRONG_TIE, "embedded strong"),      # all their other contacts are shared
    (0, 0.2, "bridge"),
])
def test_tie_classes(mutuals: int, strength: float, expected: str) -> None:
    G = nx.Graph()
    _pair_with_mutuals(G, "a", "b", mutuals, strength)
    G.add_edge("b", "far", strength=0.9)  # keeps the pair's own tie from being its only link
    G.add_edge("a", "far2", strength=0.9)
    tie = _by_edge(weak_ties(G, mine_only=False, communities={}))[frozenset("ab")]
    assert tie.embeddedness == mutuals
    assert tie.ties_class == expected


def test_the_moderately_weak_reason_counts_mutual_contacts() -> None:
    G = nx.Graph()
    _pair_with_mutuals(G, "a", "b", 5, 0.2)
    tie = _by_edge(weak_ties(G, mine_only=False, communities={}))[frozenset("ab")]
    assert tie.reason == "5 mutual contacts, rarely in touch"


def test_self_loops_are_ignored() -> None:
    G = _florentine()
    H = G.copy()
    H.add_edge("Medici", "Medici", strength=1.0)
    a = weak_ties(G, mine_only=False, communities={})
    b = weak_ties(H, mine_only=False, communities={})
    cols = ["u", "v", "embeddedness", "overlap", "local_bridge", "span", "only_link"]
    assert a[cols].equals(b[cols])


def test_a_graph_without_ties_gives_an_empty_frame() -> None:
    G = nx.empty_graph(3)
    assert list(weak_ties(G, mine_only=False).columns) == COLUMNS
    assert weak_ties(G, mine_only=False).empty
