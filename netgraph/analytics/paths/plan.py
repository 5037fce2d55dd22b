"""Planning introductions to many targets: the fewest introducers who cover the most.

Picking the fewest introducers is set cover, which is NP-hard; the plan is Chvátal's greedy
cover (Chvátal 1979), built on the warm paths of :mod:`netgraph.analytics.paths.warm`.

References
----------
Chvátal, V. (1979). A greedy heuristic for the set-covering problem. *Mathematics of
Operations Research*, 4(3), 233-235. https://doi.org/10.1287/moor.4.3.233
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable

import networkx as nx
import pandas as pd

from netgraph.analytics.paths.explain import count_of, node_name
from netgraph.analytics.paths.results import ARROW, id_column
from netgraph.analytics.paths.search import bounded_search, prune
from netgraph.analytics.paths.targets import members_of, source_node
from netgraph.analytics.paths.warm import DEFAULT_MIN_STRENGTH, warm_paths

__all__ = ["plan_introductions"]


def _cover_sets(G: nx.Graph, source: Hashable, members: tuple, floor: float, L: int
                ) -> tuple[bool, dict[Hashable, tuple[float, list]]]:
    """(whether the source knows a member warmly, introducer -> best warm path through them).

    One hop-bounded search from the members back towards the source's warm neighbours, which
    never passes through the source: every introducer who can reach the target, not only
    those on the k best paths.
    """
    piece = prune(G, source, members, floor, L)
    near = set(piece.adj[source])
    if near & set(members):
        return True, {}
    lower = {n: max(h - 1, 0) for n, h in piece.to_source.items()}
    hits = bounded_search(piece.adj, members, near, L - 1, lower, want=len(near),
                   banned={source}, stop_at_goals=False)
    return False, {a: (math.exp(-(piece.adj[source][a] + d)), [source, *p[::-1]])
                   for a, (d, p) in hits.items()}


def plan_introductions(G: nx.Graph, targets: Iterable[Hashable], *, source: Hashable | None = None,
                       max_hops: int = 3, min_strength: float = DEFAULT_MIN_STRENGTH
                       ) -> pd.DataFrame:
    """The fewest introducers who cover the most targets through warm paths.

    An introducer covers a target when a warm path of at most ``max_hops`` intermediaries
    runs from the source through them (as the first intermediary) to the target, or to a member
    of a group target. Picking the fewest introducers is set cover, which is NP-hard; the plan is
    the greedy cover of Chvátal (1979): repeatedly take the introducer who covers the most
    targets not yet covered (ties: the larger sum of path strengths over those targets, then
    the stronger tie to the source, then the name), which is within a factor ``H(m) <= 1 + ln m``
    of the optimum for introducers covering at most ``m`` targets.

    Returns one row per chosen introducer (``status="introducer"``) with the targets they cover
    and the best path to each, then one row for targets the source knows warmly already
    (``status="direct"``), then one row per target with no warm path (``status="no warm path"``)
    with the advice of :func:`warm_paths`.

    >>> import networkx as nx
    >>> G = nx.Graph(me=0)
    >>> G.add_edges_from([(0, 1), (1, 5), (1, 6), (0, 2), (2, 6), (2, 7)], strength=0.9)
    >>> plan = plan_introductions(G, [5, 6, 7], max_hops=1)
    >>> plan[["introducer_id", "target_ids"]].to_dict("records")
    [{'introducer_id': 1, 'target_ids': [5, 6]}, {'introducer_id': 2, 'target_ids': [7]}]
    """
    source = source_node(G, source)
    L = max_hops + 1
    sets: dict[Hashable, dict[Hashable, tuple[float, list]]] = {}
    direct, missing, labels = [], [], {}
    for t in dict.fromkeys(targets):
        members, labels[t] = members_of(G, t, source)
        if not members:
            continue
        is_direct, via = _cover_sets(G, source, members, min_strength, L)
        if is_direct:
            direct.append(t)
        elif not via:
            missing.append(t)
        for a, hit in via.items():
            sets.setdefault(a, {})[t] = hit
    rows = []
    left = {t for a in sets for t in sets[a]}
    tie = {a: G[source][a].get("strength", 1.0) for a in sets}

    def order(a: Hashable, left: set) -> tuple:
        new = [t for t in sets[a] if t in left]
        return (-len(new), -sum(sets[a][t][0] for t in new), -tie[a], node_name(G, a), str(a))

    while left:
        a = min(sets, key=lambda a: order(a, left))
        got = [t for t in sets[a] if t in left]
        left -= set(got)
        rows.append({
            "introducer_id": a, "introducer": node_name(G, a), "tie_strength": tie[a],
            "n_targets": len(got), "targets": "; ".join(labels[t] for t in got),
            "target_ids": got,
            "paths": " | ".join(ARROW.join(node_name(G, n) for n in sets[a][t][1]) for t in got),
            "min_path_strength": min(sets[a][t][0] for t in got), "status": "introducer",
            "advice": f"ask {node_name(G, a)} for {count_of(len(got), 'introduction')}",
        })
    if direct:
        rows.append({"introducer_id": None, "introducer": None, "tie_strength": None,
                     "n_targets": len(direct), "targets": "; ".join(labels[t] for t in direct),
                     "target_ids": direct, "paths": None, "min_path_strength": None,
                     "status": "direct", "advice": "you know them well already: reach out yourself"})
    for t in missing:
        r = warm_paths(G, source, t, k=1, max_hops=max_hops, min_strength=min_strength, cold=False)
        rows.append({"introducer_id": None, "introducer": None, "tie_strength": None,
                     "n_targets": 1, "targets": labels[t], "target_ids": [t],
                     "paths": ARROW.join(r.closest.names) if r.closest else None,
                     "min_path_strength": None, "status": "no warm path", "advice": r.advice})
    frame = pd.DataFrame(rows, columns=_PLAN_COLUMNS)
    frame["introducer_id"] = id_column([r["introducer_id"] for r in rows])
    return frame


_PLAN_COLUMNS = ["introducer_id", "introducer", "tie_strength", "n_targets", "targets",
                 "target_ids", "paths", "min_path_strength", "status", "advice"]
