"""The Spark commands load nothing heavy until they run, and each has its help."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

import netgraph as ng
from netgraph.cli.main import main

HEAVY = ("pyspark", "sqlglot", "py4j", "pandas", "duckdb", "pyarrow")


@pytest.mark.parametrize("args", [["--help"], ["spark", "--help"], ["spark", "ties", "--help"],
                                  ["spark", "metrics", "--help"], ["attach", "--help"]])
def test_help_loads_neither_spark_nor_sqlglot(args):
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "netgraph", *args],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    names = {line.rsplit("|", 1)[1].strip().split(".")[0]
             for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "netgraph" in names
    assert not names & set(HEAVY), names & set(HEAVY)
    assert "Usage:" in done.stdout


def test_store_tables_go_with_parquet_alone(tmp_path):
    with ng.open_store(tmp_path / "x.duckdb"):
        pass
    res = CliRunner().invoke(main, ["--db", str(tmp_path / "x.duckdb"), "export", str(tmp_path / "o"),
                                    "--format", "csv", "--store-tables"])
    assert res.exit_code == 2 and "--store-tables goes with --format parquet" in res.output
