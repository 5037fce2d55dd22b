"""Reading files safely (issue 11, items 4, 5, 12 and the encodings of 16): repeated and empty
header cells, blank rows, a field longer than 16 MB, devices and FIFOs, files over the size
limit, very wide headers, UTF-16 and UTF-32.

Every case imports into a real store file (or runs the real CLI) and checks what loaded, what
was rejected and why, and that rows in = loaded + duplicates + rejected, with blank rows counted
as skipped.
"""

from __future__ import annotations

import codecs
import os
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import netgraph as ng
from netgraph.cli.main import main
from netgraph.sources import generic_csv
from netgraph.sources.csv_table import MAX_COLUMNS, MAX_FIELD_CHARS
from netgraph.sources.detect import detect_format, parse_any
from netgraph.sources.reading import parse_size, read_text

FORMATS = Path(__file__).parent / "data" / "formats"


def _import(tmp_path: Path, path: Path) -> ng.ImportResult:
    with ng.open_store(tmp_path / "store.duckdb") as store:
        (result,) = ng.import_files(store, [path])
    assert result.rows_in == result.loaded + result.duplicates + result.rejected
    return result


def _people(tmp_path: Path) -> dict[str, set[str]]:
    """Each stored person's name -> their email identities."""
    with ng.open_store(tmp_path / "store.duckdb", read_only=True) as store:
        rows = store.sql("SELECT p.name, i.value FROM people p LEFT JOIN identities i "
                         "ON i.person_id = p.person_id AND i.kind = 'email'")
    out: dict[str, set[str]] = {}
    for name, value in rows.itertuples(index=False):
        out.setdefault(name, set())
        if isinstance(value, str):
            out[name].add(value)
    return out


def _cli(*args: str, db: Path) -> tuple[int, str]:
    res = CliRunner().invoke(main, [*args, "--db", str(db)], catch_exceptions=False)
    return res.exit_code, res.output


# -- 1, 2: repeated and empty header cells --------------------------------------------------------


