"""Paths suite: warm-introduction query latency against the raw k-shortest-paths calls.

Per size, one step runs in a fresh subprocess (:func:`measure`). It builds a clustered
synthetic graph in memory (:func:`synthetic_graph`: a planted-partition stochastic block
model, communities of :data:`BLOCK` people, :data:`TIES_PER_PERSON` ties per person, 90% of
them inside the community; strengths ``logistic(N(-0.4, 2))`` so about 42% reach the 0.5 warm
floor), with every edge attribute the projection gives, so explanations cost what they cost on
real data. It then picks "me" (a person of median degree) and :data:`QUERIES` targets with a
fixed seed, among the people 2 to ``max_hops + 1`` *warm* ties from me (so every query has warm
paths to find, and none is a direct tie), and times, on the same targets in the same process
(latencies in ms, median and p95):

``warm_paths``
    :func:`netgraph.analytics.paths.warm.warm_paths` with its defaults (k=3, 3 intermediaries, floor
    0.5, cold routes on): pruning and hop-bounded Yen for the warm paths, again with the floor
    dropped for the cold routes, and the explanations. The group rows query
    ``company:NAME`` (10 people) and ``city:NAME`` (a sixth of everyone), :data:`GROUP_QUERIES`
    each. *first query s* is the very first call (nothing is precomputed, so it costs the same).
``pruning`` / ``bounded Yen``
    The two stages of the warm search alone: the bounded breadth-first searches that cut the
    graph to the warm piece, and Yen with hop-bounded spur searches on that piece.
``nx / igraph on the same piece``
    The same warm piece handed to ``nx.shortest_simple_paths`` (lazily, paths longer than
    ``max_hops + 1`` ties skipped) and to igraph ``get_k_shortest_paths`` (the igraph graph
    built from the piece inside the timing, k paths, then the long ones dropped): would either
    engine beat the bounded Yen? *= nx* counts targets where NetworkX's k strengths equal
    warm_paths' (to 1e-9); *= igraph* compares the best path only (igraph has no hop bound, so
    its k paths can include long ones).
``raw nx / raw igraph``
    The raw engine calls, no floor and no hop bound, on the full graph: the first k of
    ``nx.shortest_simple_paths(G, me, t, weight="distance")`` and igraph
    ``get_k_shortest_paths`` on :func:`netgraph.graph.engine.engine`'s view (whose build, *engine
    build s*, is not in the timing). They run on the first :data:`RAW_QUERIES` targets, fewer
    once :data:`RAW_BUDGET_S` seconds per kind are spent (``n=`` says how many).

Sizes follow :data:`bench.datasets.SIZES` by people: "10k" = 1,000 people, "100k" = 10,000,
"1M" = 100,000 people and about 1M ties. *ratio* = that row's median / the warm_paths median.
The target: a single query under 1 s on 100k people / 1M ties, judged on the warm_paths p95 at
the largest size measured.
"""

from __future__ import annotations

import itertools
import sys
import time
from collections.abc import Callable
from typing import Any

from bench import Options, SuiteResult, register
from bench._child import run_step
from bench._table import mb, ratio, render, seconds, whole
from bench.datasets import SIZES

__all__ = ["measure", "run", "synthetic_graph"]

BLOCK = 100
TIES_PER_PERSON = 10
WITHIN = 0.9
QUERIES = 100
RAW_QUERIES = 100
RAW_BUDGET_S = 60.0
SEED = 11
K = 3
MAX_HOPS = 3
LIMIT_S = 1.0
GROUP_QUERIES = 20
CITIES = ("London", "Berlin", "Lisbon", "Paris", "New York", "Singapore")


