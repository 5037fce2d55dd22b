"""Weak-ties suite: :func:`netgraph.analytics.weak_ties.weak_ties` against two baselines.

The graphs are synthetic and clustered (:func:`synthetic_graph`): the people count of each
dataset size (``10k`` = 1,000 people, ``100k`` = 10,000, ``1M`` = 100,000), in blocks of
:data:`BLOCK` people; each person draws 5 ties inside the block and 1 across, which after
merging duplicates is about 5 ties per person; each tie gets a uniform random strength in
[0.01, 1); seeded. Every step builds the same graph in
its own subprocess and times only its own work:

``weak_ties``
    ``weak_ties(G, mine_only=False)`` from a cold engine cache: engine build, the sparse
    structure, communities (:func:`netgraph.analytics.communities.communities`, Leiden on the
    engine), the frame and its reasons.
``given``
    :func:`netgraph.analytics.communities.communities` alone (engine already built), then
    ``weak_ties(G', mine_only=False, communities=...)`` on a copy ``G'`` of the graph (so its
    engine is built again): the analysis without community detection.
``sparse``
    The raw engine/sparse part alone: ``engine(G)`` plus ``_tie_structure`` (common neighbours,
    overlap, local bridges, the span-3 test, cut edges), with no communities and no frame.
``networkx``
    Pure NetworkX: ``list(nx.local_bridges(G, with_span=True))`` plus a loop of
    ``nx.common_neighbors`` (and the overlap) over every edge. It first times the per-bridge
    span search on :data:`SAMPLE` random local bridges (the same hidden-edge Dijkstra NetworkX
    runs) and the full common-neighbour loop; when that estimate exceeds :data:`BUDGET_S` the
    full run is skipped and the estimate is shown as ``~``. Cut edges (span ``inf``) are rare
    and the dearest searches, so the estimate leans low.

Ratios use numbers from the same run; a ``~`` marks one built on the estimate.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable
from typing import Any

from bench import Options, SuiteResult, register
from bench._child import run_step
from bench._table import mb, ratio, render, seconds, whole
from bench.datasets import SIZES

__all__ = ["BUDGET_S", "given", "networkx_baseline", "run", "sparse_part", "synthetic_graph",
           "total"]

_HERE = "bench.weak_ties"
#: People per block (community) of the synthetic graphs.
BLOCK = 25
#: Ties drawn per person inside its block and across blocks (duplicates merge: ~5 per person).
TIES_IN, TIES_OUT = 5, 1
#: Run the pure NetworkX baseline in full only when it is estimated to finish within this.
BUDGET_S = 300.0
#: Local bridges sampled to estimate NetworkX's span search.
SAMPLE = 200
SEED = 7
#: A step that runs longer than this fails the suite (the NetworkX budget plus its sampling).
_TIMEOUT_S = 4 * BUDGET_S + 600


def synthetic_graph(people: int, seed: int = SEED) -> Any:
    """A clustered graph: blocks of :data:`BLOCK`, ~5 ties per person, random strengths."""
    import math

    import networkx as nx
    import numpy as np

    rng = np.random.default_rng(seed)
    n_in, n_out = TIES_IN * people, TIES_OUT * people
    u = rng.integers(0, people, n_in + n_out)
    v = np.r_[np.minimum((u[:n_in] // BLOCK) * BLOCK + rng.integers(0, BLOCK, n_in), people - 1),
              rng.integers(0, people, n_out)]
    pairs = np.unique(np.c_[np.minimum(u, v), np.maximum(u, v)][u != v], axis=0)
    strength = rng.uniform(0.01, 1.0, len(pairs))
    G = nx.Graph()
    G.add_nodes_from((i, {"name": f"Person {i}", "city": f"City {i // BLOCK % 40}"})
                     for i in range(people))
    G.add_edges_from((int(a), int(b), {"strength": float(s), "distance": -math.log(s)})
                     for (a, b), s in zip(pairs, strength, strict=True))
    return G


# -- measured steps (run in subprocesses; imports stay inside) ---------------------------------


def total(people: int) -> dict[str, Any]:
    """``weak_ties(G, mine_only=False)``, everything included."""
    from netgraph.analytics.weak_ties import weak_ties

    G = synthetic_graph(people)
    start = time.perf_counter()
    frame = weak_ties(G, mine_only=False)
    seconds_ = time.perf_counter() - start
    return {"seconds": seconds_, "rows": len(frame),
            "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
            "bridges": int(frame["local_bridge"].sum()),
            "span3": int((frame["span"] == 3).sum()),
            "only_link": int(frame["only_link"].sum()),
            "moderately_weak": int((frame["ties_class"] == "moderately weak").sum())}


def given(people: int) -> dict[str, Any]:
    """Community detection alone, then ``weak_ties`` handed its result (on a cold engine)."""
    from netgraph.analytics.communities import communities
    from netgraph.analytics.weak_ties import weak_ties
    from netgraph.graph.engine import engine

    G = synthetic_graph(people)
    engine(G)  # communities() runs on the engine: build it outside the timing
    start = time.perf_counter()
    found = communities(G)
    communities_s = time.perf_counter() - start
    H = G.copy()  # a new graph object: weak_ties builds its engine again, as in ``total``
    start = time.perf_counter()
    weak_ties(H, mine_only=False, communities=found)
    return {"seconds": time.perf_counter() - start, "communities_s": communities_s}


def sparse_part(people: int) -> dict[str, Any]:
    """``engine(G)`` and ``_tie_structure`` alone."""
    from netgraph.analytics.weak_ties import _tie_structure
    from netgraph.graph.engine import engine

    G = synthetic_graph(people)
    start = time.perf_counter()
    E = engine(G)
    built = time.perf_counter()
    s = _tie_structure(E)
    end = time.perf_counter()
    return {"seconds": end - start, "engine_s": built - start, "structure_s": end - built,
            "bridges": int(s["local_bridge"].sum()), "span3": int(s["span3"].sum())}


def networkx_baseline(people: int, budget_s: float = BUDGET_S) -> dict[str, Any]:
    """Pure NetworkX: estimate from a sample, then run in full if within ``budget_s``."""
    import random

    import networkx as nx

    G = synthetic_graph(people)
    start = time.perf_counter()
    overlap = {}
    for u, v in G.edges:
        c = len(list(nx.common_neighbors(G, u, v)))
        d = G.degree(u) - 1 + G.degree(v) - 1 - c
        overlap[u, v] = (c, c / d if d else 0.0)
    common_s = time.perf_counter() - start
    start = time.perf_counter()
    bridges = [(u, v) for u, v in G.edges if not (set(G[u]) & set(G[v]))]
    scan_s = time.perf_counter() - start
    sample = random.Random(SEED).sample(bridges, min(SAMPLE, len(bridges)))
    start = time.perf_counter()
    for u, v in sample:
        ends = {u, v}
        with contextlib.suppress(nx.NetworkXNoPath):  # nx.local_bridges' search per bridge
            nx.shortest_path_length(G, u, v, weight=lambda a, b, _, e=ends: (
                None if a in e and b in e else 1))
    per_bridge = (time.perf_counter() - start) / max(len(sample), 1)
    estimate = common_s + scan_s + per_bridge * len(bridges)
    out = {"estimate_s": estimate, "per_bridge_ms": per_bridge * 1000, "bridges": len(bridges),
           "common_s": common_s, "ran": False}
    if estimate > budget_s:
        return {**out, "seconds": None}
    start = time.perf_counter()
    spans = list(nx.local_bridges(G, with_span=True))
    spans_s = time.perf_counter() - start
    return {**out, "ran": True, "seconds": common_s + spans_s, "spans_s": spans_s,
            "span3": sum(1 for *_, s in spans if s == 3), "bridges": len(spans)}


# -- the suite ---------------------------------------------------------------------------------


def _say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def _best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    best = min(runs, key=lambda r: r["seconds"] if r["seconds"] is not None else r["estimate_s"])
    return {**best, "peak_rss_mb": max(r["peak_rss_mb"] for r in runs)}


def metrics(name: str, steps: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The table's numbers for one size."""
    tot, sp, nx_, gv = steps["total"], steps["sparse"], steps["networkx"], steps["given"]
    nx_s = nx_["seconds"] if nx_["ran"] else nx_["estimate_s"]
    mark = "" if nx_["ran"] else "~"
    return {
        "size": f"{tot['nodes']:,} nodes", "dataset": name, "nodes": tot["nodes"],
        "edges": tot["edges"], "bridges": tot["bridges"], "span3": tot["span3"],
        "only_link": tot["only_link"], "moderately_weak": tot["moderately_weak"],
        "total_s": tot["seconds"], "communities_s": gv["communities_s"], "given_s": gv["seconds"],
        "sparse_s": sp["seconds"], "engine_s": sp["engine_s"], "structure_s": sp["structure_s"],
        "nx_s": nx_["seconds"], "nx_estimate_s": nx_["estimate_s"], "nx_ran": nx_["ran"],
        "nx_per_bridge_ms": nx_["per_bridge_ms"],
        "nx_text": seconds(nx_s) if nx_["ran"] else
        f"skipped (>5 min, extrapolated ~{seconds(nx_s)})",
        "total_vs_sparse": tot["seconds"] / sp["seconds"],
        "nx_vs_total": f"{mark}{ratio(nx_s / tot['seconds'])}",
        "nx_vs_sparse": f"{mark}{ratio(nx_s / sp['seconds'])}",
        "agrees": ("yes" if (nx_["bridges"], nx_.get("span3")) == (sp["bridges"], sp["span3"])
                   else "NO") if nx_["ran"] else
        ("bridges yes" if nx_["bridges"] == sp["bridges"] else "bridges NO"),
        "total_mb": tot["peak_rss_mb"], "sparse_mb": sp["peak_rss_mb"], "nx_mb": nx_["peak_rss_mb"],
    }


