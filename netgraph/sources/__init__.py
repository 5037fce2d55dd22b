"""Parsers: one module per input format, each returning the normalised frames ingest accepts."""

from netgraph.sources.generic_csv import KINDS, ParsedFile, detect_kind, parse

__all__ = ["KINDS", "ParsedFile", "detect_kind", "parse"]
