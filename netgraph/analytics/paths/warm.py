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

No compiled engine (:mod:`netgraph.graph.engine`) is used: for 100k people and 1M ties building one
takes seconds, and its cache check alone (``G.number_of_edges()``) walks every node, while a
whole bounded query takes tens of milliseconds. ``bench/paths.py`` measures NetworkX and igraph
beside it, on the pruned piece and raw on the full graph.

Group targets (``company:NAME``, ``city:NAME``, ``tag:NAME``) return one path to each of the
``k`` best-reachable members (each member's best path), found by a single hop-bounded search
from the source that stops at members: a path never runs *through* a member of the group.

This module holds the public functions. Who asks and whom a target stands for (the one parser
of ``company:``, ``city:`` and ``tag:``) are in :mod:`netgraph.analytics.paths.targets`, the
search itself is in :mod:`netgraph.analytics.paths.search`, the result types (re-exported
here) in :mod:`netgraph.analytics.paths.results`, and the words (how each hop's two people know
each other, the first step, the advice) in :mod:`netgraph.analytics.paths.explain`.

References
----------
Yen, J. Y. (1971). Finding the k shortest loopless paths in a network. *Management Science*,
17(11), 712-716. https://doi.org/10.1287/mnsc.17.11.712

Granovetter, M. S. (1973). The strength of weak ties. *American Journal of Sociology*, 78(6),
1360-1380. https://doi.org/10.1086/225469
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterable

import networkx as nx

from netgraph._errors import NotConfiguredError
from netgraph.analytics.paths.explain import advice_for, explain_path, node_name
from netgraph.analytics.paths.results import Hop, Path, PathResult, TeamPaths
from netgraph.analytics.paths.search import routes
from netgraph.analytics.paths.targets import GROUP_KINDS, members_of, source_node

__all__ = [
    "DEFAULT_MIN_STRENGTH",
    "GROUP_KINDS",
    "TIE_ATTRIBUTES",
    "Hop",
    "Path",
    "PathResult",
    "TeamPaths",
    "team_paths",
    "warm_paths",
]

#: The floor every hop of a warm path must reach: "we actually talk". In the tie model
#: (:mod:`netgraph.ties.model`) 0.5 is a logit of 0, where the evidence of contact has cancelled the
#: -4 baseline of a tie with no evidence. No single contact reaches it however recent (one
#: one-to-one contact yesterday gives 0.45, one a month ago 0.32, one a year ago 0.04), nor does
#: a monthly tie silent for 14 months (0.16). A real rhythm does: three contacts in a year, the
#: last a month ago, started from both sides, gives 0.74; quarterly contact for two years 0.67
#: to 0.87 depending on the last contact; monthly contact 0.97. An introduction made through
#: the pair (a "reciprocal service") can lift a thinner tie over the floor.
DEFAULT_MIN_STRENGTH = 0.5
#: The tie attributes the search and its words read (``strength``, and the counts and dates that
#: say how two people know each other); a graph whose ties carry these gives the same answers.
TIE_ATTRIBUTES = ("strength", "n_interactions", "n_one_to_one", "weighted_12m", "last_contact",
                  "kinds", "n_intros", "n_converted")


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
    source = source_node(G, source)
    members, target_name = members_of(G, target, source)
    if not members:
        return PathResult(source, node_name(G, source), target, target_name, (), (), (), None,
                          f"{target_name} is where the search starts: nothing to introduce",
                          min_strength, max_hops)
    L, me, group = max_hops + 1, G.graph.get("me"), target not in G
    warm = [explain_path(G, p, min_strength, me)
            for p in routes(G, source, members, min_strength, k, L, group=group)]
    dropped = []
    if cold or not warm:  # the best routes with the floor dropped; keep those needing a weak hop
        dropped = [explain_path(G, p, min_strength, me) for p in
                   routes(G, source, members, 0.0, k if cold else 1, L, group=group)
                   if any(G[a][b].get("strength", 1.0) < min_strength
                          for a, b in itertools.pairwise(p))]
    closest = None if warm else next(iter(dropped), None)
    advice = advice_for(G, warm, closest, target_name, min_strength, max_hops)
    return PathResult(source, node_name(G, source), target, target_name, members, tuple(warm),
                      tuple(dropped) if cold else (), closest, advice, min_strength, max_hops)


def team_paths(
    G: nx.Graph,
    target: Hashable,
    *,
    team: Iterable[Hashable] | None = None,
    k: int = 3,
    max_hops: int = 3,
    min_strength: float = DEFAULT_MIN_STRENGTH,
    cold: bool = True,
) -> TeamPaths:
    """Search from every team member (``G.graph["team"]`` plus me) and say who should ask.

    The member whose best warm path is strongest should ask; ties go to me, then to the team
    order. Members missing from the graph are skipped.

    Parameters
    ----------
    G : nx.Graph
        The projected graph.
    target : node or str
        A person, or a group (``company:NAME``, ``city:NAME``, ``tag:NAME``).
    team : iterable of nodes, optional
        Who to search from (default: me, then ``G.graph["team"]``).
    k, max_hops, min_strength, cold
        As for :func:`warm_paths`, for every member's search.

    Returns
    -------
    TeamPaths
        Each member's :class:`PathResult`, who should ask, and the advice.

    Raises
    ------
    NotConfiguredError
        When there is no team to search from.
    """
    me = G.graph.get("me")
    people = list(team) if team is not None else [*([me] if me is not None else []),
                                                   *G.graph.get("team", [])]
    people = [p for p in dict.fromkeys(people) if p is not None and p in G]
    if not people:
        msg = ('no team to search from: run netgraph init --me "Your Name" --member NAME '
               "(repeat --member for each team member)")
        raise NotConfiguredError(msg)
    results = {m: warm_paths(G, m, target, k=k, max_hops=max_hops, min_strength=min_strength,
                             cold=cold) for m in people}
    ranked = [m for m in people if results[m].best is not None]
    best = max(ranked, key=lambda m: results[m].best.path_strength, default=None)
    if best is None:
        advice = "no one on the team has a warm path; " + results[people[0]].advice
    else:
        who = "you have" if best == me else f"{node_name(G, best)} has"
        advice = (f"{who} the warmest path ({results[best].best.path_strength:.2f}): "
                  f"{results[best].advice}")
    return TeamPaths(target, results, best, advice)
