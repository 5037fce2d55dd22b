"""Ties: per-pair features from the store (DuckDB SQL) and the tie-strength model.

A tie joins two people who took part in the same interaction, or who were linked by an
introduction: the introducer with both sides, and the two sides with each other once the
introduction was made. Interactions with more than :data:`MAX_GROUP_SIZE` participants make no
ties: an all-hands or a conference says little about any one pair, and would add a quadratic
number of pairs.

Tie strength
------------
Granovetter (1973) defines the strength of a tie as a combination of the amount of time, the
emotional intensity, the intimacy and the reciprocal services that characterise it. Gilbert &
Karahalios (2009) turned that into a model fitted on real friendships, in which *recency*
(days since the last contact) and *duration* (days since the first) were the strongest
predictors, followed by intensity. netgraph follows them with observable proxies, each turned
into a bounded, non-decreasing contribution, added on a logit scale and passed through the
logistic function::

    strength = 1 / (1 + exp(-(BASELINE + sum of contributions)))      # in (0, 1)

Every contribution is non-negative and non-decreasing in its input, so more recent, more
frequent, longer, more reciprocal contact, more channels, more referrals, or a closer declared
relationship never lower strength (the hypothesis tests in ``tests/test_ties_laws.py`` check
this). A tie with no contact at all (a LinkedIn "connected" event) has only the baseline and is
weak by construction. ``distance = -ln(strength)`` is what paths and betweenness read.

References
----------
Granovetter, M. S. (1973). The strength of weak ties. *American Journal of Sociology*, 78(6),
1360-1380. https://doi.org/10.1086/225469

Gilbert, E., & Karahalios, K. (2009). Predicting tie strength with social media. *CHI 2009*,
211-220. https://doi.org/10.1145/1518701.1518736
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from netgraph.store.database import Store

__all__ = [
    "FACTORS",
    "MAX_GROUP_SIZE",
    "as_of_bound",
    "as_of_date",
    "contributions",
    "pair_features",
    "strength",
]

MAX_GROUP_SIZE = 50

# -- the model's constants ---------------------------------------------------------------------
#: Logit of a tie with no evidence at all: sigmoid(-4) = 0.018, a weak tie by construction.
BASELINE = -4.0
#: Recency is the strongest predictor in Gilbert & Karahalios; worth up to 3 logits right
#: after a contact, decaying with the days since it.
W_RECENCY = 3.0
#: Days for the recency contribution to fall to 1/e (about 37%): a quarter without contact
#: costs most of it, the way a relationship cools when it is not tended.
RECENCY_SCALE_DAYS = 120.0
#: Intensity: weighted contacts in the last 12 months, with diminishing returns (log1p);
#: a weekly rhythm (52 a year) gives about 4.8 logits, a monthly one about 3.1.
W_INTENSITY = 1.2
#: Months of the intensity window.
INTENSITY_WINDOW_DAYS = 365
#: Duration, the second strongest predictor: up to 1.5 logits for a tie known for years
#: (63% of it after two years).
W_DURATION = 1.5
DURATION_SCALE_DAYS = 730.0
#: Reciprocity: contacts started by the quieter side, saturating; a one-way tie gets nothing,
#: one where both sides reach out regularly gets up to 1 logit. Counting the quieter side's
#: contacts (not a ratio) keeps it non-decreasing as contact grows.
W_RECIPROCITY = 1.0
RECIPROCITY_SCALE = 3.0
#: Multiplexity: each channel beyond the first (meeting, call, email...) adds 0.25 logits, up
#: to 1; ties that span several media are stronger (Haythornthwaite 2002).
W_MULTIPLEX = 0.25
MAX_EXTRA_CHANNELS = 4
#: Introductions and referrals between the pair, or made by one for the other: the "reciprocal
#: services" of Granovetter's definition; up to 1.5 logits.
W_REFERRALS = 1.5
REFERRAL_SCALE = 2.0
#: Points per introduction by status: a converted one is worth most.
REFERRAL_POINTS = {"converted": 3.0, "made": 1.0, "requested": 0.5, "declined": 0.25}
#: Declared closeness in [0, 1], where the user gave one: up to 2 logits, the user knows best.
W_CLOSENESS = 2.0

#: The factors, in the order explanations show them.
FACTORS = ("recency", "intensity", "duration", "reciprocity", "multiplexity", "referrals",
           "closeness")

_AGGREGATES = """
    count(*) AS n_interactions,
    count(*) FILTER (WHERE e.n_participants = 2) AS n_one_to_one,
    sum(1.0 / (e.n_participants - 1)) AS weighted_contacts,
    coalesce(sum(1.0 / (e.n_participants - 1))
             FILTER (WHERE e.occurred_at > {at} - INTERVAL 365 DAY AND e.kind <> 'connected'), 0)
        AS weighted_12m,
    count(*) FILTER (WHERE e.initiator_id = e.u) AS n_from_u,
    count(*) FILTER (WHERE e.initiator_id = e.v) AS n_from_v,
    min(e.occurred_at) FILTER (WHERE e.kind <> 'connected') AS first_contact,
    max(e.occurred_at) FILTER (WHERE e.kind <> 'connected') AS last_contact,
    count(DISTINCT e.kind) FILTER (WHERE e.kind <> 'connected') AS n_channels,
    string_agg(DISTINCT e.kind, ';' ORDER BY e.kind) AS kinds
