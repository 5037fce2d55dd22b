"""Ingest of the generic CSV format: every rejection reason, idempotency, unreadable files."""

from __future__ import annotations

from pathlib import Path

import pytest

import netgraph as ng
from netgraph.identity.lookup import resolve_person
from netgraph.sources import detect_kind

DATA = Path(__file__).parent / "data"


def reasons(result: ng.ImportResult) -> list[str]:
    return result.reasons


def test_contacts_load_with_identities(store):
    r = ng.import_file(store, DATA / "tiny_contacts.csv")
    assert (r.kind, r.rows_in, r.loaded, r.rejected, r.duplicates) == ("contacts", 4, 4, 0, 0)
    people = ng.people(store).set_index("name")
    ann = people.loc["Ann Lee"]
    assert ann["emails"] == "ann@acme.io"
    assert ann["phones"] == "+49 30 1234567"
    assert ann["profiles"] == "https://www.linkedin.com/in/ann-lee/"
    assert ann["external_ids"] == "ann"
    assert ann["tags"] == "fintech; friend"
    assert ann["category"] == "connector"
    assert ann["city"] == "Berlin"
    stored = store.sql("SELECT cadence_days, notes FROM people WHERE name = 'Ann Lee'").iloc[0]
    assert stored["cadence_days"] == 14
    assert stored["notes"] == "met at a meetup"


def test_references_by_id_email_and_name_and_unknown_people_created(store):
    ng.import_file(store, DATA / "tiny_contacts.csv")
    ng.set_me(store, "me")
    r = ng.import_file(store, DATA / "tiny_interactions.csv")
    assert (r.loaded, r.rejected, r.people_created) == (5, 0, 1)
    assert resolve_person(store, "Dee Newman") == store.scalar(
        "SELECT person_id FROM people WHERE created_by = 'reference'")
    parts = store.sql(
        "SELECT i.line, p.name, ip.role FROM interaction_participants ip "
        "JOIN interactions i USING (interaction_id) JOIN people p USING (person_id) "
        "ORDER BY i.line, ip.role, p.name"
    )
    got = {(row.line, row.name, row.role) for row in parts.itertuples()}
    assert got == {
        (2, "Maya Patel", "from"), (2, "Ann Lee", "to"),
        (3, "Ann Lee", "from"), (3, "Maya Patel", "to"),
        (4, "Maya Patel", "from"), (4, "Ann Lee", "to"), (4, "Bob Stone", "to"),
        (5, "Bob Stone", "from"), (5, "Cy Young", "to"),
        (6, "Cy Young", "from"), (6, "Dee Newman", "to"),
    }
    n_part = dict(store.con.execute("SELECT line, n_participants FROM interactions").fetchall())
    assert n_part == {2: 2, 3: 2, 4: 3, 5: 2, 6: 2}


BAD_INTERACTIONS = """
date,from,to,kind,note
2025-01-01,Ann,Bob,meeting,fine
2025-13-40,Ann,Bob,call,bad date
,Ann,Bob,call,no date
2025-01-02,Ann,,call,no to
2025-01-03,Ann,Bob,dance,bad kind
2025-01-04,Ann,Ann,call,self
2025-01-05,Ann,Bob
2025-01-06,Ann,Bob,email,"never closed
"""


def test_every_bad_interaction_row_is_rejected_with_its_reason(store, write_csv):
    path = write_csv("interactions.csv", BAD_INTERACTIONS)
    r = ng.import_file(store, path)
    assert (r.rows_in, r.loaded, r.rejected) == (8, 1, 7)
    rej = ng.rejects(store)
    by_line = dict(zip(rej["line"], rej["reason"], strict=True))
    assert by_line[3].startswith("unparseable date in 'date': 2025-13-40")
    assert by_line[4] == "missing required field 'date'"
    assert by_line[5] == "missing required field 'to'"
    assert by_line[6].startswith("unknown interaction kind 'dance'")
    assert by_line[7].startswith("a person interacting with themselves")
    assert by_line[8] == "wrong column count: expected 5 fields, found 3"
    assert by_line[9].startswith("unbalanced double quote")
    raw = dict(zip(rej["line"], rej["raw"], strict=True))
    assert raw[8] == "2025-01-05,Ann,Bob"
    assert set(rej["file"]) == {str(path)}
    assert store.count("interactions") == 1


