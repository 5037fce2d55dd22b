"""A large interactions file is imported in pieces, and the store ends exactly as a whole import leaves it.

The piece size is made tiny here (a few hundred bytes), so that a small file crosses many piece
boundaries: rows repeated across pieces, quoted notes over several lines, blank and malformed rows
near a cut. Each law compares two real stores: one where the file was read whole, one where it was
read in pieces.
"""

from __future__ import annotations

import codecs
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netgraph._errors import InputFileError
from netgraph.identity import resolver
from netgraph.ingest.batch import import_files
from netgraph.sources import pieces
from netgraph.sources.generic_csv import parse
from netgraph.store.database import open_store

PEOPLE = [f"p{i}@ex.org" for i in range(8)] + ["Zoë Ångström", "O'Neil, Pat"]
HEADER = "date,from,to,kind,note"


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text


def _good(draw: st.DrawFn) -> str:
    day = draw(st.integers(1, 28))
    sender = draw(st.sampled_from(["", *PEOPLE]))
    to = draw(st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=3))
    kind = draw(st.sampled_from(["email", "meeting", "call", "Message", ""]))
    note = draw(st.sampled_from(["", "lunch", 'said "hi"', "two\nlines", "a, b", "ünïcode"]))
    return ",".join([f"2025-03-{day:02d}", _quoted(sender), _quoted(";".join(to)), kind, _quoted(note)])


#: Rows that each fail (or are skipped) in their own way.
_TROUBLE = {
    "blank": ",,,,",
    "empty": "",
    "bad date": "2025-02-30,p1@ex.org,p2@ex.org,email,",
    "narrow": "2025-03-01,p1@ex.org",
    "unknown kind": "2025-03-02,p1@ex.org,p3@ex.org,fax,",
    "self": "2025-03-03,p4@ex.org,p4@ex.org,call,",
}


@st.composite
def interactions_csv(draw: st.DrawFn) -> bytes:
    """An interactions CSV with good rows and every kind of trouble, as bytes."""
    rows: list[str] = []
    for _ in range(draw(st.integers(1, 60))):
        shape = draw(st.sampled_from(
            ["good"] * 6 + ["repeat", "blank", "empty", "bad date", "narrow", "unknown kind", "self"]))
        if shape == "repeat" and rows:
            rows.append(draw(st.sampled_from(rows)))
        elif shape in _TROUBLE:
            rows.append(_TROUBLE[shape])
        else:
            rows.append(_good(draw))
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    bom = draw(st.sampled_from([b"", codecs.BOM_UTF8]))
    return bom + (eol.join([HEADER, *rows]) + eol).encode("utf-8")


_STORE_VIEWS = {
    "interactions": "SELECT line, occurred_at, kind, note, fingerprint, n_participants FROM {p}interactions",
    "participants": ("SELECT i.fingerprint, x.role, pe.name FROM {p}interaction_participants x "
                     "JOIN {p}interactions i USING (interaction_id) JOIN {p}people pe USING (person_id)"),
    "rejects": "SELECT line, raw, reason FROM {p}rejected_rows",
    "people": "SELECT name, created_by FROM {p}people",
    "batches": ("SELECT kind, rows_in, rows_loaded, rows_rejected, rows_duplicate, people_created "
                "FROM {p}import_batches"),
    "ties": ("SELECT least(pa.name, pb.name), greatest(pa.name, pb.name), round(t.strength, 9), "
             "t.n_interactions FROM {p}ties t "
             "JOIN {p}people pa ON pa.person_id = t.u JOIN {p}people pb ON pb.person_id = t.v"),
}


def _differences(whole: Path, in_pieces: Path, views: dict[str, str] = _STORE_VIEWS) -> dict[str, int]:
    """Rows that one store has and the other lacks, per view (bags, so repeats count)."""
    con = duckdb.connect(str(whole), read_only=True)
    try:
        con.execute(f"ATTACH '{in_pieces}' AS other (READ_ONLY)")
        out = {}
        for name, sql in views.items():
            a, b = sql.format(p=""), sql.format(p="other.")
            out[name] = con.execute(
                f"SELECT (SELECT count(*) FROM (({a}) EXCEPT ALL ({b}))) "
                f"+ (SELECT count(*) FROM (({b}) EXCEPT ALL ({a})))").fetchone()[0]
        return out
    finally:
        con.close()


