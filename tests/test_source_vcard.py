from pathlib import Path

import pytest

from netgraph import InputFileError
from netgraph.sources import vcard

DATA = Path(__file__).parent / "data" / "formats" / "vcard"


def test_vcard_cards_by_value():
    pf = vcard.parse(DATA / "contacts.vcf")
    rows = pf.rows.set_index("line")
    assert list(rows.index) == [1, 14, 43]
    assert rows.loc[1, "name"] == "Jürgen Müller"
    assert rows.loc[1, "emails"] == ["juergen@example.de", "JUERGEN.M@Example.ORG"]
    assert rows.loc[1, "phones"] == ["+49 151 1234567", "+49 30 9876543"]
    assert rows.loc[1, "notes"] == "Met at the Berlin fair, introduced us to the logistics team."
    assert rows.loc[14, "name"] == "Dr. Chiamaka Okafor"
    assert rows.loc[14, "company"] == "Lagos Health Partners"
    assert rows.loc[14, "emails"] == ["chiamaka@lagoshealth.ng", "chi.okafor@gmail.com"]
    assert rows.loc[14, "tags"] == ["Other", "Investor Club", "Clinic", "HomePage", "health", "mentor"]
    assert rows.loc[14, "linkedin_url"] == "https://www.linkedin.com/in/chiamaka-okafor"
    assert (rows.loc[14, "city"], rows.loc[14, "country"]) == ("Lagos", "Nigeria")
    assert rows.loc[43, "name"] == "Søren Kierkegaard-Ødegård"
    assert rows.loc[43, "phones"] == ["+45-20-12-34-56"]
    rej = pf.rejects
    assert list(rej["line"]) == [38, 53, 57]
    assert "no colon" in rej["reason"][0]
    assert "no name" in rej["reason"][1]
    assert "truncated" in rej["reason"][2]
    assert pf.rows_in == 6


def test_vcard_looks_like_and_unreadable(tmp_path):
    assert vcard.looks_like(b"\xef\xbb\xbfBEGIN:VCARD\r\nVERSION:3.0")
    assert not vcard.looks_like(b"name,email\n")
    empty = tmp_path / "empty.vcf"
    empty.write_text("")
    with pytest.raises(InputFileError, match=r"empty\.vcf"):
        vcard.parse(empty)
