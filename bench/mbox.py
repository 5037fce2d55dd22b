"""mbox suite: netgraph's streamed mbox parser and import against the standard library.

Sizes
-----
This suite picks its own file sizes instead of the 10k/100k/1M datasets: "10MB" and "100MB"
(MiB) when the run includes the largest dataset size (``1M``, the default), only "10MB"
otherwise (``--quick``, or ``--sizes`` without ``1M``). The memory-growth line and its target
need both sizes.

Data
----
A seeded generator (:func:`bench.mbox_steps.generate`, 800 to 950 messages per 10 MB, most
bytes in message bodies and a few large base64 attachments, ~5% mailing-list or no-reply mail)
writes ``bench/data/mbox/<size>.mbox`` (git-ignored), its body-less twin
``<size>-bodies-removed.mbox`` and ``<size>.json``, written last, with
the cache key (target bytes, seed, a hash of the generator's source) and the generator's
counts. A file whose key matches is reused.

Steps
-----
Per size, each in a fresh subprocess (:mod:`bench.mbox_steps`):

``parse``
    ``netgraph.sources.mbox.parse(path, my_emails=[owner])``: headers only, bodies skipped.
    *messages/s* = messages in the file (bulk mail included) / seconds.
``parse, bodies removed``
    The same call on a twin of the file with the same messages and header blocks but every
    body replaced by one line (:func:`bench.mbox_steps.strip_bodies`, cached with the file).
    *body bytes' share of parse peak* = parse peak - this peak: what the bodies cost in memory
    (about zero if the parser streams), the time difference what they cost in time.
``import``
    ``netgraph.open_store(tmp.duckdb)`` + ``netgraph.import_files(store, [path])`` + close (the
    owner is recorded with ``set_me`` first; that call is not in the time).
``stdlib``
    ``mailbox.mbox(path)``: build the table of contents, then read each message whole
    (``email`` parses bodies and MIME parts) and read its From/To/Cc/Date headers.
    *parse vs stdlib* = stdlib s / parse s (how many times faster netgraph's parser is).
``floor``
    ``for line in fh: pass`` over the file in binary: the floor for any line-by-line reader.

*peak MB* is each step's own process peak RSS (interpreter and imports included; pandas and
DuckDB make most of it). *parse working MB* is the parse's peak minus its peak right after its
imports. *peak MB growth 10MB->100MB* (below the table) is each step's peak at 100MB minus at
10MB: the file grows by 90 MB and the message count about 11 times. With ``--repeat N``
each step runs N times; times are the fastest, memory the largest.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import Options, SuiteResult, register
from bench._child import run_step
from bench._table import mb, rate, ratio, render, seconds, whole
from bench._targets import Target, best_run, judge, target_line
from bench.datasets import DATA_DIR

__all__ = ["MBOX_SIZES", "TARGETS", "MailboxFile", "ensure", "measure", "metrics", "run", "sizes_for"]

_STEPS = "bench.mbox_steps"
_MB = 2**20
SEED = 2024


@dataclass(frozen=True)
class MboxSize:
    """A named mailbox size: the generator writes messages until the file reaches ``bytes``."""

    name: str
    bytes: int
    seed: int = SEED


MBOX_SIZES: dict[str, MboxSize] = {s.name: s for s in (
    MboxSize("10MB", 10 * _MB),
    MboxSize("100MB", 100 * _MB),
)}
SMALL, LARGE = "10MB", "100MB"


def sizes_for(options: Options) -> tuple[str, ...]:
    """Both mailbox sizes when the run includes the largest dataset size (1M), else 10MB."""
    return (SMALL, LARGE) if "1M" in options.sizes else (SMALL,)


@dataclass(frozen=True)
class MailboxFile:
    """A generated mailbox on disk, its body-less twin and the generator's counts."""

    size: MboxSize
    path: Path
    bare: Path
    counts: dict[str, Any]

    @property
    def messages(self) -> int:
        return int(self.counts["messages"])

    @property
    def bulk(self) -> int:
        """Mailing-list and no-reply messages, which netgraph skips."""
        return int(self.counts["list"]) + int(self.counts["noreply"])


