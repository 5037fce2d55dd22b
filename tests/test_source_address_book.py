"""Google Contacts and Outlook CSV parsers on hand-written fixtures (tests/data/formats/address_book)."""

from __future__ import annotations

from pathlib import Path

import pytest

from netgraph import InputFileError
from netgraph.sources import address_book

DATA = Path(__file__).parent / "data" / "formats" / "address_book"


def _people(pf):
    return [(r.line, r.name, r.emails, r.phones, r.company, r.title, r.city, r.country, r.tags)
            for r in pf.rows.itertuples()]


def test_google_current_header_with_bom():
    assert (DATA / "google.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    pf = address_book.parse(DATA / "google.csv")
    assert pf.kind == "contacts"
    assert _people(pf) == [
        (2, "Ada Lovelace", ["ada@home.example", "ADA@analytical.example", "ada.l@gmail.example"],
         ["+44 20 7946 0001", "+44 20 7946 0002"], "Analytical Engines, Ltd", "Chief Programmer",
         "London", "United Kingdom", ["Friends", "starred"]),
        (3, "José María Núñez", ["jose@acme.example"], ["+34 600 000 000"], "Acme", "Engineer",
         "Madrid", "Spain", ["Work"]),
        (5, "noname@example.org", ["noname@example.org"], [], None, None, None, None, []),
    ]
    assert pf.rows["linkedin_url"].tolist() == ["https://www.linkedin.com/in/ada-lovelace-1815", None, None]
    assert pf.rows["notes"].tolist() == ["Met at the Royal Society", None, None]
    assert pf.rejects["line"].tolist() == [4, 6]
    assert pf.rejects["reason"][0] == "no name and no email address"
    assert pf.rejects["raw"][0].startswith(",,,,,,,,,,,,,,,,* myContacts,")
    # the last row is cut short: rejected with a reason, the rest loads
    assert pf.rejects["reason"][1].startswith("wrong column count: expected 36 fields, found 33")
    assert pf.rows_in == 5


def test_google_legacy_header():
    pf = address_book.parse(DATA / "google_legacy.csv")
    assert _people(pf) == [
        (2, "Grace Hopper", ["grace@navy.example", "grace@home.example"], ["+1 202 555 0199"],
         "US Navy", "Rear Admiral, Retd.", None, None, ["Navy"]),
        (3, "Alan Turing", ["alan@bletchley.example"], [], None, None, None, None, []),
    ]
    assert pf.rejects[["line", "reason"]].values.tolist() == [[4, "no name and no email address"]]


def test_outlook():
    pf = address_book.parse(DATA / "outlook.csv")
    assert _people(pf) == [
        (2, "Barbara Liskov", ["barbara@mit.example", "liskov@csail.example"],
         ["+1 617 555 0102", "+1 617 555 0101"], "MIT, CSAIL", "Institute Professor", "Cambridge",
         "United States", ["Research", "Boston"]),
        # an Exchange X.500 address is not an email address
        (3, "Donald E. Knuth", [], [], "Stanford", "Professor Emeritus", "Palo Alto", "USA", []),
    ]
    assert pf.rejects["line"].tolist() == [5]  # line 4 is a blank row: skipped, not counted
    assert pf.rows_in == 3
    assert pf.rows["cadence_days"].dtype == "Int64"


def test_detection():
    heads = {n: (DATA / n).read_text(encoding="utf-8-sig")[:2000]
             for n in ("google.csv", "google_legacy.csv", "outlook.csv")}
    assert address_book.which(heads["google.csv"]) == "google"
    assert address_book.which("\ufeff" + heads["google.csv"]) == "google"
    assert address_book.which(heads["google_legacy.csv"]) == "google_legacy"
    assert address_book.which(heads["outlook.csv"]) == "outlook"
    header = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    assert not address_book.looks_like(header)
    assert not address_book.looks_like("name,email\n")


@pytest.mark.parametrize("content", [b"", b"\x00\x01binary", b"name,email\nAda,ada@example.org\n"])
def test_unreadable_files_raise(tmp_path, content):
    p = tmp_path / "contacts.csv"
    p.write_bytes(content)
    with pytest.raises(InputFileError, match=r"contacts\.csv"):
        address_book.parse(p)