ROWS: tuple[tuple[str, str, Callable[[Any], str]], ...] = (
    ("edges", "edges", whole),
    ("local bridges", "bridges", whole),
    ("  of which span 3", "span3", whole),
    ("  of which only link (cut edge)", "only_link", whole),
    ("moderately weak ties", "moderately_weak", whole),
    ("weak_ties(G, mine_only=False) s", "total_s", seconds),
    ("communities alone s (Leiden)", "communities_s", seconds),
    ("weak_ties, communities given s", "given_s", seconds),
    ("sparse part s (engine + structure)", "sparse_s", seconds),
    ("  engine(G) s", "engine_s", seconds),
    ("  _tie_structure s", "structure_s", seconds),
    ("pure NetworkX s (local_bridges + CN)", "nx_text", str),
    ("  NetworkX span search ms per bridge", "nx_per_bridge_ms", lambda v: f"{v:.2f}"),
    ("weak_ties vs sparse part (x slower)", "total_vs_sparse", ratio),
    ("NetworkX vs weak_ties (x slower)", "nx_vs_total", str),
    ("NetworkX vs sparse part (x slower)", "nx_vs_sparse", str),
    ("NetworkX agrees (bridges, span 3)", "agrees", str),
    ("peak MB weak_ties", "total_mb", mb),
    ("peak MB sparse part", "sparse_mb", mb),
    ("peak MB NetworkX", "nx_mb", mb),
)


