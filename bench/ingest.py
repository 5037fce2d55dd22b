"""Ingest suite: netgraph import and projection against two baselines, per dataset size.

Per size, four steps run, each in a fresh subprocess (``bench.ingest_steps``):

``import``
    ``netgraph.open_store(tmp.duckdb)`` + ``netgraph.import_files(store, the 4 CSVs)`` + close.
    *import s* is all of it; *interactions.csv s* is that file alone (its parse plus its write
    batch), split into *parse s* (``netgraph.sources``: CSV, validation) and *write s*
    (resolve references, fingerprints, inserts). *import rows/s* = interaction rows /
    interactions.csv s.
``raw load``
    ``duckdb.connect(tmp).execute("CREATE TABLE t AS SELECT * FROM read_csv_auto(?)")`` on
    interactions.csv: the floor for an import. *import vs raw load* = interactions.csv s /
    raw load s (how many times slower than DuckDB's own CSV reader netgraph is).
``projection``
    ``netgraph.load_graph(store, as_of=<the sample's end date>)`` on the imported store,
    opened read-only. *sql s* is the ``netgraph.pair_features`` call inside it (DuckDB),
    *build s* the rest (strength, date conversion, NetworkX). *nodes*, *edges*: the graph's.
``naive baseline``
    pandas ``read_csv`` of interactions.csv, explode ``to``, ``groupby`` (min, max) pairs,
    ``nx.from_pandas_edgelist`` (see :func:`bench.ingest_steps.naive_baseline`).
    *projection vs naive* = projection s / naive s; below 1 means netgraph is faster.

*peak MB* is each step's own process peak RSS (interpreter and libraries included).
With ``--repeat N`` each step runs N times; times are the fastest run, memory the largest.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import Options, SuiteResult, register
from bench._child import run_step
from bench._table import mb, rate, ratio, render, seconds, whole
from bench._targets import Target, best_run, judge, target_line
from bench.datasets import SIZES, Dataset, ensure

__all__ = ["TARGETS", "measure", "metrics", "run"]

_STEPS = "bench.ingest_steps"

#: Table rows: label, metric key, format.
ROWS: tuple[tuple[str, str, Callable[[Any], str]], ...] = (
    ("people", "people", whole),
    ("interactions", "interactions", whole),
    ("import s (4 files)", "import_s", seconds),
    ("  interactions.csv s", "inter_s", seconds),
    ("    parse s", "inter_parse_s", seconds),
    ("    write s (resolve + insert)", "inter_write_s", seconds),
    ("import rows/s (interactions)", "import_rows_per_s", rate),
    ("raw duckdb load s (interactions)", "raw_s", seconds),
    ("import vs raw load (x slower)", "import_vs_raw", ratio),
    ("projection s (load_graph)", "projection_s", seconds),
    ("  sql s (pair_features)", "sql_s", seconds),
    ("  build s (graph)", "build_s", seconds),
    ("naive baseline s (pandas + nx)", "naive_s", seconds),
    ("projection vs naive (<1 better)", "projection_vs_naive", ratio),
    ("nodes", "nodes", whole),
    ("edges", "edges", whole),
    ("naive nodes / edges", "naive_graph", str),
    ("peak MB import", "import_mb", mb),
    ("peak MB projection", "projection_mb", mb),
    ("peak MB naive baseline", "naive_mb", mb),
    ("peak MB raw load", "raw_mb", mb),
)


TARGETS: tuple[Target, ...] = (
    Target("import >= 100,000 interaction rows/s", "import_rows_per_s", 100_000, True,
           "largest", rate),
    Target("projection no slower than naive baseline at 1M", "projection_vs_naive", 1.0, False,
           "1M", ratio),
    Target("projection peak memory < 4 GB", "projection_mb", 4096, False, "all", mb),
)


def _say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def _remove_db(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)


def measure(ds: Dataset, repeat: int, work: Path) -> dict[str, dict[str, Any]]:
    """Run the four steps ``repeat`` times on ``ds``; the best result of each step."""
    files = [str(p) for p in ds.files.values()]
    inter = str(ds.files["interactions"])
    runs: dict[str, list[dict[str, Any]]] = {"raw": [], "import": [], "projection": [],
                                             "naive": []}
    for i in range(repeat):
        raw_db, db = work / f"{ds.size.name}-raw-{i}.duckdb", work / f"{ds.size.name}-{i}.duckdb"
        _say(f"{ds.size.name} run {i + 1}/{repeat}: raw duckdb load")
        runs["raw"].append(run_step(f"{_STEPS}:raw_duckdb_load", db=str(raw_db), csv=inter))
        _remove_db(raw_db)
        _say(f"{ds.size.name} run {i + 1}/{repeat}: netgraph import")
        runs["import"].append(run_step(f"{_STEPS}:netgraph_import", db=str(db), files=files))
        _say(f"{ds.size.name} run {i + 1}/{repeat}: netgraph projection")
        runs["projection"].append(
            run_step(f"{_STEPS}:netgraph_projection", db=str(db), as_of=ds.as_of))
        _remove_db(db)
        _say(f"{ds.size.name} run {i + 1}/{repeat}: naive baseline")
        runs["naive"].append(run_step(f"{_STEPS}:naive_baseline", csv=inter))
    return {step: best_run(r) for step, r in runs.items()}


def metrics(ds: Dataset, steps: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The table's numbers for one size, from the best step results."""
    imp, proj, naive, raw = steps["import"], steps["projection"], steps["naive"], steps["raw"]
    n = ds.count("interactions")
    parse_s, write_s = imp["parse_s"]["interactions"], imp["write_s"]["interactions"]
    inter_s = parse_s + write_s
    return {
        "size": ds.size.name, "people": ds.count("contacts"), "interactions": n,
        "import_s": imp["seconds"], "inter_s": inter_s, "inter_parse_s": parse_s,
        "inter_write_s": write_s, "import_rows_per_s": n / inter_s,
        "raw_s": raw["seconds"], "import_vs_raw": inter_s / raw["seconds"],
        "projection_s": proj["seconds"], "sql_s": proj["sql_s"], "build_s": proj["build_s"],
        "naive_s": naive["seconds"], "projection_vs_naive": proj["seconds"] / naive["seconds"],
        "nodes": proj["nodes"], "edges": proj["edges"],
        "naive_graph": f"{naive['nodes']:,} / {naive['edges']:,}",
        "import_mb": imp["peak_rss_mb"], "projection_mb": proj["peak_rss_mb"],
        "naive_mb": naive["peak_rss_mb"], "raw_mb": raw["peak_rss_mb"],
    }


