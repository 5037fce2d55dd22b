"""Measured steps of the report suite (each runs in its own subprocess)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

__all__ = ["write_report"]


def _pyvis_baseline(G: Any, shown: list, pos: dict) -> float:
    """Seconds for the raw pyvis path on the same people and ties: fill ``net.nodes``,
    ``net.edges``, ``net.node_ids`` and ``net.node_map`` in bulk, then ``net.generate_html()``
    (pyvis's own template, ``cdn_resources="in_line"``)."""
    from pyvis.network import Network

    from netgraph.report.network import ties_among

    start = time.perf_counter()
    net = Network(height="100%", width="100%", cdn_resources="in_line")
    net.nodes = [{"id": f"p{n}", "label": str(G.nodes[n].get("name", n)), "shape": "dot",
                  "x": pos[n][0], "y": pos[n][1], "title": str(G.nodes[n].get("name", n))}
                 for n in shown]
    net.node_ids = [node["id"] for node in net.nodes]
    net.node_map = {node["id"]: node for node in net.nodes}
    net.edges = [{"from": f"p{u}", "to": f"p{v}", "width": float(d.get("strength", 0.1))}
                 for u, v, d in ties_among(G, shown)]
    net.toggle_physics(False)
    html = net.generate_html()
    assert len(html) > 1000
    return time.perf_counter() - start


def write_report(db: str, as_of: str, out: str, max_nodes: int, targets: list[str]) -> dict[str, Any]:
    """The full report of a store, split into projection, analyses and rendering, with the
    pyvis bulk fill + template render on the same people measured in the same process."""
    import igraph  # noqa: F401  (imports are not part of the timing)
    import networkx
    import pyvis.network  # noqa: F401

    import netgraph
    from netgraph.report import data as report_data
    from netgraph.report import html as report
    from netgraph.report import layout as report_layout
    from netgraph.report import network as report_network

    with netgraph.open_store(db, read_only=True) as store:
        t0 = time.perf_counter()
        G = netgraph.load_graph(store, as_of)
        t1 = time.perf_counter()
        data = report_data.gather(store, as_of=as_of, graph=G, max_nodes=max_nodes, targets=targets)
        t2 = time.perf_counter()
        html = report.render(data)
        t3 = time.perf_counter()
        Path(out).write_text(html, encoding="utf-8")
        t4 = time.perf_counter()
    shown = data.view
    among = report_network.ties_among(data.G, shown)
    drawn = report_network.drawn_edges(among, len(shown))
    L = networkx.Graph()
    L.add_nodes_from(shown)
    L.add_edges_from(drawn)
    start = time.perf_counter()
    pos = report_layout.layout(L, groups=data.membership)
    layout_s = time.perf_counter() - start
    baseline = _pyvis_baseline(data.G, shown, pos)
    return {
        "seconds": t4 - t0,
        "load_s": t1 - t0,
        "analyses_s": t2 - t1,
        "render_s": t3 - t2,
        "write_s": (t3 - t2) + (t4 - t3),
        "layout_s": layout_s,
        "pyvis_s": baseline,
        "people": G.number_of_nodes(),
        "ties": G.number_of_edges(),
        "shown": len(shown),
        "ties_among_shown": len(among),
        "drawn": len(drawn),
        "mb": len(html.encode("utf-8")) / 2**20,
    }
