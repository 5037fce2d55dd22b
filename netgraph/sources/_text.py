"""Reading input files safely: decoding, binary and empty checks, CSV records with line numbers.

Every parser in :mod:`netgraph.sources` starts here, so that a file that cannot be read at all
fails once, with one clear message, before anything is written.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from netgraph._errors import InputFileError

csv.field_size_limit(16 * 1024 * 1024)


@dataclass(frozen=True)
class TextFile:
    """A decoded input file."""

    path: Path
    text: str
    sha256: str
    encoding: str


def read_text(path: str | Path) -> TextFile:
    """Read and decode ``path``; raise :class:`InputFileError` if it cannot be read as text.

    UTF-8 (with or without a byte-order mark) is expected. A file that is not UTF-8 but decodes
    as Windows-1252 is accepted, and the encoding is reported so the caller can say so.
    """
    p = Path(path)
    if not p.exists():
        msg = f"{p}: no such file"
        raise InputFileError(msg)
    if p.is_dir():
        msg = f"{p}: is a folder; give the files inside it"
        raise InputFileError(msg)
    try:
        data = p.read_bytes()
    except OSError as exc:
        msg = f"{p}: cannot be read ({exc.strerror})"
        raise InputFileError(msg) from None
    if not data.strip():
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
