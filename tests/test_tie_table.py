"""The materialised tie table equals a from-scratch recomputation, whatever happened before.

- after any sequence of imports, merges, unmerges, ``init --me`` and team changes (hypothesis);
- after the day changes (the table is patched for the interactions that crossed a boundary);
- the model in SQL equals the model in numpy;
- a store opened read-only whose table is out of date is never read from: the ties are
  computed from the interactions instead, and new data shows in the next answer.
"""

from __future__ import annotations

import contextlib
import csv
import io
import random
import tempfile
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netgraph as ng
from netgraph.identity.merge import merge
from netgraph.identity.unmerge import unmerge
from netgraph.ties import table
from netgraph.ties.model import strength

PEOPLE = [f"p{i}@x.io" for i in range(8)]
TODAY = date.today()


def recomputed(store: ng.Store, day: date | None = None) -> pd.DataFrame:
    """Every tie from scratch, with strength and distance, as the table holds them."""
    frame = ng.pair_features(store, day)
    s = strength(frame)
    frame = frame.assign(strength=s, distance=-np.log(s))
    return frame[list(table.FRAME_COLUMNS)].reset_index(drop=True)


def assert_table_is_recomputation(store: ng.Store) -> None:
    assert table.is_current(store) or store.data_version() == 0  # every write kept it current
    stored = table.tie_frame(store)
    pd.testing.assert_frame_equal(stored, recomputed(store), check_dtype=False, atol=1e-12,
                                  rtol=0)


def _csv(path: Path, header: list[str], rows: list[list]) -> Path:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


days_ago = st.sampled_from([0, 1, 3, 40, 200, 364, 365, 366, 400, 900])
interaction = st.tuples(days_ago, st.sampled_from(PEOPLE),
                        st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=3),
                        st.sampled_from(["meeting", "call", "email", "connected"]))
intro = st.tuples(days_ago, st.sampled_from(PEOPLE), st.sampled_from(PEOPLE),
                  st.sampled_from(PEOPLE), st.sampled_from(["made", "converted", "declined"]))
op = st.one_of(
    st.tuples(st.just("interactions"), st.lists(interaction, min_size=1, max_size=8)),
    st.tuples(st.just("introductions"), st.lists(intro, min_size=1, max_size=3)),
    st.tuples(st.just("contacts"), st.lists(st.tuples(st.sampled_from(PEOPLE),
                                                      st.sampled_from(["", "0.2", "0.9"])),
                                            min_size=1, max_size=4)),
    st.tuples(st.just("merge"), st.tuples(st.sampled_from(PEOPLE), st.sampled_from(PEOPLE))),
    st.tuples(st.just("unmerge"), st.none()),
    st.tuples(st.just("me"), st.sampled_from(PEOPLE)),
    st.tuples(st.just("me by name"), st.sampled_from(PEOPLE)),
    st.tuples(st.just("team"), st.sampled_from(PEOPLE)),
)


def _apply(store: ng.Store, tmp: Path, step: int, kind: str, args) -> None:
    day = lambda n: (TODAY - timedelta(days=n)).isoformat()  # noqa: E731
    if kind == "interactions":
        rows = [[f"{day(n)}T{10 + step % 8}:00:00", a, ";".join(to), k, f"s{step}"]
                for n, a, to, k in args]
        ng.import_file(store, _csv(tmp / f"i{step}.csv", ["date", "from", "to", "kind", "note"],
                                   rows))
    elif kind == "introductions":
        rows = [[day(n), by, a, b, status] for n, by, a, b, status in args]
        ng.import_file(store, _csv(tmp / f"n{step}.csv",
                                   ["date", "introducer", "a", "b", "status"], rows))
    elif kind == "contacts":
        rows = [[p.split("@")[0].upper(), p, c] for p, c in args]
        ng.import_file(store, _csv(tmp / f"c{step}.csv", ["name", "email", "closeness"], rows))
    elif kind == "merge":
        with contextlib.suppress(ng.NetgraphError):  # unknown, or the same person
            merge(store, *args)
    elif kind == "unmerge":
        last = store.scalar("SELECT max(merge_id) FROM merges WHERE undone_by IS NULL")
        if last is not None:
            with contextlib.suppress(ng.NetgraphError):
                unmerge(store, int(last))
    elif kind == "me":
        ng.set_me(store, args.split("@")[0], email=args)
    elif kind == "me by name":  # someone already stored: only the setting changes
        known = store.scalar("SELECT p.name FROM identities i JOIN people p USING (person_id) "
                             "WHERE i.raw = ? ORDER BY p.person_id LIMIT 1", [args])
        if known is not None:
            with contextlib.suppress(ng.NetgraphError):  # a name that several people share
                ng.set_me(store, known)
    elif kind == "team":
        ng.set_team(store, [args])


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(ops=st.lists(op, min_size=1, max_size=7))
def test_materialised_ties_equal_recomputed_after_any_sequence(ops):
    with tempfile.TemporaryDirectory() as tmp, ng.open_store(Path(tmp) / "s.duckdb") as store:
        for step, (kind, args) in enumerate(ops):
            _apply(store, Path(tmp), step, kind, args)
            assert_table_is_recomputation(store)


