"""One way to name a person: every command and API function reads a reference alike.

:func:`netgraph.identity.lookup.resolve_person` tries a person number, an external id, an email,
a LinkedIn URL, an exact name, then an alias. References inside imported files keep their own
order, where ``12`` is the file's id.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import netgraph as ng
from netgraph.cli.main import main
from netgraph.identity.lookup import resolve_person

NAMES = ["Ext Twelve", "Bea", "Cal", "Dot", "Eve", "Fay", "Gus", "Hal", "Ivy", "Jo", "Kit", "Lou",
         "Mo", "Ned"]
#: The first contact's external id is "12"; person number 12 is the twelfth contact, Lou.
CONTACTS = "id,name,email,linkedin_url\n" + "".join(
    f"{ext},{name},{name.split()[0].lower()}@x.io,{url}\n" for ext, name, url in
    [("12", NAMES[0], ""), *((f"c{i}", n, "") for i, n in enumerate(NAMES[1:-1], start=2)),
     ("99", NAMES[-1], "https://www.linkedin.com/in/ned-x/")])
INTERACTIONS = """date,from,to,kind,note
2025-01-10,,c12,meeting,
2025-02-10,c12,c13,meeting,
2025-03-10,,12,meeting,
2025-03-11,12,c13,meeting,
"""


@pytest.fixture
def db(tmp_path):
    """Lou is person 12 and Mo person 13; the external id "12" is Ext Twelve's (person 1)."""
    path = tmp_path / "x.duckdb"
    (tmp_path / "contacts.csv").write_text(CONTACTS)
    (tmp_path / "interactions.csv").write_text(INTERACTIONS)
    with ng.open_store(path) as store:
        ng.import_file(store, tmp_path / "contacts.csv")
        ng.set_me(store, "Ned")
        ng.import_file(store, tmp_path / "interactions.csv")
        names = dict(store.con.execute("SELECT person_id, name FROM people").fetchall())
    assert (names[1], names[12], names[13], names[14]) == ("Ext Twelve", "Lou", "Mo", "Ned")
    return path


def _run(db, *args):
    res = CliRunner().invoke(main, [*args, "--db", str(db)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return res.output


def test_merge_explain_tie_and_intro_agree_on_person_12(db):
    tie = _run(db, "explain-tie", "12", "13", "--as-of", "2025-06-30")
    assert "Lou - Mo" in tie and "Ext Twelve" not in tie
    with ng.open_store(db, read_only=True) as store:
        assert ng.explain_tie(store, "12", "13", "2025-06-30").equals(
            ng.explain_tie(store, "Lou", "Mo", "2025-06-30"))
    paths = json.loads(_run(db, "intro", "12", "--as-of", "2025-06-30", "--format", "json"))
    assert paths and {p["target"] for p in paths} == {"Lou"}
    merged = _run(db, "merge", "12", "13")
    assert "Merged Mo (person 13) into Lou (person 12)" in merged
    with ng.open_store(db, read_only=True) as store:
        assert resolve_person(store, "Mo") == 12  # the merged name is an alias now
        assert resolve_person(store, "ext@x.io") == 1  # Ext Twelve is untouched
    undone = _run(db, "unmerge", "12")
    assert "Mo (person 13) is separate from Lou (person 12)" in undone


def test_the_order_number_id_email_profile_name_alias(db):
    with ng.open_store(db, read_only=True) as store:
        assert resolve_person(store, "12") == resolve_person(store, " 12 ") == resolve_person(store, 12) == 12
        assert resolve_person(store, "c12") == resolve_person(store, "LOU@x.io") == 12
        assert resolve_person(store, "99") == 14  # no person 99: the external id "99"
        assert resolve_person(store, "https://linkedin.com/in/Ned-X") == 14
        assert resolve_person(store, "Ext Twelve") == 1
        with pytest.raises(ng.PersonNotFound, match="no person number 99"):
            resolve_person(store, 99)
        with pytest.raises(ng.PersonNotFound, match="no person matches '#12'"):
            resolve_person(store, "#12")  # #N is a merge number (netgraph unmerge), not a person


def test_a_files_12_is_the_files_id(db):
    """In an imported file, "12" named Ext Twelve (its external id), not person number 12."""
    with ng.open_store(db, read_only=True) as store:
        met = store.sql("SELECT DISTINCT p.person_id FROM interaction_participants p "
                        "JOIN interactions i USING (interaction_id) "
                        "WHERE i.occurred_at >= '2025-03-10'")
    assert 1 in set(met["person_id"]) and 12 not in set(met["person_id"])


def test_resolve_by_id_email_name_and_errors(store, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("id,name,email\nx1,Ann Lee,ann@x.io\nx2,Bob,bob@x.io\nx3,Bob,bob2@x.io\n")
    ng.import_file(store, path)
    ann = resolve_person(store, "Ann Lee")
    assert resolve_person(store, "x1") == resolve_person(store, "ANN@x.io") == ann
    with pytest.raises(ng.AmbiguousPerson, match="2 people are called 'Bob'"):
        resolve_person(store, "Bob")
    with pytest.raises(ng.PersonNotFound, match="Did you mean 'Ann Lee'"):
        resolve_person(store, "ann lee")
    assert isinstance(ng.PersonNotFound("x"), LookupError)
    assert isinstance(ng.InputFileError("x"), ValueError)
