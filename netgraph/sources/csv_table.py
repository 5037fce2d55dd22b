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

A well-formed file (every record on one line, quotes balanced on each line) is read by pyarrow's
C++ reader, once numpy has checked its UTF-8 bytes; its lines stay as those bytes and their
offsets (:class:`LineTexts`), decoded only for the rows that are rejected. Anything unusual goes
record by record through Python's csv module, which gives every malformed record its own line
and reason.
"""

from __future__ import annotations

import csv
import functools
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
    raw: dict[int, str] | list[str] | LineTexts
    bad: list[tuple[int, str, str]] = field(default_factory=list)
    rows_in: int = 0
    blank: int = 0
    delimiter: str = ","

    def raws(self, lines: pd.Series | list[int]) -> list[str]:
        """The raw text of the records starting on ``lines``."""
        raw = self.raw
        return [raw[i - 1] for i in lines] if isinstance(raw, list) else [raw[i] for i in lines]


class LineTexts:
    """The lines of a text, kept as UTF-8 bytes and offsets: ``texts[n]`` is line ``n`` (1-based).

    A million lines held as one bytes object and two offset arrays take a fraction of the memory
    and time of a million strings; only the lines asked for (rejected rows) are decoded.
    """

    def __init__(self, data: bytes, starts: np.ndarray, ends: np.ndarray) -> None:
        self.data = data
        self.starts = starts
        self.ends = ends

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, line: int) -> str:
        """The text of line ``line`` (1-based), without its line break."""
        if not 1 <= line <= len(self.starts):
            raise KeyError(line)
        return self.text(line - 1)

    def text(self, i: int) -> str:
        """The text of the line at 0-based position ``i``."""
        return self.data[self.starts[i]:self.ends[i]].decode("utf-8")


def _width_error(width: int, found: int, cut: bool = False) -> str:
    reason = f"wrong column count: expected {width} fields, found {found}"
    if cut and found < width:
        reason += " (the file ends inside this row: it looks truncated)"
    return reason


#: Bytes that whitespace trimming never removes: printable ASCII other than the space.
_KEPT_AT_EDGE = np.zeros(256, dtype=bool)
_KEPT_AT_EDGE[0x21:0x7F] = True


def _clean(column: pa.Array | pa.ChunkedArray) -> pd.Series:
    """Trim whitespace and turn empty cells into missing values.

    Each step runs only when some cell needs it: most columns have no cell to trim.
    """
    if may_need_trim(column):
        column = pc.utf8_trim_whitespace(column)
    empty = pc.equal(column, "")
    if pc.any(empty).as_py():
        column = pc.if_else(empty, None, column)
    return pd.Series(column.to_pandas(), dtype="str")


def may_need_trim(column: pa.Array | pa.ChunkedArray) -> bool:
    """False when every cell starts and ends with printable ASCII (no space), so trimming keeps it.

    Read from each chunk's offsets and bytes, without copying a string.
    """
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    for chunk in chunks:
        if not len(chunk):
            continue
        if chunk.null_count or not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
            return True
        _, offsets_buf, data_buf = chunk.buffers()
        width = np.int32 if pa.types.is_string(chunk.type) else np.int64
        offsets = np.frombuffer(offsets_buf, dtype=width)[chunk.offset:chunk.offset + len(chunk) + 1]
        if data_buf is None or offsets[-1] == offsets[0]:
            continue  # only empty cells
        data = np.frombuffer(data_buf, dtype=np.uint8)
        filled = offsets[1:] > offsets[:-1]
        if not (_KEPT_AT_EDGE[data[offsets[:-1][filled]]].all()
                and _KEPT_AT_EDGE[data[offsets[1:][filled] - 1]].all()):
            return True
    return False


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
    reader, once numpy has found the lines and checked their quotes on the text's bytes
    (:func:`_single_line_records`) and told the blank rows apart (:func:`_filled_lines`); files
    with quoted fields spanning lines, unbalanced quotes, stray carriage returns, or rows pyarrow
    cannot line up with their lines, by Python's csv module, record by record, which gives every
    malformed record its own line and reason. The delimiter is a comma, or a tab when the header
    line has tabs and no commas. A header wider than :data:`MAX_COLUMNS` raises
    :class:`InputFileError`.

    Parameters
    ----------
    tf
        The decoded file.

    Returns
    -------
    CsvTable
        The well-formed rows as columns, the malformed ones with their line and reason.
    """
    text = tf.text
    delimiter = _sniff_delimiter(text)
    cut = not text.endswith(("\n", "\r"))  # the last row may be cut short
    lines = _single_line_records(text)
    if lines is not None:
        table = _read_simple(tf.path, lines, delimiter, cut)
        if table is not None:
            return table
    return _read_records(tf.path, text, delimiter, cut)


#: Bytes scanned at a time for line breaks and quotes: small enough to stay in cache.
_SCAN_BLOCK = 1 << 22


