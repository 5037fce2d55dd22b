"""Warm introduction paths: hand-built networks, NetworkX by value, team search, the plan."""

from __future__ import annotations

import json
import math
from datetime import datetime
from itertools import islice, pairwise
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import netgraph as ng
from netgraph._errors import NotConfiguredError, PersonNotFound
from netgraph.analytics.paths.plan import plan_introductions
from netgraph.analytics.paths.targets import Target, parse_target
from netgraph.analytics.paths.warm import (
    DEFAULT_MIN_STRENGTH,
    team_paths,
    warm_paths,
)
from netgraph.identity.lookup import resolve_person

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
AS_OF = "2026-10-30"


def _graph(people: dict[int, str | dict], ties: list[tuple], **graph) -> nx.Graph:
    """People by id (a name, or attributes); ties as (u, v, strength[, last contact ISO])."""
    G = nx.Graph(**{"as_of": AS_OF, "team": [], "me": 0, **graph})
    for n, attrs in people.items():
        G.add_node(n, **({"name": attrs} if isinstance(attrs, str) else attrs))
    for u, v, s, *last in ties:
        G.add_edge(u, v, strength=s, distance=-math.log(s), n_interactions=3, n_one_to_one=2,
                   weighted_12m=1.0, kinds="call;meeting", n_intros=0, n_converted=0,
                   last_contact=datetime.fromisoformat(last[0]) if last else None)
    return G


# -- the weak shortcut and the strong detour ---------------------------------------------------
@pytest.fixture
def detour() -> nx.Graph:
    """Me -> Wes -> Tara is two hops but Wes is a weak tie (0.45); it is even the strongest
    route overall (0.45 * 0.99 = 0.4455). Me -> Ann -> Bo -> Tara is three strong hops
    (0.9 * 0.8 * 0.6 = 0.432)."""
    return _graph({0: "Me", 1: "Wes", 2: "Ann", 3: "Bo", 9: "Tara"},
                  [(0, 1, 0.45), (1, 9, 0.99), (0, 2, 0.9), (2, 3, 0.8), (3, 9, 0.6)])


def test_strong_detour_is_warm_and_weak_shortcut_is_cold(detour):
    r = warm_paths(detour, None, 9)
    assert [p.people for p in r.warm] == [(0, 2, 3, 9)]
    assert r.warm[0].path_strength == pytest.approx(0.9 * 0.8 * 0.6)
    assert r.warm[0].ask == 2
    assert (r.warm[0].weakest.u, r.warm[0].weakest.v) == (3, 9)
    assert [p.people for p in r.cold] == [(0, 1, 9)]
    frame = r.to_frame()
    assert frame[["label", "rank", "warm"]].values.tolist() == [["warm", 1, True], ["cold", 1, False]]
    assert frame.loc[0, "path"] == "Me → Ann → Bo → Tara"
    assert frame.loc[0, "ask"] == "Ann" and frame.loc[0, "weakest_hop"] == "Bo – Tara"
    assert frame.loc[1, "path_strength"] == pytest.approx(0.45 * 0.99)
    assert frame.loc[0, "first_step"].startswith("ask Ann (you: 3 contacts")
    hops = r.hops_frame()
    assert hops[hops["label"] == "warm"]["to"].tolist() == ["Ann", "Bo", "Tara"]
    assert hops[hops["label"] == "cold"]["warm"].tolist() == [False, True]
    assert r.advice == r.warm[0].first_step


def test_lowering_the_floor_makes_the_shortcut_warm(detour):
    r = warm_paths(detour, 0, 9, min_strength=0.4)
    assert [p.people for p in r.warm] == [(0, 1, 9), (0, 2, 3, 9)]
    assert r.cold == ()


def test_max_hops_bounds_the_intermediaries(detour):
    r = warm_paths(detour, 0, 9, max_hops=1)
    assert r.warm == ()
    assert r.closest is not None and r.closest.people == (0, 1, 9)


