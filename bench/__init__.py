"""netgraph benchmarks: seeded datasets, one fresh subprocess per measured step, plain tables.

Run
---
``make bench`` or, from the project root::

    .venv/bin/python -m bench                      # every registered suite, all sizes
    .venv/bin/python -m bench ingest --quick       # one suite, sizes 10k and 100k only
    .venv/bin/python -m bench --sizes 1M --out bench/results/ingest.json
    .venv/bin/python -m bench --list               # the registered suites

Options: ``--sizes 10k,100k,1M`` (default all three), ``--quick`` (10k and 100k),
``--repeat N`` (run each step N times, keep the fastest, report the largest peak memory),
``--out PATH`` (also save machine info and every suite's numbers as JSON). Progress goes to
stderr; the tables go to stdout. The scale suite (below) has sizes of its own and two more
options, ``--variants dense,sparse`` and ``--step-timeout SECONDS`` (default 900).

Datasets
--------
Made by the project's own seeded generator (:func:`netgraph.sample.dataset.generate` and
:func:`netgraph.sample.dataset.write`): "10k" = 1,000 people / 10,000 interactions, "100k" = 10,000 /
100,000, "1M" = 100,000 / 1,000,000 (the ~2,000 planted rows are part of the total). They are
cached under ``bench/data/<name>/`` with a key (the arguments and a hash of the generator's
source), so reruns skip generation until the arguments or the generator's files
(the modules of ``netgraph/sample/``) change.

Measurement
-----------
Each measured step runs in its own ``python -m bench._child`` process, so peak memory (the
process's peak RSS in MB: ``VmHWM`` on Linux, else ``ru_maxrss``; it includes the interpreter
and the libraries the step imports) belongs to that step alone. Wall time
(``time.perf_counter``) covers only the step, not interpreter start-up or module imports.
Every ratio compares two numbers measured in the same run on the same files. See
:mod:`bench.ingest` for what each number of the ingest table means.

Scale
-----
``python -m bench scale`` runs the whole user session from the shell, as a user would, on
networks far larger than the sample: "10k" = 10,000 people / 1,000,000 interactions (the
default, also when no suite is named), "100k" = 100,000 / 10,000,000 (only with
``--sizes 10k,100k``). Each size comes in two variants: *dense* (about 32 distinct ties per
person) and *sparse* (about 5). The networks are made by :mod:`bench.scale_data` (numpy,
seeded: communities of about 50 people, heavy-tailed activity, "me" a heavy mailbox with a team
of three, dates over the last three years up to today) and cached under
``bench/data/scale-<size>-<variant>/``.

In a fresh temporary folder, every step is a ``python -m netgraph`` command (``--format json``
where it has one, output to /dev/null): ``--help``, ``import``, ``init --me``, ``init --member``
(the team), ``summary``, ``people --top 20``, three ``intro`` questions (a person two or three
hops away, ``company:NAME``, ``--team``), ``neglected``, ``explain-tie``, ``ledger``,
``connectors``, ``weak-ties``, ``connectors --global`` and ``report``. Each step gets its wall
time (process start to exit) and its own peak RSS (``ru_maxrss`` from ``os.wait4``); a step that
fails or runs past ``--step-timeout`` is reported as FAILED or TIMEOUT and the session goes on.

The same run measures raw floors on the same files, each in its own process and with no
netgraph code (:mod:`bench.scale_floors`): DuckDB ``read_csv``, the pair aggregation in DuckDB
SQL, igraph ``Graph(n, edges)``, betweenness from sampled sources, Leiden and constraint. The
table gives every step's ratio to its floor or target and a PASS/FAIL against the targets:
import <= 5x read_csv with a peak under 3 GB; every question under 1 s; the report <= 10 s;
``--help`` under 0.3 s; the whole session at 10k under 30 s. See :mod:`bench.scale`.

Adding a suite
--------------
Write ``bench/<name>.py`` with a function ``run(options: Options) -> SuiteResult`` decorated
with ``@register("<name>", "one line description")``, and add the module to
:data:`SUITE_MODULES`. Put code that runs inside measured subprocesses in a separate module
with lazy imports (see :mod:`bench.ingest_steps`), so the child loads only what the step needs.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["SUITES", "SUITE_MODULES", "Options", "Suite", "SuiteResult", "load_suites", "register"]

#: Modules that register suites when imported, in the order ``python -m bench`` runs them.
SUITE_MODULES: tuple[str, ...] = (
    "bench.ingest", "bench.relationships", "bench.connectors", "bench.weak_ties", "bench.paths",
    "bench.report", "bench.mbox", "bench.scale", "bench.spark",
)


@dataclass(frozen=True)
class Options:
    """What the command line asks of every suite.

    ``sizes_given`` says whether the sizes were named with ``--sizes`` (a suite with sizes of
    its own, such as scale, uses them only then). ``variants`` and ``step_timeout`` are read by
    the scale suite alone.
    """

    sizes: tuple[str, ...]
    repeat: int = 1
    sizes_given: bool = False
    variants: tuple[str, ...] = ("dense", "sparse")
    step_timeout: float = 900.0


@dataclass
class SuiteResult:
    """A suite's output: the text printed to stdout and the numbers saved with ``--out``."""

    name: str
    text: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Suite:
    """A registered benchmark suite."""

    name: str
    description: str
    run: Callable[[Options], SuiteResult]


#: Registered suites by name, filled in by :func:`register` when suite modules are imported.
SUITES: dict[str, Suite] = {}


def register(name: str, description: str) -> Callable[[Callable[[Options], SuiteResult]],
                                                    Callable[[Options], SuiteResult]]:
    """Decorator: register ``run(options) -> SuiteResult`` as the suite ``name``."""

    def decorate(run: Callable[[Options], SuiteResult]) -> Callable[[Options], SuiteResult]:
        if name in SUITES and SUITES[name].run is not run:
            msg = f"benchmark suite {name!r} is registered twice"
            raise ValueError(msg)
        SUITES[name] = Suite(name, description, run)
        return run

    return decorate


def load_suites() -> dict[str, Suite]:
    """Import every module in :data:`SUITE_MODULES` and return the registry."""
    for module in SUITE_MODULES:
        importlib.import_module(module)
    return SUITES
