"""Stage 7, analytics: pure functions from tables or a graph to tables.

A table is a DataFrame or, where a question must answer without loading pandas, plain rows
(:class:`~netgraph.rows.Rows`, whose ``to_frame()`` gives the DataFrame).

Connectors (:mod:`~netgraph.analytics.connectors`), communities, roles, weak ties, neglected
and dormant ties (:mod:`~netgraph.analytics.neglect`, on the tables of
:class:`~netgraph.ties.model.MyHistory`), the give-and-take ledger
(:mod:`~netgraph.analytics.ledger`), why a tie is as strong as it is
(:mod:`~netgraph.analytics.explain`) and warm introduction paths
(:mod:`~netgraph.analytics.paths`). They never touch the store, run SQL or read or write files:
the callers (:mod:`netgraph.api`, :mod:`netgraph.report`) read what they need first.

May import: only pure modules, :mod:`netgraph.ties.model`, :mod:`netgraph.graph.engine`,
:mod:`netgraph._errors`, :mod:`netgraph.normalise`, :mod:`netgraph.rows`.
"""
