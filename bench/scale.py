"""Scale suite: the whole user session from the shell at 10k and 100k people, against raw floors.

Per size and variant (:mod:`bench.scale_data`: ``10k`` = 10,000 people / 1,000,000
interactions, ``100k`` = 100,000 / 10,000,000; *dense* about 32 ties per person, *sparse*
about 5), in a fresh temporary folder:

1. **Raw floors** (:mod:`bench.scale_floors`), each in its own child process with no netgraph
   code: DuckDB ``read_csv`` of interactions.csv; the pair aggregation in DuckDB SQL; igraph
   ``Graph(n, edges)``; igraph betweenness from a seeded sample of sources (500 at 10k, 200 at
   100k); Leiden; constraint. A floor's time is its work alone (no interpreter start-up, no
   imports, no untimed preparation).
2. **The session**, each step a shell command (``python -m netgraph ...`` with ``NETGRAPH_DB``
   set, run in the folder, output to /dev/null, ``--format json`` where the command has it):
   ``--help``; ``import`` of the three CSVs; the tie rebuild (below); ``init --me``;
   ``init --member`` x3 (the team); ``summary``; ``people --top 20``; ``intro`` to a person two
   or three hops from me, to a company, and with ``--team``; ``neglected``; ``explain-tie`` me
   and my closest contact; ``ledger``; ``connectors`` and ``weak-ties``, each twice (the second
   reads the answer the first kept, when it was kept); ``agenda``, ``give`` and ``brief`` of my
   closest contact; ``connectors --global`` twice (the second reads the kept result, a question);
   ``report`` twice (the second reads the whole-network results the first kept). A step's
   *wall s* is the whole process, start-up included (what the user waits for); *peak MB* is
   that process's own ``ru_maxrss`` from ``os.wait4``. Linux carries a parent's peak across
   ``exec``, so it is never below the bench process's own peak, printed under the table (tens of
   MB). A step that exits non-zero is FAILED (with its last stderr line), one that runs past
   ``--step-timeout`` (default 900 s) is TIMEOUT; the session goes on either way.

Every row compares the step with a floor or a target: *ratio* = wall / floor (or / target).

- ``import`` against ``read_csv``: PASS at <= 5x and a peak under 3 GB.
- ``ties: full rebuild`` (``python -m bench.scale_ties``: the whole tie table rebuilt from every
  interaction in one transaction, the process included) against the pair aggregation: PASS at
  <= 2x. The import keeps the table up to date as it goes; this shows that part on its own.
- *import beyond read_csv* (import wall - read_csv floor: resolving people, writing the store,
  and any ties it builds) against the pair aggregation floor: reported, not judged.
- ``init --me`` and ``init --member``: changes, reported, not judged. A change to a large store
  prepares my connectors and weak ties for the next questions (``netgraph.api.prepare``), so
  their work shows here, and the first ``connectors`` and ``weak-ties`` read it.
- every question (``summary``, ``people``, ``intro``, ``neglected``, ``explain-tie``,
  ``ledger``, ``connectors``, ``weak-ties``, each asked again, ``agenda``, ``give``, ``brief``):
  PASS under 1 s.
- ``connectors --global`` against the betweenness floor: reported, not judged.
- ``report``: PASS at <= 10 s; ``--help``: PASS under 0.3 s.
- the whole session (the sum of every step but the tie rebuild, which the import has done, the
  questions asked again, and ``agenda``, ``give`` and ``brief``): PASS under 30 s, judged at 10k only.

Sizes: ``python -m bench scale`` runs 10k; ``--sizes 10k,100k`` adds 100k (any other size name
is skipped). ``--variants dense,sparse`` (default both). ``--repeat`` does not apply: each
session runs once. Datasets are cached under ``bench/data/scale-<size>-<variant>/``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import Options, SuiteResult, register
from bench._child import ROOT, StepFailed, peak_rss_mb, run_step
from bench._table import mb, ratio, seconds, whole
from bench.scale_data import SCALE_SIZES, ScaleDataset, ensure

__all__ = ["Step", "run", "run_cli", "session_steps"]

_FLOORS = "bench.scale_floors"
#: Betweenness sources sampled by the floor, per size.
SOURCES = {"10k": 500, "100k": 200}
HELP_S, QUESTION_S, REPORT_S, SESSION_S = 0.3, 1.0, 10.0, 30.0
IMPORT_X, IMPORT_MB = 5.0, 3 * 1024
#: Building the ties against the raw pair aggregation.
TIES_X = 2.0
#: The size at which the whole-session target is judged.
SESSION_SIZE = "10k"


@dataclass(frozen=True)
class Step:
    """One shell command of the session and what it is compared with.

    ``compare`` is ``help``, ``import``, ``ties``, ``question``, ``again``, ``action``, ``global``
    or ``report``; ``again`` is a question asked a second time, judged as one but measured beside
    the session (it reads the answer the first asking kept); ``action`` is one of the commands
    that turn answers into action (``agenda``, ``give``, ``brief``), judged as a question and
    measured beside the session the scale targets define.
    """

    label: str
    args: tuple[str, ...]
    compare: str
    #: the module run as ``python -m MODULE ARGS``
    module: str = "netgraph"


@dataclass
class Outcome:
    """What one command did: wall seconds, peak RSS, and OK, FAILED or TIMEOUT."""

    wall_s: float
    peak_mb: float
    status: str
    error: str = ""
    exit_code: int | None = None


@dataclass
class Floor:
    """A raw floor's numbers, or why there are none."""

    name: str
    seconds: float | None = None
    peak_mb: float | None = None
    status: str = "OK"
    error: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# -- the session -----------------------------------------------------------------------------------


