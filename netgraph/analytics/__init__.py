"""Stage 7, analytics: pure functions from frames or a graph to DataFrames.

Connectors (:mod:`~netgraph.analytics.connectors`), communities, roles, weak ties, neglected
and dormant ties and the ledger (:mod:`~netgraph.analytics.neglect`, on the frames of
:class:`~netgraph.ties.model.MyHistory`), why a tie is as strong as it is
(:mod:`~netgraph.analytics.explain`) and warm introduction paths
(:mod:`~netgraph.analytics.paths`). They never touch the store, run SQL or read or write files:
the callers (:mod:`netgraph.api`, :mod:`netgraph.report`) read what they need first.

May import: only pure modules, :mod:`netgraph.ties.model`, :mod:`netgraph.graph.engine`,
:mod:`netgraph._errors`, :mod:`netgraph.normalise`.
"""
