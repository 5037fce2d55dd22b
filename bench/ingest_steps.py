"""The measured steps of the ingest suite. Each runs in its own subprocess (see bench._child).

Every function imports what it needs first, then times only the work with
:func:`time.perf_counter`, and returns a JSON-able dict with at least ``seconds``.
Imports stay inside the functions so that each child loads only its own libraries, which
keeps peak memory comparable between steps.
"""

from __future__ import annotations

import time
from typing import Any

__all__ = ["naive_baseline", "netgraph_import", "netgraph_projection", "raw_duckdb_load"]


def netgraph_import(db: str, files: list[str]) -> dict[str, Any]:
    """``open_store(db)`` + ``import_files(store, files)`` + close, with a per-file split.

    ``import_files`` parses every file first and then writes them one by one (one batch and
    transaction each). The parse of each file is timed by wrapping ``netgraph.ingest.batch.parse_any``
    (which ``import_files`` calls through its module); the write of each file is the time
    between the end of parsing (or the previous file's ``on_file`` callback) and its own.
    """
    import netgraph.ingest.batch as ingest
    from netgraph import import_files, open_store  # loaded before the clock starts

    parse_s: dict[str, float] = {}
    parse_end = [0.0]
    real_parse = ingest.parse_any

    def timed_parse(path: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        parsed = real_parse(path, **kwargs)
        parse_end[0] = time.perf_counter()
        parse_s[parsed[0].kind] = parse_end[0] - start
        return parsed

    marks: list[tuple[Any, float]] = []
    ingest.parse_any = timed_parse
    try:
        start = time.perf_counter()
        store = open_store(db)
        opened = time.perf_counter()
        import_files(store, files,
                              on_file=lambda r: marks.append((r, time.perf_counter())))
        written = time.perf_counter()
        store.close()
        seconds = time.perf_counter() - start
    finally:
        ingest.parse_any = real_parse
    write_s, previous = {}, parse_end[0]
    for result, at in marks:
        write_s[result.kind] = at - previous
        previous = at
    return {
        "seconds": seconds,
        "open_s": opened - start,
        "close_s": seconds - (written - start),
        "parse_s": parse_s,
        "write_s": write_s,
        "files": {r.kind: {k: getattr(r, k) for k in (
            "rows_in", "loaded", "duplicates", "rejected", "people_created", "already_imported")}
            for r, _ in marks},
    }


def netgraph_projection(db: str, as_of: str) -> dict[str, Any]:
    """``load_graph(store, as_of)`` on a read-only store, with the SQL part timed inside it.

    ``load_graph`` calls ``pair_features`` (:mod:`netgraph.ties.features`) by the name
    :mod:`netgraph.graph.projection` imported; a timing wrapper put there gives the SQL seconds
    of the very same call, and ``build_s`` is the rest (people query, strength, date conversion
    and the NetworkX construction).
    """
    import netgraph
    import netgraph.graph.projection as projection

    sql: dict[str, float] = {}
    real = projection.pair_features

    def timed(store: Any, as_of: Any = None) -> Any:
        start = time.perf_counter()
        pairs = real(store, as_of)
        sql["seconds"], sql["rows"] = time.perf_counter() - start, len(pairs)
        return pairs

    store = netgraph.open_store(db, read_only=True)
    projection.pair_features = timed
    try:
        start = time.perf_counter()
        graph = netgraph.load_graph(store, as_of=as_of)
        seconds = time.perf_counter() - start
    finally:
        projection.pair_features = real
        store.close()
    return {
        "seconds": seconds,
        "sql_s": sql["seconds"],
        "build_s": seconds - sql["seconds"],
        "pairs": sql["rows"],
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
    }


def naive_baseline(csv: str) -> dict[str, Any]:
    """The obvious pandas + NetworkX projection of interactions.csv, for comparison.

    Read the CSV, treat a blank ``from`` as the fixed id ``"me"``, split ``to`` on ``;`` and
    explode, make (min, max) pairs of from and each to, count interactions and take the
    first/last date per pair with ``groupby``, then ``nx.from_pandas_edgelist``. No identity
    resolution (an email and a name of the same person are two nodes), no to-to pairs of
    group interactions and no introductions: it does less than netgraph, on purpose.
    """
    import networkx as nx
    import pandas as pd

    start = time.perf_counter()
    df = pd.read_csv(csv)
    sender = df["from"].fillna("me").astype(str)
    pairs = pd.DataFrame({"a": sender, "b": df["to"].astype(str).str.split(";"),
                          "date": df["date"]}).explode("b")
    pairs["b"] = pairs["b"].str.strip()
    pairs = pairs[(pairs["b"] != "") & (pairs["a"] != pairs["b"])]
    first = pairs["a"] < pairs["b"]
    pairs = pd.DataFrame({"u": pairs["a"].where(first, pairs["b"]),
                          "v": pairs["b"].where(first, pairs["a"]), "date": pairs["date"]})
    edges = pairs.groupby(["u", "v"], sort=False).agg(
        count=("date", "size"), first=("date", "min"), last=("date", "max")).reset_index()
    graph = nx.from_pandas_edgelist(edges, "u", "v", edge_attr=["count", "first", "last"])
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": len(df), "nodes": graph.number_of_nodes(),
            "edges": graph.number_of_edges()}


def raw_duckdb_load(db: str, csv: str) -> dict[str, Any]:
    """The floor for an import: ``CREATE TABLE t AS SELECT * FROM read_csv_auto(csv)``.

    Timed from connect to close, like the netgraph import (which also opens and closes).
    """
    import duckdb

    start = time.perf_counter()
    con = duckdb.connect(db)
    rows = con.execute("CREATE TABLE t AS SELECT * FROM read_csv_auto(?)", [csv]).fetchone()[0]
    con.close()
    return {"seconds": time.perf_counter() - start, "rows": int(rows)}
