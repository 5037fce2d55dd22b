r"""A large, regular interactions CSV read by DuckDB's parallel CSV reader, its usual rows checked in SQL.

A file of millions of interactions costs most of its import in reading and checking rows in Python.
Most rows of such a file are *usual*: a date of the usual shape, addresses in printable ASCII,
a known kind. DuckDB reads the file on every core and tells these rows from the others in the same
pass (:func:`read`); the usual ones go to the store without ever becoming Python objects
(:mod:`netgraph.ingest.csv_sql`), and the others are read again by :mod:`netgraph.sources.generic_csv`,
line by line, exactly as any row of any file, with the same reasons.

A file is read this way (:func:`plan`) when it was surveyed for pieces
(:mod:`netgraph.sources.pieces`: UTF-8, no NUL, no lone carriage return), names each known
column once, and has no unnamed column. Its rows must then sit one to a line, so that the n-th
row read is line n + 1 of the file. That is checked as it is read: a row whose cells hold a line
break, a record DuckDB cannot read as the header says (a missing or extra cell, a stray quote),
or, at the end, a count of rows other than the count of lines (an empty line) raises
:class:`IrregularFile`; the import then drops what it wrote of the file and reads it in pieces.

A row is usual when (see :func:`_query`):

- its ``date`` is ``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM:SS`` (or with a ``T``), a real date and
  time inside the accepted window (:mod:`netgraph.sources.bounds`), read back to the same text;
- ``from`` (if given) and ``to`` are printable ASCII with no space at either end, and ``to``
  names someone once its ``;``-separated items are trimmed, none of them ``from``;
- ``kind`` (if given) is one of :data:`~netgraph.sources.kinds.INTERACTION_KINDS`, in any case;
- ``note`` (if given) neither starts nor ends with a space, control or invisible character and
  holds no line break.

For such a row, DuckDB's reading is the reading of :mod:`netgraph.sources.generic_csv` (trimming
and lower-casing ASCII are the same everywhere), which the tests check row by row. In a file of
printable ASCII (:attr:`~netgraph.sources.pieces.Survey.printable`) no cell need be searched for
other characters, so only its edges are looked at.

DuckDB reads through a connection of its own, in memory, allowed to open this one file and
nothing else, with no extension ever loaded (:func:`netgraph.store.connect.file_reader`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from netgraph._errors import InputFileError, NetgraphError
from netgraph.sources.kinds import INTERACTION_KINDS
from netgraph.sources.pieces import Survey

__all__ = ["BATCHES", "BATCH_ROWS", "COLUMNS", "MIN_BATCH_ROWS", "IrregularFile", "Plan", "plan", "read"]

#: The columns of each batch :func:`read` yields, before any the caller adds.
COLUMNS = ("line", "occurred_at", "from_ref", "kind", "note", "tos", "usual")

#: The most rows per batch of :func:`read` (each is written in its own transaction). A file is
#: read in about :data:`BATCHES` batches of at least :data:`MIN_BATCH_ROWS`, so that writing one
#: batch overlaps reading the next even in a smaller file.
BATCH_ROWS = 1 << 20
MIN_BATCH_ROWS = 1 << 17
BATCHES = 8

#: The known columns of an interactions file.
_KNOWN = ("date", "from", "to", "kind", "note")
#: Characters DuckDB reads as a pattern in a file name.
_GLOB = frozenset("*?[]{}")
#: Printable ASCII, not empty, no space at either end.
_PLAIN = r"[!-~]([ -~]*[!-~])?"
#: A note read as it is: no space, control or invisible character at either end, no line break.
_PLAIN_NOTE = r"[^\s\p{Z}\p{C}]([^\n\r]*[^\s\p{Z}\p{C}])?"
_DATE_TEXT = "%Y-%m-%dT%H:%M:%S"


class IrregularFile(NetgraphError):
    """The file is not regular enough to be read by DuckDB row for line: read it the usual way."""


@dataclass(frozen=True)
class Plan:
    """How to read a surveyed file with DuckDB.

    ``columns`` maps each known column the header names to its position; ``width`` is the number
    of cells in the header.
    """

    survey: Survey
    delimiter: str
    columns: dict[str, int]
    width: int
    #: the file's size and modification time when planned: a file that changes is refused
    stamp: tuple[int, int] = (0, 0)
    #: the rows the file holds, one per line after the header
    rows: int = 0
    #: a file of printable ASCII, comma-separated: its cells need no character checked
    printable: bool = False
    #: the dates a row may have (see :mod:`netgraph.sources.bounds`)
    window: tuple[datetime, datetime] = (datetime.min, datetime.max)


def plan(survey: Survey, header: list[str], delimiter: str, window: tuple[datetime, datetime]) -> Plan | None:
    """How to read ``survey``'s file with DuckDB, or None when it must be read the usual way.

    ``header`` is the normalised header (:func:`netgraph.sources.csv_table.normalise_header`),
    ``window`` the first and last dates a row may have.
    """
    path = str(survey.path.absolute())
    if _GLOB & set(path) or "" in header:
        return None
    if delimiter not in (",", "\t"):
        return None
    columns: dict[str, int] = {}
    for i, name in enumerate(header):
        if name in _KNOWN:
            if name in columns:
                return None  # repeated columns are combined row by row: the usual way
            columns[name] = i
    if "date" not in columns or "to" not in columns:
        return None
    with survey.path.open("rb") as fh:
        fh.seek(max(survey.size - 1, 0))
        cut = fh.read(1) != b"\n"  # the last line has no line end
    return Plan(survey, delimiter, columns, len(header), _stamp(survey.path),
                survey.line_ends - 1 + cut, survey.printable and delimiter == ",", window)


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_size, st.st_mtime_ns


def _cell(p: Plan, name: str) -> str:
    return f"c{p.columns[name]}" if name in p.columns else "NULL::VARCHAR"


def _query(p: Plan, extra: dict[str, str]) -> str:
    """The one pass of :func:`read`: the file's rows, typed, each told usual or not."""
    types = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(p.width))
    kinds = ", ".join(f"'{k}'" for k in INTERACTION_KINDS)
    delim = "\\t" if p.delimiter == "\t" else ","
    more = "".join(f",\n       CASE WHEN usual THEN {sql} END AS {name}" for name, sql in extra.items())
    if p.printable:  # only a space can be at an edge, and no character need be checked
        def plain(cell: str) -> str:
            return f"NOT starts_with({cell}, ' ') AND NOT ends_with({cell}, ' ')"
        note = plain("n")
    else:
        def plain(cell: str) -> str:
            return f"regexp_full_match({cell}, '{_PLAIN}')"
        note = f"regexp_full_match(n, '{_PLAIN_NOTE}')"
    return f"""
WITH cells AS (
    SELECT {_cell(p, "date")} AS d, {_cell(p, "from")} AS f, {_cell(p, "to")} AS t,
           {_cell(p, "kind")} AS k, {_cell(p, "note")} AS n
    FROM read_csv($path, columns = {{{types}}}, header = true, delim = E'{delim}', quote = '"',
                  escape = '"', strict_mode = true, auto_detect = false, compression = 'none',
                  parallel = true)
), typed AS (
    SELECT *, TRY_CAST(d AS TIMESTAMP) AS ts,
           CASE WHEN contains(t, ';')
                THEN list_filter(list_transform(string_split(t, ';'), lambda x: trim(x)),
                                 lambda x: x <> '')
                ELSE [t] END AS items
    FROM cells
), judged AS (
    SELECT *, CASE WHEN len(d) = 10 THEN d || 'T00:00:00' ELSE replace(d, ' ', 'T') END AS dt
    FROM typed
), checked AS (
    SELECT *,
        (len(d) IN (10, 19)
         AND strftime(ts, '{_DATE_TEXT}') = dt
         AND ts BETWEEN $low AND $high
         AND (f IS NULL OR {plain("f")})
         AND {plain("t")} AND len(items) > 0
         AND (f IS NULL OR CASE WHEN len(items) = 1
                                THEN strlen(f) <> strlen(t) OR lower(f) <> lower(t)
                                ELSE NOT list_contains(list_transform(items, lambda x: lower(x)), lower(f))
                                END)
         AND (k IS NULL OR lower(k) IN ({kinds}))
         AND (n IS NULL OR {note})) IS TRUE AS usual
    FROM judged
), rows AS (
    SELECT ts AS occurred_at, f AS from_ref, coalesce(lower(k), 'other') AS kind, n AS note,
           items AS tos, usual,
           CASE WHEN usual THEN false
                ELSE regexp_matches(concat(d, f, t, k, n), '[\\n\\r]') END AS spans,
           dt AS occurred_text, t AS to_text
    FROM checked
)
SELECT occurred_at, from_ref, kind, note, tos, usual, spans{more} FROM rows
"""


