"""Tie features: what each pair of people shares, aggregated from the store in DuckDB SQL.

A tie joins two people who took part in the same interaction, or who were linked by an
introduction: the introducer with both sides, and the two sides with each other once the
introduction was made. Interactions with more than :data:`MAX_GROUP_SIZE` participants make no
ties: an all-hands or a conference says little about any one pair, and would add a quadratic
number of pairs.

The features are the model's inputs: :mod:`netgraph.ties.model` turns them into a strength,
and :mod:`netgraph.graph.projection` puts both on the graph's edges.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from datetime import datetime

import pandas as pd

from netgraph.sources.bounds import STORED_KINDS
from netgraph.store.database import Store
from netgraph.ties.model import REFERRAL_POINTS, AsOf, as_of_bound, as_of_date

__all__ = ["FEATURE_COLUMNS", "MAX_GROUP_SIZE", "checkpoint_features", "pair_features", "pairs_sql",
           "params", "tie_scope", "with_days"]

MAX_GROUP_SIZE = 50

# The kinds of contact a pair had, as a bit mask over STORED_KINDS (one bit_or per pair, where
# DISTINCT aggregates would cost as much again as the whole aggregation), spelled out at the end.
_KIND_LIST = "[" + ", ".join(f"'{k}'" for k in STORED_KINDS) + "]"
_CONNECTED_BIT = 1 << STORED_KINDS.index("connected")
_KIND_NAMES = ", ".join(f"CASE WHEN c.kind_mask & {1 << i} <> 0 THEN '{k}' END"
                        for i, k in enumerate(STORED_KINDS))

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
    bit_or(1::INTEGER << (list_position({kinds}, e.kind) - 1)) AS kind_mask
"""

_AGGREGATES = _AGGREGATES.replace("{kinds}", _KIND_LIST)

_INTRO_AGGREGATES = """
    count(*) AS n_intros,
    count(*) FILTER (WHERE e.status = 'converted') AS n_converted,
    sum(CASE e.status WHEN 'converted' THEN $p_converted WHEN 'made' THEN $p_made
             WHEN 'requested' THEN $p_requested ELSE $p_declined END) AS intro_score,
    max(e.occurred_on) AS last_intro
"""

# The events that make ties, one row per pair and event. Scoped, only the ties that touch a
# person of the view ``_tie_scope``: the participants are narrowed to the interactions of those
# people *before* the self-join, and each is flagged as in the scope or not (a join, not an
# IN-test per row), so the cost follows their activity, not the whole store's.
_SCOPED_PARTICIPANTS = """
scoped_parts AS MATERIALIZED (
    SELECT p.interaction_id, p.person_id, s.person_id IS NOT NULL AS in_scope
    FROM interaction_participants p
    LEFT JOIN (SELECT DISTINCT person_id FROM _tie_scope) s ON s.person_id = p.person_id
    WHERE p.interaction_id IN (
        SELECT interaction_id FROM interaction_participants
        WHERE person_id IN (SELECT person_id FROM _tie_scope))),"""
_EVENTS = """{scoped_parts}
closeness AS (SELECT person_id, closeness FROM people WHERE closeness IS NOT NULL),
pair_events AS (
    SELECT a.person_id AS u, b.person_id AS v, i.occurred_at, i.kind, i.initiator_id,
           i.n_participants
    FROM {parts} a
    JOIN {parts} b ON a.interaction_id = b.interaction_id AND a.person_id < b.person_id
    JOIN interactions i ON i.interaction_id = a.interaction_id
    WHERE i.occurred_at < $bound AND i.n_participants <= $max_group {pairs_in_scope}
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
    ) e {intros_in_scope}
)
"""
_IN_SCOPE = "IN (SELECT person_id FROM _tie_scope)"


def _events(*, scoped: bool) -> str:
    """The CTEs of tie events: every tie, or with ``scoped`` those touching ``_tie_scope``."""
    if not scoped:
        return _EVENTS.format(scoped_parts="", parts="interaction_participants",
                              pairs_in_scope="", intros_in_scope="")
    return _EVENTS.format(scoped_parts=_SCOPED_PARTICIPANTS, parts="scoped_parts",
                          pairs_in_scope="AND (a.in_scope OR b.in_scope)",
                          intros_in_scope=f"WHERE e.u {_IN_SCOPE} OR e.v {_IN_SCOPE}")


