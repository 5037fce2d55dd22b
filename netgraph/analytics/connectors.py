"""Best connectors: the people who link you to parts of the network you could not reach.

Two views. **Mine** (:func:`my_connectors`, the default when "me" is known) ranks my contacts
by what flows through them from me: Brandes' single-source dependency, the people only they
reach, the communities they open. **Global** (:func:`connectors` with ``global_view``) ranks
everyone; each person gets four measures, computed on the compiled engine
(:mod:`netgraph.graph.engine`):

- **betweenness** on ``distance = -ln(strength)``, normalised as NetworkX does (Freeman 1977;
  Brandes 2001). Above :data:`SAMPLE_ABOVE` people it is estimated from
  :func:`sample_size` randomly chosen sources with a fixed seed (Brandes & Pich 2007); the
  benchmark measures the estimate against exact values.
- **constraint** and **effective size** (Burt 1992), with strength as the weight: low constraint
  and a large effective size mean contacts who do not know each other, a broker's position.
- **communities reached**: how many communities (:mod:`netgraph.analytics.communities`) the
  person's ties of at least :data:`REACH_MIN_STRENGTH` touch.
- **unique reach**: the person's strong ties (at least :data:`STRONG_TIE`) who know no one else
  strongly.

A combined score averages percentile ranks of the measures (weights in :data:`WEIGHTS`), and
a one-line reason names what the person brings.

References
----------
Brandes, U. (2001). A faster algorithm for betweenness centrality. *Journal of Mathematical
Sociology*, 25(2), 163-177. https://doi.org/10.1080/0022250X.2001.9990249

Brandes, U., & Pich, C. (2007). Centrality estimation in large networks. *International Journal
of Bifurcation and Chaos*, 17(7), 2303-2318. https://doi.org/10.1142/S0218127407018403

Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition*. Harvard University
Press. Burt, R. S. (2004). Structural holes and good ideas. *American Journal of Sociology*,
110(2), 349-399. https://doi.org/10.1086/421787
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np

if TYPE_CHECKING:
    import pandas as pd
    import scipy.sparse as sp

from netgraph._errors import NotConfiguredError
from netgraph.analytics.communities import communities as find_communities
from netgraph.analytics.communities import community_names
from netgraph.graph.engine import Engine, engine
from netgraph.rows import Rows

__all__ = ["MY_COLUMNS", "MY_WEIGHTS", "REACH_MIN_STRENGTH", "SAMPLE_ABOVE", "STRONG_TIE",
           "WEIGHTS", "betweenness", "connectors", "constraint", "dependency", "effective_size",
           "my_connectors", "pct_ranks", "sample_size"]

#: Exact betweenness up to this many people; above it, sampled sources (exact weighted
#: betweenness costs O(nm log n): about 40 s at 10k people on two cores, hours at 100k).
SAMPLE_ABOVE = 5_000
#: A tie at least this strong counts as strong (about monthly contact in the model).
STRONG_TIE = 0.5
#: A tie this strong counts when reckoning which communities a person reaches.
REACH_MIN_STRENGTH = 0.2
#: Score weights: (betweenness, low constraint, communities reached, unique reach).
#: Score weights of the global view: (betweenness, low constraint, communities reached).
WEIGHTS = (0.5, 0.2, 0.3)
SEED = 7


def sample_size(n: int) -> int:
    """Sources to sample for n people.

    500 up to 20k people (top-1% overlap ~0.9 at 10k), then 200 so the 100k-person analysis stays
    within two minutes.
    """
    return min(n, 500 if n <= 20_000 else 200)


def betweenness(eng: Engine, *, exact: bool | None = None, seed: int = SEED) -> np.ndarray:
    """Normalised betweenness on ``distance`` (NetworkX's ``normalized=True`` scale)."""
    n = eng.n
    if n < 3 or eng.graph.ecount() == 0:
        return np.zeros(n)
    exact = n <= SAMPLE_ABOVE if exact is None else exact
    if exact:
        raw = np.asarray(eng.graph.betweenness(weights="distance", directed=False))
    else:
        k = sample_size(n)
        sources = np.random.default_rng(seed).choice(n, size=k, replace=False)
        raw = np.asarray(eng.graph.betweenness(weights="distance", directed=False,
                                               sources=sources.tolist())) * (n / k)
    return raw * 2.0 / ((n - 1) * (n - 2))


def constraint(eng: Engine) -> np.ndarray:
    """Burt's constraint with strength as the weight (NaN for people without ties)."""
    values = np.asarray(eng.graph.constraint(weights="strength"), dtype=float)
    values[np.asarray(eng.graph.degree()) == 0] = np.nan
    return values


def effective_size(eng: Engine, *, chunk: int = 2048) -> np.ndarray:
    """Burt's effective size with strength as the weight, as NetworkX defines it.

    ``esize(u) = deg(u) - sum_{w in N(u)} p_uw * sum_{v in N(u)} m_vw`` with
    ``p_uw = s_uw / sum_x s_ux`` and ``m_vw = s_vw / max_x s_vx``. The inner sum is a sparse
    product masked to u's own ties, computed a block of rows at a time (never a dense n x n).
    """
    import scipy.sparse as sp

    S = eng.strength_matrix()
    n = eng.n
    deg = np.diff(S.indptr).astype(float)
    row_sum = np.asarray(S.sum(axis=1)).ravel()
    row_max = S.max(axis=1).toarray().ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        P = sp.diags(np.where(row_sum > 0, 1 / row_sum, 0)) @ S
        M = sp.diags(np.where(row_max > 0, 1 / row_max, 0)) @ S
    A = eng.adjacency.astype(float)
    redundancy = np.zeros(n)
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        through = A[start:stop] @ M  # sum over my contacts v of m_vw, for every w
        redundancy[start:stop] = np.asarray(P[start:stop].multiply(through).sum(axis=1)).ravel()
    out = deg - redundancy
    out[deg == 0] = np.nan
    return out


def _unique_reach(eng: Engine) -> tuple[np.ndarray, sp.csr_matrix]:
    """(unique reach per person, the matrix whose row i marks the strong ties only i has)."""
    import scipy.sparse as sp

    strong = (eng.strength_matrix() >= STRONG_TIE).astype(np.int32)
    strong.eliminate_zeros()
    only = (np.asarray(strong.sum(axis=1)).ravel() == 1).astype(np.int32)
    reached = strong @ sp.diags(only, dtype=np.int32)
    reached.eliminate_zeros()
    return np.diff(reached.indptr).astype(np.int64), reached.tocsr()


def pct_ranks(values: np.ndarray) -> np.ndarray:
    """Percentile ranks in (0, 1], as pandas' ``rank(pct=True)``; missing values rank lowest.

    Equal values share the average of their ranks.
    """
    v = np.nan_to_num(np.asarray(values, dtype=float), nan=-np.inf)
    n = len(v)
    if n == 0:
        return np.array([])
    order = np.argsort(v, kind="stable")
    ranked = v[order]
    starts = np.r_[0, np.flatnonzero(ranked[1:] != ranked[:-1]) + 1]
    ends = np.r_[starts[1:], n]
    ranks = np.empty(n)
    ranks[order] = np.repeat((starts + ends + 1) / 2.0, ends - starts)
    return ranks / n


def connectors(
    G: nx.Graph,
    *,
    me: object | None = None,
    global_view: bool | None = None,
    exact: bool | None = None,
    membership: dict | None = None,
) -> pd.DataFrame:
    """One row per person, best connectors first.

    With "me" (``me=`` or ``G.graph["me"]``) and ``global_view`` not set, this is the view of
    :func:`my_connectors` (my contacts, by what flows through them from me). Otherwise, or with
    ``global_view=True``, everyone is ranked by betweenness, low constraint and communities
    reached (weights :data:`WEIGHTS`).

    >>> G = nx.barbell_graph(3, 1)  # two triangles joined through node 3
    >>> nx.set_edge_attributes(G, 0.6, "strength")
    >>> int(connectors(G, global_view=True)["person_id"].iloc[0])
    3
    """
    import pandas as pd

    me = G.graph.get("me") if me is None else me
    global_view = (me is None or me not in G) if global_view is None else global_view
    if not global_view:
        return my_connectors(G, me=me, membership=membership)
    eng = engine(G)
    if eng.n == 0:
        return pd.DataFrame(columns=_COLUMNS)
    membership = membership if membership is not None else find_communities(G)
    names = community_names(G, membership)
    member = np.array([membership[n] for n in eng.nodes])
    btw = betweenness(eng, exact=exact)
    con = constraint(eng)
    esize = effective_size(eng)
    reach_ties = eng.strength >= REACH_MIN_STRENGTH
    pairs = np.r_[np.c_[eng.src[reach_ties], member[eng.dst[reach_ties]]],
                  np.c_[eng.dst[reach_ties], member[eng.src[reach_ties]]]]
    pairs = np.unique(np.r_[pairs, np.c_[np.arange(eng.n), member]], axis=0)
    n_comms = np.bincount(pairs[:, 0], minlength=eng.n)
    unique, reached_only = _unique_reach(eng)
    w = WEIGHTS
    score = (w[0] * pct_ranks(btw) + w[1] * pct_ranks(-np.nan_to_num(con, nan=np.inf))
             + w[2] * pct_ranks(n_comms))
    frame = pd.DataFrame({
        "person_id": eng.nodes,
        "name": [G.nodes[n].get("name", str(n)) for n in eng.nodes],
        "company": [G.nodes[n].get("company") for n in eng.nodes],
        "betweenness": btw,
        "constraint": con,
        "effective_size": esize,
        "communities_reached": n_comms,
        "unique_reach": unique,
        "community": [names[c] for c in member],
        "score": np.round(score, 6),
    })
    frame["reason"] = _reasons(eng, frame, member, names, pairs, reached_only)
    frame = frame.sort_values(["score", "betweenness"], ascending=False, kind="stable")
    frame.insert(0, "rank", np.arange(1, len(frame) + 1))
    return frame[_COLUMNS].reset_index(drop=True)


_COLUMNS = ["rank", "person_id", "name", "company", "score", "betweenness", "constraint",
            "effective_size", "communities_reached", "unique_reach", "community", "reason"]


def _reasons(eng: Engine, frame: pd.DataFrame, member: np.ndarray, names: dict[int, str],
             pairs: np.ndarray, reached_only: sp.csr_matrix) -> list[str]:
    sizes = np.bincount(member)
    reached: dict[int, list[int]] = {}
    for person, comm in pairs:
        if comm != member[person]:
            reached.setdefault(int(person), []).append(int(comm))
    out = []
    for i, row in enumerate(frame.itertuples()):
        parts = []
        if row.unique_reach:
            only = reached_only[i].indices
            c = int(np.bincount(member[only]).argmax())
            people = "person" if row.unique_reach == 1 else "people"
            who = "who knows no one else" if row.unique_reach == 1 else "who know no one else"
            parts.append(f"only link to {row.unique_reach} {people} {who}, mostly in the "
                         f"{names[c]} cluster ({sizes[c]} people)")
        others = reached.get(i, [])
        if others:
            shown = ", ".join(names[c] for c in sorted(others, key=lambda c: -sizes[c])[:3])
            parts.append(f"ties into {len(others) + 1} communities ({names[member[i]]}, {shown})")
        if row.betweenness >= 0.01:
            parts.append(f"on {row.betweenness:.0%} of shortest paths")
        if not math.isnan(row.constraint) and row.constraint < 0.2:
            parts.append("contacts who mostly do not know each other")
        out.append("; ".join(parts) if parts else "well inside one community")
    return out


# -- the "me" view: what flows through each of my contacts -------------------------------------

#: Score weights of the "me" view: (share of my shortest paths, unique reach, communities opened).
MY_WEIGHTS = (0.5, 0.3, 0.2)
MY_COLUMNS = ["rank", "person_id", "name", "company", "score", "flow_share", "through",
              "unique_reach", "communities_opened", "my_strength", "community", "reason"]


def dependency(eng: Engine, source: int) -> np.ndarray:
    """Brandes' (2001) single-source dependency of ``source`` on every vertex, exact.

    ``delta[v]`` is the sum over every target ``t`` of the share of the shortest paths from
    ``source`` to ``t`` (on ``distance``) that pass through ``v``: from one Dijkstra, with ties
    between equally short paths split evenly. igraph's subset betweenness with the one source
    gives it halved on an undirected graph (each pair would be counted from both ends).
    """
    if eng.graph.ecount() == 0:
        return np.zeros(eng.n)
    half = eng.graph.betweenness(directed=False, weights="distance", sources=[source])
    return 2.0 * np.asarray(half, dtype=float)


def my_connectors(G: nx.Graph, *, me: object | None = None, membership: dict | None = None,
                  as_frame: bool = True) -> pd.DataFrame | Rows:
    """My contacts ranked by what flows through them from me: one row each, best first.

    For each person I have a tie with:

    - **through** and **flow_share**: Brandes' single-source dependency ``delta_me(v)``
      (:func:`dependency`), the number of people whose shortest paths from me (on
      ``distance = -ln(strength)``) run through ``v``, and that as a share of everyone I reach;
    - **unique reach**: the people I reach through ``v``'s strong ties and no other contact's;
    - **communities opened**: the communities (Leiden on strength) ``v``'s ties of at least
      :data:`REACH_MIN_STRENGTH` reach that none of my own strong ties do.

    ``G`` is usually my neighbourhood (:func:`netgraph.graph.projection.load_neighbourhood`,
    two hops): every measure then reads the part of the network that can flow through my
    contacts, and costs what that part costs. ``as_frame=False`` gives the ranking as
    :class:`~netgraph.rows.Rows`, with no pandas loaded.

    >>> G = nx.Graph([(0, 1), (1, 2), (1, 3), (0, 4)], me=0)
    >>> nx.set_edge_attributes(G, 0.9, "strength")
    >>> ranked = my_connectors(G)
    >>> list(zip(ranked["person_id"], ranked["through"], ranked["flow_share"]))
    [(1, 2.0, 0.5), (4, 0.0, 0.0)]
    """
    me = G.graph.get("me") if me is None else me
    if me is None or me not in G:
        msg = "the 'me' view of connectors needs to know who you are: run netgraph init --me"
        raise NotConfiguredError(msg)
    eng = engine(G)
    i_me = eng.index[me]
    src, dst, strength = eng.src, eng.dst, eng.strength
    touches_me = (src == i_me) | (dst == i_me)
    mine = np.where(src[touches_me] == i_me, dst[touches_me], src[touches_me])
    mine_strength = strength[touches_me]
    keep = mine != i_me
    mine, mine_strength = mine[keep], mine_strength[keep]
    if len(mine) == 0:
        return Rows(tuple(MY_COLUMNS), []).answer(as_frame)
    order = np.argsort(mine, kind="stable")
    mine, mine_strength = mine[order], mine_strength[order]
    delta = dependency(eng, i_me)
    reached = max(int(np.isfinite(eng.graph.distances(i_me, weights="distance")[0]).sum()) - 1, 1)
    membership = membership if membership is not None else find_communities(G)
    names = community_names(G, membership)
    member = np.array([membership[n] for n in eng.nodes])
    is_mine = np.zeros(eng.n, dtype=bool)
    is_mine[mine] = True
    # every tie seen from a contact of mine: (contact, other end, strength)
    a = np.r_[src, dst]
    b = np.r_[dst, src]
    s2 = np.r_[strength, strength]
    from_mine = is_mine[a] & (b != i_me)
    a, b, s2 = a[from_mine], b[from_mine], s2[from_mine]
    # unique reach: people I do not know, strongly tied to exactly one contact of mine
    known = is_mine.copy()
    known[i_me] = True
    strong = (s2 >= STRONG_TIE) & ~known[b]
    brokers_of = np.bincount(b[strong], minlength=eng.n)
    only = strong & (brokers_of[b] == 1)
    unique = np.bincount(a[only], minlength=eng.n)[mine]
    # communities opened: reached by a contact's ties, but by none of my own strong ties
    direct = set(member[mine[mine_strength >= STRONG_TIE]].tolist()) | {int(member[i_me])}
    sizes = np.bincount(member)
    reach = s2 >= REACH_MIN_STRENGTH
    pairs = np.unique(np.c_[a[reach], member[b[reach]]], axis=0)
    opened_by: dict[int, list[int]] = {}
    for person, comm in pairs.tolist():
        if comm not in direct:
            opened_by.setdefault(person, []).append(comm)
    opened = [sorted(opened_by.get(int(i), []), key=lambda c: -sizes[c]) for i in mine]
    n_open = np.array([len(o) for o in opened])
    through = delta[mine]
    w = MY_WEIGHTS
    score = np.round(w[0] * pct_ranks(through) + w[1] * pct_ranks(unique) + w[2] * pct_ranks(n_open), 6)
    flow_share = np.round(through / reached, 6)
    columns = {
        "person_id": [eng.nodes[i] for i in mine],
        "name": [G.nodes[eng.nodes[i]].get("name", str(eng.nodes[i])) for i in mine],
        "company": [G.nodes[eng.nodes[i]].get("company") for i in mine],
        "score": score.tolist(),
        "flow_share": flow_share.tolist(),
        "through": through.tolist(),
        "unique_reach": unique.tolist(),
        "communities_opened": n_open.tolist(),
        "my_strength": mine_strength.tolist(),
        "community": [names[c] for c in member[mine]],
        "reason": [_my_reason(t, r, u, o, names) for t, r, u, o in
                   zip(through, flow_share, unique, opened, strict=True)],
    }
    # best first: score, then flow through them, then person number
    order = np.lexsort((np.asarray(columns["person_id"]), -through, -score))
    rows = Rows(tuple(MY_COLUMNS), [(rank, *(columns[c][i] for c in MY_COLUMNS[1:]))
                                    for rank, i in enumerate(order.tolist(), start=1)])
    return rows.answer(as_frame)


def _my_reason(through: float, share: float, unique: int, opened: list, names: dict) -> str:
    parts = []
    if through >= 1:
        parts.append(f"your shortest way to {through:,.0f} people ({share:.0%} of those you reach)")
    if unique:
        parts.append(f"the only strong link to {unique} of them")
    if opened:
        shown = ", ".join(names[c] for c in opened[:3])
        parts.append(f"opens {len(opened)} communit{'y' if len(opened) == 1 else 'ies'} you "
                     f"have no strong tie in ({shown})")
    return "; ".join(parts) if parts else "a direct tie; no one else is reached through them"
