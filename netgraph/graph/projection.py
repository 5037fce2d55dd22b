"""Projection: the store as an undirected NetworkX graph of people and ties.

Nodes are person ids and carry ``name, company, title, city, country, tags, category``.
Edges carry the per-pair features of :func:`netgraph.ties.features.pair_features`, a
``strength`` in (0, 1] (:func:`netgraph.ties.model.strength`) and ``distance = -ln(strength)``.
The graph's own attributes record ``as_of``, ``me`` and ``team``. The aggregation runs in
DuckDB; the graph is built from its columns in bulk.
"""

from __future__ import annotations

import logging

import networkx as nx
import numpy as np
import pandas as pd

from netgraph.store import queries
from netgraph.store.database import Store
from netgraph.ties.features import pair_features
from netgraph.ties.model import AsOf, as_of_bound, as_of_date, strength

__all__ = ["load_graph", "summary"]

log = logging.getLogger(__name__)

_NODE_COLUMNS = ["name", "company", "title", "city", "country", "tags", "category"]


#: Edge attributes kept on the graph (pair_features has a few more, for the model only).
EDGE_ATTRIBUTES = (
    "n_interactions", "n_one_to_one", "weighted_contacts", "weighted_12m", "n_from_u",
    "n_from_v", "first_contact", "last_contact", "kinds", "n_intros", "n_converted",
    "last_intro", "strength", "distance",
)
_OPTIONAL = ("first_contact", "last_contact", "last_intro")


def _column(frame: pd.DataFrame, name: str) -> list:
    """A column as Python values; dates as ``datetime`` with ``None`` where missing."""
    if name in _OPTIONAL:
        values = pd.to_datetime(frame[name]).to_numpy(dtype="datetime64[us]").astype(object)
        return values.tolist()
    return frame[name].tolist()


def _add_edges(G: nx.Graph, pairs: pd.DataFrame) -> None:
    """Add every tie in one pass straight into the adjacency.

    ``G.add_edges_from`` re-checks and copies each attribute dict; at a million ties that is most of
    the projection's time.
    """
    adj = G._adj
    columns = [_column(pairs, c) for c in EDGE_ATTRIBUTES]
    optional = [EDGE_ATTRIBUTES.index(c) for c in _OPTIONAL]
    for u, v, *values in zip(pairs["u"].tolist(), pairs["v"].tolist(), *columns, strict=True):
        data = dict(zip(EDGE_ATTRIBUTES, values, strict=True))
        for i in optional:
            if values[i] is None:
                del data[EDGE_ATTRIBUTES[i]]
        adj[u][v] = data
        adj[v][u] = data


def _node_attributes(people: pd.DataFrame) -> list[dict]:
    """Node attribute dicts; missing values are left out, tags are always a list."""
    columns = {c: people[c].astype(object).where(people[c].notna(), None).tolist()
               for c in _NODE_COLUMNS if c != "tags"}
    tags = [list(t) if t is not None else [] for t in people["tags"].tolist()]
    out = []
    for i, t in enumerate(tags):
        attrs = {c: values[i] for c, values in columns.items() if values[i] is not None}
        attrs["tags"] = t
        out.append(attrs)
    return out


def load_graph(store: Store, as_of: AsOf = None) -> nx.Graph:
    """Project the store into an ``nx.Graph`` as of a date (default: today).

    Examples
    --------
    >>> import netgraph as ng
    >>> with ng.open_store(":memory:") as store:
    ...     G = ng.load_graph(store)
    >>> G.number_of_nodes()
    0
    """
    day = as_of_date(as_of)
    people = queries.people_nodes(store)
    pairs = pair_features(store, day)
    strengths = strength(pairs)
    pairs["strength"] = strengths
    pairs["distance"] = -np.log(strengths)
    G = nx.Graph(
        as_of=day.isoformat(),
        me=store.me_id,
        team=store.team_ids,
    )
    G.add_nodes_from(zip(people["person_id"].tolist(), _node_attributes(people), strict=True))
    _add_edges(G, pairs)
    log.info("Projected %s people and %s ties", f"{G.number_of_nodes():,}", f"{G.number_of_edges():,}")
    return G


def summary(store: Store, G: nx.Graph) -> dict:
    """Headline figures: people, ties, interactions, date range, the largest connected part."""
    bound = as_of_bound(G.graph.get("as_of"))
    first, last, n = queries.contact_span(store, bound)
    largest = max(nx.connected_components(G), key=len, default=set())
    people = G.number_of_nodes()
    return {
        "people": people,
        "ties": G.number_of_edges(),
        "interactions": int(n),
        "introductions": queries.introduction_count(store, bound.date()),
        "first_contact": first.date().isoformat() if first else None,
        "last_contact": last.date().isoformat() if last else None,
        "largest_part": len(largest),
        "largest_part_share": round(len(largest) / people, 3) if people else 0.0,
        "as_of": G.graph.get("as_of"),
    }
