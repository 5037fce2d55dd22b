"""Weak ties: embeddedness, neighbourhood overlap, local bridges and their span, for every tie.

- **embeddedness**: the number of mutual contacts (common neighbours) of the tie's two people.
- **overlap**: Onnela et al.'s (2007) neighbourhood overlap, ``common / (deg(u)-1 + deg(v)-1 -
  common)``, the share of the pair's other contacts that they have in common.
- **local bridge**: a tie whose two people have no mutual contact (Granovetter 1973; the
  definition of ``nx.local_bridges``). Its **span** is how far apart they would be without it.
- **moderately weak**: the band Rajkumar et al. (2022) found gave the most job mobility on
  LinkedIn: some, but few, mutual connections and little interaction.

Everything structural is computed for all ties at once on the engine's adjacency (sorted
neighbour lists in numpy, :class:`_Adjacency`): common neighbours by walking the shorter
neighbour list of each pair and looking each neighbour up in the other's sorted row, so a hub
(you) costs no more than its partners' degrees; and the span-3 test as the same count on pairs
(x, v), x a neighbour of u, never a search per tie. The analysis reads only the compiled engine
and the node attributes, so a graph whose ties are compiled but not built as NetworkX edges
(:func:`netgraph.graph.projection.load_structure`) serves as well as a full one.

References
----------
Granovetter, M. S. (1973). The strength of weak ties. *American Journal of Sociology*, 78(6),
1360-1380. https://doi.org/10.1086/225469

Onnela, J.-P., Saramäki, J., Hyvönen, J., Szabó, G., Lazer, D., Kaski, K., Kertész, J., &
Barabási, A.-L. (2007). Structure and tie strengths in mobile communication networks. *PNAS*,
104(18), 7332-7336. https://doi.org/10.1073/pnas.0610245104

Rajkumar, K., Saint-Jacques, G., Bojinov, I., Brynjolfsson, E., & Aral, S. (2022). A causal
test of the strength of weak ties. *Science*, 377(6612), 1304-1310.
https://doi.org/10.1126/science.abl4476
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np

from netgraph._errors import NotConfiguredError, PersonNotFound
from netgraph.analytics import roles
from netgraph.analytics.communities import communities as communities_of
from netgraph.analytics.communities import community_names
from netgraph.graph.engine import Engine, engine
from netgraph.rows import Rows

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CLASSES", "COLUMNS", "HIGH_OVERLAP", "MODERATE_MAX", "SPAN_FLOOR", "STRONG_TIE",
           "classes", "weak_ties"]

#: Upper end of the "moderately weak" band of mutual contacts. In Rajkumar et al. (2022) job
#: transmission rose with each mutual connection up to about 10 and fell after; 1..10 is the
#: rising side up to that peak.
MODERATE_MAX = 10
#: Strength splitting "rarely in touch" from "close": the cut the connector roles already use,
#: so one tie is not strong in one analysis and weak in another. Rajkumar et al. found the
#: *weakest* ties by interaction intensity helped most, so the band is everything below it.
STRONG_TIE = roles.STRONG_TIE
#: Overlap at which a strong tie counts as embedded even with few mutual contacts: at 0.5 the
#: pair shares at least half of their other contacts, one circle (a small team, a family).
HIGH_OVERLAP = 0.5
#: The span reported for a local bridge with no 3-step detour; ``span_at_least`` marks it as a
#: lower bound ("4 or more, or no other route at all", see ``only_link``).
SPAN_FLOOR = 4
#: Neighbour look-ups per vectorised batch: bounds the temporary arrays to about 150 MB.
CHUNK = 4_000_000
CLASSES = ("bridge", "moderately weak", "embedded strong", "other")
COLUMNS = ["u", "v", "u_name", "v_name", "strength", "embeddedness", "overlap", "local_bridge",
           "span", "span_at_least", "only_link", "cross_community", "ties_class", "reason"]


@dataclass(frozen=True)
class _Adjacency:
    """Each vertex's neighbours, sorted, as compressed rows (``indptr``, ``indices``).

    ``keys`` holds ``row * n + column`` for every entry, in order, so a batch of (row, column)
    pairs is looked up with one binary search (:meth:`has`).
    """

    n: int
    indptr: np.ndarray
    indices: np.ndarray
    keys: np.ndarray

    def has(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Whether each ``cols[i]`` is a neighbour of ``rows[i]``."""
        want = rows.astype(np.int64) * self.n + cols
        at = np.minimum(np.searchsorted(self.keys, want), len(self.keys) - 1)
        return self.keys[at] == want if len(self.keys) else np.zeros(len(want), dtype=bool)


