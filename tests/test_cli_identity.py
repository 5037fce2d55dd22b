"""The identity commands: import summary with merges, dedupe, merge, unmerge, merges, distinct,
and the calendar options of import."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import netgraph as ng
from netgraph.cli.main import main
from netgraph.identity.lookup import resolve_person

FORMATS = Path(__file__).parent / "data" / "formats"
IDENTITY = [str(FORMATS / "identity" / f) for f in ("Connections.csv", "contacts.vcf", "mail.mbox")]


@pytest.fixture
def run(db_path):
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, [*args, "--db", str(db_path)], catch_exceptions=False)

    return invoke


def test_import_says_what_was_merged_per_file(run):
    res = run("import", *IDENTITY)
    assert res.exit_code == 0, res.output
    assert ("contacts.vcf (contacts): 5 loaded, 5 merged into people already known (2 by email, "
            "2 by name+company, 1 by linkedin), 0 skipped, 0 rejected, 0 new people") in res.output
    assert "mail.mbox (interactions): 3 loaded" in res.output
    assert "1 introductions inferred" in res.output
    assert "Total: 18 loaded, 5 merged, 0 skipped, 0 rejected, 6 new people." in res.output
    again = run("import", *IDENTITY)
    assert again.output.count("already imported as batch") == 4


def test_merges_unmerge_and_dedupe(run, db_path, tmp_path):
    run("import", *IDENTITY)
    listing = json.loads(run("merges", "--format", "json").output)
    assert [m["rule"] for m in listing] == ["name+company", "name+company"]
    res = run("unmerge", "Sofia Rossi")
    assert res.exit_code == 0
    assert "Rossi, Sofia" in res.output and "separate" in res.output
    res = run("unmerge", "#2")
    assert res.exit_code == 2 and "already undone" in res.output
    people = json.loads(run("people", "--format", "json").output)
    assert len(people) == 7
    # the unmerged pair is not suggested again; merging them by hand is still possible
    sug = json.loads(run("dedupe", "--format", "json", "--min-score", "0").output or "[]")
    assert not any({s["a"], s["b"]} == {"Sofia Rossi", "Rossi, Sofia"} for s in sug)
    res = run("merge", "Sofia Rossi", "Rossi, Sofia")
    assert res.exit_code == 0 and "as merge #3" in res.output
    assert len(json.loads(run("people", "--format", "json").output)) == 6


def test_dedupe_lists_and_distinct_silences(run, tmp_path):
    csv = tmp_path / "c.csv"
    csv.write_text("name,company\nKatherine Johnson,NASA\nK. Johnson,NASA\n")
    run("import", str(csv))
    res = run("dedupe")
    assert res.exit_code == 0 and "K. Johnson" in res.output and "both at NASA" in res.output
    assert run("distinct", "Katherine Johnson", "K. Johnson").exit_code == 0
    assert "No likely duplicates." in run("dedupe").output
    res = run("merge", "Katherine Johnson", "Katherine Johnson")
    assert res.exit_code == 2 and "already the same person" in res.output


def test_unknown_person_or_merge_is_one_line(run):
    run("import", *IDENTITY)
    for args in (["unmerge", "#99"], ["unmerge", "Nobody Here"], ["merge", "Dana Lee", "Nobody"]):
        res = run(*args)
        assert res.exit_code == 2, args
        assert "Traceback" not in res.output
        assert len(res.output.strip().splitlines()) == 1


def test_max_attendees_option(run, db_path):
    ics = str(FORMATS / "ics" / "calendar.ics")
    res = run("import", ics, "--max-attendees", "2")
    assert res.exit_code == 0
    with ng.open_store(db_path, read_only=True) as store:
        small = store.scalar("SELECT max(n_participants) FROM interactions")
    assert small <= 2
    with ng.open_store(db_path.with_name("api.duckdb")) as store:
        (few,) = ng.import_files(store, [ics], max_attendees=2)
        (many,) = ng.import_files(store, [ics], max_attendees=50)
    assert many.already_imported
    assert few.skipped >= 1
    assert f"{few.loaded} loaded, {few.skipped} skipped" in res.output


def test_init_claims_my_addresses(run, db_path):
    run("import", *IDENTITY)
    res = run("init", "--me", "Ada Me", "--email", "ada@work.example",
              "--linkedin", "https://www.linkedin.com/in/ada-me")
    assert res.exit_code == 0
    with ng.open_store(db_path, read_only=True) as store:
        me = store.me_id
        assert store.name_of(me) == "Ada Me"
        assert resolve_person(store, "me@example.com") == me  # the mailbox owner, claimed earlier
        assert resolve_person(store, "ada@work.example") == me
        assert resolve_person(store, "https://linkedin.com/in/ada-me/") == me
