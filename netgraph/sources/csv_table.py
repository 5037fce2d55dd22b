"""CSV records and tables: fields with the line each record starts on, and its raw text.

Takes the decoded text of :mod:`netgraph.sources.reading` and splits it into records
(:func:`csv_records`) or reads it into columns (:func:`read_csv_table`), so that every rejected
row can be reported with its line and raw text. Limits, so that no input can make an import hang
or run out of memory:

- A header wider than :data:`MAX_COLUMNS` cells is refused; every row must have as many fields
  as the header (else that row is rejected).
- A field longer than :data:`MAX_FIELD_CHARS` (16 MB) rejects its record; the rest loads.

The delimiter is a comma, or a tab when the header line has tabs and no commas (Excel's
"Unicode text", often UTF-16).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from netgraph._errors import InputFileError
from netgraph.sources.reading import TextFile

#: The widest CSV header read, in cells.
MAX_COLUMNS = 1_000
#: The longest CSV field read, in characters; a longer field rejects its record.
MAX_FIELD_CHARS = 16 * 1024 * 1024

csv.field_size_limit(MAX_FIELD_CHARS)


@dataclass(frozen=True)
class Record:
    """One CSV record: the physical line it starts on (1-based), its raw text, its fields.

    ``error`` is set when the record is malformed (an unbalanced quote); its fields are then
    not to be trusted.
    """

    line: int
    raw: str
    fields: list[str]
    error: str | None = None


class _Lines:
    """The lines of a text, handed to :func:`csv.reader` one by one; ``pos`` can be moved back."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.pos = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.pos >= len(self.lines):
            raise StopIteration
        self.pos += 1
        return self.lines[self.pos - 1]


def _one_strict_record(lines: list[str], delimiter: str) -> bool:
    """True if ``lines`` are one record by the strict CSV rules (every quote where it belongs)."""
    try:
        return len(list(csv.reader(lines, delimiter=delimiter, strict=True))) == 1
    except csv.Error:
        return False


_FIELD_TOO_LONG = (f"a field longer than {MAX_FIELD_CHARS // 1024**2} MB ({MAX_FIELD_CHARS:,} characters), "
                   "more than netgraph reads in one field; shorten it or move it out of the file")


def _record_end(lines: list[str], start: int) -> int | None:
    """The line after the record starting at ``start`` ends, by its quotes; None if never."""
    quotes = 0
    for k in range(start, len(lines)):
        quotes += lines[k].count('"')
        if quotes % 2 == 0:
            return k + 1
    return None


def csv_records(text: str, *, delimiter: str = ",", keep_blank: bool = False) -> list[Record]:
    """Split CSV text into records, keeping each record's starting line and raw text.

    Quoted fields may span lines; the raw text then spans them too. Empty lines are skipped,
    and so are lines of only whitespace unless ``keep_blank`` (rows of empty cells such as
    ``,,,`` are records). A record whose raw text has an odd number of double quotes is
    malformed: a quote opened and never closed swallows the lines after it, so the record is
    flagged, not trusted. When such a record spans lines (a stray quote, or a file cut inside a
    quoted field), only its first line is flagged and reading goes on from the next line, so
    one stray quote cannot take the rows after it with it. A record with a field longer than
    :data:`MAX_FIELD_CHARS` is one flagged record, however many lines it spans.
    """
    lines = list(io.StringIO(text, newline=""))
    src = _Lines(lines)
    reader = csv.reader(src, delimiter=delimiter, strict=False)
    out: list[Record] = []
    while True:
        prev = src.pos
        try:
            fields = next(reader)
            error = None
        except StopIteration:
            break
        except csv.Error as exc:
            fields, error = [], f"unreadable CSV record ({exc})"
            end = _record_end(lines, prev) if "field limit" in str(exc) else None
            if end is not None:
                out.append(Record(prev + 1, "".join(lines[prev:end]).rstrip("\r\n"), [], _FIELD_TOO_LONG))
                src.pos = end
                reader = csv.reader(src, delimiter=delimiter, strict=False)
                continue
        end = src.pos
        if end > prev + 1 and (error or not _one_strict_record(lines[prev:end], delimiter)):
            if error is None:
                how = ("is never closed" if "".join(lines[prev:end]).count('"') % 2
                       else "does not close where its field ends")
                error = (f"unbalanced double quote: a quoted field opened on line {prev + 1} {how}; "
                         "the lines after it are read on their own")
            out.append(Record(prev + 1, lines[prev].rstrip("\r\n"), [], error))
            src.pos = prev + 1
            reader = csv.reader(src, delimiter=delimiter, strict=False)
            continue
        raw = (lines[prev] if end == prev + 1 else "".join(lines[prev:end])).rstrip("\r\n")
        if error is None and raw.count('"') % 2:
            error = f"unbalanced double quote: a quoted field opened on line {prev + 1} is never closed"
        if error or (fields and (keep_blank or len(fields) > 1 or fields[0].strip())):
            out.append(Record(prev + 1, raw, fields, error))
    return out


