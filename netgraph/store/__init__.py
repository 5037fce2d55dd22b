"""Stage 2, store: the DuckDB file.

Connects (offline: no extension is ever fetched or loaded), creates and migrates the schema
(``schema.sql``, its version recorded in the file), and holds the one way to run a transaction
(:meth:`~netgraph.store.database.Store.transaction`) and to hand DuckDB a frame
(:meth:`~netgraph.store.database.Store.registered`). :mod:`~netgraph.store.listings` answers
the plain read queries behind ``people``, ``rejects`` and ``batches``.

May import: :mod:`netgraph._errors`, :mod:`netgraph.normalise`.
"""
