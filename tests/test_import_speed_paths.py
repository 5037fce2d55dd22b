"""The fast paths of a large CSV import give exactly what the careful ones give.

- Interaction fingerprints, made on Arrow columns without a join, are byte for byte those of the
  original single SQL query (kept here as the reference): stores hold them, and importing a file
  again must stay a no-op.
- A well-formed CSV read by pyarrow gives the table the record-by-record reader gives; anything
  unusual still goes to that reader.
- Dates of the usual shapes read with numpy equal pandas' ISO 8601 parse of the same column.
- Participants are deduplicated per interaction as ``drop_duplicates`` did.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import netgraph as ng
from netgraph.ingest import interactions as inter
from netgraph.sources import csv_table
from netgraph.sources.bounds import _parse_iso_dates_pandas, check_parsed, parse_iso_dates
from netgraph.sources.generic_csv import parse
from netgraph.sources.reading import TextFile

# -- fingerprints ---------------------------------------------------------------------------------

# The fingerprint query as it was first written: one join of the rows to their aggregated
# recipients, on pandas frames. Copied here unchanged as the reference.
_REFERENCE_QUERY = """
WITH tos AS (
    SELECT "row", string_agg(DISTINCT lower(ref), ';' ORDER BY lower(ref)) AS tos
    FROM _batch_parts GROUP BY "row"
)
SELECT r."row",
       md5(concat_ws('|', strftime(r.occurred_at, '%Y-%m-%dT%H:%M:%S'),
                     coalesce(lower(r.from_ref), ''), t.tos, r.kind,
                     coalesce(r.note, ''))) AS fingerprint
FROM _batch_rows r JOIN tos t USING ("row")
"""


def _reference_fingerprints(store: ng.Store, rows: pd.DataFrame, parts: pd.DataFrame) -> pd.Series:
    frame = rows[["occurred_at", "from_ref", "kind", "note"]].rename_axis("row").reset_index()
    with store.registered("_batch_rows", frame), store.registered("_batch_parts", parts):
        out = store.con.execute(_REFERENCE_QUERY).df().set_index("row").reindex(rows.index)
    return out["fingerprint"]


def _tricky_rows() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows with unicode, empty and missing notes, and recipients in every order and case."""
    when = pd.Series([
        datetime(2025, 3, 14, 9, 30), datetime(2025, 3, 14, 9, 30, 0, 999_999),
        datetime(1950, 6, 1, 23, 59, 59, 500_000), datetime(2025, 3, 14, 9, 30), datetime(2024, 2, 29),
        datetime(2025, 1, 1), datetime(2025, 1, 1), datetime(2025, 1, 2), datetime(2025, 1, 3),
    ], dtype="datetime64[us]")
    rows = pd.DataFrame({
        "line": np.arange(2, 11),
        "occurred_at": when,
        "from_ref": pd.Series(["Dana@X.com", "dana@x.com", None, "Zoë Åström", "İpek", "\u212aelvin",
                               "a;b|c", "ΣΊΣΥΦΟΣ", "dana@x.com"], dtype="str"),
        "kind": pd.Series(["email", "email", "meeting", "call", "message", "other", "email", "email",
                           "email"], dtype="str"),
        "note": pd.Series(["", None, "café | résumé", "line;two", None, "日本語", "", None, "x"],
                          dtype="str"),
    }).set_axis(pd.Index([10, 11, 12, 13, 14, 15, 16, 17, 18]))  # after: no alignment of columns
    parts = pd.DataFrame({
        "row": [10, 10, 10, 11, 11, 11, 12, 13, 13, 14, 15, 16, 16, 17, 17, 18, 18],
        "ref": pd.Series(["b@y.org", "A@x.com", "a@X.com",  # one person twice, in two cases
                          "a@x.com", "b@y.org", "A@X.COM",  # the same set in another order
                          "Ünal", "zed", "Émile", "i̇pek", "\u212a", "ß", "SS", "σ", "Σ",
                          "dana@x.com", "Dana@X.com"], dtype="str"),
    })
    return rows, parts


