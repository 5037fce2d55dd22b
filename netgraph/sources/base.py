"""The contract between sources and ingest: what a parsed file hands on.

Every reader in :mod:`netgraph.sources` returns :class:`ParsedFile` objects; ingest accepts
nothing else. Rejected records travel as a frame built by :func:`rejects_frame`. A format
module offers ``looks_like(head) -> bool`` (on the first bytes of a file, or their text for the
CSV exports) and ``parse(path, ...)``; :mod:`netgraph.sources.detect` keeps them in one
registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from netgraph.sources.csv_table import CsvTable

if TYPE_CHECKING:
    from netgraph.sources.duck_csv import Plan
    from netgraph.sources.pieces import Shifted

__all__ = ["REJECT_COLUMNS", "ParsedFile", "rejects_frame"]

#: The columns of a parsed file's rejects: the record's first line, its raw text, the reason.
REJECT_COLUMNS = ("line", "raw", "reason")


def rejects_frame(items: Iterable[tuple[int, str, str]]) -> pd.DataFrame:
    """The rejects of a parsed file as a frame, in line order.

    Parameters
    ----------
    items
        ``(line, raw, reason)`` per rejected record, in any order.

    Returns
    -------
    pandas.DataFrame
        Columns ``line`` (int64), ``raw`` and ``reason``, sorted by line; records on the same
        line keep the order they were given in.
    """
    frame = pd.DataFrame(list(items), columns=list(REJECT_COLUMNS))
    frame["line"] = frame["line"].astype(np.int64)
    return frame.sort_values("line", kind="stable", ignore_index=True)


@dataclass(kw_only=True)
class ParsedFile:
    """A parsed input file: normalised rows, rejected rows, and what was noticed on the way.

    ``rows`` holds the good rows with their ``line``; for interactions, ``parts`` holds one row
    per person named in ``to`` (``row`` is the index in ``rows``, ``ref`` the reference).
    ``rejects`` is a :func:`rejects_frame`. Every field is given by keyword.
    """

    path: Path
    kind: str
    sha256: str
    rows: pd.DataFrame
    rejects: pd.DataFrame
    rows_in: int
    notes: list[str] = field(default_factory=list)
    parts: pd.DataFrame | None = None
    source: CsvTable | Shifted | None = None
    #: records left out on purpose (mailing lists, all-hands meetings), not counted in rows_in
    skipped: int = 0
    #: references in this file that name me (my profile URL, the address mail was delivered to)
    my_refs: set[str] = field(default_factory=set)
    #: introductions the file suggests (a mail from me to two people who had not met):
    #: columns date, line, introducer, a, b, inferred
    candidate_introductions: pd.DataFrame | None = None
    #: a large file read in pieces (:mod:`netgraph.sources.pieces`): called once, it yields each
    #: piece as a parsed file of its own, lines numbered as in the file; this file's own rows
    #: are then empty, and its ``notes`` and ``skipped`` are complete once the last piece is read
    pieces: Callable[[], Iterator[ParsedFile]] | None = None
    #: the file's size in bytes, for a file read in pieces
    size: int = 0
    #: for a piece: the bytes of its file read up to the end of this piece
    read_to: int = 0
    #: a large, regular interactions file DuckDB can read (:mod:`netgraph.sources.duck_csv`);
    #: its usual rows are written in SQL, the others come from :meth:`lines`
    fast: Plan | None = None
    #: called with line numbers of a file read in pieces, it yields those lines parsed as pieces
    lines: Callable[[np.ndarray], Iterator[ParsedFile]] | None = None

    def raws(self, lines: pd.Series | list[int]) -> list[str]:
        """The raw text of the records starting on ``lines``."""
        return self.source.raws(lines) if self.source is not None else ["" for _ in lines]