def _adjacency(E: Engine) -> tuple[_Adjacency, np.ndarray]:
    """The engine's ties as sorted neighbour lists, without self-loops; and the degrees."""
    src, dst = np.asarray(E.src, dtype=np.int64), np.asarray(E.dst, dtype=np.int64)
    keep = src != dst
    rows, cols = np.r_[src[keep], dst[keep]], np.r_[dst[keep], src[keep]]
    keys = np.sort(rows * E.n + cols)  # by row, then column
    keys = keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys  # a tie twice counts once
    counts = np.bincount(keys // E.n, minlength=E.n) if E.n else np.zeros(0, dtype=np.int64)
    indptr = np.r_[0, np.cumsum(counts)].astype(np.int64)
    return _Adjacency(E.n, indptr, keys % E.n if E.n else keys, keys), counts


def _neighbours(A: _Adjacency, deg: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, ...]:
    """Every (i, w) with w a neighbour of ``rows[i]``, flattened."""
    cnt = deg[rows]
    owner = np.repeat(np.arange(len(rows)), cnt)
    first = np.cumsum(cnt) - cnt
    offsets = A.indptr[rows][owner] + np.arange(int(cnt.sum())) - first[owner]
    return owner, A.indices[offsets]


def _batches(cost: np.ndarray) -> Iterator[slice]:
    """Runs of consecutive items whose summed cost stays within :data:`CHUNK` (>= 1 item each)."""
    work, start = np.cumsum(cost), 0
    while start < len(cost):
        base = work[start - 1] if start else 0
        stop = max(start + 1, int(np.searchsorted(work, base + CHUNK, side="right")))
        yield slice(start, stop)
        start = stop


def _common_counts(A: _Adjacency, deg: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``|N(a[i]) & N(b[i])|`` for each pair: walk the shorter list, look up in the longer row."""
    swap = deg[a] > deg[b]
    short, long_ = np.where(swap, b, a), np.where(swap, a, b)
    out = np.zeros(len(a), dtype=np.int64)
    for part in _batches(deg[short]):
        owner, w = _neighbours(A, deg, short[part])
        hit = A.has(w, long_[part][owner]) if len(w) else np.zeros(0, bool)
        out[part] = np.bincount(owner[hit], minlength=len(out[part]))
    return out


def _tie_structure(E: Engine, wanted: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Per engine edge: embeddedness, overlap, local bridge, 3-step detour, only link, loop.

    A local bridge (u, v) has a detour of length 3 (u-x-y-v) iff some x in N(u) minus v shares a
    neighbour other than u with v; u itself is always shared, so the test is
    ``common(x, v) >= 2``, counted for all (bridge, x) pairs at once from the smaller side.
    With ``wanted`` (a boolean mask of edges), only those edges are measured; the others read
    as no mutual contact and no bridge.
    """
    A, deg = _adjacency(E)
    src, dst = E.src, E.dst
    loop = src == dst
    wanted = np.ones(len(src), dtype=bool) if wanted is None else wanted
    common = np.zeros(len(src), dtype=np.int64)
    common[wanted] = _common_counts(A, deg, src[wanted], dst[wanted])
    denom = deg[src] - 1 + deg[dst] - 1 - common
    overlap = np.divide(common, denom, out=np.zeros(len(src)), where=denom > 0)
    bridge = (common == 0) & ~loop & wanted
    b = np.flatnonzero(bridge)
    swap = deg[src[b]] > deg[dst[b]]
    small, large = np.where(swap, dst[b], src[b]), np.where(swap, src[b], dst[b])
    detour = np.zeros(len(src), dtype=bool)
    for part in _batches(deg[small]):
        owner, x = _neighbours(A, deg, small[part])
        far = large[part][owner]
        owner, x, far = owner[x != far], x[x != far], far[x != far]
        found = np.bincount(owner[_common_counts(A, deg, x, far) >= 2], minlength=len(b[part]))
        detour[b[part]] = found > 0
    only = np.zeros(len(src), dtype=bool)
    only[np.asarray(E.graph.bridges(), dtype=np.int64)] = True
    return {"embeddedness": common, "overlap": overlap, "local_bridge": bridge, "span3": detour,
            "only_link": only, "loop": loop, "degree": deg}


def classes(embeddedness: np.ndarray, overlap: np.ndarray, local_bridge: np.ndarray,
            strength: np.ndarray) -> np.ndarray:
    """``ties_class`` per tie (:data:`CLASSES`).

    The rules cannot overlap: a local bridge has no mutual contact.

    >>> classes(np.array([0, 3, 12]), np.array([0.0, 0.1, 0.6]), np.array([True, False, False]),
    ...         np.array([0.1, 0.2, 0.9])).tolist()
    ['bridge', 'moderately weak', 'embedded strong']
    """
    emb, weak = np.asarray(embeddedness), np.asarray(strength) < STRONG_TIE
    out = np.full(len(emb), "other", dtype=object)
    out[~weak & ((emb > MODERATE_MAX) | (np.asarray(overlap) >= HIGH_OVERLAP))] = "embedded strong"
    out[weak & (emb >= 1) & (emb <= MODERATE_MAX)] = "moderately weak"
    out[np.asarray(local_bridge, dtype=bool)] = "bridge"
    return out


def _community_codes(G: nx.Graph, E: Engine, community: dict, me: int) -> tuple[np.ndarray, list]:
    """Each vertex's community as a code 0.. (-1 where unknown), and a label per code.

    The labels come from :func:`community_names`; one more at the end serves code -1.
    """
    codes = np.full(len(E.nodes), -1, dtype=np.int64)  # by first appearance, as pd.factorize
    uniques: list = []
    seen: dict = {}
    for i, n in enumerate(E.nodes):
        c = community.get(n)
        if c is not None:
            codes[i] = seen.setdefault(c, len(uniques))
            if codes[i] == len(uniques):
                uniques.append(c)
    ints = all(isinstance(c, int | np.integer) for c in uniques)  # else name them by code
    names = community_names(G, {n: c if ints else int(codes[E.index[n]])
                                for n, c in community.items() if n in E.index})
    labels = [str(names[c if ints else k]) for k, c in enumerate(uniques)]
    labels = [x if x.startswith("community ") else f"the {x} cluster" for x in labels]
    if me >= 0 and codes[me] >= 0:
        labels[codes[me]] = "yours"
    return codes, [*labels, "people outside any community"]


def _reasons(cols: dict[str, np.ndarray], lu: list[str], lv: list[str], nu: list[str],
             nv: list[str], leaf: list[str | None]) -> list[str]:
    """One line per tie on why it matters; ``lu``/``lv`` name the two sides' communities."""
    out = []
    for k, st, lb, s3, only, cross, a, b, na, nb, lf in zip(
            *(cols[c].tolist() for c in ("embeddedness", "strength", "local_bridge", "span3",
                                         "only_link", "cross_community")),
            lu, lv, nu, nv, leaf, strict=True):
        a, b = (b, a) if a == "yours" else (a, b)
        links = f"; links {a} and {b}" if cross else ""
        if only:
            out.append(f"{lf}'s only tie in the network" if lf is not None
                       else f"only link between {a} and {b}" if cross
                       else f"the only route from {na}'s side to {nb}'s")
        elif lb:
            gap = "the next route takes 3 steps" if s3 else f"otherwise {SPAN_FLOOR}+ steps apart"
            out.append(f"no mutual contacts, {gap}{links}")
        else:
            touch = "rarely in touch" if st < STRONG_TIE else "in close touch"
            out.append(f"{k} mutual contact{'s' if k != 1 else ''}, {touch}{links}")
    return out


def weak_ties(G: nx.Graph, *, me: Any = None, mine_only: bool | None = None,
              communities: dict | None = None, as_frame: bool = True) -> pd.DataFrame | Rows:
    """One row per tie: how embedded it is, whether it bridges, and its weak-tie class.

    Parameters
    ----------
    G : nx.Graph
        Undirected; edges carry ``strength`` in (0, 1] (1.0 when absent). Self-loops are ignored.
    me : node, optional
        You; defaults to ``G.graph["me"]``.
    mine_only : bool, optional
        True: only your ties that are local bridges or cross communities, ``u`` being you.
        False: every tie. Default: True when ``me`` is known.
    communities : dict, optional
        Node -> community; default :func:`netgraph.analytics.communities.communities` (Leiden
        on strength, fixed seed), named by its ``community_names``. Nodes missing from it
        never count as crossing.
    as_frame : bool
        False: the same rows as :class:`~netgraph.rows.Rows`, with no pandas loaded.

    Returns
    -------
    pd.DataFrame or Rows
        Columns :data:`COLUMNS`. ``span`` (nullable Int64) is empty for ties that are not local
        bridges, 3 when a 3-step detour exists, and :data:`SPAN_FLOOR` (4) with
        ``span_at_least`` True otherwise: "4 or more steps, or no other route at all"
        (``only_link`` True: removing the tie disconnects the two, NetworkX's span ``inf``).
        ``ties_class``: ``bridge`` (a local bridge); ``moderately weak`` (1 to
        :data:`MODERATE_MAX` mutual contacts and strength below :data:`STRONG_TIE`);
        ``embedded strong`` (strength at least :data:`STRONG_TIE`, and more than
        :data:`MODERATE_MAX` mutual contacts or overlap at least :data:`HIGH_OVERLAP`); else
        ``other``. Sorted local bridges first, then ties across communities, then (all ties
        only) the moderately weak band, then by rising strength.

    Examples
    --------
    Two triangles joined by one tie:

    >>> ties = weak_ties(nx.barbell_graph(3, 0), mine_only=False)
    >>> row = ties.iloc[0]
    >>> print(row.u, row.v, row.embeddedness, row.local_bridge, row.span, row.span_at_least)
    2 3 0 True 4 True
    >>> print(row.ties_class, "|", row.reason)
    bridge | only link between community 1 and community 2
    >>> ties.ties_class.value_counts().to_dict()
    {'embedded strong': 6, 'bridge': 1}
    """
    me = G.graph.get("me") if me is None else me
    mine_only = me is not None if mine_only is None else mine_only
    if mine_only and me is None:
        msg = "the 'mine' view needs to know who you are: pass me=..., or mine_only=False"
        raise NotConfiguredError(msg)
    E = engine(G)
    if me is not None and me not in E.index:
        msg = f"{me!r} (me) is not a person in this graph; pass me= one of its nodes"
        raise PersonNotFound(msg)
    if len(E.src) == 0:  # the engine's ties: G may hold them compiled only
        return _table({c: [] for c in COLUMNS}, as_frame)
    i_me = E.index[me] if me is not None else -1
    s = _tie_structure(E, ((E.src == i_me) | (E.dst == i_me)) if mine_only else None)
    codes, labels = _community_codes(G, E, communities_of(G) if communities is None
                                     else communities, i_me)
    src, dst = E.src.copy(), E.dst.copy()
    cross = (codes[src] != codes[dst]) & (codes[src] >= 0) & (codes[dst] >= 0)
    cls = classes(s["embeddedness"], s["overlap"], s["local_bridge"], E.strength)
    keep = ~s["loop"]
    if mine_only:
        keep &= ((src == i_me) | (dst == i_me)) & (s["local_bridge"] | cross)
        flip = dst == i_me
        src[flip], dst[flip] = dst[flip], src[flip]
    band = (cls == "moderately weak") & (not mine_only)  # the mine view: bridge, cross, strength
    order = np.lexsort((E.strength, ~band, ~cross, ~s["local_bridge"]))
    idx = order[keep[order]]
    bridge = s["local_bridge"][idx]
    span = np.where(s["span3"][idx], 3, SPAN_FLOOR).astype(object)
    span[~bridge] = None  # not a local bridge: no span
    nodes = np.empty(len(E.nodes), dtype=object)
    nodes[:] = E.nodes
    names = np.empty(len(E.nodes), dtype=object)
    names[:] = [G.nodes[n].get("name") or str(n) for n in E.nodes]
    u, v = src[idx], dst[idx]
    cols = {
        "u": nodes[u], "v": nodes[v], "u_name": names[u], "v_name": names[v],
        "strength": E.strength[idx], "embeddedness": s["embeddedness"][idx],
        "overlap": s["overlap"][idx], "local_bridge": bridge, "span": span,
        "span_at_least": bridge & ~s["span3"][idx], "only_link": s["only_link"][idx],
        "cross_community": cross[idx], "ties_class": cls[idx], "span3": s["span3"][idx],
    }
    deg = s["degree"]
    leaf = np.where(deg[v] == 1, names[v], np.where(deg[u] == 1, names[u], None))
    cols["reason"] = np.array(_reasons(cols, [labels[c] for c in codes[u].tolist()],
                                       [labels[c] for c in codes[v].tolist()], names[u].tolist(),
                                       names[v].tolist(), leaf.tolist()), dtype=object)
    return _table(cols, as_frame)


#: Column types of the frame: the ends as node keys (any hashable), the span a nullable integer.
_DTYPES = {"u": "object", "v": "object", "span": "Int64"}


def _table(cols: dict[str, Any], as_frame: bool) -> pd.DataFrame | Rows:
    """The columns :data:`COLUMNS` of ``cols`` (arrays or lists) as Rows, or as a DataFrame."""
    values = [cols[c].tolist() if isinstance(cols[c], np.ndarray) else list(cols[c])
              for c in COLUMNS]
    rows = Rows(tuple(COLUMNS), list(zip(*values, strict=True)),
                dtypes=_DTYPES if values[0] else None)  # no row: an empty frame, all object
    return rows.answer(as_frame)
