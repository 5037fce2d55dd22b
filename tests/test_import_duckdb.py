"""A large, regular interactions file is read by DuckDB, and the store ends as a whole read leaves it.

The usual rows are checked and written in SQL and Arrow (:mod:`netgraph.sources.duck_csv`,
:mod:`netgraph.ingest.csv_sql`); every other row is handed back and read the usual way. Each law
here compares two real stores, one where the file was read whole by Python, one where DuckDB read
it, in batches made tiny so that a small file crosses many of them.
"""

from __future__ import annotations

import codecs
import logging
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netgraph._errors import InputFileError
from netgraph.ingest import csv_sql
from netgraph.ingest.batch import import_files, import_parsed, parse_files
from netgraph.sources import duck_csv, pieces
from netgraph.sources.generic_csv import parse
from netgraph.store.connect import file_reader
from netgraph.store.database import open_store
from tests.test_import_pieces import _STORE_VIEWS, _differences, _quoted

#: The views of :mod:`tests.test_import_pieces`, with names compared case-blind: a person made
#: from an address is named by the first spelling of it that is resolved, and a whole read resolves
#: every ``from`` of the file before every ``to``, where DuckDB's batches go in file order.
VIEWS = {name: sql.replace("pe.name", "lower(pe.name)").replace("SELECT name,", "SELECT lower(name),")
         .replace("least(pa.name, pb.name), greatest(pa.name, pb.name)",
                  "least(lower(pa.name), lower(pb.name)), greatest(lower(pa.name), lower(pb.name))")
         for name, sql in _STORE_VIEWS.items()}


PEOPLE = ["p0@ex.org", "p1@ex.org", "P1@EX.org", "p2@ex.org", "p3@ex.org", "Sam Lee", "O'Neil, Pat",
          "Zoë Ångström", " p4@ex.org", "p5@ex.org\t", "https://www.linkedin.com/in/dana-x"]
HEADER = "date,from,to,kind,note"
DATES = ["2025-03-01", "2025-03-02 09:30:00", "2025-03-02T09:30:00", "2025-03-02T09:30:00+02:00",
         "2025-03-02 09:30", "2025-03-02 24:00:00", "2025-02-30", "20250303", "now", "1850-01-01",
         " 2025-03-04", "2025-03-05 23:59:60"]
NOTES = ["", "lunch", 'said "hi"', "a, b", "ünïcode", " padded ", "\u00a0nbsp", "tab\tinside",
         "Let's grab coffee next Tuesday.", "I'll send you the deck tomorrow."]


@st.composite
def regular_csv(draw: st.DrawFn) -> bytes:
    """An interactions CSV with one record per line: usual rows, and rows of every other shape."""
    rows: list[str] = []
    for _ in range(draw(st.integers(1, 50))):
        shape = draw(st.sampled_from(["usual"] * 5 + ["any", "repeat", "blank", "self", "several"]))
        if shape == "repeat" and rows:
            rows.append(draw(st.sampled_from(rows)))
            continue
        if shape == "blank":
            rows.append(draw(st.sampled_from([",,,,", '"",,"",,'])))
            continue
        usual = shape in ("usual", "self", "several")
        when = f"2025-03-{draw(st.integers(1, 28)):02d}" if usual else draw(st.sampled_from(DATES))
        plain = [p for p in PEOPLE if p.isascii() and p.strip() == p and "," not in p]
        sender = draw(st.sampled_from(["", *(plain if usual else PEOPLE)]))
        if shape == "self" and sender:
            to = [sender.upper()]
        else:
            size = (2, 4) if shape == "several" else (1, 3)
            to = draw(st.lists(st.sampled_from(plain if usual else PEOPLE), min_size=size[0],
                               max_size=size[1]))
        sep = draw(st.sampled_from([";", "; ", ";;"]))
        kind = draw(st.sampled_from(["email", "Meeting", "", "call"] + ([] if usual else ["fax", " call"])))
        note = draw(st.sampled_from(NOTES[:2] + NOTES[8:] if usual else NOTES))
        rows.append(",".join([when, _quoted(sender), _quoted(sep.join(to)), kind, _quoted(note)]))
    eol = draw(st.sampled_from(["\n", "\r\n"]))
    bom = draw(st.sampled_from([b"", codecs.BOM_UTF8]))
    return bom + (eol.join([HEADER, *rows]) + eol).encode("utf-8")


