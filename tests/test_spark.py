"""Spark gives the store's answers: the same ties as DuckDB, the same metrics as NetworkX.

One local Spark session (``local[2]``) serves every test here; they are marked ``spark``. They
skip, with one message, only where Java is missing (``scripts/ensure-java.sh`` installs it where
apt exists) or the extra is not installed.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netgraph as ng
from netgraph._errors import InputFileError
from netgraph.report.export import TIE_INPUTS, export_tables
from netgraph.ties.table import TIE_COLUMNS, refresh

pytestmark = pytest.mark.spark

DAY = date(2026, 10, 30)  # the sample's last day
DOUBLES = {"weighted_contacts", "weighted_12m", "intro_score", "closeness", "strength", "distance"}


@pytest.fixture(scope="session")
def spark():
    pytest.importorskip("pyspark", reason="Spark tests need the extra: pip install 'netgraph[spark]'")
    pytest.importorskip("sqlglot", reason="Spark tests need the extra: pip install 'netgraph[spark]'")
    from netgraph._errors import EngineError
    from netgraph.spark.session import java_command, start, stop

    try:
        java_command()
    except EngineError as exc:
        pytest.skip(f"Spark tests skipped: {exc}")
    session = start("local[2]", partitions=2)
    yield session
    stop(session)


def _local_ties(db: Path, tmp: Path, day: date = DAY) -> tuple[Path, list[dict]]:
    """A copy of the store with its tie table built for ``day``, and that table's rows."""
    copy = tmp / f"local-{db.stem}.duckdb"
    shutil.copy(db, copy)
    with ng.open_store(copy) as store:
        with store.transaction():
            refresh(store, full=True, day=day)
        rows = store.con.execute(f"SELECT {', '.join(TIE_COLUMNS)} FROM ties ORDER BY u, v").fetchall()
    return copy, [dict(zip(TIE_COLUMNS, r, strict=True)) for r in rows]


def _spark_rows(folder: Path) -> list[dict]:
    import pyarrow.dataset as ds

    return ds.dataset(str(folder / "ties.parquet"), format="parquet").to_table(
        columns=list(TIE_COLUMNS)).to_pylist()


def _assert_same_ties(got: list[dict], want: list[dict]) -> None:
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        for c in TIE_COLUMNS:
            if c in DOUBLES and g[c] is not None and w[c] is not None:
                assert abs(g[c] - w[c]) <= 1e-9, (c, g, w)
            else:
                assert g[c] == w[c] and type(g[c]) is type(w[c]), (c, g[c], w[c])


def _spark_ties(spark, db: Path, tmp: Path, day: date = DAY) -> Path:
    from netgraph.spark.ties import compute_ties

    with ng.open_store(db, read_only=True) as store:
        export_tables(store, tmp / "tables")
    compute_ties(spark, tmp / "tables", tmp / "ties", as_of=day)
    return tmp / "ties"


@pytest.fixture(scope="module")
def sample_ties(spark, sample_db, tmp_path_factory):
    """The sample's ties by Spark (folder) and by DuckDB (a store copy and its rows)."""
    tmp = tmp_path_factory.mktemp("spark-sample")
    folder = _spark_ties(spark, sample_db[0], tmp)
    local, rows = _local_ties(sample_db[0], tmp)
    return folder, local, rows


# -- the SQL, translated -----------------------------------------------------------------------


def test_the_export_holds_every_column_the_tie_query_reads():
    pytest.importorskip("sqlglot")
    from netgraph.spark.sql import tables_read

    assert tables_read() == {t: set(cols) for t, cols in TIE_INPUTS.items()}


def test_the_rewrites_are_applied_to_the_tree():
    pytest.importorskip("sqlglot")
    from netgraph.spark.sql import to_spark

    text = to_spark("SELECT listagg(DISTINCT k, ';') WITHIN GROUP (ORDER BY k), 1.5 * x, 2 / y "
                    "FROM t WHERE at < $bound", {"bound": DAY})
    assert "ARRAY_JOIN(ARRAY_SORT(COLLECT_SET(k)), ';')" in text
    assert "CAST(1.5 AS DOUBLE) * x" in text and "2 / y" in text
    assert "CAST('2026-10-30' AS DATE)" in text


