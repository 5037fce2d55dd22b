"""Raw floors for the scale suite: the least work each netgraph step could do, without netgraph.

Each function runs in its own child process (see :mod:`bench._child`), imports only DuckDB,
numpy or igraph, prepares its input untimed, then times only the work with
:func:`time.perf_counter` and returns a JSON-able dict with ``seconds``. The child adds its
own peak RSS. The floors:

:func:`read_csv`
    ``CREATE TABLE interactions AS SELECT * FROM read_csv(interactions.csv)`` into a DuckDB file,
    from connect to close: the floor for ``netgraph import``.
:func:`pair_aggregation`
    From the loaded table (loaded untimed, in memory): unnest every interaction's participants
    (``from`` and the ``;``-separated ``to``), number the people, self-join each interaction's
    participants into pairs ``u < v``, and group by pair with count, first and last date. The
    same shape of work as netgraph's tie SQL. Each intermediate is materialised once (DuckDB
    would otherwise compute the participants twice). The pairs are saved (untimed) for the
    igraph floors.
:func:`igraph_build`
    ``igraph.Graph(n, edges)`` from numpy arrays of those pairs.
:func:`betweenness`
    ``Graph.betweenness(sources=..., weights=...)`` from a seeded sample of sources, with
    distance ``1 / count`` (a pair that meets more is closer).
:func:`leiden`
    ``Graph.community_leiden(objective_function="modularity", weights=count)``.
:func:`constraint`
    ``Graph.constraint(weights=count)`` (Burt's structural holes).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

__all__ = ["betweenness", "constraint", "igraph_build", "leiden", "pair_aggregation", "read_csv"]

PAIRS_FILE = "pairs.npz"

_LOAD = """
CREATE TABLE interactions AS
SELECT row_number() OVER () AS iid, * FROM read_csv(?)
"""

_PAIRS = """
CREATE TABLE pairs AS
WITH parts AS MATERIALIZED (
    SELECT iid, date, "from" AS ref FROM interactions WHERE "from" IS NOT NULL
    UNION ALL
    SELECT iid, date, trim(unnest(string_split("to", ';'))) AS ref FROM interactions
),
people AS MATERIALIZED (
    SELECT ref, (row_number() OVER ()) - 1 AS pid FROM (SELECT DISTINCT ref FROM parts)
),
members AS MATERIALIZED (
    SELECT DISTINCT p.iid, p.date, q.pid FROM parts p JOIN people q USING (ref)
)
SELECT a.pid AS u, b.pid AS v, count(*) AS n, min(a.date) AS first, max(a.date) AS last
FROM members a JOIN members b ON a.iid = b.iid AND a.pid < b.pid
GROUP BY a.pid, b.pid
"""


def read_csv(db: str, csv: str) -> dict[str, Any]:
    """DuckDB's CSV reader into a table of a new database file, from connect to close.

    Parameters
    ----------
    db : str
        The database file to create.
    csv : str
        interactions.csv.

    Returns
    -------
    dict
        ``seconds`` and ``rows``.
    """
    import duckdb

    start = time.perf_counter()
    con = duckdb.connect(db)
    rows = con.execute("CREATE TABLE interactions AS SELECT * FROM read_csv(?)", [csv]).fetchone()
    con.close()
    return {"seconds": time.perf_counter() - start, "rows": int(rows[0])}


def pair_aggregation(csv: str, out_dir: str) -> dict[str, Any]:
    """Pairs of people per interaction, grouped with count and first/last date (DuckDB SQL).

    Parameters
    ----------
    csv : str
        interactions.csv (loaded untimed into an in-memory database first).
    out_dir : str
        Where the pairs are saved (untimed) as ``pairs.npz`` for the igraph floors.

    Returns
    -------
    dict
        ``seconds`` (the aggregation alone), ``pairs``, ``people``.
    """
    import duckdb
    import numpy as np

    con = duckdb.connect()
    con.execute(_LOAD, [csv])
    start = time.perf_counter()
    con.execute(_PAIRS)
    seconds = time.perf_counter() - start
    u, v, n = (con.execute("SELECT u, v, n FROM pairs").fetchnumpy()[k] for k in ("u", "v", "n"))
    people = int(con.execute("SELECT greatest(max(u), max(v)) + 1 FROM pairs").fetchone()[0] or 0)
    np.savez(Path(out_dir) / PAIRS_FILE, u=np.asarray(u, dtype=np.int64),
             v=np.asarray(v, dtype=np.int64), n=np.asarray(n, dtype=np.float64),
             people=np.int64(people))
    con.close()
    return {"seconds": seconds, "pairs": len(u), "people": people}


def _pairs(pairs_dir: str) -> tuple[int, Any, Any]:
    """(people, edges as an (m, 2) array, counts) saved by :func:`pair_aggregation`."""
    import numpy as np

    data = np.load(Path(pairs_dir) / PAIRS_FILE)
    return int(data["people"]), np.column_stack([data["u"], data["v"]]), data["n"]


def _graph(pairs_dir: str) -> tuple[Any, Any]:
    """The igraph graph of the saved pairs and the pair counts (untimed preparation)."""
    import igraph as ig

    people, edges, counts = _pairs(pairs_dir)
    return ig.Graph(n=people, edges=edges), counts


def igraph_build(pairs_dir: str) -> dict[str, Any]:
    """``igraph.Graph(n, edges)`` from the saved numpy pairs.

    Parameters
    ----------
    pairs_dir : str
        The folder :func:`pair_aggregation` saved its pairs in.

    Returns
    -------
    dict
        ``seconds``, ``nodes``, ``edges``.
    """
    import igraph as ig

    people, edges, _ = _pairs(pairs_dir)
    start = time.perf_counter()
    graph = ig.Graph(n=people, edges=edges)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "nodes": graph.vcount(), "edges": graph.ecount()}


def betweenness(pairs_dir: str, sources: int, seed: int = 7) -> dict[str, Any]:
    """Betweenness from ``sources`` sampled people, on distance ``1 / count``.

    Parameters
    ----------
    pairs_dir : str
        The folder :func:`pair_aggregation` saved its pairs in.
    sources : int
        How many source people (sampled without replacement, seeded).
    seed : int
        The sample's seed.

    Returns
    -------
    dict
        ``seconds`` and ``sources``.
    """
    import numpy as np

    graph, counts = _graph(pairs_dir)
    picked = np.random.default_rng(seed).choice(graph.vcount(), size=min(sources, graph.vcount()),
                                                replace=False)
    distance = (1.0 / counts).tolist()
    start = time.perf_counter()
    graph.betweenness(sources=picked.tolist(), weights=distance)
    return {"seconds": time.perf_counter() - start, "sources": len(picked)}


def leiden(pairs_dir: str) -> dict[str, Any]:
    """Leiden communities maximising modularity, weighted by pair counts.

    Parameters
    ----------
    pairs_dir : str
        The folder :func:`pair_aggregation` saved its pairs in.

    Returns
    -------
    dict
        ``seconds``, ``communities`` and ``modularity``.
    """
    graph, counts = _graph(pairs_dir)
    weights = counts.tolist()
    start = time.perf_counter()
    parts = graph.community_leiden(objective_function="modularity", weights=weights)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "communities": len(parts), "modularity": parts.modularity}


def constraint(pairs_dir: str) -> dict[str, Any]:
    """Burt's constraint of every person, weighted by pair counts.

    Parameters
    ----------
    pairs_dir : str
        The folder :func:`pair_aggregation` saved its pairs in.

    Returns
    -------
    dict
        ``seconds`` and ``nodes``.
    """
    graph, counts = _graph(pairs_dir)
    weights = counts.tolist()
    start = time.perf_counter()
    values = graph.constraint(weights=weights)
    return {"seconds": time.perf_counter() - start, "nodes": len(values)}
