"""The format registry: its names, the order formats are asked in, and the shared contract."""

from __future__ import annotations

import codecs

import numpy as np
import pytest

from netgraph._errors import InputFileError
from netgraph.sources import address_book, linkedin
from netgraph.sources.base import rejects_frame
from netgraph.sources.detect import FORMATS, REGISTRY, Evidence, detect_format, parse_any
from netgraph.sources.reading import read_text


def test_format_choices_come_from_the_registry_in_their_order():
    assert FORMATS == ("csv", "linkedin", "google", "outlook", "vcard", "ics", "mbox")
    assert tuple(f.name for f in REGISTRY) == FORMATS
    assert [f.name for f in REGISTRY if f.takes_kind] == ["csv"]


def test_a_fixed_start_wins_over_a_csv_header(tmp_path):
    card = tmp_path / "contacts.txt"
    text = "BEGIN:VCARD\nVERSION:3.0\nFN:Ada\nNOTE:met at\n first name,last name,connected on\nEND:VCARD\n"
    card.write_text(text, encoding="utf-8")
    assert linkedin.looks_like(text)  # a CSV header inside the card, yet the card's start decides
    assert detect_format(card) == "vcard"


def test_linkedin_wins_over_an_address_book_with_the_same_header(tmp_path):
    both = tmp_path / "both.csv"
    both.write_text("First Name,Last Name,E-mail Address,Connected On\nAda,Lee,a@x.org,01 Jan 2024\n",
                    encoding="utf-8")
    assert address_book.which(both.read_text(encoding="utf-8")) == "outlook"
    assert detect_format(both) == "linkedin"


def test_what_no_format_claims_is_netgraph_csv(tmp_path):
    plain = tmp_path / "x.txt"
    plain.write_bytes(codecs.BOM_UTF16_LE + "name,email\nAda,a@x.org\n".encode("utf-16-le"))
    assert detect_format(plain) == "csv"
    assert [f.name for f in REGISTRY if f.evidence is Evidence.FALLBACK] == ["csv"]


def test_kind_and_unknown_format_messages(tmp_path):
    card = tmp_path / "c.vcf"
    card.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Ada\nEND:VCARD\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="--kind applies to netgraph's own CSV files, not to vcard"):
        parse_any(card, kind="contacts")
    with pytest.raises(InputFileError, match="unknown format 'xls'; choose one of csv, linkedin,"):
        parse_any(card, fmt="xls")


def test_rejects_frame_is_typed_and_in_line_order():
    frame = rejects_frame([(7, "g", "late"), (2, "b", "first"), (7, "h", "later")])
    assert frame.columns.tolist() == ["line", "raw", "reason"]
    assert frame["line"].dtype == np.int64
    assert frame.values.tolist() == [[2, "b", "first"], [7, "g", "late"], [7, "h", "later"]]
    assert rejects_frame([])["line"].dtype == np.int64


@pytest.mark.parametrize("data, note", [
    (b"Ada\n", None),
    ("Zoë\n".encode("cp1252"), "read as cp1252, not UTF-8; check accented names"),
    (codecs.BOM_UTF16_LE + "Zoë\n".encode("utf-16-le"), "read as UTF-16 text"),
])
def test_one_encoding_note(tmp_path, data, note):
    path = tmp_path / "f.txt"
    path.write_bytes(data)
    assert read_text(path).encoding_note() == note