def test_sample_ties_equal_duckdbs(sample_ties):
    folder, _, rows = sample_ties
    got = _spark_rows(folder)
    _assert_same_ties(got, rows)
    manifest = json.loads((folder / "netgraph.json").read_text())
    assert manifest["kind"] == "ties" and manifest["as_of"] == DAY.isoformat()
    assert manifest["ties"] == len(rows) > 1000


def test_the_parquet_has_the_store_schema(sample_ties):
    import pyarrow.dataset as ds

    schema = ds.dataset(str(sample_ties[0] / "ties.parquet"), format="parquet").schema
    assert schema.names == list(TIE_COLUMNS)
    types = {f.name: str(f.type) for f in schema}
    assert types["u"] == "int32" and types["n_channels"] == "int64"
    assert types["first_contact"] == "timestamp[us]" and types["last_intro"] == "date32[day]"


def _write_store(db: Path, people: int, contacts: list, intros: list, closeness: dict) -> None:
    folder = db.parent
    rows = ["id,name,closeness"] + [f"p{i},Person {i},{closeness.get(i, '')}" for i in range(people)]
    (folder / "contacts.csv").write_text("\n".join(rows) + "\n")
    lines = ["date,from,to,kind,note"]
    for day, who, others, kind in contacts:
        lines.append(f"{day},p{who},{';'.join(f'p{o}' for o in others)},{kind},")
    (folder / "interactions.csv").write_text("\n".join(lines) + "\n")
    lines = ["date,introducer,a,b,status,value,note"]
    lines += [f"{d},p{i},p{a},p{b},{s},," for d, i, a, b, s in intros]
    (folder / "introductions.csv").write_text("\n".join(lines) + "\n")
    with ng.open_store(db) as store:
        ng.import_file(store, folder / "contacts.csv")
        ng.set_me(store, "p0")
        ng.import_files(store, [folder / "interactions.csv", folder / "introductions.csv"])


_days = st.dates(date(2024, 1, 1), date(2026, 12, 31)).map(date.isoformat)
_kinds = st.sampled_from(["meeting", "call", "email", "message", "event", "other"])


@st.composite
def _networks(draw):
    n = draw(st.integers(4, 12))
    person = st.integers(0, n - 1)
    contacts = draw(st.lists(st.tuples(_days, person, st.lists(person, min_size=1, max_size=4,
                                                                 unique=True), _kinds),
                             min_size=1, max_size=40))
    contacts = [(d, w, [o for o in others if o != w] or [(w + 1) % n], k)
                for d, w, others, k in contacts]
    intros = draw(st.lists(st.tuples(_days, person, person, person, st.sampled_from(
        ["requested", "made", "declined", "converted"])), max_size=6))
    intros = [x for x in intros if len({x[1], x[2], x[3]}) == 3]
    closeness = draw(st.dictionaries(person, st.sampled_from([0.0, 0.25, 0.5, 1.0]), max_size=4))
    return n, contacts, intros, closeness


