"""Telling input formats apart by their content, and parsing any supported file.

The format is read from the file's first bytes, not its name: a vCard starts with
``BEGIN:VCARD``, a calendar with ``BEGIN:VCALENDAR``, a mailbox with a ``From `` line; LinkedIn
and address-book exports by their headers; everything else is netgraph's own CSV, whose kind is
told from its header. ``fmt=`` overrides the detection. The first bytes are decoded by their
byte-order mark, so UTF-16 and UTF-32 files are told apart too.

Every file is read within the limits of :mod:`netgraph.sources.text`: at most
:data:`~netgraph.sources.text.MAX_FILE_BYTES` unless ``max_size`` says otherwise, and only
regular files unless ``max_size`` is given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from netgraph._errors import InputFileError
from netgraph.sources import address_book, generic_csv, ics, linkedin, mbox, vcard
from netgraph.sources.base import ParsedFile
from netgraph.sources.text import decode_head, read_head, reading_limit

__all__ = ["FORMATS", "detect_format", "parse_any"]

#: The formats ``netgraph import --format`` accepts.
FORMATS = ("csv", "linkedin", "google", "outlook", "vcard", "ics", "mbox")
_HEAD_BYTES = 64 * 1024


def detect_format(path: str | Path) -> str:
    """The format of ``path`` from its first bytes (see the module docstring).

    Raises :class:`InputFileError` for a file that cannot or may not be read (missing, a
    folder, a device or FIFO without ``max_size``; see :func:`parse_any`).
    """
    head = read_head(Path(path), _HEAD_BYTES)
    text = decode_head(head)
    utf8 = text.encode("utf-8")  # UTF-16 and UTF-32 look like the others from here on
    for fmt, module in (("vcard", vcard), ("ics", ics), ("mbox", mbox)):
        if module.looks_like(utf8):
            return fmt
    if linkedin.looks_like(text):
        return "linkedin"
    book = address_book.which(text)
    if book:
        return "outlook" if book == "outlook" else "google"
    return "csv"


def parse_any(
    path: str | Path,
    *,
    kind: str | None = None,
    fmt: str | None = None,
    my_emails: Iterable[str] = (),
    max_attendees: int = 10,
    max_occurrences: int = 1000,
    progress: Callable[[int], None] | None = None,
    max_size: int | None = None,
) -> list[ParsedFile]:
    """Parse one file of any supported format into the frames ingest accepts.

    Most files give one :class:`ParsedFile`; a LinkedIn ``Connections.csv`` gives two (the
    contacts, then their "connected" events). ``my_emails`` tell calendars and mailboxes which
    side is you. ``max_attendees`` and ``max_occurrences`` apply to calendars (see
    :func:`netgraph.sources.ics.parse`). ``progress`` is called with the bytes read so far, as
    the mailbox reader streams (other formats are read in one go). ``max_size`` is the most
    bytes a file may hold (default :data:`~netgraph.sources.text.MAX_FILE_BYTES`); given, it
    also lets a device or FIFO be read up to that size (see
    :func:`netgraph.sources.text.reading_limit`).
    """
    with reading_limit(max_size):
        return _parse_any(path, kind, fmt, my_emails, max_attendees, max_occurrences, progress)


def _parse_any(path: str | Path, kind: str | None, fmt: str | None, my_emails: Iterable[str],
               max_attendees: int, max_occurrences: int,
               progress: Callable[[int], None] | None) -> list[ParsedFile]:
    fmt = fmt or detect_format(path)
    mine = frozenset(e.strip().casefold() for e in my_emails)
    if fmt == "csv":
        return [generic_csv.parse(path, kind)]
    if kind is not None:
        msg = f"--kind applies to netgraph's own CSV files, not to {fmt} files like {path}"
        raise InputFileError(msg)
    if fmt == "linkedin":
        return linkedin.parse_all(path)
    if fmt in ("google", "outlook"):
        return [address_book.parse(path)]
    if fmt == "vcard":
        return [vcard.parse(path)]
    if fmt == "ics":
        return [ics.parse(path, mine, max_attendees=max_attendees, max_occurrences=max_occurrences)]
    if fmt == "mbox":
        return [mbox.parse(path, mine, progress=progress)]
    msg = f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}"
    raise InputFileError(msg)
