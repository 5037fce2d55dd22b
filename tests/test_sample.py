"""Tests for the synthetic referral-network generator (netgraph.sample.dataset).

The planted truths are checked against the written CSV files with plain pandas and networkx,
the way a user of the files would see them.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import defaultdict
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from netgraph.sample.dataset import Sample, generate, main, write

END = dt.date(2026, 10, 30)
COLUMNS = {
    "contacts": ["id", "name", "email", "phone", "company", "title", "city", "country", "tags",
                 "category", "linkedin_url", "cadence_days", "notes", "needs", "offers"],
    "interactions": ["date", "from", "to", "kind", "note"],
    "introductions": ["date", "introducer", "a", "b", "status", "value", "note"],
    "followups": ["due", "person", "note", "status"],
}


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


class Net:
    """The written files, with every reference resolved to a contact id."""

    def __init__(self, paths: dict[str, Path]) -> None:
        self.paths = paths
        self.frames = {k: _read(paths[k]) for k in COLUMNS}
        self.planted = json.loads(paths["planted"].read_text(encoding="utf-8"))
        c = self.frames["contacts"]
        self.me = self.planted["me"]["id"]
        self.lookup: dict[str, str] = {}
        for col in ("id", "email", "name"):
            for ref, pid in zip(c[col], c["id"], strict=True):
                assert self.lookup.setdefault(ref, pid) == pid, f"ambiguous reference {ref!r}"
        inter = self.frames["interactions"]
        self.when = pd.to_datetime(inter["date"], format="ISO8601")
        self.sender = [self.me if f == "" else self.lookup[f] for f in inter["from"]]
        self.receivers = [[self.lookup[t] for t in to.split(";")] for to in inter["to"]]

    def days_with(self, pid: str, kinds: bool = False) -> list:
        """Dates (and kinds) of the interactions that involve both me and ``pid``."""
        out = []
        for i, (s, r) in enumerate(zip(self.sender, self.receivers, strict=True)):
            people = {s, *r}
            if pid in people and self.me in people:
                day = self.when.iloc[i].date()
                out.append((day, self.frames["interactions"]["kind"].iloc[i]) if kinds else day)
        return out

    def graph(self) -> nx.Graph:
        g = nx.Graph()
        g.add_nodes_from(self.frames["contacts"]["id"])
        for s, r in zip(self.sender, self.receivers, strict=True):
            people = [s, *r]
            g.add_edges_from((a, b) for i, a in enumerate(people) for b in people[i + 1:])
        return g


@pytest.fixture(scope="module")
def net(tmp_path_factory: pytest.TempPathFactory) -> Net:
    return Net(write(generate(300, seed=7), tmp_path_factory.mktemp("s300")))


def test_same_arguments_give_identical_bytes_and_seeds_differ(tmp_path: Path) -> None:
    a = write(generate(300, seed=11), tmp_path / "a")
    b = write(generate(300, seed=11), tmp_path / "b")
    c = write(generate(300, seed=12), tmp_path / "c")
    assert set(a) == {"contacts", "interactions", "introductions", "followups", "event", "planted"}
    for name in a:
        assert a[name].read_bytes() == b[name].read_bytes(), name
    assert a["interactions"].read_bytes() != c["interactions"].read_bytes()
    assert a["contacts"].read_bytes() != c["contacts"].read_bytes()


def test_columns_encoding_and_integers(net: Net) -> None:
    for kind, cols in COLUMNS.items():
        assert list(net.frames[kind].columns) == cols
        raw = net.paths[kind].read_bytes()
        raw.decode("utf-8")
        assert b"\r\n" not in raw
    cadence = net.frames["contacts"]["cadence_days"]
    assert cadence.str.fullmatch(r"\d*").all()
    assert (cadence != "").sum() == len(net.planted["regular"]) + 3
    value = net.frames["introductions"]["value"]
    assert value.str.fullmatch(r"\d*").all()


def test_contacts_are_realistic_and_unique(net: Net) -> None:
    c = net.frames["contacts"]
    assert c["id"].tolist() == [f"p{i:04d}" for i in range(300)]
    assert c["name"].is_unique and c["email"].str.casefold().is_unique
    assert c.loc[c["phone"] != "", "phone"].is_unique
    assert c.loc[c["linkedin_url"] != "", "linkedin_url"].str.startswith(
        "https://www.linkedin.com/in/").all()
    assert (c["name"].str.contains(r"[^\x00-\x7f]")).any()
    assert c["email"].str.fullmatch(r"[a-z0-9.]+@[a-z0-9.-]+\.[a-z.]+").all()
    assert set(c["category"]) <= {"", "target", "connector", "general"}
    assert 0.6 <= (c["category"] == "").mean() <= 0.8
    assert net.planted["me"] == {"id": "p0000", "name": c["name"][0], "email": c["email"][0]}
    assert [t["id"] for t in net.planted["team"]] == ["p0001", "p0002"]


def test_references_resolve_and_rows_are_valid(net: Net) -> None:
    inter = net.frames["interactions"]
    for s, r in zip(net.sender, net.receivers, strict=True):
        assert s not in r and len(set(r)) == len(r)
    assert set(inter["kind"]) <= {"meeting", "call", "email", "message", "event", "other"}
    assert inter["date"].str.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d)?").all()
    assert net.when.is_monotonic_increasing
    assert net.when.max().date() == END
    assert net.when.min().date() >= END - dt.timedelta(days=round(3 * 365.25))

    intro = net.frames["introductions"]
    for row in intro.itertuples():
        who, a, b = (net.lookup[x] for x in (row.introducer, row.a, row.b))
        assert len({who, a, b}) == 3
    assert set(intro["status"]) <= {"requested", "made", "declined", "converted"}
    conv = intro["status"] == "converted"
    assert (intro.loc[conv, "value"].astype(int).between(5000, 50000)).all()
    assert (intro.loc[~conv, "value"] == "").all()
    pd.to_datetime(intro["date"], format="%Y-%m-%d")

    fu = net.frames["followups"]
    assert 5 <= len(fu) <= 10 and set(fu["status"]) == {"open", "done"}
    assert all(p in net.lookup for p in fu["person"])
    due = pd.to_datetime(fu["due"], format="%Y-%m-%d").dt.date
    is_open = fu["status"] == "open"
    assert (is_open & (due < END)).any() and (is_open & (due > END)).any()


def test_sizes_and_mix_at_300_people(net: Net) -> None:
    inter = net.frames["interactions"]
    assert (inter["from"] == "").mean() > 0.05
    assert inter["from"].isin(["p0000", "alex@morgan-advisory.com", "Alex Morgan"]).any()
    sizes = inter["to"].str.count(";") + 1
    assert sizes.between(3, 8).any() and (sizes > 8).any()
    modes = inter["to"].map(lambda t: "@" in t).mean()
    assert 0.5 < modes < 0.9  # mostly emails, some names and ids
    p = net.planted
    assert (len(p["went_silent"]), len(p["regular"]), len(p["one_way"])) == (5, 8, 5)
    assert (len(p["connectors"]), len(p["hard_to_reach"]), len(p["weak_only"])) == (4, 4, 2)
    assert sum(r["overdue"] for r in p["regular"]) == 2
    assert 4000 <= len(inter) <= 6000
    statuses = net.frames["introductions"]["status"].value_counts()
    assert set(statuses.index) == {"requested", "made", "declined", "converted"}
    assert statuses.min() >= 5
    assert 80 <= len(net.frames["introductions"]) <= 130
    counts = net.planted["counts"]
    assert counts == {k: len(net.frames[k]) for k in COLUMNS}
    assert 6 <= len(net.planted["communities"]) <= 8


def test_planted_json_is_native_and_sorted(net: Net) -> None:
    text = net.paths["planted"].read_text(encoding="utf-8")
    assert json.dumps(net.planted, sort_keys=True, indent=2, ensure_ascii=False) + "\n" == text
    for key in ("seed", "people", "end", "me", "team", "communities", "connectors",
                "went_silent", "dormant", "regular", "one_way", "hard_to_reach", "weak_only",
                "counts"):
        assert key in net.planted
    assert net.planted["end"] == END.isoformat()


def test_communities_share_city_and_tag(net: Net) -> None:
    c = net.frames["contacts"].set_index("id")
    members = [p for ids in net.planted["communities"].values() for p in ids]
    assert sorted(members) == sorted(c.index)
    for ids in net.planted["communities"].values():
        assert c.loc[ids, "city"].nunique() == 1
        tag = c.loc[ids[-1], "tags"].split(";")[0]
        assert c.loc[ids, "tags"].str.contains(tag, regex=False).all()
        if len(ids) >= 20:
            assert 2 <= c.loc[ids[3:], "company"].nunique() <= 5  # 2-4 companies + personal


def test_went_silent(net: Net) -> None:
    silent = net.planted["went_silent"]
    assert len(silent) >= 2
    dormant = [p["id"] for p in silent if p["silent_days"] > 365]
    assert net.planted["dormant"] == dormant and dormant
    for p in silent:
        days = sorted(net.days_with(p["id"]))
        last = dt.date.fromisoformat(p["last_contact"])
        assert days[-1] == last
        assert (END - last).days == p["silent_days"]
        assert 120 <= p["silent_days"] <= 430
        arr = np.array([d.toordinal() for d in days])
        peak = (np.searchsorted(arr, arr + 90) - np.arange(len(arr))).max() / 3
        assert peak >= 2 and peak == pytest.approx(p["peak_contacts_per_month"], abs=0.01)


def test_regular_cadence(net: Net) -> None:
    regular = net.planted["regular"]
    assert len(regular) >= 2
    cadence = net.frames["contacts"].set_index("id")["cadence_days"]
    for p in regular:
        days = sorted(net.days_with(p["id"]))
        gaps = np.diff([d.toordinal() for d in days])
        assert abs(np.median(gaps) - p["cadence_days"]) <= 0.3 * p["cadence_days"]
        assert int(cadence[p["id"]]) == p["cadence_days"]
        since = (END - days[-1]).days
        assert since > p["cadence_days"] if p["overdue"] else since <= p["cadence_days"]
    assert 1 <= sum(p["overdue"] for p in regular) <= 2


def test_one_way(net: Net) -> None:
    directions = {p["direction"] for p in net.planted["one_way"]}
    assert directions == {"they_initiate", "i_initiate"}
    for p in net.planted["one_way"]:
        senders = [s for s, r in zip(net.sender, net.receivers, strict=True)
                   if {s, *r} >= {p["id"], net.me}]
        assert len(senders) >= 5
        expected = p["id"] if p["direction"] == "they_initiate" else net.me
        assert set(senders) == {expected}


def test_connectors_are_the_bridges(net: Net) -> None:
    g = net.graph()
    connectors = [c["id"] for c in net.planted["connectors"]]
    assert 2 <= len(connectors) <= 4
    for c in connectors:
        assert len(net.days_with(c)) >= 36 * 1.5  # frequent ties with me
    hard = net.planted["hard_to_reach"]
    assert len(hard) == len(connectors)
    category = net.frames["contacts"].set_index("id")["category"]
    assert any(category[h["id"]] == "target" for h in hard)
    for h in hard:
        assert not net.days_with(h["id"])
        assert nx.shortest_path_length(g, net.me, h["id"]) == h["hops"] in (2, 3)
        path = nx.shortest_path(g, net.me, h["id"])
        assert path[1] == h["via"] and h["via"] in connectors
    bridged = {name for c in net.planted["connectors"] for name in c["bridges"]}
    assert {h["community"] for h in hard} <= bridged
    g.remove_nodes_from(connectors)
    reachable = nx.node_connected_component(g, net.me)
    for name in bridged:
        assert not set(net.planted["communities"][name]) & reachable
    assert len(reachable) > 0.25 * g.number_of_nodes()  # the rest of my world stays reachable


def test_weak_only_targets_hang_on_one_old_event(net: Net) -> None:
    g = net.graph()
    weak = net.planted["weak_only"]
    assert len(weak) == 2
    category = net.frames["contacts"].set_index("id")["category"]
    for w in weak:
        u, v = w["weak_hop"]
        assert u == net.me and category[w["id"]] == "target"
        assert not net.days_with(w["id"])
        (day, kind), = net.days_with(v, kinds=True)
        assert kind == "event" and (END - day).days > 365
        assert nx.has_path(g, net.me, w["id"])
        g2 = g.copy()
        g2.remove_edge(u, v)
        assert not nx.has_path(g2, net.me, w["id"])


def test_team_is_closest_to_me(net: Net) -> None:
    counts = defaultdict(int)
    for s, r in zip(net.sender, net.receivers, strict=True):
        if net.me in {s, *r}:
            for p in {s, *r} - {net.me}:
                counts[p] += 1
    top = sorted(counts, key=counts.get, reverse=True)[:2]
    assert set(top) == {"p0001", "p0002"}


CHECKS = [test_went_silent, test_regular_cadence, test_one_way, test_connectors_are_the_bridges,
          test_weak_only_targets_hang_on_one_old_event, test_team_is_closest_to_me,
          test_communities_share_city_and_tag, test_references_resolve_and_rows_are_valid,
          test_columns_encoding_and_integers]


@pytest.mark.parametrize(("people", "seed"), [(20, 1), (45, 2), (60, 3), (99, 4), (100, 5)])
def test_small_networks_keep_every_planted_truth(tmp_path: Path, people: int, seed: int) -> None:
    small = Net(write(generate(people, seed=seed), tmp_path))
    assert len(small.frames["contacts"]) == people
    thank = small.planted.get("thank_you")  # the agenda's planted thank-you, one row more
    assert len(small.frames["introductions"]) == max(20, people // 3) + (thank is not None)
    for check in CHECKS:
        check(small)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="people"):
        generate(19)
    with pytest.raises(ValueError, match="years"):
        generate(300, years=0.5)


def test_cli_writes_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path), "--people", "120", "--seed", "3", "--end", "2025-01-31"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 6  # five tables and planted.json
    inter = _read(tmp_path / "interactions.csv")
    assert inter["date"].iloc[-1].startswith("2025-01-31")


def test_scale_smoke() -> None:
    t0 = time.perf_counter()
    s = generate(5_000, seed=1, interactions=60_000)
    assert time.perf_counter() - t0 < 5
    assert isinstance(s, Sample)
    assert len(s.contacts) == 5_000 and len(s.interactions) == 60_000
    assert s.contacts["id"].iloc[-1] == "p4999" and s.contacts["name"].is_unique
    assert s.contacts["email"].is_unique
    assert len(s.planted["communities"]) >= 100
    assert 1_500 <= len(s.introductions) <= 1_800
    refs = set(s.contacts["id"]) | set(s.contacts["email"]) | set(s.contacts["name"])
    to = s.interactions["to"].str.split(";").explode()
    assert to.isin(refs).all() and s.interactions["from"].dropna().isin(refs).all()
    assert s.interactions["date"].iloc[-1].startswith(END.isoformat())
