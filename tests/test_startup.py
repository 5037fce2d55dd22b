"""A quick command line: ``netgraph --help`` and the listings load no heavy library.

``import netgraph`` loads only the errors; every other public name loads from its module on
first use. The CLI modules import the analyses, the readers and the report inside the commands
that need them, so ``netgraph --help`` loads neither pandas nor DuckDB, and ``netgraph people``
loads no graph library. Each check runs ``python -X importtime`` in a fresh process and reads
which modules it loaded; wall times are printed (``pytest -s``), never asserted.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import netgraph as ng
from netgraph.cli.main import main
from netgraph.cli.output import LaterChoice, LaterOption

DATA = Path(__file__).parent / "data"
#: What ``netgraph --help`` must not load: the data and graph libraries, and the store's engine.
NOT_FOR_HELP = ("pandas", "numpy", "scipy", "igraph", "networkx", "pyvis", "pyarrow", "duckdb")
#: What listing the people must not load: the graph libraries and the report's.
NOT_FOR_PEOPLE = ("scipy", "igraph", "networkx", "pyvis")


def loaded(*args: str, cwd: Path, module: bool = True) -> tuple[set[str], str]:
    """Run ``python -X importtime -m netgraph ARGS`` (or ``-c ARGS[0]``) in a fresh process.

    Returns the top-level names of every module it imported, and what it printed.
    """
    command = [sys.executable, "-X", "importtime", *(["-m", "netgraph"] if module else ["-c"]), *args]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)
    print(f"{' '.join(args)[:60]}: {time.perf_counter() - started:.2f} s (with -X importtime)")
    assert done.returncode == 0, done.stderr[-2000:]
    names = {line.rsplit("|", 1)[1].strip().split(".")[0]
             for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "netgraph" in names, "no import was recorded"  # the measurement itself works
    return names, done.stdout


@pytest.fixture(scope="module")
def tiny_db(tmp_path_factory) -> Path:
    """The tiny contacts, interactions and introductions, imported with ``netgraph import``."""
    db = tmp_path_factory.mktemp("startup") / "tiny.duckdb"
    files = [str(DATA / f"tiny_{kind}.csv") for kind in ("contacts", "interactions", "introductions")]
    res = CliRunner().invoke(main, ["--db", str(db), "import", *files])
    assert res.exit_code == 0, res.output
    return db


# -- the command line ---------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["--help"], ["people", "--help"], ["--version"]])
def test_help_loads_no_heavy_library(tmp_path, args):
    names, shown = loaded(*args, cwd=tmp_path)
    assert shown.strip()
    assert not names & set(NOT_FOR_HELP), sorted(names & set(NOT_FOR_HELP))


def test_help_still_lists_every_command(tmp_path):
    _, shown = loaded("--help", cwd=tmp_path)
    for name in main.commands:
        assert f"  {name} " in shown, name


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_people_loads_no_graph_library(tiny_db, tmp_path, fmt):
    names, shown = loaded("--db", str(tiny_db), "people", "--format", fmt, cwd=tmp_path)
    assert "Ann Lee" in shown and "Cy Young" in shown
    assert not names & set(NOT_FOR_PEOPLE), sorted(names & set(NOT_FOR_PEOPLE))
    assert "duckdb" in names  # it did read the store


# -- option values that load when shown ---------------------------------------------------------


def _later_params() -> dict[tuple[str, str], LaterChoice | LaterOption]:
    found = {}
    for name, command in main.commands.items():
        for param in command.params:
            if isinstance(param, LaterOption) or isinstance(param.type, LaterChoice):
                found[name, param.name] = param
    return found


def test_deferred_option_values_are_the_named_constants():
    from netgraph.identity import dedupe
    from netgraph.report import export
    from netgraph.sources import KINDS, detect, ics

    params = _later_params()
    ctx = main.make_context("netgraph", ["people"], resilient_parsing=True)
    assert params["import", "kind"].type.choices == tuple(KINDS)
    assert params["import", "fmt"].type.choices == tuple(detect.FORMATS)
    assert params["export", "fmt"].type.choices == tuple(export.FORMATS)
    assert params["import", "max_attendees"].get_default(ctx, call=False) == ics.MAX_ATTENDEES
    assert params["import", "max_occurrences"].get_default(ctx, call=False) == ics.MAX_OCCURRENCES
    assert params["dedupe", "min_score"].get_default(ctx, call=False) == dedupe.MIN_SCORE
    assert len(params) == 7, sorted(params)  # a new deferred value gets a line above


def test_deferred_values_show_in_the_help():
    from netgraph.identity import dedupe
    from netgraph.report import export
    from netgraph.sources import ics
    from netgraph.sources.reading import MAX_FILE_BYTES, format_size

    runner = CliRunner()
    shown = " ".join(runner.invoke(main, ["import", "--help"]).output.split())
    assert f"calendars: skip meetings with more people than this (all-hands say little). " \
           f"[default: {ics.MAX_ATTENDEES}; x>=2]" in shown.lower()
    assert f"[default: {ics.MAX_OCCURRENCES}; x>=1]" in shown
    assert f"default {format_size(MAX_FILE_BYTES)}), and devices or pipes" in shown
    assert "(dynamic)" not in shown
    shown = " ".join(runner.invoke(main, ["dedupe", "--help"]).output.split())
    assert f"[default: {dedupe.MIN_SCORE}; 0<=x<=100]" in shown
    shown = " ".join(runner.invoke(main, ["export", "--help"]).output.split())
    assert "|".join(export.FORMATS) in shown


def test_a_deferred_choice_still_refuses_what_it_does_not_hold(tmp_path):
    res = CliRunner().invoke(main, ["--db", str(tmp_path / "x.duckdb"), "export", "out.x",
                                    "--format", "xlsx"])
    assert res.exit_code == 2 and "'xlsx' is not one of" in res.output


# -- the package's public names, loaded on first use --------------------------------------------


def test_import_netgraph_loads_no_heavy_library(tmp_path):
    names, _ = loaded("import netgraph", cwd=tmp_path, module=False)
    assert not names & set(NOT_FOR_HELP), sorted(names & set(NOT_FOR_HELP))


def test_every_public_name_loads_from_its_module():
    import importlib

    for name in ng.__all__:
        value = getattr(ng, name)
        assert value is not None, name
        if name in ng._LAZY:
            module, attribute = ng._LAZY[name]
            assert value is getattr(importlib.import_module(module), attribute), name
    assert set(ng.__all__) <= set(dir(ng))
    assert set(ng._LAZY) < set(ng.__all__)


def test_from_netgraph_import_star_and_unknown_names():
    space: dict = {}
    exec("from netgraph import *", space)
    assert set(ng.__all__) <= set(space)
    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        ng.no_such_name  # noqa: B018


def test_type_checkers_see_the_same_names_as_the_lazy_table():
    tree = ast.parse(Path(ng.__file__).read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If)
                 and getattr(node.test, "id", None) == "TYPE_CHECKING")
    seen = {(node.module, alias.name, alias.asname or alias.name)
            for node in block.body if isinstance(node, ast.ImportFrom) for alias in node.names}
    assert seen == {(module, attribute, name) for name, (module, attribute) in ng._LAZY.items()}
