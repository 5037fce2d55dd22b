"""Derived results kept in the store: whole-network analyses, computed once per data version.

Each entry is a DataFrame stored as Parquet bytes under a name, with the key it was computed
for (the caller builds it from the data version, the day and the parameters). :func:`get`
returns it only while the key still matches, so a stale entry is never read; :func:`put`
replaces it. A read-only store keeps nothing: the caller computed the result anyway.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from netgraph._progress import task
from netgraph.store.database import Store

if TYPE_CHECKING:  # pandas loads when an entry is read back
    import pandas as pd

__all__ = ["cached", "get", "put"]

log = logging.getLogger(__name__)


def get(store: Store, name: str, key: str) -> pd.DataFrame | None:
    """The frame stored as ``name`` for ``key``, or None when there is none for that key."""
    row = store.con.execute("SELECT payload FROM derived_cache WHERE name = ? AND key = ?",
                            [name, key]).fetchone()
    if row is None:
        return None
    import pandas as pd

    return pd.read_parquet(io.BytesIO(row[0]))


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


def cached(store: Store, name: str, day: str, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """A whole-network result, computed once per data version, day and "me", then read back.

    The key is what the result depends on (the data version, ``day``, "me" and the team); an
    entry under another key is never read, and a read-only store computes it every time.
    """
    key = "|".join(str(x) for x in (store.data_version(), day, store.me_id, store.team_ids))
    hit = get(store, name, key)
    if hit is not None:
        return hit
    with task(f"{name.replace('_', ' ')} of the whole network (computed once, kept for next time)"):
        frame = compute()
    put(store, name, key, frame)
    return frame
