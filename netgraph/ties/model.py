"""The tie-strength model, the as-of helpers and the frames of my history: pure, no store.

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
relationship never lower strength (the hypothesis tests in ``tests/test_ties.py`` check
this). A tie with no contact at all (a LinkedIn "connected" event) has only the baseline and is
weak by construction. ``distance = -ln(strength)`` is what paths and betweenness read.

The model reads the per-pair features that :func:`netgraph.ties.features.pair_features`
aggregates from the store; this module imports nothing of netgraph, so the pure analyses
(:mod:`netgraph.analytics`) may use it. :class:`MyHistory` holds the tables about my ties that
:func:`netgraph.ties.history.my_history` reads and the neglect analyses take.

References
----------
Granovetter, M. S. (1973). The strength of weak ties. *American Journal of Sociology*, 78(6),
1360-1380. https://doi.org/10.1086/225469

Gilbert, E., & Karahalios, K. (2009). Predicting tie strength with social media. *CHI 2009*,
211-220. https://doi.org/10.1145/1518701.1518736
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the model loads numpy and pandas when it computes; the as-of helpers need neither
    import numpy as np
    import pandas as pd

    from netgraph.rows import Rows

__all__ = [
    "BASELINE",
    "FACTORS",
    "PROMISED_BY",
    "REFERRAL_POINTS",
    "AsOf",
    "MyHistory",
    "as_of_bound",
    "as_of_date",
    "contributions",
    "days_since_sql",
    "factor_values",
    "strength",
    "strength_sql",
]

#: What "as of" accepts: a date, a datetime, ISO text, or None for today.
AsOf = date | datetime | str | None

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
#: Days of the intensity window.
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


# -- as of a date ------------------------------------------------------------------------------
def as_of_date(as_of: AsOf) -> date:
    """The day an analysis is "as of": the given date (ISO text accepted), or today.

    Parameters
    ----------
    as_of : date, datetime, str or None
        The day; a datetime counts by its date, text by its first ten characters.

    Returns
    -------
    date
        The day itself, or today for None.

    Examples
    --------
    >>> as_of_date("2026-10-30T12:00"), as_of_date(datetime(2026, 10, 30, 23, 59))
    (datetime.date(2026, 10, 30), datetime.date(2026, 10, 30))
    """
    if as_of is None:
        return date.today()
    if isinstance(as_of, str):
        return date.fromisoformat(as_of[:10])
    if isinstance(as_of, datetime):
        return as_of.date()
    return as_of


def as_of_bound(as_of: AsOf) -> datetime:
    """The exclusive upper bound for "as of a date": the start of the next day.

    Parameters
    ----------
    as_of : date, datetime, str or None
        The day, as :func:`as_of_date` reads it.

    Returns
    -------
    datetime
        Midnight at the start of the day after ``as_of``.

    Examples
    --------
    >>> as_of_bound("2026-10-30")
    datetime.datetime(2026, 10, 31, 0, 0)
    """
    day = as_of_date(as_of) + timedelta(days=1)
    return datetime.combine(day, datetime.min.time())


# -- the model ---------------------------------------------------------------------------------
def factor_values(features: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Each factor's contribution, in logits, as one numpy array per factor of :data:`FACTORS`.

    Parameters
    ----------
    features : mapping of str to array-like
        A DataFrame of per-pair features, or columns of them by name (lists or arrays, None
        for missing): at least ``recency_days``, ``weighted_12m``, ``duration_days``,
        ``n_from_u``, ``n_from_v``, ``n_channels``, ``intro_score`` and ``closeness``. Only
        numpy is loaded, unless ``features`` is a pandas object.

    Returns
    -------
    dict of str to numpy.ndarray
        One array per factor, in the order of :data:`FACTORS`; all values are >= 0 and
        non-decreasing in their input.
    """
    import numpy as np

    def col(name: str) -> np.ndarray:
        values = features[name]
        if hasattr(values, "to_numpy"):  # a pandas column: nullable and object ones coerced
            import pandas as pd

            return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
        return np.array([np.nan if v is None else v for v in values], dtype=float)

    recency = np.nan_to_num(np.exp(-col("recency_days") / RECENCY_SCALE_DAYS), nan=0.0)
    duration = np.nan_to_num(1 - np.exp(-col("duration_days") / DURATION_SCALE_DAYS), nan=0.0)
    quieter = np.minimum(col("n_from_u"), col("n_from_v"))
    extra_channels = np.clip(col("n_channels") - 1, 0, MAX_EXTRA_CHANNELS)
    closeness = np.nan_to_num(np.clip(col("closeness"), 0, 1), nan=0.0)
    return {
        "recency": W_RECENCY * recency,
        "intensity": W_INTENSITY * np.log1p(np.clip(col("weighted_12m"), 0, None)),
        "duration": W_DURATION * duration,
        "reciprocity": W_RECIPROCITY * (1 - np.exp(-quieter / RECIPROCITY_SCALE)),
        "multiplexity": W_MULTIPLEX * extra_channels,
        "referrals": W_REFERRALS * (1 - np.exp(-np.clip(col("intro_score"), 0, None)
                                               / REFERRAL_SCALE)),
        "closeness": W_CLOSENESS * closeness,
    }