# -- only a weak hop ---------------------------------------------------------------------------
def test_only_weak_hop_names_the_relationship_to_strengthen():
    G = _graph({0: "Me", 1: "Sam", 2: "Xia", 3: "Yun", 9: "Lee"},
               [(0, 1, 0.05, "2025-08-30"), (1, 9, 0.9, "2026-10-01"),
                (0, 2, 0.9), (2, 3, 0.9)])
    r = warm_paths(G, None, 9)
    assert r.warm == ()
    assert r.closest.people == (0, 1, 9)
    assert r.advice.startswith("strengthen your tie to Sam first: last contact 14 months ago")
    assert "Xia" not in r.advice and "Yun" not in r.advice
    assert r.to_frame()["label"].tolist() == ["cold"]


def test_weak_hop_between_others_is_named():
    G = _graph({0: "Me", 1: "Sam", 9: "Lee"}, [(0, 1, 0.9), (1, 9, 0.2, "2026-01-15")])
    r = warm_paths(G, None, 9)
    assert r.warm == ()
    assert r.advice.startswith("Sam's tie to Lee is too weak to ask on: last contact 9 months ago")


def test_no_route_at_all():
    G = _graph({0: "Me", 1: "Sam", 9: "Lee"}, [(0, 1, 0.9)])
    r = warm_paths(G, None, 9)
    assert r.warm == () and r.cold == () and r.closest is None
    assert r.advice.startswith("no route to Lee within 3 intermediaries")


def test_direct_warm_tie_needs_no_introducer(detour):
    r = warm_paths(detour, 0, 2)
    assert r.warm[0].people == (0, 2) and r.warm[0].ask is None
    assert r.warm[0].first_step.startswith("you know Ann directly")


def test_errors_say_what_to_do(detour):
    detour.graph["me"] = None
    with pytest.raises(NotConfiguredError, match="me"):
        warm_paths(detour, None, 9)
    with pytest.raises(PersonNotFound, match="company:NAME"):
        warm_paths(detour, 0, 404)
    with pytest.raises(PersonNotFound, match="no one matches"):
        warm_paths(detour, 0, "company:Nowhere")


# -- group targets -----------------------------------------------------------------------------
@pytest.fixture
def groups() -> nx.Graph:
    def p(name, company=None, city=None, tags=()):
        return {"name": name, "company": company, "city": city, "tags": list(tags)}

    people = {
        0: p("Me", "Home", "London"), 1: p("Ann", "Home", "London"), 2: p("Bo", "Beta", "Paris"),
        3: p("Cy", "Acme", "Lisbon", ["fintech"]), 4: p("Di", "ACME ", "Porto"),
        5: p("Ed", "Acme", "Lisbon", ["FinTech", "vc"]), 6: p("Fe", "Gamma", "Lisbon"),
        7: p("Gus", "Delta", "Berlin"),
    }
    return _graph(people, [(0, 1, 0.95), (1, 3, 0.9), (3, 5, 0.99), (0, 2, 0.8), (2, 4, 0.7),
                           (2, 6, 0.6), (0, 7, 0.9), (7, 5, 0.3)])


def test_company_target_ends_at_members_and_never_runs_through_one(groups):
    r = warm_paths(groups, None, "company:acme")
    assert set(r.members) == {3, 4, 5}
    assert [p.people for p in r.warm] == [(0, 1, 3), (0, 2, 4)]  # Ed only via Cy or a weak tie
    assert all(groups.nodes[p.people[-1]]["company"].strip().lower() == "acme" for p in r.warm)
    assert r.to_frame()["target"].tolist()[:2] == ["Cy", "Di"]
    assert [p.people for p in r.cold] == [(0, 7, 5)]


def test_city_and_tag_targets(groups):
    r = warm_paths(groups, None, "city:LISBON")
    assert [p.people for p in r.warm] == [(0, 1, 3), (0, 2, 6)]
    assert all(groups.nodes[p.people[-1]]["city"] == "Lisbon" for p in (*r.warm, *r.cold))
    tagged = warm_paths(groups, None, "tag:fintech", k=1)
    assert [p.people for p in tagged.warm] == [(0, 1, 3)]


