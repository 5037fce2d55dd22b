"""Identity resolution across sources: one person per human, every merge recorded and undoable.

The fixtures in data/formats/identity/ (a LinkedIn Connections.csv, a vCard file and an mbox)
name the same five people with different spellings and email case. Each is linked by a
different rule: Gmail dots and +tags (Dana), LinkedIn URL (Jürgen), name and company (Priya,
Sofia), email case (Tom).
"""

from __future__ import annotations

import contextlib
import itertools
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netgraph as ng
from netgraph import api
from netgraph.identity import dedupe
from netgraph.identity.lookup import resolve_person
from netgraph.identity.merge import MergeError, MergeRequest, apply_merges, merge
from netgraph.identity.resolver import normalise_email, normalise_name
from netgraph.identity.unmerge import merge_history, unmerge
from netgraph.store import listings

FORMATS = Path(__file__).parent / "data" / "formats"
DATA = FORMATS / "identity"
FILES = [DATA / "Connections.csv", DATA / "contacts.vcf", DATA / "mail.mbox"]

EXPECTED = {  # name -> (emails, phones, profile)
    "Dana Lee": ({"danalee@gmail.com"}, {"+15550100100"}, "linkedin.com/in/dana-lee"),
    "Jürgen Müller": ({"j.mueller@bosch.example"}, set(), "linkedin.com/in/jmueller"),
    "Priya Nair": ({"priya@globex.example"}, set(), "linkedin.com/in/priya-nair"),
    "Thomas O'Brien": ({"tom@obrien.example"}, set(), "linkedin.com/in/tobrien"),
    "Sofia Rossi": ({"s.rossi@personal.example"}, {"+390212345678"}, "linkedin.com/in/sofiarossi"),
}


def _snapshot(store: ng.Store) -> dict[str, list]:
    tables = ["people", "identities", "interactions", "interaction_participants", "introductions",
              "follow_ups", "settings"]
    return {t: sorted(map(repr, store.con.execute(f"SELECT * FROM {t}").fetchall())) for t in tables}


def _identities(store: ng.Store, pid: int, kind: str) -> set[str]:
    return {r[0] for r in store.con.execute(
        "SELECT value FROM identities WHERE person_id = ? AND kind = ?", [pid, kind]).fetchall()}


@pytest.fixture
def store(tmp_path):
    with ng.open_store(tmp_path / "x.duckdb") as s:
        ng.import_files(s, FILES)
        yield s


def test_five_people_from_three_sources(store):
    people = listings.people(store)
    assert len(people) == 6  # the five, and me
    assert store.name_of(store.me_id) == "Me"
    for name, (emails, phones, profile) in EXPECTED.items():
        pid = resolve_person(store, name)
        assert _identities(store, pid, "email") == emails, name
        assert _identities(store, pid, "phone") == phones, name
        assert _identities(store, pid, "linkedin") == {profile}, name
    # every spelling still finds the person
    for ref, name in [("Tom O'Brien", "Thomas O'Brien"), ("Rossi, Sofia", "Sofia Rossi"),
                      ("DANA.LEE+x@googlemail.com", "Dana Lee"),
                      ("J.Mueller@Bosch.example", "Jürgen Müller")]:
        assert store.name_of(resolve_person(store, ref)) == name
    # my mailbox address is mine, not a stranger's
    assert _identities(store, store.me_id, "email") == {"me@example.com"}
    jurgen = resolve_person(store, "Jürgen Müller")
    assert store.scalar("SELECT list_sort(tags) FROM people WHERE person_id = ?", [jurgen]) == ["linkedin"]


def test_interactions_land_on_the_merged_people(store):
    me = store.me_id
    rows = store.sql("""
        SELECT i.kind, p.name AS initiator, string_agg(q.name, ', ' ORDER BY q.name) AS others
        FROM interactions i JOIN people p ON p.person_id = i.initiator_id
        JOIN interaction_participants ip ON ip.interaction_id = i.interaction_id AND ip.role = 'to'
        JOIN people q ON q.person_id = ip.person_id
        WHERE i.kind = 'email' GROUP BY i.interaction_id, i.kind, p.name ORDER BY i.interaction_id
    """)
    assert rows[["initiator", "others"]].to_dict("records") == [
        {"initiator": "Dana Lee", "others": "Me"},
        {"initiator": "Me", "others": "Dana Lee, Jürgen Müller"},
        {"initiator": "Priya Nair", "others": "Me, Sofia Rossi, Thomas O'Brien"},
    ]
    connected = store.scalar("SELECT count(*) FROM interactions WHERE kind = 'connected' AND "
                             "initiator_id = ?", [me])
    assert connected == 5
    intros = store.sql("SELECT a_id, b_id, introducer_id, inferred, status FROM introductions")
    assert len(intros) == 1 and bool(intros["inferred"].iloc[0])
    assert {store.name_of(int(intros.a_id[0])), store.name_of(int(intros.b_id[0]))} == {
        "Dana Lee", "Jürgen Müller"}
    assert int(intros.introducer_id[0]) == me