def contributions(features: pd.DataFrame) -> pd.DataFrame:
    """Each factor's contribution, in logits, for every row of ``features``.

    Parameters
    ----------
    features : pandas.DataFrame
        Rows of :func:`netgraph.ties.features.pair_features` (the columns
        :func:`factor_values` reads).

    Returns
    -------
    pandas.DataFrame
        One column per factor of :data:`FACTORS`, on the index of ``features``; all values are
        >= 0 and non-decreasing in their input.
    """
    import pandas as pd

    return pd.DataFrame(factor_values(features), index=features.index)


def strength(features: Mapping[str, Any]) -> np.ndarray:
    """Tie strength in (0, 1) for every row of ``features`` (see the module docstring).

    Parameters
    ----------
    features : pandas.DataFrame or mapping of str to array-like
        Per-pair features, as :func:`factor_values` reads them.

    Returns
    -------
    numpy.ndarray
        ``1 / (1 + exp(-(BASELINE + sum of contributions)))`` per row.

    Examples
    --------
    >>> import pandas as pd
    >>> weekly = pd.DataFrame({"recency_days": [3], "weighted_12m": [52], "duration_days": [700],
    ...                        "n_from_u": [26], "n_from_v": [26], "n_channels": [3],
    ...                        "intro_score": [0], "closeness": [None]})
    >>> once = weekly.assign(recency_days=700, weighted_12m=0, n_from_u=0, n_from_v=0,
    ...                      n_channels=1, duration_days=700)
    >>> [round(float(s), 3) for s in (strength(weekly)[0], strength(once)[0])]
    [0.998, 0.045]
    """
    import numpy as np

    z = BASELINE + sum(factor_values(features).values())
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def days_since_sql(column: str, day: str = "$day") -> str:
    """Whole days from the day of the timestamp ``column`` to ``day``, at least 0; NULL stays NULL.

    (DuckDB's ``greatest`` skips NULLs, so it is guarded: a tie with no contact has no recency.)
    """
    return (f"(CASE WHEN {column} IS NULL THEN NULL "
            f"ELSE greatest(date_diff('day', CAST({column} AS DATE), {day}), 0) END)")


def strength_sql(day: str = "$day") -> str:
    """The same model as :func:`strength`, as a DuckDB SQL expression over a tie table's columns.

    The materialised tie table (:mod:`netgraph.ties.table`) computes strength in SQL, as of the
    day in the SQL expression ``day`` (a DATE); the test suite checks that both renderings give
    the same values. ``recency_days`` and ``duration_days`` are whole days from the contact's day.

    Parameters
    ----------
    day : str
        A SQL expression for the day, by default the parameter ``$day``.

    Returns
    -------
    str
        An expression in (0, 1).
    """
    recency, duration = days_since_sql("last_contact", day), days_since_sql("first_contact", day)
    terms = [
        f"coalesce({W_RECENCY!r} * exp(-{recency} / {RECENCY_SCALE_DAYS!r}), 0)",
        f"{W_INTENSITY!r} * ln(1 + greatest(weighted_12m, 0))",
        f"coalesce({W_DURATION!r} * (1 - exp(-{duration} / {DURATION_SCALE_DAYS!r})), 0)",
        f"{W_RECIPROCITY!r} * (1 - exp(-least(n_from_u, n_from_v) / {RECIPROCITY_SCALE!r}))",
        f"{W_MULTIPLEX!r} * least(greatest(n_channels - 1, 0), {MAX_EXTRA_CHANNELS})",
        f"{W_REFERRALS!r} * (1 - exp(-greatest(intro_score, 0) / {REFERRAL_SCALE!r}))",
        f"{W_CLOSENESS!r} * coalesce(least(greatest(closeness, 0), 1), 0)",
    ]
    z = " + ".join([repr(BASELINE), *terms])
    return f"(1.0 / (1.0 + exp(-({z}))))"


# -- my history, as tables --------------------------------------------------------------------

#: Who made a follow-up or promise (its ``owner``), as the answers say it to me.
PROMISED_BY = {"me": "you", "them": "they"}


@dataclass(frozen=True)
class MyHistory:
    """Tables describing my ties as of one day. ``other`` is always the other person's id.

    Read from the store by :func:`netgraph.ties.history.my_history`, as plain Python values
    (:class:`~netgraph.rows.Rows`; ``.to_frame()`` gives a DataFrame); the neglect, dormant-tie
    and ledger analyses (:mod:`netgraph.analytics.neglect`) are pure functions of it.
    """

    me: int
    as_of: date
    ties: Rows       # my ties now: other, strength, last_contact, recency_days
    peaks: Rows      # other, peak_strength, peak_at
    gaps: Rows       # other, n_contact_days, median_gap_days
    people: Rows     # person_id, name, company, city, cadence_days, category
    followups: Rows  # follow-ups not kept yet: other, due_on, note, owner (me|them), state
    intros: Rows     # introductions involving me: occurred_on, introducer_id, a_id, b_id,
    #                  status, value, note, inferred
