"""Reading input files safely: decoding, binary and empty checks, CSV records with line numbers.

Every parser in :mod:`netgraph.sources` starts here, so that a file that cannot be read at all
fails once, with one clear message, before anything is written.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from netgraph._errors import InputFileError

csv.field_size_limit(16 * 1024 * 1024)


@dataclass(frozen=True)
class TextFile:
    """A decoded input file."""

    path: Path
    text: str
    sha256: str
    encoding: str


def check_file(path: str | Path, *, head_bytes: int = 8192) -> bytes:
    """The first bytes of ``path``; raise :class:`InputFileError` if it is missing, a folder,
    unreadable or empty. Parsers that stream a large file call this instead of reading it whole."""
    p = Path(path)
    if not p.exists():
        msg = f"{p}: no such file"
        raise InputFileError(msg)
    if p.is_dir():
        msg = f"{p}: is a folder; give the files inside it"
        raise InputFileError(msg)
    try:
        with p.open("rb") as fh:
            head = fh.read(head_bytes)
    except OSError as exc:
        msg = f"{p}: cannot be read ({exc.strerror})"
        raise InputFileError(msg) from None
    if not head.strip():
        msg = f"{p}: the file is empty"
        raise InputFileError(msg)
    return head


def read_text(path: str | Path) -> TextFile:
    """Read and decode ``path``; raise :class:`InputFileError` if it cannot be read as text.

    UTF-8 (with or without a byte-order mark) is expected. A file that is not UTF-8 but decodes
    as Windows-1252 is accepted, and the encoding is reported so the caller can say so.
    """
    p = Path(path)
    check_file(p)
    try:
        data = p.read_bytes()
    except OSError as exc:
        msg = f"{p}: cannot be read ({exc.strerror})"
        raise InputFileError(msg) from None
    if not data.strip():  # an all-blank file longer than the checked head
        msg = f"{p}: the file is empty"
        raise InputFileError(msg)
    if b"\x00" in data[:8192]:
        msg = f"{p}: looks like a binary file, not text; export it as CSV (UTF-8) first"
        raise InputFileError(msg)
    sha = hashlib.sha256(data).hexdigest()
    try:
        return TextFile(p, data.decode("utf-8-sig"), sha, "utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        return TextFile(p, data.decode("cp1252"), sha, "cp1252")
    except UnicodeDecodeError:
        line = data[: utf8_error.start].count(b"\n") + 1
        msg = (
            f"{p}: line {line} is not valid UTF-8 (byte 0x{data[utf8_error.start]:02x}) and the file "
            "is not Windows-1252 either; re-save it as UTF-8"
        )
        raise InputFileError(msg) from None


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


def csv_records(text: str, *, delimiter: str = ",") -> list[Record]:
    """Split CSV text into records, keeping each record's starting line and raw text.

    Quoted fields may span lines; the raw text then spans them too. Blank lines are skipped.
    A record whose raw text has an odd number of double quotes is malformed: a quote opened
    and never closed swallows the lines after it, so the record is flagged, not trusted.
    """
    lines = list(io.StringIO(text, newline=""))
    reader = csv.reader(iter(lines), delimiter=delimiter, strict=False)
    out: list[Record] = []
    prev = 0
    while True:
        try:
            fields = next(reader)
            error = None
        except StopIteration:
            break
        except csv.Error as exc:
            fields, error = [], f"unreadable CSV record ({exc})"
        end = reader.line_num
        raw = (lines[prev] if end == prev + 1 else "".join(lines[prev:end])).rstrip("\r\n")
        if error is None and raw.count('"') % 2:
            span = f"lines {prev + 1}-{end}" if end > prev + 1 else f"line {prev + 1}"
            error = f"unbalanced double quote: a quoted field opened on {span} is never closed"
        if error or (fields and (len(fields) > 1 or fields[0].strip())):
            out.append(Record(prev + 1, raw, fields, error))
        prev = end
    return out


def normalise_header(fields: list[str]) -> list[str]:
    """Header cells as lookup keys: trimmed, lower-case, spaces and dashes as underscores."""
    return [f.strip().lstrip("\ufeff").lower().replace(" ", "_").replace("-", "_") for f in fields]


@dataclass
class CsvTable:
    """A CSV file as columns: well-formed rows in ``frame``, the rest in ``bad``.

    ``frame`` has one string column per header cell (trimmed; empty cells are missing) and a
    ``line`` column with each record's first physical line. ``raw`` maps a line number to the
    record's raw text. ``bad`` holds (line, raw, reason) for malformed records.
    """

    header: list[str]
    frame: pd.DataFrame
    raw: dict[int, str] | list[str]
    bad: list[tuple[int, str, str]] = field(default_factory=list)
    rows_in: int = 0

    def raws(self, lines: pd.Series) -> list[str]:
        raw = self.raw
        return [raw[i - 1] for i in lines] if isinstance(raw, list) else [raw[i] for i in lines]


def _width_error(width: int, found: int) -> str:
    return f"wrong column count: expected {width} fields, found {found}"


def _clean(column: pa.Array) -> pd.Series:
    """Trim whitespace and turn empty cells into missing values."""
    trimmed = pc.utf8_trim_whitespace(column)
    cleaned = pc.if_else(pc.equal(trimmed, ""), None, trimmed)
    return pd.Series(cleaned.to_pandas(), dtype="str")


def read_csv_table(tf: TextFile) -> CsvTable:
    """Parse a decoded CSV file into columns, keeping line numbers and raw text.

    Files whose records each sit on one line (the usual case) are parsed by pyarrow's C++
    reader; files with quoted fields spanning lines, or unbalanced quotes, by Python's csv
    module, record by record.
    """
    text = tf.text
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [ln[:-1] if ln.endswith("\r") else ln for ln in lines]
    simple = "\r" not in text.replace("\r\n", "") and not any(ln.count('"') % 2 for ln in lines)
    if simple:
        table = _read_simple(lines)
        if table is not None:
            return table
    return _read_records(text)


def _read_simple(lines: list[str]) -> CsvTable | None:
    filled = [i for i, ln in enumerate(lines) if ln.strip()]
    if not filled:
        return None
    head = filled[0]
    header = next(csv.reader([lines[head]]))
    width = len(header)
    body = filled[1:]
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
            parse_options=pacsv.ParseOptions(invalid_row_handler=on_invalid,
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
    frame = pd.DataFrame({h: _clean(table.column(n)) for n, h in zip(names, header, strict=True)})
    frame.insert(0, "line", good_lines)
    bad = [(body[p] + 1, lines[body[p]], _width_error(width, found))
           for p, (_, _, found) in zip(bad_pos, invalid, strict=True)]
    return CsvTable(header, frame, lines, bad, len(body))


def _read_records(text: str) -> CsvTable:
    records = csv_records(text)
    if not records or records[0].error:
        return CsvTable([], pd.DataFrame({"line": []}), {}, [], 0)
    header = records[0].fields
    width = len(header)
    good, bad = [], []
    for rec in records[1:]:
        if rec.error:
            bad.append((rec.line, rec.raw, rec.error))
        elif len(rec.fields) != width:
            bad.append((rec.line, rec.raw, _width_error(width, len(rec.fields))))
        else:
            good.append(rec)
    columns = list(zip(*(r.fields for r in good), strict=True)) if good else [()] * width
    frame = pd.DataFrame({h: _clean(pa.array(list(col), type=pa.string()))
                          for h, col in zip(header, columns, strict=True)})
    frame.insert(0, "line", np.array([r.line for r in good], dtype=np.int64))
    raw = {r.line: r.raw for r in records[1:]}
    return CsvTable(header, frame, raw, bad, len(records) - 1)
