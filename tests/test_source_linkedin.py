"""LinkedIn export parsers on hand-written fixtures (tests/data/formats/linkedin)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from netgraph import InputFileError
from netgraph.sources import linkedin

DATA = Path(__file__).parent / "data" / "formats" / "linkedin"
ME = "https://www.linkedin.com/in/me-myself"


def _people(pf):
    return [(r.line, r.name, r.emails, r.company, r.title, r.linkedin_url)
            for r in pf.rows.itertuples()]


def _events(pf):
    tos = pf.parts.groupby("row")["ref"].apply(list)
    return [(r.line, r.occurred_at.to_pydatetime(), None if r.from_ref != r.from_ref else r.from_ref,
             r.kind, None if r.note != r.note else r.note, tos[i])
            for i, r in zip(pf.rows.index, pf.rows.itertuples(), strict=True)]


def test_connections_current_header_with_preamble():
    contacts, events = linkedin.parse_all(DATA / "Connections.csv")
    assert contacts.kind == "contacts" and events.kind == "interactions"
    assert _people(contacts) == [
        (5, "Ada Lovelace", ["ada@analytical.example"], "Analytical Engines, Ltd", "Chief Programmer",
         "https://www.linkedin.com/in/ada-lovelace-1815"),
        (6, "Grace Hopper", [], "US Navy", "Rear Admiral, Retd.", "https://www.linkedin.com/in/gracehopper"),
        (8, "Alan Turing", [], "Bletchley Park", "Cryptanalyst", "https://www.linkedin.com/in/alan-turing"),
        (10, "Katherine Johnson", ["katherine@nasa.example"], "NASA", "Mathematician",
         "https://www.linkedin.com/in/kjohnson"),
    ]
    assert contacts.rows["tags"].tolist() == [["linkedin"]] * 4
    assert contacts.rejects["line"].tolist() == [9, 12]
    assert contacts.rejects["reason"][0] == "no name and no email address"
    assert "unbalanced double quote" in contacts.rejects["reason"][1]
    assert contacts.rejects["raw"][0] == ",,,,Ghost Corp,,03 Mar 2024"
    assert contacts.rows_in == len(contacts.rows) + len(contacts.rejects)
    assert contacts.raws([5]) == [contacts.source.raw[5]]

    assert _events(events) == [
        (5, datetime(2026, 1, 5), None, "connected", "connected on LinkedIn",
         ["https://www.linkedin.com/in/ada-lovelace-1815"]),
        (6, datetime(2025, 12, 12), None, "connected", "connected on LinkedIn",
         ["https://www.linkedin.com/in/gracehopper"]),
        (8, datetime(2024, 2, 1), None, "connected", "connected on LinkedIn",
         ["https://www.linkedin.com/in/alan-turing"]),
    ]
    assert events.rejects[["line", "reason"]].values.tolist() == [
        [10, "unparseable date in 'Connected On': 'not a date'"]]
    assert events.rows_in == 4
    assert events.sha256 != contacts.sha256  # ingest skips a hash it has seen: both must load
    assert events.rows["occurred_at"].dtype == "datetime64[us]"


def test_connections_old_header_without_url():
    contacts, events = linkedin.parse_all(DATA / "Connections_2018.csv")
    assert _people(contacts) == [
        (5, "Linus Torvalds", ["linus@kernel.example"], "Linux Foundation", "Fellow", None),
        (6, "Margaret Hamilton", [], "Hamilton Technologies, Inc.", "CEO", None),
    ]
    # the file ends with a row cut short: it is rejected, the rest loads
    assert contacts.rejects["line"].tolist() == [8]
    assert contacts.rejects["reason"][0].startswith("wrong column count")
    assert _events(events) == [
        (5, datetime(2018, 1, 8, 18, 14), None, "connected", "connected on LinkedIn",
         ["linus@kernel.example"]),
        (6, datetime(2017, 11, 23, 9, 5), None, "connected", "connected on LinkedIn",
         ["Margaret Hamilton"]),
    ]
    assert linkedin.parse(DATA / "Connections_2018.csv").kind == "contacts"
    assert linkedin.connections_events(DATA / "Connections_2018.csv").rows_in == 2


def test_messages():
    pf = linkedin.parse(DATA / "messages.csv")
    assert pf.kind == "interactions"
    assert _events(pf) == [
        (2, datetime(2026, 1, 6, 9, 15), "https://www.linkedin.com/in/ada-lovelace-1815", "message",
         "Coffee?", [ME]),
        (3, datetime(2026, 1, 6, 10, 2, 30), None, "message", None,
         ["https://www.linkedin.com/in/ada-lovelace-1815"]),
        (4, datetime(2025, 12, 20, 16), "https://www.linkedin.com/in/gracehopper", "message",
         "Project X kickoff", [ME, "https://www.linkedin.com/in/alan-turing"]),
        (5, datetime(2025, 11, 2, 8), None, "message", "Hello", ["Katherine Johnson"]),
    ]
    assert pf.rejects[["line", "reason"]].values.tolist()[0] == [
        6, "unparseable date in 'DATE': 'yesterday'"]
    assert pf.rejects["line"].tolist() == [6, 7]
    assert pf.rows_in == 6
    # message bodies are not kept anywhere
    assert not any("Secret" in str(v) for v in pf.rows.to_numpy().ravel())


def test_messages_me_given():
    pf = linkedin.parse_messages(DATA / "messages.csv", me="Ada Lovelace")
    # Ada is given by name but appears by URL, so nothing is "from me": refs stay as given
    assert pf.rows["from_ref"].notna().all()


def test_invitations():
    pf = linkedin.parse(DATA / "Invitations.csv")
    assert _events(pf) == [
        (2, datetime(2024, 1, 15, 15, 22), None, "connected", "invitation sent",
         ["https://www.linkedin.com/in/barbara-liskov"]),
        (3, datetime(2024, 2, 2, 11), "https://www.linkedin.com/in/edsger", "connected",
         "invitation received", [ME]),
    ]
    assert pf.rejects["line"].tolist() == [4, 5]
    assert pf.rejects["reason"].tolist() == [
        "unknown direction 'SIDEWAYS' (expected INCOMING or OUTGOING)", "missing 'Sent At' date"]
    assert "loved your talk" not in pf.rows.to_string()


def test_detection():
    for name, kind in [("Connections.csv", "connections"), ("Connections_2018.csv", "connections"),
                       ("messages.csv", "messages"), ("Invitations.csv", "invitations")]:
        head = (DATA / name).read_text(encoding="utf-8")[:4000]
        assert linkedin.which(head) == kind
        assert linkedin.looks_like(head)
    assert not linkedin.looks_like("name,email\nAda,ada@example.org\n")


def test_helpers():
    assert linkedin.profile_url("linkedin.com/in/ada/?trk=x") == "https://www.linkedin.com/in/ada"
    assert linkedin.profile_url("https://example.org/in/ada") is None
    assert linkedin.clean_name("Grace 🚀 ", " Hopper  ") == "Grace Hopper"
    assert linkedin.clean_emails(["urn:li:member:1", " a@b.example ", "A@B.example"]) == ["a@b.example"]


@pytest.mark.parametrize("content", [b"", b"\x00\x01binary", b"Notes:\nno header here\n"])
def test_unreadable_files_raise(tmp_path, content):
    p = tmp_path / "Connections.csv"
    p.write_bytes(content)
    with pytest.raises(InputFileError, match=r"Connections\.csv"):
        linkedin.parse(p)
    with pytest.raises(InputFileError, match=r"Connections\.csv"):
        linkedin.parse_connections(p)


def test_missing_file_raises(tmp_path):
    with pytest.raises(InputFileError, match=r"nope\.csv"):
        linkedin.parse_all(tmp_path / "nope.csv")