def test_self_interaction_is_caught_after_resolution(store, write_csv):
    ng.import_file(store, DATA / "tiny_contacts.csv")
    path = write_csv("i.csv", """
        date,from,to,kind,note
        2025-01-01,Ann Lee,ann@acme.io,call,same person two ways
    """)
    r = ng.import_file(store, path)
    assert r.rejected == 1
    assert "themselves" in r.reasons[0]


def test_bad_introductions_and_followups(store, write_csv):
    intros = write_csv("intros.csv", """
        date,introducer,a,b,status,value,note
        2025-01-01,Ann,Bob,Cy,made,,ok
        2025-01-02,Ann,Bob,Cy,maybe,,bad status
        2025-01-03,Ann,Bob,Bob,made,,same sides
        2025-01-04,Ann,Bob,Cy,converted,lots,bad value
        2025-01-05,,Bob,Cy,made,,no introducer
    """)
    r = ng.import_file(store, intros)
    assert (r.loaded, r.rejected) == (1, 4)
    rej = dict(zip(ng.rejects(store)["line"], ng.rejects(store)["reason"], strict=True))
    assert rej[3].startswith("unknown introduction status 'maybe'")
    assert rej[4] == "an introduction needs three different people (introducer, a, b)"
    assert rej[5] == "value must be a number, got 'lots'"
    assert rej[6] == "missing required field 'introducer'"
    follow = write_csv("followups.csv", """
        due,person,note,status
        2025-02-01,Bob,Let's do lunch,open
        2025-02-30,Bob,bad day,open
        2025-02-03,Bob,odd,snoozed
    """)
    r = ng.import_file(store, follow)
    assert (r.kind, r.loaded, r.rejected) == ("followups", 1, 2)


def test_bad_contacts(store, write_csv):
    path = write_csv("contacts.csv", """
        name,email,category,cadence_days,closeness
        Good Person,good@x.io,target,30,0.5
        ,nobody@x.io,,,
        Odd Category,,boss,,
        Bad Cadence,,,-3,
        Bad Closeness,,,,7
        Bad Email,not-an-email,,,
    """)
    r = ng.import_file(store, path)
    assert (r.loaded, r.rejected) == (1, 5)
    rej = dict(zip(ng.rejects(store)["line"], ng.rejects(store)["reason"], strict=True))
    assert rej[3] == "missing required field 'name'"
    assert rej[4].startswith("unknown category 'boss'")
    assert rej[5].startswith("cadence_days must be a whole number")
    assert rej[6].startswith("closeness must be a number from 0 to 1")
    assert rej[7].startswith("not an email address")


def test_ambiguous_name_rejects_the_row(store, write_csv):
    contacts = write_csv("c.csv", """
        name,email
        Sam Green,sam1@x.io
        Sam Green,sam2@y.io
    """)
    assert ng.import_file(store, contacts).loaded == 2
    inter = write_csv("i.csv", """
        date,from,to,kind,note
        2025-01-01,sam1@x.io,Bob,call,fine by email
        2025-01-02,Sam Green,Bob,call,which Sam?
    """)
    r = ng.import_file(store, inter)
    assert (r.loaded, r.rejected) == (1, 1)
    assert "'Sam Green' matches 2 people by name" in r.reasons[0]


def test_reimport_changes_nothing_and_says_so(file_store):
    first = ng.import_files(file_store, sorted(DATA.glob("tiny_*.csv")))
    before = file_store.counts()
    again = ng.import_files(file_store, sorted(DATA.glob("tiny_*.csv")))
    assert all(r.already_imported for r in again)
    assert all("nothing changed" in r.notes[-1] for r in again)
    assert file_store.counts() == before
    assert [r.loaded for r in first] == [4, 5, 1]


def test_same_rows_in_another_file_are_duplicates(store, write_csv):
    a = write_csv("a.csv", "date,from,to,kind,note\n2025-01-01,Ann,Bob,call,x\n2025-01-02,Ann,Bob,call,y\n")
    b = write_csv("b.csv", "date,from,to,kind,note\n2025-01-01,ann,BOB,call,x\n2025-01-03,Ann,Bob,call,z\n"
                  "2025-01-03,Ann,Bob,call,z\n")
    ng.import_file(store, a)
    r = ng.import_file(store, b)
    assert (r.loaded, r.duplicates, r.rejected) == (1, 2, 0)
    assert store.count("interactions") == 3


