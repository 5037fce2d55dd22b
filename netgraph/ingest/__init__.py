"""Stage 4, ingest: parsed files into the store, one batch per file.

Takes :class:`~netgraph.sources.base.ParsedFile` objects, checks them against the value bounds,
resolves people and writes each file in one transaction: rows in = loaded + duplicates +
rejected, and importing a file again changes nothing (:mod:`~netgraph.ingest.batch`). One writer
per kind: :mod:`~netgraph.ingest.contacts`, :mod:`~netgraph.ingest.interactions`,
:mod:`~netgraph.ingest.records` (introductions, follow-ups).

May import: :mod:`netgraph.identity`, :mod:`netgraph.store`, :mod:`netgraph.sources`,
:mod:`netgraph._errors`, :mod:`netgraph.normalise`.
"""