@settings(max_examples=3, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(network=_networks())
def test_generated_stores_give_duckdbs_ties(spark, network):
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        db = tmp / "store.duckdb"
        _write_store(db, *network)
        _, rows = _local_ties(db, tmp, date(2026, 6, 30))
        got = _spark_rows(_spark_ties(spark, db, tmp, date(2026, 6, 30)))
    _assert_same_ties(got, rows)


# -- attach: the questions read Spark's ties ---------------------------------------------------


def test_attached_ties_answer_as_the_local_store(sample_ties, sample_db, tmp_path):
    from netgraph import api
    from netgraph.spark.attach import attach

    folder, local, _ = sample_ties
    attached = tmp_path / "attached.duckdb"
    shutil.copy(sample_db[0], attached)
    with ng.open_store(attached) as store:
        done = attach(store, folder)
        assert done.as_of == DAY and done.ties > 1000
    target = sample_db[1]["hard_to_reach"][0]["name"]
    answers = {}
    for db in (local, attached):
        with ng.open_store(db) as store:
            found = api.intro(store, target, DAY)
            paths = [*found.warm, *found.cold]
            answers[db] = (
                [(p.people, p.first_step) for p in paths],
                [round(p.path_strength, 9) for p in paths],
                list(api.neglected(store, DAY)["name"]),
                sorted(zip(*(api.weak_ties(store, DAY)[c] for c in ("u", "v")), strict=True)),
                list(api.connectors(store, DAY)["name"])[:10],
            )
    assert answers[local] == answers[attached]
    assert answers[local][0], "the sample plants a path to its hard-to-reach person"
    assert answers[local][2] and answers[local][4]


def test_attach_refuses_ties_of_other_data(sample_ties, tmp_path, store):
    from netgraph.spark.attach import attach

    with pytest.raises(InputFileError, match="export this store again"):
        attach(store, sample_ties[0])


# -- metrics -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_metrics(spark, sample_ties, tmp_path_factory):
    import pyarrow.dataset as ds

    from netgraph.spark.metrics import compute_metrics

    out = tmp_path_factory.mktemp("spark-metrics")
    run = compute_metrics(spark, sample_ties[0], out, overwrite=True)
    read = {t: ds.dataset(str(out / f"{t}.parquet"), format="parquet").to_table().to_pylist()
            for t in ("people_metrics", "tie_metrics")}
    ties = _spark_rows(sample_ties[0])
    G = nx.Graph()
    G.add_edges_from((t["u"], t["v"], {"strength": t["strength"]}) for t in ties)
    return run, read, G


def test_pagerank_is_networkx_s(sample_metrics):
    _, read, G = sample_metrics
    want = nx.pagerank(G, weight="strength")
    got = {r["person_id"]: r["pagerank"] for r in read["people_metrics"]}
    assert got.keys() == want.keys()
    assert max(abs(got[n] - want[n]) for n in G) <= 1e-9


def test_embeddedness_is_the_local_engine_s(sample_metrics):
    from netgraph.analytics.weak_ties import weak_ties

    _, read, G = sample_metrics
    local = weak_ties(G, mine_only=False, communities={})
    want = {(min(u, v), max(u, v)): (e, o, b) for u, v, e, o, b in zip(
        local.u, local.v, local.embeddedness, local.overlap, local.local_bridge, strict=True)}
    got = {(r["u"], r["v"]): (r["embeddedness"], r["overlap"], r["local_bridge"])
           for r in read["tie_metrics"]}
    assert got.keys() == want.keys()
    for key, (e, o, b) in want.items():
        assert got[key][0] == e and got[key][2] == b and abs(got[key][1] - o) <= 1e-12, key


def test_people_metrics_are_networkx_s(sample_metrics):
    from netgraph.analytics.connectors import constraint
    from netgraph.graph.engine import engine

    run, read, G = sample_metrics
    rows = {r["person_id"]: r for r in read["people_metrics"]}
    E = engine(G)
    burt = dict(zip(E.nodes, constraint(E), strict=True))
    for n in G:
        assert rows[n]["degree"] == G.degree(n)
        assert rows[n]["reach2"] == len(nx.single_source_shortest_path_length(G, n, cutoff=2)) - 1
        assert abs(rows[n]["constraint"] - burt[n]) <= 1e-9
    assert run.components == nx.number_connected_components(G)


def test_attached_metrics_answer_the_whole_network_questions(sample_ties, sample_metrics, sample_db,
                                                             tmp_path):
    from click.testing import CliRunner

    from netgraph import api
    from netgraph.analytics.from_metrics import NOTE
    from netgraph.cli.main import main
    from netgraph.spark.attach import attach

    folder, local, _ = sample_ties
    run, _, G = sample_metrics
    attached = tmp_path / "attached.duckdb"
    shutil.copy(sample_db[0], attached)
    with ng.open_store(attached) as store:
        attach(store, folder, run.out)
        weak = api.weak_ties(store, DAY, everyone=True)
        best = api.connectors(store, DAY, global_view=True)
    with ng.open_store(local) as store:
        local_weak = api.weak_ties(store, DAY, everyone=True)
    # every tie, classed by Spark's metrics as the local engine classes it
    assert set(weak["metrics"]) == {"spark"}
    assert (dict(zip(zip(weak.u, weak.v, strict=True), weak.ties_class, strict=True))
            == {(min(u, v), max(u, v)): c for u, v, c in zip(local_weak.u, local_weak.v,
                                                             local_weak.ties_class, strict=True)})
    assert list(weak.ties_class[:3]) == ["bridge"] * 3  # local bridges first
    # everyone with a tie, ranked; PageRank and reach as Spark computed them
    assert set(best["metrics"]) == {"spark"} and "betweenness" not in best.columns
    assert set(best.person_id) == set(G) and list(best["rank"]) == list(range(1, len(G) + 1))
    assert list(best.score) == sorted(best.score, reverse=True)
    pagerank = nx.pagerank(G, weight="strength")
    assert max(abs(pagerank[p] - r) for p, r in zip(best.person_id, best.pagerank, strict=True)) <= 1e-9
    shown = CliRunner().invoke(main, ["connectors", "--global", "--as-of", DAY.isoformat(),
                                      "--db", str(attached)])
    assert shown.exit_code == 0 and NOTE[:40] in shown.output and "pagerank" in shown.output
    # new data: the attached answers are stale and never read; the next is computed here
    (tmp_path / "more.csv").write_text("date,from,to,kind\n2026-10-29,dana@example.org,"
                                       "new.person@example.org,email\n", encoding="utf-8")
    with ng.open_store(attached) as store:
        ng.import_files(store, [tmp_path / "more.csv"])
        again = api.connectors(store, DAY, global_view=True)
    assert "metrics" not in again.columns and "betweenness" in again.columns


def test_components_match_networkx_on_a_long_path(spark):
    from netgraph.spark.components import components

    rng = random.Random(16)
    ids = rng.sample(range(1, 100_000), 1_100)
    path = [(ids[i], ids[i + 1]) for i in range(999)]  # ids shuffled: many rounds
    small = [(ids[1000 + i], ids[1000 + i + 1]) for i in range(0, 98, 2)]
    G = nx.Graph(path + small)
    frame = spark.createDataFrame([(min(e), max(e)) for e in G.edges], "u INT, v INT")
    rounds: list[int] = []
    rows = components(frame, rounds=rounds).collect()
    got: dict[int, set] = {}
    for r in rows:
        got.setdefault(r["component"], set()).add(r["person_id"])
    assert sorted(map(sorted, got.values())) == sorted(map(sorted, nx.connected_components(G)))
    assert all(c == min(members) for c, members in got.items())
    assert rounds[0] >= 4


# -- one clear line, never a Java stack trace ---------------------------------------------------


def _netgraph(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "netgraph", *args], capture_output=True,
                          text=True, timeout=120, env={**os.environ, **(env or {})})