def table(rows: list[dict[str, Any]]) -> str:
    """Metrics down the side, one column per size."""
    header = ["metric", *(r["size"] for r in rows)]
    body = [[label, *(fmt(r[key]) for r in rows)] for label, key, fmt in ROWS]
    return render(header, body)


def _notes(steps_by_size: dict[str, dict[str, dict[str, Any]]], rows: list[dict[str, Any]]
           ) -> list[str]:
    """Anything unexpected: rejected or duplicate rows in generated data, row-count mismatches."""
    notes = []
    for row in rows:
        steps = steps_by_size[row["size"]]
        for kind, f in steps["import"]["files"].items():
            if f["rejected"] or f["duplicates"] or f["already_imported"]:
                notes.append(f"  note: {row['size']} {kind}.csv: {f['rejected']:,} rejected, "
                             f"{f['duplicates']:,} duplicates of {f['rows_in']:,} rows")
        if steps["raw"]["rows"] != row["interactions"]:
            notes.append(f"  note: {row['size']}: raw load read {steps['raw']['rows']:,} rows, "
                         f"the generator wrote {row['interactions']:,}")
    return notes


@register("ingest", "netgraph import and projection vs raw DuckDB load and pandas + NetworkX")
def run(options: Options) -> SuiteResult:
    """Measure every requested size and return the table, the target verdicts and the data."""
    rows: list[dict[str, Any]] = []
    steps_by_size: dict[str, dict[str, dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory(prefix="netgraph-bench-") as tmp:
        for name in options.sizes:
            ds = ensure(SIZES[name])
            steps_by_size[name] = measure(ds, options.repeat, Path(tmp))
            rows.append(metrics(ds, steps_by_size[name]))
    verdicts = [judge(t, rows) for t in TARGETS]
    lines = [
        "ingest: netgraph import and projection vs baselines",
        table(rows),
        "",
        "targets",
        *(target_line(t, v) for t, v in zip(TARGETS, verdicts, strict=True)),
        *_notes(steps_by_size, rows),
    ]
    data = {"sizes": rows, "steps": steps_by_size, "targets": verdicts,
            "repeat": options.repeat}
    return SuiteResult("ingest", "\n".join(lines), data)
