"""The quick paths behind the questions give the answers of the general computations.

Each question reads only what its answer needs: ``summary`` labels the connected parts with
numpy alone, ``people`` and ``intro`` print plain rows with no pandas loaded, ``connectors`` and
``weak-ties`` compile my part of the network without NetworkX edges, a warm path search reads its
part of the network as rows, and my history reads my events once. Each shortcut is held here to
the general computation it replaces, on the bundled sample and on a store made for the edge
cases (events at the same time, LinkedIn "connected" rows after a month's last contact).
"""

from __future__ import annotations

import io
import itertools
import math
import shutil
import statistics
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import netgraph as ng
from netgraph import api
from netgraph.analytics import neglect
from netgraph.analytics.connectors import my_connectors
from netgraph.analytics.paths.plan import plan_introductions
from netgraph.analytics.paths.results import Hop, PathResult, TeamPaths
from netgraph.analytics.paths.results import Path as WarmPath
from netgraph.analytics.paths.targets import parse_target
from netgraph.analytics.paths.warm import warm_paths
from netgraph.analytics.weak_ties import _adjacency
from netgraph.analytics.weak_ties import weak_ties as classify_ties
from netgraph.cli import output
from netgraph.graph import parts, projection
from netgraph.graph.engine import engine
from netgraph.identity.lookup import resolve_person
from netgraph.report.values import json_value
from netgraph.sources.kinds import STORED_KINDS
from netgraph.store import listings, queries
from netgraph.ties.features import checkpoint_features
from netgraph.ties.history import my_history
from netgraph.ties.model import REFERRAL_POINTS
from netgraph.ties.table import people_within, tie_columns, tie_lists

PAST = "2026-05-01"  # a day the tie table is not built for: ties are computed for it


@pytest.fixture(scope="module")
def sample(sample_db):
    """The bundled sample, open read-only, so commands run beside it can open it too."""
    path, planted = sample_db
    with ng.open_store(path, read_only=True) as store:
        yield store, planted


# -- summary: connected parts with numpy alone --------------------------------------------------


def _random_graph(rng: np.random.Generator) -> tuple[int, np.ndarray, np.ndarray]:
    n = int(rng.integers(1, 200))
    m = int(rng.integers(0, 2 * n))
    return n, rng.integers(0, n, m), rng.integers(0, n, m)


def test_component_labels_are_the_connected_parts():
    rng = np.random.default_rng(3)
    cases = [_random_graph(rng) for _ in range(200)]
    order = rng.permutation(5000)  # a long path numbered at random: many hook rounds
    cases.append((5000, order[:-1], order[1:]))
    cases.append((4, np.array([2, 2]), np.array([2, 2])))  # a self-loop, nothing else
    for n, u, v in cases:
        G = nx.Graph()
        G.add_nodes_from(range(n))
        G.add_edges_from(zip(u.tolist(), v.tolist(), strict=True))
        labels = parts.component_labels(n, u, v)
        found = {frozenset(np.flatnonzero(labels == x).tolist()) for x in set(labels.tolist())}
        assert found == {frozenset(c) for c in nx.connected_components(G)}


@pytest.mark.parametrize("day", [None, PAST])
def test_summary_without_a_graph_is_the_graphs(sample, day):
    store, _ = sample
    G = ng.load_graph(store, day)
    assert parts.summary(store, as_of=day) == parts.summary(store, G)
    assert parts.summary(store, as_of=day) == projection.summary(store, as_of=day)


# -- plain rows: people, and printing without pandas -------------------------------------------


def _framed(frame: pd.DataFrame) -> list[list]:
    return [[json_value(v) for v in row] for row in frame.itertuples(index=False)]


@pytest.mark.parametrize("limit", [0, 1, 7, None])
def test_people_rows_are_the_first_people_of_the_listing(sample, limit):
    store, _ = sample
    everyone = listings.people(store)
    rows = listings.people_rows(store, limit)
    shown = everyone if limit is None else everyone.head(limit)
    assert list(rows.columns) == list(everyone.columns)
    assert len(rows) == len(everyone)
    assert [[json_value(v) for v in r] for r in rows.rows] == [
        [json_value(v) for v in r] for r in shown.itertuples(index=False)]
    assert _framed(listings.people(store, limit)) == _framed(shown)