def _import(db: Path, path: Path) -> list:
    with open_store(db) as store:
        store.set_setting("me", None)
        first = import_files(store, [path])
        again = import_files(store, [path])
    return [*first, *again]


@pytest.fixture
def by_duckdb(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every file is read by DuckDB in batches of 7 rows; the list holds each batch's rows (-1: given up)."""
    monkeypatch.setattr(pieces, "STREAM_ABOVE", 1)
    monkeypatch.setattr(duck_csv, "BATCH_ROWS", 7)
    monkeypatch.setattr(duck_csv, "MIN_BATCH_ROWS", 7)
    written: list[int] = []
    write = csv_sql.CsvWriter.write

    def counted(self: csv_sql.CsvWriter, batch: csv_sql.Prepared) -> csv_sql.Wrote:
        written.append(batch.rows.num_rows)
        return write(self, batch)

    monkeypatch.setattr(csv_sql.CsvWriter, "write", counted)
    given_up = duck_csv.IrregularFile.__init__

    def give_up(self: duck_csv.IrregularFile, *args: object) -> None:
        written.append(-1)  # DuckDB gave the file up: it is read in pieces
        given_up(self, *args)

    monkeypatch.setattr(duck_csv.IrregularFile, "__init__", give_up)
    return written


def _whole(monkeypatch: pytest.MonkeyPatch, db: Path, csv: Path) -> list:
    with monkeypatch.context() as m:
        m.setattr(pieces, "STREAM_ABOVE", 1 << 62)
        return _import(db, csv)


def _same(whole: list, read: list, folder: Path) -> None:
    first = read[0]
    assert first.rows_in == first.loaded + first.duplicates + first.rejected
    assert read[1].already_imported and read[1].rows_in == first.rows_in
    fields = [(r.rows_in, r.loaded, r.duplicates, r.rejected, r.skipped, r.people_created, sorted(r.notes))
              for r in (whole[0], first)]
    assert fields[0] == fields[1]
    assert _differences(folder / "whole.duckdb", folder / "duck.duckdb", VIEWS) == dict.fromkeys(VIEWS, 0)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=regular_csv())
def test_duckdb_stores_what_a_whole_read_stores(tmp_path_factory: pytest.TempPathFactory,
                                                monkeypatch: pytest.MonkeyPatch, by_duckdb: list[int],
                                                data: bytes) -> None:
    """Same rows, fingerprints, participants, people, rejects (with raw text), counts, notes and ties.

    Rows in add up, importing again is a no-op, and DuckDB did read the file (it is regular).
    """
    folder = tmp_path_factory.mktemp("duck")
    csv = folder / "interactions.csv"
    csv.write_bytes(data)
    whole = _whole(monkeypatch, folder / "whole.duckdb", csv)
    by_duckdb.clear()
    assert parse(csv).fast is not None
    read = _import(folder / "duck.duckdb", csv)
    assert by_duckdb and -1 not in by_duckdb, "DuckDB did not read the file"
    _same(whole, read, folder)


def test_promises_in_notes_are_found_as_a_whole_read_finds_them(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, by_duckdb: list[int]) -> None:
    """A blank ``from`` is me: my promises in notes become follow-ups, owed to each other person."""
    csv = tmp_path / "interactions.csv"
    rows = [f"2025-03-{d:02d} 10:00:00,,p{d % 3}@ex.org;p9@ex.org,email,I'll send you the deck tomorrow."
            for d in range(1, 20)]
    csv.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    _whole(monkeypatch, tmp_path / "whole.duckdb", csv)
    _import(tmp_path / "duck.duckdb", csv)
    assert sum(by_duckdb) == len(rows)
    query = ("SELECT f.line, p.name, f.due_on, f.note, f.owner FROM follow_ups f "
             "JOIN people p USING (person_id) ORDER BY 1, 2")
    found = []
    for name in ("whole", "duck"):
        with open_store(tmp_path / f"{name}.duckdb", read_only=True) as store:
            found.append(store.con.execute(query).fetchall())
    assert found[0] == found[1] and len(found[0]) == 2 * len(rows)


