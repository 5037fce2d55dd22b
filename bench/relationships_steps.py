"""Measured steps of the relationships suite (each runs in its own subprocess)."""

from __future__ import annotations

import time
from typing import Any

__all__ = ["build_store", "strength_and_neglect"]


def build_store(db: str, files: list[str], me: str) -> dict[str, Any]:
    """Import the dataset and record "me" (setup, not measured against a target)."""
    import netgraph

    start = time.perf_counter()
    with netgraph.open_store(db) as store:
        netgraph.import_files(store, files[:1])
        netgraph.set_me(store, me)
        netgraph.import_files(store, files[1:])
    return {"seconds": time.perf_counter() - start}


def strength_and_neglect(db: str, as_of: str) -> dict[str, Any]:
    """Strength of every tie, then my neglected list and dormant ties, with a split.

    The baseline is the raw DuckDB call that computes the per-pair features (the SQL alone),
    measured in the same process.
    """
    import netgraph
    from netgraph.analytics import neglect
    from netgraph.ties.features import pair_features
    from netgraph.ties.history import my_history
    from netgraph.ties.model import strength as tie_strength

    with netgraph.open_store(db, read_only=True) as store:
        t0 = time.perf_counter()
        pairs = pair_features(store, as_of)
        t1 = time.perf_counter()
        strength = tie_strength(pairs)
        t2 = time.perf_counter()
        hist = my_history(store, as_of)
        t3 = time.perf_counter()
        listed = neglect.neglected(hist)
        dormant = neglect.dormant(hist)
        t4 = time.perf_counter()
    return {
        "seconds": t4 - t0,
        "sql_s": t1 - t0,
        "model_s": t2 - t1,
        "history_s": t3 - t2,
        "neglect_s": t4 - t3,
        "ties": len(pairs),
        "strong_ties": int((strength >= 0.5).sum()),
        "my_ties": len(hist.ties),
        "neglected": len(listed),
        "dormant": len(dormant),
    }
