"""Benchmark datasets: named sizes made by netgraph's seeded generator, cached on disk.

A dataset lives in ``bench/data/<name>/`` (git-ignored): the generator's files
(contacts.csv, interactions.csv, introductions.csv, followups.csv, planted.json) plus
``bench-key.json``, written last, which records the arguments and a hash of the generator's
source (every module of ``netgraph/sample/``). A directory whose key
matches is reused; anything else is regenerated, in a subprocess so the parent stays small.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench._child import ROOT, run_step

__all__ = ["DATA_DIR", "QUICK", "SIZES", "Dataset", "Size", "ensure", "parse_sizes"]

DATA_DIR = ROOT / "bench" / "data"
INPUTS = ("contacts", "interactions", "introductions", "followups")
_KEY_FILE = "bench-key.json"


@dataclass(frozen=True)
class Size:
    """A named dataset size: arguments for :func:`netgraph.sample.dataset.generate`."""

    name: str
    people: int
    interactions: int
    seed: int = 7


SIZES: dict[str, Size] = {s.name: s for s in (
    Size("10k", people=1_000, interactions=10_000),
    Size("100k", people=10_000, interactions=100_000),
    Size("1M", people=100_000, interactions=1_000_000),
)}
QUICK: tuple[str, ...] = ("10k", "100k")


@dataclass(frozen=True)
class Dataset:
    """A generated dataset on disk."""

    size: Size
    path: Path
    planted: dict[str, Any]

    @property
    def files(self) -> dict[str, Path]:
        """The four input CSVs by kind."""
        return {kind: self.path / f"{kind}.csv" for kind in INPUTS}

    @property
    def as_of(self) -> str:
        """The sample's last day (ISO), the natural "as of" for analyses."""
        return str(self.planted["end"])

    def count(self, kind: str) -> int:
        """Rows the generator wrote for ``kind`` (contacts, interactions, ...)."""
        return int(self.planted["counts"][kind])


def parse_sizes(text: str) -> tuple[str, ...]:
    """``"10k,1M"`` -> ``("10k", "1M")``, checked against :data:`SIZES` (case-insensitive)."""
    by_lower = {name.lower(): name for name in SIZES}
    names = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [n for n in names if n.lower() not in by_lower]
    if unknown or not names:
        msg = f"unknown size(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(SIZES)}"
        raise ValueError(msg)
    return tuple(dict.fromkeys(by_lower[n.lower()] for n in names))


#: The generator's source files: a change to any of them regenerates the cached datasets. They
#: are the modules of ``netgraph/sample/`` (dataset, people, planted ties, word lists), found by
#: pattern so a new one is covered too.
_GENERATOR_FILES = tuple(sorted(p.relative_to(ROOT / "netgraph").as_posix()
                                for p in (ROOT / "netgraph" / "sample").glob("*.py")))


def _key(size: Size) -> dict[str, Any]:
    """What the cached files depend on: the arguments and the generator's source."""
    source = b"".join((ROOT / "netgraph" / name).read_bytes() for name in _GENERATOR_FILES)
    return {
        "people": size.people, "interactions": size.interactions, "seed": size.seed,
        "generator_sha256": hashlib.sha256(source).hexdigest(),
    }


def _cached(path: Path, key: dict[str, Any]) -> bool:
    key_file = path / _KEY_FILE
    if not key_file.exists():
        return False
    try:
        stored = json.loads(key_file.read_text(encoding="utf-8"))
    except ValueError:
        return False
    files = [path / f"{kind}.csv" for kind in INPUTS] + [path / "planted.json"]
    return stored == key and all(f.exists() for f in files)


def generate(out_dir: str, people: int, interactions: int, seed: int) -> dict[str, Any]:
    """Subprocess step: generate and write one dataset; returns the time it took."""
    from netgraph.sample.dataset import generate as make
    from netgraph.sample.dataset import write

    start = time.perf_counter()
    write(make(people, seed=seed, interactions=interactions), out_dir)
    return {"seconds": time.perf_counter() - start}


def ensure(size: Size, root: Path = DATA_DIR) -> Dataset:
    """The dataset for ``size``, generated first unless a matching cache exists."""
    path = root / size.name
    key = _key(size)
    if not _cached(path, key):
        print(f"[bench] generating {size.name} ({size.people:,} people, "
              f"{size.interactions:,} interactions) in {path} ...", file=sys.stderr, flush=True)
        (path / _KEY_FILE).unlink(missing_ok=True)
        path.mkdir(parents=True, exist_ok=True)
        done = run_step("bench.datasets:generate", out_dir=str(path), people=size.people,
                        interactions=size.interactions, seed=size.seed)
        (path / _KEY_FILE).write_text(json.dumps(key, indent=2) + "\n", encoding="utf-8")
        print(f"[bench] generated {size.name} in {done['seconds']:.1f} s", file=sys.stderr,
              flush=True)
    planted = json.loads((path / "planted.json").read_text(encoding="utf-8"))
    return Dataset(size, path, planted)
