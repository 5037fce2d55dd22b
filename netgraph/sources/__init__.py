"""Parsers: one module per input format, each returning the normalised frames ingest accepts.

``generic_csv`` (netgraph's own CSV), ``linkedin``, ``address_book`` (Google, Outlook),
``vcard``, ``ics``, ``mbox``; :mod:`netgraph.sources.detect` tells them apart by content.
"""

from netgraph.sources.generic_csv import KINDS, ParsedFile, detect_kind, parse

__all__ = ["KINDS", "ParsedFile", "detect_kind", "parse"]
