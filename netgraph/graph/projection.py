"""Projection: the store as an undirected NetworkX graph of people and ties.

Nodes are person ids and carry ``name, company, title, city, country, tags, category``.
Edges carry the per-pair features of :func:`netgraph.ties.features.pair_features`, a
``strength`` in (0, 1] (:func:`netgraph.ties.model.strength`) and ``distance = -ln(strength)``.
The graph's own attributes record ``as_of``, ``me`` and ``team``. The aggregation runs in
DuckDB; the graph is built from its columns in bulk, read as numpy arrays
(:func:`netgraph.ties.table.tie_columns`) and the people as plain rows, so projecting loads no
pandas.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING

import networkx as nx

from netgraph.graph.engine import remember
from netgraph.graph.parts import largest_part, summary
from netgraph.store import queries
from netgraph.store.database import Store
from netgraph.ties.model import AsOf, as_of_date
from netgraph.ties.table import people_within, tie_columns, tie_lists

if TYPE_CHECKING:
    import numpy as np

__all__ = ["EDGE_ATTRIBUTES", "largest_part", "load_graph", "load_neighbourhood", "load_path_part",
           "load_structure", "load_whole_structure", "neighbourhood", "summary"]

log = logging.getLogger(__name__)

#: Edge attributes kept on the graph (pair_features has a few more, for the model only).
EDGE_ATTRIBUTES = (
    "n_interactions", "n_one_to_one", "weighted_contacts", "weighted_12m", "n_from_u",
    "n_from_v", "first_contact", "last_contact", "kinds", "n_intros", "n_converted",
    "last_intro", "strength", "distance",
)
_OPTIONAL = ("first_contact", "last_contact", "last_intro")


def _column(pairs: Mapping[str, np.ndarray | list], name: str) -> list:
    """A column as Python values; dates as ``datetime`` with ``None`` where missing.

    A date column may come masked (:func:`~netgraph.ties.table.tie_columns` from the table) or
    with NaT (computed for a past day); either way a missing date is None.
    """
    values = pairs[name]
    if isinstance(values, list):  # rows from the table (tie_lists): dates are dates already
        return [_datetime(x) for x in values] if name in _OPTIONAL else values
    if name not in _OPTIONAL:
        return values.tolist()
    import numpy as np

    days = np.asarray(np.ma.getdata(values)).astype("datetime64[us]").astype(object)
    days[np.ma.getmaskarray(values)] = None
    return days.tolist()


def _datetime(value: date | None) -> datetime | None:
    """A date at midnight as a ``datetime`` (as a date column becomes one), else as it is."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day)


def _add_edges(G: nx.Graph, pairs: Mapping[str, np.ndarray | list],
               attributes: tuple[str, ...] = EDGE_ATTRIBUTES) -> None:
    """Add every tie in one pass straight into the adjacency, with ``attributes`` on each.

    ``G.add_edges_from`` re-checks and copies each attribute dict; at a million ties that is most of
    the projection's time.
    """
    adj = G._adj
    columns = [_column(pairs, c) for c in attributes]
    optional = [attributes.index(c) for c in _OPTIONAL if c in attributes]
    for u, v, *values in zip(_column(pairs, "u"), _column(pairs, "v"), *columns, strict=True):
        data = dict(zip(attributes, values, strict=True))
        for i in optional:
            if values[i] is None:
                del data[attributes[i]]
        adj[u][v] = data
        adj[v][u] = data


def _nodes(rows: list[tuple], columns: Iterable[str] = queries.NODE_COLUMNS) -> list[tuple[int, dict]]:
    """(person id, attribute dict) per row of :func:`~netgraph.store.queries.people_node_rows`.

    ``columns`` are the rows' columns after ``person_id``. Missing values are left out; tags,
    when read, are always a list.
    """
    columns = tuple(columns)
    plain = [(i + 1, c) for i, c in enumerate(columns) if c != "tags"]
    tags = columns.index("tags") + 1 if "tags" in columns else None
    out = []
    for row in rows:
        attrs = {c: row[i] for i, c in plain if row[i] is not None}
        if tags is not None:  # JSON text, or None for no tag
            attrs["tags"] = json.loads(row[tags]) if row[tags] is not None else []
        out.append((row[0], attrs))
    return out


def _add_nodes(G: nx.Graph, rows: list[tuple], columns: Iterable[str] = queries.NODE_COLUMNS) -> None:
    """Add a person per node row straight into a new graph, attribute dicts as :func:`_nodes` makes them.

    The dicts are the graph's own (each is new); ``G.add_nodes_from`` would copy each one again.
    """
    nodes = _nodes(rows, columns)
    G._adj.update((n, {}) for n, _ in nodes)
    G._node.update(nodes)


def _project(store: Store, day: object, people: list[tuple], pairs: Mapping[str, np.ndarray | list],
             attributes: tuple[str, ...] = EDGE_ATTRIBUTES, **graph_attrs: object) -> nx.Graph:
    """The graph of ``people`` (node rows) and ``pairs`` (columns of ties), engine included."""
    G = nx.Graph(as_of=as_of_date(day).isoformat(), me=store.me_id, team=store.team_ids,
                 **graph_attrs)
    _add_nodes(G, people)
    _add_edges(G, pairs, attributes)
    remember(G, pairs["u"], pairs["v"], pairs["strength"])
    log.info("Projected %s people and %s ties", f"{G.number_of_nodes():,}",
             f"{G.number_of_edges():,}")
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
    return _project(store, as_of, queries.people_node_rows(store),
                    tie_columns(store, as_of, columns=("u", "v", *EDGE_ATTRIBUTES), ordered=True))


