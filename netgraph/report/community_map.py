"""The community map of the report: one node per community of the whole network.

The ego view draws my neighbourhood; the map draws the whole network one level up. Its
communities come from Leiden on the whole tie table (:func:`membership`), computed once per data
version, day and "me" and kept in the store (:func:`netgraph.store.cache.cached`). No NetworkX
edge is built for it: the people and the tie table's arrays are compiled
(:func:`netgraph.graph.projection.load_whole_structure`), which is all Leiden and the names need.

The links between communities are summed in DuckDB (:func:`netgraph.store.queries.community_links`)
and only the strongest few per community are kept, so the map stays readable. Node size follows
the members, edge width the summed strength; my community is a star. Under redaction the labels
never hold a name: tags are dropped, and without ``keep_org`` every label is neutral
("community 3").
"""

from __future__ import annotations

import math
from collections.abc import Hashable
from typing import Any

import networkx as nx
import pandas as pd

from netgraph.analytics.communities import communities, distinct_labels, names_and_places
from netgraph.graph.projection import load_whole_structure
from netgraph.report.layout import ME_COLOR, OTHER_COLOR, PALETTE, layout
from netgraph.store import queries
from netgraph.store.cache import cached
from netgraph.store.database import Store
from netgraph.ties.model import AsOf, as_of_date
from netgraph.ties.table import tie_frame

__all__ = ["LINKS_PER_COMMUNITY", "MAP_COMMUNITIES", "community_map", "map_id", "membership",
           "membership_of"]

#: The largest communities drawn on the map (the rest are counted in a note).
MAP_COMMUNITIES = 60
#: Links kept per community: its strongest ones.
LINKS_PER_COMMUNITY = 5
#: The smallest community drawn: a person alone is not a community worth a node.
MIN_MEMBERS = 2


def map_id(community: int) -> str:
    """The page's id for a community node (never integer-like, like people's ids)."""
    return f"c{community}"


# -- the whole network's communities (cached) ------------------------------------------------------
def _compute_membership(store: Store, day: str, graph: nx.Graph | None = None) -> pd.DataFrame:
    if graph is None:  # the names read only these
        graph = load_whole_structure(store, day, attributes=("city", "company", "tags"))
    found = communities(graph)
    names, places = names_and_places(graph, found)
    ids = list(found)
    comm = [found[n] for n in ids]
    return pd.DataFrame({
        "person_id": pd.array(ids, dtype="int64"),
        "community": pd.array(comm, dtype="int64"),
        "label": [names[c] for c in comm],
        "place": [places[c] for c in comm],
    })


def membership(store: Store, as_of: AsOf = None, *, graph: nx.Graph | None = None) -> pd.DataFrame:
    """Every person's community in the whole network: ``person_id, community, label, place``.

    ``community`` 0 is the largest; ``label`` is its name from tags, city and company, ``place``
    from city and company only. Computed once per data version, day and "me", then read back:
    by the map, and by the whole-network rankings (``connectors --global``, ``weak-ties
    --all``), which pass the whole network they hold as ``graph`` (its ties in the tie table's
    order, as :func:`~netgraph.graph.projection.load_whole_structure` reads them), so that
    Leiden runs once for all of them.
    """
    day = as_of_date(as_of).isoformat()
    return cached(store, "communities", day, lambda: _compute_membership(store, day, graph))


def membership_of(store: Store, as_of: AsOf, graph: nx.Graph) -> dict[int, int]:
    """:func:`membership` as a dict, person id to community, for the analyses of ``graph``."""
    frame = membership(store, as_of, graph=graph)
    return dict(zip(frame["person_id"].tolist(), frame["community"].tolist(), strict=True))


# -- the map ---------------------------------------------------------------------------------------
def _labels(frame: pd.DataFrame, *, redact: bool, keep_org: bool) -> dict[int, str]:
    """The label each community shows: its name, its place under keep_org, else neutral."""
    first = frame.drop_duplicates("community").set_index("community").sort_index()
    if not redact:
        return distinct_labels(first["label"].to_dict())
    if keep_org:
        return distinct_labels(first["place"].to_dict())
    return {int(c): f"community {int(c) + 1}" for c in first.index}


def _links(store: Store, day: str, members: pd.DataFrame) -> pd.DataFrame:
    ties = tie_frame(store, day, columns=("u", "v", "strength"))
    return queries.community_links(store, ties, members, LINKS_PER_COMMUNITY)


