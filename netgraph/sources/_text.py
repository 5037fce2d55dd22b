"""Reading input files safely: decoding, binary and empty checks, CSV records with line numbers.

Every parser in :mod:`netgraph.sources` starts here, so that a file that cannot be read at all
fails once, with one clear message, before anything is written.
"""

from __future__ import annotations

import csv
import hashlib
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

csv.field_size_limit(16 * 1024 * 1024)


_EOL = re.compile(r"\r\n|\r|\n")
_LINES = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
# C0 control bytes that do not occur in text files (tab, line breaks, form feed and escape do)
_CONTROL = bytes(c for c in range(32) if c not in (9, 10, 11, 12, 13, 27))


@dataclass(frozen=True)
class TextFile:
    """A decoded input file.

    ``bad_lines`` maps a line number (1-based; ``\r\n``, ``\r`` and ``\n`` each end a line) to
    what is wrong with it: bytes that are not UTF-8 in an otherwise UTF-8 file, or NUL bytes.
    Such bytes are replaced by U+FFFD in ``text``; a record on those lines is not to be trusted
    (:meth:`damage` says why).
    """

    path: Path
    text: str
    sha256: str
    encoding: str
    bad_lines: dict[int, str] = field(default_factory=dict)

    def damage(self, line: int, raw: str) -> str | None:
        """Why the record starting on ``line`` with raw text ``raw`` is damaged, or None."""
        if not self.bad_lines:
            return None
        for i in range(line, line + len(_EOL.split(raw))):
            if i in self.bad_lines:
                where = "" if i == line else f" on line {i}"
                return f"damaged text{where}: {self.bad_lines[i]}"
        return None


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
    if _looks_binary(data[:8192]):
        msg = f"{p}: looks like a binary file, not text; export it as CSV (UTF-8) first"
        raise InputFileError(msg)
    sha = hashlib.sha256(data).hexdigest()
    bad: dict[int, str] = {}
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        text, encoding, bad = _decode_damaged(p, data, exc)
    if "\x00" in text:
        for n, line in enumerate(_EOL.split(text), 1):
            if "\x00" in line and n not in bad:
                bad[n] = "a NUL byte (binary data in a text file)"
        text = text.replace("\x00", "\ufffd")
    return TextFile(p, text, sha, encoding, dict(sorted(bad.items())))


def _looks_binary(head: bytes) -> bool:
    """True for files that are not text: images, spreadsheets, archives, UTF-16 text.

    They have NUL and other control bytes throughout; a text file with a few damaged bytes
    does not, and is read, with the damaged records rejected.
    """
    if b"\x00" not in head:
        return False
    controls = len(head) - len(head.translate(None, _CONTROL))
    return controls * 20 > len(head)


def _decode_damaged(p: Path, data: bytes, error: UnicodeDecodeError) -> tuple[str, str, dict[int, str]]:
    """Decode a file that is not valid UTF-8 throughout: (text, encoding, bad lines).

    A file with valid multi-byte UTF-8 somewhere is UTF-8 with damaged lines: those lines are
    decoded with U+FFFD for the bad bytes and reported, the others are read as they are (not
    re-read as Windows-1252, which would garble every accented name). A file without any is
    read as Windows-1252 if it can be; else, if only a few lines are bad, as damaged ASCII.
    """
    decoded: list[str] = []
    bad: dict[int, str] = {}
    utf8_seen = data.startswith(b"\xef\xbb\xbf")
    for n, m in enumerate(_LINES.finditer(data), 1):
        chunk = m.group()
        try:
            line = chunk.decode("utf-8")
            utf8_seen = utf8_seen or not chunk.isascii()
        except UnicodeDecodeError as exc:
            line = chunk.decode("utf-8", "replace")
            bad[n] = f"byte 0x{chunk[exc.start]:02x} is not valid UTF-8"
        decoded.append(line)
    text = "".join(decoded).removeprefix("\ufeff")
    if utf8_seen:
        return text, "utf-8", bad
    try:
        return data.decode("cp1252"), "cp1252", {}
    except UnicodeDecodeError:
        pass
    if len(bad) * 10 <= len(decoded):
        return text, "utf-8", bad
    line = data[: error.start].count(b"\n") + 1
    msg = (
        f"{p}: line {line} is not valid UTF-8 (byte 0x{data[error.start]:02x}) and the file "
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


def csv_records(text: str, *, delimiter: str = ",") -> list[Record]:
    """Split CSV text into records, keeping each record's starting line and raw text.

    Quoted fields may span lines; the raw text then spans them too. Blank lines are skipped.
    A record whose raw text has an odd number of double quotes is malformed: a quote opened
    and never closed swallows the lines after it, so the record is flagged, not trusted. When
    such a record spans lines (a stray quote, or a file cut inside a quoted field), only its
    first line is flagged and reading goes on from the next line, so one stray quote cannot
    take the rows after it with it.
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
        if error or (fields and (len(fields) > 1 or fields[0].strip())):
            out.append(Record(prev + 1, raw, fields, error))
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
    cut = not text.endswith(("\n", "\r"))  # the last row may be cut short
    if simple:
        table = _read_simple(lines, cut)
        if table is not None:
            return table
    return _read_records(text, cut)


def _read_simple(lines: list[str], cut: bool = False) -> CsvTable | None:
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
    bad = [(body[p] + 1, lines[body[p]], _width_error(width, found, cut and body[p] == len(lines) - 1))
           for p, (_, _, found) in zip(bad_pos, invalid, strict=True)]
    return CsvTable(header, frame, lines, bad, len(body))


def _read_records(text: str, cut: bool = False) -> CsvTable:
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
            bad.append((rec.line, rec.raw,
                        _width_error(width, len(rec.fields), cut and rec is records[-1])))
        else:
            good.append(rec)
    columns = list(zip(*(r.fields for r in good), strict=True)) if good else [()] * width
    frame = pd.DataFrame({h: _clean(pa.array(list(col), type=pa.string()))
                          for h, col in zip(header, columns, strict=True)})
    frame.insert(0, "line", np.array([r.line for r in good], dtype=np.int64))
    raw = {r.line: r.raw for r in records[1:]}
    return CsvTable(header, frame, raw, bad, len(records) - 1)