def test_name_matches_are_recorded_merges(store):
    history = merge_history(store)
    assert sorted(history["rule"]) == ["name+company", "name+company"]
    assert set(history["kept"]) == {"Priya Nair", "Sofia Rossi"}
    assert not history["undone"].any()


def test_importing_again_changes_nothing(store):
    before = _snapshot(store)
    results = ng.import_files(store, FILES)
    assert all(r.already_imported for r in results)
    assert _snapshot(store) == before


def test_unmerge_restores_the_person_and_their_mail(store):
    sofia = resolve_person(store, "Sofia Rossi")
    done = unmerge(store, "Sofia Rossi")
    assert done["kept_id"] == sofia and done["restored"] == "Rossi, Sofia"
    other = done["restored_id"]
    assert _identities(store, other, "email") == {"s.rossi@personal.example"}
    assert _identities(store, sofia, "email") == set()
    assert store.scalar("SELECT company FROM people WHERE person_id = ?", [other]) == "Initech"
    # the mail that named her by that address, imported after the merge, follows her
    assert store.scalar("SELECT count(*) FROM interaction_participants WHERE person_id = ?",
                        [other]) == 1
    # and the pair is not suggested or merged again
    assert dedupe.suggestions(store).query("(a_id == @sofia and b_id == @other) or "
                                           "(a_id == @other and b_id == @sofia)").empty
    with pytest.raises(MergeError, match="already undone"):
        unmerge(store, f"#{done['merge_id']}")


def test_manual_merge_then_unmerge_is_exact(store):
    before = _snapshot(store)
    mid = merge(store, "Dana Lee", "Priya Nair")
    assert len(listings.people(store)) == 5
    dana = resolve_person(store, "Dana Lee")
    assert resolve_person(store, "priya@globex.example") == dana
    with pytest.raises(MergeError, match=f"merge #{mid} came later"):
        unmerge(store, "#1")  # Priya's own name+company merge is older
    unmerge(store, f"#{mid}")
    after = _snapshot(store)
    assert after == before


def test_dedupe_suggests_but_never_merges(tmp_path):
    csv = tmp_path / "c.csv"
    csv.write_text("name,email,company\nKatherine Johnson,kj@nasa.example,NASA\n"
                   "Katharine Jonson,kat@other.example,\nK. Johnson,,NASA\n"
                   "Karl Johnson,karl@nasa.example,NASA\nBo Chen,bo@x.example,\n")
    with ng.open_store(tmp_path / "x.duckdb") as store:
        ng.import_files(store, [csv])
        assert len(listings.people(store)) == 5
        sug = dedupe.suggestions(store)
        pairs = {frozenset((a, b)) for a, b in zip(sug["a"], sug["b"], strict=True)}
        assert frozenset(("Katherine Johnson", "K. Johnson")) in pairs
        assert frozenset(("Katherine Johnson", "Katharine Jonson")) in pairs
        # a colleague with the same surname is someone else; so is an unrelated name
        assert frozenset(("Katherine Johnson", "Karl Johnson")) not in pairs
        assert not any("Bo Chen" in p for p in pairs)
        assert len(listings.people(store)) == 5
        top = sug.iloc[0]
        assert top["score"] >= 90 and "both at NASA" in top["reasons"]


def test_conflicting_identities_on_one_card_merge_the_two_people(tmp_path):
    a = tmp_path / "a.csv"
    a.write_text("name,email,phone\nAna Lima,ana@x.example,\nA. Lima,,+55 11 5555 0000\n")
    b = tmp_path / "b.csv"
    b.write_text("name,email,phone\nAna Lima,ANA@x.example,+55 (11) 5555-0000\n")
    with ng.open_store(tmp_path / "x.duckdb") as store:
        ng.import_files(store, [a])
        assert len(listings.people(store)) == 2
        (res,) = ng.import_files(store, [b])
        assert res.rejected == 0
        assert len(listings.people(store)) == 1
        assert merge_history(store)["rule"].tolist() == ["phone"]  # the phone linked the second


