"""Telling input formats apart by their content, and parsing any supported file.

Every format is one :class:`Format` in :data:`REGISTRY`: its ``--format`` name, how its content
tells it (its module's ``looks_like``) and how it is parsed (its module's ``parse``, given the
options that apply to it). :data:`FORMATS`, the choices of ``netgraph import --format``, are the
registry's names.

The format is read from the file's first bytes, not its name. Formats are asked in the order of
how surely their content tells them (:class:`Evidence`), and in registry order within that:
first those with a fixed start (a vCard starts with ``BEGIN:VCARD``, a calendar with
``BEGIN:VCALENDAR``, a mailbox with a ``From`` line), then the CSV exports told by their header
(LinkedIn, Google Contacts, Outlook), and last netgraph's own CSV, which takes every other file
and whose kind is told from its header. ``fmt=`` overrides the detection. The first bytes are
decoded by their byte-order mark, so UTF-16 and UTF-32 files are told apart too.

Every file is read within the limits of :mod:`netgraph.sources.reading`: at most
:data:`~netgraph.sources.reading.MAX_FILE_BYTES` unless ``max_size`` says otherwise, and only
regular files unless ``max_size`` is given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

from netgraph._errors import InputFileError
from netgraph.sources import address_book, generic_csv, ics, linkedin, mbox, vcard
from netgraph.sources.base import ParsedFile
from netgraph.sources.reading import decode_head, read_head, reading_limit

__all__ = ["FORMATS", "REGISTRY", "Evidence", "Format", "Head", "ParseOptions", "detect_format",
           "parse_any"]

_HEAD_BYTES = 64 * 1024


@dataclass(frozen=True)
class Head:
    """The first bytes of a file, for telling its format.

    ``text`` is decoded by the byte-order mark (UTF-32, UTF-16, UTF-8), else as UTF-8; ``utf8``
    is that text as UTF-8, so that UTF-16 and UTF-32 files look like the others.
    """

    text: str
    utf8: bytes

    @classmethod
    def of(cls, head: bytes) -> Head:
        """The head of a file from its first bytes.

        Parameters
        ----------
        head
            The first bytes of the file, as read.

        Returns
        -------
        Head
            The bytes as text and as UTF-8.
        """
        text = decode_head(head)
        return cls(text, text.encode("utf-8"))


@dataclass(frozen=True)
class ParseOptions:
    """What a parse may need besides the file; each format takes the options that apply to it.

    ``kind`` is for netgraph's own CSV, ``my_emails`` (trimmed, case-folded) for calendars and
    mailboxes, ``max_attendees`` and ``max_occurrences`` for calendars, ``progress`` for
    mailboxes (see :func:`parse_any`).
    """

    kind: str | None = None
    my_emails: frozenset[str] = frozenset()
    max_attendees: int = ics.MAX_ATTENDEES
    max_occurrences: int = ics.MAX_OCCURRENCES
    progress: Callable[[int], None] | None = None


class Evidence(IntEnum):
    """How surely a format's content tells it; detection asks the surest first."""

    #: a fixed start: ``BEGIN:VCARD``, ``BEGIN:VCALENDAR``, a ``From`` line
    START = 1
    #: a CSV header row with the export's own columns
    HEADER = 2
    #: nothing: the format of last resort, for every file no other format claims
    FALLBACK = 3


@dataclass(frozen=True)
class Format:
    """One input format: its ``--format`` name, how its content tells it, how it is parsed.

    ``parse`` takes the path and the :class:`ParseOptions` and returns every
    :class:`ParsedFile` the file yields. Only a format with ``takes_kind`` accepts ``--kind``.
    """

    name: str
    evidence: Evidence
    looks_like: Callable[[Head], bool]
    parse: Callable[[str | Path, ParseOptions], list[ParsedFile]]
    takes_kind: bool = False


def _parse_ics(path: str | Path, options: ParseOptions) -> list[ParsedFile]:
    return [ics.parse(path, options.my_emails, max_attendees=options.max_attendees,
                      max_occurrences=options.max_occurrences)]


