r"""Reading a large CSV file in pieces, so that an import holds one piece in memory, not the file.

A file of millions of rows (a team's pooled mail, a CRM export) parsed whole would hold its bytes,
its text and its columns at once: about ten times its size. :func:`survey` reads the file once,
in blocks, for its SHA-256 and to tell whether it can be cut into pieces without changing what
any row says; :func:`pieces` then reads it again, a piece of about :data:`PIECE_BYTES` at a time.
Each piece is parsed like a small file of its own, with the header line in front and its line
numbers shifted back to the file's (:func:`netgraph.sources.generic_csv.parse`).

A file is read in pieces when it is a regular file of at least :data:`STREAM_ABOVE` bytes and:

- it is UTF-8 (a byte-order mark is allowed) throughout, with no NUL byte;
- every carriage return is part of a ``\r\n`` line end;
- its first line is the header, with an even number of double quotes.

Any other file (Windows-1252, UTF-16, damaged bytes) is read whole, as before: those need the
whole text to tell the encoding and to name every damaged line.

Pieces are cut only at a line end after which an even number of double quotes have been seen, so
a quoted field that runs over several lines is never split (quotes are balanced at a record's end;
a doubled quote inside a field counts two). A file with an unbalanced quote has no such cut after
it, and its remaining rows arrive as one piece, read record by record as a small file would be.
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from netgraph._errors import InputFileError
from netgraph.sources.csv_table import CsvTable

__all__ = ["MIN_PIECE_BYTES", "PIECES", "PIECE_BYTES", "STREAM_ABOVE", "Remapped", "Shifted", "Survey",
           "lines_at", "piece_size", "pieces", "survey"]

#: Files of at least this many bytes are read in pieces (when they can be).
STREAM_ABOVE = 64 * 1024**2
#: The most bytes of one piece (it ends at the next line end that allows a cut).
PIECE_BYTES = 64 * 1024**2
#: The fewest bytes of one piece: a file is cut into about :data:`PIECES` pieces of at least this.
MIN_PIECE_BYTES = 16 * 1024**2
#: Pieces a file is cut into, when they may be smaller than :data:`PIECE_BYTES`: the next piece
#: is read while one is written, so the first piece (read with nothing to overlap) should be
#: small; every piece also costs a commit and a look-up of the rows stored so far, so not too many.
#: Measured: 1M rows (98 MB) 9.6 -> 8.7 s in 16 MB pieces; 10M rows (980 MB) 80 s in 64 MB
#: pieces, 99 s in 16 MB ones.
PIECES = 8
#: The bytes read at a time by :func:`survey`.
_BLOCK = 16 * 1024**2
_BOM = codecs.BOM_UTF8
#: Printable ASCII and line ends: what :attr:`Survey.printable` allows.
_PRINTABLE = bytes(range(0x20, 0x7F)) + b"\n\r"


@dataclass(frozen=True)
class Survey:
    r"""What one pass over a file found: enough to read it in pieces.

    ``header`` is the header line's text (no byte-order mark, no line end), ``body_at`` the
    byte offset just after its line end. ``line_ends`` counts the file's ``\n`` bytes;
    ``printable`` tells a file of printable ASCII and line ends only (no tab, no control
    character, nothing beyond ASCII).
    """

    path: Path
    size: int
    sha256: str
    header: str
    body_at: int
    line_ends: int = 0
    printable: bool = False


def _header(path: Path, first: bytes) -> tuple[str, int] | None:
    """The header line's text and the offset after it, or None if it cannot head a piece."""
    end = first.find(b"\n")
    if end < 0:
        return None
    line = first[:end].removeprefix(_BOM).removesuffix(b"\r")
    if not line.strip() or line.count(b'"') % 2:
        return None  # blank lines before the header, or a header over several lines
    try:
        return line.decode("utf-8"), end + 1
    except UnicodeDecodeError:
        return None


def survey(path: str | Path) -> Survey | None:
    """Read ``path`` once: its SHA-256, and whether it can be read in pieces (None if not).

    The file is read in blocks of :data:`_BLOCK` bytes, so this holds one block at a time. Raises
    :class:`InputFileError` when the file cannot be read.
    """
    p = Path(path)
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    ok, size, header, last, ends, printable = True, 0, None, b"", 0, True
    try:
        with p.open("rb") as fh, ThreadPoolExecutor(1) as hasher:
            while block := fh.read(_BLOCK):
                hashed = hasher.submit(digest.update, block)  # beside the checks: it lets go of the GIL
                if header is None:
                    header = _header(p, block)
                    ok = header is not None
                size += len(block)
                if ok:
                    printable = printable and not block.translate(None, _PRINTABLE)
                    ok = _plain(block, last, decoder, printable)
                    ends += block.count(b"\n")
                last = block[-2:]
                hashed.result()
    except OSError as exc:
        msg = f"{p}: cannot be read ({exc.strerror})"
        raise InputFileError(msg) from None
    if not ok or header is None or last.endswith(b"\r"):
        return None
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    return Survey(p, size, digest.hexdigest(), header[0], header[1], ends, printable)