def _files(tmp: Path, step: int, parts: list[tuple[str, list]]) -> list[Path]:
    """The CSV files of several imports (written, not imported), in order."""
    day = lambda n: (TODAY - timedelta(days=n)).isoformat()  # noqa: E731
    paths = []
    for k, (kind, args) in enumerate(parts):
        name = tmp / f"f{step}-{k}.csv"
        if kind == "interactions":
            paths.append(_csv(name, ["date", "from", "to", "kind", "note"],
                              [[day(n), a, ";".join(to), how, f"s{step}"] for n, a, to, how in args]))
        elif kind == "introductions":
            paths.append(_csv(name, ["date", "introducer", "a", "b", "status"],
                              [[day(n), by, a, b, status] for n, by, a, b, status in args]))
        else:
            paths.append(_csv(name, ["name", "email", "closeness"],
                              [[p.split("@")[0].upper(), p, c] for p, c in args]))
    return paths



@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(runs=st.lists(st.tuples(st.lists(st.one_of(
    st.tuples(st.just("interactions"), st.lists(interaction, min_size=1, max_size=6)),
    st.tuples(st.just("introductions"), st.lists(intro, min_size=1, max_size=3)),
    st.tuples(st.just("contacts"), st.lists(st.tuples(st.sampled_from(PEOPLE),
                                                      st.sampled_from(["", "0.9"])),
                                            min_size=1, max_size=3))), min_size=1, max_size=4),
    st.booleans(), st.sampled_from([None, *PEOPLE])), min_size=1, max_size=3))
def test_an_import_of_several_files_brings_the_ties_up_to_date_once(runs):
    """One run of several files refreshes the ties with its last file (or after it, when that
    file was imported before), and the table is then the recomputation."""
    with tempfile.TemporaryDirectory() as tmp, ng.open_store(Path(tmp) / "s.duckdb") as store:
        for step, (parts, repeat_first, me) in enumerate(runs):
            if me is not None:
                ng.set_me(store, me.split("@")[0], email=me)
            paths = _files(Path(tmp), step, parts)
            if repeat_first:  # the run ends with a file already imported: it writes nothing
                paths.append(paths[0])
            ng.import_files(store, paths)
            assert_table_is_recomputation(store)


def test_a_new_me_by_name_moves_only_the_declared_closeness(tmp_path, monkeypatch):
    with ng.open_store(tmp_path / "s.duckdb") as store:
        ng.import_file(store, _csv(tmp_path / "c.csv", ["name", "email", "closeness"],
                                   [["Ana", "a@x.io", "0.9"], ["Bo", "b@x.io", "0.2"],
                                    ["Cy", "c@x.io", ""]]))
        day = (TODAY - timedelta(days=3)).isoformat()
        ng.import_file(store, _csv(tmp_path / "i.csv", ["date", "from", "to", "kind", "note"],
                                   [[day, a, b, "call", ""] for a, b in
                                    [("a@x.io", "b@x.io"), ("b@x.io", "c@x.io"),
                                     ("a@x.io", "c@x.io")]]))
        ng.set_me(store, "Ana")
        assert_table_is_recomputation(store)
        # from now on only who "me" is changes: the pairs are never recomputed
        monkeypatch.setattr(table, "pairs_sql", lambda **kw: pytest.fail("ties recomputed"))
        for name in ("Bo", "Cy", "Bo"):
            ng.set_me(store, name)
            assert_table_is_recomputation(store)
            mine = table.tie_frame(store, people=[store.me_id])
            # Bo's ties: Ana declared 0.9, Cy none; Cy's: Ana 0.9 and Bo 0.2
            assert mine["closeness"].notna().sum() == {"Bo": 1, "Cy": 2}[name]


def test_a_day_later_the_table_is_patched_to_todays_values(tmp_path):
    with ng.open_store(tmp_path / "s.duckdb") as store:
        rows = [[(TODAY - timedelta(days=n)).isoformat(), "a@x.io", b, "call", ""]
                for n, b in [(-1, "b@x.io"), (0, "c@x.io"), (364, "d@x.io"), (365, "e@x.io"),
                             (366, "b@x.io"), (30, "c@x.io")]]
        rows += [[(TODAY - timedelta(days=700)).isoformat(), f"x{i}@x.io", f"y{i}@x.io", "call",
                  ""] for i in range(20)]  # far from any boundary: not in the patch
        ng.import_file(store, _csv(tmp_path / "i.csv", ["date", "from", "to", "kind", "note"],
                                   rows))
        ng.set_me(store, "A", email="a@x.io")
        with store.transaction():
            assert table.refresh(store, full=True, day=TODAY - timedelta(days=2)) == "rebuilt"
        assert not table.is_current(store)
        with store.transaction():
            assert table.refresh(store) == "patched"
        assert_table_is_recomputation(store)