def synthetic_graph(people: int, *, seed: int = SEED, ties_per_person: int = TIES_PER_PERSON,
                    block: int = BLOCK, within: float = WITHIN) -> Any:
    """A clustered referral graph with the projection's node and edge attributes."""
    from datetime import datetime, timedelta

    import networkx as nx
    import numpy as np

    rng = np.random.default_rng(seed)
    want = people * ties_per_person
    m = int(want * 1.15) + 100
    u = rng.integers(0, people, m)
    home = (u // block) * block
    inside = rng.random(m) < within
    v = np.where(inside, np.minimum(home + rng.integers(0, block, m), people - 1),
                 rng.integers(0, people, m))
    ok = u != v
    a, b = np.minimum(u, v)[ok], np.maximum(u, v)[ok]
    key = a * people + b
    _, first = np.unique(key, return_index=True)
    first = np.sort(first)[:want]
    a, b = a[first], b[first]
    n = len(a)
    strength = 1 / (1 + np.exp(-rng.normal(-0.4, 2.0, n)))
    n_inter = rng.poisson(1 + 30 * strength)
    n_one = rng.binomial(n_inter, 0.7)
    w12 = np.round(n_inter * strength * rng.random(n), 2)
    as_of = datetime(2026, 10, 30)
    silent = rng.exponential(400 * (1.05 - strength))
    kinds = np.array(["meeting", "call;meeting", "email", "call;email;meeting", "event"])
    kind = kinds[rng.integers(0, len(kinds), n)]
    intros = rng.poisson(0.2, n)
    G = nx.Graph(me=0, team=[], as_of=as_of.date().isoformat())
    G.add_nodes_from((i, {"name": f"Person {i}", "company": f"Company {i // 10}",
                          "city": CITIES[(i // block) % len(CITIES)], "title": "",
                          "country": "", "tags": [f"c{i // block}"], "category": None})
                     for i in range(people))
    G.add_edges_from(
        (int(x), int(y), {
            "strength": float(s), "distance": float(-np.log(s)), "n_interactions": int(ni),
            "n_one_to_one": int(no), "weighted_12m": float(w), "kinds": str(kd),
            "first_contact": as_of - timedelta(days=float(sd) + 400),
            "last_contact": as_of - timedelta(days=float(sd)), "n_intros": int(nn),
            "n_converted": 0, "last_intro": None})
        for x, y, s, ni, no, w, kd, sd, nn in zip(
            a.tolist(), b.tolist(), strength.tolist(), n_inter.tolist(), n_one.tolist(),
            w12.tolist(), kind.tolist(), silent.tolist(), intros.tolist(), strict=True))
    return G


def _pick(G: Any, seed: int, queries: int, max_hops: int, floor: float) -> tuple[int, list[int]]:
    """Me (a person of median degree) and targets with a warm path, with a fixed seed.

    Targets are people 2 to ``max_hops + 1`` warm ties from me (ties of at least ``floor``), so
    every query has warm paths to find, the costlier case; none is a direct tie.
    """
    import networkx as nx
    import numpy as np

    rng = np.random.default_rng(seed)
    degrees = np.array([d for _, d in G.degree()])
    typical = np.flatnonzero(np.abs(degrees - np.median(degrees)) <= 1)
    me = int(rng.choice(typical))
    warm = nx.subgraph_view(G, filter_edge=lambda u, v: G[u][v]["strength"] >= floor)
    far = nx.single_source_shortest_path_length(warm, me, cutoff=max_hops + 1)
    pool = np.array(sorted(n for n, h in far.items() if h >= 2))
    targets = rng.choice(pool, min(queries, len(pool)), replace=False).tolist()
    return me, [int(t) for t in targets]


def _stats(times: list[float]) -> dict[str, float | int | None]:
    import numpy as np

    if not times:
        return {"n": 0, "median": None, "p95": None}
    return {"n": len(times), "median": float(np.median(times)),
            "p95": float(np.percentile(times, 95))}


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = call()
    return time.perf_counter() - t0, out


def measure(people: int, seed: int = SEED, queries: int = QUERIES, k: int = K,
            max_hops: int = MAX_HOPS, raw_queries: int = RAW_QUERIES,
            raw_budget_s: float = RAW_BUDGET_S) -> dict[str, Any]:
    """One size, in its own process: build, pick, then time every method on the same targets."""
    import random
    from itertools import islice

    import networkx as nx

    from netgraph.analytics.paths import search as _path_search
    from netgraph.analytics.paths import warm as paths
    from netgraph.graph.engine import engine

    build_s, G = _timed(lambda: synthetic_graph(people, seed=seed))
    floor, L = paths.DEFAULT_MIN_STRENGTH, max_hops + 1
    me, targets = _pick(G, seed, queries, max_hops, floor)
    G.graph["me"] = me
    first_s, _ = _timed(lambda: paths.warm_paths(G, me, targets[0], k=k, max_hops=max_hops))
    times: dict[str, list[float]] = {key: [] for key in ("warm", "prune", "yen", "nx_piece",
                                                          "ig_piece")}
    n_warm = agree_nx = agree_ig = 0
    for t in targets:
        dt, res = _timed(lambda t=t: paths.warm_paths(G, me, t, k=k, max_hops=max_hops))
        times["warm"].append(dt)
        mine = [p.path_strength for p in res.warm]
        n_warm += bool(mine)
        dt, piece = _timed(lambda t=t: _path_search.prune(G, me, (t,), floor, L))
        times["prune"].append(dt)
        times["yen"].append(
            _timed(lambda piece=piece, t=t: _path_search._k_best(piece, me, t, k, L))[0])
        W = nx.Graph()
        W.add_weighted_edges_from(((a, b, d) for a in piece.adj for b, d in piece.adj[a].items()),
                                  weight="distance")
        if not mine:  # no warm path: nothing for the engines to find on the piece
            agree_nx += not (W.has_node(t) and W.has_node(me) and nx.has_path(W, me, t))
            agree_ig += 1
            continue
        dt, got = _timed(lambda W=W, t=t: list(islice(
            (p for p in nx.shortest_simple_paths(W, me, t, weight="distance") if len(p) <= L + 1),
            k)))
        times["nx_piece"].append(dt)
        agree_nx += _same([_strength(W, p) for p in got], mine)
        dt, got = _timed(lambda piece=piece, t=t: _igraph_k(piece.adj, me, t, k, L))
        times["ig_piece"].append(dt)
        agree_ig += _same([_strength(W, p) for p in got[:1]], mine[:1])
    rng = random.Random(seed)
    company_t = [_timed(lambda c=c: paths.warm_paths(G, me, f"company:Company {c}"))[0]
                 for c in rng.sample(range(people // 10), GROUP_QUERIES)]
    city_t = [_timed(lambda c=c: paths.warm_paths(G, me, f"city:{c}"))[0]
              for c in rng.choices(CITIES, k=GROUP_QUERIES)]
    engine_s, eng = _timed(lambda: engine(G))
    raw_nx: list[float] = []
    raw_ig: list[float] = []
    for t in targets[:raw_queries]:
        if sum(raw_nx) < raw_budget_s:
            raw_nx.append(_timed(lambda t=t: list(islice(
                nx.shortest_simple_paths(G, me, t, weight="distance"), k)))[0])
        if sum(raw_ig) < raw_budget_s:
            raw_ig.append(_timed(lambda t=t: eng.graph.get_k_shortest_paths(
                eng.index[me], eng.index[t], k=k, weights="distance"))[0])
    ties = G.number_of_edges()
    return {
        "people": G.number_of_nodes(), "ties": ties,
        "warm_share": sum(d >= floor for *_, d in G.edges(data="strength")) / ties,
        "build_s": build_s, "first_s": first_s, "engine_s": engine_s,
        "targets": len(targets), "with_warm": n_warm, "agree_nx": agree_nx, "agree_ig": agree_ig,
        **{key: _stats(v) for key, v in times.items()},
        "company": _stats(company_t), "city": _stats(city_t),
        "raw_nx": _stats(raw_nx), "raw_ig": _stats(raw_ig),
        "largest_piece": _largest_piece(_path_search, G, me, targets, floor, L),
    }


def _igraph_k(adj: dict, s: int, t: int, k: int, L: int) -> list[list[int]]:
    """igraph's Yen on the pruned piece: build the igraph graph from it, then keep short paths."""
    import igraph as ig

    names = list(adj)
    at = {n: i for i, n in enumerate(names)}
    edges = [(at[a], at[b], d) for a in adj for b, d in adj[a].items() if at[a] < at[b]]
    h = ig.Graph(n=len(names), edges=[(a, b) for a, b, _ in edges])
    got = h.get_k_shortest_paths(at[s], at[t], k=k, weights=[d for *_, d in edges])
    return [[names[i] for i in p] for p in got if p and len(p) <= L + 1]


def _strength(W: Any, path: list) -> float:
    import math

    return math.exp(-sum(W[a][b]["distance"] for a, b in itertools.pairwise(path)))


def _same(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= 1e-9 for x, y in zip(a, b, strict=True))


def _largest_piece(search: Any, G: Any, me: int, targets: list[int], floor: float, L: int) -> int:
    return max(len(search.prune(G, me, (t,), floor, L).adj) for t in targets)


def _say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:.1f}"


def table(rows: list[dict[str, Any]]) -> str:
    """Methods down the side; median and p95 (ms) and ratios per size."""
    header = ["metric"]
    for r in rows:
        header += [f"{r['size']} median ms", "p95 ms", "ratio"]
    lines: list[list[str]] = []

    def add(label: str, key: str, with_ratio: bool = True) -> None:
        cells = [label]
        for r in rows:
            st, base = r[key], r["warm"]["median"]
            rat = st["median"] / base if with_ratio and st["median"] and base else None
            n = f" (n={st['n']})" if st["n"] != r["targets"] else ""
            cells += [_ms(st["median"]) + n, _ms(st["p95"]), ratio(rat) if with_ratio else ""]
        lines.append(cells)

    add("warm_paths (k=3, cold routes, explained)", "warm", with_ratio=False)
    add("  warm_paths to company:NAME (10 people)", "company", with_ratio=False)
    add("  warm_paths to city:NAME (1/6 of everyone)", "city", with_ratio=False)
    add("  pruning (two bounded BFS, warm piece)", "prune")
    add("  bounded Yen on the warm piece", "yen")
    add("  nx shortest_simple_paths on the same piece", "nx_piece")
    add("  igraph get_k_shortest_paths on the piece (+build)", "ig_piece")
    add("raw nx shortest_simple_paths, full graph", "raw_nx")
    add("raw igraph get_k_shortest_paths, full graph", "raw_ig")
    facts = [
        ("people", lambda r: whole(r["people"])), ("ties", lambda r: whole(r["ties"])),
        ("warm ties (>= 0.5)", lambda r: f"{r['warm_share']:.0%}"),
        ("graph build s (not timed in queries)", lambda r: seconds(r["build_s"])),
        ("first query s", lambda r: seconds(r["first_s"])),
        ("engine build s (raw igraph needs it)", lambda r: seconds(r["engine_s"])),
        ("targets with a warm path", lambda r: f"{r['with_warm']}/{r['targets']}"),
        ("k strengths = nx on piece", lambda r: f"{r['agree_nx']}/{r['targets']}"),
        ("best strength = igraph on piece", lambda r: f"{r['agree_ig']}/{r['targets']}"),
        ("largest pruned piece (nodes)", lambda r: whole(r["largest_piece"])),
        ("peak MB", lambda r: mb(r["peak_rss_mb"])),
    ]
    for label, fmt in facts:
        lines.append([label, *(c for r in rows for c in (fmt(r), "", ""))])
    return render(header, lines)


@register("paths", "warm_paths latency vs raw nx/igraph k shortest paths, synthetic clustered graphs")
def run(options: Options) -> SuiteResult:
    """Measure every requested size; sizes map to people as in :data:`bench.datasets.SIZES`."""
    rows = []
    for name in options.sizes:
        people = SIZES[name].people
        _say(f"paths {name}: {people:,} people")
        runs = [run_step("bench.paths:measure", people=people) for _ in range(options.repeat)]
        best = min(runs, key=lambda r: r["warm"]["median"])
        rows.append({**best, "size": name,
                     "peak_rss_mb": max(r["peak_rss_mb"] for r in runs)})
    largest = rows[-1] if rows else None
    verdict = "SKIP"
    if largest is not None:
        verdict = "PASS" if largest["warm"]["p95"] < LIMIT_S else "FAIL"
    lines = [
        "paths: warm_paths latency (ms) vs the raw engine calls, same targets, same run",
        table(rows),
        "",
        "targets",
        f"  {verdict:4}  single query (p95) under {LIMIT_S:g} s at the largest size "
        f"[{largest['size'] if largest else '-'}: "
        f"{_ms(largest['warm']['p95']) if largest else '-'} ms]",
        "  ratio = that method's median / warm_paths median (above 1: warm_paths is faster)",
    ]
    return SuiteResult("paths", "\n".join(lines), {"sizes": rows, "repeat": options.repeat})
