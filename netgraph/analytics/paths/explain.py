"""Warm paths in words: names, how two people know each other, and what to do first.

:func:`explain_path` turns a chain of node ids into a :class:`~netgraph.analytics.paths.results.Path`
whose hops say how strong each tie is, when its two people last spoke and how they know each
other, with the first step to take; :func:`advice_for` names the relationship to build when no
warm path exists; :func:`node_name` is how a person is named. Used by the other modules of
:mod:`netgraph.analytics.paths`.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable
from datetime import date, datetime

import networkx as nx

from netgraph.analytics.paths.results import ARROW, Hop, Path


def node_name(G: nx.Graph, n: Hashable) -> str:
    """How a person is named: the node's ``name`` attribute, else its id as text."""
    return str(G.nodes[n].get("name") or n)


def _pandas_time(value: object) -> datetime | None:
    """``value`` as ``pd.Timestamp`` reads it (None for NaT), for what the standard library does not read."""
    import pandas as pd

    ts = pd.Timestamp(value)
    return None if pd.isna(ts) else ts


def _timestamp(value: object) -> datetime | None:
    """A date or time as a ``datetime`` (a day at midnight); None when missing or not one.

    Dates, datetimes and ISO text are read with the standard library, anything else textual as
    pandas reads it, so pandas loads only for such text.
    """
    if value is None or not isinstance(value, date | str):
        return None
    if isinstance(value, datetime):
        return None if value != value else value  # NaT is a datetime unequal to itself
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return _pandas_time(value)


def _as_of(G: nx.Graph) -> datetime | None:
    day = G.graph.get("as_of")
    if not day:
        return None
    return _timestamp(day) if isinstance(day, date | str) else _pandas_time(day)


def _ago(when: datetime | None, as_of: datetime | None) -> str:
    """'3 days ago', '5 weeks ago', '14 months ago', '2.5 years ago' (or the date)."""
    if when is None:
        return "never"
    if as_of is None:
        return f"on {when:%d %b %Y}"
    days = (as_of.date() - when.date()).days
    if days <= 0:
        return "today"
    if days < 14:
        return "yesterday" if days == 1 else f"{days} days ago"
    if days < 60:
        return f"{round(days / 7)} weeks ago"
    if days < 730:
        return f"{round(days / 30.44)} months ago"
    return f"{days / 365.25:.1f} years ago"


def count_of(n: int, word: str, plural: str | None = None) -> str:
    """``n`` and ``word``, in the plural (``plural``, else ``word`` + "s") unless ``n`` is 1.

    >>> count_of(1, "hop"), count_of(3, "intermediary", "intermediaries")
    ('1 hop', '3 intermediaries')
    """
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _how(G: nx.Graph, u: Hashable, v: Hashable, as_of: datetime | None, *,
         brief: bool = False) -> str:
    """How two people know each other, from the tie's counts; ``brief`` leaves out channels."""
    d, a, b = G[u][v], G.nodes[u], G.nodes[v]
    parts = []
    if a.get("company") and str(a["company"]).casefold() == str(b.get("company") or "").casefold():
        parts.append(f"both at {a['company']}")
    n = int(d.get("n_interactions") or 0)
    channels = [k for k in str(d.get("kinds") or "").split(";") if k and k != "connected"]
    if n and channels:
        one = int(d.get("n_one_to_one") or 0)
        parts.append(count_of(n, "contact") if brief else
                     f"{count_of(n, 'contact')} ({', '.join(channels)}; {one} one-to-one)")
        recent = float(d.get("weighted_12m") or 0.0)
        parts.append(f"about {round(recent)} in the last 12 months" if recent >= 0.5
                     else "none in the last 12 months")
        last = _timestamp(d.get("last_contact"))
        if last is not None:
            parts.append(f"the last {_ago(last, as_of)}")
    elif n:
        parts.append("connected, no contact on record")
    intros = int(d.get("n_intros") or 0)
    if intros:
        conv = int(d.get("n_converted") or 0)
        parts.append(f"{count_of(intros, 'introduction')} between them"
                     + (f" ({conv} converted)" if conv else ""))
    return ("; " if not brief else ", ").join(parts) or "no interaction on record"


def explain_path(G: nx.Graph, nodes: list, floor: float, me: Hashable | None) -> Path:
    """The :class:`Path` through ``nodes``, each hop explained, with the first step to take.

    A hop is warm when its strength reaches ``floor``, the path when every hop is. The first step
    speaks to "you" when the path starts at ``me``, else names the person it starts from.
    """
    as_of = _as_of(G)
    names = tuple(node_name(G, n) for n in nodes)
    strengths = [float(G[u][v].get("strength", 1.0)) for u, v in itertools.pairwise(nodes)]
    hops = tuple(
        Hop(u, v, names[i], names[i + 1], strengths[i], strengths[i] >= floor,
            _timestamp(G[u][v].get("last_contact")), _how(G, u, v, as_of))
        for i, (u, v) in enumerate(itertools.pairwise(nodes)))
    warm = all(h.warm for h in hops)
    mine = nodes[0] == me
    you = "you" if mine else names[0]
    first = _how(G, nodes[0], nodes[1], as_of, brief=True)
    if len(nodes) == 2:
        step = (f"you know {names[1]} directly ({first}): reach out yourself" if mine else
                f"{you} knows {names[1]} directly ({first}) and can reach out")
    else:
        to = names[2] if len(nodes) == 3 else f"{names[2]}, on the way to {names[-1]}"
        step = (f"{'ask' if mine else you + ' should ask'} {names[1]} ({you}: {first}) for an "
                f"introduction to {to}; {names[1]} and {names[2]}: "
                f"{_how(G, nodes[1], nodes[2], as_of, brief=True)}")
    return Path(tuple(nodes), names, hops, warm, step)


def advice_for(G: nx.Graph, res_warm: list[Path], closest: Path | None, target_name: str,
            floor: float, max_hops: int) -> str:
    """What to do next: the first step of the best warm path, else the relationship to build.

    With no warm path (``res_warm`` empty) it names the weakest hop of ``closest``, the best route
    with the floor dropped, or says there is no route within ``max_hops`` intermediaries.
    """
    if res_warm:
        return res_warm[0].first_step
    if closest is None:
        within = count_of(max_hops, "intermediary", "intermediaries")
        return (f"no route to {target_name} within {within}, warm or cold: meet someone who "
                "knows them first")
    weak = [h for h in closest.hops if not h.warm]
    h = closest.weakest
    when = f"last contact {_ago(h.last_contact, _as_of(G))}" if h.last_contact else \
        "no contact on record"
    route = ARROW.join(closest.names)
    if h.u == closest.people[0]:
        text = (f"strengthen your tie to {h.v_name} first: {when} (strength {h.strength:.2f}, "
                f"below the {floor:g} floor); the closest fair path is {route}")
    else:
        text = (f"{h.u_name}'s tie to {h.v_name} is too weak to ask on: {when} (strength "
                f"{h.strength:.2f}, below the {floor:g} floor); the closest fair path is {route}: "
                f"ask {h.u_name} how well they know {h.v_name} before asking for an introduction")
    if len(weak) > 1:
        text += f" ({count_of(len(weak) - 1, 'other hop')} on it also below the floor)"
    return text