def test_the_model_in_sql_is_the_model_in_numpy(sample_db):
    db, _ = sample_db
    with ng.open_store(db, read_only=True) as store:
        features = ng.pair_features(store, TODAY)  # the day of the SQL below, past midnight too
        store.con.register("_f", features)
        from netgraph.ties.model import strength_sql

        in_sql = store.con.execute(
            f"SELECT {strength_sql('CAST($day AS DATE)')} FROM _f ORDER BY u, v",
            {"day": TODAY}).fetchnumpy()
        values = next(iter(in_sql.values()))
        np.testing.assert_allclose(values, strength(features), rtol=0, atol=1e-12)


def test_a_stale_table_is_never_read_and_new_data_shows_next(tmp_path):
    db = tmp_path / "s.duckdb"
    with ng.open_store(db) as store:
        ng.import_file(store, _csv(tmp_path / "i.csv", ["date", "from", "to", "kind", "note"],
                                   [[TODAY.isoformat(), "a@x.io", "b@x.io", "call", ""]]))
        assert len(table.tie_frame(store)) == 1
        # a table that says it is current for an older version of the data
        store.con.execute("UPDATE netgraph_meta SET value = '0' WHERE key = 'ties_version'")
        store.con.execute("DELETE FROM ties")
    with ng.open_store(db, read_only=True) as store:
        assert not table.is_current(store)
        assert len(table.tie_frame(store)) == 1  # computed, not read from the emptied table
    with ng.open_store(db) as store:
        ng.import_file(store, _csv(tmp_path / "j.csv", ["date", "from", "to", "kind", "note"],
                                   [[TODAY.isoformat(), "a@x.io", "c@x.io", "meeting", ""]]))
        assert len(table.tie_frame(store)) == 2
        assert_table_is_recomputation(store)


@pytest.mark.parametrize("past", [30, 400])
def test_as_of_a_past_day_gives_that_days_ties(sample_db, past):
    db, _ = sample_db
    day = TODAY - timedelta(days=past)
    with ng.open_store(db, read_only=True) as store:
        pd.testing.assert_frame_equal(table.tie_frame(store, day), recomputed(store, day),
                                      check_dtype=False, atol=1e-12, rtol=0)


def test_kinds_and_channels_from_the_kind_mask(tmp_path):
    """Channels count the kinds other than LinkedIn's "connected"; kinds list them all, sorted."""
    with ng.open_store(tmp_path / "s.duckdb") as store:
        rows = [[(TODAY - timedelta(days=n)).isoformat(), "a@x.io", "b@x.io", kind, ""]
                for n, kind in [(1, "email"), (2, "call"), (3, "email"), (4, "meeting")]]
        ng.import_file(store, _csv(tmp_path / "i.csv", ["date", "from", "to", "kind", "note"],
                                   rows))
        row = table.tie_frame(store).iloc[0]
        assert (row["kinds"], row["n_channels"]) == ("call;email;meeting", 3)


def test_every_kind_a_source_may_give_is_a_stored_kind():
    from netgraph.sources.bounds import STORED_KINDS
    from netgraph.sources.generic_csv import INTERACTION_KINDS

    assert set(STORED_KINDS) == {*INTERACTION_KINDS, "connected"}
    assert list(STORED_KINDS) == sorted(STORED_KINDS)


def test_an_unknown_kind_is_rejected_at_the_boundary(tmp_path):
    from netgraph.sources.base import ParsedFile, rejects_frame
    from netgraph.sources.bounds import check_parsed

    rows = pd.DataFrame({"line": [2, 3], "occurred_at": pd.to_datetime(["2025-01-01"] * 2),
                         "from_ref": ["a@x.io"] * 2, "kind": ["call", "carrier pigeon"],
                         "note": [None, None]})
    pf = ParsedFile(path=tmp_path / "x", kind="interactions", sha256="0", rows=rows,
                    rejects=rejects_frame([]), rows_in=2)
    checked = check_parsed(pf)
    assert checked.rows["kind"].tolist() == ["call"]
    assert "unknown kind of interaction 'carrier pigeon'" in checked.rejects["reason"].iloc[0]


def test_the_same_data_gives_the_same_ties_to_the_last_bit(tmp_path):
    """Weights are summed exactly: no last-bit difference from how DuckDB's threads meet."""
    rng = random.Random(5)
    people = [f"p{i}@x.io" for i in range(400)]
    rows = []
    for _ in range(200_000):  # enough events per pair for a parallel aggregation
        a = rng.randrange(400)
        group = {people[(a + rng.randrange(1, 6)) % 400] for _ in range(rng.choice([1, 2, 3, 4]))}
        rows.append([f"2025-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}T10:00:00",
                     people[a], ";".join(sorted(group)), rng.choice(["meeting", "call"])])
    path = _csv(tmp_path / "i.csv", ["date", "from", "to", "kind"], rows)
    ties = []
    for k in range(2):
        with ng.open_store(tmp_path / f"s{k}.duckdb") as store:
            ng.import_file(store, path)
            ties.append(store.con.execute(
                "SELECT u, v, weighted_contacts, weighted_12m, strength FROM ties ORDER BY u, v"
            ).fetchall())
    assert len(ties[0]) > 1000
    assert ties[0] == ties[1]