def test_one_parser_reads_every_spelling_of_a_group_target(groups):
    assert parse_target(" Company : Acme ") == Target("company", "Acme")
    assert str(parse_target("TAG:fintech")) == "tag:fintech"
    assert parse_target("Dana Lee") is None and parse_target("12") is None
    assert parse_target("team:Acme") is None and parse_target(3) is None
    spelled = warm_paths(groups, None, " Company : acme ")
    assert spelled.target_name == "company:acme"
    assert spelled.members == warm_paths(groups, None, "company:acme").members


# -- team ------------------------------------------------------------------------------------
def test_team_paths_names_the_member_with_the_warmest_path():
    G = _graph({0: "Me", 1: "Tom", 2: "Uma", 3: "Vic", 9: "Lee"},
               [(0, 9, 0.2), (0, 1, 0.99), (0, 2, 0.99), (1, 3, 0.6), (3, 9, 0.6),
                (2, 9, 0.85)], team=[1, 2])
    t = team_paths(G, 9)
    assert t.member == 2
    assert t.advice.startswith("Uma has the warmest path (0.85): Uma knows Lee directly")
    frame = t.to_frame()
    assert frame["member_id"].tolist()[0] == 2 and frame["should_ask"].tolist()[0]
    assert t.results[1].best.people == (1, 0, 2, 9)  # Tom's best path runs through me and Uma
    mine = team_paths(G, 9, team=[0, 1])  # me through Uma (0.84) beats Tom through me (0.83)
    assert mine.member == 0 and mine.advice.startswith("you have the warmest path (0.84): ask Uma")


def test_team_paths_needs_a_team():
    G = _graph({0: "Me", 9: "Lee"}, [(0, 9, 0.9)], me=None)
    with pytest.raises(NotConfiguredError):
        team_paths(G, 9)


# -- NetworkX by value -------------------------------------------------------------------------
def _warm(G: nx.Graph, floor: float = DEFAULT_MIN_STRENGTH) -> nx.Graph:
    W = nx.Graph()
    W.add_nodes_from(G)
    W.add_edges_from((u, v, d) for u, v, d in G.edges(data=True) if d["strength"] >= floor)
    return W


def _reference(G: nx.Graph, s, t, k: int, max_hops: int, floor: float) -> list[list]:
    """First k of NetworkX's Yen on the floor subgraph, keeping paths of <= max_hops + 1 ties."""
    W = _warm(G, floor)
    try:
        gen = nx.shortest_simple_paths(W, s, t, weight="distance")
        return list(islice((p for p in gen if len(p) - 1 <= max_hops + 1), k))
    except nx.NetworkXNoPath:
        return []


def _strength(G: nx.Graph, path) -> float:
    return math.prod(G[a][b]["strength"] for a, b in pairwise(path))


STRENGTHS = st.one_of(st.sampled_from([0.05, 0.3, 0.5, 0.6, 0.75, 0.9, 1.0]),
                      st.floats(0.01, 1.0))


@st.composite
def small_graphs(draw):
    n = draw(st.integers(2, 8))
    pairs = [(u, v) for u in range(n) for v in range(u + 1, n)]
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs)))
    ties = [(u, v, draw(STRENGTHS)) for u, v in chosen]
    return _graph({i: f"P{i}" for i in range(n)}, ties), n


