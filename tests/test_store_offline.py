"""The store stays on this machine, and files that are not (or no longer) stores get clear messages.

- every connection has DuckDB's extension autoinstall and autoload switched off, before the file is
  opened, and its configuration locked;
- ``md:``, ``motherduck:``, ``s3://``, ``https://`` and other non-local paths are refused;
- a SQLite file, an empty file, a text file, a folder or a device is refused by name;
- a truncated or checksum-corrupt store is "damaged", never a bug and never "from a newer netgraph";
- commands run without any network connection (blocked Python sockets, ``unshare -n``, ``strace``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

import netgraph as ng
from netgraph.cli.main import main
from netgraph.store.connect import OFFLINE_CONFIG, store_error

DATA = Path(__file__).parent / "data"
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
TINY = DATA / "tiny_contacts.csv"
DAMAGED = "looks damaged (truncated or corrupt)"
OFFLINE = "netgraph keeps everything on this machine"
REMOTE_PATHS = ["md:my_db", "MD:my_db", "motherduck:my_db", "s3://bucket/net.duckdb",
                "https://example.org/net.duckdb", "gcs://bucket/net.duckdb", "sqlite:net.db"]


def cli(*args: str) -> tuple[int, str]:
    """Run the real CLI in this process; return (exit code, all output)."""
    res = CliRunner().invoke(main, list(args))
    return res.exit_code, res.output


def assert_one_line_refusal(code: int, output: str, *expected: str) -> None:
    assert code == 2, output
    assert "unexpected error" not in output
    assert "Traceback" not in output
    assert len(output.strip().splitlines()) == 1, output
    for text in expected:
        assert text in output, output


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    """A real store made by ``netgraph import`` from the sample's contacts and interactions."""
    db = tmp_path_factory.mktemp("pristine") / "net.duckdb"
    code, output = cli("import", str(SAMPLE / "contacts.csv"), str(SAMPLE / "interactions.csv"),
                       "--db", str(db))
    assert code == 0, output
    assert not db.with_name(db.name + ".wal").exists()
    assert db.stat().st_size > 4 * 262144
    return db


@pytest.fixture
def store_copy(pristine, tmp_path) -> Path:
    target = tmp_path / "net.duckdb"
    shutil.copyfile(pristine, target)
    return target


@pytest.fixture
def sqlite_file(tmp_path) -> Path:
    path = tmp_path / "contacts.sqlite"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE people (name TEXT)")
    con.execute("INSERT INTO people VALUES ('Ann')")
    con.commit()
    con.close()
    return path


# -- every connection is offline ---------------------------------------------------------------

SETTINGS = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "allow_unsigned_extensions": False,
    "enable_external_access": False,
    "lock_configuration": True,
}


@pytest.mark.parametrize("kind", ["file", "memory", "read-only"])
def test_every_connection_has_extensions_off_and_locked(kind, tmp_path):
    path = tmp_path / "s.duckdb"
    if kind == "read-only":
        ng.open_store(path).close()
    target = ":memory:" if kind == "memory" else path
    with ng.open_store(target, read_only=kind == "read-only") as store:
        for name, expected in SETTINGS.items():
            value = store.con.execute(f"SELECT current_setting('{name}')").fetchall()[0][0]
            assert value is expected, name
        with pytest.raises(duckdb.Error, match="locked"):
            store.con.execute("SET autoload_known_extensions = true")
        with pytest.raises(duckdb.Error, match="disabled"):
            store.con.execute("LOAD sqlite")
        with pytest.raises(duckdb.Error, match="disabled"):
            store.con.execute(f"ATTACH '{tmp_path / 'other.duckdb'}' AS other")
        with pytest.raises(duckdb.Error, match="disabled"):
            store.con.execute("SELECT * FROM read_csv(?)", [str(TINY)]).fetchall()