def _layout(sizes: pd.Series, links: pd.DataFrame) -> dict[int, tuple[float, float]]:
    """Seeded positions: communities pulled together by their (normalised) link strength."""
    L = nx.Graph()
    L.add_nodes_from(sizes.index.tolist())
    top = float(links["strength"].max()) if len(links) else 1.0
    L.add_edges_from((int(a), int(b), {"strength": max(float(s) / top, 0.05)})
                     for a, b, s in links[["a", "b", "strength"]].itertuples(index=False))
    return layout(L, scale=2500.0)  # wide enough that dots of up to 100 px stay apart


def _nodes(sizes: pd.Series, labels: dict, pos: dict, mine: int | None) -> list[dict]:
    biggest = float(sizes.max()) if len(sizes) else 1.0
    out = []
    for i, (c, n) in enumerate(sizes.items()):
        label = str(labels.get(c, f"community {c + 1}"))
        node = {
            "id": map_id(c),
            "name": label,
            "label": label,
            "x": pos[c][0],
            "y": pos[c][1],
            "size": round(10 + 40 * math.sqrt(n / biggest), 1),
            "color": PALETTE[i] if i < len(PALETTE) else OTHER_COLOR,
            "members": int(n),
            "tooltip": f"{label}\n{int(n):,} people"
            + ("\nYour community: click to see your network" if c == mine else ""),
        }
        if c == mine:
            node.update(shape="star", borderWidth=4,
                        color={"background": node["color"], "border": ME_COLOR})
        out.append(node)
    return out


def _edges(links: pd.DataFrame, labels: dict) -> list[dict]:
    top = float(links["strength"].max()) if len(links) else 1.0
    return [
        {"from": map_id(a), "to": map_id(b),
         "width": round(0.5 + 9 * math.sqrt(s / top), 2),
         "tooltip": f"{labels.get(a)} – {labels.get(b)}\n{t:,} ties, summed strength {s:,.1f}"}
        for a, b, s, t in links[["a", "b", "strength", "ties"]].itertuples(index=False)
    ]


def community_map(store: Store, as_of: AsOf = None, *, me: Hashable | None = None,
                  redact: bool = False, keep_org: bool = False) -> dict[str, Any]:
    """The map's nodes, edges and options for vis-network, built in pyvis's lists.

    Parameters
    ----------
    store : Store
        The store to read.
    as_of : date, datetime, str or None
        The day (default: today).
    me : hashable, optional
        My person id: my community is drawn as a star, and clicking it opens my network.
    redact, keep_org : bool
        As for the report: redacted labels hold no tag, and are neutral without ``keep_org``.

    Returns
    -------
    dict
        ``nodes``, ``edges``, ``options``, ``mine`` (my community's node id or None),
        ``notes`` and ``communities`` (how many the whole network has).
    """
    from pyvis.network import Network

    day = as_of_date(as_of).isoformat()
    frame = membership(store, day)
    counts = frame["community"].value_counts()
    counts = counts[counts >= MIN_MEMBERS]
    sizes = counts.sort_index().sort_values(ascending=False, kind="stable").head(MAP_COMMUNITIES)
    shown = frame[frame["community"].isin(sizes.index)]
    links = _links(store, day, shown)
    labels = _labels(frame, redact=redact, keep_org=keep_org)
    hit = frame.loc[frame["person_id"] == me, "community"] if me is not None else pd.Series([])
    mine = int(hit.iloc[0]) if len(hit) and int(hit.iloc[0]) in sizes.index else None
    pos = _layout(sizes, links)
    net = Network(height="100%", width="100%", cdn_resources="in_line")
    net.nodes = _nodes(sizes, labels, pos, mine)
    net.nodes.sort(key=lambda node: node.get("shape") == "star")  # mine drawn on top
    net.edges = _edges(links, labels)
    total = int(frame["community"].nunique())
    notes = [f"{total:,} communities in the whole network (Leiden on tie strength); "
             f"the {len(sizes):,} largest drawn, each with its {LINKS_PER_COMMUNITY} strongest "
             "links."]
    if mine is None and me is not None:
        notes.append("Your community is too small to be drawn.")
    options = {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 80},
        "nodes": {"shape": "dot", "borderWidth": 1,
                  "font": {"size": 26, "face": "system-ui, sans-serif", "strokeWidth": 4,
                           "strokeColor": "#ffffff"}},
        "edges": {"color": {"color": "#b8c1cc", "highlight": "#2f6fed", "hover": "#7b8794",
                            "opacity": 0.7}, "smooth": False},
    }
    return {"nodes": net.nodes, "edges": net.edges, "options": options,
            "mine": map_id(mine) if mine is not None else None, "notes": notes,
            "communities": total}
