"""Answers keep what they derive, and never read it once the data has moved on.

- a whole-network answer (connectors --global) is computed once per data version and kept in the
  store; new data gives a new answer, never the kept one;
- so are the answers about me that read my whole neighbourhood (my connectors, my weak ties), as
  JSON text: read back, they are the frames computed afresh (values that JSON would change are
  never kept), and a new "me" or new data is never answered from the old ones; on a large store,
  every command that changes it leaves them ready for the data it leaves;
- a store that another process holds, or a read-only file, still answers (read-only, keeping
  nothing).
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

import netgraph as ng
from netgraph.cli.main import main
from netgraph.cli.output import json_listing
from netgraph.store import cache

TODAY = date.today()


def _run(db: Path, *args: str) -> list[dict]:
    res = CliRunner().invoke(main, [*args, "--db", str(db), "--format", "json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.output)


def _store(tmp_path: Path) -> Path:
    db = tmp_path / "s.duckdb"
    rows = "date,from,to,kind\n" + "".join(
        f"{(TODAY - timedelta(days=d)).isoformat()},{a}@x.io,{b}@x.io,call\n"
        for d, a, b in [(1, "a", "b"), (2, "b", "c"), (3, "c", "d"), (4, "a", "c")])
    (tmp_path / "i.csv").write_text(rows, encoding="utf-8")
    with ng.open_store(db) as store:
        ng.import_file(store, tmp_path / "i.csv")
    return db


def _kept(db: Path) -> list[tuple]:
    with ng.open_store(db, read_only=True) as store:
        return store.con.execute("SELECT name, key FROM derived_cache ORDER BY name").fetchall()


def test_a_whole_network_answer_is_kept_and_new_data_replaces_it(tmp_path):
    db = _store(tmp_path)
    first = _run(db, "connectors", "--global")
    kept = _kept(db)
    # Leiden's communities (shared with the map), the answer, and its whole JSON listing
    assert [k[0] for k in kept] == ["communities", "connectors", "connectors (JSON listing)"]
    assert len({k[1] for k in kept}) == 1
    with ng.open_store(db) as store:  # the listing printed is the answer's JSON, as emit writes it
        listing = cache.printed(store, "connectors", TODAY.isoformat())
        assert listing == json_listing(cache.get(store, "connectors", kept[0][1], as_frame=False))
        cache.keep_printed(store, "connectors", TODAY.isoformat(), "[\"the kept listing\"]\n")
    assert _run(db, "connectors", "--global") == ["the kept listing"]  # read back as it is
    assert _run(db, "connectors", "--global", "--top", "500") == first  # a part: from the answer
    with ng.open_store(db) as store:
        cache.keep_printed(store, "connectors", TODAY.isoformat(), listing)
    assert _run(db, "connectors", "--global") == first
    assert _kept(db) == kept
    (tmp_path / "j.csv").write_text(
        f"date,from,to,kind\n{TODAY.isoformat()},d@x.io,newcomer@x.io,meeting\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["import", str(tmp_path / "j.csv"), "--db", str(db)])
    assert res.exit_code == 0, res.output
    after = _run(db, "connectors", "--global")
    assert "newcomer@x.io" not in {r["name"] for r in first}
    assert "newcomer@x.io" in {r["name"] for r in after}
    assert _kept(db) != kept


def _me_store(tmp_path: Path) -> Path:
    db = _store(tmp_path)
    res = CliRunner().invoke(main, ["init", "--me", "a@x.io", "--db", str(db)])
    assert res.exit_code == 0, res.output
    return db


def test_my_connectors_and_weak_ties_are_kept_and_read_back_as_computed(tmp_path):
    from netgraph.analytics.connectors import my_connectors
    from netgraph.analytics.weak_ties import weak_ties
    from netgraph.api import _my_structure

    db = _me_store(tmp_path)
    first = {q: _run(db, q) for q in ("connectors", "weak-ties")}
    assert first["connectors"] and first["weak-ties"]
    kept = _kept(db)
    assert {"my_connectors", "my_weak_ties"} <= {k[0] for k in kept}
    assert {q: _run(db, q) for q in first} == first  # read back, the same
    assert _kept(db) == kept
    with ng.open_store(db) as store:  # the API's frames read back equal the ones computed now
        pd.testing.assert_frame_equal(ng.api.connectors(store), my_connectors(_my_structure(store, None)))
        pd.testing.assert_frame_equal(ng.api.weak_ties(store),
                                      weak_ties(_my_structure(store, None), mine_only=True))


def test_a_kept_answer_about_me_is_not_read_for_new_data_or_a_new_me(tmp_path):
    db = _me_store(tmp_path)
    before = _run(db, "connectors")
    (tmp_path / "j.csv").write_text(
        f"date,from,to,kind\n{TODAY.isoformat()},a@x.io,newcomer@x.io,meeting\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["import", str(tmp_path / "j.csv"), "--db", str(db)])
    assert res.exit_code == 0, res.output
    after = _run(db, "connectors")
    assert "newcomer@x.io" not in {r["name"] for r in before}
    assert "newcomer@x.io" in {r["name"] for r in after}
    res = CliRunner().invoke(main, ["init", "--me", "b@x.io", "--db", str(db)])
    assert res.exit_code == 0, res.output
    as_b = _run(db, "connectors")  # b's own contacts, a among them: never a's kept ranking
    assert "a@x.io" not in {r["name"] for r in after}
    assert "a@x.io" in {r["name"] for r in as_b}


def test_a_large_store_has_its_answers_about_me_ready_after_each_change(tmp_path, monkeypatch):
    from netgraph import api
    from netgraph.ties.history import _peaks_and_gaps, _read_peaks, my_history

    db = _store(tmp_path)
    monkeypatch.setattr(api, "PREPARE_ABOVE_TIES", 10**9)  # a small store: nothing is prepared
    res = CliRunner().invoke(main, ["init", "--me", "a@x.io", "--db", str(db)])
    assert res.exit_code == 0, res.output
    assert _kept(db) == []
    monkeypatch.setattr(api, "PREPARE_ABOVE_TIES", 1)  # a large one: init prepares both
    res = CliRunner().invoke(main, ["init", "--me", "b@x.io", "--db", str(db)])
    assert res.exit_code == 0, res.output
    kept = _kept(db)
    assert [k[0] for k in kept] == ["my_connectors", "my_gaps", "my_peaks", "my_weak_ties"]
    with ng.open_store(db, read_only=True) as store:
        assert kept[0][1].startswith(f"{store.data_version()}|{TODAY.isoformat()}|{store.me_id}|")
        fresh = api._my_connectors(api._my_structure(store, None)).to_frame()
        history = my_history(store)  # read back from what was kept...
        peaks, gaps = _peaks_and_gaps(store, TODAY, store.me_id)  # ...equals computed afresh
        for got, want in ((history.peaks, _read_peaks(peaks)), (history.gaps, gaps)):
            assert (got.columns, got.rows) == (want.columns, want.rows)
        assert history.peaks.rows and isinstance(history.peaks.rows[0][2], datetime)
    pd.testing.assert_frame_equal(ng.connectors(ng.open_store(db, read_only=True)), fresh)
    # an import, and a command that writes (a merge), prepare them for the data they leave
    (tmp_path / "j.csv").write_text(
        f"date,from,to,kind\n{TODAY.isoformat()},b@x.io,newcomer@x.io,meeting\n", encoding="utf-8")
    for args in (["import", str(tmp_path / "j.csv")], ["merge", "c@x.io", "newcomer@x.io"]):
        res = CliRunner().invoke(main, [*args, "--db", str(db)])
        assert res.exit_code == 0, res.output
        with ng.open_store(db, read_only=True) as store:
            key = f"{store.data_version()}|{TODAY.isoformat()}|"
        assert [k[1].startswith(key) for k in _kept(db)] == [True] * 4, args
    names = {r["name"] for r in _run(db, "connectors")}
    assert "c@x.io" in names and "newcomer@x.io" not in names


def test_rows_come_back_exactly_or_are_not_kept(tmp_path):
    from datetime import date

    from netgraph.rows import Rows

    rows = Rows(("n", "x", "names", "ok"), [(1, 0.5, ["a", "b"], True), (None, float("nan"), [], False)],
                dtypes={"n": "Int64"})
    with ng.open_store(tmp_path / "s.duckdb") as store:
        assert cache.put_rows(store, "exact", "k", rows)
        back = cache.get(store, "exact", "k", as_frame=False)
        assert back.rows[0] == (1, 0.5, ["a", "b"], True) and type(back.rows[0][0]) is int
        assert back.rows[1][0] is None and back.rows[1][1] != back.rows[1][1]  # NaN
        pd.testing.assert_frame_equal(cache.get(store, "exact", "k"), rows.to_frame())
        assert not cache.put_rows(store, "dated", "k", Rows(("d",), [(date(2025, 1, 2),)]))
        assert not cache.put_rows(store, "tupled", "k", Rows(("t",), [((1, 2),)]))  # -> a list
        assert not cache.put_rows(store, "numpy", "k", Rows(("f",), [(np.float64(0.5),)]))
        assert cache.get(store, "dated", "k") is None and cache.get(store, "tupled", "k") is None


def test_a_read_only_file_still_answers_and_keeps_nothing(tmp_path):
    db = _store(tmp_path)
    before = db.read_bytes()
    db.chmod(stat.S_IRUSR | stat.S_IRGRP)
    try:
        if os.access(db, os.W_OK):
            pytest.skip("running as root: the file's permission bits do not bind")
        rows = _run(db, "connectors", "--global")
        assert {r["name"] for r in rows} >= {"a@x.io", "b@x.io"}
        assert db.read_bytes() == before
    finally:
        db.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_a_store_another_process_reads_still_answers(tmp_path):
    db = _store(tmp_path)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], "
         "read_only=True); print('open', flush=True); time.sleep(60)", str(db)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        started = time.monotonic()
        rows = _run(db, "connectors", "--global")
        assert time.monotonic() - started < 60
        assert {r["name"] for r in rows} >= {"a@x.io", "b@x.io"}
    finally:
        holder.kill()
        holder.wait()
    assert _kept(db) == []  # nothing could be kept while the other process held it


def test_a_question_never_makes_a_store_of_an_empty_file(tmp_path):
    empty = tmp_path / "empty.duckdb"
    empty.write_bytes(b"")
    res = CliRunner().invoke(main, ["summary", "--db", str(empty)])
    assert res.exit_code == 2
    assert "empty" in res.output
    assert empty.read_bytes() == b""
