"""The store's schema: created from ``schema.sql``, its version recorded in the file.

Older stores are upgraded in place, in one transaction.
"""

from __future__ import annotations

import logging
from datetime import datetime
from importlib import resources
from pathlib import Path

import duckdb

from netgraph._errors import SchemaVersionError, StoreError
from netgraph.normalise import normalise_email

__all__ = ["SCHEMA_VERSION", "NeedsUpgrade", "check_schema"]

log = logging.getLogger(__name__)

SCHEMA_VERSION = 5
_APP = "netgraph"


def _schema_sql() -> str:
    return resources.files("netgraph.store").joinpath("schema.sql").read_text(encoding="utf-8")


def _user_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'main' ORDER BY table_name"
    ).fetchall()
    return [r[0] for r in rows]


def check_schema(con: duckdb.DuckDBPyConnection, path: Path, *, read_only: bool) -> None:
    """Make sure ``con`` holds a current netgraph store, creating or upgrading it if need be.

    An empty file gets the schema; an older store is upgraded in place, or raises
    :class:`NeedsUpgrade` when ``read_only``. Raises :class:`StoreError` for a file that is not a
    netgraph store (or is empty and read-only) and :class:`SchemaVersionError` for a newer one.
    """
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
            raise NeedsUpgrade(version)
        _migrate(con, version)
        log.info("Upgraded %s from store schema %d to %d", path, version, SCHEMA_VERSION)


# Schema 2: merges that can be undone, inferred introductions, Gmail-aware email identities.
_V2_TABLES = ("merges", "merge_changes", "distinct_people", "participant_refs")
# Schema 3: ties materialised, whole-network results cached. Both start empty; the first write
# (or the first question on a writable store) fills the tie table.
_V3_TABLES = ("ties", "derived_cache")


# Schema 5: where a follow-up came from, who promised, and what keeps it.
_V5_FOLLOW_UP_COLUMNS = (
    ("source", "VARCHAR DEFAULT 'file'"), ("owner", "VARCHAR DEFAULT 'me'"),  # (DuckDB: no NOT NULL)
    ("promise_kind", "VARCHAR"), ("made_at", "TIMESTAMP"), ("interaction_id", "BIGINT"),
)


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
        if version < 3:
            for stmt in _schema_sql().split(";"):
                if any(f"CREATE TABLE {t} " in stmt for t in _V3_TABLES):
                    con.execute(stmt)
        if version < 4:  # what people need and offer (contacts' needs and offers columns)
            con.execute("ALTER TABLE people ADD COLUMN IF NOT EXISTS needs VARCHAR[]")
            con.execute("ALTER TABLE people ADD COLUMN IF NOT EXISTS offers VARCHAR[]")
        if version < 5:  # follow-ups found in mail, notes and events, kept or broken by contact
            for column, kind in _V5_FOLLOW_UP_COLUMNS:
                con.execute(f"ALTER TABLE follow_ups ADD COLUMN IF NOT EXISTS {column} {kind}")
        con.execute("UPDATE netgraph_meta SET value = ? WHERE key = 'schema_version'",
                    [str(SCHEMA_VERSION)])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


class NeedsUpgrade(Exception):
    """An older store was opened read-only: it must be upgraded first."""