def test_the_store_still_works_with_external_access_off(tmp_path):
    """Registered frames, the write-ahead log and a reopen all work under the offline settings."""
    db = tmp_path / "s.duckdb"
    assert cli("import", str(TINY), "--db", str(db))[0] == 0
    with ng.open_store(db) as store:
        people = store.count("people")
    assert people == 4
    with ng.open_store(db) as first, ng.open_store(db) as second:  # one process, one DuckDB instance
        assert first.count("people") == second.count("people") == people


def test_duckdb_itself_cannot_fetch_extensions_under_these_settings(sqlite_file):
    """Even past netgraph's own checks, DuckDB refuses to load sqlite_scanner or MotherDuck."""
    for target in (str(sqlite_file), "md:my_db"):
        with pytest.raises(duckdb.Error, match="disabled through configuration"):
            duckdb.connect(target, config=dict(OFFLINE_CONFIG))


def test_netgraph_opens_duckdb_in_one_place_only():
    package = Path(ng.__file__).parent
    hits = [p.relative_to(package).as_posix() for p in package.rglob("*.py")
            if "duckdb.connect(" in p.read_text(encoding="utf-8")]
    assert hits == ["store/connect.py"]


# -- remote and foreign paths ------------------------------------------------------------------

@pytest.mark.parametrize("target", REMOTE_PATHS)
def test_remote_paths_are_refused(target, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for read_only in (False, True):
        with pytest.raises(ng.StoreError, match=OFFLINE):
            ng.open_store(target, read_only=read_only)
    code, output = cli("people", "--db", target)
    assert_one_line_refusal(code, output, OFFLINE, "give a local file path")
    code, output = cli("import", str(TINY), "--db", target)
    assert_one_line_refusal(code, output, OFFLINE)
    assert list(tmp_path.iterdir()) == []


def test_remote_path_from_the_environment_is_refused(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NETGRAPH_DB", "md:shared")
    with pytest.raises(ng.StoreError, match=OFFLINE):
        ng.open_store()
    assert_one_line_refusal(*cli("people"), OFFLINE)


def test_local_names_with_a_colon_still_work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ng.StoreError, match=re.escape(f"give its full path: {tmp_path / 'md:notes.duckdb'}")):
        ng.open_store("md:notes.duckdb")
    for name in (str(tmp_path / "md:notes.duckdb"), "C:net.duckdb"):  # one letter is a drive
        with ng.open_store(name) as store:
            assert store.count("people") == 0
        assert (tmp_path / Path(name).name).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["C:net.duckdb", "md:notes.duckdb"]


def test_a_sqlite_file_is_refused_by_name(sqlite_file):
    before = sqlite_file.read_bytes()
    for command in (["people"], ["import", str(TINY)]):
        code, output = cli(*command, "--db", str(sqlite_file))
        assert_one_line_refusal(code, output, "is a SQLite database, not a netgraph store",
                                sqlite_file.name)
    with pytest.raises(ng.StoreError, match="SQLite database"):
        ng.open_store(sqlite_file, read_only=True)
    assert sqlite_file.read_bytes() == before


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "is an empty file (0 bytes)"),
    (b"shopping list\n" * 500, "not a DuckDB file"),
    (b"PK\x03\x04" + bytes(5000), "not a DuckDB file"),
])
def test_other_files_are_refused_by_name(content, expected, tmp_path):
    path = tmp_path / "store.duckdb"
    path.write_bytes(content)
    for command in (["people"], ["import", str(TINY)]):
        assert_one_line_refusal(*cli(*command, "--db", str(path)), expected, str(path))
    assert path.read_bytes() == content


def test_folders_and_devices_are_refused(tmp_path):
    with pytest.raises(ng.StoreError, match="is a folder"):
        ng.open_store(tmp_path)
    if Path("/dev/null").exists():
        assert_one_line_refusal(*cli("people", "--db", "/dev/null"), "not a regular file")


# -- damaged stores ----------------------------------------------------------------------------

def _truncate(path: Path, size: int) -> None:
    with path.open("r+b") as fh:
        fh.truncate(size)


