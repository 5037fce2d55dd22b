"""Relationships suite: tie strength for every pair, and my neglected and dormant ties.

Per size: the dataset is imported and "me" recorded (not timed against a target), then one
fresh subprocess measures ``ties.pair_features`` (the SQL: the raw DuckDB call, the baseline),
``ties.strength`` on every pair (the model, vectorised numpy), ``history.my_history`` (my
ties now and at their monthly peaks, contact gaps, follow-ups, introductions) and
``neglect.neglected`` + ``neglect.dormant``. *total vs sql* is how many times the raw DuckDB
aggregation the whole analysis takes. Target: under 30 s at 100k people / 1M interactions.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from bench import Options, SuiteResult, register
from bench._child import run_step
from bench._table import mb, ratio, render, seconds, whole
from bench.datasets import SIZES, ensure

_STEPS = "bench.relationships_steps"

ROWS = (
    ("people", "people", whole),
    ("interactions", "interactions", whole),
    ("ties (all pairs)", "ties", whole),
    ("strength + neglect s (total)", "seconds", seconds),
    ("  pair features s (sql, baseline)", "sql_s", seconds),
    ("  strength model s (all pairs)", "model_s", seconds),
    ("  my history s (sql: now, peaks, gaps)", "history_s", seconds),
    ("  neglected + dormant s", "neglect_s", seconds),
    ("total vs sql alone", "vs_sql", ratio),
    ("my ties", "my_ties", whole),
    ("neglected listed", "neglected", whole),
    ("dormant listed", "dormant", whole),
    ("peak MB", "peak_rss_mb", mb),
)
TARGET_S = 30.0


@register("relationships", "tie strength for all pairs, neglected and dormant ties vs the raw SQL")
def run(options: Options) -> SuiteResult:
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="netgraph-bench-") as tmp:
        for name in options.sizes:
            ds = ensure(SIZES[name])
            db = str(Path(tmp) / f"{name}.duckdb")
            files = [str(p) for p in ds.files.values()]
            print(f"[bench] {name}: import and init", file=sys.stderr, flush=True)
            run_step(f"{_STEPS}:build_store", db=db, files=files, me=ds.planted["me"]["id"])
            best = None
            for i in range(options.repeat):
                print(f"[bench] {name} run {i + 1}/{options.repeat}: strength and neglect",
                      file=sys.stderr, flush=True)
                r = run_step(f"{_STEPS}:strength_and_neglect", db=db, as_of=ds.as_of)
                best = r if best is None or r["seconds"] < best["seconds"] else best
            rows.append({"size": name, "people": ds.count("contacts"),
                         "interactions": ds.count("interactions"),
                         "vs_sql": best["seconds"] / best["sql_s"], **best})
    header = ["metric", *(r["size"] for r in rows)]
    body = [[label, *(fmt(r[key]) for r in rows)] for label, key, fmt in ROWS]
    largest = rows[-1] if rows else None
    verdict = ("SKIP" if largest is None or largest["size"] != "1M"
               else "PASS" if largest["seconds"] < TARGET_S else "FAIL")
    lines = ["relationships: strength and neglect vs the raw per-pair SQL", render(header, body), "",
             "targets",
             f"  {verdict:4}  strength + neglect at 100k people / 1M interactions < {TARGET_S:.0f} s"]
    return SuiteResult("relationships", "\n".join(lines), {"sizes": rows, "target": verdict})
