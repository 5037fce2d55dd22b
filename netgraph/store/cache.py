"""Derived results kept in the store: whole-network analyses, computed once per data version.

Each entry is a DataFrame stored as Parquet bytes under a name, with the key it was computed
for (the caller builds it from the data version, the day and the parameters). :func:`get`
returns it only while the key still matches, so a stale entry is never read; :func:`put`
replaces it. A read-only store keeps nothing: the caller computed the result anyway.

An entry can also be read back as :class:`~netgraph.rows.Rows` (``as_frame=False``): pyarrow
reads the Parquet bytes and no pandas loads, so a kept answer prints in a fraction of a second.
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

__all__ = ["cached", "get", "put"]

log = logging.getLogger(__name__)


def get(store: Store, name: str, key: str, *, as_frame: bool = True) -> pd.DataFrame | Rows | None:
    """The frame stored as ``name`` for ``key``, or None when there is none for that key.

    ``as_frame=False`` gives its rows as plain Python values (:class:`~netgraph.rows.Rows`).
    """
    row = store.con.execute("SELECT payload FROM derived_cache WHERE name = ? AND key = ?",
                            [name, key]).fetchone()
    if row is None:
        return None
    if not as_frame:
        import pyarrow.parquet as pq  # ParquetFile.read, unlike read_table, loads no pandas

        table = pq.ParquetFile(io.BytesIO(row[0])).read()
        columns = [column.to_pylist() for column in table.columns]
        return Rows(tuple(table.column_names), list(zip(*columns, strict=True)),
                    dtypes=_nullable(table.schema.metadata))
    import pandas as pd

    return pd.read_parquet(io.BytesIO(row[0]))


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
    with store.transaction():
        store.con.execute("DELETE FROM derived_cache WHERE name = ?", [name])
        store.con.execute("INSERT INTO derived_cache VALUES (?, ?, ?, ?)",
                          [name, key, datetime.now(), buf.getvalue()])
    return True


def cached(store: Store, name: str, day: str, compute: Callable[[], pd.DataFrame], *,
           as_frame: bool = True) -> pd.DataFrame | Rows:
    """A whole-network result, computed once per data version, day and "me", then read back.

    The key is what the result depends on (the data version, ``day``, "me" and the team); an
    entry under another key is never read, and a read-only store computes it every time.
    ``as_frame=False`` gives it as :class:`~netgraph.rows.Rows`.
    """
    key = "|".join(str(x) for x in (store.data_version(), day, store.me_id, store.team_ids))
    hit = get(store, name, key, as_frame=as_frame)
    if hit is not None:
        return hit
    with task(f"{name.replace('_', ' ')} of the whole network (computed once, kept for next time)"):
        frame = compute()
    put(store, name, key, frame)
    return frame if as_frame else Rows.from_frame(frame)
