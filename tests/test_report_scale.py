"""The report at scale: an ego view read from my neighbourhood, and a cached community map."""

from __future__ import annotations

import shutil

import networkx as nx
import pandas as pd
import pytest

import netgraph as ng
from netgraph.analytics.connectors import my_connectors
from netgraph.graph.projection import load_neighbourhood
from netgraph.report import community_map as cmap
from netgraph.report import html as report
from tests.test_report_tables import report_json

AS_OF = "2026-10-30"


@pytest.fixture(scope="module")
def built(sample_db, tmp_path_factory):
    """The default report of the sample (ego view), and the whole graph to check it against."""
    db, planted = sample_db
    out = tmp_path_factory.mktemp("ego") / "ego.html"
    with ng.open_store(db, read_only=True) as store:
        report.build_report(store, as_of=AS_OF, out=out)
        G = ng.load_graph(store, AS_OF)
        ranked = my_connectors(load_neighbourhood(store, [store.me_id], hops=2, as_of=AS_OF))
        frame = cmap.membership(store, AS_OF)
    return report_json(out), G, ranked, frame, planted


def test_the_network_view_holds_only_my_neighbourhood(built):
    data, G, _, _, planted = built
    me = G.graph["me"]
    near = {f"p{n}" for n in nx.single_source_shortest_path_length(G, me, cutoff=2)}
    shown = {n["id"] for n in data["nodes"]}
    assert f"p{me}" in shown
    assert shown <= near
    assert len(near) < G.number_of_nodes()  # so the check above could fail
    figures = {f["label"]: f["value"] for f in data["figures"]}
    assert figures["people"] == f"{planted['people']:,}"  # the summary is the whole store's
    assert any("within 2 hops of you" in line for line in data["footer"])


def test_names_on_the_canvas_never_lie_over_each_other(built):
    data = built[0]
    named = [n for n in data["nodes"] if n.get("label") and n.get("shape") != "star"]
    assert len(named) >= 3  # me aside, some connectors are named
    for i, a in enumerate(named):
        for b in named[i + 1:]:
            size = a["font"]["size"]
            apart_x = abs(a["x"] - b["x"]) >= 0.3 * size * (len(a["label"]) + len(b["label"]))
            assert apart_x or abs(a["y"] - b["y"]) >= size * 1.2, (a["label"], b["label"])


def test_connectors_are_mine_by_flow(built):
    data, _, ranked, _, _ = built
    table = next(t for t in data["tables"] if t["id"] == "connectors")
    keys = [c["key"] for c in table["columns"]]
    assert {"flow_share", "unique_reach", "communities_opened", "reason"} <= set(keys)
    assert [r["name"] for r in table["rows"]] == ranked["name"].head(len(table["rows"])).tolist()
    assert table["total"] == len(ranked)


def test_community_map_has_one_node_per_community_and_the_strongest_links(built):
    data, G, _, frame, _ = built
    m = data["map"]
    sizes = frame["community"].value_counts()
    sizes = sizes[sizes >= cmap.MIN_MEMBERS]
    assert len(m["nodes"]) == min(len(sizes), cmap.MAP_COMMUNITIES) >= 3
    assert sorted(n["members"] for n in m["nodes"]) == sorted(sizes.head(len(m["nodes"])).tolist())
    me_comm = int(frame.set_index("person_id").loc[G.graph["me"], "community"])
    assert m["mine"] == f"c{me_comm}"
    assert next(n for n in m["nodes"] if n["id"] == m["mine"])["shape"] == "star"
    # links: the ties between two communities, summed (checked here with NetworkX)
    comm = frame.set_index("person_id")["community"].to_dict()
    summed: dict = {}
    for u, v, s in G.edges(data="strength"):
        a, b = sorted((comm[u], comm[v]))
        if a != b:
            summed[(a, b)] = summed.get((a, b), 0.0) + s
    tips = {(e["from"], e["to"]): e["tooltip"] for e in m["edges"]}
    assert tips
    for (a, b), tip in tips.items():
        total = summed[(int(a[1:]), int(b[1:]))]
        assert f"summed strength {total:,.1f}" in tip
    per = pd.Series([c for pair in tips for c in pair]).value_counts()
    # a link is kept when it is among the strongest few of one of its ends
    assert len(tips) <= cmap.LINKS_PER_COMMUNITY * len(m["nodes"])
    assert per.max() <= len(m["nodes"]) - 1


