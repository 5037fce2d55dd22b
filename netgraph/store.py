"""The DuckDB store: one file holds people, identities, interactions, introductions and settings.

The schema lives in ``schema.sql``; its version is recorded in the file (table ``netgraph_meta``).
Only this module and :mod:`netgraph.ingest` write to the store. Values always travel as ``?``
parameters or as registered frames; table and column names come only from this code.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
from collections.abc import Iterable
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from netgraph._errors import (
    AmbiguousPerson,
    PersonNotFound,
    SchemaVersionError,
    StoreError,
    StoreLockedError,
)
from netgraph.normalise import normalise_email, normalise_linkedin

__all__ = ["DEFAULT_DB", "OFFLINE_CONFIG", "SCHEMA_VERSION", "Store", "default_db_path", "open_store",
           "store_error"]

log = logging.getLogger(__name__)

SCHEMA_VERSION = 2
DEFAULT_DB = "netgraph.duckdb"
_APP = "netgraph"


def default_db_path(db: str | os.PathLike[str] | None = None) -> Path:
    """The store path: ``db`` if given, else ``$NETGRAPH_DB``, else ``netgraph.duckdb`` here."""
    if db:
        return Path(db)
    return Path(os.environ.get("NETGRAPH_DB") or DEFAULT_DB)


def _schema_sql() -> str:
    return resources.files("netgraph").joinpath("schema.sql").read_text(encoding="utf-8")


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

# ``md:x``, ``motherduck:x``, ``sqlite:x`` (an extension prefix) or ``s3://``, ``https://`` and other
# URL schemes; one letter before the colon is a Windows drive, which is local.
_REMOTE_PATH = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-_]+:")
_SQLITE_MAGIC = b"SQLite format 3\x00"
_DUCKDB_MAGIC = b"DUCK"  # at offset 8, after the header checksum
_DUCKDB_MIN_SIZE = 3 * 4096  # the file header and two database headers
# How DuckDB words a damaged file: a block checksum, a short read, or metadata it cannot follow.
_DAMAGE_WORDS = ("corrupt", "checksum", "could not read enough bytes", "failed to load metadata",
                 "truncated", "invalid block", "serializ")


def _check_local(path: str | os.PathLike[str]) -> None:
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
    """The one-line :class:`StoreError` for a DuckDB error that means the store file is damaged,
    too new, or cannot be read or written (disk full, permissions); None for any other error.

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


