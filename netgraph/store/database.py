"""The open store: one DuckDB file holds people, identities, interactions, introductions and settings.

:class:`Store` is the one way to run a transaction (:meth:`Store.transaction`), to hand DuckDB a
frame (:meth:`Store.registered`) and to bulk-insert one (:meth:`Store.insert`). Values always
travel as ``?`` parameters or as registered frames; table and column names come only from the
code, never from input.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from netgraph._errors import StoreError
from netgraph.store.connect import DEFAULT_DB, check_local, connect, default_db_path, store_error
from netgraph.store.schema import SCHEMA_VERSION, NeedsUpgrade, check_schema

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DEFAULT_DB", "HOME_REGION", "ID_COLUMNS", "PARTIAL_BATCH", "SCHEMA_VERSION", "Store",
           "default_db_path", "open_for_questions", "open_store"]

log = logging.getLogger(__name__)



class Store:
    """An open netgraph store. Use :func:`open_store` to get one; close it (or use ``with``)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path, *, read_only: bool) -> None:
        self.con = con
        self.path = path
        self.read_only = read_only

    # -- lifecycle -------------------------------------------------------------------------
    def close(self) -> None:
        """Close the connection."""
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

    # -- transactions and frames -----------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """Run the block in one transaction: committed when it ends, rolled back on any error.

        >>> with open_store(":memory:") as s, s.transaction():
        ...     s.set_setting("demo", "1")
        >>> # the setting is committed here
        """
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    @contextlib.contextmanager
    def registered(self, name: str, frame: pd.DataFrame) -> Iterator[str]:
        """Make ``frame`` readable in SQL as the view ``name`` for the block, then drop it."""
        self.con.register(name, frame)
        try:
            yield name
        finally:
            self.con.unregister(name)

    def insert(self, table: str, frame: pd.DataFrame) -> None:
        """Insert the rows of ``frame`` into ``table``, its columns by name (no-op when empty)."""
        if frame.empty:
            return
        if table not in _TABLES:
            msg = f"unknown table {table!r}"
            raise ValueError(msg)
        cols = ", ".join(frame.columns)
        with self.registered("_insert_rows", frame):
            self.con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _insert_rows")

    # -- small query helpers ---------------------------------------------------------------
    def sql(self, query: str, params: Iterable[Any] | None = None) -> pd.DataFrame:
        """Run a read query and return a DataFrame."""
        return self.con.execute(query, list(params) if params is not None else None).df()

    def scalar(self, query: str, params: Iterable[Any] | None = None) -> Any:
        """The first value of the query's first row, or None when it returns no rows."""
        rows = self.con.execute(query, list(params) if params is not None else None).fetchall()
        return rows[0][0] if rows else None

    def count(self, table: str) -> int:
        """The number of rows in ``table``, one of the store's tables."""
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
        """The setting ``key``, or None when it is not set."""
        return self.scalar("SELECT value FROM settings WHERE key = ?", [key])

    def set_setting(self, key: str, value: str | None) -> None:
        """Set ``key`` to ``value``; None removes the setting."""
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
        """The team's person ids (``netgraph init --member``), empty when no team is set."""
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

    def discard_partial_batch(self, *, quiet: bool = False) -> int | None:
        """Remove what a batch cut short wrote, and return its id (None when there is none).

        A large file is written in pieces, each committed on its own (so that memory stays
        bounded), under the setting :data:`PARTIAL_BATCH`; the batch's last transaction clears
        it. A batch still named there was cut short (the process was stopped or failed): its
        rows go, and the store is as it was before that import.
        """
        value = self.get_setting(PARTIAL_BATCH)
        if value is None:
            return None
        batch_id = int(value)
        with self.transaction():
            self.con.execute("DELETE FROM interaction_participants WHERE interaction_id IN "
                             "(SELECT interaction_id FROM interactions WHERE batch_id = ?)", [batch_id])
            for table in _BATCH_TABLES:
                self.con.execute(f"DELETE FROM {table} WHERE batch_id = ?", [batch_id])
            me = self.me_id
            if me is not None and not self.scalar("SELECT count(*) FROM people WHERE person_id = ?", [me]):
                self.set_setting("me", None)  # the placeholder "Me" the batch had begun to make
                self.set_setting("me_placeholder", None)
            self.set_setting(PARTIAL_BATCH, None)
        log.log(logging.INFO if quiet else logging.WARNING,
                "removed batch %d of %s: its import was cut short", batch_id, self.path)
        return batch_id

    def next_id(self, table: str) -> int:
        """The next free id in ``table``: one more than the largest."""
        column = ID_COLUMNS[table]
        return int(self.scalar(f"SELECT coalesce(max({column}), 0) + 1 FROM {table}"))

    # -- people ----------------------------------------------------------------------------
    def name_of(self, person_id: int) -> str:
        """The name of person ``person_id`` (``"None"`` when there is no such person)."""
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
#: The tables a batch written in pieces writes before its last transaction (people, merges and
#: rejects come in that one), the batch's own record last.
_BATCH_TABLES = ("interactions", "rejected_rows", "import_batches")
#: The setting naming a batch whose pieces are being written (see :meth:`Store.discard_partial_batch`).
PARTIAL_BATCH = "partial_batch"
#: The setting of the home region for phone numbers (``netgraph init --country``).
HOME_REGION = "home_region"
ID_COLUMNS = {
    "people": "person_id",
    "interactions": "interaction_id",
    "introductions": "intro_id",
    "follow_ups": "follow_up_id",
    "merges": "merge_id",
    "participant_refs": "ref_id",
}


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
        check_local(path)  # before Path() folds ``s3://`` into ``s3:/``
    target = default_db_path(path)
    check_local(target)
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
    con = connect(target, read_only=read_only and not in_memory)
    try:
        check_schema(con, target, read_only=read_only and not in_memory)
    except NeedsUpgrade:  # an older store opened for reading: upgrade it once, then read
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
    store = Store(con, target, read_only=read_only)
    if not read_only:
        store.discard_partial_batch()
    return store




def open_for_questions(path: str | os.PathLike[str] | None = None) -> Store:
    """Open a store to answer questions: read-write when it can be, else read-only.

    Answering may keep derived data (the tie table brought to a new day, a whole-network result
    computed once), which needs a writable store. When another process holds the store, or the
    file is read-only, the answer is computed without keeping anything.
    """
    target = default_db_path(path)
    if (str(target) != ":memory:" and target.is_file() and target.stat().st_size > 0
            and os.access(target, os.W_OK)):  # an empty file is refused, never made a store
        try:
            return open_store(target)
        except (StoreError, duckdb.Error) as exc:
            # held by another process, or read-only by another connection of this one (a
            # notebook's); a damaged store fails the read-only open below with its own message
            log.info("%s cannot be opened for writing (%s): answering read-only", target, exc)
    return open_store(target, read_only=True)
