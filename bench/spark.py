"""Spark suite: the tie table and each whole-network metric on Spark (local mode) vs one machine.

On the scale suite's 10k network (:mod:`bench.scale_data`: 10,000 people, 1,000,000
interactions, dense), in a temporary folder:

1. import the CSVs into a store (not timed here: see the scale suite), export the tie query's
   tables as Parquet (``export --store-tables``);
2. **baselines**, in this process: the whole tie table rebuilt in DuckDB (``refresh(full=True)``);
   then on the compiled engine (igraph, numpy) built from the tie table: connected components,
   PageRank on strength (igraph's PRPACK), degree and 2-hop reach (``neighborhood_size``),
   embeddedness and overlap (the local weak-ties engine), Burt's constraint (igraph);
3. **Spark** in ``local[*]`` (every core of this machine): the session start, then the same,
   step by step, as ``netgraph spark ties`` and ``netgraph spark metrics`` run them.

*ratio* = Spark / baseline, both measured in this run. Spark's steps include writing and reading
Parquet where its commands do; the baselines read arrays already in memory. The session start
has no baseline. Needs the extra (``pip install 'netgraph[spark]'``) and Java.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from bench import Options, SuiteResult, register
from bench._table import ratio, render, seconds, whole

SIZE, VARIANT = "10k", "dense"


def _baselines(db: Path, day) -> tuple[dict[str, float], dict]:
    import networkx as nx
    import numpy as np

    from netgraph.analytics.connectors import constraint
    from netgraph.analytics.weak_ties import _tie_structure
    from netgraph.graph.engine import engine, remember
    from netgraph.store.database import open_store
    from netgraph.ties.table import refresh

    times: dict[str, float] = {}
    with open_store(db) as store:
        start = time.perf_counter()
        with store.transaction():
            refresh(store, full=True, day=day)
        times["ties"] = time.perf_counter() - start
        cols = store.con.execute("SELECT u, v, strength FROM ties").fetchnumpy()
    u, v, s = (np.asarray(cols[c]) for c in ("u", "v", "strength"))
    G = nx.Graph()
    G.add_nodes_from(np.unique(np.r_[u, v]).tolist())
    remember(G, u, v, s)
    E = engine(G)
    g = E.graph
    steps = {
        "connected components": lambda: g.connected_components(),
        "PageRank on strength": lambda: g.pagerank(weights="strength"),
        "degree and strength": lambda: (g.degree(), g.strength(weights="strength")),
        "2-hop reach": lambda: g.neighborhood_size(order=2),
        "embeddedness and overlap": lambda: _tie_structure(E),
        "Burt's constraint": lambda: constraint(E),
    }
    for name, work in steps.items():
        start = time.perf_counter()
        work()
        times[name] = time.perf_counter() - start
    return times, {"people": E.n, "ties": len(u)}


def _spark(tables: Path, work: Path, day) -> tuple[dict[str, float], dict]:
    from netgraph.spark.metrics import compute_metrics
    from netgraph.spark.session import start, stop
    from netgraph.spark.ties import compute_ties

    begin = time.perf_counter()
    spark = start("local[*]")
    times = {"session start": time.perf_counter() - begin}
    try:
        run = compute_ties(spark, tables, work / "ties", as_of=day)
        times["ties"] = sum(run.seconds.values())
        metrics = compute_metrics(spark, work / "ties", work / "metrics")
        times.update(metrics.seconds)
        times["triangles + embeddedness"] = (times.pop("triangles")
                                             + times.pop("embeddedness and overlap"))
        times["embeddedness and overlap"] = times.pop("triangles + embeddedness")
    finally:
        stop(spark)
    return times, {"ties": run.ties, "rounds": metrics.rounds, "iterations": metrics.iterations}


@register("spark", "tie table and whole-network metrics on Spark (local mode) vs DuckDB/igraph, 10k")
def run(options: Options) -> SuiteResult:
    try:
        from netgraph.spark.session import java_command, require

        require("pyspark"), require("sqlglot")
        java_command()
    except Exception as exc:
        return SuiteResult("spark", f"spark: skipped ({exc})")
    import datetime as dt

    import netgraph as ng
    from bench.scale_data import ensure
    from netgraph.report.export import export_tables

    data = ensure(SIZE, VARIANT)
    day = dt.date.today()
    work = Path(tempfile.mkdtemp(prefix="bench-spark-"))
    try:
        db = work / "store.duckdb"
        with ng.open_store(db) as store:
            ng.import_files(store, [data.files[k] for k in ("contacts", "interactions",
                                                            "introductions")])
            export_tables(store, work / "tables")
        local, figures = _baselines(db, day)
        spark, found = _spark(work / "tables", work, day)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    order = ["session start", "ties", "degree and strength", "connected components",
             "PageRank on strength", "2-hop reach", "embeddedness and overlap",
             "Burt's constraint", "write the metrics", "count"]
    rows = [[step, seconds(spark.get(step)), seconds(local.get(step)),
             ratio(spark[step] / local[step]) if step in local and step in spark else "-"]
            for step in order]
    head = (f"spark: {SIZE} {VARIANT} ({whole(figures['people'])} people, "
            f"{whole(figures['ties'])} ties), local[*]; components in {found['rounds']} rounds, "
            f"PageRank in {found['iterations']} iterations")
    text = head + "\n" + render(["step", "spark s", "one machine s", "ratio"], rows)
    return SuiteResult("spark", text, {"spark": spark, "local": local, **figures, **found})