def _key(size: MboxSize) -> dict[str, Any]:
    from bench.mbox_steps import generator_source

    return {"bytes": size.bytes, "seed": size.seed,
            "generator_sha256": hashlib.sha256(generator_source().encode()).hexdigest()}


def ensure(size: MboxSize, root: Path = DATA_DIR / "mbox") -> MailboxFile:
    """The mailbox for ``size``, generated (in a subprocess) unless a matching cache exists."""
    path, meta = root / f"{size.name}.mbox", root / f"{size.name}.json"
    bare = root / f"{size.name}-bodies-removed.mbox"
    key = _key(size)
    stored: dict[str, Any] = {}
    if meta.exists():
        try:
            stored = json.loads(meta.read_text(encoding="utf-8"))
        except ValueError:
            stored = {}
    counts = stored.get("counts", {})
    fresh = (stored.get("key") == key and path.exists() and bare.exists()
             and path.stat().st_size == counts.get("bytes")
             and bare.stat().st_size == counts.get("bare_bytes"))
    if not fresh:
        _say(f"generating {size.name} mailbox in {path} ...")
        meta.unlink(missing_ok=True)
        root.mkdir(parents=True, exist_ok=True)
        counts = run_step(f"{_STEPS}:generate", out=str(path), target_bytes=size.bytes,
                          seed=size.seed)
        _say(f"generated {size.name}: {counts['messages']:,} messages in {counts['seconds']:.1f} s")
        counts = {k: v for k, v in counts.items() if k not in ("seconds", "peak_rss_mb")}
        counts["bare_bytes"] = run_step(f"{_STEPS}:strip_bodies", src=str(path),
                                        out=str(bare))["bytes"]
        stored = {"key": key, "counts": counts}
        meta.write_text(json.dumps(stored, indent=2) + "\n", encoding="utf-8")
    return MailboxFile(size, path, bare, stored["counts"])


def _signed(value: float) -> str:
    return f"{value:+,.1f}"


#: Table rows: label, metric key, format.
ROWS: tuple[tuple[str, str, Callable[[Any], str]], ...] = (
    ("file MB", "file_mb", lambda v: f"{v:,.1f}"),
    ("messages", "messages", whole),
    ("  of which attachments (base64)", "attachments", whole),
    ("  of which bulk (skipped)", "bulk", whole),
    ("parse s", "parse_s", seconds),
    ("parse messages/s", "parse_msgs_per_s", rate),
    ("parse MB/s", "parse_mb_per_s", lambda v: f"{v:,.1f}"),
    ("interactions parsed", "rows", whole),
    ("parse s, same messages, bodies removed", "bare_s", seconds),
    ("import s (open + import_files + close)", "import_s", seconds),
    ("import messages/s", "import_msgs_per_s", rate),
    ("interactions loaded", "loaded", whole),
    ("promises found (mail I sent)", "promises", whole),
    ("import s, promises not read", "unread_s", seconds),
    ("import with promises vs without (x)", "promise_cost", ratio),
    ("stdlib mailbox s", "stdlib_s", seconds),
    ("  of which table of contents s", "stdlib_toc_s", seconds),
    ("parse vs stdlib (x faster)", "parse_vs_stdlib", ratio),
    ("read floor s (binary lines)", "floor_s", seconds),
    ("parse vs floor (x slower)", "parse_vs_floor", ratio),
    ("peak MB parse", "parse_mb", mb),
    ("  parse working MB (peak - after imports)", "parse_work_mb", mb),
    ("peak MB parse, bodies removed", "bare_mb", mb),
    ("  body bytes' share of parse peak MB", "body_mb", _signed),
    ("peak MB import", "import_mb", mb),
    ("peak MB stdlib", "stdlib_mb", mb),
    ("peak MB floor", "floor_mb", mb),
)


