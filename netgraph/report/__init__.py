"""Stage 8, report: everything that leaves the machine.

The self-contained HTML report (:mod:`~netgraph.report.html`, with
:mod:`~netgraph.report.data`, :mod:`~netgraph.report.network` and
:mod:`~netgraph.report.chart`), redaction (:mod:`~netgraph.report.redact`), GEXF, GraphML,
CSV and Parquet exports (:mod:`~netgraph.report.export`), text made safe for spreadsheets and
terminals (:mod:`~netgraph.report.escape`), numpy and pandas values made plain Python for JSON
and the exports (:mod:`~netgraph.report.values`) and writing files atomically, never over the
store (:mod:`~netgraph.report.atomic`). The CLI prints through escape and values too.

May import: :mod:`netgraph.analytics`, :mod:`netgraph.graph`, :mod:`netgraph.ties`,
:mod:`netgraph.identity` (to name a person), :mod:`netgraph.store`, :mod:`netgraph._errors`.
"""