def _flip(path: Path, offset: int, count: int = 16) -> None:
    with path.open("r+b") as fh:
        fh.seek(offset)
        chunk = fh.read(count)
        fh.seek(offset)
        fh.write(bytes(b ^ 0xFF for b in chunk))


@pytest.mark.parametrize("size", ["half", 100, 5000, 3 * 4096 + 10])
def test_truncated_store_is_damaged_not_a_bug(size, store_copy):
    _truncate(store_copy, store_copy.stat().st_size // 2 if size == "half" else size)
    before = store_copy.read_bytes()
    for command in (["people"], ["summary"], ["import", str(TINY)]):
        code, output = cli(*command, "--db", str(store_copy))
        assert_one_line_refusal(code, output, DAMAGED, str(store_copy))
        assert "newer" not in output
    with pytest.raises(ng.StoreError, match="looks damaged"):
        ng.open_store(store_copy, read_only=True)
    assert store_copy.read_bytes() == before  # a failed open never writes


def test_checksum_corrupt_store_is_damaged_not_newer(store_copy):
    _flip(store_copy, 3 * 4096 + 1000)  # inside the first data block, after its checksum
    with pytest.raises(duckdb.Error, match=r"(?i)checksum"):  # the damage is real, seen by DuckDB
        duckdb.connect(str(store_copy), read_only=True, config=dict(OFFLINE_CONFIG))
    for command in (["people"], ["import", str(TINY)]):
        code, output = cli(*command, "--db", str(store_copy))
        assert_one_line_refusal(code, output, DAMAGED)
        assert "newer" not in output


def test_damage_seen_only_at_the_first_query_is_damaged(store_copy):
    """The header and catalog are sound, the tables are not: open_store reads and says so."""
    _truncate(store_copy, store_copy.stat().st_size // 2)
    duckdb.connect(str(store_copy), read_only=True, config=dict(OFFLINE_CONFIG)).close()  # connects
    with pytest.raises(ng.StoreError, match="looks damaged") as info:
        ng.open_store(store_copy, read_only=True)
    assert "\n" not in str(info.value)


def _corrupt_every_block_but_the_first(path: Path) -> None:
    offset = 3 * 4096 + 262144
    size = path.stat().st_size
    while offset + 1016 < size:
        _flip(path, offset + 1000)
        offset += 262144


def test_damage_in_a_table_is_described_by_store_error(store_copy):
    _corrupt_every_block_but_the_first(store_copy)
    with ng.open_store(store_copy, read_only=True) as store:
        with pytest.raises(duckdb.Error) as info:
            store.sql("SELECT * FROM interactions")
        err = store_error(store.path, info.value)
    assert err is not None
    assert DAMAGED in str(err)
    assert str(store_copy) in str(err)


def test_damage_in_a_table_is_reported_by_the_cli(store_copy):
    _corrupt_every_block_but_the_first(store_copy)
    before = store_copy.read_bytes()
    for command in (["people"], ["summary"], ["import", str(TINY)]):
        code, output = cli(*command, "--db", str(store_copy))
        assert_one_line_refusal(code, output, DAMAGED, str(store_copy))
    assert store_copy.read_bytes() == before


def test_store_used_with_with_turns_damage_into_store_error(store_copy):
    _corrupt_every_block_but_the_first(store_copy)
    with pytest.raises(ng.StoreError, match="looks damaged"), ng.open_store(store_copy) as store:
        store.sql("SELECT * FROM interactions")
    with pytest.raises(duckdb.CatalogException), ng.open_store(store_copy) as store:  # not damage
        store.sql("SELECT * FROM no_such_table")


def _forge_storage_version(path: Path, version: int) -> None:
    """Set the file header's storage version and fix the header checksum as DuckDB computes it
    (the xor of each 8-byte word times a constant), so only the version is "wrong"."""
    mult = 0xBF58476D1CE4E5B9
    mask = (1 << 64) - 1
    with path.open("r+b") as fh:
        header = bytearray(fh.read(4096))
        stored = struct.unpack_from("<Q", header, 0)[0]
        old_word = struct.unpack_from("<Q", header, 8)[0]  # "DUCK" and the version's low half
        struct.pack_into("<I", header, 12, version)
        new_word = struct.unpack_from("<Q", header, 8)[0]
        checksum = stored ^ ((old_word * mult) & mask) ^ ((new_word * mult) & mask)
        struct.pack_into("<Q", header, 0, checksum)
        fh.seek(0)
        fh.write(bytes(header))


def test_newer_storage_format_is_told_apart_from_damage(store_copy):
    _forge_storage_version(store_copy, 100_000)
    try:
        duckdb.connect(str(store_copy), read_only=True, config=dict(OFFLINE_CONFIG)).close()
    except duckdb.Error as exc:
        if "storage version" not in str(exc):
            pytest.skip(f"this DuckDB checksums its file header differently: {str(exc)[:80]}")
    else:
        pytest.fail("DuckDB opened a file with storage version 100000")
    with pytest.raises(ng.SchemaVersionError, match="newer DuckDB storage format"):
        ng.open_store(store_copy, read_only=True)
    code, output = cli("people", "--db", str(store_copy))
    assert_one_line_refusal(code, output, "newer", "Upgrade netgraph")
    assert "damaged" not in output


@pytest.mark.parametrize(("error", "expected"), [
    (duckdb.IOException("IO Error: Trying to read a database file with storage version number 99, but "
                        "we can only read storage versions between 64 and 69.\nThe database file was "
                        "created with a newer version of DuckDB.\n\nNewer DuckDB version might ..."),
     "newer DuckDB storage format"),
    (duckdb.IOException("IO Error: Trying to read a database file with storage version number 1, but "
                        "we can only read storage versions between 64 and 69.\nThe database file was "
                        "created with DuckDB version v0.2.1.\n\nNewer DuckDB version might ..."),
     "old DuckDB"),
    (duckdb.Error("Corrupt database file: computed checksum 1 does not match stored checksum 2 in "
                  "block at location 274432"), DAMAGED),
    (duckdb.IOException('IO Error: Could not read enough bytes from file "x": attempted to read 4096 '
                        "bytes from location 8192"), DAMAGED),
    (duckdb.IOException("IO Error: Could not write file: No space left on device"), "cannot use the store"),
    (duckdb.CatalogException("Catalog Error: Table with name nope does not exist!"), None),
])
def test_store_error_classifies_duckdb_messages(error, expected, tmp_path):
    err = store_error(tmp_path / "checksum-corrupt-newer.duckdb", error)  # words in the path do not count
    if expected is None:
        assert err is None
    else:
        assert err is not None
        assert expected in str(err)
        assert "\n" not in str(err)


# -- nothing leaves the machine: checked from outside DuckDB ------------------------------------

SITECUSTOMIZE = textwrap.dedent("""
    import os, socket

    _LOG = os.environ["NETGRAPH_TEST_NETLOG"]
    open(_LOG + ".loaded", "w").close()

    def _refuse(name):
        def blocked(*args, **kwargs):
            with open(_LOG, "a") as fh:
                fh.write(f"{name} {args!r}\\n")
            raise OSError(f"network blocked by the test ({name})")
        return blocked

    socket.socket.connect = _refuse("connect")
    socket.socket.connect_ex = _refuse("connect_ex")
    socket.socket.sendto = _refuse("sendto")
    socket.getaddrinfo = _refuse("getaddrinfo")
    socket.gethostbyname = _refuse("gethostbyname")
    socket.create_connection = _refuse("create_connection")
""")


def _commands(tmp_path: Path, sqlite_file: Path) -> list[tuple[list[str], int, str]]:
    """(arguments, exit code, text expected in the output) for commands that must stay offline."""
    db = tmp_path / "net.duckdb"
    return [
        (["people", "--db", str(sqlite_file)], 2, "is a SQLite database, not a netgraph store"),
        (["people", "--db", "md:my_db"], 2, OFFLINE),
        (["import", str(TINY), "--db", "motherduck:my_db"], 2, OFFLINE),
        (["import", str(TINY), "--db", str(db)], 0, "4 loaded"),
        (["people", "--db", str(db)], 0, "Ann Lee"),
    ]


# Runs each command through the real CLI in one fresh interpreter (one start-up, not five).
DRIVER = textwrap.dedent("""
    import json, sys
    from click.testing import CliRunner
    from netgraph.cli.main import main
    results = []
    for args in json.loads(sys.argv[1]):
        res = CliRunner().invoke(main, args)
        results.append([res.exit_code, res.output])
    print(json.dumps(results))
""")


def _run_offline(tmp_path: Path, sqlite_file: Path, env: dict[str, str],
                 prefix: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run :func:`_commands` in a child process and check each one's exit code and output."""
    commands = _commands(tmp_path, sqlite_file)
    res = subprocess.run([*(prefix or []), sys.executable, "-c", DRIVER,
                          json.dumps([args for args, _, _ in commands])],
                         env=env, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    results = json.loads(res.stdout.strip().splitlines()[-1])
    for (args, code, expected), (got_code, output) in zip(commands, results, strict=True):
        assert got_code == code, (args, output)
        assert expected in output, (args, output)
        assert "unexpected error" not in output
    return res


def test_no_python_socket_is_used(tmp_path, sqlite_file):
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = tmp_path / "net.log"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(site), os.environ.get(
        "PYTHONPATH")])), "NETGRAPH_TEST_NETLOG": str(log)}
    _run_offline(tmp_path, sqlite_file, env)
    assert Path(str(log) + ".loaded").exists()  # the blocker was in place
    assert not log.exists(), log.read_text()