#: The point of the memory targets: the parser keeps only headers, so its memory does not grow
#: with the file's bytes. Of the 250 MB, the interpreter + pandas take about 150 MB. What does
#: grow is the per-message state (rows, recipients: about 1-2 KB a message), so the growth limit
#: from 10 MB to 100 MB is half of the 90 MB the file grows by, and the direct test is the
#: body-less twin: the same messages without ~95% of the bytes must peak within 10 MB of the
#: real file. The rates are a 100k-message mailbox parsed in under a minute, imported in two.
TARGETS: tuple[Target, ...] = (
    Target("parse peak at 100 MB < 250 MB", "parse_mb", 250, False, LARGE, mb),
    Target("parse peak growth 10MB->100MB < 45 MB", "parse_growth_mb", 45, False, LARGE, mb),
    Target("body bytes add < 10 MB to parse peak", "body_mb", 10, False, "all", _signed),
    Target("parse >= 2,000 messages/s", "parse_msgs_per_s", 2_000, True, "largest", rate),
    Target("import >= 1,000 messages/s", "import_msgs_per_s", 1_000, True, "largest", rate),
    Target("parse faster than stdlib mailbox", "parse_vs_stdlib", 1.0, True, "largest", ratio),
    Target("promises cost <= 1.3x the import", "promise_cost", 1.3, False, "largest", ratio),
)


def _say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def measure(box: MailboxFile, repeat: int, work: Path) -> dict[str, dict[str, Any]]:
    """Run the four steps ``repeat`` times on ``box``; the best result of each step."""
    path, name = str(box.path), box.size.name
    runs: dict[str, list[dict[str, Any]]] = {"floor": [], "parse": [], "bare": [], "import": [],
                                             "unread": [], "stdlib": []}
    for i in range(repeat):
        tag = f"{name} run {i + 1}/{repeat}"
        _say(f"{tag}: read floor")
        runs["floor"].append(run_step(f"{_STEPS}:floor_read", path=path))
        _say(f"{tag}: netgraph parse")
        runs["parse"].append(run_step(f"{_STEPS}:netgraph_parse", path=path))
        _say(f"{tag}: netgraph parse, bodies removed")
        runs["bare"].append(run_step(f"{_STEPS}:netgraph_parse", path=str(box.bare)))
        _say(f"{tag}: netgraph import")
        db = work / f"{name}-{i}.duckdb"
        runs["import"].append(run_step(f"{_STEPS}:netgraph_import", db=str(db), path=path))
        for p in (db, db.with_name(db.name + ".wal")):
            p.unlink(missing_ok=True)
        _say(f"{tag}: netgraph import, promises not read")
        runs["unread"].append(run_step(f"{_STEPS}:netgraph_import", db=str(db), path=path,
                                       promises=False))
        for p in (db, db.with_name(db.name + ".wal")):
            p.unlink(missing_ok=True)
        _say(f"{tag}: stdlib mailbox")
        runs["stdlib"].append(run_step(f"{_STEPS}:stdlib_mailbox", path=path))
    return {step: best_run(r) for step, r in runs.items()}