@settings(max_examples=200, deadline=None)
@given(small_graphs(), st.integers(1, 4), st.integers(0, 3), st.data())
def test_k_best_warm_paths_equal_networkx(gn, k, max_hops, data):
    G, n = gn
    s = data.draw(st.integers(0, n - 1))
    t = data.draw(st.integers(0, n - 1).filter(lambda x: x != s))
    r = warm_paths(G, s, t, k=k, max_hops=max_hops)
    ref = _reference(G, s, t, k, max_hops, DEFAULT_MIN_STRENGTH)
    assert [p.path_strength for p in r.warm] == pytest.approx([_strength(G, p) for p in ref],
                                                              abs=1e-9, rel=0)
    more = [_strength(G, p) for p in _reference(G, s, t, k + 1, max_hops, DEFAULT_MIN_STRENGTH)]
    if all(abs(a - b) > 1e-9 for a, b in pairwise(more)):
        assert [list(p.people) for p in r.warm] == ref  # no ties: the same paths, in order
    # the closest fair path is the best route with the floor dropped
    dropped = _reference(G, s, t, 1, max_hops, 0.0)
    if not r.warm and dropped:
        assert r.closest.path_strength == pytest.approx(_strength(G, dropped[0]), abs=1e-9)
    assert all(not p.warm and len(p.hops) <= max_hops + 1 for p in r.cold)


@settings(max_examples=100, deadline=None)
@given(small_graphs(), st.integers(1, 3), st.integers(0, 2), st.data())
def test_group_targets_equal_networkx_per_member(gn, k, max_hops, data):
    """One path per member, the k best members; a path never runs through another member."""
    G, n = gn
    s = data.draw(st.integers(0, n - 1))
    members = data.draw(st.sets(st.integers(0, n - 1).filter(lambda x: x != s), min_size=1))
    for m in range(n):
        G.nodes[m]["company"] = "Acme" if m in members else "Other"
    r = warm_paths(G, s, "company:acme", k=k, max_hops=max_hops)
    W = _warm(G)
    best = []
    for m in members:
        Wm = W.subgraph(set(W) - (members - {m}))
        paths = nx.all_simple_paths(Wm, s, m, cutoff=max_hops + 1)
        best.append(max((_strength(G, p) for p in paths), default=None))
    expected = sorted((b for b in best if b is not None), reverse=True)[:k]
    assert [p.path_strength for p in r.warm] == pytest.approx(expected, abs=1e-9, rel=0)
    assert all(p.people[-1] in members and not set(p.people[1:-1]) & members for p in r.warm)


@settings(max_examples=100, deadline=None)
@given(small_graphs(), st.integers(0, 3), st.data())
def test_plan_cover_sets_equal_all_warm_paths(gn, max_hops, data):
    """Every first intermediary of any warm path covers the target (not only the k best)."""
    from netgraph.analytics.paths.plan import _cover_sets

    G, n = gn
    s = data.draw(st.integers(0, n - 1))
    t = data.draw(st.integers(0, n - 1).filter(lambda x: x != s))
    W = _warm(G)
    direct, via = _cover_sets(G, s, (t,), DEFAULT_MIN_STRENGTH, max_hops + 1)
    assert direct == W.has_edge(s, t)
    expected: dict[int, float] = {}
    if not direct:
        for p in nx.all_simple_paths(W, s, t, cutoff=max_hops + 1):
            expected[p[1]] = max(expected.get(p[1], 0.0), _strength(G, p))
    assert {a: hit[0] for a, hit in via.items()} == pytest.approx(expected, abs=1e-9, rel=0)
    assert all(hit[1][:2] == [s, a] and hit[1][-1] == t for a, hit in via.items())


