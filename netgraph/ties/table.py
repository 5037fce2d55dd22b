"""The materialised tie table: computed once per change, read by every question.

Every tie's features (:mod:`netgraph.ties.features`) and strength (:mod:`netgraph.ties.model`)
live in the store's ``ties`` table, as of one day. Every writer (import, merge, unmerge,
``init``, settings) calls :func:`refresh` inside its own transaction, so the table is current
whenever the data is. :func:`refresh` works incrementally where it can: the ties that a change
can touch are exactly those of the people in it, so only their ties are recomputed:

- the people of every interaction and introduction of the batches since the table was built,
  and both sides of every merge made or undone by them;
- "me" (the closeness the user declared, from a contacts file, weighs on my ties) and, when
  "me" changed, the one before;
- when the day changed, the people of the interactions that crossed a day boundary since
  (dated after the old day, or leaving the 12-month intensity window); and then every tie's
  strength, which decays with the days since the last contact.

When the change touches more than :data:`FULL_ABOVE` of everyone, or the table was never built,
the table is rebuilt from scratch in one statement. netgraph_meta records the data version,
day and "me" the table is current for; :func:`tie_frame` reads the table only while all three
hold, and otherwise computes the ties it needs from the interactions (a past ``as_of``, or a
read-only store that is out of date), which gives the same values.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

import numpy as np
import pandas as pd

from netgraph._progress import task
from netgraph.store.database import Store
from netgraph.ties.features import FEATURE_COLUMNS, pair_features, pairs_sql, params, tie_scope
from netgraph.ties.model import AsOf, as_of_bound, as_of_date, days_since_sql, strength, strength_sql

__all__ = ["FRAME_COLUMNS", "FULL_ABOVE", "TIE_COLUMNS", "TieState", "is_current", "refresh", "state",
           "tie_frame"]

log = logging.getLogger(__name__)

#: Above this share of everyone in the change, the table is rebuilt rather than patched.
FULL_ABOVE = 0.25
#: The columns of the table, in order.
TIE_COLUMNS = (*FEATURE_COLUMNS, "strength", "distance")
#: What :func:`tie_frame` returns: the table's columns and the day counts the model reads.
FRAME_COLUMNS = (*TIE_COLUMNS, "recency_days", "duration_days")

_STRENGTH = strength_sql("$day")
_INSERT = f"""
INSERT INTO ties
SELECT * EXCLUDE (s), s AS strength, -ln(s) AS distance
FROM (SELECT p.*, {_STRENGTH} AS s FROM ({{pairs}}) p)
"""
_RESTRENGTH = f"UPDATE ties SET strength = {_STRENGTH}, distance = -ln({_STRENGTH})"

# The people whose ties the batches after a version can have changed.
_CHANGED = """
SELECT p.person_id FROM interaction_participants p
JOIN interactions i USING (interaction_id) WHERE i.batch_id > $since
UNION SELECT introducer_id FROM introductions WHERE batch_id > $since
UNION SELECT a_id FROM introductions WHERE batch_id > $since
UNION SELECT b_id FROM introductions WHERE batch_id > $since
UNION SELECT kept_id FROM merges WHERE batch_id > $since OR undone_by > $since
UNION SELECT merged_id FROM merges WHERE batch_id > $since OR undone_by > $since
"""

# The people of the interactions and introductions whose effect changed from one day to the
# next: dated between the two days, or leaving the 12-month window (a day's margin each side).
_DAY_SHIFT = """
SELECT DISTINCT p.person_id FROM interaction_participants p
JOIN interactions i USING (interaction_id)
WHERE (i.occurred_at >= $old - INTERVAL 1 DAY AND i.occurred_at < $new + INTERVAL 1 DAY)
   OR (i.occurred_at >= $old - INTERVAL 366 DAY AND i.occurred_at < $new - INTERVAL 364 DAY)
