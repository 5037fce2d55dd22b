"""Communities: clusters of people tied more to each other than to the rest, and their names.

Leiden (Traag, Waltman & van Eck 2019) maximising modularity on tie strength, run on the
compiled engine with a fixed seed so the same graph always gives the same communities.

References
----------
Traag, V. A., Waltman, L., & van Eck, N. J. (2019). From Louvain to Leiden: guaranteeing
well-connected communities. *Scientific Reports*, 9, 5233.
https://doi.org/10.1038/s41598-019-41695-z
"""

from __future__ import annotations

import random
from collections import Counter

import networkx as nx

from netgraph.graph.engine import engine

__all__ = ["SEED", "communities", "community_names", "distinct_labels", "names_and_places"]

SEED = 7


def communities(G: nx.Graph, *, seed: int = SEED) -> dict:
    """Node -> community index; index 0 is the largest community. Isolated people get their own.

    >>> G = nx.barbell_graph(4, 0)
    >>> nx.set_edge_attributes(G, 0.5, "strength")
    >>> parts = communities(G)
    >>> parts[0] == parts[3] != parts[4] == parts[7]
    True
    """
    if G.number_of_nodes() == 0:
        return {}
    eng = engine(G)
    state = random.getstate()
    random.seed(seed)  # python-igraph draws its random numbers from Python's `random`
    try:
        # two iterations, igraph's default: iterating to convergence costs ~15x at 100k
        # people and barely moves the modularity
        found = eng.graph.community_leiden(objective_function="modularity", weights="strength",
                                           n_iterations=2)
    finally:
        random.setstate(state)
    groups: dict[int, list[int]] = {}
    for vertex, label in enumerate(found.membership):
        groups.setdefault(label, []).append(vertex)
    ordered = sorted(groups.values(), key=lambda g: (-len(g), g[0]))
    return {eng.nodes[v]: i for i, group in enumerate(ordered) for v in group}


def _gather(G: nx.Graph, membership: dict) -> tuple[dict[int, list], dict[int, list]]:
    """Each community's tags and places ("city, company"), in node order."""
    # counted once per community: a Counter keeps first-seen order, so most_common breaks
    # ties as counting node by node would
    tag_lists: dict[int, list] = {}
    place_lists: dict[int, list] = {}
    nodes = G._node  # the raw attribute dicts: much faster to read than the G.nodes view
    for n, c in membership.items():
        d = nodes[n]
        node_tags = d.get("tags")
        if node_tags:
            tag_lists.setdefault(c, []).extend(node_tags)
        city, company = d.get("city"), d.get("company")
        place = ", ".join(x for x in (city, company) if x) if city or company else ""
        if place:
            place_lists.setdefault(c, []).append(place)
    return tag_lists, place_lists


def _names(membership: dict, tag_lists: dict[int, list], place_lists: dict[int, list]
           ) -> dict[int, str]:
    names = {}
    for c in set(membership.values()):
        counted = Counter(tag_lists.get(c, ()))
        counted.pop("team", None)
        top_tag = counted.most_common(1)
        top_place = Counter(place_lists.get(c, ())).most_common(1)
        if top_tag and top_tag[0][1] >= 2:
            names[c] = top_tag[0][0].replace("-", " ").replace("_", " ")
        elif top_place:
            names[c] = top_place[0][0]
        else:
            names[c] = f"community {c + 1}"
    return distinct_labels(names)


def community_names(G: nx.Graph, membership: dict, *, tags: bool = True) -> dict[int, str]:
    """A short label per community: its most common tag, else city and company.

    Tags like ``berlin-fintech`` read as "berlin fintech"; without tags, "Berlin, Acme".
    ``tags=False`` names each by city and company only (what a redacted report that keeps
    organisations shows).
    """
    tag_lists, place_lists = _gather(G, membership)
    return _names(membership, tag_lists if tags else {}, place_lists)


def names_and_places(G: nx.Graph, membership: dict) -> tuple[dict[int, str], dict[int, str]]:
    """:func:`community_names` with tags and without (by place only), from one pass."""
    tag_lists, place_lists = _gather(G, membership)
    return _names(membership, tag_lists, place_lists), _names(membership, {}, place_lists)


def distinct_labels(labels: dict[int, str]) -> dict[int, str]:
    """Labels that repeat get a number (``london venture capital (2)``), so no two read the same.

    Communities are numbered largest first, so the largest keeps the bare label.
    """
    seen: dict[str, int] = {}
    out = {}
    for c in sorted(labels):
        label = str(labels[c])
        seen[label] = seen.get(label, 0) + 1
        out[c] = label if seen[label] == 1 else f"{label} ({seen[label]})"
    return out
