"""The compiled engine behind the heavy analyses: igraph and scipy sparse views of a graph.

NetworkX stays the graph users, notebooks and the API see. The analyses convert it once into
an :class:`Engine` (an igraph graph plus a CSR adjacency, both indexed 0..n-1 in the order of
``G.nodes``) and map results back to node keys. The conversion is cached per graph object and
rebuilt when the graph's size changes.

Beware NetworkX's conventions, which this module keeps explicit: betweenness and shortest
paths read an edge weight as a *distance* (``distance = -ln(strength)``), while Burt's
constraint and eigenvector centrality read it as a *strength*.
"""

from __future__ import annotations

import functools
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import igraph as ig
import networkx as nx
import numpy as np

if TYPE_CHECKING:
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
    graph: ig.Graph        # undirected, edge attributes "strength" and "distance"

    @property
    def n(self) -> int:
        """The number of vertices."""
        return len(self.nodes)

    @functools.cached_property
    def adjacency(self) -> sp.csr_matrix:
        """Symmetric 0/1 adjacency (int32), built on first use (scipy loads only then)."""
        import scipy.sparse as sp

        ones = np.ones(2 * len(self.src), dtype=np.int32)
        return sp.csr_matrix((ones, (np.r_[self.src, self.dst], np.r_[self.dst, self.src])),
                             shape=(self.n, self.n))

    def strength_matrix(self) -> sp.csr_matrix:
        """Symmetric CSR matrix of tie strengths."""
        import scipy.sparse as sp

        s = sp.coo_matrix((np.r_[self.strength, self.strength],
                           (np.r_[self.src, self.dst], np.r_[self.dst, self.src])),
                          shape=(self.n, self.n))
        return s.tocsr()


_CACHE: weakref.WeakKeyDictionary[nx.Graph, tuple[tuple[int, int], Engine]] = (
    weakref.WeakKeyDictionary()
)


def _build(G: nx.Graph) -> Engine:
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
    strength = np.maximum(strength, 1e-12)  # weights above 1 are kept (Burt's examples use them)
    distance = np.maximum(-np.log(strength), 0.0)
    # a list of pairs is the quickest way in (about twice as fast as a numpy array)
    h = ig.Graph(n=len(nodes), edges=list(zip(src.tolist(), dst.tolist(), strict=True)),
                 directed=False)
    h.es["strength"] = strength.tolist()
    h.es["distance"] = distance.tolist()
    return Engine(nodes, index, src, dst, strength, distance, h)


def remember(G: nx.Graph, u: np.ndarray, v: np.ndarray, strength: np.ndarray) -> None:
    """Compile ``G`` from the arrays it was built from (its ties ``u``-``v`` with ``strength``).

    The projection calls this, so analyses find the engine ready instead of walking every edge
    in Python. ``u`` and ``v`` are node keys of ``G`` (each tie once, no self-loops).
    """
    nodes = list(G.nodes)
    keys = np.asarray(nodes)
    if len(u) and (keys.dtype.kind not in "iu" or np.any(np.diff(keys) <= 0)):
        _CACHE[G] = ((G.number_of_nodes(), G.number_of_edges()), _build(G))
        return
    src = np.searchsorted(keys, np.asarray(u, dtype=np.int64))
    dst = np.searchsorted(keys, np.asarray(v, dtype=np.int64))
    index = {n: i for i, n in enumerate(nodes)}
    built = _compile(nodes, index, src, dst, np.asarray(strength, dtype=float))
    _CACHE[G] = ((G.number_of_nodes(), G.number_of_edges()), built)


def engine(G: nx.Graph) -> Engine:
    """The compiled views of ``G``, built once and reused while ``G`` keeps its size."""
    key = (G.number_of_nodes(), G.number_of_edges())
    hit = _CACHE.get(G)
    if hit is not None and hit[0] == key:
        return hit[1]
    built = _build(G)
    _CACHE[G] = (key, built)
    return built