def session_steps(ds: ScaleDataset) -> list[Step]:
    """The shell session on ``ds``, in order: setup, questions, the global ranking, the report."""
    s = ds.session
    json_out = ("--format", "json")
    team = tuple(arg for email in s["team"] for arg in ("--member", email))
    files = tuple(str(p) for p in ds.files.values())
    return [
        Step("--help", ("--help",), "help"),
        Step("import (3 files)", ("import", *files), "import"),
        Step("ties: full rebuild", (), "ties", module="bench.scale_ties"),
        Step("init --me (prepares my answers)", ("init", "--me", s["me"]), "change"),
        Step("init --member x3 (team; again)", ("init", *team), "change"),
        Step("summary", ("summary", *json_out), "question"),
        Step("people --top 20", ("people", "--top", "20", *json_out), "question"),
        Step(f"intro <person, {s['target_hops']} hops>", ("intro", s["target"], *json_out),
             "question"),
        Step("intro company:<name>", ("intro", f"company:{s['company']}", *json_out), "question"),
        Step("intro <person> --team", ("intro", s["target"], "--team", *json_out), "question"),
        Step("neglected", ("neglected", *json_out), "question"),
        Step("explain-tie <me> <contact>", ("explain-tie", s["me"], s["contact"], *json_out),
             "question"),
        Step("ledger", ("ledger", *json_out), "question"),
        Step("connectors", ("connectors", *json_out), "question"),
        Step("connectors (asked again: kept)", ("connectors", *json_out), "again"),
        Step("weak-ties", ("weak-ties", *json_out), "question"),
        Step("weak-ties (asked again: kept)", ("weak-ties", *json_out), "again"),
        Step("agenda", ("agenda", *json_out), "action"),
        Step("give", ("give", *json_out), "action"),
        Step("brief <contact>", ("brief", s["contact"], *json_out), "action"),
        Step("connectors --global", ("connectors", "--global", *json_out), "global"),
        Step("connectors --global (kept)", ("connectors", "--global", *json_out), "question"),
        Step("report (first: computes the map)", ("report", "--out", "report.html"), "report"),
        Step("report (whole-network results kept)",
             ("report", "--out", "report.html", "--force"), "report"),
    ]


def _last_line(path: Path) -> str:
    """The last non-blank line of a text file, at most 120 characters."""
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8", errors="replace").splitlines()]
    lines = [ln for ln in lines if ln]
    return lines[-1][:120] if lines else ""