def test_membership_is_computed_once_and_kept(sample_db, tmp_path):
    db, _ = sample_db
    copy = tmp_path / "copy.duckdb"
    shutil.copy(db, copy)
    with ng.open_store(copy) as store:
        first = cmap.membership(store, AS_OF)
        kept = store.scalar("SELECT count(*) FROM derived_cache WHERE name = 'communities'")
        again = cmap.membership(store, AS_OF)
    assert kept == 1
    pd.testing.assert_frame_equal(first, again)
    assert list(first.columns) == ["person_id", "community", "label", "place"]


def test_one_leiden_serves_the_map_and_the_whole_network_rankings(sample_db, tmp_path,
                                                                 monkeypatch):
    """Whichever comes first computes the communities; the others read them, and agree."""
    from netgraph.analytics import connectors as conn_module

    db, _ = sample_db
    fresh, shared = tmp_path / "fresh.duckdb", tmp_path / "shared.duckdb"
    shutil.copy(db, fresh)
    shutil.copy(db, shared)
    with ng.open_store(fresh) as store:  # each computed on its own
        alone = (cmap.membership(store, AS_OF), ng.connectors(store, AS_OF, global_view=True),
                 ng.weak_ties(store, AS_OF, everyone=True))
    with ng.open_store(shared) as store:
        ranked = ng.connectors(store, AS_OF, global_view=True)  # computes and keeps them
        monkeypatch.setattr(cmap, "communities", lambda G: pytest.fail("Leiden ran again"))
        monkeypatch.setattr(conn_module, "find_communities", lambda G: pytest.fail("again"))
        kept = cmap.membership(store, AS_OF)
        ties = ng.weak_ties(store, AS_OF, everyone=True)
    pd.testing.assert_frame_equal(kept, alone[0])
    pd.testing.assert_frame_equal(ranked, alone[1])
    pd.testing.assert_frame_equal(ties, alone[2])


@pytest.mark.parametrize("keep_org", [False, True])
def test_redacted_map_labels_hold_no_tags(sample_db, tmp_path, keep_org):
    db, _ = sample_db
    with ng.open_store(db, read_only=True) as store:
        out = report.build_report(store, as_of=AS_OF, out=tmp_path / "r.html", redact=True,
                                  keep_org=keep_org)
        tags = {t.replace("-", " ") for ts in ng.load_graph(store, AS_OF).nodes(data="tags")
                for t in ts[1] or []}
    labels = [n["label"] for n in report_json(out)["map"]["nodes"]]
    assert not set(labels) & tags
    if not keep_org:
        assert all(label.startswith("community ") for label in labels)


def test_community_labels_that_repeat_are_told_apart():
    """Two communities named alike (same company and city) get numbered; the largest keeps the name."""
    frame = pd.DataFrame({"community": [0, 1, 2, 3], "label": ["Acme", "Acme", "Beta", "Acme"],
                          "place": ["Oslo", "Oslo", "Rome", "Oslo"]})
    shown = cmap._labels(frame, redact=False, keep_org=False)
    assert shown == {0: "Acme", 1: "Acme (2)", 2: "Beta", 3: "Acme (3)"}
    assert cmap._labels(frame, redact=True, keep_org=True) == {0: "Oslo", 1: "Oslo (2)", 2: "Rome",
                                                               3: "Oslo (3)"}
    assert len(set(shown.values())) == len(shown)


def test_community_names_never_repeat():
    """Two groups with the same tag read as two names; the larger keeps the bare one."""
    from netgraph.analytics.communities import community_names

    G = nx.Graph()
    G.add_nodes_from(range(7), tags=["venture-capital"])
    membership = {n: (0 if n < 4 else 1) for n in range(7)}
    assert community_names(G, membership) == {0: "venture capital", 1: "venture capital (2)"}


def test_links_between_communities_are_the_same_every_run(tmp_path):
    """Summed in a fixed order: a parallel sum's last bits would move the map's layout."""
    import numpy as np

    from netgraph.store import queries

    rng = np.random.default_rng(1)
    n = 400_000  # enough rows for DuckDB to aggregate them on several threads
    ties = pd.DataFrame({"u": rng.integers(0, 50_000, n), "v": rng.integers(50_000, 100_000, n),
                         "strength": rng.random(n)})
    members = pd.DataFrame({"person_id": np.arange(100_000),
                            "community": rng.integers(0, 40, 100_000)})
    with ng.open_store(tmp_path / "s.duckdb") as store:
        runs = {queries.community_links(store, ties, members, 5)["strength"].to_numpy().tobytes()
                for _ in range(8)}
    assert len(runs) == 1
