"""Ties: per-pair features from the store (DuckDB SQL), and the strength of each tie.

A tie joins two people who took part in the same interaction, or who were linked by an
introduction: the introducer with both sides, and the two sides with each other once the
introduction was made. Interactions with more than :data:`MAX_GROUP_SIZE` participants are left
out of the pairs: an all-hands or a conference says little about any one tie, and would add
a quadratic number of pairs.

The strength here is a placeholder in (0, 1] that grows with weighted contact; the tie-strength
model (issue "tie strength") replaces it. Paths and betweenness read ``distance = -ln(strength)``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from netgraph.store import Store

__all__ = ["MAX_GROUP_SIZE", "as_of_bound", "as_of_date", "pair_features", "placeholder_strength"]

MAX_GROUP_SIZE = 50

_PAIRS_SQL = """
WITH p AS (
    SELECT ip.interaction_id, ip.person_id, i.occurred_at, i.kind, i.initiator_id,
           i.n_participants
    FROM interaction_participants ip
    JOIN interactions i USING (interaction_id)
    WHERE i.occurred_at < ? AND i.n_participants <= ?
),
contact AS (
    SELECT a.person_id AS u, b.person_id AS v,
           count(*) AS n_interactions,
           count(*) FILTER (WHERE a.n_participants = 2) AS n_one_to_one,
           sum(1.0 / (a.n_participants - 1)) AS weighted_contacts,
           count(*) FILTER (WHERE a.initiator_id = a.person_id) AS n_from_u,
           count(*) FILTER (WHERE a.initiator_id = b.person_id) AS n_from_v,
           min(a.occurred_at) AS first_contact,
           max(a.occurred_at) AS last_contact,
           string_agg(DISTINCT a.kind, ';' ORDER BY a.kind) AS kinds
    FROM p a
    JOIN p b ON a.interaction_id = b.interaction_id AND a.person_id < b.person_id
    GROUP BY a.person_id, b.person_id
),
intro_links AS (
    SELECT least(introducer_id, a_id) AS u, greatest(introducer_id, a_id) AS v, status, occurred_on
    FROM introductions WHERE occurred_on < ?
    UNION ALL
    SELECT least(introducer_id, b_id), greatest(introducer_id, b_id), status, occurred_on
    FROM introductions WHERE occurred_on < ?
    UNION ALL
    SELECT least(a_id, b_id), greatest(a_id, b_id), status, occurred_on
    FROM introductions WHERE occurred_on < ? AND status IN ('made', 'converted')
),
intros AS (
    SELECT u, v, count(*) AS n_intros,
           count(*) FILTER (WHERE status = 'converted') AS n_converted,
           min(occurred_on) AS first_intro, max(occurred_on) AS last_intro
    FROM intro_links GROUP BY u, v
)
SELECT coalesce(c.u, i.u) AS u, coalesce(c.v, i.v) AS v,
       coalesce(c.n_interactions, 0) AS n_interactions,
       coalesce(c.n_one_to_one, 0) AS n_one_to_one,
       coalesce(c.weighted_contacts, 0.0) AS weighted_contacts,
       coalesce(c.n_from_u, 0) AS n_from_u,
       coalesce(c.n_from_v, 0) AS n_from_v,
       c.first_contact, c.last_contact,
       coalesce(c.kinds, '') AS kinds,
       coalesce(i.n_intros, 0) AS n_intros,
       coalesce(i.n_converted, 0) AS n_converted,
       i.first_intro, i.last_intro
FROM contact c
FULL OUTER JOIN intros i ON c.u = i.u AND c.v = i.v
ORDER BY u, v
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


def pair_features(store: Store, as_of: date | datetime | str | None = None) -> pd.DataFrame:
    """One row per tie (``u < v``) with contact counts, dates, channels and introductions.

    Only what happened on or before ``as_of`` (default: today) counts.
    """
    bound = as_of_bound(as_of)
    return store.con.execute(
        _PAIRS_SQL, [bound, MAX_GROUP_SIZE, bound.date(), bound.date(), bound.date()]
    ).df()


def placeholder_strength(pairs: pd.DataFrame) -> np.ndarray:
    """A provisional strength in (0, 1]: saturating in weighted contacts and introductions."""
    volume = pairs["weighted_contacts"].to_numpy(float) + 2.0 * pairs["n_intros"].to_numpy(float)
    return np.clip(1.0 - np.exp(-volume / 4.0), 0.01, 1.0)
