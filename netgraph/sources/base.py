"""The contract between sources and ingest: what a parsed file hands on.

Every reader in :mod:`netgraph.sources` returns :class:`ParsedFile` objects; ingest accepts
nothing else. A format module offers ``looks_like(head: bytes) -> bool`` and ``parse(path,
...)``; :mod:`netgraph.sources.detect` keeps them in one registry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from netgraph.sources.text import CsvTable

__all__ = ["ParsedFile"]


@dataclass
class ParsedFile:
    """A parsed input file: normalised rows, rejected rows, and what was noticed on the way.

    ``rows`` holds the good rows with their ``line``; for interactions, ``parts`` holds one row
    per person named in ``to`` (``row`` is the index in ``rows``, ``ref`` the reference).
    """

    path: Path
    kind: str
    sha256: str
    rows: pd.DataFrame
    rejects: pd.DataFrame
    rows_in: int
    notes: list[str] = field(default_factory=list)
    parts: pd.DataFrame | None = None
    source: CsvTable | None = None
    #: records left out on purpose (mailing lists, all-hands meetings), not counted in rows_in
    skipped: int = 0
    #: references in this file that name me (my profile URL, the address mail was delivered to)
    my_refs: set[str] = field(default_factory=set)
    #: introductions the file suggests (a mail from me to two people who had not met):
    #: columns date, line, introducer, a, b, inferred
    candidate_introductions: pd.DataFrame | None = None

    def raws(self, lines: pd.Series | list[int]) -> list[str]:
        """The raw text of the records starting on ``lines``."""
        return self.source.raws(lines) if self.source is not None else ["" for _ in lines]
