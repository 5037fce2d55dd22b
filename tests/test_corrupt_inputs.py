"""Corrupt and truncated files of every format: what can be read loads, the rest is rejected with
its line and a reason, and nothing crashes (issue 7).

Each case builds a damaged copy of a fixture in tmp_path -- cut in the middle of a record, or
with junk bytes, a NUL byte, invalid UTF-8, a stray quote, a damaged BEGIN line or a malformed
date put in the middle -- imports it into a fresh store and checks, by value: which records
loaded (contact names, or the lines of the interactions), which lines were rejected and why,
that nothing garbled was loaded, and that rows in = loaded + duplicates + rejected. The CLI is
run once per format on a truncated file, in a subprocess, and must not show a traceback.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import netgraph as ng

FORMATS = Path(__file__).parent / "data" / "formats"
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"


def _sample(name: str, rows: list[int]) -> bytes:
    """Lines of a bundled sample file (1-based; line 1 is the header)."""
    lines = (SAMPLE / name).read_bytes().splitlines(keepends=True)
    return b"".join(lines[i - 1] for i in rows)


# name -> (file name in tmp_path, original bytes)
SOURCES: dict[str, tuple[str, Callable[[], bytes]]] = {
    # Alex Morgan, Amani Janssens, Chloé Taylor, Seo-yeon Kelly, Erik Martin, Joaquín Becker on lines
    # 2-7, Matteo López (a quoted note) on 8, Joaquín Andersson, Rafael Müller, Mateo Hussain on 9-11
    "csv_contacts": ("contacts.csv", lambda: _sample("contacts.csv", [1, *range(2, 8), 93, 8, 9, 10])),
    "csv_interactions": ("interactions.csv", lambda: _sample("interactions.csv", list(range(1, 12)))),
    "connections": ("Connections.csv", lambda: (FORMATS / "linkedin" / "Connections.csv").read_bytes()),
    "messages": ("messages.csv", lambda: (FORMATS / "linkedin" / "messages.csv").read_bytes()),
    "invitations": ("Invitations.csv", lambda: (FORMATS / "linkedin" / "Invitations.csv").read_bytes()),
    "google": ("google.csv", lambda: (FORMATS / "address_book" / "google.csv").read_bytes()),
    "outlook": ("outlook.csv", lambda: (FORMATS / "address_book" / "outlook.csv").read_bytes()),
    "vcard": ("contacts.vcf", lambda: (FORMATS / "vcard" / "contacts.vcf").read_bytes()),
    "ics": ("calendar.ics", lambda: (FORMATS / "ics" / "calendar.ics").read_bytes()),
    "mbox": ("mail.mbox", lambda: (FORMATS / "mbox" / "mail.mbox").read_bytes()),
}

JUNK = b"\x00\x01\x02\xff\xfe\x89PNG\x1a garbage\n"  # a line of binary junk: NUL, invalid UTF-8


# -- ways to damage a file ----------------------------------------------------------------------


def cut_at(fraction: float) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        n = int(len(data) * fraction)
        assert data[n - 1:n] not in (b"\r", b"\n") and data[n:n + 1] not in (b"\r", b"\n"), \
            "the cut should fall in the middle of a line"
        return data[:n]
    return change


def cut_after(marker: bytes) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        assert data.count(marker) == 1
        return data[:data.index(marker) + len(marker)]
    return change


def insert_before(marker: bytes, junk: bytes = JUNK) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        assert data.count(marker) == 1
        i = data.index(marker)
        return data[:i] + junk + data[i:]
    return change


def replace(*pairs: tuple[bytes, bytes]) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        for old, new in pairs:
            assert data.count(old) == 1, old
            data = data.replace(old, new)
        return data
    return change


@dataclass(frozen=True)
class Case:
    source: str
    change: Callable[[bytes], bytes]
    contacts: tuple[str, ...] = ()  # names of the contacts that load, exactly
    lines: tuple[int, ...] = ()  # lines of the interactions that load (one per occurrence), exactly
    rejects: dict[int, str] = field(default_factory=dict)  # rejected line -> regex for its reason
    present: tuple[str, ...] = ()  # texts that must load unchanged (names or notes)
    note: str | None = None  # regex one of the import notes must match


# -- the fixtures' own bad rows, which stay rejected whatever is done to the rest --------------

CONNECTIONS_OWN = {9: "no name and no email", 10: r"unparseable date in 'Connected On'",
                   12: "unbalanced double quote.*never closed"}
GOOGLE_OWN = {4: "no name and no email", 6: "wrong column count.*cut short"}
VCARD_OWN = {38: "no colon", 53: "no name", 57: "truncated vCard"}
MBOX_OWN = {64: "unreadable Date", 72: "truncated message"}
ICS_ALL = (4, 23, 23, 23)  # Coffee with Ana; Weekly sync three times (the fourth is an EXDATE)


TRUNCATED = [
    pytest.param(Case("csv_contacts", cut_at(0.6),
                      contacts=("Alex Morgan", "Amani Janssens", "Chloé Taylor", "Seo-yeon Kelly",
                                "Erik Martin"),
                      rejects={7: r"wrong column count: expected 15 fields, found 9 .*truncated"}),
                 id="csv-contacts-60%"),
    pytest.param(Case("csv_contacts", cut_after(b'"Angel investor, che'),
                      contacts=("Alex Morgan", "Amani Janssens", "Chloé Taylor", "Seo-yeon Kelly",
                                "Erik Martin", "Joaquín Becker"),
                      rejects={8: "unbalanced double quote: .* line 8 is never closed"}),
                 id="csv-contacts-in-quoted-field"),
    pytest.param(Case("csv_interactions", cut_at(0.6), lines=(2, 3, 4, 5, 6),
                      rejects={7: "wrong column count: expected 5 fields, found 3 .*truncated"}),
                 id="csv-interactions-60%"),
    pytest.param(Case("connections", cut_at(0.6), contacts=("Ada Lovelace",), lines=(5,),
                      rejects={6: "wrong column count: expected 7 fields, found 5 .*cut short"}),
                 id="linkedin-connections-60%"),
    pytest.param(Case("connections", cut_after(b'"Rear Admiral, Re'), contacts=("Ada Lovelace",),
                      lines=(5,), rejects={6: "unbalanced double quote.*never closed"}),
                 id="linkedin-connections-in-quoted-field"),
    pytest.param(Case("messages", cut_after(b'"Welcome, bo'), lines=(2, 3),
                      rejects={4: "unbalanced double quote.*never closed"}),
                 id="linkedin-messages-in-quoted-field"),
    pytest.param(Case("invitations", cut_after(b'"2/2/24, 11'), lines=(2,),
                      rejects={3: "unbalanced double quote.*never closed"}),
                 id="linkedin-invitations-in-quoted-field"),
    pytest.param(Case("google", cut_after(b"Acme,Engin"), contacts=("Ada Lovelace",),
                      rejects={3: "wrong column count: expected 36 fields, found 12 .*cut short"}),
                 id="google-mid-row"),
    pytest.param(Case("outlook", cut_after(b"Donald,E.,Knu"), contacts=("Barbara Liskov",),
                      rejects={3: "wrong column count: expected 49 fields, found 3 .*cut short"}),
                 id="outlook-mid-row"),
    pytest.param(Case("vcard", cut_at(0.6), contacts=("Jürgen Müller",),
                      rejects={14: "truncated vCard: BEGIN:VCARD without END:VCARD"}),
                 id="vcard-60%-mid-card"),
    pytest.param(Case("vcard", cut_after(b"EMAIL;TYPE=work:soren@da"),
                      contacts=("Jürgen Müller", "Dr. Chiamaka Okafor"),
                      rejects={38: VCARD_OWN[38], 43: "truncated vCard"}),
                 id="vcard-mid-property"),
    pytest.param(Case("vcard", cut_after(b"4D5E\nEND:VCARD\nBEGIN:VC"),
                      contacts=("Jürgen Müller", "Dr. Chiamaka Okafor"),
                      rejects={38: "text outside any vCard"}),
                 id="vcard-mid-begin-line"),
    pytest.param(Case("ics", cut_after(b"RRULE:FREQ=WEE"), lines=(4,),
                      rejects={23: "truncated event: BEGIN:VEVENT without END:VEVENT"},
                      note="does not end with END:VCALENDAR"),
                 id="ics-mid-vevent"),
    pytest.param(Case("ics", cut_after(b"TRIGGER:-PT"), rejects={4: "truncated event"},
                      note="looks truncated"),
                 id="ics-mid-valarm"),
    # the cut falls in the BEGIN:VEVENT line of the third event: nothing of it was read
    pytest.param(Case("ics", cut_at(0.6), lines=ICS_ALL, note="looks truncated"),
                 id="ics-60%-between-events"),
    pytest.param(Case("mbox", cut_after(b"To: Ana Lima <ana"), lines=(1,),
                      rejects={11: "truncated message: the headers never end"}),
                 id="mbox-mid-header-block"),
    pytest.param(Case("mbox", cut_at(0.6), lines=(1, 11), rejects={37: "truncated message"}),
                 id="mbox-60%"),
]

CORRUPT = [
    pytest.param(Case("csv_contacts", insert_before(b"p0003,"),
                      contacts=("Alex Morgan", "Amani Janssens", "Chloé Taylor", "Seo-yeon Kelly",
                                "Erik Martin", "Joaquín Becker", "Matteo López", "Joaquín Andersson",
                                "Rafael Müller", "Mateo Hussain"),
                      rejects={5: "damaged text: byte 0xff is not valid UTF-8"}),
                 id="csv-contacts-binary-line"),
    pytest.param(Case("csv_contacts", replace((b"Erik Martin", b"Erik M\xe9rtin")),
                      contacts=("Alex Morgan", "Amani Janssens", "Chloé Taylor", "Seo-yeon Kelly",
                                "Joaquín Becker", "Matteo López", "Joaquín Andersson",
                                "Rafael Müller", "Mateo Hussain"),
                      rejects={6: "damaged text: byte 0xe9 is not valid UTF-8"}),
                 id="csv-contacts-invalid-utf8"),
    pytest.param(Case("csv_contacts", replace((b"p0003,Seo", b'p0003,"Seo')),
                      contacts=("Alex Morgan", "Amani Janssens", "Chloé Taylor", "Erik Martin",
                                "Joaquín Becker", "Matteo López", "Joaquín Andersson",
                                "Rafael Müller", "Mateo Hussain"),
                      rejects={5: "unbalanced double quote: a quoted field opened on line 5 "}),
                 id="csv-contacts-stray-quote"),
    pytest.param(Case("csv_interactions", replace((b"2023-10-30,goncalo", b"2023-1O-30,goncalo")),
                      lines=(2, 3, 4, 6, 7, 8, 9, 10, 11),
                      rejects={5: "unparseable date in 'date': 2023-1O-30"}),
                 id="csv-interactions-bad-date"),
    pytest.param(Case("csv_interactions", replace((b"Birthday wishes", b"Birth\x00day wishes")),
                      lines=(2, 3, 4, 5, 7, 8, 9, 10, 11), rejects={6: "damaged text: a NUL byte"}),
                 id="csv-interactions-nul-byte"),
    pytest.param(Case("connections", replace((b"Alan,Turing", b'"Alan,Turing')),
                      contacts=("Ada Lovelace", "Grace Hopper", "Katherine Johnson"), lines=(5, 6),
                      rejects={8: "unbalanced double quote: .* line 8 does not close",
                               **CONNECTIONS_OWN}),
                 id="linkedin-connections-stray-quote"),
    pytest.param(Case("connections", insert_before(b"Alan,Turing"),
                      contacts=("Ada Lovelace", "Grace Hopper", "Alan Turing", "Katherine Johnson"),
                      lines=(5, 6, 9), rejects={8: "damaged text", 10: CONNECTIONS_OWN[9],
                                                11: CONNECTIONS_OWN[10], 13: CONNECTIONS_OWN[12]}),
                 id="linkedin-connections-binary-line"),
    pytest.param(Case("connections", replace((b"Alan,Turing", b"Al\xe1n,Turing")),
                      contacts=("Ada Lovelace", "Grace Hopper", "Katherine Johnson"), lines=(5, 6),
                      rejects={8: "damaged text: byte 0xe1", **CONNECTIONS_OWN}),
                 id="linkedin-connections-invalid-utf8"),
    pytest.param(Case("messages", replace((b"2025-12-20 16:00:00 UTC", b"2025-12-40 16:00:00 UTC")),
                      lines=(2, 3, 5), rejects={4: r"unparseable date in 'DATE': '2025-12-40",
                                                6: "unparseable date", 7: "never closed"}),
                 id="linkedin-messages-bad-date"),
    pytest.param(Case("messages", insert_before(b"2-ghi=="), lines=(2, 3, 4, 6),
                      rejects={5: "damaged text", 7: "unparseable date", 8: "never closed"}),
                 id="linkedin-messages-binary-line"),
    pytest.param(Case("invitations", replace((b'"2/2/24, 11:00 AM"', b'"2/32/24, 11:00 AM"')),
                      lines=(2,), rejects={3: r"unparseable date in 'Sent At': '2/32/24",
                                           4: "unknown direction", 5: "missing 'Sent At'"}),
                 id="linkedin-invitations-bad-date"),
    pytest.param(Case("invitations", insert_before(b"Edsger Dijkstra"), lines=(2, 4),
                      rejects={3: "damaged text", 5: "unknown direction", 6: "missing 'Sent At'"}),
                 id="linkedin-invitations-binary-line"),
    pytest.param(Case("google", replace((b"Ada,,Lovelace", b"Ad\xe1,,Lovelace")),
                      contacts=("José María Núñez", "noname@example.org"),
                      rejects={2: "damaged text: byte 0xe1 is not valid UTF-8", **GOOGLE_OWN}),
                 id="google-invalid-utf8"),
    pytest.param(Case("google", insert_before(b",,,,,,,,,,,,,,,,* myContacts,,noname"),
                      contacts=("Ada Lovelace", "José María Núñez", "noname@example.org"),
                      rejects={4: GOOGLE_OWN[4], 5: "damaged text", 7: GOOGLE_OWN[6]}),
                 id="google-binary-line"),
    pytest.param(Case("outlook", replace((b'"MIT, CSAIL"', b'"MIT,\x00CSAIL"')),
                      contacts=("Donald E. Knuth",),
                      rejects={2: "damaged text: a NUL byte", 5: "cut short"}),
                 id="outlook-nul-byte"),
    pytest.param(Case("vcard", insert_before(b"TITLE:Chief Medical"),
                      contacts=("Jürgen Müller", "Søren Kierkegaard-Ødegård"),
                      rejects={14: "unreadable vCard: damaged text on line 21", 39: "no colon",
                               54: "no name", 58: "truncated vCard"}),
                 id="vcard-binary-line"),
    pytest.param(Case("vcard", replace((b"FN:S\xc3\xb8ren", b"FN:S\xf8ren")),
                      contacts=("Jürgen Müller", "Dr. Chiamaka Okafor"),
                      rejects={**VCARD_OWN, 43: "damaged text on line 45: byte 0xf8"}),
                 id="vcard-invalid-utf8"),
    pytest.param(Case("vcard", replace((b"ORG:Dansk Design", b"ORG:Dansk\x00Design")),
                      contacts=("Jürgen Müller", "Dr. Chiamaka Okafor"),
                      rejects={**VCARD_OWN, 43: "damaged text on line 49: a NUL byte"}),
                 id="vcard-nul-byte"),
    pytest.param(Case("vcard", replace((b"BEGIN:VCARD\nVERSION:4.0", b"BEGXN:VCARD\nVERSION:4.0")),
                      contacts=("Jürgen Müller", "Dr. Chiamaka Okafor"),
                      rejects={**VCARD_OWN, 43: "text outside any vCard"}),
                 id="vcard-damaged-begin"),
    pytest.param(Case("vcard", replace((b"logistics team.\r\nEND:VCARD\r\n", b"logistics team.\r\n")),
                      contacts=("Dr. Chiamaka Okafor", "Søren Kierkegaard-Ødegård"),
                      rejects={1: "truncated vCard", 37: "no colon", 52: "no name",
                               56: "truncated vCard"}),
                 id="vcard-missing-end"),
    pytest.param(Case("ics", replace((b"DTSTART:20250310T140000Z", b"DTSTART:20251310T140000Z")),
                      lines=(23, 23, 23), rejects={4: "unreadable event: .*20251310T140000Z",
                                                   56: "not-a-date"}),
                 id="ics-bad-date"),
    pytest.param(Case("ics", insert_before(b"SUMMARY:Weekly sync", b"this line has no colon\r\n"),
                      lines=(4,), rejects={23: "unreadable event: .*this line has no colon",
                                           57: "not-a-date"}),
                 id="ics-broken-property-line"),
    pytest.param(Case("ics", replace((b"SUMMARY:Weekly sync", b"SUMMARY:Weekly\x00sync")),
                      lines=(4,), rejects={23: "unreadable event: damaged text on line 29: a NUL",
                                           56: "not-a-date"}),
                 id="ics-nul-byte"),
    pytest.param(Case("ics", replace((b"SUMMARY:Coffee with Ana", "SUMMARY:Café with Ana".encode()),
                                     (b"SUMMARY:Weekly sync", b"SUMMARY:Weekly s\xfcnc")),
                      lines=(4,), present=("Café with Ana",),
                      rejects={23: "damaged text on line 29: byte 0xfc", 56: "not-a-date"}),
                 id="ics-invalid-utf8"),
    pytest.param(Case("ics", replace((b"BEGIN:VEVENT\r\nUID:ev2", b"BEGXN:VEVENT\r\nUID:ev2")),
                      lines=(4,), rejects={23: "END:VEVENT without BEGIN:VEVENT", 56: "not-a-date"}),
                 id="ics-damaged-begin"),
    pytest.param(Case("mbox", replace((b"Date: Tue, 04 Mar 2025", b"Date: Tue, 44 Mar 2025")),
                      lines=(1, 46, 55), rejects={11: "unreadable Date: 'Tue, 44 Mar", **MBOX_OWN}),
                 id="mbox-bad-date"),
    pytest.param(Case("mbox", insert_before(b"Cc: =?ISO"), lines=(1, 47, 56),
                      rejects={11: "damaged|not a header", 65: MBOX_OWN[64], 73: MBOX_OWN[72]}),
                 id="mbox-binary-line-in-headers"),
    pytest.param(Case("mbox", replace((b"Subject: Lunch?", b"Subject: Lun\x00ch?")),
                      lines=(1, 11, 55), rejects={46: "damaged|NUL", **MBOX_OWN}),
                 id="mbox-nul-byte"),
]


# -- running a case -----------------------------------------------------------------------------


def _write(tmp_path: Path, case: Case) -> tuple[Path, bytes]:
    name, original = SOURCES[case.source]
    data = case.change(original())
    path = tmp_path / name
    path.write_bytes(data)
    return path, data


def _import_and_check(tmp_path: Path, case: Case, *, truncated: bool = False) -> None:
    path, data = _write(tmp_path, case)
    with ng.open_store(tmp_path / "store.duckdb") as store:
        results = ng.import_files(store, [path])  # must not raise
        for r in results:
            assert r.rows_in == r.loaded + r.duplicates + r.rejected, r
        rej = store.sql("SELECT line, reason, raw FROM rejected_rows ORDER BY line")
        assert sum(r.rejected for r in results) == len(rej)
        assert sorted(set(rej["line"])) == sorted(case.rejects), rej[["line", "reason"]]
        for line, reason in zip(rej["line"], rej["reason"], strict=True):
            assert re.search(case.rejects[line], reason), (line, reason)
        assert rej["raw"].str.strip().str.len().gt(0).all(), "a rejected row keeps its raw text"
        if truncated and case.rejects:  # the cut record is rejected whole, its text up to the cut
            tail = data.rsplit(b"\n", 1)[-1].decode("utf-8", "replace").strip()
            assert rej["raw"].iloc[-1].rstrip().endswith(tail)

        contacts = store.sql("SELECT name FROM people WHERE created_by = 'contact'")["name"]
        assert sorted(contacts) == sorted(case.contacts)
        lines = store.sql("SELECT line FROM interactions ORDER BY line")["line"].tolist()
        assert lines == list(case.lines)
        texts = store.sql("SELECT name AS t FROM people UNION ALL "
                          "SELECT note FROM interactions WHERE note IS NOT NULL")["t"].tolist()
        assert not [t for t in texts if "\ufffd" in t or "\x00" in t], "damaged text was loaded"
        for text in case.present:
            assert text in texts
        if case.note:
            notes = [n for r in results for n in r.notes]
            assert any(re.search(case.note, n) for n in notes), notes


@pytest.mark.parametrize("case", TRUNCATED)
def test_truncated_file_loads_what_precedes_the_cut(tmp_path, case):
    _import_and_check(tmp_path, case, truncated=True)


@pytest.mark.parametrize("case", CORRUPT)
def test_corrupt_record_is_rejected_and_the_records_around_it_load(tmp_path, case):
    _import_and_check(tmp_path, case)


def test_a_stray_quote_is_rejected_alone_in_a_big_file(tmp_path):
    """One stray quote early in a file must not take thousands of rows down with it."""
    data = _sample("contacts.csv", list(range(1, 302)))
    path = tmp_path / "contacts.csv"
    path.write_bytes(data.replace(b"p0003,Seo", b'p0003,"Seo', 1))
    with ng.open_store(tmp_path / "store.duckdb") as store:
        (r,) = ng.import_files(store, [path])
        assert (r.rows_in, r.loaded, r.rejected) == (300, 299, 1)
        assert r.reasons[0].startswith("line 5: unbalanced double quote")


def test_a_binary_file_is_still_refused_as_a_whole(tmp_path):
    """A few damaged bytes in a text file reject their records; a file that is binary
    throughout (here a PNG image) is still refused with one clear message."""
    path = tmp_path / "contacts.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    with ng.open_store(tmp_path / "store.duckdb") as store, \
            pytest.raises(ng.InputFileError, match="binary file"):
        ng.import_files(store, [path])


# -- the CLI, on a truncated file of each format ------------------------------------------------
# One `netgraph import` of the ten files, started in the background when this module starts: a
# CLI process takes about 2 s to start on its own, too long to run ten of them in a fast test.

_TRUNCATED = {p.id: p.values[0] for p in TRUNCATED}
CLI_CASES = {  # format -> (its truncated file, the rejected line the output must name)
    "csv-contacts": (_TRUNCATED["csv-contacts-60%"], 7),
    "csv-interactions": (_TRUNCATED["csv-interactions-60%"], 7),
    "linkedin-connections": (_TRUNCATED["linkedin-connections-in-quoted-field"], 6),
    "linkedin-messages": (_TRUNCATED["linkedin-messages-in-quoted-field"], 4),
    "linkedin-invitations": (_TRUNCATED["linkedin-invitations-in-quoted-field"], 3),
    "google": (_TRUNCATED["google-mid-row"], 3),
    "outlook": (_TRUNCATED["outlook-mid-row"], 3),
    "vcard": (_TRUNCATED["vcard-60%-mid-card"], 14),
    "ics": (_TRUNCATED["ics-mid-vevent"], 23),
    "mbox": (_TRUNCATED["mbox-mid-header-block"], 11),
}


@pytest.fixture(scope="module", autouse=True)
def cli_run(tmp_path_factory) -> Iterator[subprocess.Popen]:
    folder = tmp_path_factory.mktemp("cli")
    files = [str(_write(folder, case)[0]) for case, _ in CLI_CASES.values()]
    assert len(set(files)) == len(CLI_CASES)
    proc = subprocess.Popen(
        [sys.executable, "-m", "netgraph", "--db", str(folder / "x.duckdb"), "import", *files],
        cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    yield proc
    if proc.poll() is None:
        proc.kill()
    proc.communicate()


@pytest.fixture(scope="module")
def cli_output(cli_run) -> tuple[int, str, str]:
    out, err = cli_run.communicate(timeout=120)
    return cli_run.returncode, out, err


@pytest.mark.parametrize("fmt", CLI_CASES)
def test_cli_imports_a_truncated_file_without_a_traceback(cli_output, fmt):
    code, out, err = cli_output
    assert "Traceback" not in out + err
    assert code in (0, 2), err
    # a truncated file is not unreadable: it loads, and its cut record is reported
    assert code == 0, err
    case, line = CLI_CASES[fmt]
    name = SOURCES[case.source][0]
    blocks = re.split(r"\n(?=\S)", out)  # one block per file (and kind), then the total
    mine = [b for b in blocks if b.startswith(f"{name} (")]
    assert mine, out
    assert any(f"rejected line {line}:" in b for b in mine), mine
