"""Warm introductions: the fairest chains of people to a person, a company, a city or a tag.

An introduction path is only as good as its weakest hop, and networking practice forbids
premature solicitation: never ask someone for an introduction unless you know them well, and
unless they know the target well. So a path is *warm* only when every hop reaches
:data:`DEFAULT_MIN_STRENGTH` (or the floor the caller gives), and paths are ranked by *path
strength*, the product of the hop strengths. Maximising that product is minimising the sum of
``distance = -ln(strength)``, so the k best paths are the k shortest simple paths on distance
(Yen 1971), restricted to at most ``max_hops`` intermediaries.

How the search stays fast and bounded
-------------------------------------
Nothing here lists all simple paths. With at most ``L = max_hops + 1`` ties, a node ``u``
other than the ends can lie on a path only if ``hops(source, u) + hops(u, target) <= L``. A
breadth-first search of depth ``L - 1`` from the source over the ties at or above the floor,
and one from the target inside that ball, cut the graph to those nodes before any path is
sought; they read ``G``'s own adjacency and cost what the ball holds, not what the graph holds.
Yen's algorithm then runs on that small piece with a *hop-bounded* Dijkstra (over ``(node,
hops used)`` states, pruned by the hops still needed to reach the target) for every spur path,
so paths longer than ``L`` ties are never generated, rather than generated and filtered. This
gives exactly the first k of ``nx.shortest_simple_paths(warm_subgraph, s, t,
weight="distance")`` that have at most ``L`` ties (``tests/test_paths.py`` checks it against
NetworkX by value). NetworkX's and igraph's Yen have no hop bound: in a dense cluster of very
strong ties they wade through many long paths before the short ones.

No compiled engine (:mod:`netgraph.engine`) is used: for 100k people and 1M ties building one
takes seconds, and its cache check alone (``G.number_of_edges()``) walks every node, while a
whole bounded query takes tens of milliseconds. ``bench/paths.py`` measures NetworkX and igraph
beside it, on the pruned piece and raw on the full graph.

Group targets (``company:NAME``, ``city:NAME``, ``tag:NAME``) return one path to each of the
``k`` best-reachable members (each member's best path), found by a single hop-bounded search
from the source that stops at members: a path never runs *through* a member of the group.

References
----------
Yen, J. Y. (1971). Finding the k shortest loopless paths in a network. *Management Science*,
17(11), 712-716. https://doi.org/10.1287/mnsc.17.11.712

Chvátal, V. (1979). A greedy heuristic for the set-covering problem. *Mathematics of
Operations Research*, 4(3), 233-235. https://doi.org/10.1287/moor.4.3.233

Granovetter, M. S. (1973). The strength of weak ties. *American Journal of Sociology*, 78(6),
1360-1380. https://doi.org/10.1086/225469
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from netgraph._errors import NotConfiguredError, PersonNotFound
from netgraph.analytics._path_search import _routes

__all__ = [
    "DEFAULT_MIN_STRENGTH",
    "GROUP_KINDS",
    "Hop",
    "Path",
    "PathResult",
    "TeamPaths",
    "team_paths",
    "warm_paths",
]

#: The floor every hop of a warm path must reach: "we actually talk". In the tie model
#: (:mod:`netgraph.ties`) 0.5 is a logit of 0, where the evidence of contact has cancelled the
#: -4 baseline of a tie with no evidence. No single contact reaches it however recent (one
#: one-to-one contact yesterday gives 0.45, one a month ago 0.32, one a year ago 0.04), nor does
#: a monthly tie silent for 14 months (0.16). A real rhythm does: three contacts in a year, the
#: last a month ago, started from both sides, gives 0.74; quarterly contact for two years 0.67
#: to 0.87 depending on the last contact; monthly contact 0.97. An introduction made through
#: the pair (a "reciprocal service") can lift a thinner tie over the floor.
DEFAULT_MIN_STRENGTH = 0.5
#: Node attributes a group target can name: ``company:NAME``, ``city:NAME``, ``tag:NAME``.
GROUP_KINDS = {"company": "company", "city": "city", "tag": "tags"}

_ARROW = " → "


# -- results -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Hop:
    """One tie along a path, from the source's side to the target's side."""

    u: Hashable
    v: Hashable
    u_name: str
    v_name: str
    strength: float
    warm: bool
    last_contact: pd.Timestamp | None
    how: str


@dataclass(frozen=True)
class Path:
    """A chain of people from the source to a target, with each hop explained."""

    people: tuple[Hashable, ...]
    names: tuple[str, ...]
    hops: tuple[Hop, ...]
    warm: bool
    first_step: str

    @property
    def path_strength(self) -> float:
        """The product of the hop strengths."""
        return math.prod(h.strength for h in self.hops)

    @property
    def weakest(self) -> Hop:
        """The hop with the lowest strength (the first one on ties)."""
        return min(self.hops, key=lambda h: h.strength)

    @property
    def ask(self) -> Hashable | None:
        """The person to ask: the first intermediary (None for a direct tie)."""
        return self.people[1] if len(self.people) > 2 else None

    @property
    def label(self) -> str:
        return "warm" if self.warm else "cold"


@dataclass(frozen=True)
class PathResult:
    """Warm paths to a target, cold routes beside them, and what to do next.

    ``warm`` holds the k best warm paths, best first. ``cold`` holds the routes among the k best
    with the strength floor dropped that need at least one hop below it; they are shown so the
    user sees them, never offered as asks. ``closest`` is, when no warm path exists, the best
    route with the floor dropped; ``advice`` then names the one relationship to build first.
    """

    source: Hashable
    source_name: str
    target: Hashable
    target_name: str
    members: tuple[Hashable, ...]
    warm: tuple[Path, ...]
    cold: tuple[Path, ...]
    closest: Path | None
    advice: str
    min_strength: float
    max_hops: int

    @property
    def best(self) -> Path | None:
        """The best warm path, or None."""
        return self.warm[0] if self.warm else None

    def _ranked(self) -> Iterable[tuple[int, Path]]:
        yield from enumerate(self.warm, 1)
        yield from enumerate(self.cold, 1)

    def to_frame(self) -> pd.DataFrame:
        """One row per path, warm ones first; ``rank`` counts within each label."""
        rows = [{
            "label": p.label, "rank": rank, "warm": p.warm, "path_strength": p.path_strength,
            "hops": len(p.hops), "intermediaries": len(p.people) - 2,
            "path": _ARROW.join(p.names), "people": list(p.people),
            "weakest_hop": f"{p.weakest.u_name} – {p.weakest.v_name}",
            "weakest_strength": p.weakest.strength,
            "ask_id": p.ask, "ask": p.names[1] if p.ask is not None else None,
            "first_step": p.first_step, "target_id": p.people[-1], "target": p.names[-1],
        } for rank, p in self._ranked()]
        frame = pd.DataFrame(rows, columns=_PATH_COLUMNS)
        frame["ask_id"] = _id_column([r["ask_id"] for r in rows])
        return frame

    def hops_frame(self) -> pd.DataFrame:
        """One row per hop of every path: who, how strong, last contact, how they know each other."""
        rows = [{
            "label": p.label, "rank": rank, "hop": i, "from_id": h.u, "from": h.u_name,
            "to_id": h.v, "to": h.v_name, "strength": h.strength, "warm": h.warm,
            "weakest": h is p.weakest, "last_contact": h.last_contact, "how": h.how,
        } for rank, p in self._ranked() for i, h in enumerate(p.hops, 1)]
        return pd.DataFrame(rows, columns=_HOP_COLUMNS)


_PATH_COLUMNS = ["label", "rank", "warm", "path_strength", "hops", "intermediaries", "path",
                 "people", "weakest_hop", "weakest_strength", "ask_id", "ask", "first_step",
                 "target_id", "target"]
_HOP_COLUMNS = ["label", "rank", "hop", "from_id", "from", "to_id", "to", "strength", "warm",
                "weakest", "last_contact", "how"]


@dataclass(frozen=True)
class TeamPaths:
    """Paths from every team member; ``member`` is who should ask (None if nobody has a warm path)."""

    target: Hashable
    results: dict[Hashable, PathResult]
    member: Hashable | None
    advice: str

    def to_frame(self) -> pd.DataFrame:
        """One row per team member, the one with the warmest path first."""
        rows = []
        for m, r in self.results.items():
            best = r.best or r.closest
            rows.append({
                "member_id": m, "member": r.source_name,
                "warm": r.best is not None,
                "path_strength": best.path_strength if best else None,
                "path": _ARROW.join(best.names) if best else None,
                "ask": best.names[1] if best and best.ask is not None else None,
                "advice": r.advice, "should_ask": m == self.member,
            })
        frame = pd.DataFrame(rows)
        if frame.empty:
            return frame
        return frame.sort_values(["warm", "path_strength"], ascending=False, kind="stable",
                                 na_position="last").reset_index(drop=True)


def _id_column(values: list) -> pd.Series:
    """Node ids as a column: nullable integers when they are all integers, else objects."""
    if any(v is not None for v in values) and all(
            v is None or (isinstance(v, int | np.integer) and not isinstance(v, bool)) for v in values):
        return pd.Series(values, dtype="Int64")
    return pd.Series(values, dtype=object)


# -- targets, names and explanations -----------------------------------------------------------
def _name(G: nx.Graph, n: Hashable) -> str:
    return str(G.nodes[n].get("name") or n)


def _source(G: nx.Graph, source: Hashable | None) -> Hashable:
    if source is None:
        source = G.graph.get("me")
        if source is None:
            msg = ('this needs to know who you are: run netgraph init --me "Your Name", or '
                   "name the person to start from")
            raise NotConfiguredError(msg)
    if source not in G:
        msg = f"person {source!r} is not in the graph; netgraph people lists everyone"
        raise PersonNotFound(msg)
    return source


def _members(G: nx.Graph, target: Hashable, source: Hashable) -> tuple[tuple, str]:
    """(the node ids a target stands for, its display name); the source is never a member."""
    if target in G:
        return ((target,) if target != source else ()), _name(G, target)
    if isinstance(target, str) and ":" in target:
        kind, _, value = target.partition(":")
        attr = GROUP_KINDS.get(kind.strip().lower())
        want = value.strip().casefold()
        if attr is not None and want:
            hits = tuple(n for n in _group(G, attr, want) if n != source)
            if hits:
                return hits, f"{kind.strip().lower()}:{value.strip()}"
            msg = (f"no one matches {target!r} (other than the source); the match is exact but "
                   "ignores case: netgraph people lists everyone")
            raise PersonNotFound(msg)
    msg = (f"target {target!r} is not in the graph; give a person id, or company:NAME, "
           "city:NAME or tag:NAME")
    raise PersonNotFound(msg)


def _group(G: nx.Graph, attr: str, want: str) -> list[Hashable]:
    """Nodes whose ``attr`` equals ``want`` (casefolded, stripped); for tags, any of them."""
    if attr == "tags":
        return [n for n, tags in G.nodes(data="tags") if tags
                and want in "\x1f".join(map(str, tags)).casefold()  # cheap test first
                and any(str(x).strip().casefold() == want for x in tags)]
    return [n for n, x in G.nodes(data=attr) if x and str(x).strip().casefold() == want]


def _as_of(G: nx.Graph) -> pd.Timestamp | None:
    day = G.graph.get("as_of")
    return pd.Timestamp(day) if day else None


def _timestamp(value: object) -> pd.Timestamp | None:
    if value is None or not isinstance(value, date | datetime | pd.Timestamp | str):
        return None
    ts = pd.Timestamp(value)
    return None if pd.isna(ts) else ts


def _ago(when: pd.Timestamp | None, as_of: pd.Timestamp | None) -> str:
    """'3 days ago', '5 weeks ago', '14 months ago', '2.5 years ago' (or the date)."""
    if when is None:
        return "never"
    if as_of is None:
        return f"on {when:%d %b %Y}"
    days = (as_of.normalize() - when.normalize()).days
    if days <= 0:
        return "today"
    if days < 14:
        return "yesterday" if days == 1 else f"{days} days ago"
    if days < 60:
        return f"{round(days / 7)} weeks ago"
    if days < 730:
        return f"{round(days / 30.44)} months ago"
    return f"{days / 365.25:.1f} years ago"


def _count(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _how(G: nx.Graph, u: Hashable, v: Hashable, as_of: pd.Timestamp | None, *,
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
        parts.append(_count(n, "contact") if brief else
                     f"{_count(n, 'contact')} ({', '.join(channels)}; {one} one-to-one)")
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
        parts.append(f"{_count(intros, 'introduction')} between them"
                     + (f" ({conv} converted)" if conv else ""))
    return ("; " if not brief else ", ").join(parts) or "no interaction on record"


def _path(G: nx.Graph, nodes: list, floor: float, me: Hashable | None) -> Path:
    as_of = _as_of(G)
    names = tuple(_name(G, n) for n in nodes)
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


def _advice(G: nx.Graph, res_warm: list[Path], closest: Path | None, target_name: str,
            floor: float, max_hops: int) -> str:
    if res_warm:
        return res_warm[0].first_step
    if closest is None:
        within = _count(max_hops, "intermediary", "intermediaries")
        return (f"no route to {target_name} within {within}, warm or cold: meet someone who "
                "knows them first")
    weak = [h for h in closest.hops if not h.warm]
    h = closest.weakest
    when = f"last contact {_ago(h.last_contact, _as_of(G))}" if h.last_contact else \
        "no contact on record"
    route = _ARROW.join(closest.names)
    if h.u == closest.people[0]:
        text = (f"strengthen your tie to {h.v_name} first: {when} (strength {h.strength:.2f}, "
                f"below the {floor:g} floor); the closest fair path is {route}")
    else:
        text = (f"{h.u_name}'s tie to {h.v_name} is too weak to ask on: {when} (strength "
                f"{h.strength:.2f}, below the {floor:g} floor); the closest fair path is {route}: "
                f"ask {h.u_name} how well they know {h.v_name} before asking for an introduction")
    if len(weak) > 1:
        text += f" ({_count(len(weak) - 1, 'other hop')} on it also below the floor)"
    return text


# -- public functions --------------------------------------------------------------------------
def warm_paths(
    G: nx.Graph,
    source: Hashable | None,
    target: Hashable,
    *,
    k: int = 3,
    max_hops: int = 3,
    min_strength: float = DEFAULT_MIN_STRENGTH,
    cold: bool = True,
) -> PathResult:
    """The k best warm introduction paths from ``source`` to ``target``, each explained.

    Parameters
    ----------
    G : nx.Graph
        The projected graph; edges carry ``strength`` in (0, 1].
    source : node or None
        Who asks; None means ``G.graph["me"]`` (:class:`~netgraph.NotConfiguredError` if unset).
    target : node or str
        A person (node id), or ``company:NAME``, ``city:NAME`` or ``tag:NAME`` (exact match,
        ignoring case and surrounding spaces; for tags, membership in the list). For a group,
        the result holds one path to each of the ``k`` best-reachable members.
    k : int
        How many warm paths (and at most how many cold routes).
    max_hops : int
        At most this many intermediaries, so at most ``max_hops + 1`` ties per path.
    min_strength : float
        Every hop of a warm path reaches this strength (see :data:`DEFAULT_MIN_STRENGTH`).
    cold : bool
        Also list the cold routes: those among the k best with the floor dropped that need a
        hop below it. The closest fair path is found when no warm path exists either way.

    Returns
    -------
    PathResult
        ``.warm``, ``.cold``, ``.closest``, ``.advice``; ``.to_frame()`` and ``.hops_frame()``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph(me=0, as_of="2026-01-31")
    >>> G.add_nodes_from([(0, {"name": "Ana"}), (1, {"name": "Ben"}), (2, {"name": "Cy"}),
    ...                   (3, {"name": "Dee"})])
    >>> G.add_edge(0, 1, strength=0.9)
    >>> G.add_edge(1, 3, strength=0.8)
    >>> G.add_edge(0, 2, strength=0.1)
    >>> G.add_edge(2, 3, strength=0.95)
    >>> r = warm_paths(G, None, 3)
    >>> [(p.names, round(p.path_strength, 2)) for p in r.warm]
    [(('Ana', 'Ben', 'Dee'), 0.72)]
    >>> [p.names for p in r.cold]
    [('Ana', 'Cy', 'Dee')]
    """
    source = _source(G, source)
    members, target_name = _members(G, target, source)
    if not members:
        return PathResult(source, _name(G, source), target, target_name, (), (), (), None,
                          f"{target_name} is where the search starts: nothing to introduce",
                          min_strength, max_hops)
    L, me, group = max_hops + 1, G.graph.get("me"), target not in G
    warm = [_path(G, p, min_strength, me)
            for p in _routes(G, source, members, min_strength, k, L, group=group)]
    dropped = []
    if cold or not warm:  # the best routes with the floor dropped; keep those needing a weak hop
        dropped = [_path(G, p, min_strength, me) for p in
                   _routes(G, source, members, 0.0, k if cold else 1, L, group=group)
                   if any(G[a][b].get("strength", 1.0) < min_strength
                          for a, b in itertools.pairwise(p))]
    closest = None if warm else next(iter(dropped), None)
    advice = _advice(G, warm, closest, target_name, min_strength, max_hops)
    return PathResult(source, _name(G, source), target, target_name, members, tuple(warm),
                      tuple(dropped) if cold else (), closest, advice, min_strength, max_hops)


def team_paths(G: nx.Graph, target: Hashable, *, team: Iterable[Hashable] | None = None,
               **kw: Any) -> TeamPaths:
    """Search from every team member (``G.graph["team"]`` plus me) and say who should ask.

    The member whose best warm path is strongest should ask; ties go to me, then to the team
    order. ``kw`` goes to :func:`warm_paths`. Members missing from the graph are skipped.
    """
    me = G.graph.get("me")
    people = list(team) if team is not None else [*([me] if me is not None else []),
                                                   *G.graph.get("team", [])]
    people = [p for p in dict.fromkeys(people) if p is not None and p in G]
    if not people:
        msg = ('no team to search from: run netgraph init --me "Your Name" --member NAME '
               "(repeat --member for each team member)")
        raise NotConfiguredError(msg)
    results = {m: warm_paths(G, m, target, **kw) for m in people}
    ranked = [m for m in people if results[m].best is not None]
    best = max(ranked, key=lambda m: results[m].best.path_strength, default=None)
    if best is None:
        advice = "no one on the team has a warm path; " + results[people[0]].advice
    else:
        who = "you have" if best == me else f"{_name(G, best)} has"
        advice = (f"{who} the warmest path ({results[best].best.path_strength:.2f}): "
                  f"{results[best].advice}")
    return TeamPaths(target, results, best, advice)
