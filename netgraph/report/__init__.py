"""Stage 8, report: everything that leaves the machine.

The self-contained HTML report (:mod:`~netgraph.report.html`, with
:mod:`~netgraph.report.data`, :mod:`~netgraph.report.network` and
:mod:`~netgraph.report.chart`), redaction (:mod:`~netgraph.report.redact`), GEXF, GraphML,
CSV and Parquet exports (:mod:`~netgraph.report.export`), text made safe for spreadsheets and
terminals (:mod:`~netgraph.report.escape`) and writing files atomically, never over the store
(:mod:`~netgraph.report.atomic`).

May import: :mod:`netgraph.analytics`, :mod:`netgraph.graph`, :mod:`netgraph.ties`,
:mod:`netgraph.store`, :mod:`netgraph._errors`.
"""
