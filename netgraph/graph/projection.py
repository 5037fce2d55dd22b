"""Projection: the store as an undirected NetworkX graph of people and ties.

Nodes are person ids and carry ``name, company, title, city, country, tags, category``.
Edges carry the per-pair features of :func:`netgraph.ties.features.pair_features`, a
``strength`` in (0, 1] (:func:`netgraph.ties.model.strength`) and ``distance = -ln(strength)``.
The graph's own attributes record ``as_of``, ``me`` and ``team``. The aggregation runs in
DuckDB; the graph is built from its columns in bulk.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import networkx as nx
import numpy as np
import pandas as pd

from netgraph.graph.engine import remember
from netgraph.store import queries
from netgraph.store.database import Store
from netgraph.ties.model import AsOf, as_of_bound, as_of_date
from netgraph.ties.table import tie_frame

__all__ = ["EDGE_ATTRIBUTES", "largest_part", "load_graph", "load_neighbourhood", "load_path_part",
           "neighbourhood", "people_graph", "summary"]

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


def _add_edges(G: nx.Graph, pairs: pd.DataFrame,
               attributes: tuple[str, ...] = EDGE_ATTRIBUTES) -> None:
    """Add every tie in one pass straight into the adjacency, with ``attributes`` on each.

    ``G.add_edges_from`` re-checks and copies each attribute dict; at a million ties that is most of
    the projection's time.
    """
    adj = G._adj
    columns = [_column(pairs, c) for c in attributes]
    optional = [attributes.index(c) for c in _OPTIONAL if c in attributes]
    for u, v, *values in zip(pairs["u"].tolist(), pairs["v"].tolist(), *columns, strict=True):
        data = dict(zip(attributes, values, strict=True))
        for i in optional:
            if values[i] is None:
                del data[attributes[i]]
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


def _project(store: Store, day: object, people: pd.DataFrame, pairs: pd.DataFrame,
             attributes: tuple[str, ...] = EDGE_ATTRIBUTES, **graph_attrs: object) -> nx.Graph:
    """The graph of ``people`` and ``pairs``, with its engine built from the same arrays."""
    G = nx.Graph(as_of=as_of_date(day).isoformat(), me=store.me_id, team=store.team_ids,
                 **graph_attrs)
    G.add_nodes_from(zip(people["person_id"].tolist(), _node_attributes(people), strict=True))
    _add_edges(G, pairs, attributes)
    remember(G, pairs["u"].to_numpy(), pairs["v"].to_numpy(), pairs["strength"].to_numpy())
    log.info("Projected %s people and %s ties", f"{G.number_of_nodes():,}",
             f"{G.number_of_edges():,}")
    return G


def people_graph(store: Store, ties: pd.DataFrame) -> nx.Graph:
    """Everyone as nodes, with :func:`load_graph`'s node attributes, and an engine of ``ties``.

    The graph has no NetworkX edges: it serves whole-network analyses that read only the
    compiled engine (:mod:`netgraph.graph.engine`) and node attributes, such as Leiden and the
    communities' names, without a dict per tie. ``ties`` has ``u, v, strength``.
    """
    people = queries.people_nodes(store)
    G = nx.Graph()
    G.add_nodes_from(zip(people["person_id"].tolist(), _node_attributes(people), strict=True))
    remember(G, ties["u"].to_numpy(), ties["v"].to_numpy(), ties["strength"].to_numpy())
    return G


def load_graph(store: Store, as_of: AsOf = None) -> nx.Graph:
    """Project the whole store into an ``nx.Graph`` as of a date (default: today).

    Questions about one person read only their part (:func:`load_neighbourhood`).

    Examples
    --------
    >>> import netgraph as ng
    >>> with ng.open_store(":memory:") as store:
    ...     G = ng.load_graph(store)
    >>> G.number_of_nodes()
    0
    """
    return _project(store, as_of, queries.people_nodes(store), tie_frame(store, as_of))


def neighbourhood(store: Store, centres: Iterable[int], *, hops: int, as_of: AsOf = None,
                  min_strength: float | None = None) -> set[int]:
    """The people within ``hops`` ties of any of ``centres`` (ties at least ``min_strength``)."""
    reached = {int(c) for c in centres}
    frontier = set(reached)
    for _ in range(hops):
        if not frontier:
            break
        ties = tie_frame(store, as_of, people=frontier, min_strength=min_strength,
                         columns=("u", "v"), ordered=False)
        found = set(ties["u"].tolist()) | set(ties["v"].tolist())
        frontier = found - reached
        reached |= found
    return reached


def load_neighbourhood(store: Store, centres: Iterable[int], *, hops: int = 2,
                       as_of: AsOf = None, min_strength: float | None = None,
                       people: Iterable[int] = (),
                       attributes: tuple[str, ...] = EDGE_ATTRIBUTES) -> nx.Graph:
    """The part of the network within ``hops`` ties of ``centres``, as an ``nx.Graph``.

    Nodes and edges carry what :func:`load_graph` puts on them; every tie between two people of
    the part is in it. Questions about me (or a few people) read only this, so they cost what
    the neighbourhood costs, not what the network does.

    Parameters
    ----------
    store : Store
        The store to read.
    centres : iterable of int
        Where the neighbourhood starts (me, a team, the members of a target group).
    hops : int
        How far it reaches.
    as_of : date, datetime, str or None
        The day (default: today).
    min_strength : float, optional
        Only walk ties at least this strong to find the people (the ties between them are all
        kept).
    people : iterable of int
        People to include besides (another neighbourhood, found separately).
    attributes : tuple of str
        The edge attributes to put on the ties (default all of :data:`EDGE_ATTRIBUTES`); an
        analysis that reads only ``strength`` and ``distance`` builds its graph faster.

    Returns
    -------
    networkx.Graph
        With the graph attributes of :func:`load_graph`, plus ``centres`` and ``hops``.
    """
    centres = [int(c) for c in centres]
    ids = neighbourhood(store, centres, hops=hops, as_of=as_of, min_strength=min_strength)
    ids |= {int(p) for p in people}
    pairs = tie_frame(store, as_of, people=ids, among=True,
                      columns=("u", "v", *(c for c in attributes if c not in ("u", "v"))))
    return _project(store, as_of, queries.people_nodes(store, ids), pairs, attributes,
                    centres=centres, hops=hops)


def load_path_part(store: Store, sources: Iterable[int], goals: Iterable[int], *,
                   max_hops: int, min_strength: float, as_of: AsOf = None) -> nx.Graph:
    """The part of the network a warm path of at most ``max_hops`` intermediaries can use.

    A path of ``max_hops + 1`` ties of at least ``min_strength`` has every person within
    ``ceil((max_hops + 1) / 2)`` such ties of one end, so this reads the warm balls around the
    ``sources`` and the ``goals`` (person ids) and every tie among them; cold routes, with one
    weak hop between the balls, are found in it too.
    """
    radius = (max_hops + 2) // 2
    near_sources = neighbourhood(store, sources, hops=radius, as_of=as_of,
                                 min_strength=min_strength)
    return load_neighbourhood(store, goals, hops=radius, as_of=as_of, min_strength=min_strength,
                              people=near_sources)


def largest_part(store: Store, as_of: AsOf = None) -> tuple[int, int, int]:
    """(people, ties, people in the largest connected part), from the tie table's two columns.

    No graph is built: scipy labels the parts of a sparse matrix of the ids.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    ids = np.asarray(queries.person_ids(store), dtype=np.int64)
    n = len(ids)
    if n == 0:
        return 0, 0, 0
    ties = tie_frame(store, as_of, columns=("u", "v"), ordered=False)
    position = np.full(int(ids.max()) + 1, -1, dtype=np.int64)
    position[ids] = np.arange(n)
    u = position[ties["u"].to_numpy(dtype=np.int64)]
    v = position[ties["v"].to_numpy(dtype=np.int64)]
    A = coo_matrix((np.ones(len(u), dtype=np.int8), (u, v)), shape=(n, n))
    _, labels = connected_components(A, directed=False)
    return n, len(ties), int(np.bincount(labels).max())


def summary(store: Store, G: nx.Graph | None = None, as_of: AsOf = None) -> dict:
    """Headline figures: people, ties, interactions, date range, the largest connected part.

    With a graph, its figures; without, the store's as of ``as_of``, with no graph built.
    """
    day = as_of if G is None else G.graph.get("as_of")
    bound = as_of_bound(day)
    first, last, n = queries.contact_span(store, bound)
    if G is None:
        people, ties, largest = largest_part(store, day)
    else:
        people, ties = G.number_of_nodes(), G.number_of_edges()
        largest = len(max(nx.connected_components(G), key=len, default=set()))
    return {
        "people": people,
        "ties": ties,
        "interactions": int(n),
        "introductions": queries.introduction_count(store, bound.date()),
        "first_contact": first.date().isoformat() if first else None,
        "last_contact": last.date().isoformat() if last else None,
        "largest_part": largest,
        "largest_part_share": round(largest / people, 3) if people else 0.0,
        "as_of": as_of_date(day).isoformat(),
    }
