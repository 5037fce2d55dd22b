"""Connectors suite: connectors + weak ties on the projected sample graphs, per metric.

Per size the dataset is imported and "me" recorded (setup), then fresh subprocesses measure:
``analyse`` (netgraph's ``connectors(G)`` and ``weak_ties(G)``, each metric timed, and the raw
igraph calls they rest on, in the same process), ``networkx_baseline`` (pure NetworkX for the
same metrics, only at sizes where it finishes in minutes) and, at one size, the accuracy of
sampled betweenness against exact (Spearman rank correlation and overlap of the top 1%).
*overhead vs raw* = (betweenness + constraint + communities as netgraph runs them) / (the raw
igraph calls). Targets: connectors + weak ties of 10k people < 10 s, of 100k people < 2 min,
overhead over the raw engine calls < 1.5x.
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

_STEPS = "bench.connectors_steps"
#: Pure NetworkX runs only up to this many people (at 10k its betweenness takes ~15 minutes).
NX_MAX_PEOPLE = 1_000
#: Exact-vs-sampled accuracy is measured on this size (exact takes ~40 s at 10k people).
ACCURACY_SIZE = "100k"

ROWS = (
    ("people", "people", whole),
    ("ties", "edges", whole),
    ("connectors + weak ties s", "seconds", seconds),
    ("  betweenness s", "betweenness_s", seconds),
    ("    raw igraph betweenness s", "raw_betweenness_s", seconds),
    ("  constraint s", "constraint_s", seconds),
    ("    raw igraph constraint s", "raw_constraint_s", seconds),
    ("  effective size s (sparse)", "effective_size_s", seconds),
    ("  communities s (Leiden)", "communities_s", seconds),
    ("    raw igraph Leiden s", "raw_leiden_s", seconds),
    ("  weak ties s", "weak_ties_s", seconds),
    ("overhead vs raw engine", "overhead", ratio),
    ("pure NetworkX s (4 metrics)", "nx_s", seconds),
    ("  nx betweenness s", "nx_betweenness_s", seconds),
    ("  nx constraint s", "nx_constraint_s", seconds),
    ("  nx louvain s", "nx_communities_s", seconds),
    ("  nx local_bridges s", "nx_local_bridges_s", seconds),
    ("netgraph vs NetworkX", "vs_nx", ratio),
    ("peak MB", "peak_rss_mb", mb),
)


def _say(text: str) -> None:
    print(f"[bench] {text}", file=sys.stderr, flush=True)


@register("connectors", "connectors and weak ties vs raw igraph calls and pure NetworkX")
def run(options: Options) -> SuiteResult:
    rows: list[dict[str, Any]] = []
    accuracy = None
    with tempfile.TemporaryDirectory(prefix="netgraph-bench-") as tmp:
        for name in options.sizes:
            ds = ensure(SIZES[name])
            db = str(Path(tmp) / f"{name}.duckdb")
            _say(f"{name}: import and init")
            run_step("bench.relationships_steps:build_store", db=db,
                     files=[str(p) for p in ds.files.values()], me=ds.planted["me"]["id"])
            _say(f"{name}: connectors and weak ties")
            r = min((run_step(f"{_STEPS}:analyse", db=db, as_of=ds.as_of)
                     for _ in range(options.repeat)), key=lambda x: x["seconds"])
            engine_part = r["betweenness_s"] + r["constraint_s"] + r["communities_s"]
            raw_part = r["raw_betweenness_s"] + r["raw_constraint_s"] + r["raw_leiden_s"]
            row = {"size": name, "people": ds.count("contacts"), **r,
                   "overhead": engine_part / raw_part}
            if ds.count("contacts") <= NX_MAX_PEOPLE:
                _say(f"{name}: pure NetworkX")
                nxr = run_step(f"{_STEPS}:networkx_baseline", db=db, as_of=ds.as_of)
                row.update({f"nx_{k}": v for k, v in nxr.items() if k != "peak_rss_mb"})
                row["nx_s"] = nxr["seconds"]
                row["vs_nx"] = r["seconds"] / nxr["seconds"]
            if name == ACCURACY_SIZE:
                _say(f"{name}: sampled vs exact betweenness")
                accuracy = run_step(f"{_STEPS}:betweenness_accuracy", db=db, as_of=ds.as_of)
            rows.append(row)
    header = ["metric", *(r["size"] for r in rows)]
    body = [[label, *(fmt(r.get(key)) for r in rows)] for label, key, fmt in ROWS]
    lines = ["connectors: connectors + weak ties vs raw igraph and pure NetworkX",
             render(header, body), ""]
    if accuracy:
        lines.append(
            f"sampled betweenness at {accuracy['n']:,} people, k={accuracy['k']} sources: "
            f"Spearman {accuracy['spearman']:.3f}, top-1% overlap {accuracy['top1_overlap']:.2f}, "
            f"{accuracy['sampled_s']:.2f} s against {accuracy['exact_s']:.1f} s exact "
            f"({accuracy['exact_s'] / accuracy['sampled_s']:.0f}x faster)")
    by_people = {r["people"]: r for r in rows}
    checks = [("connectors + weak ties of 10k people < 10 s", by_people.get(10_000), 10.0),
              ("connectors + weak ties of 100k people < 120 s", by_people.get(100_000), 120.0)]
    lines += ["", "targets"]
    for text, row, limit in checks:
        status = "SKIP" if row is None else "PASS" if row["seconds"] < limit else "FAIL"
        lines.append(f"  {status:4}  {text}")
    worst = max((r["overhead"] for r in rows), default=None)
    status = "SKIP" if worst is None else "PASS" if worst < 1.5 else "FAIL"
    lines.append(f"  {status:4}  overhead over the raw engine calls < 1.5x (worst {worst or 0:.2f}x)")
    return SuiteResult("connectors", "\n".join(lines), {"sizes": rows, "accuracy": accuracy})