UNION SELECT unnest([introducer_id, a_id, b_id]) FROM introductions
WHERE occurred_on >= CAST($old AS DATE) - 1 AND occurred_on < CAST($new AS DATE) + 1
"""


class TieState(NamedTuple):
    """What the tie table is current for: the data version, the day and "me" (-1 for none)."""

    version: int
    day: date
    me: int


def state(store: Store) -> TieState | None:
    """What the tie table was last built for, or None when it never was."""
    meta = dict(store.con.execute(
        "SELECT key, value FROM netgraph_meta WHERE key IN ('ties_version', 'ties_day', 'ties_me')"
    ).fetchall())
    if len(meta) < 3:
        return None
    return TieState(int(meta["ties_version"]), date.fromisoformat(meta["ties_day"]),
                    int(meta["ties_me"]))


def _wanted(store: Store, day: date | None = None) -> TieState:
    me = store.me_id
    return TieState(store.data_version(), day or date.today(), -1 if me is None else me)


def is_current(store: Store, as_of: AsOf = None) -> bool:
    """Whether the tie table holds the ties as of ``as_of`` (default today) for the current data."""
    return state(store) == _wanted(store, as_of_date(as_of))


def _save_state(store: Store, st: TieState) -> None:
    for key, value in (("ties_version", st.version), ("ties_day", st.day.isoformat()),
                       ("ties_me", st.me)):
        store.con.execute("INSERT OR REPLACE INTO netgraph_meta VALUES (?, ?)", [key, str(value)])


def _scope(store: Store, old: TieState, new: TieState) -> set[int]:
    """The people whose ties changed between ``old`` and ``new``."""
    con = store.con
    people = {r[0] for r in con.execute(_CHANGED, {"since": old.version}).fetchall()}
    people |= {m for m in (old.me, new.me) if m >= 0}
    if old.day != new.day:
        shift = {"old": as_of_bound(old.day), "new": as_of_bound(new.day)}
        people |= {r[0] for r in con.execute(_DAY_SHIFT, shift).fetchall()}
    people.discard(None)
    return people


def refresh(store: Store, *, full: bool = False, day: date | None = None) -> str:
    """Bring the tie table up to date with the store, as of today; call it inside a transaction.

    Parameters
    ----------
    store : Store
        A writable store.
    full : bool
        Rebuild the whole table even when a patch would do.
    day : date, optional
        Build it as of this day instead of today (the tests use it to age a table by a day).

    Returns
    -------
    str
        ``"current"`` (nothing to do), ``"patched"`` or ``"rebuilt"``.
    """
    old, new = state(store), _wanted(store, day)
    if old == new and not full:
        return "current"
    values = {**params(store, new.day), "day": new.day}
    people = None
    if not full and old is not None and old.day <= new.day and old.version <= new.version:
        people = _scope(store, old, new)
        everyone = store.scalar("SELECT count(*) FROM people") or 1
        if len(people) > FULL_ABOVE * everyone:
            people = None
    con = store.con
    if people is None:
        with task("Building the tie table from every interaction"):
            con.execute("DELETE FROM ties")
            con.execute(_INSERT.replace("{pairs}", pairs_sql(scoped=False, ordered=False)), values)
        how = "rebuilt"
    else:
        with tie_scope(store, people):
            con.execute("DELETE FROM ties WHERE u IN (SELECT person_id FROM _tie_scope) "
                        "OR v IN (SELECT person_id FROM _tie_scope)")
            con.execute(_INSERT.replace("{pairs}", pairs_sql(scoped=True, ordered=False)), values)
        if old.day != new.day:
            con.execute(_RESTRENGTH, {"day": new.day})
        how = "patched"
    _save_state(store, new)
    log.info("Ties %s (%s people in the change)", how,
             "everyone" if people is None else f"{len(people):,}")
    return how


_DAYS = (f"{days_since_sql('last_contact')} AS recency_days, "
         f"{days_since_sql('first_contact')} AS duration_days")


def tie_frame(store: Store, as_of: AsOf = None, *, people: Iterable[int] | None = None,
              among: bool = False, min_strength: float | None = None,
              columns: Iterable[str] | None = None, ordered: bool = True) -> pd.DataFrame:
    """Ties with their features and strength as of a day: read from the table when it is current.

    Parameters
    ----------
    store : Store
        The store to read.
    as_of : date, datetime, str or None
        The day (default: today). A past day is computed from the interactions.
    people : iterable of int, optional
        Only the ties touching one of these people (with ``among``, between two of them).
    among : bool
        With ``people``: only the ties whose both ends are among them.
    min_strength : float, optional
        Only the ties at least this strong.
    columns : iterable of str, optional
        Only these columns (default: all of :data:`FRAME_COLUMNS`).
    ordered : bool
        Sort by ``u, v`` (the default); unsorted is faster for whole-table reads.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`FRAME_COLUMNS`, one row per tie (``u < v``), ordered by ``u, v``.
    """
    day = as_of_date(as_of)
    current = is_current(store, day)
    if not current and not store.read_only and day == date.today():
        with store.transaction():
            refresh(store)
        current = True
    if current:
        where = []
        if people is not None:
            join = "AND" if among else "OR"
            where.append(f"(u IN (SELECT person_id FROM _tie_scope) {join} "
                         "v IN (SELECT person_id FROM _tie_scope))")
        if min_strength is not None:
            where.append("strength >= $floor")
        wanted = list(FRAME_COLUMNS if columns is None else columns)
        sql = (f"SELECT {', '.join(wanted)} FROM (SELECT *, {_DAYS} FROM ties)"
               + (f" WHERE {' AND '.join(where)}" if where else "")
               + (" ORDER BY u, v" if ordered else ""))
        values = {"day": day, **({"floor": min_strength} if min_strength is not None else {})}
        with tie_scope(store, people):
            frame = store.con.execute(sql, values).df()
        days = {c: float for c in ("recency_days", "duration_days") if c in frame}
        return frame.astype(days)
    log.info("Ties computed from the interactions (as of %s; the tie table is not for that day)", day)
    scope = None if people is None else list(people)
    frame = pair_features(store, day, people=scope)
    if among and scope is not None:
        inside = set(scope)
        frame = frame[frame["u"].isin(inside) & frame["v"].isin(inside)]
    s = strength(frame)
    frame = frame.assign(strength=s, distance=-np.log(s))
    if min_strength is not None:
        frame = frame[frame["strength"] >= min_strength]
    return frame[list(FRAME_COLUMNS if columns is None else columns)].reset_index(drop=True)
