"""``python -m bench [SUITE ...] [--sizes ...] [--quick] [--repeat N] [--out PATH] [--list]``.

The scale suite also reads ``--variants dense,sparse`` and ``--step-timeout SECONDS``.

See the :mod:`bench` package docstring for what runs and what the numbers mean.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from bench import Options, SuiteResult, load_suites
from bench._child import StepFailed
from bench.datasets import QUICK, SIZES, parse_sizes
from bench.scale_data import VARIANTS

_LIBRARIES = ("netgraph", "duckdb", "pandas", "numpy", "networkx", "igraph", "pyarrow")


def _cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo, or what :mod:`platform` knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gb() -> float | None:
    try:
        import psutil
    except ImportError:
        return None
    return round(psutil.virtual_memory().total / 2**30, 1)


def machine() -> dict[str, Any]:
    """Where the numbers were measured: CPUs, memory, Python and library versions."""
    versions = {}
    for lib in _LIBRARIES:
        try:
            versions[lib] = metadata.version(lib)
        except metadata.PackageNotFoundError:
            versions[lib] = None
    return {
        "cpu_count": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory_gb": _memory_gb(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "versions": versions,
        "date": datetime.now().isoformat(timespec="seconds"),
    }


def machine_text(info: dict[str, Any]) -> str:
    """Two lines about the machine for the top of the output."""
    libs = ", ".join(f"{k} {v}" for k, v in info["versions"].items() if v)
    memory = f", {info['memory_gb']} GB RAM" if info["memory_gb"] else ""
    return (f"machine: {info['cpu_count']} CPUs ({info['cpu']}){memory}, {info['platform']}\n"
            f"python {info['python']}; {libs}")


def parse_args(argv: list[str] | None, suite_names: list[str]) -> argparse.Namespace:
    """The command line; ``suites`` defaults to every registered suite."""
    ap = argparse.ArgumentParser(
        prog="python -m bench", description="netgraph benchmarks (see bench/__init__.py).")
    ap.add_argument("suites", nargs="*", metavar="SUITE",
                    help=f"suites to run (default: all): {', '.join(suite_names)}")
    ap.add_argument("--sizes", default=None,
                    help=f"comma-separated dataset sizes (default: {','.join(SIZES)}; the scale "
                         "suite runs 10k unless --sizes names 100k)")
    ap.add_argument("--quick", action="store_true",
                    help=f"only the sizes {','.join(QUICK)} (overrides --sizes)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs per step; the fastest time and the largest memory are kept")
    ap.add_argument("--variants", default="dense,sparse",
                    help="scale suite: network variants, comma-separated (default: dense,sparse)")
    ap.add_argument("--step-timeout", type=float, default=900.0,
                    help="scale suite: seconds each step may take before it is stopped "
                         "(default: 900)")
    ap.add_argument("--out", type=Path, help="also save the results as JSON here")
    ap.add_argument("--list", action="store_true", help="list the suites and exit")
    args = ap.parse_args(argv)
    unknown = [s for s in args.suites if s not in suite_names]
    if unknown:
        ap.error(f"unknown suite(s) {', '.join(unknown)}; choose from {', '.join(suite_names)}")
    if args.repeat < 1:
        ap.error("--repeat must be at least 1")
    args.sizes_given = args.sizes is not None and not args.quick
    try:
        args.sizes = QUICK if args.quick else parse_sizes(args.sizes or ",".join(SIZES))
    except ValueError as exc:
        ap.error(str(exc))
    args.variants = tuple(dict.fromkeys(v.strip() for v in args.variants.split(",") if v.strip()))
    if not args.variants or set(args.variants) - set(VARIANTS):
        ap.error(f"--variants takes {', '.join(VARIANTS)}")
    if args.step_timeout <= 0:
        ap.error("--step-timeout must be positive")
    args.suites = args.suites or suite_names
    return args


def save(path: Path, info: dict[str, Any], options: Options, results: list[SuiteResult]) -> None:
    """Write machine, options and every suite's data as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"machine": info, "sizes": list(options.sizes), "repeat": options.repeat,
           "suites": {r.name: r.data for r in results}}
    path.write_text(json.dumps(doc, indent=2, default=str) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the requested suites, print their tables, optionally save JSON."""
    suites = load_suites()
    args = parse_args(argv, list(suites))
    if args.list:
        for suite in suites.values():
            print(f"{suite.name:<12} {suite.description}")
        return 0
    info = machine()
    options = Options(sizes=tuple(args.sizes), repeat=args.repeat, sizes_given=args.sizes_given,
                      variants=args.variants, step_timeout=args.step_timeout)
    print(machine_text(info), flush=True)
    results = []
    for name in args.suites:
        try:
            result = suites[name].run(options)
        except StepFailed as exc:
            print(f"\n{name}: a measured step failed: {exc}", file=sys.stderr)
            return 1
        results.append(result)
        print(f"\n{result.text}", flush=True)
    if args.out:
        save(args.out, info, options, results)
        print(f"\nsaved {args.out}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
