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

When only settings changed (``init``: no interaction, introduction, merge or contact), nothing
is recomputed: a new "me" only moves the declared closeness, so only the closeness and strength
of the old and the new "me"'s ties are updated in place.

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
from typing import TYPE_CHECKING, NamedTuple

from netgraph._progress import task
from netgraph.store.database import Store
from netgraph.ties.features import FEATURE_COLUMNS, pair_features, pairs_sql, params, tie_scope
from netgraph.ties.model import AsOf, as_of_bound, as_of_date, days_since_sql, strength, strength_sql

if TYPE_CHECKING:  # the readers load numpy and pandas when they read
    import numpy as np
    import pandas as pd

__all__ = ["FRAME_COLUMNS", "FULL_ABOVE", "TIE_COLUMNS", "TieState", "is_current", "people_within",
           "refresh", "save_state", "state", "tie_columns", "tie_frame", "tie_lists"]

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


def save_state(store: Store, st: TieState) -> None:
    """Record the tie table as current for ``st``: what :func:`state` reads back.

    Written by :func:`refresh` after each build, and by a table loaded whole from elsewhere
    (``netgraph attach``).
    """
    for key, value in (("ties_version", st.version), ("ties_day", st.day.isoformat()),
                       ("ties_me", st.me)):
        store.con.execute("INSERT OR REPLACE INTO netgraph_meta VALUES (?, ?)", [key, str(value)])


def _scope(store: Store, old: TieState, new: TieState) -> set[int]:
    """The people whose ties changed between ``old`` and ``new``.

    Empty when only settings changed since (``init``: no interaction, introduction, merge or
    declared closeness), on the same day.
    """
    con = store.con
    people = {r[0] for r in con.execute(_CHANGED, {"since": old.version}).fetchall()}
    if old.day == new.day and not people and not store.scalar(
            "SELECT count(*) FROM import_batches WHERE batch_id > ? AND kind <> 'settings'",
            [old.version]):
        return set()
    people |= {m for m in (old.me, new.me) if m >= 0}
    if old.day != new.day:
        shift = {"old": as_of_bound(old.day), "new": as_of_bound(new.day)}
        people |= {r[0] for r in con.execute(_DAY_SHIFT, shift).fetchall()}
    people.discard(None)
    return people


# A new "me": the closeness the user declared for a contact weighs only on my ties with them.
_MINE = " WHERE u IN ($old, $me) OR v IN ($old, $me)"
_MOVE_CLOSENESS = """
UPDATE ties SET closeness = CASE WHEN u = $me THEN (SELECT closeness FROM people WHERE person_id = v)
                                 WHEN v = $me THEN (SELECT closeness FROM people WHERE person_id = u)
                            END""" + _MINE


def _move_me(store: Store, old: TieState, new: TieState) -> None:
    """Bring the ties of the old and the new "me" to the new one: their closeness and strength."""
    if old.me != new.me:
        store.con.execute(_MOVE_CLOSENESS, {"old": old.me, "me": new.me})
        store.con.execute(_RESTRENGTH + _MINE, {"old": old.me, "me": new.me, "day": new.day})


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
        if not people:  # only settings changed: at most who "me" is
            _move_me(store, old, new)
            save_state(store, new)
            return "patched"
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
    save_state(store, new)
    log.info("Ties %s (%s people in the change)", how,
             "everyone" if people is None else f"{len(people):,}")
    return how


_DAYS = (f"{days_since_sql('last_contact')} AS recency_days, "
         f"{days_since_sql('first_contact')} AS duration_days")


def _read_table(store: Store, day: date) -> bool:
    """Whether ties as of ``day`` can be read from the table, bringing it to today if it may."""
    if is_current(store, day):
        return True
    if not store.read_only and day == date.today():
        with store.transaction():
            refresh(store)
        return True
    return False


_SCOPE_VIEW = "SELECT person_id FROM _tie_scope"
_SCOPE_LIST = "SELECT unnest($scope::INTEGER[])"


def _table_query(day: date, *, scoped: bool, among: bool, min_strength: float | None,
                 columns: Iterable[str] | None, ordered: bool,
                 scope: str = _SCOPE_VIEW) -> tuple[str, dict]:
    """The query on the tie table for :func:`tie_frame` and :func:`tie_columns`, and its values.

    ``scoped``: only the ties touching the people of ``scope`` (with ``among``, both ends), by
    default the view ``_tie_scope``. Ties touching one of them are read as two disjoint parts,
    those whose ``u`` is one of them and those where only ``v`` is: two semi-joins cost a
    fraction of one scan testing either end.
    """
    floor = " AND strength >= $floor" if min_strength is not None else ""
    if not scoped:
        ties = f"SELECT * FROM ties WHERE true{floor}"
    elif among:
        ties = f"SELECT * FROM ties WHERE u IN ({scope}) AND v IN ({scope}){floor}"
    else:
        ties = (f"SELECT * FROM ties WHERE u IN ({scope}){floor} UNION ALL "
                f"SELECT * FROM ties WHERE v IN ({scope}) AND u NOT IN ({scope}){floor}")
    wanted = list(FRAME_COLUMNS if columns is None else columns)
    sql = (f"SELECT {', '.join(wanted)} FROM (SELECT *, {_DAYS} FROM ({ties}))"
           + (" ORDER BY u, v" if ordered else ""))
    return sql, {"day": day, **({"floor": min_strength} if min_strength is not None else {})}


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
    import numpy as np

    day = as_of_date(as_of)
    if _read_table(store, day):
        sql, values = _table_query(day, scoped=people is not None, among=among,
                                   min_strength=min_strength, columns=columns, ordered=ordered)
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


