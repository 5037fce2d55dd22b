"""The compiled engine behind the heavy analyses: igraph and scipy sparse views of a graph.

NetworkX stays the graph users, notebooks and the API see. The analyses convert it once into
an :class:`Engine` (an igraph graph plus a CSR adjacency, both indexed 0..n-1 in the order of
``G.nodes``) and map results back to node keys. The conversion is cached per graph object and
rebuilt when the graph's size changes. The projection hands over the ties a graph was built
from (:func:`remember`); the engine is compiled from them when an analysis first asks for it
(:func:`engine`), its igraph graph and its scipy matrices only when read. So numpy, igraph and
scipy load only for an analysis that uses them (a warm path search uses none).

Beware NetworkX's conventions, which this module keeps explicit: betweenness and shortest
paths read an edge weight as a *distance* (``distance = -ln(strength)``), while Burt's
constraint and eigenvector centrality read it as a *strength*.
"""

from __future__ import annotations

import functools
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:
    import igraph as ig
    import numpy as np
    import scipy.sparse as sp

__all__ = ["Engine", "engine", "remember"]


@dataclass(frozen=True)
class Engine:
    """A graph's compiled views. ``nodes[i]`` is the node key of vertex ``i``."""

    nodes: list[Any]
    index: dict[Any, int]
    src: np.ndarray        # edge sources (int64), one entry per undirected edge
    dst: np.ndarray        # edge targets
    strength: np.ndarray   # per edge, in (0, 1]
    distance: np.ndarray   # per edge, -ln(strength)

    @property
    def n(self) -> int:
        """The number of vertices."""
        return len(self.nodes)

    @functools.cached_property
    def graph(self) -> ig.Graph:
        """The igraph graph: undirected, edge attributes "strength" and "distance".

        Built on first use (igraph loads only then), with the edges in the order of ``src``.
        """
        import igraph as ig

        # a list of pairs is the quickest way in (about twice as fast as a numpy array)
        h = ig.Graph(n=self.n, edges=list(zip(self.src.tolist(), self.dst.tolist(), strict=True)),
                     directed=False)
        h.es["strength"] = self.strength.tolist()
        h.es["distance"] = self.distance.tolist()
        return h

    @functools.cached_property
    def adjacency(self) -> sp.csr_matrix:
        """Symmetric 0/1 adjacency (int32), built on first use (scipy loads only then)."""
        import numpy as np
        import scipy.sparse as sp

        ones = np.ones(2 * len(self.src), dtype=np.int32)
        return sp.csr_matrix((ones, (np.r_[self.src, self.dst], np.r_[self.dst, self.src])),
                             shape=(self.n, self.n))

    def strength_matrix(self) -> sp.csr_matrix:
        """Symmetric CSR matrix of tie strengths."""
        import numpy as np
        import scipy.sparse as sp

        s = sp.coo_matrix((np.r_[self.strength, self.strength],
                           (np.r_[self.src, self.dst], np.r_[self.dst, self.src])),
                          shape=(self.n, self.n))
        return s.tocsr()


#: Per graph: its size when compiled, and its engine (or the ties it is to be compiled from).
_CACHE: weakref.WeakKeyDictionary[nx.Graph, tuple[tuple[int, int], Engine | tuple]] = (
    weakref.WeakKeyDictionary()
)


def _build(G: nx.Graph) -> Engine:
    import numpy as np

    nodes = list(G.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    m = G.number_of_edges()
    src = np.empty(m, dtype=np.int64)
    dst = np.empty(m, dtype=np.int64)
    strength = np.empty(m, dtype=float)
    for k, (u, v, s) in enumerate(G.edges(data="strength", default=1.0)):
        src[k] = index[u]
        dst[k] = index[v]
        strength[k] = s
    return _compile(nodes, index, src, dst, strength)


def _compile(nodes: list, index: dict, src: np.ndarray, dst: np.ndarray,
             strength: np.ndarray) -> Engine:
    import numpy as np

    strength = np.maximum(strength, 1e-12)  # weights above 1 are kept (Burt's examples use them)
    distance = np.maximum(-np.log(strength), 0.0)
    return Engine(nodes, index, src, dst, strength, distance)


def _from_ties(G: nx.Graph, u: Any, v: Any, strength: Any) -> Engine:
    """The engine of ``G`` from its ties as built: ``u``-``v`` (node keys) with ``strength``."""
    import numpy as np

    nodes = list(G.nodes)
    keys = np.asarray(nodes)
    if len(u) and (keys.dtype.kind not in "iu" or np.any(np.diff(keys) <= 0)):
        return _build(G)
    src = np.searchsorted(keys, np.asarray(u, dtype=np.int64))
    dst = np.searchsorted(keys, np.asarray(v, dtype=np.int64))
    index = {n: i for i, n in enumerate(nodes)}
    return _compile(nodes, index, src, dst, np.asarray(strength, dtype=float))


def remember(G: nx.Graph, u: Any, v: Any, strength: Any) -> None:
    """Keep the ties ``G`` was built from (``u``-``v`` with ``strength``), to compile it from.

    The projection calls this, so analyses find the engine's input ready instead of walking
    every edge in Python; the engine itself is compiled on first use (:func:`engine`), so a
    graph no analysis compiles (a warm path search) costs nothing here. ``u`` and ``v`` are
    node keys of ``G`` (each tie once, no self-loops), as arrays or lists.
    """
    _CACHE[G] = ((G.number_of_nodes(), G.number_of_edges()), (u, v, strength))


def engine(G: nx.Graph) -> Engine:
    """The compiled views of ``G``, built once and reused while ``G`` keeps its size."""
    key = (G.number_of_nodes(), G.number_of_edges())
    hit = _CACHE.get(G)
    if hit is not None and hit[0] == key:
        if isinstance(hit[1], Engine):
            return hit[1]
        built = _from_ties(G, *hit[1])
    else:
        built = _build(G)
    _CACHE[G] = (key, built)
    return built