def _gathered(reader: pa.RecordBatchReader, rows: int) -> Iterator[pa.Table]:
    """The reader's record batches gathered into tables of at least ``rows`` rows (the last one fewer)."""
    held: list[pa.RecordBatch] = []
    n = 0
    for batch in reader:
        held.append(batch)
        n += batch.num_rows
        if n >= rows:
            yield pa.Table.from_batches(held)
            held, n = [], 0
    if held:
        yield pa.Table.from_batches(held)


def read(p: Plan, connect: Callable[[str], Any], extra: dict[str, str] | None = None,
         rows: int | None = None) -> Iterator[pa.Table]:
    """The file's rows in batches of about ``rows``, in file order, with :data:`COLUMNS`.

    ``connect(path)`` opens the DuckDB connection that reads the file (see
    :func:`netgraph.store.connect.file_reader`: it may read that file and nothing else); it is
    closed here. ``line`` is each row's line in the file; ``tos`` the trimmed items of ``to``; ``usual`` tells
    the rows checked here (see the module notes). ``extra`` maps more column names to SQL
    expressions over ``occurred_at``, ``from_ref``, ``kind``, ``note`` and ``tos``, computed for
    the usual rows in the same pass (null for the others); they may also read ``occurred_text``,
    the date as ``strftime(occurred_at, '%Y-%m-%dT%H:%M:%S')`` writes it, and ``to_text``, the
    ``to`` cell as it is (a row with no ``;`` in it has that one item). Raises :class:`IrregularFile` when a
    record does not sit on one line, or DuckDB cannot read one as the header says.
    """
    import duckdb
    import pyarrow.compute as pc

    path = str(p.survey.path.absolute())
    extra = extra or {}
    con = connect(path)
    line = 2  # the header is line 1, with no empty line before it (see pieces.survey)
    try:
        try:
            rows = rows or min(BATCH_ROWS, max(MIN_BATCH_ROWS, p.rows // BATCHES))
            values = {"path": path, "low": p.window[0], "high": p.window[1]}
            reader = con.sql(_query(p, extra), params=values).to_arrow_reader(min(rows, 1 << 20))
            for table in _gathered(reader, rows):
                if pc.any(table.column("spans")).as_py():
                    msg = f"{p.survey.path}: a record runs over several lines"
                    raise IrregularFile(msg)
                n = table.num_rows
                table = table.drop_columns(["spans"]).add_column(
                    0, "line", pa.array(np.arange(line, line + n, dtype=np.int64)))
                line += n
                yield table
        except duckdb.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            msg = f"{p.survey.path}: DuckDB cannot read it row for line ({first})"
            raise IrregularFile(msg) from None
    finally:
        con.close()
    if _stamp(p.survey.path) != p.stamp:
        msg = (f"{p.survey.path}: the file changed while it was being imported, so nothing of it "
               "was kept; import it again once it is complete")
        raise InputFileError(msg)
    if line - 2 != p.rows:
        msg = f"{p.survey.path}: DuckDB read {line - 2:,} rows from {p.rows:,} lines"
        raise IrregularFile(msg)