def test_an_input_without_parquet_is_one_line(tmp_path):
    pytest.importorskip("sqlglot")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "netgraph.json").write_text('{"kind": "store tables"}')
    done = _netgraph("spark", "ties", "--input", str(tmp_path / "in"), "--out", str(tmp_path / "o"))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "holds no Parquet" in done.stderr, done.stderr
    done = _netgraph("spark", "ties", "--input", str(tmp_path), "--out", str(tmp_path / "o"))
    assert done.returncode == 2 and "--store-tables" in done.stderr and done.stderr.count("\n") == 1


def test_no_java_and_an_unreachable_master_are_one_line(sample_ties, tmp_path):
    pytest.importorskip("pyspark")
    tables = sample_ties[0].parent / "tables"
    args = ("spark", "ties", "--input", str(tables), "--out", str(tmp_path / "o"))
    done = _netgraph(*args, env={"JAVA_HOME": str(tmp_path / "no-java")})
    assert done.returncode == 2 and "needs Java" in done.stderr and done.stderr.count("\n") == 1, \
        done.stderr
    done = _netgraph(*args, "--master", "spark://127.0.0.1:9")
    assert done.returncode == 2 and "cannot reach the Spark master" in done.stderr, done.stderr
    assert done.stderr.count("\n") == 1


def test_without_the_extra_the_command_says_how_to_install_it(tmp_path):
    fake = tmp_path / "site" / "pyspark"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('no pyspark here')\n")
    done = _netgraph("spark", "metrics", "--ties", str(tmp_path), "--out", str(tmp_path / "o"),
                     env={"PYTHONPATH": str(tmp_path / "site")})
    assert done.returncode == 2
    assert done.stderr.strip() == ("netgraph: pyspark is not installed; Spark support is an optional "
                                   "extra: pip install 'netgraph[spark]'")