def normalise_header(fields: list[str]) -> list[str]:
    """Header cells as lookup keys: trimmed, lower-case, spaces and dashes as underscores."""
    return [f.strip().lstrip("\ufeff").lower().replace(" ", "_").replace("-", "_") for f in fields]


@dataclass
class CsvTable:
    """A CSV file as columns: well-formed rows in ``frame``, the rest in ``bad``.

    ``frame`` has a ``line`` column with each record's first physical line, then one string
    column per header cell, in order (trimmed; empty cells are missing). Its labels are the
    header cells, so they repeat when the header does. ``raw`` maps a line number to the
    record's raw text. ``bad`` holds (line, raw, reason) for malformed records. ``blank``
    counts the blank rows after the header (only whitespace or empty cells, such as ``,,,``):
    they are left out, and not counted in ``rows_in``. ``delimiter`` is the one the file uses.
    """

    header: list[str]
    frame: pd.DataFrame
    raw: dict[int, str] | list[str]
    bad: list[tuple[int, str, str]] = field(default_factory=list)
    rows_in: int = 0
    blank: int = 0
    delimiter: str = ","

    def raws(self, lines: pd.Series | list[int]) -> list[str]:
        """The raw text of the records starting on ``lines``."""
        raw = self.raw
        return [raw[i - 1] for i in lines] if isinstance(raw, list) else [raw[i] for i in lines]


def _width_error(width: int, found: int, cut: bool = False) -> str:
    reason = f"wrong column count: expected {width} fields, found {found}"
    if cut and found < width:
        reason += " (the file ends inside this row: it looks truncated)"
    return reason


def _clean(column: pa.Array) -> pd.Series:
    """Trim whitespace and turn empty cells into missing values."""
    trimmed = pc.utf8_trim_whitespace(column)
    cleaned = pc.if_else(pc.equal(trimmed, ""), None, trimmed)
    return pd.Series(cleaned.to_pandas(), dtype="str")


def _frame(header: list[str], columns: list[pa.Array], lines: np.ndarray) -> pd.DataFrame:
    """``line``, then one cleaned column per header cell (labels may repeat)."""
    frame = pd.DataFrame({i: _clean(col) for i, col in enumerate(columns)})
    frame.insert(0, "line", lines)
    frame.columns = ["line", *header]
    return frame


def _check_width(path: Path, header: list[str], delimiter: str) -> None:
    if len(header) > MAX_COLUMNS:
        sep = "tabs" if delimiter == "\t" else repr(delimiter)
        msg = (f"{path}: the header row has {len(header):,} columns (separated by {sep}), more "
               f"than the {MAX_COLUMNS:,} netgraph reads; this is not a contacts or interactions "
               "file as it stands: keep only the columns you need, or check the separator")
        raise InputFileError(msg)


def _sniff_delimiter(text: str) -> str:
    """Tab when the first non-blank line has tabs and no commas (Excel's "Unicode text"), else comma."""
    for line in io.StringIO(text[: 1024 * 1024]):
        if line.strip():
            return "\t" if "\t" in line and "," not in line else ","
    return ","


def _blank(line: str, delimiter: str) -> bool:
    """True for a line that is a blank row: only whitespace, delimiters and empty quoted cells."""
    first = line[:1]
    if first and first != delimiter and first != '"' and not first.isspace():
        return False  # the usual case, decided without copying the line
    if line.replace(delimiter, "").replace('"', "").strip():
        return False
    if '"' not in line:
        return True
    return all(not f.strip() for row in csv.reader([line], delimiter=delimiter) for f in row)


