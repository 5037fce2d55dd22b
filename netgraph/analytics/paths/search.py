"""Hop-bounded search for warm paths: prune the graph to a small piece, then Yen on it.

The internals of :mod:`netgraph.analytics.paths.warm`; see its docstring for why the search is
bounded and how it matches NetworkX's ``shortest_simple_paths`` by value.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import networkx as nx


# -- the pruned piece of graph ---------------------------------------------------------------
@dataclass(frozen=True)
class _Piece:
    """The nodes that can lie on a path of at most ``L`` edges, with their ties as distances."""

    adj: dict[Hashable, dict[Hashable, float]]
    to_source: dict[Hashable, int]  # hops from the source, for nodes within L - 1
    to_goal: dict[Hashable, int]    # hops to the nearest member (a lower bound in the piece)


def _ball(G: nx.Graph, starts: Iterable[Hashable], depth: int, floor: float,
          within: dict | None = None) -> dict[Hashable, int]:
    """Hops from the nearest start over ties of at least ``floor``, for nodes within ``depth``.

    A breadth-first search on ``G``'s own adjacency: it expands only nodes less than ``depth``
    hops out, so its cost is the ball's, not the graph's. With ``within`` it steps only into
    those nodes.
    """
    nbrs = G._adj  # the raw dict of dicts: 3x faster to walk than the G.adj view
    dist = dict.fromkeys(starts, 0)
    frontier = list(dist)
    for level in range(1, depth + 1):
        nxt = []
        for u in frontier:
            for v, e in nbrs[u].items():
                if v not in dist and e.get("strength", 1.0) >= floor and (
                        within is None or v in within):
                    dist[v] = level
                    nxt.append(v)
        frontier = nxt
    return dist


def _goal_hops(G: nx.Graph, members: tuple, ball: dict, depth: int, floor: float
               ) -> dict[Hashable, int]:
    """Hops to the nearest member through nodes of ``ball`` (the source's ball).

    Every node but the last of a path of at most ``depth + 1`` ties from the source lies in the
    ball, so these hops are exact for the nodes of such paths and a lower bound for the search.
    Few members: a breadth-first search from them inside the ball. Many (a city, a big
    company): seeded from the ball's side, so the cost stays that of the ball.
    """
    if len(members) <= len(ball):
        return _ball(G, members, depth, floor, within=ball)
    goals = set(members)
    nbrs = G._adj  # the raw dict of dicts: 3x faster to walk than the G.adj view
    frontier = [u for u in ball if u not in goals and any(
        v in goals and e.get("strength", 1.0) >= floor for v, e in nbrs[u].items())]
    dist = dict.fromkeys(frontier, 1)
    dist.update((m, 0) for m in goals)
    for level in range(2, depth + 1):
        nxt = []
        for u in frontier:
            for v, e in nbrs[u].items():
                if v in ball and v not in dist and e.get("strength", 1.0) >= floor:
                    dist[v] = level
                    nxt.append(v)
        frontier = nxt
    return dist


def prune(G: nx.Graph, source: Hashable, members: tuple, floor: float, L: int) -> _Piece:
    """The ties (as distances) among nodes that can lie on a path of at most ``L`` ties.

    A node ``u`` other than the ends can only if ``hops(source, u) + hops(u, members) <= L``.
    Members are kept only as ends: no path runs through one.
    """
    ds = _ball(G, [source], L - 1, floor)
    dt = _goal_hops(G, members, ds, L - 1, floor)
    goals = set(members)
    core = {u for u, h in ds.items() if h + dt.get(u, L) <= L and u not in goals}
    adj: dict[Hashable, dict[Hashable, float]] = {u: {} for u in core}
    nbrs = G._adj  # the raw dict of dicts: 3x faster to walk than the G.adj view
    for u in core:
        row = adj[u]
        for v, e in nbrs[u].items():
            w = e.get("strength", 1.0)
            if w >= floor and (v in core or v in goals):
                d = -math.log(max(w, 1e-12))
                row[v] = d
                if v in goals:
                    adj.setdefault(v, {})[u] = d
    for m in members:
        adj.setdefault(m, {})
    return _Piece(adj, ds, dt)


# -- hop-bounded search and Yen ----------------------------------------------------------------
def bounded_search(adj: dict, starts: Iterable[Hashable], goals: set, budget: int, lower: dict, *,
            want: int = 1, banned: frozenset | set = frozenset(), avoid_first: set | None = None,
            stop_at_goals: bool = True) -> dict[Hashable, tuple[float, list]]:
    """Shortest paths of at most ``budget`` edges from ``starts`` to up to ``want`` goals.

    Dijkstra over ``(node, hops used)`` states: a state is kept only if no state of the same
    node with fewer or equal hops was settled before it (so every kept path is simple), and a
    neighbour ``w`` is skipped when ``hops + 1 + lower[w] > budget``. ``avoid_first`` are
    neighbours the first step may not take (Yen's removed edges). Goals are reached in order
    of distance; returns ``goal -> (distance, path)``.
    """
    tick = itertools.count()
    heap = [(0.0, 0, next(tick), s, None) for s in starts]
    settled: dict[Hashable, int] = {}
    parent: dict[tuple[Hashable, int], Hashable] = {}
    found: dict[Hashable, tuple[float, int]] = {}
    while heap:
        d, h, _, v, u = heapq.heappop(heap)
        if settled.get(v, budget + 1) <= h:
            continue
        settled[v] = h
        parent[(v, h)] = u
        if v in goals:
            if v not in found:  # the first state of a goal is its shortest; later ones only
                found[v] = (d, h)  # have fewer hops, and may still lead on to other goals
                if len(found) >= want:
                    break
            if stop_at_goals:
                continue
        if h >= budget:
            continue
        for w, dw in adj[v].items():
            if w in banned or (u is None and avoid_first and w in avoid_first):
                continue
            if h + 1 + lower.get(w, budget + 1) > budget or settled.get(w, budget + 1) <= h + 1:
                continue
            heapq.heappush(heap, (d + dw, h + 1, next(tick), w, v))
    out = {}
    for goal, (d, h) in found.items():
        path, v = [goal], goal
        while parent[(v, h)] is not None:
            v, h = parent[(v, h)], h - 1
            path.append(v)
        out[goal] = (d, path[::-1])
    return out


def _length(adj: dict, path: list) -> float:
    return sum(adj[a][b] for a, b in itertools.pairwise(path))


def _k_best(piece: _Piece, s: Hashable, t: Hashable, k: int, L: int) -> list[list]:
    """Yen's k shortest simple paths of at most ``L`` edges, each spur path hop-bounded."""
    adj, lower = piece.adj, piece.to_goal
    first = bounded_search(adj, [s], {t}, L, lower)
    if not first:
        return []
    chosen = [first[t][1]]
    seen = {tuple(chosen[0])}
    candidates: list[tuple[float, int, int, list]] = []
    tick = itertools.count()
    while len(chosen) < k:
        last = chosen[-1]
        for i in range(len(last) - 1):
            root = last[:i + 1]
            used = {p[i + 1] for p in chosen if p[:i + 1] == root}
            spur = bounded_search(adj, [root[-1]], {t}, L - i, lower, banned=set(root[:-1]),
                           avoid_first=used)
            if not spur:
                continue
            path = root[:-1] + spur[t][1]
            if tuple(path) not in seen:
                seen.add(tuple(path))
                heapq.heappush(candidates, (_length(adj, path), len(path), next(tick), path))
        if not candidates:
            break
        chosen.append(heapq.heappop(candidates)[3])
    return chosen


def _best_members(piece: _Piece, s: Hashable, members: set, k: int, L: int) -> list[list]:
    """The best path to each of the ``k`` best-reachable members (paths stop at members)."""
    hits = bounded_search(piece.adj, [s], members, L, piece.to_goal, want=k)
    return [p for _, p in sorted(hits.values(), key=lambda dp: (dp[0], len(dp[1])))]


def routes(G: nx.Graph, s: Hashable, members: tuple, floor: float, k: int, L: int, *,
            group: bool) -> list[list]:
    """Paths from ``s`` of at most ``L`` ties, each at least ``floor`` strong, best first.

    For a person (``group=False``) the ``k`` best paths to ``members[0]``; for a group the best path
    to each of the ``k`` best-reachable members. Paths are node lists and run through no member.
    """
    piece = prune(G, s, members, floor, L)
    if group:
        return _best_members(piece, s, set(members), k, L)
    return _k_best(piece, s, members[0], k, L)
