"""Reading input files safely: decoding, binary and empty checks, CSV records with line numbers.

Every parser in :mod:`netgraph.sources` starts here, so that a file that cannot be read at all
fails once, with one clear message, before anything is written.

Limits, so that no input can make an import hang or run out of memory:

- A file larger than :data:`MAX_FILE_BYTES` (2 GiB) is refused; ``netgraph import --max-size``
  (:func:`reading_limit`) raises or lowers the limit.
- Anything that is not a regular file (a character device such as ``/dev/zero``, a FIFO, a
  socket) is refused, unless ``--max-size`` is given: then it is read up to that many bytes, and
  refused if it holds more. A mailbox is streamed from a saved file, so it must be a regular file.
- A CSV header wider than :data:`MAX_COLUMNS` cells is refused; every row must have as many
  fields as the header (else that row is rejected).
- A CSV field longer than :data:`MAX_FIELD_CHARS` (16 MB) rejects its record; the rest loads.

Text is UTF-8 (with or without a byte-order mark), else Windows-1252. UTF-16 and UTF-32 with a
byte-order mark (Excel's "Unicode text", some Outlook exports) are read too, and so is UTF-16
without one when the file plainly is (every other byte NUL); such files are often tab-separated,
which :func:`read_csv_table` tells from the header line.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from netgraph._errors import InputFileError

#: The largest input file read without ``--max-size``, in bytes.
MAX_FILE_BYTES = 2 * 1024**3
#: The widest CSV header read, in cells.
MAX_COLUMNS = 1_000
#: The longest CSV field read, in characters; a longer field rejects its record.
MAX_FIELD_CHARS = 16 * 1024 * 1024

csv.field_size_limit(MAX_FIELD_CHARS)


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


@dataclass
class _Limit:
    max_bytes: int | None  # None: MAX_FILE_BYTES, and no files that are not regular files
    spooled: dict[Path, bytes] = field(default_factory=dict)  # non-regular files, read once


_LIMIT: ContextVar[_Limit | None] = ContextVar("netgraph_reading_limit", default=None)


@contextmanager
def reading_limit(max_bytes: int | None) -> Iterator[None]:
    """Read input files inside this block with ``max_bytes`` as the size limit.

    ``None`` keeps :data:`MAX_FILE_BYTES` and refuses files that are not regular files. A
    number also lets a device, FIFO or socket be read, up to that many bytes; it is read once
    and kept for the block, so telling its format and parsing it see the same bytes.
    """
    token = _LIMIT.set(_Limit(max_bytes))
    try:
        yield
    finally:
        _LIMIT.reset(token)


def _limit() -> _Limit:
    return _LIMIT.get() or _Limit(None)


_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3, "t": 1024**4}
_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?", re.IGNORECASE)


def parse_size(text: str) -> int:
    """A size in bytes from ``500M``, ``5G``, ``1.5G``, ``64k`` or plain bytes (K, M, G are
    powers of 1024); raise :class:`ValueError` for anything else.

    >>> parse_size("5G"), parse_size("500M"), parse_size("1024")
    (5368709120, 524288000, 1024)
    """
    m = _SIZE.fullmatch(text.strip())
    if not m:
        msg = f"not a size: {text!r} (use e.g. 500M, 5G, or a number of bytes)"
        raise ValueError(msg)
    size = int(float(m.group(1)) * _UNITS[m.group(2).lower()])
    if size < 1:
        msg = f"the size must be at least 1 byte, got {text!r}"
        raise ValueError(msg)
    return size


def format_size(n: int) -> str:
    """``n`` bytes in the units ``--max-size`` takes: ``2G``, ``20.5M``, ``300K``, ``12 bytes``."""
    for unit in ("T", "G", "M", "K"):
        scale = _UNITS[unit.lower()]
        if n >= scale:
            value = n / scale
            return f"{value:.0f}{unit}" if value == int(value) else f"{value:.1f}{unit}"
    return f"{n} bytes"


def _bigger(n: int) -> str:
    """A ``--max-size`` that holds ``n`` bytes: whole G from 1G up, else whole M."""
    scale, unit = (_UNITS["g"], "G") if n >= _UNITS["g"] else (_UNITS["m"], "M")
    return f"{-(-n // scale)}{unit}"


def _special(mode: int) -> str | None:
    """What a file that is not a regular file is, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    for test, what in ((stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISFIFO, "a pipe (FIFO)"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return what
    return "not a regular file"


def _stat(p: Path) -> os.stat_result:
    """The status of input file ``p``; raise :class:`InputFileError` if it is missing or a folder."""
    try:
        st = p.stat()
    except FileNotFoundError:
        msg = f"{p}: no such file"
        raise InputFileError(msg) from None
    except OSError as exc:
        msg = f"{p}: cannot be read ({exc.strerror})"
        raise InputFileError(msg) from None
    if stat.S_ISDIR(st.st_mode):
        msg = f"{p}: is a folder; give the files inside it"
        raise InputFileError(msg)
    return st


def _too_big(p: Path, size: int, limit: int, *, endless: bool = False) -> InputFileError:
    if endless:  # a device or FIFO (or a file still growing) that gave more than the limit
        msg = (f"{p}: gives more than the {format_size(limit)} that --max-size allows, and may "
               "never end; save the part you need to a file first, or pass a larger --max-size")
    else:
        msg = (f"{p}: the file is {format_size(size)}, over the {format_size(limit)} limit for "
               f"one input file; pass --max-size {_bigger(size)} to read it anyway")
    return InputFileError(msg)


def _read_upto(p: Path, limit: int, first: int) -> bytes:
    """At most ``limit`` bytes of ``p``, read in chunks; raise if it holds more."""
    chunks: list[bytes] = []
    total = 0
    try:
        with p.open("rb") as fh:
            want = min(first, limit) + 1
            while True:
                chunk = fh.read(want)
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
                if total > limit:
                    raise _too_big(p, total, limit, endless=True)
                want = min(16 * 1024 * 1024, limit + 1 - total)
    except OSError as exc:
        msg = f"{p}: cannot be read ({exc.strerror})"
        raise InputFileError(msg) from None
    return b"".join(chunks)


def _read_all(p: Path) -> bytes:
    """The bytes of input file ``p``, within the reading limit (see :func:`reading_limit`)."""
    lim = _limit()
    limit = MAX_FILE_BYTES if lim.max_bytes is None else lim.max_bytes
    st = _stat(p)
    special = _special(st.st_mode)
    if special is None:
        if st.st_size > limit:
            raise _too_big(p, st.st_size, limit)
        return _read_upto(p, limit, st.st_size)
    if lim.max_bytes is None:
        msg = (f"{p}: is {special}, not a regular file, and could give data without end; "
               "save it to a file first, or pass --max-size (e.g. --max-size 500M) to read up to "
               "that much from it")
        raise InputFileError(msg)
    if p not in lim.spooled:
        lim.spooled[p] = _read_upto(p, limit, 1024 * 1024)
    return lim.spooled[p]


def read_head(path: str | Path, size: int) -> bytes:
    """The first ``size`` bytes of ``path``, for telling its format; raise
    :class:`InputFileError` if it cannot or may not be read (see :func:`reading_limit`)."""
    p = Path(path)
    st = _stat(p)
    if _special(st.st_mode) is not None:
        return _read_all(p)[:size]
    try:
        with p.open("rb") as fh:
            return fh.read(size)
    except OSError as exc:
        msg = f"{p}: cannot be read ({exc.strerror})"
        raise InputFileError(msg) from None


def check_file(path: str | Path, *, head_bytes: int = 8192) -> bytes:
    """The first bytes of ``path``; raise :class:`InputFileError` if it is missing, a folder,
    unreadable, empty, larger than the reading limit, or not a regular file. Parsers that stream
    a large file call this instead of reading it whole; a stream is read from a saved file
    only, so even ``--max-size`` does not let it read a device or a FIFO."""
    p = Path(path)
    st = _stat(p)
    special = _special(st.st_mode)
    if special is not None:
        msg = (f"{p}: is {special}, not a regular file; this format is read as it streams, "
               "so save it to a file first and import that")
        raise InputFileError(msg)
    lim = _limit()
    limit = MAX_FILE_BYTES if lim.max_bytes is None else lim.max_bytes
    if st.st_size > limit:
        raise _too_big(p, st.st_size, limit)
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
    as Windows-1252 is accepted, and the encoding is reported so the caller can say so. UTF-16
    and UTF-32 are read by their byte-order mark (UTF-16 also without one, when every other
    byte is NUL). The size limits of :func:`reading_limit` apply.
    """
    p = Path(path)
    data = _read_all(p)
    if not data.strip():
        msg = f"{p}: the file is empty"
        raise InputFileError(msg)
    sha = hashlib.sha256(data).hexdigest()
    bad: dict[int, str] = {}
    wide = _wide_encoding(data)
    if wide is not None:
        text, bad = _decode_wide(data, wide)
        encoding = wide.removesuffix("-le").removesuffix("-be")
        if not text.strip():
            msg = f"{p}: the file is empty"
            raise InputFileError(msg)
    elif _looks_binary(data[:8192]):
        msg = f"{p}: looks like a binary file, not text; export it as CSV (UTF-8) first"
        raise InputFileError(msg)
    else:
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


# byte-order marks; UTF-32 first, since the UTF-32 LE mark starts with the UTF-16 LE one
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _wide_encoding(data: bytes) -> str | None:
    """``utf-32`` or ``utf-16`` (by byte-order mark), ``utf-16-le``/``-be`` (text with every
    other byte NUL and no mark), or None."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    head = data[:8192]
    n = len(head) // 2 * 2
    if n < 4 or b"\x00" not in head:
        return None
    even, odd = head[0:n:2], head[1:n:2]
    for name, low, high in (("utf-16-le", even, odd), ("utf-16-be", odd, even)):
        if (high.count(0) * 10 >= len(high) * 9 and b"\x00" not in low
                and len(low.translate(None, _CONTROL)) == len(low)):
            return name
    return None


def _decode_wide(data: bytes, encoding: str) -> tuple[str, dict[int, str]]:
    """Decode UTF-16 or UTF-32 text: (text, bad lines); undecodable units become U+FFFD."""
    try:
        return data.decode(encoding).removeprefix("\ufeff"), {}
    except UnicodeDecodeError:
        text = data.decode(encoding, "replace").removeprefix("\ufeff")
    name = encoding.removesuffix("-le").removesuffix("-be").upper()
    bad = {n: f"bytes that are not valid {name}" for n, line in enumerate(_EOL.split(text), 1)
           if "\ufffd" in line}
    return text, bad


def decode_head(head: bytes) -> str:
    """The first bytes of a file as text, for telling its format: decoded by its byte-order
    mark (UTF-32, UTF-16, UTF-8), else as UTF-8; bytes cut short or not text become U+FFFD."""
    wide = _wide_encoding(head)
    if wide is not None:
        n = len(head) // 4 * 4
        return head[:n].decode(wide, "replace").removeprefix("\ufeff")
    return head.decode("utf-8-sig", "replace")


def _looks_binary(head: bytes) -> bool:
    """True for files that are not text: images, spreadsheets, archives.

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
    """Tab when the first non-blank line has tabs and no commas (Excel's "Unicode text"), else
    comma."""
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