def _compiled(store: Store, ids: set[int] | None, as_of: AsOf,
              attributes: Iterable[str] = queries.NODE_COLUMNS, **graph_attrs: object) -> nx.Graph:
    """The people ``ids`` (None: everyone) with the ties among them compiled, no NetworkX edge.

    Nodes carry ``attributes`` (default: :func:`load_graph`'s); the ties (``u, v, strength``, in
    the table's order, as :func:`load_graph` reads them) go straight into the compiled engine
    (:func:`netgraph.graph.engine.remember`), so the engine is the one a full projection builds.
    For the analyses that read only the engine and the node attributes.
    """
    attributes = tuple(attributes)
    ties = tie_columns(store, as_of, people=ids, among=True, columns=("u", "v", "strength"),
                       ordered=True)
    G = nx.Graph(as_of=as_of_date(as_of).isoformat(), me=store.me_id, team=store.team_ids,
                 **graph_attrs)
    _add_nodes(G, queries.people_node_rows(store, ids, columns=attributes), attributes)
    remember(G, ties["u"], ties["v"], ties["strength"])
    log.info("Compiled %s people and %s ties", f"{G.number_of_nodes():,}", f"{len(ties['u']):,}")
    return G


def load_whole_structure(store: Store, as_of: AsOf = None, *,
                         attributes: Iterable[str] = queries.NODE_COLUMNS) -> nx.Graph:
    """Everyone and every tie, as :func:`load_graph` has them, with the ties compiled only.

    The whole network for the analyses that read only the compiled engine and the node
    attributes (the global connectors, every weak tie, the communities and their names), with
    no dict per tie. ``attributes`` names the node attributes to read (default: all of them).
    """
    return _compiled(store, None, as_of, attributes)


def neighbourhood(store: Store, centres: Iterable[int], *, hops: int, as_of: AsOf = None,
                  min_strength: float | None = None) -> set[int]:
    """The people within ``hops`` ties of any of ``centres`` (ties at least ``min_strength``)."""
    return people_within(store, centres, hops=hops, as_of=as_of, min_strength=min_strength)


def _part(store: Store, ids: set[int], as_of: AsOf, attributes: tuple[str, ...], *,
          small: bool = False, **graph_attrs: object) -> nx.Graph:
    """The graph of the people ``ids`` and every tie among them, with ``attributes`` on the ties.

    ``small``: the ties come as Python lists (:func:`~netgraph.ties.table.tie_lists`), for a part
    small enough that numpy is not worth loading; otherwise as arrays.
    """
    columns = ("u", "v", *(c for c in attributes if c not in ("u", "v")))
    read = tie_lists if small else tie_columns
    pairs = read(store, as_of, people=ids, among=True, ordered=True, columns=columns)
    return _project(store, as_of, queries.people_node_rows(store, ids), pairs, attributes,
                    **graph_attrs)


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
    return _part(store, ids, as_of, attributes, centres=centres, hops=hops)


def load_structure(store: Store, centres: Iterable[int], *, hops: int = 2,
                   as_of: AsOf = None) -> nx.Graph:
    """The people of :func:`load_neighbourhood`, with their ties compiled but no NetworkX edge.

    Nodes carry :func:`load_graph`'s attributes and the graph its attributes (``as_of``, ``me``,
    ``team``, ``centres``, ``hops``); the engine is the one :func:`load_neighbourhood` builds,
    without a dict per tie. For the analyses of my part that read only the engine and the node
    attributes (my connectors, weak ties, communities).
    """
    centres = [int(c) for c in centres]
    ids = neighbourhood(store, centres, hops=hops, as_of=as_of)
    return _compiled(store, ids, as_of, centres=centres, hops=hops)


def load_path_part(store: Store, sources: Iterable[int], goals: Iterable[int], *,
                   max_hops: int, min_strength: float, as_of: AsOf = None,
                   attributes: tuple[str, ...] = EDGE_ATTRIBUTES) -> nx.Graph:
    """The part of the network a warm path of at most ``max_hops`` intermediaries can use.

    A path of ``max_hops + 1`` ties of at least ``min_strength`` has every person within
    ``ceil((max_hops + 1) / 2)`` such ties of one end, so this reads the warm balls around the
    ``sources`` and the ``goals`` (person ids) and every tie among them; cold routes, with one
    weak hop between the balls, are found in it too. The part is small: its ties are read as
    rows (no numpy or pandas loads), with ``attributes`` on them (default: all of
    :data:`EDGE_ATTRIBUTES`; ``strength`` is always among them).
    """
    radius = (max_hops + 2) // 2
    goals = [int(g) for g in goals]
    ids = neighbourhood(store, sources, hops=radius, as_of=as_of, min_strength=min_strength)
    ids |= neighbourhood(store, goals, hops=radius, as_of=as_of, min_strength=min_strength)
    attributes = (*attributes, *(() if "strength" in attributes else ("strength",)))
    return _part(store, ids, as_of, attributes, small=True, centres=goals, hops=radius)
