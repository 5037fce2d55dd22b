"""The store file: creation, schema version, files that are not stores, and the write lock."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

import netgraph as ng
from netgraph.store.schema import SCHEMA_VERSION


def test_new_store_records_its_schema_version(db_path):
    with ng.open_store(db_path) as store:
        meta = dict(store.con.execute("SELECT key, value FROM netgraph_meta").fetchall())
    assert meta["app"] == "netgraph"
    assert meta["schema_version"] == str(SCHEMA_VERSION)
    tables = set(duckdb.connect(str(db_path)).execute(
        "SELECT table_name FROM information_schema.tables").df()["table_name"])
    assert {"people", "identities", "interactions", "interaction_participants", "introductions",
            "follow_ups", "import_batches", "rejected_rows", "settings"} <= tables


def test_newer_schema_is_refused_and_left_unchanged(db_path):
    ng.open_store(db_path).close()
    con = duckdb.connect(str(db_path))
    con.execute("UPDATE netgraph_meta SET value = '99' WHERE key = 'schema_version'")
    con.close()
    before = db_path.read_bytes()
    with pytest.raises(ng.SchemaVersionError, match=r"newer netgraph .*schema 99"):
        ng.open_store(db_path)
    assert db_path.read_bytes() == before


def test_duckdb_file_that_is_not_a_store(db_path):
    con = duckdb.connect(str(db_path))
    con.execute("CREATE TABLE invoices (id INTEGER)")
    con.close()
    with pytest.raises(ng.StoreError, match=r"not a netgraph store .*invoices"):
        ng.open_store(db_path)


def test_file_that_is_not_duckdb(tmp_path):
    path = tmp_path / "notes.duckdb"
    path.write_text("shopping list\n" * 500)
    with pytest.raises(ng.StoreError, match="not a netgraph store"):
        ng.open_store(path)


def test_read_only_needs_an_existing_store(tmp_path):
    with pytest.raises(ng.StoreError, match="no store at"):
        ng.open_store(tmp_path / "none.duckdb", read_only=True)


def test_env_var_chooses_the_store(tmp_path, monkeypatch):
    target = tmp_path / "from-env.duckdb"
    monkeypatch.setenv("NETGRAPH_DB", str(target))
    with ng.open_store() as store:
        assert store.path == target
    assert target.exists()


HOLDER = textwrap.dedent("""
    import sys, time
    import netgraph as ng
    store = ng.open_store(sys.argv[1])
    print("holding", flush=True)
    time.sleep(60)
""")


@pytest.fixture
def held_store(db_path):
    ng.open_store(db_path).close()
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db_path)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "holding"
    yield db_path, proc
    proc.kill()
    proc.wait()


def test_second_writer_gets_a_clear_message(held_store):
    db_path, proc = held_store
    with pytest.raises(ng.StoreLockedError) as info:
        ng.open_store(db_path)
    message = str(info.value)
    assert "in use by another netgraph process" in message
    assert f"process {proc.pid}" in message


def test_second_writer_from_the_cli_prints_one_line(held_store, tmp_path):
    db_path, _ = held_store
    contacts = tmp_path / "c.csv"
    contacts.write_text("name\nAnn\n")
    start = time.monotonic()
    res = subprocess.run([sys.executable, "-m", "netgraph", "import", str(contacts), "--db",
                          str(db_path)], capture_output=True, text=True, timeout=60)
    assert res.returncode == 2
    assert res.stderr.strip().count("\n") == 0
    assert "in use by another netgraph process" in res.stderr
    assert "Traceback" not in res.stderr + res.stdout
    assert time.monotonic() - start < 30


def test_store_path_folder_must_exist(tmp_path):
    with pytest.raises(ng.StoreError, match="does not exist"):
        ng.open_store(tmp_path / "missing" / "x.duckdb")
    assert not (tmp_path / "missing").exists()
    assert Path(tmp_path).exists()