def _connect(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """Open ``path`` with :data:`OFFLINE_CONFIG`, turning DuckDB's errors into one-line messages."""
    _check_local(path)
    target = str(path)
    if target != ":memory:":
        _check_header(path)
        target = str(path.absolute())  # DuckDB reads no prefix such as md: or sqlite: in an absolute path
    try:
        con = duckdb.connect(target, read_only=read_only, config=dict(OFFLINE_CONFIG))
    except duckdb.Error as exc:
        text = str(exc)
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


class Store:
    """An open netgraph store. Use :func:`open_store` to get one; close it (or use ``with``)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, *, read_only: bool) -> None:
        self.con = con
        self.path = path
        self.read_only = read_only

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: object, exc: BaseException | None, tb: object) -> None:
        self.close()
        # a damaged block often shows only when a command reads it: say so, not "a bug"
        known = store_error(self.path, exc) if isinstance(exc, duckdb.Error) else None
        if known is not None:
            raise known from None

    def __repr__(self) -> str:
        mode = "read-only" if self.read_only else "read-write"
        return f"<netgraph Store {str(self.path)!r} {mode}>"

    # -- small query helpers ---------------------------------------------------------------
    def sql(self, query: str, params: Iterable[Any] | None = None) -> pd.DataFrame:
        """Run a read query and return a DataFrame."""
        return self.con.execute(query, list(params) if params is not None else None).df()

    def scalar(self, query: str, params: Iterable[Any] | None = None) -> Any:
        rows = self.con.execute(query, list(params) if params is not None else None).fetchall()
        return rows[0][0] if rows else None

    def count(self, table: str) -> int:
        if table not in _TABLES:
            msg = f"unknown table {table!r}"
            raise ValueError(msg)
        return int(self.scalar(f"SELECT count(*) FROM {table}"))

    def counts(self) -> dict[str, int]:
        """Row counts of every table, for summaries and tests."""
        return {t: self.count(t) for t in _TABLES}

    def data_version(self) -> int:
        """Increases whenever the store's contents change (for caching projected graphs)."""
        return int(self.scalar("SELECT coalesce(max(batch_id), 0) FROM import_batches"))

    # -- settings --------------------------------------------------------------------------
    def get_setting(self, key: str) -> str | None:
        return self.scalar("SELECT value FROM settings WHERE key = ?", [key])

    def set_setting(self, key: str, value: str | None) -> None:
        self.con.execute("DELETE FROM settings WHERE key = ?", [key])
        if value is not None:
            self.con.execute("INSERT INTO settings VALUES (?, ?)", [key, value])

    @property
    def me_id(self) -> int | None:
        """The person id of "me", or None before ``netgraph init``."""
        value = self.get_setting("me")
        return int(value) if value is not None else None

    def my_emails(self) -> list[str]:
        """My addresses, as stored (normalised) and as given, for readers that tell my side."""
        rows = self.con.execute("SELECT value, raw FROM identities WHERE kind = 'email' AND "
                                "person_id = ?", [self.me_id or -1]).fetchall()
        return sorted({v for row in rows for v in row})

    @property
    def team_ids(self) -> list[int]:
        value = self.get_setting("team")
        return [int(v) for v in json.loads(value)] if value else []

    # -- batches ---------------------------------------------------------------------------
    def new_batch(self, file: str, kind: str, sha256: str | None = None) -> int:
        """Record a new batch and return its id. Call inside the writing transaction."""
        batch_id = int(self.scalar("SELECT coalesce(max(batch_id), 0) + 1 FROM import_batches"))
        self.con.execute(
            "INSERT INTO import_batches (batch_id, file, sha256, kind, imported_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [batch_id, file, sha256, kind, datetime.now().replace(microsecond=0)],
        )
        return batch_id

    def next_id(self, table: str) -> int:
        column = ID_COLUMNS[table]
        return int(self.scalar(f"SELECT coalesce(max({column}), 0) + 1 FROM {table}"))

    # -- people ----------------------------------------------------------------------------
    def resolve(self, ref: str | int) -> int:
        """The person id for ``ref``: a person id, an external id, an email, or an exact name.

        Raises :class:`PersonNotFound` or :class:`AmbiguousPerson` with a message that says
        what to try instead.
        """
        if isinstance(ref, int):
            if self.scalar("SELECT count(*) FROM people WHERE person_id = ?", [ref]):
                return ref
            msg = f"no person with id {ref}"
            raise PersonNotFound(msg)
        text = str(ref).strip()
        hit = self.scalar("SELECT person_id FROM identities WHERE kind = 'id' AND value = ?", [text])
        if hit is None and "@" in text:
            hit = self.scalar(
                "SELECT person_id FROM identities WHERE kind = 'email' AND value = ?",
                [normalise_email(text)],
            )
        if hit is not None:
            return int(hit)
        ids = [r[0] for r in self.con.execute(
            "SELECT person_id FROM people WHERE name = ? ORDER BY person_id", [text]).fetchall()]
        if len(ids) == 1:
            return int(ids[0])
        if len(ids) > 1:
            msg = f"{len(ids)} people are called {text!r}; give an id or email instead"
            raise AmbiguousPerson(msg)
        hit = self.scalar("SELECT person_id FROM identities WHERE kind IN ('alias', 'linkedin') "
                          "AND value IN (?, ?)", [text, normalise_linkedin(text)])
        if hit is not None:  # an earlier or merged name, or a profile URL
            return int(hit)
        folded = self.con.execute(
            "SELECT name FROM people WHERE lower(name) = lower(?) LIMIT 3", [text]).fetchall()
        hint = f" Did you mean {folded[0][0]!r}?" if folded else " See `netgraph people`."
        msg = f"no person matches {text!r} by id, email or exact name.{hint}"
        raise PersonNotFound(msg)

    def name_of(self, person_id: int) -> str:
        return str(self.scalar("SELECT name FROM people WHERE person_id = ?", [person_id]))


_TABLES = (
    "people",
    "identities",
    "interactions",
    "interaction_participants",
    "introductions",
    "follow_ups",
    "import_batches",
    "rejected_rows",
    "settings",
    "merges",
    "merge_changes",
    "distinct_people",
    "participant_refs",
)
ID_COLUMNS = {
    "people": "person_id",
    "interactions": "interaction_id",
    "introductions": "intro_id",
    "follow_ups": "follow_up_id",
    "merges": "merge_id",
    "participant_refs": "ref_id",
}


def _user_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'main' ORDER BY table_name"
    ).fetchall()
    return [r[0] for r in rows]


