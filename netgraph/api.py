"""The Python API for analyses on a store: each function reads what it needs, then calls a pure
analysis from :mod:`netgraph.analytics`. The CLI calls exactly these."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from netgraph import ties
from netgraph._errors import NoTieError
from netgraph.analytics import neglect
from netgraph.analytics.explain import explain_features
from netgraph.analytics.roles import suggest_roles
from netgraph.graph import load_graph
from netgraph.history import my_history
from netgraph.store import Store

__all__ = ["connectors", "dormant", "explain_tie", "ledger", "neglected", "roles"]

AsOf = date | datetime | str | None


def neglected(store: Store, as_of: AsOf = None) -> pd.DataFrame:
    """My relationships overdue against their own cadence, most urgent first (needs "me")."""
    return neglect.neglected(my_history(store, as_of))


def dormant(store: Store, as_of: AsOf = None) -> pd.DataFrame:
    """Ties strong at their peak and silent for more than a year (Levin et al. 2011)."""
    return neglect.dormant(my_history(store, as_of))


def ledger(store: Store, as_of: AsOf = None, *, min_imbalance: int = 2) -> pd.DataFrame:
    """Introductions I gave each person against those I received, where unbalanced."""
    return neglect.ledger(my_history(store, as_of), min_imbalance=min_imbalance)


def explain_tie(store: Store, a: str | int, b: str | int, as_of: AsOf = None) -> pd.DataFrame:
    """Each factor's contribution to the strength of the tie between ``a`` and ``b``."""
    pa, pb = store.resolve(a), store.resolve(b)
    features = ties.pair_features(store, as_of, person=pa)
    hit = features[((features["u"] == pa) & (features["v"] == pb))
                   | ((features["u"] == pb) & (features["v"] == pa))]
    if hit.empty:
        day = ties.as_of_date(as_of).isoformat()
        msg = (f"{store.name_of(pa)} and {store.name_of(pb)} have no tie as of {day}: no shared "
               "interaction or introduction")
        raise NoTieError(msg)
    return explain_features(hit.iloc[0])


def roles(store: Store, as_of: AsOf = None) -> pd.DataFrame:
    """A suggested role (connector, target, general) for everyone, beside their own category."""
    G = load_graph(store, as_of)
    intros = store.con.execute(
        "SELECT introducer_id, a_id, b_id, status FROM introductions WHERE occurred_on < ?",
        [ties.as_of_bound(as_of).date()],
    ).df()
    return suggest_roles(G, intros)


def connectors(store: Store, as_of: AsOf = None, *, global_view: bool = False) -> pd.DataFrame:
    """Best connectors: with "me" set, who connects me to what I cannot reach."""
    from netgraph.analytics.connectors import connectors as rank

    G = load_graph(store, as_of)
    return rank(G, global_view=global_view or G.graph.get("me") is None)