def test_fingerprints_are_byte_identical_to_the_reference(file_store):
    rows, parts = _tricky_rows()
    new = inter._fingerprints(file_store, rows, parts)
    old = _reference_fingerprints(file_store, rows, parts)
    assert new.tolist() == old.tolist()
    assert new.index.equals(rows.index)
    # the same recipients in another order and case, the sender in another case, an empty note
    # against a missing one, a microsecond apart: the same fingerprint (the date counts to the second)
    assert new[10] == new[11]
    assert new.drop(11).is_unique
    alone = inter._fingerprints(file_store, rows.loc[[11]], parts[parts["row"] == 11])
    assert alone[11] == new[11]


def test_fingerprints_of_a_row_without_recipients_are_missing(file_store):
    rows, parts = _tricky_rows()
    parts = parts[parts["row"] != 13]
    new = inter._fingerprints(file_store, rows, parts)
    old = _reference_fingerprints(file_store, rows, parts)
    assert new.isna().tolist() == old.isna().tolist() == [r == 13 for r in rows.index]
    assert new.dropna().tolist() == old.dropna().tolist()


def test_duplicates_are_repeats_of_good_rows_and_stored_rows_of_the_same_second(file_store):
    rows, parts = _tricky_rows()  # rows 10 and 11 share a fingerprint
    fps = inter._fingerprints(file_store, rows, parts)
    ok = np.ones(len(rows), dtype=bool)
    inter._fingerprint_piece(file_store, rows, parts, ok)
    assert inter._duplicates(file_store, rows, ok).tolist() == fps.duplicated().tolist()
    ok[0] = False  # a rejected row is no earlier row: its twin is kept, and is no duplicate itself
    inter._fingerprint_piece(file_store, rows, parts, ok)
    assert not inter._duplicates(file_store, rows, ok).any()
    # stored rows: only those within the piece's seconds are looked at, and they are found
    file_store.con.execute("""
        INSERT INTO interactions (interaction_id, batch_id, line, occurred_at, kind, initiator_id,
                                  n_participants, note, fingerprint)
        VALUES (1, 1, 2, TIMESTAMP '2024-02-29 00:00:00.5', 'message', 1, 2, NULL, ?)
    """, [fps[14]])
    ok[:] = True
    inter._fingerprint_piece(file_store, rows, parts, ok)
    assert inter._duplicates(file_store, rows, ok).tolist() == (
        fps.duplicated() | (fps == fps[14])).tolist()


def test_reimport_of_the_same_rows_is_a_no_op(file_store, write_csv):
    path = write_csv("inter.csv", """\
        date,from,to,kind,note
        2025-03-14 09:30:00,Dana@X.com,"b@y.org; A@x.com; a@X.com",email,
        2025-03-14 09:30:00,dana@x.com,"a@x.com;b@y.org",email,
        2025-03-15,Zoë Åström,Ünal,meeting,café | résumé
        """)
    first = ng.import_file(file_store, path)
    assert (first.loaded, first.duplicates) == (2, 1)
    copy = write_csv("again.csv", path.read_text(encoding="utf-8") + "2025-03-16,a@x.com,zed,call,\n")
    second = ng.import_file(file_store, copy)
    assert (second.loaded, second.duplicates) == (1, 3)
    stored = file_store.sql("SELECT fingerprint FROM interactions ORDER BY interaction_id")
    rows = file_store.sql("SELECT * FROM interactions ORDER BY interaction_id")
    assert stored["fingerprint"].is_unique and len(rows) == 3


def test_stored_fingerprints_match_the_reference_when_rows_are_rejected(file_store, write_csv):
    ng.import_file(file_store, write_csv("contacts.csv", """\
        id,name,email
        1,Dana Lee,dana@x.com
        2,Bo Chen,bo@y.org
        """))
    path = write_csv("inter.csv", """\
        date,from,to,kind,note
        2025-03-14,dana@x.com,bo@y.org,email,hi
        not-a-date,dana@x.com,bo@y.org,email,
        2025-03-15,Dana Lee,dana@x.com,call,
        2025-03-16,bo@y.org,"dana@x.com;new@z.io",meeting,
        2025-03-16,BO@y.org,"new@z.io; Dana@x.com",meeting,
        2025-03-17,bo@y.org,Zoë,message,ünïcode
        """)
    result = ng.import_file(file_store, path)
    assert (result.loaded, result.duplicates, result.rejected) == (3, 1, 2)
    pf = check_parsed(parse(path))
    assert not pf.rows.index.equals(pd.RangeIndex(len(pf.rows)))  # a row was rejected on parsing
    reference = _reference_fingerprints(file_store, pf.rows, pf.parts)
    want = dict(zip(pf.rows["line"], reference, strict=True))
    stored = file_store.sql("SELECT line, fingerprint FROM interactions")
    assert sorted(stored["line"]) == [2, 5, 7]
    assert all(want[line] == fp for line, fp in zip(stored["line"], stored["fingerprint"], strict=True))
    assert file_store.scalar("SELECT count(*) FROM interaction_participants") == 7