def read_csv_table(tf: TextFile) -> CsvTable:
    """Parse a decoded CSV file into columns, keeping line numbers and raw text.

    Files whose records each sit on one line (the usual case) are parsed by pyarrow's C++
    reader; files with quoted fields spanning lines, or unbalanced quotes, by Python's csv
    module, record by record. The delimiter is a comma, or a tab when the header line has tabs
    and no commas. A header wider than :data:`MAX_COLUMNS` raises :class:`InputFileError`.
    """
    text = tf.text
    delimiter = _sniff_delimiter(text)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [ln[:-1] if ln.endswith("\r") else ln for ln in lines]
    simple = "\r" not in text.replace("\r\n", "") and not any(ln.count('"') % 2 for ln in lines)
    cut = not text.endswith(("\n", "\r"))  # the last row may be cut short
    if simple:
        table = _read_simple(tf.path, lines, delimiter, cut)
        if table is not None:
            return table
    return _read_records(tf.path, text, delimiter, cut)


def _read_simple(path: Path, lines: list[str], delimiter: str, cut: bool = False) -> CsvTable | None:
    plain = re.compile(r'[^\s"' + re.escape(delimiter) + "]")  # a first character no blank row has
    filled = [i for i, ln in enumerate(lines)
              if ln and (plain.match(ln) or not _blank(ln, delimiter))]
    if not filled:
        return None
    head = filled[0]
    header = next(csv.reader([lines[head]], delimiter=delimiter))
    _check_width(path, header, delimiter)
    width = len(header)
    body = filled[1:]
    blank = sum(1 for ln in lines[head + 1:] if ln) - len(body)
    names = [f"c{i}" for i in range(width)]
    invalid: list[tuple[int | None, str, int]] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        invalid.append((row.number, row.text, row.actual_columns))
        return "skip"

    data = "\n".join(lines[i] for i in [head, *body]).encode("utf-8")
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, use_threads=False),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, invalid_row_handler=on_invalid,
                                             newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    # `number` counts non-empty rows from 1, the header included: body position = number - 2.
    bad_pos = [n - 2 if n is not None else -1 for n, _, _ in invalid]
    if len(bad_pos) + table.num_rows != len(body) or any(
        not 0 <= p < len(body) or lines[body[p]] != row_text
        for p, (_, row_text, _) in zip(bad_pos, invalid, strict=True)
    ):
        return None  # cannot line the rows up with certainty: use the record-by-record reader
    keep = np.ones(len(body), dtype=bool)
    keep[bad_pos] = False
    good_lines = np.asarray(body, dtype=np.int64)[keep] + 1
    frame = _frame(header, [table.column(n) for n in names], good_lines)
    bad = [(body[p] + 1, lines[body[p]], _width_error(width, found, cut and body[p] == len(lines) - 1))
           for p, (_, _, found) in zip(bad_pos, invalid, strict=True)]
    return CsvTable(header, frame, lines, bad, len(body), blank, delimiter)


def _is_blank(rec: Record) -> bool:
    return rec.error is None and not any(f.strip() for f in rec.fields)


def _read_records(path: Path, text: str, delimiter: str = ",", cut: bool = False) -> CsvTable:
    records = csv_records(text, delimiter=delimiter, keep_blank=True)
    first = next((i for i, r in enumerate(records) if not _is_blank(r)), None)
    if first is None or records[first].error:
        return CsvTable([], pd.DataFrame({"line": []}), {}, [], 0, 0, delimiter)
    header = records[first].fields
    _check_width(path, header, delimiter)
    width = len(header)
    body = [r for r in records[first + 1:] if not _is_blank(r)]
    blank = len(records) - first - 1 - len(body)
    good, bad = [], []
    for rec in body:
        if rec.error:
            bad.append((rec.line, rec.raw, rec.error))
        elif len(rec.fields) != width:
            bad.append((rec.line, rec.raw,
                        _width_error(width, len(rec.fields), cut and rec is records[-1])))
        else:
            good.append(rec)
    columns = list(zip(*(r.fields for r in good), strict=True)) if good else [()] * width
    frame = _frame(header, [pa.array(list(col), type=pa.string()) for col in columns],
                   np.array([r.line for r in good], dtype=np.int64))
    raw = {r.line: r.raw for r in body}
    return CsvTable(header, frame, raw, bad, len(body), blank, delimiter)
