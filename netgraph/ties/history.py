"""The history of my relationships, read from the store for the analyses that need "me".

:func:`my_history` gathers, in a few SQL queries, everything the neglect, dormant-tie and
ledger analyses read: each of my ties now and at its peak, the gaps between contacts, open
follow-ups and the introductions between us. The analyses themselves are pure functions of
these frames (:mod:`netgraph.analytics.neglect`); the frames travel in
:class:`~netgraph.ties.model.MyHistory`, which lives on the pure side.
"""

from __future__ import annotations

import pandas as pd

from netgraph._errors import NotConfiguredError
from netgraph.store.database import Store
from netgraph.ties.features import FEATURE_COLUMNS, MAX_GROUP_SIZE, checkpoint_features
from netgraph.ties.model import AsOf, MyHistory, as_of_bound, as_of_date, strength
from netgraph.ties.table import tie_frame

__all__ = ["my_history", "require_me"]


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


_GAPS_SQL = """
WITH mine AS (
    SELECT interaction_id FROM interaction_participants WHERE person_id = $me
),
days AS (
    SELECT DISTINCT p.person_id AS other, CAST(i.occurred_at AS DATE) AS day
    FROM mine m
    JOIN interactions i ON i.interaction_id = m.interaction_id
    JOIN interaction_participants p ON p.interaction_id = m.interaction_id
    WHERE p.person_id <> $me AND i.occurred_at < $bound AND i.kind <> 'connected'
      AND i.n_participants <= $max_group
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


def my_history(store: Store, as_of: AsOf = None, *, contacts: bool = True) -> MyHistory:
    """Read the frames :mod:`netgraph.analytics` needs about my ties (I/O stays here).

    ``contacts=False`` leaves out my ties, their peaks and the gaps between contacts (empty
    frames), for the analyses that read only introductions and people (the ledger).
    """
    me = require_me(store)
    day = as_of_date(as_of)
    bound = as_of_bound(day)
    if contacts:
        now = tie_frame(store, day, people=[me]).drop(columns="distance")
        checkpoints = checkpoint_features(store, day)
        gaps = store.con.execute(_GAPS_SQL, {"me": me, "bound": bound,
                                             "max_group": MAX_GROUP_SIZE}).df()
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
    people = store.sql(
        "SELECT person_id, name, company, city, cadence_days, category FROM people")
    followups = store.sql(_FOLLOWUPS_SQL)
    intros = store.con.execute(_INTROS_SQL, {"me": me, "bound_day": bound.date()}).df()
    return MyHistory(me, day, now, peaks.reset_index(drop=True), gaps, people, followups, intros)