_SELECT = """
SELECT coalesce(c.u, i.u) AS u, coalesce(c.v, i.v) AS v,
       coalesce(c.n_interactions, 0) AS n_interactions,
       coalesce(c.n_one_to_one, 0) AS n_one_to_one,
       coalesce(c.weighted_contacts, 0.0) AS weighted_contacts,
       coalesce(c.weighted_12m, 0.0) AS weighted_12m,
       coalesce(c.n_from_u, 0) AS n_from_u,
       coalesce(c.n_from_v, 0) AS n_from_v,
       c.first_contact, c.last_contact,
       coalesce(bit_count(c.kind_mask & ~{connected_bit}::INTEGER), 0) AS n_channels,
       coalesce(concat_ws(';', {kind_names}), '') AS kinds,
       coalesce(i.n_intros, 0) AS n_intros,
       coalesce(i.n_converted, 0) AS n_converted,
       coalesce(i.intro_score, 0.0) AS intro_score,
       i.last_intro,
       pc.closeness
""".replace("{connected_bit}", str(_CONNECTED_BIT)).replace("{kind_names}", _KIND_NAMES)

# Features of every tie as of one date ({events}: the CTEs of :func:`_events`).
_PAIRS_SQL = f"""
WITH {{events}},
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
LEFT JOIN closeness pc ON pc.person_id = CASE WHEN coalesce(c.u, i.u) = $me
    THEN coalesce(c.v, i.v) WHEN coalesce(c.v, i.v) = $me THEN coalesce(c.u, i.u) END
{{order}}"""

# Features of each of my ties at checkpoints: the last contact of every month with contact.
# Strength peaks right after a contact, so the largest value over these is the tie's peak. The
# features at each checkpoint are running aggregates over my pair events in time order (one
# window pass, not a join of every checkpoint with every earlier event): the frame takes every
# event up to and including the checkpoint's time (RANGE, so events at the same time count), and
# the 12-month window everything later than 365 days before it.
_RUNNING = f"""
    count(*) OVER upto AS n_interactions,
    count(*) FILTER (WHERE e.n_participants = 2) OVER upto AS n_one_to_one,
    sum(1.0 / (e.n_participants - 1)) OVER upto AS weighted_contacts,
    coalesce(sum(1.0 / (e.n_participants - 1)) FILTER (WHERE e.kind <> 'connected')
             OVER year, 0) AS weighted_12m,
    count(*) FILTER (WHERE e.initiator_id = e.u) OVER upto AS n_from_u,
    count(*) FILTER (WHERE e.initiator_id = e.v) OVER upto AS n_from_v,
    min(e.occurred_at) FILTER (WHERE e.kind <> 'connected') OVER upto AS first_contact,
    max(e.occurred_at) FILTER (WHERE e.kind <> 'connected') OVER upto AS last_contact,
    bit_or(1::INTEGER << (list_position({_KIND_LIST}, e.kind) - 1)) OVER upto AS kind_mask
"""
_CHECKPOINT_SQL = f"""
WITH {_events(scoped=True)},
mine AS (SELECT * FROM pair_events WHERE u = $me OR v = $me),
running AS (
    SELECT e.u, e.v, e.occurred_at AS "at", e.kind,
           max(e.occurred_at) FILTER (WHERE e.kind <> 'connected')
               OVER (PARTITION BY e.u, e.v, date_trunc('month', e.occurred_at)) AS month_last,
           {_RUNNING}
    FROM mine e
    WINDOW upto AS (PARTITION BY e.u, e.v ORDER BY e.occurred_at
                    RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
           year AS (PARTITION BY e.u, e.v ORDER BY e.occurred_at
                    RANGE BETWEEN INTERVAL '364 days 23:59:59.999999' PRECEDING AND CURRENT ROW)
),
contact AS (
    SELECT * EXCLUDE (kind, month_last) FROM running
    WHERE kind <> 'connected' AND "at" = month_last
    QUALIFY row_number() OVER (PARTITION BY u, v, "at") = 1
),
intros AS (
    SELECT c.u, c.v, c.at, {_INTRO_AGGREGATES}
    FROM contact c JOIN intro_events e ON e.u = c.u AND e.v = c.v AND e.occurred_on <= c.at
    GROUP BY c.u, c.v, c.at
)
{_SELECT}, c.at
FROM contact c
LEFT JOIN intros i ON c.u = i.u AND c.v = i.v AND c.at = i.at
LEFT JOIN closeness pc ON pc.person_id = CASE WHEN c.u = $me THEN c.v
    WHEN c.v = $me THEN c.u END
ORDER BY u, v, c.at
"""