# -- the CSV fast path ----------------------------------------------------------------------------

WELL_FORMED = [
    "date,from,to\n2025-03-14,a@x.com,b@y.org\n2025-03-15, c@z.io ,\"d@e.f; g@h.i\"\n",
    "name,email\r\n\"Dana Lee\",dana@x.com\r\n\r\n,,\r\n\"Zoë\",\"z@x.com\"\r\n",
    "\n\n  a,b\n1,2\n3\n4,5,6\n\"\",\"\"\n\u00a0,\n7,8",  # ragged rows, blank rows, no final newline
    "a\tb\n1\t2\n \t \n3\t4\n",
]
UNUSUAL = [
    "a,b\n\"multi\nline\",2\n",  # a quoted field over two lines
    "a,b\n\"never closed,2\n3,4\n",  # an unbalanced quote
    "a,b\r1,2\r",  # old Mac line ends
]


def _as_tuple(table: csv_table.CsvTable) -> tuple:
    frame = table.frame.astype(object).where(table.frame.notna(), None)
    return (table.header, frame.values.tolist(), table.bad, table.rows_in, table.blank,
            table.raws(list(table.frame["line"])))


@pytest.mark.parametrize("text", WELL_FORMED)
def test_well_formed_files_take_the_fast_path_and_match_the_record_reader(text):
    lines = csv_table._single_line_records(text)
    assert lines is not None
    delimiter = csv_table._sniff_delimiter(text)
    cut = not text.endswith("\n")
    fast = csv_table._read_simple(Path("x.csv"), lines, delimiter, cut)
    assert fast is not None and isinstance(fast.raw, csv_table.LineTexts)
    careful = csv_table._read_records(Path("x.csv"), text, delimiter, cut)
    assert _as_tuple(fast) == _as_tuple(careful)
    assert _as_tuple(csv_table.read_csv_table(TextFile(Path("x.csv"), text, "", "utf-8"))) == _as_tuple(fast)


@pytest.mark.parametrize("text", UNUSUAL)
def test_unusual_files_go_record_by_record(text):
    assert csv_table._single_line_records(text) is None
    table = csv_table.read_csv_table(TextFile(Path("x.csv"), text, "", "utf-8"))
    assert not isinstance(table.raw, csv_table.LineTexts)


def test_line_texts_decode_only_the_lines_asked_for():
    lines = csv_table._single_line_records("a,b\r\nÉmile,2\r\n\r\nx,y")
    assert lines is not None and len(lines) == 4
    assert [lines[n] for n in (1, 2, 3, 4)] == ["a,b", "Émile,2", "", "x,y"]
    with pytest.raises(KeyError):
        lines[5]


def test_quote_parity_is_checked_across_scan_blocks(monkeypatch):
    monkeypatch.setattr(csv_table, "_SCAN_BLOCK", 7)  # lines and quotes cut across blocks
    good = 'a,"b"\n"1",2\n3,"4"\n'
    assert csv_table._single_line_records(good) is not None
    assert csv_table._single_line_records('a,"b"\n"1,2\n3",4\n') is None


def test_cells_are_trimmed_only_when_needed():
    plain = pa.chunked_array([pa.array(["a", "b@c"]), pa.array(["d"])])
    assert not csv_table.may_need_trim(plain)
    for odd in (["a", " b"], ["a\u00a0"], ["é"], ["x\t"]):
        assert csv_table.may_need_trim(pa.array(odd))
    cleaned = csv_table._clean(pa.array([" a ", "", "b", "\u3000"]))
    assert cleaned.tolist()[0] == "a" and cleaned.isna().tolist() == [False, True, False, True]