def _kill(pid: int) -> None:
    """SIGKILL the process group of ``pid`` (the step and anything it started), if still there."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def run_cli(args: tuple[str, ...], cwd: Path, db: Path, timeout: float,
            module: str = "netgraph") -> Outcome:
    """Run ``python -m MODULE ARGS`` (netgraph) in ``cwd`` with ``NETGRAPH_DB=db``; time and measure it.

    Standard output goes to /dev/null, standard error to a file (its last line explains a
    failure). The process runs in its own session so a timeout stops all of it.
    """
    env = {**os.environ, "NETGRAPH_DB": str(db),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    err_path = cwd / "stderr.txt"
    with err_path.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", module, *args], cwd=cwd, env=env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                                start_new_session=True)
        done: list[tuple[int, Any]] = []  # (status, rusage) once reaped
        waiter = threading.Thread(target=lambda: done.append(os.wait4(proc.pid, 0)[1:]),
                                  daemon=True)
        waiter.start()
        try:
            waiter.join(timeout)
        except BaseException:  # Ctrl-C: the step runs in its own session, so stop it here
            _kill(proc.pid)
            raise
        timed_out = waiter.is_alive()
        if timed_out:
            _kill(proc.pid)
            waiter.join(60.0)
        wall = time.perf_counter() - start
    if not done:  # not even SIGKILL ended it within a minute
        return Outcome(wall, float("nan"), "TIMEOUT", f"stopped after {timeout:.0f} s")
    status, usage = done[0]
    proc.returncode = code = os.waitstatus_to_exitcode(status)  # reaped: Popen must not wait
    peak = round(usage.ru_maxrss / 1024, 1)  # KiB on Linux
    if timed_out:
        return Outcome(wall, peak, "TIMEOUT", f"stopped after {timeout:.0f} s", code)
    if code != 0:
        return Outcome(wall, peak, "FAILED", f"exit {code}: {_last_line(err_path)}", code)
    return Outcome(wall, peak, "OK", exit_code=0)


def run_session(ds: ScaleDataset, work: Path, timeout: float) -> list[tuple[Step, Outcome]]:
    """Every step of :func:`session_steps` in ``work``, in order, whatever each one does."""
    db = work / "netgraph.duckdb"
    results = []
    for step in session_steps(ds):
        _say(f"{ds.name}: netgraph {step.label}")
        outcome = run_cli(step.args, work, db, timeout, step.module)
        if outcome.status != "OK":
            _say(f"{ds.name}: {step.label}: {outcome.status} {outcome.error}")
        results.append((step, outcome))
    return results


# -- the floors ------------------------------------------------------------------------------------


def _floor(name: str, target: str, timeout: float, **kwargs: Any) -> Floor:
    """Run one floor in a child process; a failure or timeout is recorded, not raised."""
    try:
        out = run_step(f"{_FLOORS}:{target}", timeout=timeout, **kwargs)
    except StepFailed as exc:
        text = str(exc)
        status = "TIMEOUT" if "did not finish" in text else "FAILED"
        return Floor(name, status=status, error=text.strip().splitlines()[-1][:120])
    extra = {k: v for k, v in out.items() if k not in ("seconds", "peak_rss_mb")}
    return Floor(name, out["seconds"], out["peak_rss_mb"], extra=extra)


def run_floors(ds: ScaleDataset, size: str, work: Path, timeout: float) -> dict[str, Floor]:
    """The six raw floors on ``ds``'s interactions.csv, each in its own child process."""
    csv = str(ds.files["interactions"])
    floors: dict[str, Floor] = {}
    plan: list[tuple[str, str, str, dict[str, Any]]] = [
        ("read_csv", "read_csv (DuckDB)", "read_csv", {"db": str(work / "raw.duckdb"), "csv": csv}),
        ("pairs", "pair aggregation (DuckDB)", "pair_aggregation",
         {"csv": csv, "out_dir": str(work)}),
        ("build", "igraph Graph(n, edges)", "igraph_build", {"pairs_dir": str(work)}),
        ("betweenness", f"igraph betweenness ({SOURCES[size]} sources)", "betweenness",
         {"pairs_dir": str(work), "sources": SOURCES[size]}),
        ("leiden", "igraph Leiden (modularity)", "leiden", {"pairs_dir": str(work)}),
        ("constraint", "igraph constraint", "constraint", {"pairs_dir": str(work)}),
    ]
    for key, name, target, kwargs in plan:
        if key not in ("read_csv", "pairs") and floors["pairs"].status != "OK":
            floors[key] = Floor(name, status="FAILED", error="no pairs (pair aggregation failed)")
            continue
        _say(f"{ds.name}: floor {name}")
        floors[key] = _floor(name, target, timeout, **kwargs)
    for path in (work / "raw.duckdb", work / "raw.duckdb.wal", work / "pairs.npz"):
        path.unlink(missing_ok=True)
    return floors


# -- the table -------------------------------------------------------------------------------------


def _verdict(ok: bool | None) -> str:
    return "-" if ok is None else ("PASS" if ok else "FAIL")


