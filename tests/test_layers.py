"""The stage packages keep their order: no backward import, no I/O in analytics, no cycle.

netgraph's folders are the stages of its pipeline. A module may import its own package and the
stages below it, never one above; the analyses stay pure; and no two modules import each other,
directly or round a loop. Imports inside functions count as much as those at the top.

The checker reads the source (``ast``), so it needs no import of netgraph and sees every
import, also those behind ``if TYPE_CHECKING``. It is tested on a planted bad tree first.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "netgraph"

#: Stages from the top down. A module may import its own stage and any stage after it.
LAYERS = ("cli", "api", "spark", "sample", "report", "analytics", "graph", "ingest", "identity", "ties",
          "store", "sources", "foundation")
#: Top-level modules that everything may import, and that import nothing else of netgraph.
FOUNDATION = ("_errors", "_progress", "market", "normalise", "promises", "rows")
#: What the pure analyses may import from netgraph: nothing that reads or writes anything.
PURE_FOR_ANALYTICS = ("netgraph._errors", "netgraph.market", "netgraph.normalise", "netgraph.rows",
                      "netgraph.ties.model", "netgraph.graph.engine", "netgraph.analytics")
#: Libraries that do I/O, which analytics must not import.
IO_LIBRARIES = ("duckdb", "pyvis", "pyarrow.csv", "pyarrow.parquet", "sqlite3", "shutil", "tempfile")


def modules(root: Path) -> dict[str, Path]:
    """Every module under ``root`` by dotted name (a package by its own name)."""
    found = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(path: Path, known: dict[str, Path], top: str) -> set[str]:
    """The modules of ``top`` that ``path`` imports, anywhere in the file, and the third-party
    modules it imports (by full name)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            subs = [f"{node.module}.{alias.name}" for alias in node.names]
            mods = [s for s in subs if s in known]
            out.update(mods)
            if len(mods) < len(subs):
                out.add(node.module)
    return {m for m in out if m in known or not m.startswith(top)}


def stage(module: str) -> str | None:
    """The stage a netgraph module belongs to; None for the public face and ``__main__``."""
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in ("__main__",):
        return None
    head = parts[1]
    return "foundation" if head in FOUNDATION else head


def check(root: Path) -> list[str]:
    """Every broken rule in the package at ``root``, as sentences; empty when all hold."""
    top = root.name
    known = modules(root)
    problems = []
    graph = nx.DiGraph()
    for module, path in sorted(known.items()):
        mine = stage(module)
        for target in sorted(imports(path, known, top)):
            if not target.startswith(top + ".") and target != top:
                if mine == "analytics" and any(target == lib or target.startswith(lib + ".")
                                               for lib in IO_LIBRARIES):
                    problems.append(f"{module} imports {target}: analytics does no I/O")
                continue
            if target != module and not module.startswith(target + "."):
                graph.add_edge(module, target)
            theirs = stage(target)
            if mine is None or theirs is None or mine == theirs:
                if mine is not None and theirs is None and target == top:
                    problems.append(f"{module} imports the public face {top}: import the module itself")
                continue
            if mine not in LAYERS or theirs not in LAYERS:
                problems.append(f"{module} imports {target}: {mine or theirs} is in no stage of LAYERS")
            elif LAYERS.index(theirs) < LAYERS.index(mine):
                problems.append(f"{module} imports {target}: {mine} is below {theirs}, a backward import")
            if mine == "analytics" and not any(target == p or target.startswith(p + ".")
                                               for p in PURE_FOR_ANALYTICS):
                problems.append(f"{module} imports {target}: analytics imports only pure modules")
            if mine == "foundation":
                problems.append(f"{module} imports {target}: the foundation imports nothing of {top}")
    for cycle in nx.simple_cycles(graph):
        problems.append("import cycle: " + " -> ".join([*cycle, cycle[0]]))
        if len(problems) > 50:
            break
    return problems


def test_the_stages_keep_their_order():
    problems = check(PACKAGE)
    assert not problems, "\n".join(problems)


def test_every_stage_package_says_what_it_may_import():
    for package in sorted({stage(m) for m in modules(PACKAGE)} - {None, "foundation", "api"}):
        doc = ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text()))
        assert doc and "import" in doc.lower(), f"netgraph/{package}/__init__.py: say what it may import"


def test_the_top_level_holds_only_the_public_face_and_the_foundation():
    top = {p.name for p in PACKAGE.glob("*.py")}
    assert top == {"__init__.py", "__main__.py", "api.py"} | {f"{m}.py" for m in FOUNDATION}


# -- the checker itself, on planted bad trees ---------------------------------------------------


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "netgraph"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    for folder in {p.parent for p in root.rglob("*.py")}:
        (folder / "__init__.py").touch()
    return root


@pytest.mark.parametrize(("files", "expected"), [
    ({"store/database.py": "from netgraph.report import html\n", "report/html.py": ""},
     "backward import"),
    ({"analytics/neglect.py": "def f():\n    from netgraph.ties import history\n",
      "ties/history.py": ""}, "analytics imports only pure modules"),
    ({"analytics/neglect.py": "import duckdb\n"}, "analytics does no I/O"),
    ({"ingest/a.py": "from netgraph.ingest import b\n", "ingest/b.py": "import netgraph.ingest.a\n"},
     "import cycle"),
    ({"normalise.py": "from netgraph.store import database\n", "store/database.py": ""},
     "the foundation imports nothing"),
])
def test_the_checker_catches_a_planted_bad_import(tmp_path, files, expected):
    problems = check(_tree(tmp_path, files))
    assert any(expected in p for p in problems), problems


def test_the_checker_accepts_a_good_tree(tmp_path):
    root = _tree(tmp_path, {
        "cli/main.py": "from netgraph.report import html\nfrom netgraph.cli import options\n",
        "cli/options.py": "import click\n",
        "report/html.py": "from netgraph.analytics import neglect\nimport pyvis\n",
        "analytics/neglect.py": "from netgraph.ties.model import strength\nimport pandas\n",
        "ties/model.py": "from netgraph._errors import NetgraphError\n",
        "_errors.py": "",
    })
    assert check(root) == []