def test_a_damaged_line_rejects_only_its_row(tmp_path):
    body = "".join(f"2025-01-{d:02d},zoë@x.com,b{d}@y.org\n" for d in range(1, 29))  # UTF-8
    raw = ("date,from,to\n" + body).encode()
    cut = raw.index(b"b14@")
    path = tmp_path / "damaged.csv"
    path.write_bytes(raw[:cut] + b"\xff" + raw[cut:])
    pf = parse(path)
    assert pf.rejects["line"].tolist() == [15]
    assert pf.rejects["reason"].iloc[0].startswith("damaged text")
    assert len(pf.rows) == 27


def test_self_interactions_are_found_case_blind_beyond_ascii(tmp_path):
    path = tmp_path / "self.csv"
    path.write_text("date,from,to\n2025-01-01,\u212a@x.com,k@X.com\n2025-01-02,Ab@x.com,ab@x.com;c@d.e\n"
                    "2025-01-03,ab@x.com,abc@x.com\n", encoding="utf-8")
    pf = parse(path)
    assert pf.rejects["line"].tolist() == [2, 3]
    assert all("themselves" in r for r in pf.rejects["reason"])


# -- dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("values", [
    ["2025-03-14", "2024-02-29 10:11:12", "2000-01-01T00:00:00", None, " 1999-12-31 "],
    ["2025-03-14", "2023-02-29"],  # not a real date: pandas judges the whole column
    ["2025-03-14 10:00:00", "2025-03-14T10:00:00+02:00", "now"],
    ["1899-12-31", "2025-01-01"],  # outside the window
    ["2025-03-14 24:00:00", "2025-03-14 23:59:60", "2025-03-14 10:00:00.123456789"],
    [None, None],
])
def test_usual_dates_read_with_numpy_equal_pandas(values):
    series = pd.Series(values, dtype="str")
    when, why = parse_iso_dates(series, "date")
    ref_when, ref_why = _parse_iso_dates_pandas(series, "date")
    assert when.dtype == ref_when.dtype
    assert when.equals(ref_when)
    assert why.fillna("").tolist() == ref_why.fillna("").tolist()


def test_a_column_of_usual_dates_skips_pandas(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("pandas was asked")

    monkeypatch.setattr("netgraph.sources.bounds._parse_iso_dates_pandas", fail)
    when, why = parse_iso_dates(pd.Series(["2025-03-14", "2025-03-14 09:30:00", None], dtype="str"), "d")
    assert [str(w) for w in when] == ["2025-03-14 00:00:00", "2025-03-14 09:30:00", "NaT"]
    assert why.isna().all()


# -- participants ---------------------------------------------------------------------------------


def test_participants_are_deduplicated_as_drop_duplicates_did():
    rng = np.random.default_rng(7)
    for _ in range(50):
        n, m = int(rng.integers(1, 20)), int(rng.integers(0, 40))
        ids = np.arange(5, 5 + n, dtype=np.int64)
        to_ids = rng.choice(ids, m)
        initiators, to_people = rng.integers(0, 4, n), rng.integers(0, 4, m)
        from_refs = inter.take_ids(np.arange(9), rng.integers(-1, 9, n))
        to_refs = inter.take_ids(np.arange(9), rng.integers(-1, 9, m))
        got = inter.participant_rows(ids, initiators, from_refs, to_ids, to_people, to_refs).to_pandas()
        want = pd.concat([
            pd.DataFrame({"interaction_id": ids, "person_id": initiators, "role": "from",
                          "ref_id": from_refs.to_pandas()}),
            pd.DataFrame({"interaction_id": to_ids, "person_id": to_people, "role": "to",
                          "ref_id": to_refs.to_pandas()}),
        ], ignore_index=True).drop_duplicates(["interaction_id", "person_id"])
        assert got.astype(object).where(got.notna(), None).values.tolist() == \
            want.astype(object).where(want.notna(), None).values.tolist()


def test_first_of_pairs_with_values_too_wide_for_one_integer():
    a = np.array([1, 1, 2, 1, 2**62, 2**62], dtype=np.int64)
    b = np.array([-(2**62), -(2**62), 5, 5, 7, 7], dtype=np.int64)
    want = ~pd.DataFrame({"a": a, "b": b}).duplicated().to_numpy()
    assert inter._first_of_pairs(a, b).tolist() == want.tolist()
