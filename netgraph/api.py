"""The Python API for analyses on a store: each function reads what it needs, then calls a pure
analysis from :mod:`netgraph.analytics`. The CLI calls exactly these."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from netgraph._errors import NoTieError
from netgraph.analytics import neglect
from netgraph.analytics.explain import explain_features
from netgraph.analytics.roles import suggest_roles
from netgraph.graph.projection import load_graph
from netgraph.store.database import Store
from netgraph.ties import features as ties
from netgraph.ties.history import my_history

__all__ = [
    "connectors", "dormant", "explain_tie", "intro", "ledger", "neglected", "plan", "roles",
    "weak_ties",
]

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


def weak_ties(store: Store, as_of: AsOf = None, *, everyone: bool = False) -> pd.DataFrame:
    """Weak ties and bridges: by default my ties that bridge to other clusters."""
    from netgraph.analytics.weak_ties import weak_ties as classify

    G = load_graph(store, as_of)
    return classify(G, mine_only=not everyone and G.graph.get("me") is not None)


_GROUP_PREFIXES = ("company:", "city:", "tag:")


def _target(store: Store, target: str) -> object:
    """A person's id, or a group spec (``company:``, ``city:``, ``tag:``) passed through."""
    if target.strip().lower().startswith(_GROUP_PREFIXES):
        return target.strip()
    return store.resolve(target)


def intro(
    store: Store,
    target: str,
    as_of: AsOf = None,
    *,
    source: str | None = None,
    team: bool = False,
    k: int = 3,
    max_hops: int = 3,
    min_strength: float | None = None,
) -> object:
    """Warm introduction paths to a person or a group (``company:NAME``, ``city:NAME``,
    ``tag:NAME``): a :class:`~netgraph.analytics.paths.warm.PathResult`, or with ``team`` a
    :class:`~netgraph.analytics.paths.warm.TeamPaths` saying who on the team should ask."""
    from netgraph.analytics.paths import warm as paths

    G = load_graph(store, as_of)
    options = {"k": k, "max_hops": max_hops,
               "min_strength": paths.DEFAULT_MIN_STRENGTH if min_strength is None else min_strength}
    goal = _target(store, target)
    if team:
        return paths.team_paths(G, goal, **options)
    start = store.resolve(source) if source else None
    return paths.warm_paths(G, start, goal, **options)


def plan(store: Store, targets: list[str], as_of: AsOf = None, *, source: str | None = None,
         max_hops: int = 3, min_strength: float | None = None) -> pd.DataFrame:
    """The fewest introducers who cover the most targets through warm paths."""
    from netgraph.analytics.paths import warm as paths

    G = load_graph(store, as_of)
    from netgraph.analytics.paths.plan import plan_introductions

    return plan_introductions(
        G, [_target(store, t) for t in targets],
        source=store.resolve(source) if source else None, max_hops=max_hops,
        min_strength=paths.DEFAULT_MIN_STRENGTH if min_strength is None else min_strength)
