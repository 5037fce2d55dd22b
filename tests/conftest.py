"""Shared fixtures: real DuckDB stores (in memory and on disk) and small CSV files."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import netgraph as ng

DATA = Path(__file__).parent / "data"
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> tuple[Path, dict]:
    """The bundled sample in a store file, set up as its owner would: (path, planted truth)."""
    db = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    planted = json.loads((SAMPLE / "planted.json").read_text())
    with ng.open_store(db) as store:
        ng.import_file(store, SAMPLE / "contacts.csv")
        ng.set_me(store, planted["me"]["id"])
        ng.set_team(store, [t["id"] for t in planted["team"]])
        ng.import_files(store, [SAMPLE / f"{k}.csv" for k in ("interactions", "introductions",
                                                               "followups")])
    return db, planted


@pytest.fixture
def store() -> Iterator[ng.Store]:
    """A throwaway in-memory store."""
    with ng.open_store(":memory:") as s:
        yield s


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.duckdb"


@pytest.fixture
def file_store(db_path: Path) -> Iterator[ng.Store]:
    """A store in a real file under tmp_path."""
    with ng.open_store(db_path) as s:
        yield s


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write dedented CSV text to tmp_path/name and return the path."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write