def test_old_store_is_upgraded(tmp_path):
    """A schema-1 store (no merges tables, Gmail addresses stored with dots) opens and matches."""
    path = tmp_path / "old.duckdb"
    with ng.open_store(path) as store:
        store.con.execute("DROP TABLE merges; DROP TABLE merge_changes; DROP TABLE distinct_people")
        store.con.execute("ALTER TABLE introductions DROP COLUMN inferred")
        store.con.execute("ALTER TABLE interaction_participants DROP COLUMN ref_id")
        store.con.execute("DROP TABLE participant_refs; DROP TABLE ties; DROP TABLE derived_cache")
        store.con.execute("DELETE FROM netgraph_meta WHERE key LIKE 'ties_%'")
        store.con.execute("INSERT INTO people (person_id, name, batch_id, created_by) "
                          "VALUES (1, 'Dana', 0, 'contact')")
        store.con.execute("INSERT INTO identities VALUES ('email', 'dana.lee@gmail.com', "
                          "'Dana.Lee@gmail.com', 1, 0)")
        store.con.execute("UPDATE netgraph_meta SET value = '1' WHERE key = 'schema_version'")
    with ng.open_store(path, read_only=True) as store:
        assert resolve_person(store, "danalee+x@gmail.com") == 1
        assert store.count("merges") == 0
        assert store.scalar("SELECT count(*) FROM ties") == 0  # built on the first write


@pytest.mark.parametrize(("raw", "expected"), [
    ("Dana.Lee+news@GMAIL.com", "danalee@gmail.com"),
    ("d.a.n.a@googlemail.com", "dana@gmail.com"),
    ("first.last+tag@company.example", "first.last@company.example"),
    ("+weird@x.example", "+weird@x.example"),
])
def test_normalise_email(raw, expected):
    assert normalise_email(raw) == expected


def test_normalise_name_spellings():
    assert normalise_name("Lee, Dana") == normalise_name("dana  LEE 🚀") == "dana lee"
    assert normalise_name("José Álvarez") == "jose alvarez"