def _plain(block: bytes, before: bytes, decoder: codecs.IncrementalDecoder, printable: bool = False) -> bool:
    r"""Whether ``block`` keeps a file readable in pieces: UTF-8, no NUL, no lone ``\r``.

    ``before`` is the end of the previous block (a ``\r`` there must start this one's ``\n``);
    ``printable`` says the file so far, this block too, is printable ASCII and line ends.
    """
    if not printable and b"\x00" in block:
        return False
    if before.endswith(b"\r") and not block.startswith(b"\n"):
        return False
    crs = block.count(b"\r")
    if crs and crs != block.count(b"\r\n") + (block.endswith(b"\r")):
        return False
    if (printable or block.isascii()) and not decoder.getstate()[0]:
        return True  # ASCII is UTF-8: no text need be made to tell
    try:
        decoder.decode(block)
    except UnicodeDecodeError:
        return False
    return True


def _cut(buf: bytes, quotes_before: int) -> int:
    """Where to end a piece in ``buf``: just after a line end with even quotes before it; 0 if none.

    ``quotes_before`` is the parity of the quotes in ``buf`` so far (0 when it starts a piece).
    """
    total = buf.count(b'"') + quotes_before
    end = len(buf)
    while (nl := buf.rfind(b"\n", 0, end)) >= 0:
        after = buf.count(b'"', nl + 1, end)
        total -= after
        if total % 2 == 0:
            return nl + 1
        end = nl
    return 0


def piece_size(size: int) -> int:
    """The bytes of a piece of a file of ``size`` bytes: about an eighth of it, within bounds.

    >>> [piece_size(n) >> 20 for n in (100 << 20, 300 << 20, 1000 << 20)]
    [16, 37, 64]
    """
    return min(PIECE_BYTES, max(MIN_PIECE_BYTES, size // PIECES))


def pieces(s: Survey, piece_bytes: int | None = None) -> Iterator[tuple[int, bytes]]:
    """The rows of a surveyed file, as (line number of the piece's first line, its bytes).

    Every piece but the last ends with a line end; together they hold every byte after the
    header line, in order. A piece holds about ``piece_bytes`` (default: :func:`piece_size`).
    The bytes are hashed as they are read: a file that no longer has the SHA-256 the survey found
    raises :class:`InputFileError` after its last piece (the import then keeps none of it).
    """
    piece_bytes = piece_bytes or piece_size(s.size)
    line = 1 + 1  # the header is line 1: :func:`_header` accepts no blank line before it
    digest = hashlib.sha256()
    try:
        with s.path.open("rb") as fh:
            digest.update(fh.read(s.body_at))
            buf = b""
            while block := fh.read(piece_bytes):
                digest.update(block)
                buf += block
                at = _cut(buf, 0)
                if not at:
                    continue  # no cut yet: a quoted field runs on, read more
                piece, buf = buf[:at], buf[at:]
                yield line, piece
                line += piece.count(b"\n")
            if buf:
                yield line, buf
    except OSError as exc:
        msg = f"{s.path}: cannot be read ({exc.strerror})"
        raise InputFileError(msg) from None
    if digest.hexdigest() != s.sha256:
        msg = (f"{s.path}: the file changed while it was being imported, so nothing of it was kept; "
               "import it again once it is complete")
        raise InputFileError(msg)


class Shifted:
    """A piece's records by the file's line numbers: line ``n`` of the file is ``n - shift`` of the piece."""

    def __init__(self, table: CsvTable, shift: int) -> None:
        self.table = table
        self.shift = shift

    def raws(self, lines: pd.Series | list[int]) -> list[str]:
        """The raw text of the records starting on the file's ``lines``."""
        return self.table.raws([int(n) - self.shift for n in lines])


class Remapped:
    """Records of a piece made of chosen lines of a file.

    The piece's line ``i + 2`` is the file's ``lines[i]``.

    ``lines`` are increasing.
    """

    def __init__(self, table: CsvTable, lines: np.ndarray) -> None:
        self.table = table
        self.lines = lines

    def raws(self, lines: pd.Series | list[int]) -> list[str]:
        """The raw text of the records starting on the file's ``lines``."""
        at = np.searchsorted(self.lines, np.asarray(list(lines), dtype=np.int64))
        return self.table.raws([int(i) + 2 for i in at])


def lines_at(s: Survey, wanted: np.ndarray) -> Iterator[tuple[int, str]]:
    r"""The text of the file's lines numbered ``wanted`` (increasing, after the header), in order.

    Read in blocks, without holding the file; a line's ``\r\n`` end is left out.
    """
    line = 2
    at = 0
    carry = b""
    with s.path.open("rb") as fh:
        fh.seek(s.body_at)
        while at < len(wanted):
            block = fh.read(_BLOCK)
            data = carry + block
            if not block:  # the last line, with no line end
                if data and wanted[at] == line:
                    yield line, data.removesuffix(b"\r").decode("utf-8")
                return
            ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == ord("\n"))
            starts = np.concatenate(([0], ends[:-1] + 1))
            last = line + len(ends)
            stop = np.searchsorted(wanted, last, side="left")
            for number in wanted[at:stop].tolist():
                i = number - line
                yield number, data[starts[i]:ends[i]].removesuffix(b"\r").decode("utf-8")
            at, line = stop, last
            carry = data[ends[-1] + 1:] if len(ends) else data
