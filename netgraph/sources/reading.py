"""Reading input files safely: size limits, devices, decoding, binary and empty checks.

Every parser in :mod:`netgraph.sources` starts here, so that a file that cannot be read at all
fails once, with one clear message, before anything is written. :func:`read_text` gives a
:class:`TextFile`; :mod:`netgraph.sources.csv_table` splits CSV text into records and tables.

Limits, so that no input can make an import hang or run out of memory:

- A file larger than :data:`MAX_FILE_BYTES` (2 GiB) is refused; ``netgraph import --max-size``
  (:func:`reading_limit`) raises or lowers the limit.
- Anything that is not a regular file (a character device such as ``/dev/zero``, a FIFO, a
  socket) is refused, unless ``--max-size`` is given: then it is read up to that many bytes, and
  refused if it holds more. A mailbox is streamed from a saved file, so it must be a regular file.

Text is UTF-8 (with or without a byte-order mark), else Windows-1252. UTF-16 and UTF-32 with a
byte-order mark (Excel's "Unicode text", some Outlook exports) are read too, and so is UTF-16
without one when the file plainly is (every other byte NUL); such files are often tab-separated,
which :func:`netgraph.sources.csv_table.read_csv_table` tells from the header line.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from netgraph._errors import InputFileError

#: The largest input file read without ``--max-size``, in bytes.
MAX_FILE_BYTES = 2 * 1024**3

_EOL = re.compile(r"\r\n|\r|\n")
_LINES = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")
# C0 control bytes that do not occur in text files (tab, line breaks, form feed and escape do)
_CONTROL = bytes(c for c in range(32) if c not in (9, 10, 11, 12, 13, 27))


@dataclass(frozen=True)
class TextFile:
    r"""A decoded input file.

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

    def encoding_note(self) -> str | None:
        """The note a parsed file carries about how it was decoded; None for UTF-8.

        UTF-16 and UTF-32 lose nothing (``read as UTF-16 text``); a file read as Windows-1252
        may have garbled names (``read as cp1252, not UTF-8; check accented names``).
        """
        if self.encoding == "utf-8":
            return None
        if self.encoding in ("utf-16", "utf-32"):
            return f"read as {self.encoding.upper()} text"
        return f"read as {self.encoding}, not UTF-8; check accented names"


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
    """A size in bytes from ``500M``, ``5G``, ``1.5G``, ``64k`` or plain bytes.

    K, M, G are powers of 1024; raises :class:`ValueError` for anything else.

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
    """The first ``size`` bytes of ``path``, for telling its format.

    Raises :class:`InputFileError` if it cannot or may not be read (see :func:`reading_limit`).
    """
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
    """The first bytes of ``path``.

    Raises :class:`InputFileError` if it is missing, a folder, unreadable, empty, larger than the
    reading limit, or not a regular file. Parsers that stream a large file call this instead of
    reading it whole; a stream is read from a saved file only, so even ``--max-size`` does not let
    it read a device or a FIFO.
    """
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
    """``utf-32`` or ``utf-16`` (by byte-order mark), ``utf-16-le``/``-be``, or None.

    The ``-le``/``-be`` forms are for text with every other byte NUL and no mark.
    """
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
    """The first bytes of a file as text, for telling its format.

    Decoded by its byte-order mark (UTF-32, UTF-16, UTF-8), else as UTF-8; bytes cut short or not
    text become U+FFFD.
    """
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