@register("weak_ties", "weak ties (embeddedness, overlap, local bridges, span) vs NetworkX")
def run(options: Options) -> SuiteResult:
    """Measure each requested size on a synthetic clustered graph of that many people."""
    rows, steps_by_size = [], {}
    for name in options.sizes:
        people = SIZES[name].people
        runs: dict[str, list[dict[str, Any]]] = {"total": [], "sparse": [], "given": [],
                                                 "networkx": []}
        for i in range(options.repeat):
            for step, fn in (("sparse", "sparse_part"), ("total", "total"),
                             ("given", "given"), ("networkx", "networkx_baseline")):
                _say(f"weak_ties {people:,} people run {i + 1}/{options.repeat}: {step}")
                runs[step].append(run_step(f"{_HERE}:{fn}", timeout=_TIMEOUT_S, people=people))
        steps_by_size[name] = {step: _best(r) for step, r in runs.items()}
        rows.append(metrics(name, steps_by_size[name]))
    header = ["metric", *(r["size"] for r in rows)]
    body = [[label, *(fmt(r[key]) for r in rows)] for label, key, fmt in ROWS]
    text = "\n".join(["weak_ties: per-tie structure vs pure NetworkX (synthetic clustered graphs)",
                      render(header, body)])
    return SuiteResult("weak_ties", text, {"sizes": rows, "steps": steps_by_size,
                                           "repeat": options.repeat})