def _scan(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    r"""The position of every ``\n`` in ``data``, and how many double quotes come before each.

    Read block by block, so no array as long as the text is ever made.
    """
    buf = np.frombuffer(data, dtype=np.uint8)
    breaks, quotes_before = [], []
    quotes = 0
    for start in range(0, len(buf), _SCAN_BLOCK):
        block = buf[start:start + _SCAN_BLOCK]
        nl = np.flatnonzero(block == ord("\n"))
        quote_at = np.flatnonzero(block == ord('"'))
        breaks.append(nl + start)
        quotes_before.append(np.searchsorted(quote_at, nl) + quotes)
        quotes += len(quote_at)
    breaks.append(np.zeros(0, dtype=np.int64))
    quotes_before.append(np.array([quotes]))  # the end of the text closes the last line
    return np.concatenate(breaks).astype(np.int64), np.concatenate(quotes_before).astype(np.int64)


def _line_bounds(data: bytes, breaks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""Where each line of ``data`` starts and ends (before its ``\n``), as ``str.split`` cuts it.

    ``breaks`` are the positions of the ``\n``; a final empty line (after a closing ``\n``) is
    left out.
    """
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(data)]))
    if data.endswith(b"\n"):
        starts, ends = starts[:-1], ends[:-1]
    return starts.astype(np.int64), ends.astype(np.int64)


def _single_line_records(text: str) -> LineTexts | None:
    r"""The lines of ``text`` when each record can only sit on one line, else None.

    That holds when there is no carriage return but in ``\r\n`` line ends (which are read as
    ``\n``), and every line has an even number of double quotes, so no quoted field runs on to
    the next line. Checked with numpy over the UTF-8 bytes: a line break or quote byte is never
    part of a longer UTF-8 sequence, so the bytes split exactly where the text does.
    """
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: the record-by-record reader copes
        return None
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n")
        if b"\r" in data:
            return None
    if not data:
        return None
    breaks, quotes_before = _scan(data)
    if np.any(np.diff(quotes_before, prepend=0) % 2):  # a line with an odd number of quotes
        return None
    starts, ends = _line_bounds(data, breaks)
    return LineTexts(data, starts, ends)


#: How many bytes into a line :func:`_filled_lines` looks for one that no blank row has.
_LOOKAHEAD = 8


@functools.cache
def _telling_bytes(delimiter: str) -> np.ndarray:
    """Per byte value, whether it tells a row from a blank row.

    True for an ASCII character that no blank row holds (not a space, quote or delimiter).
    Bytes of other characters are not telling: a line of only those is checked as text.
    """
    table = np.zeros(256, dtype=bool)
    for b in range(128):
        ch = chr(b)
        table[b] = not (ch.isspace() or ch in ('"', delimiter))
    return table


def _filled_lines(lines: LineTexts, delimiter: str) -> np.ndarray:
    """The 0-based positions of the lines that are rows: not empty, and not blank rows.

    A line with a telling byte (see :func:`_telling_bytes`) among its first few is a row; the few
    lines left (such as ``,,,`` or ``"",""``) are decided one by one by :func:`_blank`.
    """
    buf = np.frombuffer(lines.data, dtype=np.uint8)
    idx = np.flatnonzero(lines.ends > lines.starts)
    pos, stop = lines.starts[idx], lines.ends[idx]
    telling = _telling_bytes(delimiter)
    known = np.zeros(len(idx), dtype=bool)
    for offset in range(_LOOKAHEAD):
        live = np.flatnonzero(~known & (pos + offset < stop))
        if not len(live):
            break
        known[live] = telling[buf[pos[live] + offset]]
    plain = re.compile(r'[^\s"' + re.escape(delimiter) + "]")  # a first character no blank row has
    for k in np.flatnonzero(~known):
        line = lines.text(int(idx[k]))
        known[k] = bool(plain.match(line)) or not _blank(line, delimiter)
    return idx[known]


def _joined(lines: LineTexts, positions: np.ndarray) -> bytes | memoryview:
    r"""The lines at ``positions`` (increasing), joined by ``\n``; no copy when they follow on."""
    cuts = np.flatnonzero(np.diff(positions) != 1)
    firsts = positions[np.concatenate(([0], cuts + 1))]
    lasts = positions[np.concatenate((cuts, [len(positions) - 1]))]
    view = memoryview(lines.data)
    runs = [view[lines.starts[a]:lines.ends[b]] for a, b in zip(firsts, lasts, strict=True)]
    return runs[0] if len(runs) == 1 else b"\n".join(runs)


def _read_simple(path: Path, lines: LineTexts, delimiter: str, cut: bool = False) -> CsvTable | None:
    """Read single-line records with pyarrow; None when its rows cannot be lined up with the lines."""
    filled = _filled_lines(lines, delimiter)
    if not len(filled):
        return None
    head = int(filled[0])
    header = next(csv.reader([lines.text(head)], delimiter=delimiter))
    _check_width(path, header, delimiter)
    width = len(header)
    body = filled[1:]
    blank = int(np.count_nonzero(lines.ends[head + 1:] > lines.starts[head + 1:])) - len(body)
    names = [f"c{i}" for i in range(width)]
    invalid: list[tuple[int | None, str, int]] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        invalid.append((row.number, row.text, row.actual_columns))
        return "skip"

    data = _joined(lines, filled)
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(data)),
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
        not 0 <= p < len(body) or lines.text(int(body[p])) != row_text
        for p, (_, row_text, _) in zip(bad_pos, invalid, strict=True)
    ):
        return None  # cannot line the rows up with certainty: use the record-by-record reader
    keep = np.ones(len(body), dtype=bool)
    keep[bad_pos] = False
    good_lines = body[keep].astype(np.int64) + 1
    frame = _frame(header, [table.column(n) for n in names], good_lines)
    last = len(lines) - 1
    bad = [(int(body[p]) + 1, lines.text(int(body[p])),
            _width_error(width, found, cut and int(body[p]) == last))
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