def metrics(box: MailboxFile, steps: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The table's numbers for one size."""
    parse, imp, std, floor = steps["parse"], steps["import"], steps["stdlib"], steps["floor"]
    bare = steps["bare"]
    n, file_mb = box.messages, box.counts["bytes"] / _MB
    files = imp["files"]
    return {
        "size": box.size.name, "file_mb": file_mb, "messages": n,
        "attachments": box.counts["attachments"], "bulk": box.bulk,
        "parse_s": parse["seconds"], "parse_msgs_per_s": n / parse["seconds"],
        "parse_mb_per_s": file_mb / parse["seconds"], "rows": parse["rows"],
        "bare_s": bare["seconds"], "bare_mb": bare["peak_rss_mb"],
        "body_mb": parse["peak_rss_mb"] - bare["peak_rss_mb"],
        "import_s": imp["seconds"], "import_msgs_per_s": n / imp["seconds"],
        "promises": imp["promises"], "unread_s": steps["unread"]["seconds"],
        "promise_cost": imp["seconds"] / steps["unread"]["seconds"],
        "loaded": sum(f["loaded"] for f in files),
        "stdlib_s": std["seconds"], "stdlib_toc_s": std["toc_s"],
        "parse_vs_stdlib": std["seconds"] / parse["seconds"],
        "floor_s": floor["seconds"], "parse_vs_floor": parse["seconds"] / floor["seconds"],
        "parse_mb": parse["peak_rss_mb"],
        "parse_work_mb": parse["peak_rss_mb"] - parse["ready_mb"],
        "import_mb": imp["peak_rss_mb"], "stdlib_mb": std["peak_rss_mb"],
        "floor_mb": floor["peak_rss_mb"],
    }


def _growth(rows: list[dict[str, Any]]) -> list[str]:
    """The "peak MB growth 10MB->100MB" line, and the growth numbers on the largest row."""
    by_size = {r["size"]: r for r in rows}
    if SMALL not in by_size or LARGE not in by_size:
        return [f"peak MB growth {SMALL}->{LARGE}: not measured (only 10MB ran; run without --quick)"]
    small, large = by_size[SMALL], by_size[LARGE]
    for key in ("parse", "import", "stdlib"):
        large[f"{key}_growth_mb"] = large[f"{key}_mb"] - small[f"{key}_mb"]
    return [
        f"peak MB growth {SMALL}->{LARGE} (file +{large['file_mb'] - small['file_mb']:,.0f} MB, "
        f"messages x{large['messages'] / small['messages']:.1f}): "
        f"parse {large['parse_growth_mb']:+,.1f} MB, import {large['import_growth_mb']:+,.1f} MB, "
        f"stdlib {large['stdlib_growth_mb']:+,.1f} MB",
    ]


def _notes(boxes: dict[str, MailboxFile], steps_by_size: dict[str, dict[str, dict[str, Any]]]
           ) -> list[str]:
    """Count mismatches between the generator, netgraph and the standard library."""
    notes = []
    for name, steps in steps_by_size.items():
        box = boxes[name]
        want = box.messages - box.bulk
        parse = steps["parse"]
        if parse["rows"] != want or parse["rejects"]:
            notes.append(f"  note: {name}: parse gave {parse['rows']:,} interactions and "
                         f"{parse['rejects']:,} rejects; the generator wrote {want:,} non-bulk "
                         "messages")
        loaded = sum(f["loaded"] for f in steps["import"]["files"])
        if loaded != want:
            notes.append(f"  note: {name}: import loaded {loaded:,} of {want:,} messages")
        if steps["bare"]["rows"] != parse["rows"]:
            notes.append(f"  note: {name}: the body-less twin gave {steps['bare']['rows']:,} "
                         f"interactions, the real file {parse['rows']:,}")
        if steps["stdlib"]["messages"] != box.messages:
            notes.append(f"  note: {name}: stdlib mailbox read {steps['stdlib']['messages']:,} "
                         f"messages, the generator wrote {box.messages:,}")
    return notes


def table(rows: list[dict[str, Any]]) -> str:
    """Metrics down the side, one column per size."""
    header = ["metric", *(r["size"] for r in rows)]
    return render(header, [[label, *(fmt(r[key]) for r in rows)] for label, key, fmt in ROWS])


@register("mbox", "streamed mbox parse and import vs stdlib mailbox and a plain read (10/100 MB)")
def run(options: Options) -> SuiteResult:
    """Measure each mailbox size; the table, the growth line, target verdicts and the data."""
    boxes: dict[str, MailboxFile] = {}
    steps_by_size: dict[str, dict[str, dict[str, Any]]] = {}
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="netgraph-bench-mbox-") as tmp:
        for name in sizes_for(options):
            boxes[name] = ensure(MBOX_SIZES[name])
            steps_by_size[name] = measure(boxes[name], options.repeat, Path(tmp))
            rows.append(metrics(boxes[name], steps_by_size[name]))
    growth = _growth(rows)
    verdicts = [judge(t, rows) for t in TARGETS]
    lines = [
        "mbox: netgraph streamed parse and import vs stdlib mailbox.mbox",
        table(rows),
        *growth,
        "",
        "targets",
        *(target_line(t, v, 40) for t, v in zip(TARGETS, verdicts, strict=True)),
        *_notes(boxes, steps_by_size),
    ]
    data = {"sizes": rows, "steps": steps_by_size, "targets": verdicts, "repeat": options.repeat,
            "generator": {name: box.counts for name, box in boxes.items()}}
    return SuiteResult("mbox", "\n".join(lines), data)
