"""Stage 1, sources: one input file in, normalised frames out.

Reads one file of one format each (netgraph's CSV, LinkedIn, Google and Outlook CSV, vCard,
iCalendar, mbox) and returns a :class:`~netgraph.sources.base.ParsedFile`: rows, rejected rows
with their line and reason (:func:`~netgraph.sources.base.rejects_frame`), and notes.
:mod:`~netgraph.sources.detect` tells formats apart by content through one registry of
:class:`~netgraph.sources.detect.Format` records; :mod:`~netgraph.sources.reading` reads a file
safely (limits, devices, encodings) and :mod:`~netgraph.sources.csv_table` splits CSV text into
records and tables with their line numbers; :mod:`~netgraph.sources.export_csv` is shared by the
CSV exports of other tools; :mod:`~netgraph.sources.bounds` is the one boundary every value
crosses. Nothing here touches the store.

May import: :mod:`netgraph._errors`, :mod:`netgraph.normalise`.
"""

from netgraph.sources.base import ParsedFile
from netgraph.sources.generic_csv import KINDS, detect_kind, parse

__all__ = ["KINDS", "ParsedFile", "detect_kind", "parse"]
