"""The history of my relationships, read from the store for the analyses that need "me".

:func:`my_history` gathers, in a few SQL queries, everything the neglect, dormant-tie and
ledger analyses read: each of my ties now and at its peak, the gaps between contacts, open
follow-ups and the introductions between us. The analyses themselves are pure functions of
these frames (:mod:`netgraph.analytics.neglect`); the frames travel in
:class:`~netgraph.ties.model.MyHistory`, which lives on the pure side. My events are read from
the two large tables once (:func:`~netgraph.ties.features.my_events`) for both the peaks and
the gaps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netgraph._errors import NotConfiguredError
from netgraph.store.database import Store
from netgraph.ties.features import FEATURE_COLUMNS, checkpoint_features, my_events
from netgraph.ties.model import AsOf, MyHistory, as_of_bound, as_of_date, strength
from netgraph.ties.table import tie_frame

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["my_history", "my_introductions", "require_me"]


def require_me(store: Store) -> int:
    """My person id, for the analyses that need to know who "me" is.

    Raises
    ------
    NotConfiguredError
        When "me" is not set, or is still the placeholder an import created.
    """
    me = store.me_id
    if me is None or store.get_setting("me_placeholder"):
        msg = "this analysis needs to know who you are: run netgraph init --me \"Your Name\""
        raise NotConfiguredError(msg)
    return me


def _other(frame: pd.DataFrame, me: int) -> pd.Series:
    return frame["v"].where(frame["u"] == me, frame["u"])


# The days I was in contact with each person (my events, see my_events: interactions before the
# day, in groups small enough to make ties), and the gaps between them.
_GAPS_SQL = """
WITH days AS (
    SELECT DISTINCT CASE WHEN u = $me THEN v ELSE u END AS other,
           CAST(occurred_at AS DATE) AS day
    FROM _my_events WHERE kind <> 'connected'
),
gaps AS (
    SELECT other, date_diff('day', lag(day) OVER (PARTITION BY other ORDER BY day), day) AS gap
    FROM days
)
SELECT other, count(*) AS n_contact_days, median(gap) AS median_gap_days
FROM gaps GROUP BY other
"""

_FOLLOWUPS_SQL = """
SELECT person_id AS other, due_on, note
FROM follow_ups f
WHERE status = 'open' AND NOT EXISTS (
    SELECT 1 FROM follow_ups d
    WHERE d.status = 'done' AND d.person_id = f.person_id AND d.due_on = f.due_on
      AND d.note IS NOT DISTINCT FROM f.note)
ORDER BY due_on
"""

_INTROS_SQL = """
SELECT occurred_on, introducer_id, a_id, b_id, status, value, note, inferred
FROM introductions
WHERE occurred_on < $bound_day AND (introducer_id = $me OR a_id = $me OR b_id = $me)
ORDER BY occurred_on
"""


_PEOPLE_SQL = "SELECT person_id, name, company, city, cadence_days, category FROM people"


def _people(store: Store, ids: set[int] | None) -> pd.DataFrame:
    """The people rows the analyses read: everyone, or only the people ``ids``."""
    if ids is None:
        return store.sql(_PEOPLE_SQL)
    import numpy as np

    wanted = {"person_id": np.array(sorted(ids), dtype=np.int32)}
    with store.registered("_history_people", wanted):
        return store.sql(_PEOPLE_SQL + " WHERE person_id IN (SELECT person_id FROM _history_people)"
                         " ORDER BY person_id")


_NAMES_SQL = ("SELECT person_id, name FROM people "
              "WHERE person_id IN (SELECT unnest($ids::INTEGER[]))")


def my_introductions(store: Store, as_of: AsOf = None) -> tuple[list[dict], dict[int, str]]:
    """The introductions I made or was a side of, before the day, and the names they involve.

    As plain Python (no pandas loads), for the ledger: a dict per introduction, with the
    columns of :data:`MyHistory.intros <netgraph.ties.model.MyHistory>`, oldest first; and
    the display name of everyone in them, by person id.
    """
    me = require_me(store)
    result = store.con.execute(_INTROS_SQL, {"me": me, "bound_day": as_of_bound(as_of).date()})
    columns = [d[0] for d in result.description]
    intros = [dict(zip(columns, row, strict=True)) for row in result.fetchall()]
    ids = sorted({int(r[c]) for r in intros for c in ("introducer_id", "a_id", "b_id")})
    names = dict(store.con.execute(_NAMES_SQL, {"ids": ids}).fetchall()) if ids else {}
    return intros, names


def my_history(store: Store, as_of: AsOf = None, *, contacts: bool = True,
               everyone: bool = True) -> MyHistory:
    """Read the frames :mod:`netgraph.analytics` needs about my ties (I/O stays here).

    ``contacts=False`` leaves out my ties, their peaks and the gaps between contacts (empty
    frames), for the analyses that read only introductions and people (the ledger).
    ``everyone=False`` reads only the people the neglect, dormant-tie and ledger analyses
    name: my contacts, those with a follow-up, and everyone in an introduction with me (their
    answers are the same; the people frame is not everyone).
    """
    import pandas as pd

    me = require_me(store)
    day = as_of_date(as_of)
    bound = as_of_bound(day)
    if contacts:
        now = tie_frame(store, day, people=[me]).drop(columns="distance")
        with my_events(store, day):
            checkpoints = checkpoint_features(store, day, within_events=True)
            gaps = store.con.execute(_GAPS_SQL, {"me": me}).df()
    else:
        now = tie_frame(store, day, people=[]).drop(columns="distance")
        checkpoints = pd.DataFrame(columns=[*FEATURE_COLUMNS, "at", "recency_days",
                                            "duration_days"])
        gaps = pd.DataFrame({"other": [], "n_contact_days": [], "median_gap_days": []})
    now.insert(0, "other", _other(now, me))
    checkpoints["strength"] = strength(checkpoints)
    checkpoints["other"] = _other(checkpoints, me)
    best = checkpoints.sort_values("strength", kind="stable").groupby("other").tail(1)
    peaks = best[["other", "strength", "at"]].rename(
        columns={"strength": "peak_strength", "at": "peak_at"})
    followups = store.sql(_FOLLOWUPS_SQL)
    intros = store.con.execute(_INTROS_SQL, {"me": me, "bound_day": bound.date()}).df()
    named = None if everyone else {
        int(p) for p in (*now["other"].tolist(), *followups["other"].tolist(),
                         *intros["introducer_id"].tolist(), *intros["a_id"].tolist(),
                         *intros["b_id"].tolist())}
    people = _people(store, named)
    return MyHistory(me, day, now, peaks.reset_index(drop=True), gaps, people, followups, intros)