def pairs_sql(*, scoped: bool, ordered: bool = True) -> str:
    """The tie query: every tie, or with ``scoped`` those touching a person of ``_tie_scope``.

    Its parameters are :func:`params`'; it returns the columns of :data:`FEATURE_COLUMNS`,
    ordered by ``u, v`` unless ``ordered`` is False (the tie table sorts when it is read).
    """
    return (_PAIRS_SQL.replace("{events}", _events(scoped=scoped))
            .replace("{order}", "ORDER BY u, v" if ordered else ""))


#: The columns :func:`pairs_sql` returns, in order.
FEATURE_COLUMNS = (
    "u", "v", "n_interactions", "n_one_to_one", "weighted_contacts", "weighted_12m", "n_from_u",
    "n_from_v", "first_contact", "last_contact", "n_channels", "kinds", "n_intros", "n_converted",
    "intro_score", "last_intro", "closeness",
)


def params(store: Store, as_of: AsOf) -> dict:
    """The parameters of the tie queries for ties as of ``as_of``."""
    bound = as_of_bound(as_of)
    me = store.me_id
    return {
        "bound": bound,
        "bound_day": bound.date(),
        "max_group": MAX_GROUP_SIZE,
        "me": -1 if me is None else me,
        **{f"p_{k}": v for k, v in REFERRAL_POINTS.items()},
    }


@contextlib.contextmanager
def tie_scope(store: Store, people: Iterable[int] | None) -> Iterator[bool]:
    """Make ``people`` readable as the view ``_tie_scope`` for the block; yields whether scoped."""
    if people is None:
        yield False
        return
    frame = pd.DataFrame({"person_id": pd.array(sorted(set(people)), dtype="int32")})
    with store.registered("_tie_scope", frame):
        yield True


def with_days(frame: pd.DataFrame, at: pd.Series | datetime) -> pd.DataFrame:
    """Add recency_days and duration_days: whole days from the contact's day to ``at``'s day."""
    day = pd.to_datetime(at)
    day = day.dt.normalize() if isinstance(day, pd.Series) else day.normalize()
    last = pd.to_datetime(frame["last_contact"]).dt.normalize()
    first = pd.to_datetime(frame["first_contact"]).dt.normalize()
    frame["recency_days"] = ((day - last).dt.days).clip(lower=0).astype(float)
    frame["duration_days"] = ((day - first).dt.days).clip(lower=0).astype(float)
    return frame


def pair_features(store: Store, as_of: AsOf = None, *, person: int | None = None,
                  people: Iterable[int] | None = None) -> pd.DataFrame:
    """One row per tie (``u < v``), computed from the interactions: counts, dates, channels...

    This is the from-scratch computation; questions read the materialised table instead
    (:func:`netgraph.ties.table.tie_frame`), which equals it.

    Parameters
    ----------
    store : Store
        The store to read.
    as_of : date, datetime, str or None
        Only what happened on or before this day counts (default: today).
    person : int, optional
        Only this person's ties.
    people : iterable of int, optional
        Only the ties touching one of these people.

    Returns
    -------
    pandas.DataFrame
        The features :func:`netgraph.ties.model.strength` reads, one row per tie;
        ``recency_days`` and ``duration_days`` are whole days from the contact's day to
        ``as_of``.
    """
    scope = None if person is None and people is None else [
        *([] if person is None else [person]), *(people or [])]
    with tie_scope(store, scope) as scoped:
        frame = store.con.execute(pairs_sql(scoped=scoped), params(store, as_of)).df()
    return with_days(frame, pd.Timestamp(as_of_date(as_of)))


def checkpoint_features(store: Store, as_of: AsOf = None) -> pd.DataFrame:
    """Features of each of my ties just after the last contact of every month (for peaks)."""
    with tie_scope(store, [store.me_id]):
        frame = store.con.execute(_CHECKPOINT_SQL, params(store, as_of)).df()
    return with_days(frame, frame["at"])