@pytest.mark.parametrize("trouble", [
    '2025-03-05,p1@ex.org,p2@ex.org,call,"two\nlines"',  # a record over two lines
    "2025-03-05,p1@ex.org",  # too few cells
    "2025-03-05,p1@ex.org,p2@ex.org,call,,extra",  # too many
    "",  # an empty line
])
def test_an_irregular_file_is_read_the_usual_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 by_duckdb: list[int], trouble: str,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    """DuckDB stops at the first sign that rows and lines part; nothing it wrote is kept.

    The file is then read in pieces, and the store ends as a whole read leaves it.
    """
    csv = tmp_path / "interactions.csv"
    rows = [f"2025-03-{d:02d},p{d % 4}@ex.org,p{d % 5 + 4}@ex.org,email," for d in range(1, 28)]
    rows[20:20] = [trouble]
    csv.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    whole = _whole(monkeypatch, tmp_path / "whole.duckdb", csv)
    with caplog.at_level(logging.INFO, logger="netgraph.ingest.batch"):
        read = _import(tmp_path / "duck.duckdb", csv)
    assert "reading it in pieces instead" in caplog.text and -1 in by_duckdb
    _same(whole, read, tmp_path)
    with open_store(tmp_path / "duck.duckdb", read_only=True) as store:
        assert store.scalar("SELECT count(*) FROM import_batches") == 1  # the abandoned one is gone


def test_a_file_changed_while_duckdb_reads_it_is_not_kept(tmp_path: Path, by_duckdb: list[int]) -> None:
    """The file's size and time are checked after the read: a changed file is refused whole."""
    csv = tmp_path / "interactions.csv"
    rows = [f"2025-03-{d:02d},p1@ex.org,p{d}@ex.org,email," for d in range(1, 28)]
    csv.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    parsed = parse_files([csv])
    csv.write_text(csv.read_text(encoding="utf-8") + "2025-03-28,p1@ex.org,p2@ex.org,call,\n",
                   encoding="utf-8")
    with open_store(tmp_path / "s.duckdb") as store, pytest.raises(InputFileError, match="changed"):
        import_parsed(store, parsed)
    with open_store(tmp_path / "s.duckdb", read_only=True) as store:
        assert store.count("interactions") == 0 and store.count("import_batches") == 0


def test_duckdb_may_read_the_one_file_and_nothing_else(tmp_path: Path) -> None:
    """The reading connection opens only the file it was made for, and cannot be opened up again."""
    mine, other = tmp_path / "mine.csv", tmp_path / "other.csv"
    for path in (mine, other):
        path.write_text("date,to\n2025-03-01,a@ex.org\n", encoding="utf-8")
    con = file_reader(mine)
    try:
        assert con.execute("SELECT count(*) FROM read_csv($p)", {"p": str(mine)}).fetchone() == (1,)
        with pytest.raises(duckdb.Error, match=r"(?i)permission|access"):
            con.execute("SELECT count(*) FROM read_csv($p)", {"p": str(other)})
        with pytest.raises(duckdb.Error):
            con.execute("SET enable_external_access = true")
    finally:
        con.close()


@pytest.mark.parametrize(("body", "printable"), [
    ("2025-03-01,a@ex.org\r\n", True),
    ("2025-03-01,a@ex.org\tx\n", False),
    ("2025-03-01,Zoë\n", False),
])
def test_the_survey_tells_a_printable_file(tmp_path: Path, body: str, printable: bool) -> None:
    """Printable ASCII and line ends only: DuckDB then needs to check no character of a cell."""
    path = tmp_path / "f.csv"
    path.write_bytes(("date,to\n" + body).encode("utf-8"))
    found = pieces.survey(path)
    assert found is not None and found.printable is printable and found.line_ends == 2


def test_files_duckdb_cannot_read_row_for_line_are_not_planned(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A repeated column, an unnamed one, or a name DuckDB reads as a pattern: read in pieces."""
    monkeypatch.setattr(pieces, "STREAM_ABOVE", 1)
    cases = {"repeated.csv": "date,to,to\n2025-03-01,a@ex.org,b@ex.org\n",
             "unnamed.csv": "date,to,\n2025-03-01,a@ex.org,\n",
             "star*.csv": "date,to\n2025-03-01,a@ex.org\n"}
    for name, text in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        pf = parse(path)
        assert pf.pieces is not None and pf.fast is None, name