def _row(step: Step, out: Outcome, floors: dict[str, Floor]) -> dict[str, Any]:
    """One table row as data: the step, what it is compared with, the ratio and the verdict."""
    fl_read, fl_bt = floors["read_csv"].seconds, floors["betweenness"].seconds
    compare: dict[str, tuple[str, float | None, str]] = {
        "help": ("target", HELP_S, f"< {HELP_S} s"),
        "import": ("read_csv floor", fl_read, f"<= {IMPORT_X:.0f}x, < 3 GB"),
        "ties": ("pair aggregation floor", floors["pairs"].seconds, f"<= {TIES_X:.0f}x"),
        "question": ("target", QUESTION_S, f"< {QUESTION_S:.0f} s"),
        "again": ("target", QUESTION_S, f"< {QUESTION_S:.0f} s"),
        "action": ("target", QUESTION_S, f"< {QUESTION_S:.0f} s"),
        "global": ("betweenness floor", fl_bt, "-"),
        "change": ("-", None, "-"),
        "report": ("target", REPORT_S, f"<= {REPORT_S:.0f} s"),
    }
    against, base, target = compare[step.compare]
    ok: bool | None = None
    if out.status != "OK":
        ok = False if target != "-" else None
    elif step.compare == "import":
        ok = None if base is None else (out.wall_s <= IMPORT_X * base and out.peak_mb <= IMPORT_MB)
    elif step.compare == "ties":
        ok = None if base is None else out.wall_s <= TIES_X * base
    elif step.compare in ("help", "question", "again", "action"):
        ok = out.wall_s < base
    elif step.compare == "report":
        ok = out.wall_s <= base
    return {"step": step.label, "kind": "step", "compare": step.compare, "args": list(step.args),
            "status": out.status,
            "error": out.error,
            "wall_s": out.wall_s, "peak_mb": out.peak_mb, "against": against, "base_s": base,
            "ratio": out.wall_s / base if base else None, "target": target,
            "result": _verdict(ok)}


def _beyond_row(import_row: dict[str, Any], floors: dict[str, Floor]) -> dict[str, Any]:
    """Import wall minus the read_csv floor, against the pair aggregation floor."""
    read, pairs = floors["read_csv"].seconds, floors["pairs"].seconds
    beyond = (import_row["wall_s"] - read) if read is not None and import_row["status"] == "OK" \
        else None
    return {"step": "  import beyond read_csv", "kind": "derived",
            "status": "OK" if beyond is not None else "-",
            "error": "", "wall_s": beyond, "peak_mb": None, "against": "pair aggregation floor",
            "base_s": pairs, "ratio": beyond / pairs if beyond is not None and pairs else None,
            "target": "-", "result": "-"}


def _session_row(rows: list[dict[str, Any]], size: str) -> dict[str, Any]:
    """The whole session: every step's wall added up, judged at :data:`SESSION_SIZE` only.

    The tie rebuild is measured beside the session, not in it: the import has built the ties. So
    are the questions asked again (they read what the first asking kept), and the commands that
    turn answers into action, which came after the session's targets were set.
    """
    steps = [r for r in rows if r["kind"] == "step"
             and r.get("compare") not in ("ties", "again", "action")]
    total = sum(r["wall_s"] for r in steps)
    broken = [r["step"] for r in steps if r["status"] != "OK"]
    judged = size == SESSION_SIZE
    ok = None if not judged else (not broken and total < SESSION_S)
    return {"step": "whole session", "kind": "total", "status": "OK", "error":
            f"{len(broken)} step(s) did not finish" if broken else "", "wall_s": total,
            "peak_mb": max((r["peak_mb"] for r in steps), default=None),
            "against": "target", "base_s": SESSION_S, "ratio": total / SESSION_S,
            "target": f"< {SESSION_S:.0f} s" if judged else f"(< {SESSION_S:.0f} s at 10k)",
            "result": _verdict(ok)}


def _wall_text(row: dict[str, Any]) -> str:
    return row["status"] if row["status"] in ("FAILED", "TIMEOUT") else seconds(row["wall_s"])


#: Session table columns: header, left-aligned?, cell text.
_COLUMNS: tuple[tuple[str, bool, Callable[[dict[str, Any]], str]], ...] = (
    ("step", True, lambda r: r["step"]),
    ("wall s", False, _wall_text),
    ("peak MB", False, lambda r: mb(r["peak_mb"])),
    ("compared with", True, lambda r: r["against"]),
    ("floor/target s", False, lambda r: seconds(r["base_s"])),
    ("ratio", False, lambda r: ratio(r["ratio"])),
    ("target", True, lambda r: r["target"]),
    ("result", True, lambda r: r["result"]),
    ("note", True, lambda r: r["error"]),
)


