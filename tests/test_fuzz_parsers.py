"""Fuzzing every input format: damaged and hostile files never crash netgraph.

For each parser (netgraph CSV, LinkedIn, Google/Outlook, vCard, iCalendar, mbox) hypothesis
mutates small real files: it flips and deletes bytes, cuts the file, repeats lines and plants
hostile values (negative years, `now`, huge numbers, NUL and escape bytes, bidi overrides,
runaway recurrence rules, spreadsheet formulas, a 1 MB cell). Every mutant is imported through
the command line, and then:

- the import ends with exit status 0 or 2, never "unexpected error";
- every batch it wrote accounts for its rows: rows in = loaded + duplicates + rejected;
- every analysis command still works on the resulting store.

The run is seeded (``derandomize``) and time-boxed: about a minute in ``make test``. Set
``NETGRAPH_FUZZ_EXAMPLES`` (e.g. 2000) for a longer run.
"""

from __future__ import annotations

import json
import os
import signal
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netgraph.cli.main import main

DATA = Path(__file__).parent / "data"
FORMATS = DATA / "formats"

SEEDS = {
    "csv": [DATA / "tiny_contacts.csv", DATA / "tiny_interactions.csv", DATA / "tiny_introductions.csv"],
    "linkedin": [FORMATS / "linkedin" / n for n in ("Connections.csv", "messages.csv", "Invitations.csv")],
    "address_book": [FORMATS / "address_book" / n for n in ("google.csv", "outlook.csv")],
    "vcard": [FORMATS / "vcard" / "contacts.vcf"],
    "ics": [FORMATS / "ics" / "calendar.ics"],
    "mbox": [FORMATS / "mbox" / "mail.mbox"],
}

HOSTILE = [
    b"-1", b"now", b"today", b"0001-01-01", b"9999-12-31", b"00010101", b"31 Dec 9999",
    b"2147483648", b"1e10", b"-0", b"NaN", b'"', b'""', b",", b";", b"\t", b"\r", b"\n", b"\r\n",
    b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"\x1b]0;owned\x07", b"\x1b[31m", "\u202e".encode(),
    "\u200b\u200b".encode(), b"=HYPERLINK(\"http://x\")", b"@SUM(1)", b"<script>alert(1)</script>",
    b"RRULE:FREQ=SECONDLY", b"RRULE:FREQ=MINUTELY;COUNT=100000", b"DTSTART:00010101",
    b"DTSTART:99991231T000000Z", b"BEGIN:VEVENT", b"END:VEVENT", b"BEGIN:VCARD", b"END:VCARD",
    b"From nobody Mon Jan  1 00:00:00 2024\n", b"Date: Fri, 31 Dec 9999 23:59:59 -1200\n",
    b"To: " + b", ".join(b"p%d@example.com" % i for i in range(300)) + b"\n",
    b"A" * 1_000_000,
]

EXAMPLES = int(os.environ.get("NETGRAPH_FUZZ_EXAMPLES", "12"))
IMPORT_SECONDS = 60  # a mutant that takes longer than this to import is a hang


@st.composite
def mutants(draw, seeds: list[Path]) -> tuple[str, bytes]:
    seed = draw(st.sampled_from(seeds))
    data = bytearray(seed.read_bytes())
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "cut", "repeat"]))
        at = int(draw(st.floats(0, 1)) * len(data)) if data else 0
        if op == "flip" and data:
            data[min(at, len(data) - 1)] = draw(st.integers(0, 255))
        elif op == "insert":
            data[at:at] = draw(st.sampled_from(HOSTILE))
        elif op == "delete":
            del data[at:at + draw(st.integers(1, 64))]
        elif op == "cut":
            del data[max(at, 1):]
        elif op == "repeat":
            lines = bytes(data).splitlines(keepends=True)
            if lines:
                i = min(int(draw(st.floats(0, 1)) * len(lines)), len(lines) - 1)
                lines[i:i] = [lines[i]] * draw(st.integers(1, 3))
                data = bytearray(b"".join(lines))
    return seed.name, bytes(data)


@contextmanager
def time_limit(seconds: int):
    def fail(*_):
        raise TimeoutError(f"import took more than {seconds} s: a hang")

    old = signal.signal(signal.SIGALRM, fail)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


ANALYSES = [
    ["summary"], ["people"], ["batches"], ["rejects"], ["neglected"], ["neglected", "--dormant"],
    ["connectors"], ["weak-ties"], ["ledger"], ["roles"], ["merges"], ["dedupe"],
    ["intro", "Maya Patel"],
]


@pytest.mark.parametrize("fmt", list(SEEDS))
def test_fuzzed_files_never_crash(fmt: str, tmp_path: Path) -> None:
    db = tmp_path / "fuzz.duckdb"
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, [*args, "--db", str(db)], catch_exceptions=False)

    assert run("init", "--me", "Maya Patel", "--email", "maya@example.com").exit_code == 0
    counter = iter(range(10**9))

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(mutants(SEEDS[fmt]))
    def imports_cleanly(mutant: tuple[str, bytes]) -> None:
        name, data = mutant
        path = tmp_path / f"{next(counter)}-{name}"
        path.write_bytes(data)
        with time_limit(IMPORT_SECONDS):
            result = run("import", str(path))
        assert result.exit_code in (0, 2), result.output
        assert "unexpected error" not in result.output
        assert "Traceback" not in result.output
        if result.exit_code == 2:
            assert len(result.output.strip().splitlines()) == 1, result.output

    imports_cleanly()

    batches = json.loads(run("batches", "--format", "json").output)
    assert batches, "nothing was imported at all"
    for b in batches:
        assert b["rows_in"] == b["rows_loaded"] + b["rows_duplicate"] + b["rows_rejected"], b
    for command in ANALYSES:
        result = run(*command)
        assert result.exit_code in (0, 2), (command, result.output)
        assert "unexpected error" not in result.output, (command, result.output)
