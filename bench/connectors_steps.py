"""Measured steps of the connectors suite (each runs in its own subprocess)."""

from __future__ import annotations

import time
from typing import Any

__all__ = ["analyse", "betweenness_accuracy", "networkx_baseline"]


def _graph(db: str, as_of: str) -> Any:
    import netgraph

    with netgraph.open_store(db, read_only=True) as store:
        return netgraph.load_graph(store, as_of)


def analyse(db: str, as_of: str) -> dict[str, Any]:
    """netgraph's connectors and weak ties, each metric timed, next to the raw engine calls."""
    import random

    import numpy as np

    from netgraph.analytics import connectors as conn
    from netgraph.analytics.communities import communities
    from netgraph.analytics.weak_ties import weak_ties
    from netgraph.graph.engine import engine

    G = _graph(db, as_of)
    out: dict[str, Any] = {"nodes": G.number_of_nodes(), "edges": G.number_of_edges()}
    t = time.perf_counter()
    eng = engine(G)
    out["engine_s"] = time.perf_counter() - t
    for name, fn in (("betweenness", lambda: conn.betweenness(eng)),
                     ("constraint", lambda: conn.constraint(eng)),
                     ("effective_size", lambda: conn.effective_size(eng)),
                     ("communities", lambda: communities(G))):
        t = time.perf_counter()
        fn()
        out[f"{name}_s"] = time.perf_counter() - t
    t = time.perf_counter()
    membership = communities(G)
    table = conn.connectors(G, membership=membership)
    out["connectors_s"] = time.perf_counter() - t + out["engine_s"]
    t = time.perf_counter()
    ties = weak_ties(G, mine_only=False, communities=membership)
    out["weak_ties_s"] = time.perf_counter() - t
    out["rows"] = len(table)
    out["weak_rows"] = len(ties)
    # the raw engine calls the analysis rests on, on the same graph
    n = eng.n
    h = eng.graph
    t = time.perf_counter()
    if n <= conn.SAMPLE_ABOVE:
        h.betweenness(weights="distance", directed=False)
    else:
        k = conn.sample_size(n)
        h.betweenness(weights="distance", directed=False,
                      sources=np.random.default_rng(7).choice(n, k, replace=False).tolist())
    out["raw_betweenness_s"] = time.perf_counter() - t
    t = time.perf_counter()
    h.constraint(weights="strength")
    out["raw_constraint_s"] = time.perf_counter() - t
    random.seed(7)
    t = time.perf_counter()
    h.community_leiden(objective_function="modularity", weights="strength", n_iterations=2)
    out["raw_leiden_s"] = time.perf_counter() - t
    out["seconds"] = out["connectors_s"] + out["weak_ties_s"]
    return out


def networkx_baseline(db: str, as_of: str) -> dict[str, Any]:
    """Pure NetworkX for the same metrics (run only where it finishes in minutes)."""
    import networkx as nx

    G = _graph(db, as_of)
    out: dict[str, Any] = {}
    t = time.perf_counter()
    nx.betweenness_centrality(G, weight="distance", normalized=True)
    out["betweenness_s"] = time.perf_counter() - t
    t = time.perf_counter()
    nx.constraint(G, weight="strength")
    out["constraint_s"] = time.perf_counter() - t
    t = time.perf_counter()
    nx.community.louvain_communities(G, weight="strength", seed=7)
    out["communities_s"] = time.perf_counter() - t
    t = time.perf_counter()
    list(nx.local_bridges(G, with_span=True))
    out["local_bridges_s"] = time.perf_counter() - t
    out["seconds"] = sum(out.values())
    return out


def betweenness_accuracy(db: str, as_of: str) -> dict[str, Any]:
    """Sampled against exact betweenness on one graph: rank correlation and top-1% overlap."""
    import numpy as np
    from scipy.stats import spearmanr

    from netgraph.analytics import connectors as conn
    from netgraph.graph.engine import engine

    eng = engine(_graph(db, as_of))
    t = time.perf_counter()
    exact = conn.betweenness(eng, exact=True)
    exact_s = time.perf_counter() - t
    t = time.perf_counter()
    sampled = conn.betweenness(eng, exact=False)
    sampled_s = time.perf_counter() - t
    top = max(1, eng.n // 100)
    best_exact = set(np.argsort(-exact)[:top])
    best_sampled = set(np.argsort(-sampled)[:top])
    return {
        "seconds": exact_s + sampled_s, "exact_s": exact_s, "sampled_s": sampled_s,
        "k": conn.sample_size(eng.n), "n": eng.n,
        "spearman": float(spearmanr(exact, sampled).statistic),
        "top1_overlap": len(best_exact & best_sampled) / top,
    }
