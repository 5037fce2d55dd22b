"""The one value boundary: a value that passes can never break a later command.

Each case below was a reported failure: a negative year stored as 2 BC that crashed `summary`,
`now` stored as the time of the import, a cadence that aborted the whole file, names made only
of invisible characters. Now each rejects its own row, with its reason, and the rest loads.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from netgraph.cli.main import main

CONTACTS = """\
name,email,cadence_days,closeness
Maya Patel,maya@example.com,,
Ann Lee,ann@example.com,30,0.5
Bo Chen,bo@example.com,2147483648,
Cy Diaz,cy@example.com,1e10,
Di Evans,di@example.com,,1.5
\u200b\u200b,zw@example.com,,
\ufeff,bom@example.com,,
Eve \u202eFox,eve@example.com,,
"""

INTERACTIONS = """\
date,from,to,kind,note
2025-01-10,maya@example.com,ann@example.com,meeting,ok
-1,maya@example.com,ann@example.com,call,negative year
0001-01-01,maya@example.com,ann@example.com,call,year one
9999-12-31,maya@example.com,ann@example.com,call,far future
now,maya@example.com,ann@example.com,call,now
today,maya@example.com,ann@example.com,call,today
2025-02-01,maya@example.com,\u200b,call,invisible person
2025-03-01,maya@example.com,eve@example.com,email,fine
"""


@pytest.fixture
def loaded(tmp_path):
    db = tmp_path / "bounds.duckdb"
    (tmp_path / "contacts.csv").write_text(CONTACTS, encoding="utf-8")
    (tmp_path / "interactions.csv").write_text(INTERACTIONS, encoding="utf-8")
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(main, [*args, "--db", str(db)], catch_exceptions=False)

    assert run("import", str(tmp_path / "contacts.csv")).exit_code == 0
    assert run("init", "--me", "Maya Patel").exit_code == 0
    result = run("import", str(tmp_path / "interactions.csv"))
    assert result.exit_code == 0, result.output
    return run


def _rejects(run) -> list[dict]:
    return json.loads(run("rejects", "--format", "json").output)


def test_each_bad_value_rejects_its_own_row(loaded):
    reasons = {(r["file"].rsplit("/", 1)[-1], r["line"]): r["reason"] for r in _rejects(loaded)}
    assert "cadence_days must be a whole number of days from 1 to 36,500" in reasons["contacts.csv", 4]
    assert "cadence_days" in reasons["contacts.csv", 5]
    assert "closeness" in reasons["contacts.csv", 6]
    assert reasons["contacts.csv", 7] == "the name has no visible characters"
    assert reasons["contacts.csv", 8] == "the name has no visible characters"
    for line in (3, 6, 7):  # -1, now, today: not ISO 8601 dates
        assert reasons["interactions.csv", line].startswith("unparseable date in 'date'")
    for line in (4, 5):  # year 1 and year 9999: outside the window
        assert "outside the accepted range (1900-01-01 to" in reasons["interactions.csv", line]
    assert "no visible characters" in reasons["interactions.csv", 8]
    assert len(reasons) == 5 + 6


def test_good_rows_load_and_names_lose_bidi_overrides(loaded):
    people = json.loads(loaded("people", "--format", "json").output)
    names = {p["name"] for p in people}
    assert names == {"Maya Patel", "Ann Lee", "Eve Fox"}
    batches = json.loads(loaded("batches", "--format", "json").output)
    by_file = {b["file"].rsplit("/", 1)[-1]: b for b in batches}
    interactions = by_file["interactions.csv"]
    assert interactions["rows_in"] == 8
    assert interactions["rows_loaded"] == 2
    assert interactions["rows_rejected"] == 6


@pytest.mark.parametrize("command", [
    ["summary"], ["neglected"], ["neglected", "--dormant"], ["people"], ["connectors"], ["weak-ties"],
    ["ledger"], ["roles"], ["explain-tie", "Maya Patel", "Ann Lee"], ["intro", "Eve Fox"],
])
def test_every_command_still_works(loaded, command):
    result = loaded(*command)
    assert result.exit_code in (0, 2), result.output
    assert "unexpected error" not in result.output
    if result.exit_code == 2:  # a one-line refusal, such as no path to a person
        assert len(result.output.strip().splitlines()) == 1


@settings(max_examples=300, deadline=None)
@given(values=st.lists(st.one_of(st.none(), st.text(max_size=6),
                                 st.text(alphabet=" ab@.\t\x7f\u00e9\u202e\u00a0", max_size=6)),
                       max_size=20),
       start=st.integers(0, 3))
def test_the_byte_check_never_passes_text_the_careful_check_would_clean(values: list[str | None],
                                                                        start: int) -> None:
    """Whenever the quick look at the bytes says "plain", the full pattern finds nothing odd."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from netgraph.sources.bounds import _ODD_TEXT, _plain_ascii

    arr = pa.array(values, type=pa.string()).slice(min(start, len(values)))
    if _plain_ascii(arr):
        assert not pc.any(pc.fill_null(pc.match_substring_regex(arr, _ODD_TEXT), False)).as_py()
    plain = [v for v in values if v is not None and v.isascii() and v.isprintable()
             and v == v.strip(" ") and v]
    assert _plain_ascii(pa.array(plain, type=pa.string()))