def test_columns_repeated_in_another_case_are_combined_not_dropped(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text("name,Email,email,Company,company\n"
                    "Ann Lee,ann@x.org,,Acme,\n"               # only the first email
                    "Bob Ray,,bob@x.org,,Initech\n"             # only the second of each
                    "Cy Dow,cy@x.org,CY@x.org;cy2@x.org,Acme,Acme\n"  # list: distinct values joined
                    "Di Fox,di@x.org,,Acme,Globex\n", encoding="utf-8")  # two companies: rejected
    pf = generic_csv.parse(path)
    assert "combined repeated column(s): email (columns 2 and 3); company (columns 4 and 5)" in pf.notes
    assert pf.rows["name"].tolist() == ["Ann Lee", "Bob Ray", "Cy Dow"]
    assert pf.rows["emails"].tolist() == [["ann@x.org"], ["bob@x.org"], ["cy@x.org", "cy2@x.org"]]
    assert pf.rows["company"].tolist() == ["Acme", "Initech", "Acme"]
    assert pf.rejects[["line", "reason"]].values.tolist() == [
        [5, "column 'company' appears twice (columns 4 and 5) with different values"]]
    assert pf.rejects["raw"].tolist() == ["Di Fox,di@x.org,,Acme,Globex"]

    r = _import(tmp_path, path)
    assert (r.rows_in, r.loaded, r.rejected) == (4, 3, 1)
    people = _people(tmp_path)
    assert people["Bob Ray"] == {"bob@x.org"}
    assert people["Cy Dow"] == {"cy@x.org", "cy2@x.org"}


def test_excel_trailing_empty_headers_and_exact_repeats_load(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text("name,email,email,,\n"
                    "Ann Lee,ann@x.org,ann@x.org,,\n"
                    "Bob Ray,bob@x.org,,stray,\n"
                    "Cy Dow,,cy@x.org,,also stray\n"
                    "Di Fox,di@x.org,,,\n", encoding="utf-8")
    r = _import(tmp_path, path)
    assert (r.rows_in, r.loaded, r.rejected) == (4, 4, 0)
    assert ("ignored values in 2 unnamed column(s) on 2 row(s): give those columns a header to read "
            "them") in r.notes
    assert _people(tmp_path) == {"Ann Lee": {"ann@x.org"}, "Bob Ray": {"bob@x.org"},
                                 "Cy Dow": {"cy@x.org"}, "Di Fox": {"di@x.org"}}


def test_empty_trailing_headers_without_values_get_a_note(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text("name,email,,\nAnn Lee,ann@x.org,,\n", encoding="utf-8")
    pf = generic_csv.parse(path)
    assert "ignored 2 unnamed column(s) (empty header cells)" in pf.notes
    assert pf.rows["name"].tolist() == ["Ann Lee"]


def test_a_column_named_line_does_not_clash_with_the_line_numbers(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text("name,line\nAnn Lee,42\nBob Ray,7\n", encoding="utf-8")
    pf = generic_csv.parse(path)
    assert pf.rows["line"].tolist() == [2, 3]
    assert "ignored column(s): line" in pf.notes


# -- 3: blank rows ------------------------------------------------------------------------------


BLANKS = "   \n , , \n,,\n\"\",\"\"\n\t\n"  # 5 blank rows: whitespace, empty cells, empty quoted cells


@pytest.mark.parametrize("multiline", [False, True], ids=["one-line-records", "quoted-newlines"])
def test_blank_rows_are_skipped_and_counted(tmp_path, multiline):
    note = '"two\nlines"' if multiline else "one line"  # a field spanning lines: the record reader
    path = tmp_path / "contacts.csv"
    path.write_text(f"name,email,notes\nAnn Lee,ann@x.org,{note}\n{BLANKS}\nBob Ray,bob@x.org,\n",
                    encoding="utf-8")
    pf = generic_csv.parse(path)
    assert pf.skipped == 5
    assert "skipped 5 blank row(s)" in pf.notes
    assert pf.rows_in == 2 and pf.rejects.empty
    assert pf.rows["name"].tolist() == ["Ann Lee", "Bob Ray"]

    code, output = _cli("import", str(path), db=tmp_path / "cli.duckdb")
    assert code == 0
    assert "contacts.csv (contacts): 2 loaded, 5 skipped, 0 rejected" in output
    assert "note: skipped 5 blank row(s)" in output


# -- 4: a field longer than the limit -------------------------------------------------------------


@pytest.mark.parametrize("spanning", [False, True], ids=["one-line", "spanning-lines"])
def test_a_field_over_16_mb_is_one_rejected_record(tmp_path, spanning):
    big = "x" * (MAX_FIELD_CHARS + 4 * 1024 * 1024)  # 20 MB
    cell = f'"start\n{big}\nend"' if spanning else f'"{big}"'
    path = tmp_path / "contacts.csv"
    path.write_text(f"name,email,notes\nAnn Lee,ann@x.org,hi\nBob Ray,bob@x.org,{cell}\n"
                    "Cy Dow,cy@x.org,ok\nDi Fox,di@x.org,ok\n", encoding="utf-8")
    r = _import(tmp_path, path)
    assert (r.rows_in, r.loaded, r.rejected) == (4, 3, 1)
    assert r.reasons == ["line 3: a field longer than 16 MB (16,777,216 characters), more than netgraph "
                         "reads in one field; shorten it or move it out of the file"]
    assert set(_people(tmp_path)) == {"Ann Lee", "Cy Dow", "Di Fox"}


# -- 5: devices, FIFOs and files over the size limit ---------------------------------------------


def test_dev_zero_is_refused_at_once(tmp_path):
    start = time.monotonic()
    code, output = _cli("import", "/dev/zero", db=tmp_path / "s.duckdb")
    assert code == 2
    assert output.strip().startswith("netgraph: /dev/zero: is a character device, not a regular file")
    assert "--max-size" in output
    assert time.monotonic() - start < 30


def test_dev_zero_with_max_size_is_read_only_that_far(tmp_path):
    code, output = _cli("import", "/dev/zero", "--max-size", "1M", db=tmp_path / "s.duckdb")
    assert code == 2
    assert output.strip().startswith("netgraph: /dev/zero: gives more than the 1M that --max-size allows")


def test_a_fifo_is_refused_without_max_size_and_never_opened(tmp_path):
    fifo = tmp_path / "contacts.csv"
    os.mkfifo(fifo)  # opening it for reading would block: the refusal must come before
    for args in ([], ["--format", "mbox"]):
        code, output = _cli("import", str(fifo), *args, db=tmp_path / "s.duckdb")
        assert code == 2
        assert "is a pipe (FIFO), not a regular file" in output


def test_a_fifo_with_max_size_is_read_once(tmp_path):
    fifo = tmp_path / "contacts.csv"
    os.mkfifo(fifo)
    data = b"name,email\nAnn Lee,ann@x.org\nBob Ray,bob@x.org\n"

    def write() -> None:
        with fifo.open("wb") as fh:
            fh.write(data)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    (pf,) = parse_any(fifo, max_size=1024 * 1024)  # format told from the head, then parsed
    writer.join(timeout=10)
    assert pf.kind == "contacts"
    assert pf.rows["name"].tolist() == ["Ann Lee", "Bob Ray"]


def test_a_mailbox_from_a_fifo_is_refused_even_with_max_size(tmp_path):
    fifo = tmp_path / "mail.mbox"
    os.mkfifo(fifo)
    with pytest.raises(ng.InputFileError, match=r"is a pipe \(FIFO\).*save it to a file first"):
        parse_any(fifo, fmt="mbox", max_size=1024)


def test_a_file_over_the_limit_names_its_size_the_limit_and_the_fix(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_text("name,email\n" + "".join(f"P{i},p{i}@x.org\n" for i in range(200)), encoding="utf-8")
    size = path.stat().st_size
    assert 2048 < size < 1024**2
    code, output = _cli("import", str(path), "--max-size", "2K", db=tmp_path / "s.duckdb")
    assert code == 2
    assert output.strip() == (f"netgraph: {path}: the file is {size / 1024:.1f}K, over the 2K limit for one "
                              "input file; pass --max-size 1M to read it anyway")
    code, output = _cli("import", str(path), "--max-size", "1M", db=tmp_path / "s.duckdb")
    assert code == 0
    assert "200 loaded" in output


def test_the_streamed_mailbox_reader_keeps_the_limit(tmp_path):
    mbox = (FORMATS / "mbox" / "mail.mbox").read_bytes()
    path = tmp_path / "mail.mbox"
    path.write_bytes(mbox)
    with pytest.raises(ng.InputFileError,
                       match="over the 100 bytes limit for one input file; pass --max-size 1M"):
        parse_any(path, max_size=100)
    assert parse_any(path, max_size=len(mbox))[0].kind == "interactions"


def test_bad_max_size_is_a_usage_error(tmp_path):
    res = CliRunner().invoke(main, ["import", "x.csv", "--max-size", "lots",
                                    "--db", str(tmp_path / "s.duckdb")])
    assert res.exit_code == 2
    assert "not a size: 'lots'" in res.output


def test_parse_size():
    assert parse_size("500M") == 500 * 1024**2
    assert parse_size("5G") == 5 * 1024**3
    assert parse_size("5gb") == 5 * 1024**3
    assert parse_size("1.5K") == 1536
    assert parse_size("1024") == 1024
    for bad in ("", "-1", "5X", "0", "G"):
        with pytest.raises(ValueError):
            parse_size(bad)


# -- 6: very wide headers -----------------------------------------------------------------------


def test_a_header_of_100k_columns_is_refused_fast(tmp_path):
    n = 100_000
    path = tmp_path / "wide.csv"
    path.write_text("name," + ",".join(f"c{i}" for i in range(n - 1)) + "\n"
                    + "".join(f"P{r}," + ",".join("x" * (n - 1)) + "\n" for r in range(2)),
                    encoding="utf-8")
    start = time.monotonic()
    with ng.open_store(tmp_path / "store.duckdb") as store, pytest.raises(ng.InputFileError) as exc:
        ng.import_files(store, [path])
    assert time.monotonic() - start < 20  # was 98 s
    assert str(exc.value) == (f"{path}: the header row has 100,000 columns (separated by ','), more than the "
                              "1,000 netgraph reads; this is not a contacts or interactions file as it "
                              "stands: keep only the columns you need, or check the separator")


def test_a_header_at_the_limit_loads_and_wider_rows_are_rejected(tmp_path):
    extra = [f"x{i}" for i in range(MAX_COLUMNS - 2)]
    path = tmp_path / "contacts.csv"
    path.write_text("name,email," + ",".join(extra) + "\n"
                    + "Ann Lee,ann@x.org," + ",".join("v" * len(extra)) + "\n"
                    + "Bob Ray,bob@x.org," + ",".join("v" * (len(extra) + 5)) + "\n", encoding="utf-8")
    r = _import(tmp_path, path)
    assert (r.rows_in, r.loaded, r.rejected) == (2, 1, 1)
    assert r.reasons == [
        f"line 3: wrong column count: expected {MAX_COLUMNS} fields, found {MAX_COLUMNS + 5}"]
    assert any(n.startswith("ignored column(s): x0, x1,") and n.endswith(f"and {len(extra) - 12:,} more")
               for n in r.notes)


# -- 7, 8: UTF-16 and UTF-32 --------------------------------------------------------------------

CONTACTS = "name,email,city\nJoaquín Müller,jm@x.org,Zürich\nChloé Żak,cz@x.org,Łódź\n"


@pytest.mark.parametrize("encoding, bom", [
    ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-32-le", codecs.BOM_UTF32_LE), ("utf-32-be", codecs.BOM_UTF32_BE),
    ("utf-16-le", b""),  # no byte-order mark
])
def test_utf16_and_utf32_files_are_read(tmp_path, encoding, bom):
    path = tmp_path / "contacts.csv"
    path.write_bytes(bom + CONTACTS.encode(encoding))
    assert detect_format(path) == "csv"
    r = _import(tmp_path, path)
    assert (r.rows_in, r.loaded, r.rejected) == (2, 2, 0)
    assert f"read as {encoding[:6].upper()} text" in r.notes
    assert _people(tmp_path) == {"Joaquín Müller": {"jm@x.org"}, "Chloé Żak": {"cz@x.org"}}


def test_excel_unicode_text_is_tab_separated_utf16(tmp_path):
    path = tmp_path / "contacts.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + CONTACTS.replace(",", "\t").encode("utf-16-le"))
    pf = generic_csv.parse(path)
    assert pf.notes[:2] == ["read as UTF-16 text", "read as tab-separated"]
    assert pf.rows[["name", "city"]].values.tolist() == [["Joaquín Müller", "Zürich"], ["Chloé Żak", "Łódź"]]


def test_damaged_utf16_rejects_only_its_line(tmp_path):
    data = codecs.BOM_UTF16_LE + CONTACTS.encode("utf-16-le")
    cut = data.index("Chloé".encode("utf-16-le"))
    path = tmp_path / "contacts.csv"
    path.write_bytes(data[:cut] + b"\x00\xd8" + data[cut:])  # a lone surrogate: not UTF-16
    pf = generic_csv.parse(path)
    assert pf.rows["name"].tolist() == ["Joaquín Müller"]
    assert pf.rejects["line"].tolist() == [3]
    assert pf.rejects["reason"].iloc[0].startswith("damaged text: bytes that are not valid UTF-16")


@pytest.mark.parametrize("source, fmt", [("vcard/contacts.vcf", "vcard"), ("ics/calendar.ics", "ics"),
                                         ("address_book/outlook.csv", "outlook"),
                                         ("linkedin/Connections.csv", "linkedin")])
def test_utf16_files_of_other_formats_are_told_apart_and_read(tmp_path, source, fmt):
    original = FORMATS / source
    text = original.read_bytes().decode("utf-8-sig")
    path = tmp_path / original.name
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert detect_format(path) == fmt
    as_utf16 = [(pf.kind, pf.rows_in, len(pf.rows)) for pf in parse_any(path)]
    assert as_utf16 == [(pf.kind, pf.rows_in, len(pf.rows)) for pf in parse_any(original)]
    assert as_utf16[0][2] > 0


def test_binary_files_are_still_refused(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    with pytest.raises(ng.InputFileError, match="looks like a binary file"):
        read_text(path)


# -- exports read by header (LinkedIn, Google, Outlook) --------------------------------------------


def test_export_with_a_repeated_column_keeps_both_values_and_counts_blank_rows(tmp_path):
    """A Google export whose header names "E-mail 1 - Value" twice keeps both addresses; blank
    rows (of commas or of spaces) are counted as skipped, not lost without a trace."""
    path = tmp_path / "google.csv"
    path.write_text(
        "First Name,Last Name,E-mail 1 - Value,E-mail 1 - Value\n"
        "Ada,Lovelace,ada@home.example,ada@work.example\n"
        ",,,\n"
        "   \n"
        "Ken,Thompson,,ken@bell.example\n",
        encoding="utf-8",
    )
    (pf,) = parse_any(path)
    assert pf.skipped == 2
    assert any("appears twice" in n for n in pf.notes)
    result = _import(tmp_path, path)
    assert (result.loaded, result.rejected, result.skipped) == (2, 0, 2)
    people = _people(tmp_path)
    assert people["Ada Lovelace"] == {"ada@home.example", "ada@work.example"}
    assert people["Ken Thompson"] == {"ken@bell.example"}