def test_commands_work_without_a_network(tmp_path, sqlite_file):
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("unshare is not installed")
    probe = subprocess.run([unshare, "-n", "true"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"unshare -n needs root or user namespaces here: {probe.stderr.strip()[:80]}")
    _run_offline(tmp_path, sqlite_file, dict(os.environ), prefix=[unshare, "-n"])


def _inet_connects(trace: Path) -> list[str]:
    lines = trace.read_text(errors="replace").splitlines()
    return [line for line in lines if "connect(" in line and ("AF_INET" in line or "AF_INET6" in line)]


def test_strace_sees_no_internet_connect(tmp_path, sqlite_file):
    """DuckDB downloads extensions in C++, out of Python's sight: watch the system calls."""
    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace is not installed")
    control = tmp_path / "control.trace"
    probe = "import socket; s = socket.socket(); s.settimeout(1); s.connect_ex(('127.0.0.1', 9))"
    res = subprocess.run([strace, "-f", "-e", "trace=connect", "-o", str(control), sys.executable, "-c",
                          probe], capture_output=True, text=True, timeout=60)
    if res.returncode != 0 or not _inet_connects(control):
        pytest.skip(f"strace cannot trace here: {res.stderr.strip()[:80]}")
    trace = tmp_path / "netgraph.trace"
    _run_offline(tmp_path, sqlite_file, dict(os.environ),
                 prefix=[strace, "-f", "-e", "trace=connect", "-o", str(trace)])
    assert trace.exists()
    assert _inet_connects(trace) == []
    raw = ("import duckdb, sys\n"
           "from netgraph.store.connect import OFFLINE_CONFIG\n"
           "for target in sys.argv[1:]:\n"
           "    try:\n"
           "        duckdb.connect(target, config=dict(OFFLINE_CONFIG))\n"
           "    except duckdb.Error:\n"
           "        pass\n")
    raw_trace = tmp_path / "duckdb.trace"  # DuckDB alone, without netgraph's own checks
    subprocess.run([strace, "-f", "-e", "trace=connect", "-o", str(raw_trace), sys.executable, "-c", raw,
                    str(sqlite_file), "md:my_db"], capture_output=True, text=True, timeout=120)
    assert raw_trace.exists()
    assert _inet_connects(raw_trace) == []
