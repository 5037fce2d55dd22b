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
import functools
import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from netgraph.store.database import Store
from netgraph.ties.model import REFERRAL_POINTS, AsOf, as_of_bound, as_of_date, strength_sql

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FEATURE_COLUMNS", "MAX_GROUP_SIZE", "checkpoint_features", "my_events", "my_peaks",
           "pair_features", "pairs_sql", "params", "tie_scope", "with_days"]

MAX_GROUP_SIZE = 50

# The kinds of contact a pair had, as a bit mask over the stored kinds (one bit_or per pair,
# where DISTINCT aggregates would cost as much again as the whole aggregation), spelled out at
# the end. The queries below name them as {kinds}, {connected_bit} and {kind_names}, filled in by
# :func:`_with_kinds` when a query is first built (:data:`netgraph.sources.kinds.STORED_KINDS`).


@functools.cache
def _with_kinds(template: str) -> str:
    """``template`` with the stored kinds filled in: the list, the "connected" bit, the names."""
    from netgraph.sources.kinds import STORED_KINDS

    kinds = "[" + ", ".join(f"'{k}'" for k in STORED_KINDS) + "]"
    names = ", ".join(f"CASE WHEN c.kind_mask & {1 << i} <> 0 THEN '{k}' END"
                      for i, k in enumerate(STORED_KINDS))
    return (template.replace("{kinds}", kinds)
            .replace("{connected_bit}", str(1 << STORED_KINDS.index("connected")))
            .replace("{kind_names}", names))

# An event's weight: one contact shared among the others present. Summed as exact decimals (the
# weights rounded to 18 places, each the same way every time): a DOUBLE sum's last bits depend on
# the order in which DuckDB's threads meet, so the same data would give ties whose weights, and
# now and then whose strength, differ in the last place from one import to the next.
_WEIGHT = "CAST(1.0 / (e.n_participants - 1) AS DECIMAL(38, 18))"

_AGGREGATES = """
    count(*) AS n_interactions,
    count(*) FILTER (WHERE e.n_participants = 2) AS n_one_to_one,
    CAST(sum({weight}) AS DOUBLE) AS weighted_contacts,
    coalesce(CAST(sum({weight})
             FILTER (WHERE e.occurred_at > {at} - INTERVAL 365 DAY AND e.kind <> 'connected')
                  AS DOUBLE), 0) AS weighted_12m,
    count(*) FILTER (WHERE e.initiator_id = e.u) AS n_from_u,
    count(*) FILTER (WHERE e.initiator_id = e.v) AS n_from_v,
    min(e.occurred_at) FILTER (WHERE e.kind <> 'connected') AS first_contact,
    max(e.occurred_at) FILTER (WHERE e.kind <> 'connected') AS last_contact,
    bit_or(1::INTEGER << (list_position({kinds}, e.kind) - 1)) AS kind_mask
""".replace("{weight}", _WEIGHT)

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
_CLOSENESS = "closeness AS (SELECT person_id, closeness FROM people WHERE closeness IS NOT NULL)"
_INTRO_EVENTS = """intro_events AS (
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
)"""
_EVENTS = """{scoped_parts}
""" + _CLOSENESS + """,
pair_events AS (
    SELECT a.person_id AS u, b.person_id AS v, i.occurred_at, i.kind, i.initiator_id,
           i.n_participants
    FROM {parts} a
    JOIN {parts} b ON a.interaction_id = b.interaction_id AND a.person_id < b.person_id
    JOIN interactions i ON i.interaction_id = a.interaction_id
    WHERE i.occurred_at < $bound AND i.n_participants <= $max_group {pairs_in_scope}
),
""" + _INTRO_EVENTS + """
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
"""

# Features of every tie as of one date ({events}: the CTEs of :func:`_events`).
_PAIRS_SQL = f"""
WITH {{events}},
contact AS (
    SELECT e.u, e.v, {_AGGREGATES.replace("{at}", "$bound")}
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

# My pair events as of a day: one row per interaction I took part in and other person in it,
# as the pairs of the tie queries have them (u < v, groups above MAX_GROUP_SIZE left out). Kept
# as a temporary table for the questions about my ties (:func:`my_events`), which read it twice.
_MY_EVENTS_SQL = """
CREATE OR REPLACE TEMP TABLE _my_events AS
SELECT CAST(least(p.person_id, $me) AS INTEGER) AS u,
       CAST(greatest(p.person_id, $me) AS INTEGER) AS v,
       i.occurred_at, i.kind, i.initiator_id, i.n_participants