def _render(header: list[str], left: list[bool], rows: list[list[str]]) -> str:
    """Aligned columns, each left- or right-aligned as ``left`` says; a rule under the header."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if lj else c.rjust(w)
                         for c, w, lj in zip(cells, widths, left, strict=True)).rstrip()

    return "\n".join([line(header), "  ".join("-" * w for w in widths), *map(line, rows)])


def session_table(rows: list[dict[str, Any]]) -> str:
    """The session table: one row per step, then the whole session."""
    return _render([c[0] for c in _COLUMNS], [c[1] for c in _COLUMNS],
                   [[fmt(r) for _, _, fmt in _COLUMNS] for r in rows])


def _floor_size(floor: Floor) -> str:
    e = floor.extra
    if "rows" in e:
        return f"{whole(e['rows'])} rows"
    if "pairs" in e:
        return f"{whole(e['pairs'])} pairs of {whole(e['people'])} people"
    if "edges" in e:
        return f"{whole(e['nodes'])} nodes, {whole(e['edges'])} edges"
    if "communities" in e:
        return f"{whole(e['communities'])} communities, modularity {e['modularity']:.3f}"
    if "sources" in e:
        return f"{whole(e['sources'])} sources"
    return f"{whole(e['nodes'])} nodes" if "nodes" in e else ""


def floor_table(floors: dict[str, Floor]) -> str:
    """The raw floors: seconds of work, peak RSS of the child, what they worked on."""
    body = [[f.name, f.status if f.status != "OK" else seconds(f.seconds), mb(f.peak_mb),
             f.error or _floor_size(f)] for f in floors.values()]
    return _render(["raw floor (work only)", "s", "peak MB", "on"], [True, False, False, True], body)


# -- the suite -------------------------------------------------------------------------------------


def _sizes(options: Options) -> list[str]:
    """10k unless ``--sizes`` named sizes; of those, the ones this suite has."""
    if not options.sizes_given:
        return ["10k"]
    known = [s for s in options.sizes if s in SCALE_SIZES]
    skipped = [s for s in options.sizes if s not in SCALE_SIZES]
    if skipped:
        _say(f"scale: no size {', '.join(skipped)} (has {', '.join(SCALE_SIZES)}); skipped")
    return known


def measure(size: str, variant: str, timeout: float) -> dict[str, Any]:
    """Floors and session for one size and variant, in a fresh temporary folder."""
    ds = ensure(size, variant)
    load = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory(prefix=f"netgraph-scale-{size}-{variant}-") as tmp:
        work = Path(tmp)
        floors = run_floors(ds, size, work, timeout)
        session = run_session(ds, work, timeout)
    load.append(os.getloadavg()[0])
    rows = [_row(step, out, floors) for step, out in session]
    at = next(i for i, (step, _) in enumerate(session) if step.compare == "import")
    rows.insert(at + 1, _beyond_row(rows[at], floors))
    rows.append(_session_row(rows, size))
    return {"dataset": ds.name, "size": size, "variant": variant, "counts": ds.session["counts"],
            "session_people": {k: ds.session[k] for k in ("me", "team", "target", "company",
                                                          "contact")},
            "rows": rows, "floors": {k: vars(f) for k, f in floors.items()},
            "load_average": load}


def _heading(result: dict[str, Any]) -> str:
    c = result["counts"]
    per = 2 * c["ties"] / c["people"]
    return (f"scale {result['size']} {result['variant']}: {c['people']:,} people, "
            f"{c['interactions']:,} interactions, {c['ties']:,} distinct ties ({per:.1f} per "
            f"person), {c['introductions']:,} introductions; load average "
            f"{result['load_average'][0]:.1f} before, {result['load_average'][1]:.1f} after "
            f"({os.cpu_count()} CPUs)")


def _verdicts(rows: list[dict[str, Any]]) -> str:
    judged = [r for r in rows if r["result"] in ("PASS", "FAIL")]
    passed = sum(r["result"] == "PASS" for r in judged)
    return f"targets: {passed} of {len(judged)} PASS"


@register("scale", "the whole CLI session at 10k/100k people vs raw DuckDB/igraph floors")
def run(options: Options) -> SuiteResult:
    """Measure every requested size and variant; return the tables and the numbers."""
    results = []
    for size in _sizes(options):
        for variant in options.variants:
            results.append(measure(size, variant, options.step_timeout))
    lines = ["scale: the whole session from the shell, as ratios to raw floors"]
    if not results:
        lines.append(f"  nothing to run: the scale sizes are {', '.join(SCALE_SIZES)}")
    for result in results:
        lines += ["", _heading(result), session_table(result["rows"]), _verdicts(result["rows"]),
                  "", floor_table({k: Floor(**f) for k, f in result["floors"].items()})]
    own = peak_rss_mb()
    lines += ["", f"peak MB of a step is its own ru_maxrss (at least this process's {own:.0f} MB, "
                  "which Linux carries across exec)"]
    return SuiteResult("scale", "\n".join(lines), {"results": results, "parent_peak_mb": own,
                                                   "step_timeout_s": options.step_timeout})