"""

_INTRO_AGGREGATES = """
    count(*) AS n_intros,
    count(*) FILTER (WHERE e.status = 'converted') AS n_converted,
    sum(CASE e.status WHEN 'converted' THEN $p_converted WHEN 'made' THEN $p_made
             WHEN 'requested' THEN $p_requested ELSE $p_declined END) AS intro_score,
    max(e.occurred_on) AS last_intro
"""

_EVENTS = """
pair_events AS (
    SELECT a.person_id AS u, b.person_id AS v, i.occurred_at, i.kind, i.initiator_id,
           i.n_participants
    FROM interaction_participants a
    JOIN interaction_participants b
      ON a.interaction_id = b.interaction_id AND a.person_id < b.person_id
    JOIN interactions i ON i.interaction_id = a.interaction_id
    WHERE i.occurred_at < $bound AND i.n_participants <= $max_group
      AND ($only IS NULL OR a.person_id = $only OR b.person_id = $only)
),
intro_events AS (
    SELECT * FROM (
        SELECT least(introducer_id, a_id) AS u, greatest(introducer_id, a_id) AS v, status,
               occurred_on
        FROM introductions WHERE occurred_on < $bound_day
        UNION ALL
        SELECT least(introducer_id, b_id), greatest(introducer_id, b_id), status, occurred_on
        FROM introductions WHERE occurred_on < $bound_day
        UNION ALL
        SELECT least(a_id, b_id), greatest(a_id, b_id), status, occurred_on
        FROM introductions WHERE occurred_on < $bound_day AND status IN ('made', 'converted')
    ) WHERE $only IS NULL OR u = $only OR v = $only
)
"""

_SELECT = """
SELECT coalesce(c.u, i.u) AS u, coalesce(c.v, i.v) AS v,
       coalesce(c.n_interactions, 0) AS n_interactions,
       coalesce(c.n_one_to_one, 0) AS n_one_to_one,
       coalesce(c.weighted_contacts, 0.0) AS weighted_contacts,
       coalesce(c.weighted_12m, 0.0) AS weighted_12m,
       coalesce(c.n_from_u, 0) AS n_from_u,
       coalesce(c.n_from_v, 0) AS n_from_v,
       c.first_contact, c.last_contact,
       coalesce(c.n_channels, 0) AS n_channels,
       coalesce(c.kinds, '') AS kinds,
       coalesce(i.n_intros, 0) AS n_intros,
       coalesce(i.n_converted, 0) AS n_converted,
       coalesce(i.intro_score, 0.0) AS intro_score,
       i.last_intro,
       CASE WHEN coalesce(c.u, i.u) = $me THEN pv.closeness
            WHEN coalesce(c.v, i.v) = $me THEN pu.closeness END AS closeness