def _import(db: Path, path: Path) -> list:
    with open_store(db) as store:
        first = import_files(store, [path])
        again = import_files(store, [path])
    return [*first, *again]


@pytest.fixture
def tiny_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file is read in pieces of a few hundred bytes."""
    monkeypatch.setattr(pieces, "STREAM_ABOVE", 1)
    monkeypatch.setattr(pieces, "PIECE_BYTES", 97)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=interactions_csv())
def test_pieces_store_what_a_whole_read_stores(tmp_path_factory: pytest.TempPathFactory,
                                               monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    """Same rows, participants, people, rejects, counts, notes and ties.

    The pieces' references met earlier are found with one look-up per piece. Rows in add up,
    and importing the file again is a no-op.
    """
    folder = tmp_path_factory.mktemp("pieces")
    csv = folder / "interactions.csv"
    csv.write_bytes(data)
    with monkeypatch.context() as m:
        m.setattr(pieces, "STREAM_ABOVE", 1 << 62)
        whole = _import(folder / "whole.duckdb", csv)
    with monkeypatch.context() as m:
        m.setattr(pieces, "STREAM_ABOVE", 1)
        m.setattr(pieces, "PIECE_BYTES", 97)
        m.setattr(resolver, "_LOOK_UP_AT_ONCE", 1)  # later pieces find the people met at once
        assert parse(csv).pieces is not None
        split = _import(folder / "pieces.duckdb", csv)
    first = split[0]
    assert first.rows_in == first.loaded + first.duplicates + first.rejected
    assert split[1].already_imported and split[1].rows_in == first.rows_in
    assert [(r.rows_in, r.loaded, r.duplicates, r.rejected, r.skipped, r.people_created, r.notes)
            for r in whole[:1]] == [(first.rows_in, first.loaded, first.duplicates, first.rejected,
                                    first.skipped, first.people_created, first.notes)]
    assert _differences(folder / "whole.duckdb", folder / "pieces.duckdb") == dict.fromkeys(_STORE_VIEWS, 0)


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(st.text(alphabet='ab,"\n', max_size=12), max_size=40),
       size=st.integers(1, 40))
def test_pieces_hold_every_byte_and_cut_between_records(tmp_path_factory: pytest.TempPathFactory,
                                                        lines: list[str], size: int) -> None:
    """The pieces join back into the body; each but the last ends a line with even quotes before it."""
    path = tmp_path_factory.mktemp("cut") / "f.csv"
    body = "\n".join(lines).encode()
    path.write_bytes(b"date,to\n" + body)
    found = pieces.survey(path)
    assert found is not None and found.header == "date,to"
    got = list(pieces.pieces(found, size))
    assert b"".join(data for _, data in got) == body
    line = 2
    for first, data in got:
        assert first == line
        line += data.count(b"\n")
    for _, data in got[:-1]:
        assert data.endswith(b"\n")
    seen = 0
    for _, data in got[:-1]:
        seen += data.count(b'"')
        assert seen % 2 == 0


@pytest.mark.parametrize(("name", "data"), [
    ("cp1252", "date,to\n2025-01-01,Jos\xe9 <j@x.org>\n".encode("cp1252")),
    ("nul", b"date,to\n2025-01-01,a@x.org\x00\n"),
    ("lone cr", b"date,to\n2025-01-01,a@x.org\r2025-01-02,b@x.org\n"),
    ("utf-16", "date,to\n2025-01-01,a@x.org\n".encode("utf-16")),
    ("blank first line", b"\ndate,to\n2025-01-01,a@x.org\n"),
])
def test_files_that_need_the_whole_text_are_read_whole(tmp_path: Path, tiny_pieces: None,
                                                       name: str, data: bytes) -> None:
    """Damaged or non-UTF-8 text is read whole, so every damaged line is still named."""
    path = tmp_path / "f.csv"
    path.write_bytes(data)
    assert pieces.survey(path) is None
    pf = parse(path)
    assert pf.pieces is None
    assert pf.rows_in + len(pf.rejects) >= 1


def test_a_header_that_fits_no_kind_fails_before_anything_is_read(tmp_path: Path,
                                                                   tiny_pieces: None) -> None:
    """The header is checked when the file is opened, not when its first piece is written."""
    path = tmp_path / "f.csv"
    path.write_bytes(b"when,who\n2025-01-01,a@x.org\n" * 3)
    with pytest.raises(InputFileError, match="cannot tell what kind of file"):
        parse(path)


def test_only_interactions_are_read_in_pieces(tmp_path: Path, tiny_pieces: None) -> None:
    """A contact may merge with any other row of its file, so contacts are read whole."""
    path = tmp_path / "contacts.csv"
    path.write_bytes(b"name,email\nAda,ada@x.org\nAda L.,ada@x.org\n")
    assert parse(path).pieces is None


def _snapshot(db: Path) -> dict[str, list]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {name: sorted(map(repr, con.execute(sql.format(p="")).fetchall()))
               for name, sql in _STORE_VIEWS.items()}
        out["settings"] = sorted(con.execute("SELECT * FROM settings").fetchall())
        return out
    finally:
        con.close()


def _dirty_file(folder: Path) -> Path:
    rows = [f"2025-03-{d:02d},p{d % 8}@ex.org,p{(d + 1) % 8}@ex.org;Zoë Ångström,email,note {d}"
            for d in range(1, 29)]
    path = folder / "interactions.csv"
    path.write_text("\n".join([HEADER, *rows, "2025-02-30,p1@ex.org,p2@ex.org,email,"]) + "\n",
                    encoding="utf-8")
    return path


def test_an_import_stopped_between_pieces_leaves_the_store_as_it_was(tmp_path: Path,
                                                                     tiny_pieces: None) -> None:
    """Ctrl-C after the first piece: the pieces already committed are taken out again."""
    db = tmp_path / "s.duckdb"
    with open_store(db) as store:
        import_files(store, [_write(tmp_path / "first.csv", "2025-01-05,,p1@ex.org,call,\n")])
    before = _snapshot(db)
    path = _dirty_file(tmp_path)

    def stop(pf: object, done: int) -> None:
        raise KeyboardInterrupt

    from netgraph.ingest.batch import import_parsed, parse_files
    with open_store(db) as store, pytest.raises(KeyboardInterrupt):
        import_parsed(store, parse_files([path]), on_bytes=stop)
    assert _snapshot(db) == before
    with open_store(db) as store:
        result = import_files(store, [path])[0]
    assert (result.loaded, result.rejected) == (28, 1)


def test_an_import_killed_between_pieces_is_undone_at_the_next_open(tmp_path: Path) -> None:
    """The process dies after a piece was committed: the next open removes the partial batch."""
    db = tmp_path / "s.duckdb"
    with open_store(db) as store:
        import_files(store, [_write(tmp_path / "first.csv", "2025-01-05,,p1@ex.org,call,\n")])
    before = _snapshot(db)
    path = _dirty_file(tmp_path)
    script = (
        "import os, sys\n"
        "from netgraph.sources import duck_csv, pieces\n"
        "pieces.STREAM_ABOVE, pieces.PIECE_BYTES = 1, 97\n"
        "duck_csv.plan = lambda *args: None  # read in pieces of bytes, not by DuckDB\n"
        "from netgraph.ingest.batch import import_parsed, parse_files\n"
        "from netgraph.store.database import open_store\n"
        "store = open_store(sys.argv[1])\n"
        "import_parsed(store, parse_files([sys.argv[2]]), on_bytes=lambda pf, n: os._exit(3))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(db), str(path)], check=False)
    assert done.returncode == 3
    with open_store(db, read_only=True) as store:  # the partial batch is there, marked
        assert store.get_setting("partial_batch") is not None
        assert store.count("interactions") > 1
    with open_store(db):
        pass
    assert _snapshot(db) == before


def _write(path: Path, row: str) -> Path:
    path.write_text(HEADER + "\n" + row, encoding="utf-8")
    return path


def test_a_file_changed_while_it_is_imported_is_not_kept(tmp_path: Path, tiny_pieces: None) -> None:
    """The pieces are hashed as they are read: a file that changed since its survey is refused whole."""
    db = tmp_path / "s.duckdb"
    path = _dirty_file(tmp_path)
    from netgraph.ingest.batch import import_parsed, parse_files

    parsed = parse_files([path])
    path.write_text(path.read_text(encoding="utf-8").replace("note 3", "note 4"), encoding="utf-8")
    with open_store(db) as store, pytest.raises(InputFileError, match="changed while it was being imported"):
        import_parsed(store, parsed)
    with open_store(db, read_only=True) as store:
        assert store.count("interactions") == 0 and store.count("import_batches") == 0
