"""The network view of the report: sizes, colours, tooltips, in pyvis's lists.

Positions come from :mod:`netgraph.report.layout`, computed before the page opens, and physics
is off in the page, so it is usable at once with 2,000 people. Node size follows the connector
score, colour the community, edge width the tie strength; I am a star. pyvis's ``net.nodes``
and ``net.edges`` are filled in bulk (its ``add_node``/``add_edge`` scan the lists and are
quadratic). Above
``max_nodes`` the view holds the people :func:`netgraph.report.data.select_view` chose, and
above :data:`EDGES_PER_NODE` ties per person it draws the strongest ties.

Tooltips are plain text here; the page puts them into the DOM with ``textContent``.
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import pandas as pd

from netgraph.report.data import ReportData
from netgraph.report.layout import ME_COLOR, OTHER_COLOR, PALETTE, layout

__all__ = ["EDGES_PER_NODE", "LABELLED", "apart", "drawn_edges", "hops", "network", "node_id",
           "ties_among"]

#: Ties drawn per person shown, at most (and never fewer than :data:`MIN_EDGES_DRAWN`).
EDGES_PER_NODE = 4
MIN_EDGES_DRAWN = 5000
#: Top connectors labelled on the canvas, beside me and the targets (everyone else shows their
#: name on hover and in search).
LABELLED = 8


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


def apart(must: list[Any], ranked: list[Any], pos: dict[Any, tuple[float, float]],
          names: dict[Any, str], size: float) -> set[Any]:
    """The people whose names the canvas shows, so that no two names lie over each other.

    All of ``must`` (me, the focus, the people on warm paths), then each of ``ranked`` in order
    when its name would not lie over one already shown. A name is drawn under its dot, about
    ``0.6 * size`` wide a letter and ``size`` high (in the layout's units, as the font is); two
    overlap when their boxes do. People without a position (not in the view) are skipped.

    >>> pos = {1: (0.0, 0.0), 2: (10.0, 5.0), 3: (400.0, 0.0)}
    >>> sorted(apart([1], [2, 3], pos, {1: "Ana Lee", 2: "Bo Chan", 3: "Cy Diaz"}, 20.0))
    [1, 3]
    """
    boxes: list[tuple[float, float, float]] = []  # centre x, centre y, half width
    shown = set()

    def fits(x: float, y: float, half: float) -> bool:
        return all(abs(x - bx) >= half + bh or abs(y - by) >= size * 1.2 for bx, by, bh in boxes)

    for n in [*must, *ranked]:
        if n is None or n not in pos or n in shown:
            continue
        x, y = pos[n]
        half = 0.3 * size * len(names.get(n, str(n)))
        if n in must or fits(x, y + size, half):
            boxes.append((x, y + size, half))
            shown.add(n)
    return shown


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
    spread = max(abs(c) for xy in pos.values() for c in xy) if pos else 1.0
    font = {"size": round(max(14.0, 0.045 * spread), 1)}
    must = [me, data.focus, *(m for p in data.paths for m in p.members)]
    ranked = [] if data.connectors is None else data.connectors["person_id"].head(LABELLED).tolist()
    labelled = apart(must, ranked, pos, {n: str(G.nodes[n].get("name", n))
                                         for n in (*must, *ranked) if n in G}, font["size"])
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
