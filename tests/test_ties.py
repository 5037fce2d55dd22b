"""The tie-strength model: each factor by value on a tiny history, and its laws."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netgraph as ng
from netgraph.identity.lookup import resolve_person
from netgraph.ties import features
from netgraph.ties import model as ties

CONTACTS = """
id,name,closeness
m,Mia,
a,Ana,0.5
b,Ben,
c,Cal,
d,Dev,
e,Eve,
f,Fay,
"""
INTERACTIONS = """
date,from,to,kind,note
2025-01-01,,a,meeting,
2025-02-01,a,m,call,
2025-03-01,,a,email,
2025-03-30,c,m;b;d;e,meeting,group of five
"""
INTROS = """
date,introducer,a,b,status,value,note
2025-03-15,a,m,f,converted,1000,
"""


@pytest.fixture
def history(store, write_csv):
    assert ng.import_file(store, write_csv("c.csv", CONTACTS)).loaded == 7
    ng.set_me(store, "m")
    ng.import_file(store, write_csv("i.csv", INTERACTIONS))
    ng.import_file(store, write_csv("x.csv", INTROS))
    return store


def _pair(store, a, b, as_of="2025-03-31"):
    f = features.pair_features(store, as_of)
    pa, pb = sorted((resolve_person(store, a), resolve_person(store, b)))
    return f[(f["u"] == pa) & (f["v"] == pb)].iloc[0]


def test_each_factor_by_value(history):
    f = _pair(history, "m", "a")
    assert (f["recency_days"], f["duration_days"]) == (30, 89)
    assert f["weighted_12m"] == 3 and f["n_one_to_one"] == 3
    assert sorted([f["n_from_u"], f["n_from_v"]]) == [1, 2]
    assert f["n_channels"] == 3 and f["kinds"] == "call;email;meeting"
    assert (f["n_intros"], f["n_converted"], f["intro_score"]) == (1, 1, 3.0)
    assert f["closeness"] == 0.5
    c = ties.contributions(f.to_frame().T).iloc[0]
    assert c["recency"] == pytest.approx(3 * math.exp(-30 / 120))
    assert c["intensity"] == pytest.approx(1.2 * math.log(4))
    assert c["duration"] == pytest.approx(1.5 * (1 - math.exp(-89 / 730)))
    assert c["reciprocity"] == pytest.approx(1 - math.exp(-1 / 3))
    assert c["multiplexity"] == pytest.approx(0.5)
    assert c["referrals"] == pytest.approx(1.5 * (1 - math.exp(-1.5)))
    assert c["closeness"] == pytest.approx(1.0)
    z = -4 + c.sum()
    assert ties.strength(f.to_frame().T)[0] == pytest.approx(1 / (1 + math.exp(-z)))


def test_group_contact_counts_less_than_one_to_one(history):
    group = _pair(history, "m", "b")
    assert group["weighted_12m"] == pytest.approx(0.25)  # five people: 1/(5-1)
    assert group["n_one_to_one"] == 0
    assert (group["n_from_u"], group["n_from_v"]) == (0, 0)  # Cal started it
    one = group.copy()
    one["weighted_12m"] = 1.0
    pair = pd.DataFrame([group, one])
    weak, strong = ties.strength(pair)
    assert strong > weak


def test_closeness_applies_only_to_my_ties(history):
    assert pd.isna(_pair(history, "a", "f")["closeness"])


def test_a_tie_with_no_contact_is_weak_by_construction():
    empty = pd.DataFrame([{"recency_days": np.nan, "weighted_12m": 0, "duration_days": np.nan,
                           "n_from_u": 0, "n_from_v": 0, "n_channels": 0, "intro_score": 0,
                           "closeness": np.nan}])
    assert ties.strength(empty)[0] == pytest.approx(1 / (1 + math.exp(4)))
    assert ties.strength(empty)[0] < 0.02


def test_explain_tie_adds_up(history):
    frame = ng.explain_tie(history, "Mia", "Ana", as_of="2025-03-31")
    assert list(frame["factor"]) == ["baseline", *ties.FACTORS, "strength"]
    parts = frame.set_index("factor")["contribution"]
    assert parts["strength"] == pytest.approx(parts.drop("strength").sum())
    facts = frame.set_index("factor")["facts"]
    assert facts["recency"] == "last contact 2025-03-01 (30 days before)"
    assert "1 converted" in facts["referrals"]
    assert facts["closeness"] == "declared closeness 0.50"
    with pytest.raises(ng.NoTieError, match="have no tie as of 2025-03-31"):
        ng.explain_tie(history, "Dev", "Fay", as_of="2025-03-31")


def test_projection_uses_the_model(history):
    G = ng.load_graph(history, as_of="2025-03-31")
    f = _pair(history, "m", "a")
    e = G.edges[resolve_person(history, "m"), resolve_person(history, "a")]
    assert e["strength"] == pytest.approx(ties.strength(f.to_frame().T)[0])
    assert e["distance"] == pytest.approx(-math.log(e["strength"]))


# -- laws ------------------------------------------------------------------------------------------

feature_rows = st.fixed_dictionaries({
    "recency_days": st.floats(0, 3000),
    "weighted_12m": st.floats(0, 400),
    "duration_days": st.floats(0, 5000),
    "n_from_u": st.integers(0, 300),
    "n_from_v": st.integers(0, 300),
    "n_channels": st.integers(0, 7),
    "intro_score": st.floats(0, 30),
    "closeness": st.one_of(st.none(), st.floats(0, 1)),
})

# (feature, direction in which the tie gets "more": more recent means fewer days)
MORE = [("recency_days", -1), ("weighted_12m", 1), ("duration_days", 1), ("n_from_u", 1),
        ("n_from_v", 1), ("n_channels", 1), ("intro_score", 1), ("closeness", 1)]


@settings(max_examples=300, deadline=None)
@given(row=feature_rows, which=st.sampled_from(MORE), step=st.floats(0, 1000))
def test_more_of_any_factor_never_lowers_strength(row, which, step):
    name, _direction = which
    base = dict(row)
    more = dict(row)
    if name == "closeness":
        base["closeness"] = base["closeness"] or 0.0
        more["closeness"] = min(1.0, base["closeness"] + step / 1000)
    elif name == "recency_days":
        more[name] = max(0.0, base[name] - step)
    else:
        more[name] = base[name] + (int(step) if isinstance(base[name], int) else step)
    s = ties.strength(pd.DataFrame([base, more]))
    assert 0 < s[0] < 1 and 0 < s[1] < 1
    assert s[1] >= s[0] - 1e-12


contact = st.tuples(
    st.dates(min_value=pd.Timestamp("2023-01-01").date(), max_value=pd.Timestamp("2025-06-30").date()),
    st.sampled_from(["a", "b", "c"]),           # who started it (c: a third person)
    st.sampled_from(["meeting", "call", "email", "message"]),
    st.integers(0, 3),                          # extra people in the room
)


def _strength_of(history_rows, as_of="2025-06-30"):
    lines = ["date,from,to,kind,note"]
    for i, (day, starter, kind, extra) in enumerate(history_rows):
        people = ["a", "b"] + [f"x{j}" for j in range(extra)]
        if starter == "c":
            people_to, sender = people, "c"
        else:
            sender = starter
            people_to = [p for p in people if p != starter]
        lines.append(f"{day.isoformat()},{sender},{';'.join(people_to)},{kind},n{i}")
    with ng.open_store(":memory:") as store:
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "i.csv"
            path.write_text("\n".join(lines) + "\n")
            ng.import_file(store, path)
        f = features.pair_features(store, as_of)
        a, b = resolve_person(store, "a"), resolve_person(store, "b")
        row = f[(f["u"] == min(a, b)) & (f["v"] == max(a, b))]
        return float(ties.strength(row)[0])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(past=st.lists(contact, min_size=1, max_size=8), new=contact)
def test_adding_a_contact_never_lowers_strength(past, new):
    before = _strength_of(past)
    after = _strength_of([*past, new])
    assert after >= before - 1e-12


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(past=st.lists(contact, min_size=2, max_size=6), gap=st.integers(1, 400))
def test_a_more_recent_last_contact_never_lowers_strength(past, gap):
    """Move the latest contact later (the first contact, and so duration, stays put)."""
    past = sorted(past, key=lambda p: p[0])
    if past[-1][0] == past[0][0]:
        return  # one day only: moving it would also shorten the tie's duration
    as_of = (pd.Timestamp(past[-1][0]) + pd.Timedelta(days=400)).date()
    later = (past[-1][0] + pd.Timedelta(days=gap).to_pytimedelta(), *past[-1][1:])
    before = _strength_of(past, as_of.isoformat())
    after = _strength_of([*past[:-1], later], as_of.isoformat())
    assert after >= before - 1e-12
