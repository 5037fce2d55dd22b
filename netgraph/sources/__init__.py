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

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from netgraph.sources.base import ParsedFile
    from netgraph.sources.generic_csv import KINDS, detect_kind, parse

__all__ = ["KINDS", "ParsedFile", "detect_kind", "parse"]

# Loaded when first asked for: the readers bring pandas and pyarrow, which a command that only
# needs a constant of a submodule (the stored kinds, a size limit) does without.
_LAZY = {"ParsedFile": "netgraph.sources.base", "KINDS": "netgraph.sources.generic_csv",
         "detect_kind": "netgraph.sources.generic_csv", "parse": "netgraph.sources.generic_csv"}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        msg = f"module 'netgraph.sources' has no attribute {name!r}"
        raise AttributeError(msg)
    return getattr(importlib.import_module(_LAZY[name]), name)
