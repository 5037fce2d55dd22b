import tracemalloc
from datetime import datetime
from pathlib import Path

import pytest

from netgraph import InputFileError
from netgraph.sources import mbox

DATA = Path(__file__).parent / "data" / "formats" / "mbox"
ME = {"me@example.com"}


def test_mbox_by_value():
    pf = mbox.parse(DATA / "mail.mbox", ME)
    got = [(r.line, r.occurred_at.to_pydatetime(), None if r.from_ref != r.from_ref else r.from_ref,
            r.note, sorted(pf.parts.loc[pf.parts["row"] == i, "ref"]))
           for i, r in zip(pf.rows.index, pf.rows.itertuples(), strict=True)]
    assert got == [
        (1, datetime(2025, 3, 3, 9), "ana.lima@example.com", "Olá, tudo bem?", ["me@example.com"]),
        (11, datetime(2025, 3, 4, 9), None, "Intro: Ana <> Jürgen",
         ["ana.lima@example.com", "juergen@example.de"]),
        (46, datetime(2025, 3, 7, 9), None, "Lunch?", ["ana.lima@example.com", "bo@example.com"]),
        (55, datetime(2025, 3, 8, 9), None, "Follow-up", ["ana.lima@example.com", "juergen@example.de"]),
    ]
    assert pf.rows["from_name"][0] == "Ana Limã"
    assert "Jürgen Müller" in set(pf.parts["name"])
    assert list(pf.rejects["line"]) == [64, 72]
    assert "truncated" in pf.rejects["reason"][1]
    assert pf.notes[0].startswith("skipped 3 mailing-list or bulk message(s)")
    assert pf.rows_in == 6


def test_candidate_introductions():
    intros = mbox.candidate_introductions(DATA / "mail.mbox", ME)
    assert intros.to_dict("records") == [
        {"date": datetime(2025, 3, 4, 9), "line": 11, "introducer": "me@example.com",
         "a": "ana.lima@example.com", "b": "juergen@example.de", "inferred": True},
        {"date": datetime(2025, 3, 7, 9), "line": 46, "introducer": "me@example.com",
         "a": "ana.lima@example.com", "b": "bo@example.com", "inferred": True},
    ]


def test_mbox_unreadable(tmp_path):
    bad = tmp_path / "x.mbox"
    bad.write_text("name,email\n")
    with pytest.raises(InputFileError, match=r"x\.mbox"):
        mbox.parse(bad)
    assert mbox.looks_like(b"From a@b Mon\nFrom: a@b\n")


def test_mbox_streams(tmp_path):
    big = tmp_path / "big.mbox"
    body = ("lorem ipsum " * 80 + "\n") * 10
    with big.open("w") as fh:
        for i in range(600):
            fh.write(f"From a@x.com Mon Mar 03 09:00:00 2025\nFrom: a{i}@x.com\nTo: me@example.com\n"
                     f"Date: Mon, 03 Mar 2025 10:00:00 +0000\nSubject: m{i}\n\n{body}\n")
    assert big.stat().st_size > 5_000_000
    tracemalloc.start()
    pf = mbox.parse(big, ME)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(pf.rows) == 600
    assert peak < 50_000_000