# -- the plan ----------------------------------------------------------------------------------
def test_plan_is_the_greedy_cover():
    """Ann alone covers T1, T2 and T3; T4 needs Bo or Cy, T5 needs Di; T6 is behind a weak hop,
    T7 I know well. Greedy: Ann (3 targets), then Di (1 target; 0.81 beats Bo's 0.63 and Cy's
    0.54), then Bo. Three introducers is also the optimum: T1, T4 and T5 have no introducer in
    common. Bo's stronger path to T3 does not make him cover it: Ann already does."""
    names = {0: "Me", 1: "Ann", 2: "Bo", 3: "Cy", 4: "Di", 5: "Sam", 11: "T1", 12: "T2",
             13: "T3", 14: "T4", 15: "T5", 16: "T6", 17: "T7"}
    G = _graph(names, [
        (0, 1, 0.9), (0, 2, 0.9), (0, 3, 0.9), (0, 4, 0.9), (0, 5, 0.1), (0, 17, 0.8),
        (1, 11, 0.9), (1, 12, 0.9), (1, 13, 0.55), (2, 13, 0.95), (2, 14, 0.7), (3, 14, 0.6),
        (4, 15, 0.9), (5, 16, 0.9)])
    plan = plan_introductions(G, [11, 12, 13, 14, 15, 16, 17], max_hops=1)
    assert plan["status"].tolist() == ["introducer"] * 3 + ["direct", "no warm path"]
    assert plan["introducer"].tolist()[:3] == ["Ann", "Di", "Bo"]
    assert plan["target_ids"].tolist() == [[11, 12, 13], [15], [14], [17], [16]]
    assert plan.loc[1, "min_path_strength"] == pytest.approx(0.81)
    assert plan.loc[4, "advice"].startswith("strengthen your tie to Sam first")
    assert plan["introducer_id"].tolist()[:3] == [1, 4, 2]


def test_plan_with_group_targets(groups):
    """Bo reaches Acme (through Di) and Porto; Ann only Acme. Bo is in Paris and Gus (7) is a
    warm tie of mine: both direct."""
    plan = plan_introductions(groups, ["company:Acme", "city:Porto", "city:Paris", 7])
    assert plan["status"].tolist() == ["introducer", "direct"]
    assert plan.loc[0, "introducer"] == "Bo"
    assert plan.loc[0, "target_ids"] == ["company:Acme", "city:Porto"]
    assert plan.loc[0, "paths"] == "Me → Bo → Di | Me → Bo → Di"
    assert plan.loc[1, "target_ids"] == ["city:Paris", 7]


# -- the bundled sample ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample():
    planted = json.loads((SAMPLE / "planted.json").read_text())
    with ng.open_store(":memory:") as store:
        ng.import_file(store, SAMPLE / "contacts.csv")
        ng.set_me(store, planted["me"]["id"])
        ng.import_files(store, [SAMPLE / f"{k}.csv" for k in ("interactions", "introductions",
                                                              "followups")])
        G = ng.load_graph(store, as_of=planted["end"])
        ids = {p["id"]: resolve_person(store, p["id"]) for p in (
            *planted["hard_to_reach"], *planted["weak_only"])}
        ids[planted["weak_only"][0]["weak_hop"][1]] = resolve_person(store,
            planted["weak_only"][0]["weak_hop"][1])
    return G, planted, ids


def test_sample_hard_to_reach_paths_match_networkx(sample):
    G, planted, ids = sample
    me = G.graph["me"]
    for person in planted["hard_to_reach"]:
        t = ids[person["id"]]
        r = warm_paths(G, None, t)
        ref = _reference(G, me, t, 3, 3, DEFAULT_MIN_STRENGTH)
        assert [p.path_strength for p in r.warm] == pytest.approx(
            [_strength(G, p) for p in ref], abs=1e-9, rel=0), person["name"]
        best = nx.shortest_path(G, me, t, weight="distance")  # unbounded, floor dropped
        assert len(best) - 2 <= 3
        top = r.warm[0] if r.warm else r.closest
        assert max([top.path_strength, *(p.path_strength for p in r.cold)]) == pytest.approx(
            _strength(G, best), abs=1e-12)
        if r.warm:  # the planted connector is the one to ask on the best warm path
            assert G.nodes[r.warm[0].ask]["name"] == next(
                c["name"] for c in planted["connectors"] if c["id"] == person["via"])


def test_sample_weak_only_targets_name_the_old_event_tie(sample):
    G, planted, ids = sample
    for person in planted["weak_only"]:
        r = warm_paths(G, None, ids[person["id"]])
        weak = G.nodes[ids[person["weak_hop"][1]]]["name"]
        assert r.warm == ()
        assert r.advice.startswith(f"strengthen your tie to {weak} first: last contact")
