"""Connecting to a store file: offline, local, and with one-line messages for damaged files.

Every DuckDB connection netgraph opens is made here (:func:`connect`), with extension
autoinstall and autoload off, no community or unsigned extensions and no external access, and
its configuration locked after. Paths that are not local files (``md:``, ``s3://``...) and files
that are not DuckDB stores (SQLite, text, empty) are refused before DuckDB sees them.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

import duckdb

from netgraph._errors import SchemaVersionError, StoreError, StoreLockedError

__all__ = ["DEFAULT_DB", "MEMORY_LIMIT", "OFFLINE_CONFIG", "check_local", "connect", "default_db_path",
           "file_reader", "memory_limit", "store_error"]

DEFAULT_DB = "netgraph.duckdb"


def default_db_path(db: str | os.PathLike[str] | None = None) -> Path:
    """The store path: ``db`` if given, else ``$NETGRAPH_DB``, else ``netgraph.duckdb`` here."""
    if db:
        return Path(db)
    return Path(os.environ.get("NETGRAPH_DB") or DEFAULT_DB)


# DuckDB settings for every connection netgraph opens. They are given before the file is opened, so
# nothing (not a SQLite header, not an ``md:`` path) can make DuckDB fetch or load an extension:
# no autoinstall or autoload, no community or unsigned extensions, and no access outside the store
# file (no ATTACH, COPY, read_csv or INSTALL; registered frames still work). netgraph reads and
# writes its input and output files in Python. The configuration is then locked, so no later SQL
# can switch any of this back on.
OFFLINE_CONFIG: dict[str, str | bool | int | float] = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
    "enable_external_access": False,
}

#: The memory DuckDB may use for one store connection (beyond it, large joins and sorts spill to
#: a temporary folder beside the store); ``NETGRAPH_MEMORY_LIMIT`` (e.g. ``4GB``) sets another.
#: DuckDB's own default is 80% of the machine's memory, which a large import would fill with
#: cached pages however small its working set.
MEMORY_LIMIT = "2GB"
_MEMORY_ENV = "NETGRAPH_MEMORY_LIMIT"


def memory_limit() -> str:
    """The DuckDB memory limit for store connections: ``$NETGRAPH_MEMORY_LIMIT`` or :data:`MEMORY_LIMIT`."""
    return os.environ.get(_MEMORY_ENV, "").strip() or MEMORY_LIMIT


# ``md:x``, ``motherduck:x``, ``sqlite:x`` (an extension prefix) or ``s3://``, ``https://`` and other
# URL schemes; one letter before the colon is a Windows drive, which is local.
_REMOTE_PATH = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-_]+:")
_SQLITE_MAGIC = b"SQLite format 3\x00"
_DUCKDB_MAGIC = b"DUCK"  # at offset 8, after the header checksum
_DUCKDB_MIN_SIZE = 3 * 4096  # the file header and two database headers
# How DuckDB words a damaged file: a block checksum, a short read, or metadata it cannot follow.
_DAMAGE_WORDS = ("corrupt", "checksum", "could not read enough bytes", "failed to load metadata",
                 "truncated", "invalid block", "serializ")


def check_local(path: str | os.PathLike[str]) -> None:
    """Refuse a path DuckDB would read through the network or an extension (``md:``, ``s3://``...)."""
    text = os.fspath(path)
    if text.startswith(":memory:") or not _REMOTE_PATH.match(text):
        return
    scheme, rest = text.split(":", 1)
    hint = "" if rest.startswith("/") else (
        f" (for a local file whose name holds a colon, give its full path: {Path(text).absolute()})")
    msg = (
        f"{text} is not a local file: netgraph keeps everything on this machine, so it opens no "
        f"{scheme}: stores (MotherDuck, cloud or web paths, other databases); give a local file path "
        f"with --db{hint}."
    )
    raise StoreError(msg)


def _check_header(path: Path) -> None:
    """Refuse a file that is not a DuckDB store before DuckDB opens it (it would load an extension)."""
    if not path.exists():
        return
    if path.is_dir():
        msg = f"{path} is a folder, not a netgraph store file. Give a file path with --db."
        raise StoreError(msg)
    if not path.is_file():
        msg = f"{path} is not a regular file (a device or a pipe), so not a netgraph store."
        raise StoreError(msg)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        msg = f"cannot read {path}: {exc.strerror or exc}. Check its permissions, or choose another --db."
        raise StoreError(msg) from None
    if size == 0:
        msg = f"{path} is an empty file (0 bytes), not a netgraph store. Delete it, or choose another --db."
        raise StoreError(msg)
    if head.startswith(_SQLITE_MAGIC):
        msg = (
            f"{path} is a SQLite database, not a netgraph store. netgraph keeps its own store; "
            "choose another path with --db (export the SQLite data to CSV to import it)."
        )
        raise StoreError(msg)
    if head[8:12] != _DUCKDB_MAGIC:
        msg = f"{path} is not a netgraph store (not a DuckDB file). Choose another path with --db."
        raise StoreError(msg)
    if size < _DUCKDB_MIN_SIZE:
        raise StoreError(_damaged(path))


def _damaged(path: Path | str) -> str:
    return (
        f"{path} looks damaged (truncated or corrupt); restore it from a backup, or import your "
        "files into a new store with --db."
    )


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def store_error(path: Path | None, exc: duckdb.Error) -> StoreError | None:
    """The one-line :class:`StoreError` for a DuckDB error about the store file; None for any other.

    Such an error means the file is damaged, too new, or cannot be read or written (disk full,
    permissions).

    Use it where a store query fails, so a damaged file is never reported as a bug. ``path`` may
    be None when the store's path is not known there.
    """
    low = str(exc).lower()
    if path is not None:  # the path itself may hold any word
        for form in (str(Path(path).absolute()), str(path)):
            low = low.replace(form.lower(), "FILE")
    path = path if path is not None else "the store"
    if "storage version" in low:
        if "newer version of duckdb" in low:
            msg = (
                f"{path} was written by a newer DuckDB storage format than this netgraph reads "
                f"({_first_line(exc)}). Upgrade netgraph to open it; the file was not changed."
            )
            return SchemaVersionError(msg)
        msg = (
            f"{path} was written by an old DuckDB that this netgraph cannot read "
            f"({_first_line(exc)}). Open it with that DuckDB version and EXPORT DATABASE, or import "
            "your files into a new store with --db."
        )
        return StoreError(msg)
    if any(word in low for word in _DAMAGE_WORDS):
        return StoreError(_damaged(path))
    if isinstance(exc, (duckdb.IOException, duckdb.PermissionException, duckdb.FatalException)):
        msg = f"cannot use the store {path}: {_first_line(exc)}. Check the disk and the file's permissions."
        return StoreError(msg)
    return None


def connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """Open ``path`` with :data:`OFFLINE_CONFIG`, turning DuckDB's errors into one-line messages."""
    check_local(path)
    target = str(path)
    if target != ":memory:":
        _check_header(path)
        target = str(path.absolute())  # DuckDB reads no prefix such as md: or sqlite: in an absolute path
    try:
        con = duckdb.connect(target, read_only=read_only,
                             config={**OFFLINE_CONFIG, "memory_limit": memory_limit()})
    except duckdb.Error as exc:
        text = str(exc)
        if os.environ.get(_MEMORY_ENV, "").strip() and "memory" in text.lower():
            msg = (f"{_MEMORY_ENV}={memory_limit()!r} is not a memory size DuckDB reads; "
                   "use a size such as 2GB or 500MB, or unset it")
            raise StoreError(msg) from None
        if "could not set lock" in text.lower() or "conflicting lock" in text.lower():
            pid = re.search(r"PID (\d+)", text)
            holder = f" (process {pid.group(1)})" if pid else ""
            msg = (
                f"{path} is in use by another netgraph process{holder}. "
                "Wait for it to finish, or close the notebook or shell that has the store open."
            )
            raise StoreLockedError(msg) from None
        if "not a valid DuckDB database" in text:
            msg = f"{path} is not a netgraph store (not a DuckDB file). Choose another path with --db."
            raise StoreError(msg) from None
        if "different configuration" in text:
            msg = (
                f"{path} is already open in this process with other DuckDB settings (a duckdb.connect "
                "of your own?). Close that connection first, then open the store with netgraph."
            )
            raise StoreError(msg) from None
        known = store_error(path, exc)
        if known is not None:
            raise known from None
        msg = f"cannot open {path}: {_first_line(exc)}"
        raise StoreError(msg) from None
    try:
        # the CLI shows its own progress; in Jupyter without ipywidgets DuckDB refuses the setting
        with contextlib.suppress(duckdb.Error):
            con.execute("SET enable_progress_bar = false")
        with contextlib.suppress(duckdb.InvalidInputException):  # already locked by an earlier open
            con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con


#: The memory of a connection that only reads a file (:func:`file_reader`): it streams.
READER_MEMORY = "1GB"


def file_reader(path: str | os.PathLike[str]) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection that may read the local file ``path`` and nothing else.

    It is how a large CSV is read by DuckDB's parallel reader
    (:func:`netgraph.sources.duck_csv.read`): with :data:`OFFLINE_CONFIG` but external access
    allowed for that one file (``allowed_paths``), so no other file, no URL and no extension can
    be reached, and its configuration locked.
    """
    target = str(Path(path).absolute())
    check_local(target)
    con = duckdb.connect(config={**OFFLINE_CONFIG, "enable_external_access": True,
                                 "memory_limit": READER_MEMORY})
    try:
        con.execute("SET allowed_paths = [$path]", {"path": target})
        con.execute("SET enable_external_access = false")
        with contextlib.suppress(duckdb.Error):
            con.execute("SET enable_progress_bar = false")
        con.execute("SET lock_configuration = true")
    except BaseException:
        con.close()
        raise
    return con