def _check_schema(con: duckdb.DuckDBPyConnection, path: Path, *, read_only: bool) -> None:
    tables = _user_tables(con)
    if "netgraph_meta" not in tables:
        if tables:
            shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
            msg = (
                f"{path} is a DuckDB file but not a netgraph store (it holds tables {shown}). "
                "Choose another path with --db or NETGRAPH_DB."
            )
            raise StoreError(msg)
        if read_only:
            msg = f"{path} is empty. Import files first: netgraph import FILE..."
            raise StoreError(msg)
        con.execute("BEGIN TRANSACTION")
        con.execute(_schema_sql())
        con.execute(
            "INSERT INTO netgraph_meta VALUES ('app', ?), ('schema_version', ?), ('created_at', ?)",
            [_APP, str(SCHEMA_VERSION), datetime.now().isoformat(timespec="seconds")],
        )
        con.execute("COMMIT")
        log.info("Created a new netgraph store at %s", path)
        return
    meta = dict(con.execute("SELECT key, value FROM netgraph_meta").fetchall())
    if meta.get("app") != _APP:
        msg = f"{path} is not a netgraph store (its netgraph_meta table names no netgraph app)."
        raise StoreError(msg)
    version = int(meta.get("schema_version", "0"))
    if version > SCHEMA_VERSION:
        msg = (
            f"{path} was written by a newer netgraph (store schema {version}; this netgraph reads "
            f"up to {SCHEMA_VERSION}). Upgrade netgraph to open it; the file was not changed."
        )
        raise SchemaVersionError(msg)
    if version < SCHEMA_VERSION:
        if read_only:
            raise _NeedsUpgrade(version)
        _migrate(con, version)
        log.info("Upgraded %s from store schema %d to %d", path, version, SCHEMA_VERSION)


# Schema 2: merges that can be undone, inferred introductions, Gmail-aware email identities.
_V2_TABLES = ("merges", "merge_changes", "distinct_people", "participant_refs")


def _migrate(con: duckdb.DuckDBPyConnection, version: int) -> None:
    """Upgrade a store in place, in one transaction, from ``version`` to the current schema."""
    con.execute("BEGIN TRANSACTION")
    try:
        if version < 2:
            con.execute("ALTER TABLE introductions ADD COLUMN inferred BOOLEAN DEFAULT false")
            con.execute("ALTER TABLE interaction_participants ADD COLUMN ref_id INTEGER")
            for stmt in _schema_sql().split(";"):
                if any(f"CREATE TABLE {t} " in stmt for t in _V2_TABLES):
                    con.execute(stmt)
            rows = con.execute(
                "SELECT value, raw, person_id, batch_id FROM identities WHERE kind = 'email'"
            ).fetchall()
            taken = {r[0] for r in rows}
            for value, raw, pid, batch in rows:
                new = normalise_email(raw)
                if new != value and new not in taken:
                    con.execute("DELETE FROM identities WHERE kind = 'email' AND value = ?", [value])
                    con.execute("INSERT INTO identities VALUES ('email', ?, ?, ?, ?)",
                                [new, raw, pid, batch])
                    taken.add(new)
        con.execute("UPDATE netgraph_meta SET value = ? WHERE key = 'schema_version'",
                    [str(SCHEMA_VERSION)])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def open_store(
    path: str | os.PathLike[str] | None = None, *, read_only: bool = False
) -> Store:
    """Open (and, for writing, create) a netgraph store.

    Parameters
    ----------
    path
        The DuckDB file. Defaults to ``$NETGRAPH_DB`` or ``netgraph.duckdb`` in the working folder.
        ``":memory:"`` gives a throwaway in-memory store.
    read_only
        Open without taking the write lock. The file must already exist.

    Raises
    ------
    StoreError
        When the file is missing (read-only), not a netgraph store (a SQLite or other file),
        damaged, written by a newer netgraph, or locked by another process
        (:class:`StoreLockedError`); and for any path that is not a local file (``md:``,
        ``s3://``, ``https://``...): the store stays on this machine.

    Notes
    -----
    Every connection is opened with :data:`OFFLINE_CONFIG` (no extension is ever downloaded or
    loaded, no file outside the store is read) and its configuration is then locked.
    """
    if path:
        _check_local(path)  # before Path() folds ``s3://`` into ``s3:/``
    target = default_db_path(path)
    _check_local(target)
    in_memory = str(target) == ":memory:"
    if read_only and not in_memory and not target.exists():
        msg = (
            f"no store at {target}. Import your files first (netgraph import FILE...), "
            "or try the sample with netgraph demo."
        )
        raise StoreError(msg)
    if not in_memory and target.parent and not target.parent.exists():
        msg = f"the folder {target.parent} does not exist; create it or choose another --db path"
        raise StoreError(msg)
    con = _connect(target, read_only=read_only and not in_memory)
    try:
        _check_schema(con, target, read_only=read_only and not in_memory)
    except _NeedsUpgrade:  # an older store opened for reading: upgrade it once, then read
        con.close()
        open_store(target).close()
        return open_store(target, read_only=True)
    except duckdb.Error as exc:  # damage often shows only at the first read, not at connect
        with contextlib.suppress(duckdb.Error):
            con.close()
        known = store_error(target, exc)
        if known is None:
            raise
        raise known from None
    except BaseException:
        con.close()
        raise
    return Store(con, target, read_only=read_only)


class _NeedsUpgrade(Exception):
    """An older store was opened read-only: it must be upgraded first."""

