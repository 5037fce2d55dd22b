"""Where people sit and what colour they are: the seeded layout both report views draw with.

igraph's Fruchterman-Reingold, started from the communities' places so clusters stay apart,
computed in Python before the page opens (physics is off in the page). The network view
(:mod:`netgraph.report.network`) and the community map (:mod:`netgraph.report.community_map`)
share it, and the palette.
"""

from __future__ import annotations

import math
import random
from typing import Any

import networkx as nx
import numpy as np

__all__ = ["GRID_ABOVE", "ME_COLOR", "OTHER_COLOR", "PALETTE", "layout"]

PALETTE = [
    "#2f6fed", "#e8590c", "#2b8a3e", "#c2255c", "#7048e8", "#0b7285",
    "#e67700", "#5c940d", "#a61e4d", "#364fc7", "#087f5b", "#862e9c",
]
OTHER_COLOR = "#adb5bd"
ME_COLOR = "#111827"
#: Above this many people the layout uses igraph's grid approximation of Fruchterman-Reingold
#: (exact: 2.5 s at 1,000 people; grid: 0.2 s at 2,000).
GRID_ABOVE = 400


def _seed_positions(nodes: list, edges: np.ndarray, groups: dict, rng: np.random.Generator
                    ) -> np.ndarray:
    """Start positions from the communities.

    Lay out the graph of communities (weighted by the ties between them), then put each person near
    their community's place, spread by its size.
    """
    import igraph as ig

    codes = np.array([groups.get(n, -1) for n in nodes])
    labels, codes = np.unique(codes, return_inverse=True)
    k = len(labels)
    size = np.bincount(codes, minlength=k).astype(float)
    if k == 1 or len(edges) == 0:
        return rng.normal(size=(len(nodes), 2)) * math.sqrt(len(nodes))
    a, b = codes[edges[:, 0]], codes[edges[:, 1]]
    cross = a != b
    pairs, counts = np.unique(np.sort(np.c_[a[cross], b[cross]], axis=1), axis=0, return_counts=True)
    q = ig.Graph(n=k, edges=pairs.tolist())
    centre = np.array(q.layout_fruchterman_reingold(weights=counts.tolist() or None, niter=500,
                                                     grid="nogrid").coords)
    centre = centre - centre.mean(axis=0)
    centre *= math.sqrt(len(nodes)) * 2 / (np.abs(centre).max() or 1.0)
    jitter = rng.normal(size=(len(nodes), 2)) * np.sqrt(size[codes])[:, None]
    return centre[codes] + jitter


def layout(G: nx.Graph, *, groups: dict | None = None, seed: int = 7,
           scale: float = 1000.0) -> dict[Any, tuple[float, float]]:
    """Node positions computed before the page opens.

    igraph's Fruchterman-Reingold (above :data:`GRID_ABOVE` people its grid approximation), started
    from the communities' places when ``groups`` (node -> community) is given, so clusters stay
    apart.
    """
    import igraph as ig

    nodes = list(G.nodes)
    if not nodes:
        return {}
    index = {n: i for i, n in enumerate(nodes)}
    edges = np.array([(index[u], index[v]) for u, v in G.edges], dtype=np.int64).reshape(-1, 2)
    h = ig.Graph(n=len(nodes), edges=edges.tolist())
    weights = [float(d.get("strength", 1.0)) for _, _, d in G.edges(data=True)]
    state = random.getstate()
    random.seed(seed)  # python-igraph draws its random numbers from Python's `random`
    try:
        start = _seed_positions(nodes, edges, groups, np.random.default_rng(seed)) if groups else None
        coords = np.array(h.layout_fruchterman_reingold(
            weights=weights or None, niter=500, seed=start.tolist() if start is not None else None,
            grid="grid" if len(nodes) > GRID_ABOVE else "nogrid").coords)
    finally:
        random.setstate(state)
    if len(nodes) > 1:  # centre; pull far clusters in (r -> r**0.5) so the core spreads out
        coords = coords - np.median(coords, axis=0)
        r = np.hypot(coords[:, 0], coords[:, 1])
        scale_r = np.percentile(r, 98) or 1.0
        r_new = np.sqrt(np.minimum(r / scale_r, 1.15))  # and no stragglers far outside
        coords = coords * (r_new / np.maximum(r, 1e-9))[:, None]
    spread = scale * math.sqrt(max(len(nodes), 1) / 100.0)
    return {n: (round(float(x * spread), 1), round(float(y * spread), 1))
            for n, (x, y) in zip(nodes, coords, strict=True)}




# -- nodes and edges -----------------------------------------------------------------------------
