"""The errors netgraph raises on purpose.

Every message says what went wrong and what to do next. The CLI prints the message on one
line and exits with status 2; it never shows a traceback for these.
"""

from __future__ import annotations


class NetgraphError(Exception):
    """Base class of every error netgraph raises on purpose."""


class StoreError(NetgraphError, OSError):
    """The store file cannot be opened: missing, locked, not a netgraph store, or too new."""


class StoreLockedError(StoreError):
    """Another process holds the store file open for writing."""


class SchemaVersionError(StoreError):
    """The store was written by a newer netgraph than this one."""


class OutputError(NetgraphError, OSError):
    """An output (report, export, sample) cannot be written.

    It would replace the store or an existing file, its folder cannot be made, the place is read-only,
    or the disk is full.
    """


class InputFileError(NetgraphError, ValueError):
    """An input file cannot be read at all: missing, empty, binary, or of an unknown kind."""


class PersonNotFound(NetgraphError, LookupError):
    """A person given by id, email or name is not in the store."""


class AmbiguousPerson(NetgraphError, LookupError):
    """A name matches more than one person."""


class NotConfiguredError(NetgraphError, LookupError):
    """An analysis needs a setting (such as who "me" is) that has not been recorded."""


class NoTieError(NetgraphError, LookupError):
    """Two people have no tie (no interaction or introduction) as of the date asked."""


class EngineError(NetgraphError, RuntimeError):
    """A distributed engine (Spark) cannot run: not installed, no Java, or its master unreachable."""