#: Every input format, in the order ``--format`` lists them.
REGISTRY: tuple[Format, ...] = (
    Format("csv", Evidence.FALLBACK, lambda head: generic_csv.looks_like(head.text),
           lambda path, options: [generic_csv.parse(path, options.kind)], takes_kind=True),
    Format("linkedin", Evidence.HEADER, lambda head: linkedin.looks_like(head.text),
           lambda path, options: linkedin.parse_all(path)),
    Format("google", Evidence.HEADER,
           lambda head: address_book.which(head.text) in ("google", "google_legacy"),
           lambda path, options: [address_book.parse(path)]),
    Format("outlook", Evidence.HEADER, lambda head: address_book.which(head.text) == "outlook",
           lambda path, options: [address_book.parse(path)]),
    Format("vcard", Evidence.START, lambda head: vcard.looks_like(head.utf8),
           lambda path, options: [vcard.parse(path)]),
    Format("ics", Evidence.START, lambda head: ics.looks_like(head.utf8), _parse_ics),
    Format("mbox", Evidence.START, lambda head: mbox.looks_like(head.utf8),
           lambda path, options: [mbox.parse(path, options.my_emails, progress=options.progress)]),
)

#: The formats ``netgraph import --format`` accepts.
FORMATS = tuple(f.name for f in REGISTRY)

_BY_NAME = {f.name: f for f in REGISTRY}
_DETECTION = tuple(sorted(REGISTRY, key=lambda f: f.evidence))  # stable: registry order within


def detect_format(path: str | Path) -> str:
    """The format of ``path`` from its first bytes (see the module docstring).

    Parameters
    ----------
    path
        The input file.

    Returns
    -------
    str
        One of :data:`FORMATS`.

    Raises
    ------
    InputFileError
        For a file that cannot or may not be read (missing, a folder, a device or FIFO without
        ``max_size``; see :func:`parse_any`).
    """
    head = Head.of(read_head(Path(path), _HEAD_BYTES))
    return next(f.name for f in _DETECTION if f.looks_like(head))


def parse_any(
    path: str | Path,
    *,
    kind: str | None = None,
    fmt: str | None = None,
    my_emails: Iterable[str] = (),
    max_attendees: int = ics.MAX_ATTENDEES,
    max_occurrences: int = ics.MAX_OCCURRENCES,
    progress: Callable[[int], None] | None = None,
    max_size: int | None = None,
) -> list[ParsedFile]:
    """Parse one file of any supported format into the frames ingest accepts.

    Most files give one :class:`ParsedFile`; a LinkedIn ``Connections.csv`` gives two (the
    contacts, then their "connected" events).

    Parameters
    ----------
    path
        The input file.
    kind
        The kind of netgraph's own CSV file (see :data:`netgraph.sources.generic_csv.KINDS`);
        told from its header when None. Any other format refuses it.
    fmt
        One of :data:`FORMATS`; told from the content when None (:func:`detect_format`).
    my_emails
        My addresses: they tell calendars and mailboxes which side is you.
    max_attendees, max_occurrences
        Limits for calendars (see :func:`netgraph.sources.ics.parse`).
    progress
        Called with the bytes read so far, as the mailbox reader streams (other formats are read
        in one go).
    max_size
        The most bytes a file may hold (default
        :data:`~netgraph.sources.reading.MAX_FILE_BYTES`); given, it also lets a device or FIFO
        be read up to that size (see :func:`netgraph.sources.reading.reading_limit`).

    Returns
    -------
    list of ParsedFile
        Every parsed file the input yields, in the order to import them.

    Raises
    ------
    InputFileError
        When the file cannot be read at all, ``fmt`` is unknown, or ``kind`` is given for a
        format other than netgraph's own CSV.
    """
    with reading_limit(max_size):
        name = fmt or detect_format(path)
        options = ParseOptions(kind=kind, my_emails=frozenset(e.strip().casefold() for e in my_emails),
                               max_attendees=max_attendees, max_occurrences=max_occurrences,
                               progress=progress)
        found = _BY_NAME.get(name)
        if kind is not None and not (found is not None and found.takes_kind):
            msg = f"--kind applies to netgraph's own CSV files, not to {name} files like {path}"
            raise InputFileError(msg)
        if found is None:
            msg = f"unknown format {name!r}; choose one of {', '.join(FORMATS)}"
            raise InputFileError(msg)
        return found.parse(path, options)
