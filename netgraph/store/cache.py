"""Derived results kept in the store: whole-network analyses, computed once per data version.

Each entry is a DataFrame stored as Parquet bytes under a name, with the key it was computed
for (the caller builds it from the data version, the day and the parameters). :func:`get`
returns it only while the key still matches, so a stale entry is never read; :func:`put`
replaces it. A read-only store keeps nothing: the caller computed the result anyway.

An entry can also be read back as :class:`~netgraph.rows.Rows` (``as_frame=False``): pyarrow
reads the Parquet bytes and no pandas loads, so a kept answer prints in a fraction of a second.
Answers computed as rows (the questions about me, :func:`kept_rows`) are kept as JSON text of
their rows: a few hundred rows write and read back in milliseconds, with neither pandas nor
pyarrow.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from netgraph._progress import task
from netgraph.rows import Rows
from netgraph.store.database import Store

if TYPE_CHECKING:  # pandas loads when an entry is read back
    import pandas as pd

__all__ = ["cached", "current", "get", "has", "keep", "keep_printed", "kept_rows", "kept_tables", "printed",
           "put", "put_rows"]

#: The name of a printed listing's entry: the answer's name and this.
_PRINTED = " (JSON listing)"

#: How an entry written from rows begins (JSON text; a Parquet entry begins ``PAR1``).
_ROWS_MARK = b'{"rows_entry"'


log = logging.getLogger(__name__)


def get(store: Store, name: str, key: str, *, as_frame: bool = True) -> pd.DataFrame | Rows | None:
    """The frame stored as ``name`` for ``key``, or None when there is none for that key.

    ``as_frame=False`` gives its rows as plain Python values (:class:`~netgraph.rows.Rows`).
    """
    row = store.con.execute("SELECT payload FROM derived_cache WHERE name = ? AND key = ?",
                            [name, key]).fetchone()
    if row is None:
        return None
    payload = bytes(row[0])
    if payload.startswith(_ROWS_MARK):  # written from rows: read back as they were
        rows = _json_rows(payload)
        return rows.to_frame() if as_frame else rows
    if not as_frame:
        return _read_rows(payload)
    import pandas as pd

    return pd.read_parquet(io.BytesIO(payload))


def _read_rows(payload: bytes) -> Rows:
    """A kept frame as :class:`Rows`: pyarrow reads the Parquet bytes, no pandas loads."""
    import pyarrow.parquet as pq  # ParquetFile.read, unlike read_table, loads no pandas

    table = pq.ParquetFile(io.BytesIO(payload)).read()
    columns = [column.to_pylist() for column in table.columns]
    return Rows(tuple(table.column_names), list(zip(*columns, strict=True)),
                dtypes=_nullable(table.schema.metadata))


def _json_rows(payload: bytes) -> Rows:
    """An entry written from rows (:func:`put_rows`) as :class:`Rows`."""
    data = json.loads(payload)
    return Rows(tuple(data["columns"]), [tuple(r) for r in data["rows"]], dtypes=data["dtypes"])


def _nullable(metadata: dict[bytes, bytes] | None) -> dict[str, str]:
    """The frame's nullable integer and boolean columns (``Int64``...), from pandas' metadata."""
    pandas = json.loads((metadata or {}).get(b"pandas", b"{}"))
    return {c["name"]: c["numpy_type"] for c in pandas.get("columns", [])
            if str(c.get("numpy_type", "")).startswith(("Int", "UInt", "boolean"))}


def put(store: Store, name: str, key: str, frame: pd.DataFrame) -> bool:
    """Keep ``frame`` as ``name`` for ``key``; returns False on a read-only store (nothing kept)."""
    if store.read_only:
        log.info("Not caching %s: the store is open read-only", name)
        return False
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    _keep(store, name, key, buf.getvalue())
    return True


def _keep(store: Store, name: str, key: str, payload: bytes) -> None:
    with store.transaction():
        store.con.execute("DELETE FROM derived_cache WHERE name = ?", [name])
        store.con.execute("INSERT INTO derived_cache VALUES (?, ?, ?, ?)",
                          [name, key, datetime.now(), payload])


def put_rows(store: Store, name: str, key: str, rows: Rows) -> bool:
    """Keep ``rows`` as ``name`` for ``key``, as JSON text (neither pandas nor pyarrow loads).

    Returns False when nothing was kept: a read-only store, or rows that JSON would not give
    back exactly as they are (a date, a numpy number); the answer is then computed again next
    time, never read changed.
    """
    if store.read_only:
        log.info("Not caching %s: the store is open read-only", name)
        return False
    try:
        text = json.dumps({"rows_entry": 1, "columns": list(rows.columns),
                           "dtypes": dict(rows.dtypes or {}), "rows": rows.rows})
    except (TypeError, ValueError):
        log.info("Not caching %s: its values are not all plain JSON values", name)
        return False
    payload = text.encode("utf-8")
    if _exact(rows) != _exact(_json_rows(payload)):
        log.info("Not caching %s: its values do not come back from JSON as they are", name)
        return False
    _keep(store, name, key, payload)
    return True


def _exact(rows: Rows) -> str:
    """The rows as text that differs whenever a value of theirs differs, in value or in type.

    Their ``repr`` (made in C): it tells 1 from 1.0, True from 1, a tuple from a list and a numpy
    number from a Python one, and gives every NaN the same text.
    """
    return repr((list(rows.columns), [tuple(r) for r in rows.rows]))


def has(store: Store, name: str, day: str) -> bool:
    """Whether an answer ``name`` is kept for the current data, ``day``, "me" and team."""
    return store.con.execute("SELECT count(*) FROM derived_cache WHERE name = ? AND key = ?",
                             [name, _key(store, day)]).fetchone()[0] > 0


def printed(store: Store, name: str, day: str) -> str | None:
    """The whole JSON listing printed of the answer ``name``, while its data is current; else None.

    A whole-network answer of 100,000 rows takes longer to turn into JSON than to read: the
    listing printed the first time is kept beside it (:func:`keep_printed`), under the same key.
    """
    row = store.con.execute("SELECT payload FROM derived_cache WHERE name = ? AND key = ?",
                            [f"{name}{_PRINTED}", _key(store, day)]).fetchone()
    return None if row is None else bytes(row[0]).decode("utf-8")


def keep_printed(store: Store, name: str, day: str, text: str) -> None:
    """Keep ``text``, the whole JSON listing of the answer ``name``, for :func:`printed`."""
    if not store.read_only:
        _keep(store, f"{name}{_PRINTED}", _key(store, day), text.encode("utf-8"))


def current(store: Store, name: str, day: str, *, as_frame: bool = True) -> pd.DataFrame | Rows | None:
    """The entry ``name`` kept for ``day`` and the store as it is now, or None."""
    return get(store, name, _key(store, day), as_frame=as_frame)


def keep(store: Store, name: str, day: str, frame: pd.DataFrame) -> bool:
    """Keep ``frame`` as ``name`` for ``day`` and the store as it is now (see :func:`put`)."""
    return put(store, name, _key(store, day), frame)


def cached(store: Store, name: str, day: str, compute: Callable[[], pd.DataFrame], *,
           as_frame: bool = True) -> pd.DataFrame | Rows:
    """A whole-network result, computed once per data version, day and "me", then read back.

    The key is what the result depends on (the data version, ``day``, "me" and the team); an
    entry under another key is never read, and a read-only store computes it every time.
    ``as_frame=False`` gives it as :class:`~netgraph.rows.Rows`.
    """
    key = _key(store, day)
    hit = get(store, name, key, as_frame=as_frame)
    if hit is not None:
        return hit
    with task(f"{name.replace('_', ' ')} of the whole network (computed once, kept for next time)"):
        frame = compute()
    put(store, name, key, frame)
    return frame if as_frame else Rows.from_frame(frame)


def _key(store: Store, day: str) -> str:
    """What a kept answer depends on: the data version, the day, "me" and the team."""
    return "|".join(str(x) for x in (store.data_version(), day, store.me_id, store.team_ids))


def kept_rows(store: Store, name: str, day: str, compute: Callable[[], Rows], *,
              what: str) -> Rows:
    """An answer computed as rows, once per data version, day and "me", then read back.

    As :func:`cached`, for the answers about me (:func:`put_rows`): the first question after a
    change computes it (``what`` says what, on the progress line) and keeps it, so the next ones
    read it.
    """
    return kept_tables(store, (name,), day, lambda: (compute(),), what=what)[0]


def kept_tables(store: Store, names: tuple[str, ...], day: str,
                compute: Callable[[], tuple[Rows, ...]], *, what: str) -> tuple[Rows, ...]:
    """Answers computed together as rows, one per name, kept and read back as :func:`kept_rows`.

    They are read back only when every one is kept for the current data; otherwise ``compute``
    makes them all, and each is kept under its name.
    """
    key = _key(store, day)
    hits = [get(store, name, key, as_frame=False) for name in names]
    if all(hit is not None for hit in hits):
        return tuple(hits)
    with task(what):
        tables = compute()
    for name, rows in zip(names, tables, strict=True):
        put_rows(store, name, key, rows)
    return tables
