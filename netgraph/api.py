"""The Python API for analyses on a store.

Each function reads what it needs, then calls a pure analysis from :mod:`netgraph.analytics`.
The CLI calls exactly these.

May import: every stage below the CLI (:mod:`netgraph.analytics`, :mod:`netgraph.graph`,
:mod:`netgraph.ties`, :mod:`netgraph.identity`, :mod:`netgraph.store`, :mod:`netgraph._errors`).
"""

from __future__ import annotations

import pandas as pd

from netgraph._errors import NoTieError
from netgraph.analytics import neglect
from netgraph.analytics.connectors import connectors as rank_connectors
from netgraph.analytics.explain import explain_features
from netgraph.analytics.paths.plan import plan_introductions
from netgraph.analytics.paths.targets import parse_target
from netgraph.analytics.paths.warm import DEFAULT_MIN_STRENGTH, PathResult, TeamPaths, team_paths, warm_paths
from netgraph.analytics.roles import suggest_roles
from netgraph.analytics.weak_ties import weak_ties as classify_ties
from netgraph.graph.projection import load_graph
from netgraph.identity.lookup import resolve_person
from netgraph.store import queries
from netgraph.store.database import Store
from netgraph.ties.features import pair_features
from netgraph.ties.history import my_history
from netgraph.ties.model import AsOf, as_of_bound, as_of_date

__all__ = [
    "connectors", "dormant", "explain_tie", "intro", "ledger", "neglected", "plan", "roles",
    "weak_ties",
]

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
    pa, pb = resolve_person(store, a), resolve_person(store, b)
    features = pair_features(store, as_of, person=pa)
    hit = features[((features["u"] == pa) & (features["v"] == pb))
                   | ((features["u"] == pb) & (features["v"] == pa))]
    if hit.empty:
        day = as_of_date(as_of).isoformat()
        msg = (f"{store.name_of(pa)} and {store.name_of(pb)} have no tie as of {day}: no shared "
               "interaction or introduction")
        raise NoTieError(msg)
    return explain_features(hit.iloc[0])


def roles(store: Store, as_of: AsOf = None) -> pd.DataFrame:
    """A suggested role (connector, target, general) for everyone, beside their own category."""
    G = load_graph(store, as_of)
    intros = queries.introductions_before(store, as_of_bound(as_of).date())
    return suggest_roles(G, intros)


def connectors(store: Store, as_of: AsOf = None, *, global_view: bool = False) -> pd.DataFrame:
    """Best connectors: with "me" set, who connects me to what I cannot reach."""
    G = load_graph(store, as_of)
    return rank_connectors(G, global_view=global_view or G.graph.get("me") is None)


def weak_ties(store: Store, as_of: AsOf = None, *, everyone: bool = False) -> pd.DataFrame:
    """Weak ties and bridges: by default my ties that bridge to other clusters."""
    G = load_graph(store, as_of)
    return classify_ties(G, mine_only=not everyone and G.graph.get("me") is not None)


def _target(store: Store, target: str) -> int | str:
    """A person's id, or a group target passed through as written.

    Group targets are ``company:NAME``, ``city:NAME`` and ``tag:NAME`` (see
    :func:`~netgraph.analytics.paths.targets.parse_target`).
    """
    if parse_target(target) is not None:
        return target.strip()
    return resolve_person(store, target)


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
) -> PathResult | TeamPaths:
    """Warm introduction paths to a person or a group (``company:NAME``, ``city:NAME``, ``tag:NAME``).

    Parameters
    ----------
    store : Store
        The store to read.
    target : str
        A person (number, external id, email, profile URL or name) or a group.
    as_of : date, datetime, str or None
        The day the graph is projected at (default: today).
    source : str, optional
        Who asks (default: me).
    team : bool
        Search from every team member and say who should ask.
    k, max_hops : int
        How many paths, and at most how many intermediaries on each.
    min_strength : float, optional
        The floor every hop of a warm path reaches (default:
        :data:`~netgraph.analytics.paths.warm.DEFAULT_MIN_STRENGTH`).

    Returns
    -------
    PathResult or TeamPaths
        A :class:`~netgraph.analytics.paths.warm.PathResult`, or with ``team`` a
        :class:`~netgraph.analytics.paths.warm.TeamPaths` saying who on the team should ask.
    """
    G = load_graph(store, as_of)
    floor = DEFAULT_MIN_STRENGTH if min_strength is None else min_strength
    goal = _target(store, target)
    if team:
        return team_paths(G, goal, k=k, max_hops=max_hops, min_strength=floor)
    start = resolve_person(store, source) if source else None
    return warm_paths(G, start, goal, k=k, max_hops=max_hops, min_strength=floor)


def plan(store: Store, targets: list[str], as_of: AsOf = None, *, source: str | None = None,
         max_hops: int = 3, min_strength: float | None = None) -> pd.DataFrame:
    """The fewest introducers who cover the most targets through warm paths."""
    G = load_graph(store, as_of)
    return plan_introductions(
        G, [_target(store, t) for t in targets],
        source=resolve_person(store, source) if source else None, max_hops=max_hops,
        min_strength=DEFAULT_MIN_STRENGTH if min_strength is None else min_strength)
