"""`netgraph import` tells formats apart by content and loads them all through one ingest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import netgraph as ng
from netgraph.cli.main import main
from netgraph.identity.lookup import resolve_person
from netgraph.sources.detect import detect_format

FORMATS = Path(__file__).parent / "data" / "formats"
FILES = {
    "linkedin": FORMATS / "linkedin" / "Connections.csv",
    "google": FORMATS / "address_book" / "google.csv",
    "outlook": FORMATS / "address_book" / "outlook.csv",
    "vcard": FORMATS / "vcard" / "contacts.vcf",
    "ics": FORMATS / "ics" / "calendar.ics",
    "mbox": FORMATS / "mbox" / "mail.mbox",
    "csv": Path(__file__).parent / "data" / "tiny_contacts.csv",
}


@pytest.mark.parametrize(("fmt", "path"), FILES.items())
def test_format_is_told_from_content_not_the_name(fmt, path, tmp_path):
    disguised = tmp_path / "export.txt"
    shutil.copy(path, disguised)
    assert detect_format(disguised) == fmt


def test_one_import_of_every_format(tmp_path):
    db = tmp_path / "all.duckdb"
    res = CliRunner().invoke(main, ["import", *map(str, FILES.values()),
                                    str(FORMATS / "linkedin" / "messages.csv"), "--db", str(db)])
    assert res.exit_code == 0, res.output
    for name in ("Connections.csv (contacts)", "Connections.csv (interactions)", "google.csv",
                 "outlook.csv", "contacts.vcf", "calendar.ics", "mail.mbox", "messages.csv"):
        assert name in res.output
    with ng.open_store(db, read_only=True) as store:
        batches = ng.batches(store)
        assert (batches["rows_in"] == batches["rows_loaded"] + batches["rows_duplicate"]
                + batches["rows_rejected"]).all()
        kinds = set(store.sql("SELECT DISTINCT kind FROM interactions")["kind"])
        assert {"connected", "message", "meeting", "email"} <= kinds
        # people met through LinkedIn by profile URL are the contacts, not copies named by URL
        profiles = store.sql("SELECT value, count(*) AS n FROM identities WHERE kind = 'linkedin' "
                             "GROUP BY value HAVING n > 1")
        assert profiles.empty
        named_by_url = store.sql(
            "SELECT p.name FROM people p JOIN identities i USING (person_id) "
            "WHERE i.kind = 'linkedin' AND p.name LIKE 'http%' AND i.value IN "
            "(SELECT value FROM identities WHERE kind = 'linkedin' AND person_id <> p.person_id)")
        assert named_by_url.empty
        ada = resolve_person(store, "Ada Lovelace")
        assert store.scalar("SELECT count(*) FROM interaction_participants WHERE person_id = ?",
                            [ada]) >= 1


def test_format_override_and_kind_only_for_csv(tmp_path):
    db = tmp_path / "x.duckdb"
    res = CliRunner().invoke(main, ["import", str(FILES["vcard"]), "--kind", "contacts",
                                    "--db", str(db)])
    assert res.exit_code == 2
    assert "--kind applies to netgraph's own CSV files" in res.output
    res = CliRunner().invoke(main, ["import", str(FILES["google"]), "--format", "google",
                                    "--db", str(db)])
    assert res.exit_code == 0 and "google.csv (contacts)" in res.output
