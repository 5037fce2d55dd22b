"""Phone numbers in E.164: national and international forms of one number name one person.

With a home region (``netgraph init --country DE``), "030 1234567" is "+49 30 1234567"; without
one, only numbers written with + or 00 are compared in E.164, and a national number stays apart.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import netgraph as ng
from netgraph.cli.main import main
from netgraph.identity.resolver import Resolver
from netgraph.identity.settings import SettingsError, set_home_region
from netgraph.normalise import normalise_phone, phone_region

VCARD = """\
BEGIN:VCARD
VERSION:3.0
N:Müller;Jürgen;;;
FN:Jürgen Müller
TEL;TYPE=WORK:030 1234567
ORG:Beispiel GmbH
END:VCARD
"""

GOOGLE = (
    "First Name,Last Name,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value\n"
    "Juergen,Mueller,Work,jm@google.example,Mobile,+49 30 1234567\n"
    "Ada,Lovelace,Home,ada@google.example,Mobile,+44 20 7946 0001\n"
)

OUTLOOK = (
    "First Name,Middle Name,Last Name,E-mail Address,Mobile Phone,Business Phone\n"
    "J.,,Müller,jm@outlook.example,0049 30 1234567,\n"
    "Ada,,L.,,,0044 20 7946 0001\n"
)


def _files(tmp_path: Path) -> list[Path]:
    paths = []
    for name, text in (("contacts.vcf", VCARD), ("google.csv", GOOGLE), ("outlook.csv", OUTLOOK)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _invoke(db: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--db", str(db), *args])
    return result.exit_code, result.output


def _owners(db: Path, number: str) -> set[int]:
    """The people holding a phone whose digits end with ``number``."""
    with ng.open_store(db, read_only=True) as store:
        rows = store.con.execute("SELECT DISTINCT person_id FROM identities WHERE kind = 'phone' "
                                 "AND regexp_replace(raw, '\\D', '', 'g') LIKE '%' || ?",
                                 [number]).fetchall()
    return {r[0] for r in rows}


# -- normalise_phone -----------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "region", "expected"), [
    ("+49 30 1234567", None, "+49301234567"),
    ("+49 (0)30 1234567", None, "+49301234567"),
    ("+49 030 1234567", None, "+49301234567"),  # a national 0 written after the code
    ("0049 30 1234567", None, "+49301234567"),
    ("0049 30 1234567", "DE", "+49301234567"),
    ("0049 30 1234567", "US", "+49301234567"),  # 00 is not the US exit code: still international
    ("030 1234567", "DE", "+49301234567"),
    ("030/123 45 67", "DE", "+49301234567"),
    ("030 1234567", None, "0301234567"),  # national, no region: digits, never an E.164 value
    ("030 1234567", "AT", "+43301234567"),
    ("(617) 555-0101", "US", "+16175550101"),
    ("+1 617 555 0101", "DE", "+16175550101"),
    ("+49 30 1234567 ext. 12", None, "+49301234567;ext=12"),
    ("+49 30 1234567 ext. 13", "DE", "+49301234567;ext=13"),
    ("+1 (2", None, "+12"),  # not a possible number: today's digits form
    ("12", None, "12"),
    ("call me", "DE", ""),
    ("  ", None, ""),
    ("+", None, ""),
    ("\uff10\uff13\uff10 1234567", None, "0301234567"),  # full-width digits
])
def test_normalise_phone(raw: str, region: str | None, expected: str) -> None:
    assert normalise_phone(raw, region) == expected


def test_a_national_number_without_region_never_equals_an_e164_one() -> None:
    national = normalise_phone("49 30 1234567")
    assert national == "49301234567"
    assert national != normalise_phone("+49 30 1234567")


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(alphabet=st.sampled_from("+0123456789 ()-./xet;#*abc\u0660\uff11"), max_size=30)
       | st.text(max_size=30), st.sampled_from([None, "DE", "US", "GB", "IN"]))
def test_normalise_phone_never_fails(raw: str, region: str | None) -> None:
    value = normalise_phone(raw, region)
    number, _, ext = value.partition(";ext=")
    assert number == "" or number.lstrip("+").isdigit()
    assert not ext or ext.isdigit()
    if value.startswith("+") and ";" not in value:  # an E.164 value is its own normal form
        assert normalise_phone(value, region) == value


@pytest.mark.parametrize(("code", "expected"), [("DE", "DE"), (" gb ", "GB"), ("us", "US")])
def test_phone_region_accepts_iso_codes(code: str, expected: str) -> None:
    assert phone_region(code) == expected


@pytest.mark.parametrize(("code", "hint"), [("UK", "GB"), ("+49", "DE"), ("XX", "ISO 3166"),
                                            ("", "ISO 3166"), ("Germany", "ISO 3166")])
def test_phone_region_refuses_other_codes_with_a_suggestion(code: str, hint: str) -> None:
    with pytest.raises(ValueError, match="not a country code") as info:
        phone_region(code)
    assert hint in str(info.value)


# -- vCard, Google and Outlook forms of one number -------------------------------------------------


def test_with_home_region_national_and_international_forms_are_one_person(tmp_path: Path) -> None:
    db = tmp_path / "net.duckdb"
    code, output = _invoke(db, "init", "--country", "DE")
    assert code == 0, output
    assert "Home country: DE" in output
    code, output = _invoke(db, "import", *map(str, _files(tmp_path)))
    assert code == 0, output
    juergen = _owners(db, "301234567")
    assert len(juergen) == 1
    with ng.open_store(db, read_only=True) as store:
        (pid,) = juergen
        raws = {r[0] for r in store.con.execute(
            "SELECT raw FROM identities WHERE kind = 'phone' AND person_id = ?", [pid]).fetchall()}
        assert raws == {"030 1234567"}  # the first as given; the others matched its value
        values = {r[0] for r in store.con.execute(
            "SELECT value FROM identities WHERE kind = 'phone'").fetchall()}
        assert values == {"+49301234567", "+442079460001"}
        emails = {r[0] for r in store.con.execute(
            "SELECT value FROM identities WHERE kind = 'email' AND person_id = ?", [pid]).fetchall()}
        assert emails == {"jm@google.example", "jm@outlook.example"}
        assert store.count("people") == 2
    assert len(_owners(db, "2079460001")) == 1


def test_without_region_the_national_form_stays_apart(tmp_path: Path) -> None:
    db = tmp_path / "net.duckdb"
    code, output = _invoke(db, "import", *map(str, _files(tmp_path)))
    assert code == 0, output
    with ng.open_store(db, read_only=True) as store:
        owners = dict(store.con.execute(
            "SELECT raw, person_id FROM identities WHERE kind = 'phone'").fetchall())
        values = {r[0] for r in store.con.execute(
            "SELECT value FROM identities WHERE kind = 'phone'").fetchall()}
        assert store.count("people") == 3
    assert "+49 30 1234567" in owners and "030 1234567" in owners
    assert "0049 30 1234567" not in owners  # matched the Google number: one identity, one person
    assert owners["030 1234567"] != owners["+49 30 1234567"]
    assert values == {"0301234567", "+49301234567", "+442079460001"}


def test_setting_the_region_later_merges_the_national_form(tmp_path: Path) -> None:
    db = tmp_path / "net.duckdb"
    assert _invoke(db, "import", *map(str, _files(tmp_path)))[0] == 0
    assert len(_owners(db, "301234567")) == 2
    code, output = _invoke(db, "init", "--country", "de")
    assert code == 0, output
    assert "Home country: DE (1 stored phones with a new normal form; 1 people merged" in output
    assert len(_owners(db, "301234567")) == 1
    with ng.open_store(db, read_only=True) as store:
        assert store.count("people") == 2
        rule, evidence = store.con.execute("SELECT rule, evidence FROM merges").fetchone()
        assert rule == "phone"
        assert "+49301234567" in evidence and "region DE" in evidence
        # both phones as given stay, each under a value the key keeps unique
        assert store.scalar("SELECT count(*) FROM identities WHERE kind = 'phone'") == 3
        assert Resolver(store).lookup("phone", "030 1234567") is not None
    code, output = _invoke(db, "unmerge", "Jürgen Müller")
    assert code == 0, output
    assert len(_owners(db, "301234567")) == 2
    code, output = _invoke(db, "init", "--country", "DE")  # again: the pair was kept apart
    assert code == 0, output
    assert len(_owners(db, "301234567")) == 2


def test_a_merge_made_before_the_region_still_undoes(tmp_path: Path, write_csv) -> None:
    db = tmp_path / "net.duckdb"
    vcard = _files(tmp_path)[0]
    other = write_csv("other.csv", "name,email\nJ. M.,jm@other.example\n")
    assert _invoke(db, "import", str(vcard), str(other))[0] == 0
    assert _invoke(db, "merge", "J. M.", "Jürgen Müller")[0] == 0
    code, output = _invoke(db, "init", "--country", "DE")
    assert code == 0, output
    with ng.open_store(db, read_only=True) as store:
        assert store.scalar("SELECT value FROM identities WHERE kind = 'phone'") == "+49301234567"
        keys = [r[0] for r in store.con.execute(
            "SELECT row_key FROM merge_changes WHERE tbl = 'identities'").fetchall()]
        assert "phone\x1f+49301234567" in keys and "phone\x1f0301234567" not in keys
    code, output = _invoke(db, "unmerge", "J. M.")
    assert code == 0, output
    with ng.open_store(db, read_only=True) as store:
        holder = store.scalar("SELECT person_id FROM identities WHERE kind = 'phone'")
        assert store.name_of(holder) == "Jürgen Müller"  # the phone went back with its person


def test_a_new_import_reads_national_numbers_in_the_home_region(tmp_path: Path) -> None:
    db = tmp_path / "net.duckdb"
    vcard, google, _ = _files(tmp_path)
    assert _invoke(db, "import", str(google))[0] == 0
    assert _invoke(db, "init", "--country", "DE")[0] == 0
    assert _invoke(db, "import", str(vcard))[0] == 0
    assert len(_owners(db, "301234567")) == 1


def test_region_set_again_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "net.duckdb"
    assert _invoke(db, "init", "--country", "DE")[0] == 0
    assert _invoke(db, "import", *map(str, _files(tmp_path)))[0] == 0
    with ng.open_store(db) as store:
        before = store.sql("SELECT * FROM identities ORDER BY kind, value")
        done = set_home_region(store, "DE")
        after = store.sql("SELECT * FROM identities ORDER BY kind, value")
    assert done == {"region": "DE", "phones_changed": 0, "merged": 0}
    assert before.equals(after)


def test_region_change_renormalises_national_numbers(tmp_path: Path) -> None:
    db = tmp_path / "net.duckdb"
    vcard = _files(tmp_path)[0]
    assert _invoke(db, "init", "--country", "DE")[0] == 0
    assert _invoke(db, "import", str(vcard))[0] == 0
    with ng.open_store(db) as store:
        done = set_home_region(store, "AT")
        value = store.scalar("SELECT value FROM identities WHERE kind = 'phone'")
        assert store.get_setting("home_region") == "AT"
    assert done["phones_changed"] == 1
    assert value == "+43301234567"


# -- init ----------------------------------------------------------------------------------------


def test_init_with_a_bad_country_is_one_line_and_exit_2(tmp_path: Path) -> None:
    db = tmp_path / "net.duckdb"
    code, output = _invoke(db, "init", "--country", "XX")
    assert code == 2
    assert output.count("\n") == 1
    assert "'XX' is not a country code" in output and "DE, GB or US" in output
    code, output = _invoke(db, "init", "--country", "UK", "--me", "Ann")
    assert code == 2
    assert "did you mean GB?" in output
    assert not db.exists()  # nothing was recorded, not even an empty store


def test_bad_country_from_python_is_a_settings_error(store: ng.Store) -> None:
    with pytest.raises(SettingsError, match="did you mean GB"):
        set_home_region(store, "UK")


def test_init_alone_shows_the_settings(tmp_path: Path) -> None:
    db = tmp_path / "net.duckdb"
    code, output = _invoke(db, "init")
    assert code == 2
    assert "no store at" in output and output.count("\n") == 1
    assert not db.exists()  # showing the settings makes no store
    assert _invoke(db, "init", "--member", "Bo Chen")[0] == 0
    code, output = _invoke(db, "init")
    assert code == 0, output
    assert "Me: (not set" in output and "Country: (not set" in output
    code, output = _invoke(db, "init", "--me", "Ann Lee", "--email", "ann@x.example", "--country", "fr")
    assert code == 0, output
    code, output = _invoke(db, "init")
    assert code == 0, output
    lines = output.splitlines()
    assert "Me: Ann Lee (person 2)" in lines
    assert "Emails: ann@x.example" in lines
    assert "Team: Bo Chen (person 1)" in lines
    assert "Country: FR" in lines


def test_init_email_without_me_is_a_usage_error(tmp_path: Path) -> None:
    code, output = _invoke(tmp_path / "net.duckdb", "init", "--email", "ann@x.example")
    assert code == 2
    assert "--email and --linkedin go with --me" in output
