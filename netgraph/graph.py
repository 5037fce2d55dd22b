"""Projection: the store as an undirected NetworkX graph of people and ties.

Nodes are person ids and carry ``name, company, title, city, country, tags, category``.
Edges carry the per-pair features of :func:`netgraph.ties.pair_features`, a ``strength`` in
(0, 1] and ``distance = -ln(strength)``. The graph's own attributes record ``as_of``, ``me``
and ``team``. The aggregation runs in DuckDB; the graph is built from its columns in bulk.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

import networkx as nx
import numpy as np
import pandas as pd

from netgraph import ties
from netgraph.store import Store

__all__ = ["load_graph", "summary"]

log = logging.getLogger(__name__)

_NODE_COLUMNS = ["name", "company", "title", "city", "country", "tags", "category"]


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as dicts with missing values dropped (so attributes are absent, not NaN)."""
    cols = list(frame.columns)
    out = []
    for row in zip(*(frame[c].tolist() for c in cols), strict=True):
        out.append({
            c: v for c, v in zip(cols, row, strict=True)
            if v is not None and v is not pd.NaT and not (isinstance(v, float) and v != v)
        })
    return out


def load_graph(store: Store, as_of: date | datetime | str | None = None) -> nx.Graph:
    """Project the store into an ``nx.Graph`` as of a date (default: today).

    Examples
    --------
    >>> import netgraph as ng
    >>> with ng.open_store(":memory:") as store:
    ...     G = ng.load_graph(store)
    >>> G.number_of_nodes()
    0
    """
    day = ties.as_of_date(as_of)
    people = store.sql(
        "SELECT person_id, name, company, title, city, country, tags, category "
        "FROM people ORDER BY person_id"
    )
    people["tags"] = people["tags"].map(lambda t: list(t) if t is not None else [])
    pairs = ties.pair_features(store, day)
    strength = ties.strength(pairs)
    pairs["strength"] = strength
    pairs["distance"] = -np.log(strength)
    pairs = pairs.drop(columns=["closeness"])
    for col in ("first_contact", "last_contact", "last_intro"):
        pairs[col] = pairs[col].astype(object).where(pairs[col].notna(), None)
        pairs[col] = [v.to_pydatetime() if v is not None else None for v in pairs[col]]
    G = nx.Graph(
        as_of=day.isoformat(),
        me=store.me_id,
        team=store.team_ids,
    )
    ids = people["person_id"].tolist()
    G.add_nodes_from(zip(ids, _records(people[_NODE_COLUMNS]), strict=True))
    attrs = pairs.drop(columns=["u", "v"])
    G.add_edges_from(zip(pairs["u"].tolist(), pairs["v"].tolist(), _records(attrs), strict=True))
    log.info("Projected %s people and %s ties", f"{G.number_of_nodes():,}", f"{G.number_of_edges():,}")
    return G


def summary(store: Store, G: nx.Graph) -> dict:
    """Headline figures: people, ties, interactions, date range, the largest connected part."""
    bound = ties.as_of_bound(G.graph.get("as_of"))
    first, last, n = store.con.execute(
        "SELECT min(occurred_at), max(occurred_at), count(*) FROM interactions WHERE occurred_at < ?",
        [bound],
    ).fetchall()[0]
    largest = max(nx.connected_components(G), key=len, default=set())
    people = G.number_of_nodes()
    return {
        "people": people,
        "ties": G.number_of_edges(),
        "interactions": int(n),
        "introductions": int(store.scalar(
            "SELECT count(*) FROM introductions WHERE occurred_on < ?", [bound.date()])),
        "first_contact": first.date().isoformat() if first else None,
        "last_contact": last.date().isoformat() if last else None,
        "largest_part": len(largest),
        "largest_part_share": round(len(largest) / people, 3) if people else 0.0,
        "as_of": G.graph.get("as_of"),
    }