def tie_columns(store: Store, as_of: AsOf = None, *, people: Iterable[int] | None = None,
                among: bool = False, min_strength: float | None = None,
                columns: Iterable[str] = ("u", "v"), ordered: bool = False) -> dict[str, np.ndarray]:
    """The ties :func:`tie_frame` reads, as one numpy array per column, and no frame built.

    Read from the table when it is current, with numpy alone (pandas is not loaded); otherwise
    the columns of :func:`tie_frame`. For the numeric columns (``u``, ``v``, ``strength``,
    ``distance`` and the counts), which hold no missing value: a date or a feature that may be
    missing comes back as a masked array from the table.

    Parameters
    ----------
    store, as_of, people, among, min_strength, ordered
        As for :func:`tie_frame` (``ordered`` is False by default here).
    columns : iterable of str
        The columns to read (default: ``u`` and ``v``).

    Returns
    -------
    dict of str to numpy.ndarray
        Each column by name, one entry per tie, in the same order.
    """
    columns = tuple(columns)
    day = as_of_date(as_of)
    if not _read_table(store, day):
        frame = tie_frame(store, day, people=people, among=among, min_strength=min_strength,
                          columns=columns, ordered=ordered)
        return {c: frame[c].to_numpy() for c in columns}
    sql, values = _table_query(day, scoped=people is not None, among=among,
                               min_strength=min_strength, columns=columns, ordered=ordered)
    with tie_scope(store, people):
        return store.con.execute(sql, values).fetchnumpy()


def tie_lists(store: Store, as_of: AsOf = None, *, people: Iterable[int], among: bool = False,
              min_strength: float | None = None, columns: Iterable[str] = ("u", "v"),
              ordered: bool = False) -> dict[str, list | np.ndarray]:
    """The ties of a few people, as :func:`tie_columns` reads them, but as Python lists.

    For a small part of the network (a warm path's reach): the people travel as a query
    parameter and the rows come back as Python values, so neither numpy nor pandas loads. Dates
    are ``datetime`` (a DATE at midnight) or None. Computed for a past day, the columns are those
    of :func:`tie_columns` (numpy arrays).
    """
    columns = tuple(columns)
    day = as_of_date(as_of)
    scope = sorted({int(p) for p in people})
    if not _read_table(store, day):
        return tie_columns(store, day, people=scope, among=among, min_strength=min_strength,
                           columns=columns, ordered=ordered)
    sql, values = _table_query(day, scoped=True, among=among, min_strength=min_strength,
                               columns=columns, ordered=ordered, scope=_SCOPE_LIST)
    rows = store.con.execute(sql, {**values, "scope": scope}).fetchall()
    if not rows:
        return {c: [] for c in columns}
    return {c: list(col) for c, col in zip(columns, zip(*rows, strict=True), strict=True)}


def _ball_query(hops: int, floor: bool) -> str:
    """People within ``hops`` ties of ``$centres`` in the tie table (ties at least ``$floor``)."""
    ties = "warm" if floor else "ties"
    steps = ["warm AS MATERIALIZED (SELECT u, v FROM ties WHERE strength >= $floor)"] if floor \
        else []
    steps.append("b0 AS MATERIALIZED (SELECT DISTINCT unnest($centres::INTEGER[]) AS p)")
    for k in range(1, hops + 1):  # each step read three times: materialised, not inlined
        prev = f"SELECT p FROM b{k - 1}"
        steps.append(f"b{k} AS MATERIALIZED ({prev} UNION SELECT v FROM {ties} WHERE u IN ({prev}) "
                     f"UNION SELECT u FROM {ties} WHERE v IN ({prev}))")
    return "WITH " + ",\n".join(steps) + f"\nSELECT p FROM b{hops}"


def people_within(store: Store, centres: Iterable[int], *, hops: int, as_of: AsOf = None,
                  min_strength: float | None = None) -> set[int]:
    """The people within ``hops`` ties of any of ``centres`` (ties at least ``min_strength``).

    ``centres`` count, tied or not. From the table in one query (each hop adds the neighbours of
    everyone reached so far); for a past day, hop by hop over the ties computed for it.
    """
    reached = {int(c) for c in centres}
    if hops <= 0 or not reached:
        return reached
    day = as_of_date(as_of)
    if _read_table(store, day):
        values = {"centres": sorted(reached),
                  **({"floor": min_strength} if min_strength is not None else {})}
        rows = store.con.execute(_ball_query(hops, min_strength is not None), values).fetchall()
        return reached | {int(r[0]) for r in rows}
    frontier = set(reached)
    for _ in range(hops):
        if not frontier:
            break
        ties = tie_columns(store, day, people=frontier, min_strength=min_strength)
        found = set(ties["u"].tolist()) | set(ties["v"].tolist())
        frontier = found - reached
        reached |= found
    return reached
