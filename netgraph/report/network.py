"""The network view of the report: positions, colours, sizes, tooltips, in pyvis's lists.

The layout is computed here, in Python, before the page opens (igraph's Fruchterman-Reingold,
started from the communities' places so clusters stay apart) and physics is off in the page,
so it is usable at once with 2,000 people. Node size follows the connector score, colour the
community, edge width the tie strength; I am a star. pyvis's ``net.nodes`` and ``net.edges`` are
filled in bulk (its ``add_node``/``add_edge`` scan the lists and are quadratic). Above
``max_nodes`` the view holds the people :func:`netgraph.report.data.select_view` chose, and
above :data:`EDGES_PER_NODE` ties per person it draws the strongest ties.

Tooltips are plain text here; the page puts them into the DOM with ``textContent``.
"""

from __future__ import annotations

import math
import random
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from netgraph.report.data import ReportData

__all__ = ["EDGES_PER_NODE", "GRID_ABOVE", "LABELLED", "drawn_edges", "hops", "layout", "network",
           "node_id", "ties_among"]

PALETTE = [
    "#2f6fed", "#e8590c", "#2b8a3e", "#c2255c", "#7048e8", "#0b7285",
    "#e67700", "#5c940d", "#a61e4d", "#364fc7", "#087f5b", "#862e9c",
]
OTHER_COLOR = "#adb5bd"
ME_COLOR = "#111827"
#: Ties drawn per person shown, at most (and never fewer than :data:`MIN_EDGES_DRAWN`).
EDGES_PER_NODE = 4
MIN_EDGES_DRAWN = 5000
#: Above this many people the layout uses igraph's grid approximation of Fruchterman-Reingold
#: (exact: 2.5 s at 1,000 people; grid: 0.2 s at 2,000).
GRID_ABOVE = 400
#: Top connectors labelled on the canvas, beside me and the targets (everyone else shows their
#: name on hover and in search).
LABELLED = 8


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
def _day(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    return str(value)[:10]


def _colors(data: ReportData, shown: list) -> tuple[dict, list[dict]]:
    counts: dict[int, int] = {}
    for n in shown:
        c = data.membership.get(n)
        if c is not None:
            counts[c] = counts.get(c, 0) + 1
    top = sorted(counts, key=lambda c: (-counts[c], c))[: len(PALETTE)]
    color = {c: PALETTE[i] for i, c in enumerate(top)}
    legend = [{"label": data.community_labels.get(c, f"community {c + 1}"), "color": color[c],
               "count": counts[c]} for c in top]
    rest = sum(v for c, v in counts.items() if c not in color)
    if rest:
        legend.append({"label": "smaller communities", "color": OTHER_COLOR, "count": rest})
    return color, legend


def ties_among(G: nx.Graph, shown: list) -> list[tuple]:
    """Every tie between two people shown, each once.

    Read from the adjacency: a subgraph view checks membership on every step and costs several
    times more.
    """
    order = {n: i for i, n in enumerate(shown)}
    adj = G._adj
    return [(u, v, d) for u in shown for v, d in adj[u].items()
            if order.get(v, -1) > order[u]]


def drawn_edges(edges: list[tuple], n_people: int) -> list[tuple]:
    """The ties to draw: all of them up to the cap, else the strongest.

    Each person's strongest tie is kept, so no one looks isolated who is not.
    """
    edges = sorted(edges, key=lambda e: -float(e[2].get("strength", 0.0)))
    cap = max(MIN_EDGES_DRAWN, EDGES_PER_NODE * n_people)
    if len(edges) <= cap:
        return edges
    seen: set = set()
    first, rest = [], []
    for e in edges:
        (first if e[0] not in seen or e[1] not in seen else rest).append(e)
        seen.update(e[:2])
    return first + rest[: max(0, cap - len(first))]


def _node_tooltip(G: nx.Graph, n: Any, me: Any, score: float | None, community: str | None) -> str:
    d = G.nodes[n]
    lines = [str(d.get("name", n)) + (" (you)" if n == me else "")]
    role = " at ".join(str(x) for x in (d.get("title"), d.get("company")) if x)
    if role:
        lines.append(role)
    if d.get("city"):
        lines.append(str(d["city"]))
    if me in G and n != me:
        tie = G.get_edge_data(me, n)
        if tie:
            last = _day(tie.get("last_contact"))
            lines.append(f"Strength to you: {float(tie.get('strength', 0)):.2f} · "
                         + (f"last contact {last}" if last else "no contact yet"))
        else:
            lines.append("No direct tie to you")
    facts = []
    if score is not None and not math.isnan(score):
        facts.append(f"connector score {score:.2f}")
    if community:
        facts.append(f"community: {community}")
    if facts:
        lines.append(" · ".join(facts))
    return "\n".join(lines)


def network(data: ReportData) -> dict[str, Any]:
    """Nodes and edges for vis-network, built in bulk in pyvis's lists, plus the legend."""
    from pyvis.network import Network

    G, me = data.G, data.G.graph.get("me")
    shown = data.view
    among = ties_among(G, shown)
    drawn = drawn_edges(among, len(shown))
    L = nx.Graph()
    L.add_nodes_from(shown)
    L.add_edges_from(drawn)
    pos = layout(L, groups=data.membership)
    score = {}
    if data.connectors is not None:
        score = dict(zip(data.connectors["person_id"].tolist(),
                         data.connectors["score"].astype(float).tolist(), strict=True))
    color, legend = _colors(data, shown)
    labelled = {me, data.focus, *(m for p in data.paths for m in p.members)}
    if data.connectors is not None:
        labelled.update(data.connectors["person_id"].head(LABELLED).tolist())
    spread = max(abs(c) for xy in pos.values() for c in xy) if pos else 1.0
    font = {"size": round(max(14.0, 0.045 * spread), 1)}
    net = Network(height="100%", width="100%", cdn_resources="in_line")
    net.nodes = []
    for n in shown:
        c = data.membership.get(n)
        s = score.get(n)
        node = {
            "id": node_id(n),
            "name": str(G.nodes[n].get("name", n)),
            "x": pos[n][0],
            "y": pos[n][1],
            "size": 28 if n == me else round(5 + 22 * (s or 0.0) ** 3, 2),
            "color": ME_COLOR if n == me else color.get(c, OTHER_COLOR),
            "tooltip": _node_tooltip(G, n, me, s, data.community_labels.get(c)),
        }
        if n == me:
            node.update(shape="star", borderWidth=3,
                        font={"size": round(font["size"] * 1.2, 1), "color": ME_COLOR})
        if n in labelled:
            node["label"] = node["name"]
            node.setdefault("font", font)
        net.nodes.append(node)
    net.nodes.sort(key=lambda node: node.get("shape") == "star")  # me last: drawn on top
    net.node_ids = [node["id"] for node in net.nodes]
    net.node_map = {node["id"]: node for node in net.nodes}
    net.edges = [
        {
            "from": node_id(u),
            "to": node_id(v),
            "width": round(0.4 + 4 * float(d.get("strength", 0.1)) ** 2, 2),
            "tooltip": f"{G.nodes[u].get('name', u)} – {G.nodes[v].get('name', v)}\n"
            f"strength {float(d.get('strength', 0)):.2f}"
            + (f" · {d['n_interactions']} contacts" if d.get("n_interactions") else "")
            + (f" · last {_day(d.get('last_contact'))}" if _day(d.get("last_contact")) else ""),
        }
        for u, v, d in drawn
    ]
    big = len(shown) > 800
    options = {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 80, "hideEdgesOnDrag": big,
                        "hideEdgesOnZoom": big, "navigationButtons": False},
        "nodes": {"shape": "dot", "borderWidth": 1,
                  "font": {"size": 14, "face": "system-ui, sans-serif", "strokeWidth": 4,
                           "strokeColor": "#ffffff"},
                  "scaling": {"label": {"drawThreshold": 7, "maxVisible": 18}}},
        "edges": {"color": {"color": "#c3cad4", "highlight": "#2f6fed", "hover": "#7b8794",
                            "opacity": 0.6}, "smooth": False, "selectionWidth": 2},
    }
    notes = []
    if data.focus is not None:
        notes.append(f"Around {G.nodes[data.focus].get('name', data.focus)}, within "
                     f"{hops(data.settings.get('radius'))}.")
    left = data.view_total - len(shown)
    if left > 0:
        notes.append(f"Showing the {len(shown):,} most important of {data.view_total:,} people "
                     f"(you, the targets and their paths, the people in the tables, then top "
                     f"connectors and your strongest ties); {left:,} left out.")
    if len(drawn) < len(among):
        notes.append(f"Drawing the {len(drawn):,} strongest of {len(among):,} ties.")
    return {"nodes": net.nodes, "edges": net.edges, "options": options, "legend": legend,
            "view_notes": notes}


def hops(n: Any) -> str:
    """``n`` hops in words: "1 hop", "2 hops"."""
    return f"{n} hop" + ("" if n == 1 else "s")


def node_id(n: Any) -> str:
    """The page's id for a node: never integer-like, so the page keeps our drawing order.

    JavaScript orders integer-like object keys numerically.
    """
    return f"p{n}"
