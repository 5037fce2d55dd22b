"""Report suite: writing the self-contained HTML report, against raw pyvis on the same people.

Datasets: a 2,000-person sample (``2k``, made by the same seeded generator, 34,000
interactions), always measured, plus the selected sizes ("10k" = 1,000 people, "100k" = 10,000
people, "1M" = 100,000 people), each capped at :data:`MAX_NODES` people in the view. Per
dataset the store is imported and "me" recorded (not timed), then one fresh subprocess
(:func:`bench.report_steps.write_report`) times:

``load``
    :func:`netgraph.load_graph`, the projection.
``analyses``
    :func:`netgraph.report.data.gather`: summary, the history of my ties, connectors,
    communities, neglected ties, weak ties, warm paths to the planted hard-to-reach targets,
    monthly activity, and the choice of the people shown.
``write``
    :func:`netgraph.report.html.render` + writing the file: the layout (igraph Fruchterman-Reingold,
    also timed alone as *layout*), the node and edge lists, the tables, the chart and the page.
``pyvis bulk + template``
    The baseline, in the same process on the same people and ties: pyvis's ``Network`` with
    ``net.nodes``/``net.edges`` filled in bulk (its ``add_node`` is quadratic) and its own
    ``generate_html()``. *write vs pyvis* divides the write time by it; *write - layout vs
    pyvis* leaves the layout out (pyvis has none: it lays out in the browser).

Targets: writing (render + file) a 2,000-person view under 5 s at every size; and the whole
report of the 2,000-person store, from the store to the file, under 5 s.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

from bench import Options, SuiteResult, register
from bench._child import run_step
from bench._table import mb, ratio, render, seconds, whole
from bench.datasets import SIZES, Size, ensure

__all__ = ["MAX_NODES", "run"]

_STEPS = "bench.report_steps"
MAX_NODES = 2000
TARGET_S = 5.0
TWO_K = Size("2k", people=2_000, interactions=34_000)

ROWS = (
    ("people", "people", whole),
    ("ties", "ties", whole),
    ("people shown", "shown", whole),
    ("ties among them", "ties_among_shown", whole),
    ("ties drawn", "drawn", whole),
    ("report from the store s (total)", "seconds", seconds),
    ("  load (projection) s", "load_s", seconds),
    ("  analyses s", "analyses_s", seconds),
    ("  write (render + file) s", "write_s", seconds),
    ("    of which layout s", "layout_s", seconds),
    ("pyvis bulk + template s (baseline)", "pyvis_s", seconds),
    ("write vs pyvis", "vs_pyvis", ratio),
    ("write - layout vs pyvis", "vs_pyvis_no_layout", ratio),
    ("file MB", "mb", lambda v: f"{v:.1f}"),
    ("peak MB", "peak_rss_mb", mb),
)


@register("report", "the HTML report at 2,000 people shown vs raw pyvis bulk fill + template")
def run(options: Options) -> SuiteResult:
    rows: list[dict[str, Any]] = []
    sizes = [TWO_K, *(SIZES[name] for name in options.sizes)]
    with tempfile.TemporaryDirectory(prefix="netgraph-bench-") as tmp:
        for size in sizes:
            ds = ensure(size)
            db = str(Path(tmp) / f"{size.name}.duckdb")
            print(f"[bench] {size.name}: import and init", file=sys.stderr, flush=True)
            run_step("bench.relationships_steps:build_store", db=db,
                     files=[str(p) for p in ds.files.values()], me=ds.planted["me"]["id"])
            targets = [h["id"] for h in ds.planted.get("hard_to_reach", [])]
            best = None
            for i in range(options.repeat):
                print(f"[bench] {size.name} run {i + 1}/{options.repeat}: report",
                      file=sys.stderr, flush=True)
                r = run_step(f"{_STEPS}:write_report", db=db, as_of=ds.as_of,
                             out=str(Path(tmp) / f"{size.name}.html"), max_nodes=MAX_NODES,
                             targets=targets)
                best = r if best is None or r["seconds"] < best["seconds"] else best
            label = f"{size.name} ({size.people:,} people)"
            rows.append({"size": label, **best, "vs_pyvis": best["write_s"] / best["pyvis_s"],
                         "vs_pyvis_no_layout": (best["write_s"] - best["layout_s"]) / best["pyvis_s"]})
    header = ["metric", *(r["size"] for r in rows)]
    body = [[label, *(fmt(r[key]) for r in rows)] for label, key, fmt in ROWS]
    write_ok = all(r["write_s"] < TARGET_S for r in rows)
    total_ok = rows[0]["seconds"] < TARGET_S
    lines = ["report: the HTML report vs raw pyvis (bulk fill + its template)", render(header, body),
             "", "targets",
             f"  {'PASS' if write_ok else 'FAIL':4}  writing a {MAX_NODES:,}-person view "
             f"< {TARGET_S:.0f} s at every size",
             f"  {'PASS' if total_ok else 'FAIL':4}  the whole report of the 2,000-person store "
             f"< {TARGET_S:.0f} s"]
    return SuiteResult("report", "\n".join(lines),
                       {"sizes": rows, "targets": {"write": write_ok, "total_2k": total_ok}})
