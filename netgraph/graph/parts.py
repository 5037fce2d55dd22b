"""The network's headline figures, with no graph built: counts and the largest connected part.

``netgraph summary`` asks for a few numbers about the whole network. They come from the store's
counts and the tie table's two id columns; the connected parts are labelled with numpy alone
(:func:`component_labels`), so the question loads neither NetworkX, scipy nor pandas, and costs
a read of the ids and a few vector passes over them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netgraph.store import queries
from netgraph.store.database import Store
from netgraph.ties.model import AsOf, as_of_bound, as_of_date
from netgraph.ties.table import tie_columns

if TYPE_CHECKING:
    import networkx as nx
    import numpy as np

__all__ = ["component_labels", "largest_part", "summary"]


def component_labels(n: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """A label per vertex ``0..n-1``, shared by two vertices exactly when a path joins them.

    Hook and shortcut (after Shiloach & Vishkin 1982): every tie whose two ends carry different
    labels hangs the larger label's root under the smaller one, then every vertex jumps to its
    root; ties inside one part drop out as they go. Each round at least halves the parts a tie
    still crosses in practice, so a few passes over the ties suffice.

    Parameters
    ----------
    n : int
        The number of vertices.
    u, v : numpy.ndarray
        The two ends of each tie, as vertex numbers below ``n``.

    Returns
    -------
    numpy.ndarray
        One label per vertex: the number of a vertex of its part.

    Examples
    --------
    >>> import numpy as np
    >>> component_labels(5, np.array([0, 3]), np.array([1, 4])).tolist()
    [0, 0, 2, 3, 3]
    """
    import numpy as np

    kind = np.int32 if n < 2**31 else np.int64
    parent = np.arange(n, dtype=kind)
    u, v = np.asarray(u, dtype=kind), np.asarray(v, dtype=kind)
    while len(u):
        pu, pv = parent[u], parent[v]
        crossing = pu != pv
        if not crossing.any():
            break
        u, v, pu, pv = u[crossing], v[crossing], pu[crossing], pv[crossing]
        parent[np.maximum(pu, pv)] = np.minimum(pu, pv)  # a root under a smaller label
        while True:  # every vertex to its root
            up = parent[parent]
            if np.array_equal(up, parent):
                break
            parent = up
    return parent


def largest_part(store: Store, as_of: AsOf = None) -> tuple[int, int, int]:
    """(people, ties, people in the largest connected part), from the tie table's two columns."""
    import numpy as np

    ids = store.con.execute("SELECT person_id FROM people").fetchnumpy()["person_id"]
    n = len(ids)
    if n == 0:
        return 0, 0, 0
    ties = tie_columns(store, as_of, columns=("u", "v"))
    position = np.full(int(ids.max()) + 1, -1, dtype=np.int32 if n < 2**31 else np.int64)
    position[ids] = np.arange(n)
    labels = component_labels(n, position[ties["u"]], position[ties["v"]])
    return n, len(ties["u"]), int(np.bincount(labels).max())


def summary(store: Store, G: nx.Graph | None = None, as_of: AsOf = None) -> dict:
    """Headline figures: people, ties, interactions, date range, the largest connected part.

    With a graph, its figures; without, the store's as of ``as_of``, with no graph built.
    """
    day = as_of if G is None else G.graph.get("as_of")
    bound = as_of_bound(day)
    first, last, n = queries.contact_span(store, bound)
    if G is None:
        people, ties, largest = largest_part(store, day)
    else:
        import networkx as nx

        people, ties = G.number_of_nodes(), G.number_of_edges()
        largest = len(max(nx.connected_components(G), key=len, default=set()))
    return {
        "people": people,
        "ties": ties,
        "interactions": int(n),
        "introductions": queries.introduction_count(store, bound.date()),
        "first_contact": first.date().isoformat() if first else None,
        "last_contact": last.date().isoformat() if last else None,
        "largest_part": largest,
        "largest_part_share": round(largest / people, 3) if people else 0.0,
        "as_of": as_of_date(day).isoformat(),
    }