TEXTS = ["plain", "Ann\x1b]0;x\x07 Lee\u202e", "tab\tnew\nline\rcr", "\x9b\x7f\u2066end",
         "=SUM(A1)", "Zoë", ""]
VALUES = [None, float("nan"), 0, 7, -2.5, 1234.5678, 0.1234, True, "x", datetime(2025, 1, 2),
          datetime(2025, 1, 2, 9, 30), date(2025, 1, 2), [1, "a"], (2, 3)]


def test_plain_values_print_as_the_report_functions_print_them():
    """Rows (plain values) become JSON and table cells without pandas, exactly as with it loaded."""
    import json
    import subprocess
    import sys

    code = ("import datetime, json, sys\n"
            "import netgraph.cli.output as o\n"
            f"values = eval({repr(VALUES)!r}, {{'nan': float('nan'), 'datetime': datetime}})\n"
            "print(json.dumps([[o.json_value(v) for v in values], [o._cell(v) for v in values],"
            " 'pandas' in sys.modules]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    without_pandas = json.loads(done.stdout)
    assert without_pandas == [[json_value(v) for v in VALUES], [output._cell(v) for v in VALUES],
                              False]


def test_printing_text_loads_no_pandas():
    """The command line's text escaping comes from the report's module, which loads no pandas."""
    import subprocess
    import sys

    code = ("import sys, netgraph.cli.output as o; o.safe_text('x'); o.json_text('{}'); "
            "print('pandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


@pytest.mark.parametrize("fmt", ["json", "table"])
@pytest.mark.parametrize("top", [None, 2])
def test_rows_print_as_their_frame_prints(fmt, top):
    columns = ("name", "when", "score", "note")
    rows = [(t, w, s, n) for t, w, s, n in zip(
        TEXTS, [datetime(2025, 1, 2), None, datetime(2025, 1, 2, 9, 30)] * 3,
        [0.5, None, 2000.25, 3.0, 1.0, None, 0.0], TEXTS[::-1], strict=False)]
    listing = listings.Rows(columns, rows)

    def printed(thing: object) -> str:
        buf = io.StringIO()
        output.emit(thing, fmt, top, title="T\x1b", out=buf, table_columns=["score", "name"])
        return buf.getvalue()

    assert printed(listing) == printed(listing.to_frame())


# -- which libraries a question loads -----------------------------------------------------------


def _modules(db: Path, *args: str) -> set[str]:
    """The top-level modules ``netgraph ARGS`` imports, run in a fresh process."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "netgraph", "--db", str(db),
                           *args], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return {line.rsplit("|", 1)[1].strip().split(".")[0]
            for line in done.stderr.splitlines() if line.startswith("import time:")}


@pytest.mark.parametrize(("args", "not_loaded"), [
    (["summary", "--format", "json"], {"pandas", "networkx", "scipy", "igraph", "pyarrow"}),
    (["people", "--top", "5"], {"pandas", "numpy", "networkx", "scipy", "igraph", "pyarrow"}),
    (["intro", "p0174", "--format", "json"], {"pandas", "numpy", "scipy", "igraph", "pyarrow"}),
    (["intro", "company:Tide Energy", "--team"], {"pandas", "numpy", "scipy", "igraph"}),
    (["connectors", "--format", "json"], {"pandas", "scipy", "pyarrow"}),
    (["weak-ties"], {"pandas", "scipy", "pyarrow"}),
])
def test_questions_load_only_what_they_use(sample_db, args, not_loaded):
    loaded = _modules(sample_db[0], *args)
    assert "duckdb" in loaded
    assert not loaded & not_loaded, sorted(loaded & not_loaded)


def test_questions_about_my_ties_load_no_pandas(sample_db):
    db, _ = sample_db
    with ng.open_store(db, read_only=True) as store:
        me = store.me_id
        other = int(store.scalar("SELECT max(v) FROM ties WHERE u = ?", [me]))
    heavy = {"pandas", "networkx", "scipy", "igraph", "pyarrow"}
    for args in (["ledger", "--format", "json", "--min-imbalance", "0"],
                 ["explain-tie", str(me), str(other), "--format", "json"],
                 ["neglected", "--format", "json"], ["neglected", "--dormant"]):
        loaded = _modules(db, *args)
        assert not loaded & heavy, (args, sorted(loaded & heavy))


def test_a_kept_whole_network_answer_is_read_back_with_no_pandas(sample_db, tmp_path):
    db = tmp_path / "copy.duckdb"
    shutil.copy(sample_db[0], db)
    heavy = {"pandas", "networkx", "scipy", "igraph"}
    for args in (["connectors", "--global", "--format", "json"], ["weak-ties", "--all"],
                 ["roles", "--format", "json"]):
        first = subprocess.run([sys.executable, "-m", "netgraph", "--db", str(db), *args],
                               capture_output=True, text=True, timeout=300, check=True).stdout
        loaded = _modules(db, *args)
        assert not loaded & heavy, (args, sorted(loaded & heavy))
        again = subprocess.run([sys.executable, "-m", "netgraph", "--db", str(db), *args],
                               capture_output=True, text=True, timeout=300, check=True).stdout
        assert again == first


@pytest.mark.parametrize("day", [None, PAST])
def test_whole_network_answers_from_the_compiled_ties_alone(sample, day):
    """The global connectors and every weak tie need no NetworkX edge: the same answers."""
    from netgraph.analytics.connectors import connectors
    from netgraph.analytics.weak_ties import weak_ties
    from netgraph.graph.projection import load_whole_structure

    store, _ = sample
    full, compiled = ng.load_graph(store, day), load_whole_structure(store, day)
    assert compiled.number_of_edges() == 0 < full.number_of_edges()
    pd.testing.assert_frame_equal(connectors(compiled, global_view=True),
                                  connectors(full, global_view=True))
    pd.testing.assert_frame_equal(weak_ties(compiled, mine_only=False),
                                  weak_ties(full, mine_only=False))


def test_plain_answers_are_the_apis_frames(sample):
    """The ledger and an explanation as plain rows are the API's frames, value for value."""
    store, _ = sample
    me = store.me_id
    other = int(store.scalar("SELECT max(v) FROM ties WHERE u = ?", [me]))
    for day in (None, PAST):
        for frame, rows in ((ng.ledger(store, day, min_imbalance=0),
                             ng.ledger(store, day, min_imbalance=0, as_frame=False)),
                            (ng.explain_tie(store, me, other, day),
                             ng.explain_tie(store, me, other, day, as_frame=False))):
            assert len(rows) == len(frame) > 0
            pd.testing.assert_frame_equal(rows.to_frame(), frame)
    for day in (None, PAST):
        for frame, rows in ((ng.neglected(store, day), ng.neglected(store, day, as_frame=False)),
                            (ng.dormant(store, day), ng.dormant(store, day, as_frame=False))):
            pd.testing.assert_frame_equal(rows.to_frame(), frame)


# -- warm paths: their part of the network, read as rows -----------------------------------------


def _bfs(G: nx.Graph, centres: list[int], hops: int, floor: float | None) -> set[int]:
    H = G if floor is None else G.edge_subgraph(
        [(a, b) for a, b, s in G.edges(data="strength") if s >= floor])
    reached = set(centres)
    for c in centres:
        if c in H:
            reached |= set(nx.single_source_shortest_path_length(H, c, cutoff=hops))
    return reached


@pytest.mark.parametrize("day", [None, PAST])
def test_people_within_reach_breadth_first(sample, day):
    store, _ = sample
    G = ng.load_graph(store, day)
    me, far = store.me_id, resolve_person(store, "p0174")
    for centres in ([me], [far], [me, far, 10_000_000]):
        for hops in (0, 1, 2, 3):
            for floor in (None, 0.5):
                assert people_within(store, centres, hops=hops, as_of=day,
                                     min_strength=floor) == _bfs(G, centres, hops, floor)


@pytest.mark.parametrize("day", [None, PAST])
def test_tie_lists_hold_the_values_of_the_arrays(sample, day):
    store, _ = sample
    ids = people_within(store, [store.me_id], hops=1, as_of=day)
    columns = ("u", "v", *projection.EDGE_ATTRIBUTES)
    arrays = tie_columns(store, day, people=ids, among=True, columns=columns, ordered=True)
    lists = tie_lists(store, day, people=ids, among=True, columns=columns, ordered=True)
    assert len(lists["u"]) == len(arrays["u"]) > 0
    for c in columns:  # computed for a past day, DuckDB adds the sums in any order: 12 decimals
        assert _rounded(projection._column(lists, c)) == _rounded(projection._column(arrays, c)), c


def _rounded(values: list) -> list:
    return [round(x, 12) if isinstance(x, float) else x for x in values]


def _edges(G: nx.Graph) -> dict:
    """Each tie's attributes; sums to 12 decimals (computed for a past day, the sums of a part
    and of the whole network are added in different orders)."""
    return {(min(a, b), max(a, b)): {k: round(x, 12) if isinstance(x, float) else x
                                     for k, x in d.items()}
            for a, b, d in G.edges(data=True)}


@pytest.mark.parametrize("day", [None, PAST])
def test_the_path_part_is_the_whole_graph_cut_to_its_people(sample, day):
    store, _ = sample
    G = ng.load_graph(store, day)
    me, far = store.me_id, resolve_person(store, "p0174")
    part = projection.load_path_part(store, [me], [far], max_hops=3, min_strength=0.5, as_of=day)
    ids = _bfs(G, [me], 2, 0.5) | _bfs(G, [far], 2, 0.5)
    whole = G.subgraph(ids)
    assert dict(part.nodes(data=True)) == dict(whole.nodes(data=True))
    assert _edges(part) == _edges(whole)
    assert part.graph == {**G.graph, "centres": [far], "hops": 2}
    assert len(engine(part).src) == part.number_of_edges()  # compiled from the rows it kept


def _plain(rows: list[dict]) -> list[list]:
    return [[json_value(v) for v in r.values()] for r in rows]


@pytest.mark.parametrize("day", [None, PAST])
def test_intro_answers_are_the_frames(sample, day):
    store, _ = sample
    for target in ("p0174", "company:Tide Energy", "city:Paris"):
        result = api.intro(store, target, day)
        assert result.rows() and _plain(result.rows()) == _framed(result.to_frame())
        team = api.intro(store, target, day, team=True)
        assert _plain(team.rows()) == _framed(team.to_frame())


def _members(store: ng.Store, goal: int | str) -> list[int]:
    group = parse_target(goal)
    return queries.group_members(store, group.attr, group.value) if group else [goal]


@pytest.mark.parametrize("day", [None, PAST])
def test_intro_reads_only_what_warm_paths_read(sample, day):
    """The part with only the ties' attributes the search reads answers as the whole part does."""
    store, _ = sample
    me = store.me_id
    same = (lambda rows: rows) if day is None else _rounded_rows  # a past day: sums in any order
    targets = ("p0174", "p0118", "company:Tide Energy", "city:Paris", "tag:advisor")
    settings = ((3, 3, 0.5), (5, 2, 0.3))
    if day is not None:  # ties computed from the interactions each time: a few cases suffice
        targets, settings = targets[::2], settings[:1]
    for target in targets:
        goal = api._target(store, target)
        for k, hops, floor in settings:
            full = projection.load_path_part(store, [me], _members(store, goal), max_hops=hops,
                                             min_strength=floor, as_of=day)
            expected = warm_paths(full, me, goal, k=k, max_hops=hops, min_strength=floor)
            got = api.intro(store, target, day, k=k, max_hops=hops, min_strength=floor)
            assert expected.rows()
            assert same(_plain(got.rows())) == same(_plain(expected.rows()))
            assert got.advice == expected.advice
    targets = ["p0174", "company:Tide Energy"]
    goals = [api._target(store, t) for t in targets]
    full = projection.load_path_part(store, [me], [m for g in goals for m in _members(store, g)],
                                     max_hops=3, min_strength=0.5, as_of=day)
    planned = plan_introductions(full, goals, source=me, max_hops=3, min_strength=0.5)
    assert same(_framed(api.plan(store, targets, day))) == same(_framed(planned))


def _rounded_rows(rows: list[list]) -> list[list]:
    return [_rounded(r) for r in rows]


def _path(people: tuple, strength: float) -> WarmPath:
    hop = Hop(people[0], people[1], "a", "b", strength, strength >= 0.5, None, "")
    return WarmPath(people, tuple(str(p) for p in people), (hop,), strength >= 0.5, "")


def _result(source: int, best: float | None, closest: float | None) -> PathResult:
    warm = (_path((source, 99), best),) if best is not None else ()
    near = _path((source, 99), closest) if closest is not None else None
    return PathResult(source, f"m{source}", 99, "t", (99,), warm, (), near, "", 0.5, 3)


def test_team_rows_keep_the_frames_order():
    results = {1: _result(1, None, 0.2), 2: _result(2, 0.7, None), 3: _result(3, None, None),
               4: _result(4, 0.9, None), 5: _result(5, 0.7, None), 6: _result(6, None, 0.2),
               7: _result(7, None, 0.4)}
    team = TeamPaths(99, results, 4, "")
    assert [r["member_id"] for r in team.rows()] == team.to_frame()["member_id"].tolist()
    assert [r["member_id"] for r in team.rows()] == [4, 2, 5, 7, 1, 6, 3]


# -- connectors and weak ties: my part compiled, without NetworkX edges -------------------------


def test_the_structure_graph_compiles_as_my_part_does(sample):
    store, _ = sample
    full = api.my_part(store)
    light = projection.load_structure(store, [store.me_id], hops=api.MY_HOPS)
    assert light.number_of_edges() == 0
    assert dict(light.nodes(data=True)) == dict(full.nodes(data=True))
    assert light.graph == full.graph
    a, b = engine(light), engine(full)
    assert a.nodes == b.nodes
    for name in ("src", "dst", "strength", "distance"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    pd.testing.assert_frame_equal(my_connectors(light), my_connectors(full))
    for mine in (True, False):
        pd.testing.assert_frame_equal(classify_ties(light, mine_only=mine),
                                      classify_ties(full, mine_only=mine))


def test_the_adjacency_finds_exactly_the_ties(sample):
    store, _ = sample
    E = engine(api.my_part(store, hops=1))
    A, deg = _adjacency(E)
    ties = {(a, b) for a, b in zip(E.src.tolist(), E.dst.tolist(), strict=True) if a != b}
    ties |= {(b, a) for a, b in ties}
    rng = np.random.default_rng(5)
    rows, cols = rng.integers(0, E.n, 5000), rng.integers(0, E.n, 5000)
    rows = np.r_[rows, E.src]
    cols = np.r_[cols, E.dst]
    assert A.has(rows, cols).tolist() == [(r, c) in ties for r, c in zip(rows.tolist(),
                                                                        cols.tolist(), strict=True)]
    assert deg.tolist() == [sum(1 for a, _ in ties if a == i) for i in range(E.n)]


# -- my history: my events read once, only the people named ------------------------------------


@pytest.mark.parametrize("day", [None, PAST])
def test_my_history_names_only_whom_the_answers_name(sample, day):
    store, _ = sample
    full, named = my_history(store, day), my_history(store, day, everyone=False)
    assert len(named.people) < len(full.people)
    assert neglect.neglected(named) == neglect.neglected(full)
    assert neglect.dormant(named) == neglect.dormant(full)
    ledger = my_history(store, day, contacts=False, everyone=False)
    assert neglect.ledger(ledger, min_imbalance=0) == neglect.ledger(full, min_imbalance=0)
    assert len(neglect.neglected(full)) > 0 and len(neglect.ledger(full, min_imbalance=0)) > 0


@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    """Me and four people: meetings at one time, groups, and "connected" rows after contact."""
    folder = tmp_path_factory.mktemp("crowded")
    rows = ["date,from,to,kind"]
    start = datetime(2024, 1, 3, 9, 0)
    for k in range(90):
        when = start + timedelta(days=11 * k, hours=k % 5)
        kind = ("meeting", "call", "email", "message")[k % 4]
        to = ["b@x.io", "b@x.io;c@x.io", "b@x.io;c@x.io;d@x.io", "c@x.io",
              "d@x.io;e@x.io;c@x.io;b@x.io"][k % 5]
        sender = "" if k % 3 else "b@x.io"
        rows.append(f"{when.isoformat()},{sender},{to},{kind}")
        if k % 7 == 0:  # two more contacts at the very same time, in other groups
            rows.append(f"{when.isoformat()},,b@x.io;e@x.io,call")
            rows.append(f"{when.isoformat()},c@x.io,b@x.io,email")
    # to become LinkedIn "connected" rows: the last of their month, or alone in it
    for when in ("2023-12-15T10:00:00", "2024-02-29T23:59:00", "2024-05-31T23:59:00",
                 "2025-08-31T23:59:00"):
        rows.append(f"{when},,b@x.io;c@x.io,other")
    (folder / "i.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "n.csv").write_text(
        "date,introducer,a,b,status\n2024-03-05,b@x.io,me@x.io,c@x.io,converted\n"
        "2024-11-30,me@x.io,b@x.io,d@x.io,made\n2025-02-01,c@x.io,me@x.io,e@x.io,requested\n",
        encoding="utf-8")
    db = folder / "crowded.duckdb"
    with ng.open_store(db) as store:
        ng.set_me(store, "Me", email="me@x.io")
        ng.import_files(store, [folder / "i.csv", folder / "n.csv"])
        # LinkedIn "connected" rows (only a LinkedIn export makes them, a CSV refuses the kind)
        store.con.execute("UPDATE interactions SET kind = 'connected' WHERE kind = 'other'")
    return db


def _intro_pairs(r: object) -> list[tuple[int, int]]:
    """The ties an introduction makes: the introducer with each side, the sides once made."""
    made = [(r.a_id, r.b_id)] if r.status in ("made", "converted") else []
    return [(r.introducer_id, r.a_id), (r.introducer_id, r.b_id), *made]


def _reference(store: ng.Store, day: str) -> pd.DataFrame:
    """Checkpoint features by their definition, event by event, in Python."""
    me, bound = store.me_id, datetime.fromisoformat(day) + timedelta(days=1)
    events = store.sql(
        "SELECT p.person_id AS other, i.occurred_at AS t, i.kind, i.initiator_id, i.n_participants "
        "FROM interaction_participants m JOIN interactions i USING (interaction_id) "
        "JOIN interaction_participants p USING (interaction_id) "
        "WHERE m.person_id = ? AND p.person_id <> ? AND i.occurred_at < ? AND i.n_participants <= 50",
        [me, me, bound])
    intros = store.sql("SELECT occurred_on, introducer_id, a_id, b_id, status FROM introductions")
    out = []
    for other, ev in events.groupby("other"):
        u, v = min(me, other), max(me, other)
        talk = ev[ev["kind"] != "connected"]
        for _, month in talk.groupby(talk["t"].dt.to_period("M")):
            at = month["t"].max()
            upto = ev[ev["t"] <= at]
            spoken = upto[upto["kind"] != "connected"]
            year = spoken[spoken["t"] > at - pd.Timedelta(days=365)]
            kinds = [k for k in STORED_KINDS if k in set(upto["kind"])]
            links = [r.status for r in intros.itertuples() if pd.Timestamp(r.occurred_on) <= at
                     for x, y in _intro_pairs(r) if (min(x, y), max(x, y)) == (u, v)]
            out.append({
                "u": u, "v": v, "at": at, "n_interactions": len(upto),
                "n_one_to_one": int((upto["n_participants"] == 2).sum()),
                "weighted_contacts": float((1 / (upto["n_participants"] - 1)).sum()),
                "weighted_12m": float((1 / (year["n_participants"] - 1)).sum()),
                "n_from_u": int((upto["initiator_id"] == u).sum()),
                "n_from_v": int((upto["initiator_id"] == v).sum()),
                "first_contact": spoken["t"].min(), "last_contact": at,
                "n_channels": len([k for k in kinds if k != "connected"]), "kinds": ";".join(kinds),
                "n_intros": len(links), "n_converted": links.count("converted"),
                "intro_score": float(sum(REFERRAL_POINTS[status] for status in links)),
            })
    return pd.DataFrame(out).sort_values(["u", "v", "at"], ignore_index=True)


_LATE_CONNECTED = """
SELECT count(*) FROM (
    SELECT date_trunc('month', occurred_at) AS m,
           max(occurred_at) FILTER (WHERE kind = 'connected') AS linked,
           max(occurred_at) FILTER (WHERE kind <> 'connected') AS spoke
    FROM interactions GROUP BY 1)
WHERE linked > spoke OR (linked IS NOT NULL AND spoke IS NULL)
"""


@pytest.mark.parametrize("day", ["2024-06-30", "2026-12-31"])
def test_checkpoints_are_their_definition(crowded, day):
    with ng.open_store(crowded, read_only=True) as store:
        assert store.scalar(_LATE_CONNECTED) >= 3  # the cases the checkpoints must get right
        found = checkpoint_features(store, day)
        expected = _reference(store, day)
    assert len(found) == len(expected) > 15
    for column in expected.columns:
        got, want = found[column].tolist(), expected[column].tolist()
        if column.startswith("weighted") or column == "intro_score":
            assert got == pytest.approx(want, abs=1e-12), column
        else:
            assert [pd.Timestamp(x) if isinstance(x, datetime) else x for x in got] == want, column


@pytest.mark.parametrize("day", ["2024-06-30", "2026-12-31"])
def test_peaks_in_the_store_are_the_models_peaks_over_the_checkpoints(crowded, sample_db, day):
    """my_peaks (the model in SQL) = the numpy model over checkpoint_features, at its largest."""
    from netgraph.ties.features import my_peaks
    from netgraph.ties.model import strength

    for db in (crowded, sample_db[0]):
        with ng.open_store(db, read_only=True) as store:
            me = store.me_id
            found = my_peaks(store, day)
            points = checkpoint_features(store, day)
        points["strength"] = strength(points)
        points["other"] = points["v"].where(points["u"] == me, points["u"])
        best = points.sort_values(["strength", "at"], kind="stable").groupby("other").tail(1)
        best = best.sort_values("other")
        assert len(found) == len(best) >= 4
        assert [r[0] for r in found] == best["other"].tolist()
        assert [r[1] for r in found] == pytest.approx(best["strength"].tolist(), abs=1e-12)
        assert [pd.Timestamp(r[2]) for r in found] == best["at"].tolist()


def test_gaps_are_between_contact_days(crowded):
    with ng.open_store(crowded, read_only=True) as store:
        hist = my_history(store, "2025-06-30")
        gaps = hist.gaps.to_frame()
        days = store.sql(
            "SELECT DISTINCT p.person_id AS other, CAST(i.occurred_at AS DATE) AS day "
            "FROM interaction_participants m JOIN interactions i USING (interaction_id) "
            "JOIN interaction_participants p USING (interaction_id) WHERE m.person_id = ? "
            "AND p.person_id <> ? AND i.kind <> 'connected' AND i.occurred_at < '2025-07-01'",
            [store.me_id, store.me_id])
    assert sorted(gaps["other"]) == sorted(set(days["other"]))
    for other, got in gaps.set_index("other").iterrows():
        mine = sorted(days.loc[days["other"] == other, "day"])
        gaps = [(b - a).days for a, b in itertools.pairwise(mine)]
        assert got["n_contact_days"] == len(mine)
        if gaps:
            assert got["median_gap_days"] == statistics.median(gaps)
        else:
            assert math.isnan(got["median_gap_days"])
