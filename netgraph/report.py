"""The HTML report: one self-contained file with the network (pyvis / vis-network) and figures.

pyvis holds the node and edge lists, filled in bulk (its ``add_node``/``add_edge`` scan the
lists and are quadratic). The page comes from netgraph's own template, because pyvis's
templates load scripts from CDNs and write titles as raw HTML. Here every script and style is
inline, the page's Content-Security-Policy forbids any network request, all data travels as
JSON inside a ``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped,
and tooltips are built with ``textContent``, so a name like ``<script>`` stays text.

The layout is computed in Python before the page opens, and physics is off, so the page is
usable at once even with a few thousand nodes.
"""

from __future__ import annotations

import json
import logging
import math
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

import networkx as nx
import numpy as np

__all__ = ["render_report", "write_report"]

log = logging.getLogger(__name__)

PALETTE = [
    "#2f6fed", "#e8590c", "#2b8a3e", "#c2255c", "#7048e8", "#0b7285",
    "#e67700", "#5c940d", "#a61e4d", "#364fc7", "#087f5b", "#862e9c",
]
OTHER_COLOR = "#adb5bd"
ME_COLOR = "#111111"


def _vis_asset(name: str) -> str:
    import pyvis

    root = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    return (root / name).read_text(encoding="utf-8")


def json_for_script(value: Any) -> str:
    """JSON that is safe inside an HTML ``<script>`` element (no ``</script>`` can close it)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return (
        text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


def layout(G: nx.Graph, *, seed: int = 7, scale: float = 1000.0) -> dict[Any, tuple[float, float]]:
    """Node positions computed before the page opens (igraph's Fruchterman-Reingold)."""
    import igraph as ig

    nodes = list(G.nodes)
    if not nodes:
        return {}
    index = {n: i for i, n in enumerate(nodes)}
    h = ig.Graph(n=len(nodes), edges=[(index[u], index[v]) for u, v in G.edges])
    weights = [d.get("strength", 1.0) for _, _, d in G.edges(data=True)]
    import random

    random.seed(seed)
    coords = np.array(h.layout_fruchterman_reingold(weights=weights or None, niter=1000,
                                                    grid="nogrid").coords)
    if len(nodes) > 1:
        coords = coords - coords.mean(axis=0)
        coords = coords / (np.abs(coords).max() or 1.0)
    spread = scale * math.sqrt(max(len(nodes), 1) / 100.0)
    return {n: (float(x * spread), float(y * spread)) for n, (x, y) in zip(nodes, coords, strict=True)}


def _groups(G: nx.Graph) -> tuple[dict[Any, str], list[dict[str, str]]]:
    """Colour by company: the largest companies get colours, the rest share grey."""
    companies: dict[str, int] = {}
    for _, d in G.nodes(data=True):
        if d.get("company"):
            companies[d["company"]] = companies.get(d["company"], 0) + 1
    top = sorted(companies, key=lambda c: (-companies[c], c))[: len(PALETTE)]
    colors = {c: PALETTE[i] for i, c in enumerate(top)}
    node_color = {n: colors.get(d.get("company"), OTHER_COLOR) for n, d in G.nodes(data=True)}
    legend = [{"label": c, "color": colors[c]} for c in top]
    legend.append({"label": "other or unknown company", "color": OTHER_COLOR})
    return node_color, legend


def _node_id(n: Any) -> str:
    """The page's id for a node: never integer-like, so the page keeps our drawing order
    (JavaScript orders integer-like object keys numerically)."""
    return f"p{n}"


def _tooltip(d: dict[str, Any]) -> str:
    lines = [d.get("name", "")]
    role = " at ".join(x for x in (d.get("title"), d.get("company")) if x)
    if role:
        lines.append(role)
    if d.get("city"):
        lines.append(d["city"])
    return "\n".join(lines)


def render_report(G: nx.Graph, *, title: str = "netgraph report", summary: dict | None = None) -> str:
    """The report page as one HTML string."""
    from pyvis.network import Network

    pos = layout(G)
    color, legend = _groups(G)
    me = G.graph.get("me")
    degree = dict(G.degree())
    net = Network(height="100%", width="100%", cdn_resources="in_line")
    net.nodes = [
        {
            "id": _node_id(n),
            "label": str(d.get("name", n)),
            "x": pos[n][0],
            "y": pos[n][1],
            "size": min(6 + 1.5 * math.sqrt(degree[n]), 24),
            "color": ME_COLOR if n == me else color[n],
            "borderWidth": 3 if n == me else 1,
            "shape": "star" if n == me else "dot",
            "tooltip": _tooltip(d) + ("\n(you)" if n == me else ""),
        }
        for n, d in G.nodes(data=True)
    ]
    net.nodes.sort(key=lambda node: node["shape"] == "star")  # me last: drawn on top
    net.node_ids = [node["id"] for node in net.nodes]
    net.node_map = {node["id"]: node for node in net.nodes}
    net.edges = [
        {
            "from": _node_id(u),
            "to": _node_id(v),
            "width": 0.5 + 4 * float(d.get("strength", 0.1)),
            "tooltip": f"{G.nodes[u].get('name', u)} – {G.nodes[v].get('name', v)}\n"
            f"strength {float(d.get('strength', 0)):.2f}",
        }
        for u, v, d in G.edges(data=True)
    ]
    options = {
        "physics": {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True},
        "nodes": {"font": {"size": 12}},
        "edges": {"color": {"color": "#c3cad4", "highlight": "#2f6fed"}, "smooth": False},
    }
    summary = summary or {}
    figures = [{"label": k.replace("_", " "), "value": f"{v:,}" if isinstance(v, int) else v}
               for k, v in summary.items()
               if k not in {"as_of", "first_contact", "last_contact", "largest_part_share"}]
    data = {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": options,
        "figures": figures,
        "legend": legend,
        "footer": (
            f"As of {summary.get('as_of', '')}. Contacts from {summary.get('first_contact', '')} "
            f"to {summary.get('last_contact', '')}. Made with netgraph; this file needs no network."
        ),
    }
    subtitle = f"{G.number_of_nodes():,} people, {G.number_of_edges():,} ties"
    template = Template(resources.files("netgraph").joinpath("templates/report.html").read_text("utf-8"))
    from html import escape

    return template.substitute(
        title=escape(title),
        subtitle=escape(subtitle),
        data=json_for_script(data),
        vis_css=_vis_asset("vis-network.css"),
        vis_js=_vis_asset("vis-network.min.js"),
    )


def write_report(G: nx.Graph, out: str | Path, **kwargs: Any) -> Path:
    """Write the report to ``out`` (folders are created) and return its path."""
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_report(G, **kwargs), encoding="utf-8")
    log.info("Wrote %s", path)
    return path