def test_contact_rows_update_people_and_keep_old_names(store, write_csv):
    ng.import_file(store, write_csv("i.csv", "date,from,to,kind,note\n2025-01-01,Ann,dana@x.io,call,\n"))
    r = ng.import_file(store, write_csv("c.csv", "name,email,company\nDana Lee,DANA@x.io,Acme\n"))
    assert (r.loaded, r.people_created) == (1, 0)
    pid = resolve_person(store, "dana@x.io")
    assert store.name_of(pid) == "Dana Lee"
    assert resolve_person(store, "Dana Lee") == pid
    assert resolve_person(store, "dana@x.io") == pid
    same = ng.import_file(store, write_csv("c2.csv", "name,email,company\nDana Lee,dana@x.io,\n"))
    assert (same.loaded, same.duplicates) == (0, 1)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "no such file"),
        ("empty.csv", b"", "the file is empty"),
        ("blank.csv", b"\n\n  \n", "the file is empty"),
        ("binary.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("undecodable.csv", b"name\n\x81\x8d\x8f\x90\x9d\n", "not valid UTF-8"),
        ("unknown.csv", b"foo,bar\n1,2\n", "cannot tell what kind of file"),
    ],
)
def test_unreadable_files_give_one_error_and_write_nothing(store, tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    before = store.counts()
    with pytest.raises(ng.InputFileError, match=message) as info:
        ng.import_file(store, path)
    assert str(path) in str(info.value)
    assert store.counts() == before


def test_windows_1252_file_loads_with_a_note(store, tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes("name,city\nJosé Álvarez,Málaga\n".encode("cp1252"))
    r = ng.import_file(store, path)
    assert r.loaded == 1
    assert any("cp1252" in n for n in r.notes)
    assert store.name_of(resolve_person(store, "José Álvarez")) == "José Álvarez"


def test_bom_and_header_case_are_accepted(store, tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes("\ufeffName , Email\nZoë Müller,zoe@x.de\n".encode())
    r = ng.import_file(store, path)
    assert (r.kind, r.loaded) == ("contacts", 1)


def test_kind_detection_and_override(store, write_csv):
    assert detect_kind(["date", "from", "to", "kind", "note"]) == "interactions"
    assert detect_kind(["date", "introducer", "a", "b"]) == "introductions"
    assert detect_kind(["due", "person"]) == "followups"
    assert detect_kind(["name"]) == "contacts"
    assert detect_kind(["x"]) is None
    path = write_csv("weird.csv", "name,date,to\nAnn,2025-01-01,Bob\n")
    assert ng.import_file(store, path).kind == "interactions"
    path2 = write_csv("weird2.csv", "name,date,to\nCy,2025-01-01,Dee\n")
    assert ng.import_file(store, path2, kind="contacts").kind == "contacts"
    with pytest.raises(ng.InputFileError, match="needs the column"):
        ng.import_file(store, write_csv("w3.csv", "name\nX\n"), kind="introductions")


def test_blank_from_before_init_is_a_placeholder_that_init_names(store):
    ng.import_file(store, DATA / "tiny_contacts.csv")
    r = ng.import_file(store, DATA / "tiny_interactions.csv")
    assert any("blank 'from'" in n for n in r.notes)
    placeholder = store.me_id
    assert store.name_of(placeholder) == "Me"
    me = ng.set_me(store, "maya@example.com")
    assert me == resolve_person(store, "Maya Patel") == store.me_id
    assert store.scalar("SELECT count(*) FROM people WHERE person_id = ?", [placeholder]) == 0
    n_me = store.scalar(
        "SELECT count(*) FROM interaction_participants WHERE person_id = ?", [me])
    assert n_me == 3  # lines 2-4 of the interactions file


def test_init_before_any_import_and_team(store):
    me = ng.set_me(store, "Maya Patel", email="Maya@Example.com")
    assert store.name_of(me) == "Maya Patel"
    r = ng.import_file(store, DATA / "tiny_contacts.csv")
    assert r.people_created == 3  # Maya matched by email, not created twice
    team = ng.set_team(store, ["Ann Lee", "bob@beta.fr"])
    assert team == [resolve_person(store, "ann"), resolve_person(store, "bob")]
    assert store.team_ids == team