_NAMES = st.sampled_from(["Ana", "Bo", "Cy", "Di", "Ed"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=st.lists(st.tuples(_NAMES, _NAMES), min_size=1, max_size=4))
def test_law_merges_then_unmerges_restore_the_store(tmp_path_factory, pairs):
    """Any sequence of merges, undone newest first, gives back exactly the store before."""
    d = tmp_path_factory.mktemp("law")
    inter = d / "i.csv"
    inter.write_text("date,from,to\n" + "".join(
        f"2024-01-0{i % 9 + 1},{a},{b};Ed\n" for i, (a, b) in enumerate(
            [("Ana", "Bo"), ("Bo", "Cy"), ("Cy", "Di"), ("Di", "Ana"), ("Ana", "Cy")])))
    fol = d / "f.csv"
    fol.write_text("due,person,note\n2024-02-01,Bo,call\n2024-02-02,Di,lunch\n")
    with ng.open_store(d / "x.duckdb") as store:
        ng.import_files(store, [inter, fol])
        ng.set_team(store, ["Bo", "Cy"])
        before = _snapshot(store)
        done = []
        for a, b in pairs:
            with contextlib.suppress(MergeError, ng.PersonNotFound):  # one already, or gone
                done.append(merge(store, a, b))
        counts = {t: store.count(t) for t in ("interactions", "follow_ups")}
        assert counts == {"interactions": 5, "follow_ups": 2}  # no source row is lost
        for mid in reversed(done):
            unmerge(store, f"#{mid}")
        after = _snapshot(store)
        assert after == before
        assert pd.Series(done).is_unique


def test_linkedin_messages_and_invitations_know_me_and_name_people(tmp_path):
    files = [FORMATS / "linkedin" / f for f in ("Connections.csv", "messages.csv", "Invitations.csv")]
    with ng.open_store(tmp_path / "x.duckdb") as store:
        ng.import_files(store, files)
        me = store.me_id
        assert resolve_person(store, "https://www.linkedin.com/in/me-myself") == me
        names = set(listings.people(store)["name"])
        assert names == {"Ada Lovelace", "Alan Turing", "Barbara Liskov", "Edsger Dijkstra",
                         "Grace Hopper", "Katherine Johnson", "Me"}
        # the invitation Edsger sent me is from him to me; the one I sent Barbara from me to her
        rows = store.sql("""
            SELECT i.note, f.name AS sender, t.name AS recipient FROM interactions i
            JOIN people f ON f.person_id = i.initiator_id
            JOIN interaction_participants p ON p.interaction_id = i.interaction_id AND p.role = 'to'
            JOIN people t ON t.person_id = p.person_id
            WHERE i.note LIKE 'invitation%' ORDER BY i.note""")
        assert rows.to_dict("records") == [
            {"note": "invitation received", "sender": "Edsger Dijkstra", "recipient": "Me"},
            {"note": "invitation sent", "sender": "Me", "recipient": "Barbara Liskov"},
        ]


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_law_import_order_does_not_change_who_is_who(tmp_path, order):
    """Imported one file at a time, in any order, the three sources give the same five people
    with the same identities."""
    with ng.open_store(tmp_path / "x.duckdb") as store:
        for i in order:
            ng.import_files(store, [FILES[i]])
        assert len(listings.people(store)) == 6
        for name, (emails, phones, profile) in EXPECTED.items():
            pid = resolve_person(store, profile.replace("linkedin.com", "https://www.linkedin.com"))
            assert _identities(store, pid, "email") == emails, (order, name)
            assert _identities(store, pid, "phone") == phones, (order, name)
        assert store.count("interactions") == 8


def test_two_people_merged_into_a_third_at_once_leave_one_participant(tmp_path):
    inter = tmp_path / "i.csv"
    inter.write_text("date,from,to\n2024-01-01,Ana,Bo;Cy\n2024-01-02,Dee,Ana\n")
    with ng.open_store(tmp_path / "x.duckdb") as store:
        ng.import_files(store, [inter])
        before = _snapshot(store)
        ids = {n: resolve_person(store, n) for n in ("Ana", "Bo", "Cy", "Dee")}
        store.con.execute("BEGIN TRANSACTION")
        batch = store.new_batch("(test)", "merge")
        merged = apply_merges(store, [MergeRequest(ids["Dee"], ids["Bo"], "manual"),
                                      MergeRequest(ids["Dee"], ids["Cy"], "manual")], batch)
        store.con.execute("COMMIT")
        to_rows = store.sql("SELECT person_id FROM interaction_participants WHERE interaction_id = 1 "
                            "AND role = 'to'")["person_id"].tolist()
        assert to_rows == [ids["Dee"]]
        for mid in reversed(merged):
            unmerge(store, f"#{mid}")
        assert _snapshot(store) == before


def test_unmerge_keeps_what_later_imports_changed(tmp_path):
    a = tmp_path / "a.csv"
    a.write_text("name,email,title,city\nAna Lima,ana@x.example,,\nAna L.,al@y.example,CTO,Lisbon\n")
    b = tmp_path / "b.csv"
    b.write_text("name,email,title\nAna Lima,ana@x.example,CEO\n")
    with ng.open_store(tmp_path / "x.duckdb") as store:
        ng.import_files(store, [a])
        mid = merge(store, "Ana Lima", "Ana L.")
        ana = resolve_person(store, "Ana Lima")
        assert store.con.execute("SELECT title, city FROM people WHERE person_id = ?",
                                 [ana]).fetchall() == [("CTO", "Lisbon")]
        ng.import_files(store, [b])  # a later import gives her a new title
        unmerge(store, f"#{mid}")
        assert store.con.execute("SELECT title, city FROM people WHERE person_id = ?",
                                 [ana]).fetchall() == [("CEO", None)]
        other = resolve_person(store, "al@y.example")
        assert store.con.execute("SELECT name, title, city FROM people WHERE person_id = ?",
                                 [other]).fetchall() == [("Ana L.", "CTO", "Lisbon")]


def test_inferred_introductions_show_in_the_ledger(store):
    me = store.me_id
    assert ng.set_me(store, "Me Myself", email="me@example.com") == me
    ledger = api.ledger(store, "2026-02-01", min_imbalance=1)
    rows = ledger.set_index("name").loc[["Dana Lee", "Jürgen Müller"]]
    assert rows["given"].tolist() == [1, 1]
    assert rows["given_inferred"].tolist() == [1, 1]
