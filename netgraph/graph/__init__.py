"""Stage 6, graph: the NetworkX projection and its compiled views.

:mod:`~netgraph.graph.projection` builds the ``nx.Graph`` users and notebooks see (people as
nodes, ties as edges with ``strength`` and ``distance = -ln(strength)``) from the store;
:mod:`~netgraph.graph.engine` builds igraph and scipy sparse views of a graph for the heavy
algorithms (pure: a graph in, a view out); :mod:`~netgraph.graph.parts` gives the headline
figures and the largest connected part with no graph built.

May import: :mod:`netgraph.ties`, :mod:`netgraph.store`, :mod:`netgraph._errors`.
"""
