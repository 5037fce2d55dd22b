"""Shared fixtures: real DuckDB stores (in memory and on disk) and small CSV files."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import netgraph as ng

DATA = Path(__file__).parent / "data"


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