"""

# Features of every tie as of one date.
_ALL_PAIRS_SQL = f"""
WITH {_EVENTS},
contact AS (
    SELECT e.u, e.v, {_AGGREGATES.format(at="$bound")}
    FROM pair_events e GROUP BY e.u, e.v
),
intros AS (
    SELECT e.u, e.v, {_INTRO_AGGREGATES} FROM intro_events e GROUP BY e.u, e.v
)
{_SELECT}
FROM contact c
FULL OUTER JOIN intros i ON c.u = i.u AND c.v = i.v
LEFT JOIN people pu ON pu.person_id = coalesce(c.u, i.u)
LEFT JOIN people pv ON pv.person_id = coalesce(c.v, i.v)
ORDER BY u, v
"""

# Features of each of one person's ties at checkpoints: the last contact of every month with
# contact. Strength peaks right after a contact, so the largest value over these is the tie's
# peak strength.
_CHECKPOINT_SQL = f"""
WITH {_EVENTS},
mine AS (SELECT * FROM pair_events WHERE u = $me OR v = $me),
checkpoints AS (
    SELECT u, v, max(occurred_at) AS at FROM mine WHERE kind <> 'connected'
    GROUP BY u, v, date_trunc('month', occurred_at)
),
contact AS (
    SELECT c.u, c.v, c.at, {_AGGREGATES.format(at="c.at")}
    FROM checkpoints c JOIN mine e ON e.u = c.u AND e.v = c.v AND e.occurred_at <= c.at
    GROUP BY c.u, c.v, c.at
),
intros AS (
    SELECT c.u, c.v, c.at, {_INTRO_AGGREGATES}
    FROM checkpoints c JOIN intro_events e ON e.u = c.u AND e.v = c.v AND e.occurred_on <= c.at
    GROUP BY c.u, c.v, c.at
)
{_SELECT}, c.at
FROM contact c
LEFT JOIN intros i ON c.u = i.u AND c.v = i.v AND c.at = i.at
LEFT JOIN people pu ON pu.person_id = c.u
LEFT JOIN people pv ON pv.person_id = c.v
ORDER BY u, v, c.at
"""


def as_of_date(as_of: date | datetime | str | None) -> date:
    """The day an analysis is "as of": the given date (ISO text accepted), or today."""
    if as_of is None:
        return date.today()
    if isinstance(as_of, str):
        return date.fromisoformat(as_of[:10])
    if isinstance(as_of, datetime):
        return as_of.date()
    return as_of


def as_of_bound(as_of: date | datetime | str | None) -> datetime:
    """The exclusive upper bound for "as of a date": the start of the next day."""
    day = as_of_date(as_of) + timedelta(days=1)
    return datetime.combine(day, datetime.min.time())


def _params(store: Store, as_of: date | datetime | str | None, only: int | None = None) -> dict:
    bound = as_of_bound(as_of)
    me = store.me_id
    return {
        "bound": bound,
        "bound_day": bound.date(),
        "max_group": MAX_GROUP_SIZE,
        "me": -1 if me is None else me,
        "only": only,
        **{f"p_{k}": v for k, v in REFERRAL_POINTS.items()},
    }


def _with_days(frame: pd.DataFrame, at: pd.Series | datetime) -> pd.DataFrame:
    """Add recency_days and duration_days: whole days from the contact's day to ``at``'s day."""
    day = pd.to_datetime(at)
    day = day.dt.normalize() if isinstance(day, pd.Series) else day.normalize()
    last = pd.to_datetime(frame["last_contact"]).dt.normalize()
    first = pd.to_datetime(frame["first_contact"]).dt.normalize()
    frame["recency_days"] = ((day - last).dt.days).clip(lower=0).astype(float)
    frame["duration_days"] = ((day - first).dt.days).clip(lower=0).astype(float)
    return frame


def pair_features(
    store: Store, as_of: date | datetime | str | None = None, *, person: int | None = None
) -> pd.DataFrame:
    """One row per tie (``u < v``): contact counts, dates, channels, introductions, closeness.

    Only what happened on or before ``as_of`` (default: today) counts. ``recency_days`` and
    ``duration_days`` are whole days from the contact's day to ``as_of``. With ``person``, only
    that person's ties.
    """
    params = _params(store, as_of, person)
    frame = store.con.execute(_ALL_PAIRS_SQL, params).df()
    return _with_days(frame, pd.Timestamp(as_of_date(as_of)))


def checkpoint_features(store: Store, as_of: date | datetime | str | None = None) -> pd.DataFrame:
    """Features of each of my ties just after the last contact of every month (for peaks)."""
    params = _params(store, as_of, store.me_id)
    frame = store.con.execute(_CHECKPOINT_SQL, params).df()
    return _with_days(frame, frame["at"])


def contributions(features: pd.DataFrame) -> pd.DataFrame:
    """Each factor's contribution, in logits, for every row of ``features``.

    Columns are :data:`FACTORS`; all values are >= 0 and non-decreasing in their input.
    """
    def col(name: str) -> np.ndarray:
        return pd.to_numeric(features[name], errors="coerce").to_numpy(dtype=float)

    recency = np.nan_to_num(np.exp(-col("recency_days") / RECENCY_SCALE_DAYS), nan=0.0)
    duration = np.nan_to_num(1 - np.exp(-col("duration_days") / DURATION_SCALE_DAYS), nan=0.0)
    quieter = np.minimum(col("n_from_u"), col("n_from_v"))
    extra_channels = np.clip(col("n_channels") - 1, 0, MAX_EXTRA_CHANNELS)
    closeness = np.nan_to_num(np.clip(col("closeness"), 0, 1), nan=0.0)
    return pd.DataFrame(
        {
            "recency": W_RECENCY * recency,
            "intensity": W_INTENSITY * np.log1p(np.clip(col("weighted_12m"), 0, None)),
            "duration": W_DURATION * duration,
            "reciprocity": W_RECIPROCITY * (1 - np.exp(-quieter / RECIPROCITY_SCALE)),
            "multiplexity": W_MULTIPLEX * extra_channels,
            "referrals": W_REFERRALS * (1 - np.exp(-np.clip(col("intro_score"), 0, None)
                                                   / REFERRAL_SCALE)),
            "closeness": W_CLOSENESS * closeness,
        },
        index=features.index,
    )


def strength(features: pd.DataFrame) -> np.ndarray:
    """Tie strength in (0, 1) for every row of ``features`` (see the module docstring).

    >>> import pandas as pd
    >>> weekly = pd.DataFrame({"recency_days": [3], "weighted_12m": [52], "duration_days": [700],
    ...                        "n_from_u": [26], "n_from_v": [26], "n_channels": [3],
    ...                        "intro_score": [0], "closeness": [None]})
    >>> once = weekly.assign(recency_days=700, weighted_12m=0, n_from_u=0, n_from_v=0,
    ...                      n_channels=1, duration_days=700)
    >>> [round(float(s), 3) for s in (strength(weekly)[0], strength(once)[0])]
    [0.998, 0.045]
    """
    z = BASELINE + contributions(features).sum(axis=1).to_numpy()
    return 1.0 / (1.0 + np.exp(-z))