FROM (SELECT interaction_id FROM interaction_participants WHERE person_id = $me) m
JOIN interactions i ON i.interaction_id = m.interaction_id
JOIN interaction_participants p ON p.interaction_id = m.interaction_id
WHERE p.person_id <> $me AND i.occurred_at < $bound AND i.n_participants <= $max_group
"""

# Features of each of my ties at checkpoints: the last contact of every month with contact.
# Strength peaks right after a contact, so the largest value over these is the tie's peak. The
# features at a checkpoint are those of every event up to and including its time (events at the
# same time count), and for weighted_12m every one later than 365 days before it:
# - the counts, the first contact and the kinds: each event is counted once, at the first
#   checkpoint at or after it (an ASOF join), and the counts run over the checkpoints;
# - the two sums (weighted_contacts, weighted_12m) keep their window over every event (RANGE,
#   so events at the same time count), so each adds the same terms in the same order as ever.
# It reads my pair events (_my_events, see _MY_EVENTS_SQL).
_CHECKPOINT_SQL = f"""
WITH {_CLOSENESS},
{_INTRO_EVENTS.replace("{intros_in_scope}", "WHERE e.u = $me OR e.v = $me")},
marks AS (
    SELECT u, v, max(occurred_at) AS "at"
    FROM _my_events WHERE kind <> 'connected'
    GROUP BY u, v, date_trunc('month', occurred_at)
),
sums AS (
    SELECT e.u, e.v, e.occurred_at AS "at",
           CAST(sum({_WEIGHT}) OVER upto AS DOUBLE) AS weighted_contacts,
           coalesce(CAST(sum({_WEIGHT}) FILTER (WHERE e.kind <> 'connected') OVER year
                         AS DOUBLE), 0) AS weighted_12m
    FROM _my_events e
    WINDOW upto AS (PARTITION BY e.u, e.v ORDER BY e.occurred_at
                    RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
           year AS (PARTITION BY e.u, e.v ORDER BY e.occurred_at
                    RANGE BETWEEN INTERVAL '364 days 23:59:59.999999' PRECEDING AND CURRENT ROW)
),
sums_at AS (
    SELECT s.u, s.v, s."at", any_value(s.weighted_contacts) AS weighted_contacts,
           any_value(s.weighted_12m) AS weighted_12m
    FROM sums s SEMI JOIN marks m ON m.u = s.u AND m.v = s.v AND m."at" = s."at"
    GROUP BY s.u, s.v, s."at"
),
steps AS (
    SELECT m.u, m.v, m."at", count(*) AS n, count(*) FILTER (WHERE e.n_participants = 2) AS n11,
           count(*) FILTER (WHERE e.initiator_id = e.u) AS nu,
           count(*) FILTER (WHERE e.initiator_id = e.v) AS nv,
           min(e.occurred_at) FILTER (WHERE e.kind <> 'connected') AS first_at,
           bit_or(1::INTEGER << (list_position({{kinds}}, e.kind) - 1)) AS mask
    FROM _my_events e ASOF JOIN marks m ON e.u = m.u AND e.v = m.v AND e.occurred_at <= m."at"
    GROUP BY m.u, m.v, m."at"
),
contact AS (
    SELECT s.u, s.v, s."at",
           CAST(sum(s.n) OVER w AS BIGINT) AS n_interactions,
           CAST(sum(s.n11) OVER w AS BIGINT) AS n_one_to_one,
           a.weighted_contacts, a.weighted_12m,
           CAST(sum(s.nu) OVER w AS BIGINT) AS n_from_u,
           CAST(sum(s.nv) OVER w AS BIGINT) AS n_from_v,
           min(s.first_at) OVER w AS first_contact, s."at" AS last_contact,
           bit_or(s.mask) OVER w AS kind_mask
    FROM steps s JOIN sums_at a ON a.u = s.u AND a.v = s.v AND a."at" = s."at"
    WINDOW w AS (PARTITION BY s.u, s.v ORDER BY s."at" ROWS UNBOUNDED PRECEDING)
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
    return _with_kinds(_PAIRS_SQL.replace("{events}", _events(scoped=scoped))
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
    import numpy as np  # a dict of arrays: DuckDB reads it as a table, with no pandas loaded

    ids = {"person_id": np.array(sorted({int(p) for p in people if p is not None}),
                                 dtype=np.int32)}
    with store.registered("_tie_scope", ids):
        yield True


def with_days(frame: pd.DataFrame, at: pd.Series | datetime) -> pd.DataFrame:
    """Add recency_days and duration_days: whole days from the contact's day to ``at``'s day."""
    import pandas as pd

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
    import pandas as pd

    scope = None if person is None and people is None else [
        *([] if person is None else [person]), *(people or [])]
    with tie_scope(store, scope) as scoped:
        frame = store.con.execute(pairs_sql(scoped=scoped), params(store, as_of)).df()
    return with_days(frame, pd.Timestamp(as_of_date(as_of)))


def _used(sql: str, values: dict) -> dict:
    """The entries of ``values`` that ``sql`` names as ``$name`` (DuckDB refuses any other)."""
    return {k: v for k, v in values.items() if re.search(rf"\${k}\b", sql)}


@contextlib.contextmanager
def my_events(store: Store, as_of: AsOf = None) -> Iterator[str]:
    """My pair events as of ``as_of``, as the temporary table ``_my_events`` for the block.

    One row per interaction I took part in and other person in it (``u < v``, one of them me;
    ``occurred_at``, ``kind``, ``initiator_id``, ``n_participants``), read once from the two
    large tables, for the questions about my ties that read them more than once
    (:func:`checkpoint_features` and the gaps between contacts). Yields the table's name.
    """
    store.con.execute(_MY_EVENTS_SQL, _used(_MY_EVENTS_SQL, params(store, as_of)))
    try:
        yield "_my_events"
    finally:
        store.con.execute("DROP TABLE IF EXISTS _my_events")


def checkpoint_features(store: Store, as_of: AsOf = None, *,
                        within_events: bool = False) -> pd.DataFrame:
    """Features of each of my ties just after the last contact of every month (for peaks).

    ``within_events``: called inside a :func:`my_events` block for the same day, whose table it
    reads (otherwise it builds one for the call).
    """
    if not within_events:
        with my_events(store, as_of):
            return checkpoint_features(store, as_of, within_events=True)
    sql = _with_kinds(_CHECKPOINT_SQL)
    frame = store.con.execute(sql, _used(sql, params(store, as_of))).df()
    return with_days(frame, frame["at"])


# Each of my ties at its strongest over the checkpoints: the model in SQL, as of each
# checkpoint's day (the latest checkpoint wins among equals).
_PEAKS_SQL = f"""
SELECT CASE WHEN u = $me THEN v ELSE u END AS other, max(s) AS peak_strength,
       arg_max("at", (s, "at")) AS peak_at
FROM (SELECT u, v, "at", {strength_sql('CAST("at" AS DATE)')} AS s FROM ({{checkpoints}}))
GROUP BY 1 ORDER BY 1
"""


def my_peaks(store: Store, as_of: AsOf = None, *, within_events: bool = False) -> list[tuple]:
    """Each of my ties at its peak: ``(other, peak_strength, peak_at)``, by the other's id.

    The strength of :func:`checkpoint_features`' rows (as of each checkpoint's day), at its
    largest, computed in the store: plain Python values, and no frame built.
    ``within_events``: as for :func:`checkpoint_features`.
    """
    if not within_events:
        with my_events(store, as_of):
            return my_peaks(store, as_of, within_events=True)
    sql = _PEAKS_SQL.replace("{checkpoints}", _with_kinds(_CHECKPOINT_SQL))
    return store.con.execute(sql, _used(sql, params(store, as_of))).fetchall()
