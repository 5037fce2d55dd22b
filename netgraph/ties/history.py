"""The history of my relationships, read from the store for the analyses that need "me".

:func:`my_history` gathers, in a few SQL queries, everything the neglect, dormant-tie and
ledger analyses read: each of my ties now and at its peak, the gaps between contacts, open
follow-ups and the introductions between us. The analyses themselves are pure functions of
these tables (:mod:`netgraph.analytics.neglect`, :mod:`netgraph.analytics.ledger`); the
tables travel in :class:`~netgraph.ties.model.MyHistory`, which lives on the pure side, as
plain Python values (:class:`~netgraph.rows.Rows`): a question about my ties loads no pandas.
My events are read from the two large tables once (:func:`~netgraph.ties.features.my_events`)
for both the peaks (computed in the store, :func:`~netgraph.ties.features.my_peaks`) and the
gaps.
"""

from __future__ import annotations

from datetime import date, datetime

from netgraph._errors import NotConfiguredError
from netgraph.rows import Rows
from netgraph.store import cache, queries
from netgraph.store.database import Store
from netgraph.store.values import plain
from netgraph.ties.features import my_events, my_peaks
from netgraph.ties.model import AsOf, MyHistory, as_of_bound, as_of_date
from netgraph.ties.table import tie_lists

__all__ = ["KEPT", "keep_history", "my_history", "require_me"]


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
FROM gaps GROUP BY other ORDER BY other
"""

_INTROS_SQL = """
SELECT occurred_on, introducer_id, a_id, b_id, status, value, note, inferred
FROM introductions
WHERE occurred_on < $bound_day AND (introducer_id = $me OR a_id = $me OR b_id = $me)
ORDER BY occurred_on, introducer_id, a_id, b_id
"""


_PEOPLE_SQL = ("SELECT person_id, name, company, city, cadence_days, category FROM people "
               "{where} ORDER BY person_id")
_NAMED = "WHERE person_id IN (SELECT unnest($ids::INTEGER[]))"


def _rows(store: Store, sql: str, values: dict | None = None) -> Rows:
    """The result of ``sql`` as :class:`~netgraph.rows.Rows`."""
    result = store.con.execute(sql, values)
    return Rows(tuple(d[0] for d in result.description), result.fetchall())


#: The names under which the peaks of my ties and the gaps between contacts are kept in the store,
#: once per data version, day and "me" (:func:`netgraph.store.cache.kept_tables`): at 100k people
#: they take more than half a second to read from the interactions, and change only with the data.
KEPT = ("my_peaks", "my_gaps")


def _peaks_and_gaps(store: Store, day: date, me: int) -> tuple[Rows, Rows]:
    """Each of my ties at its peak, and the gaps between contacts, from one read of my events.

    The peaks' times are ISO text, as they are kept (:data:`KEPT`); :func:`_read_peaks` reads them.
    """
    with my_events(store, day):
        peaks = Rows(("other", "peak_strength", "peak_at"), [
            (other, peak, None if at is None else at.isoformat())
            for other, peak, at in my_peaks(store, day, within_events=True)])
        gaps = _rows(store, _GAPS_SQL, {"me": me})
    return peaks, gaps


def keep_history(store: Store, as_of: AsOf = None) -> list[str]:
    """Compute and keep the peaks and gaps of my ties (:data:`KEPT`) unless they are kept already.

    Returns the names computed: none without "me" (or with the placeholder "me" an import made).
    """
    me = store.me_id
    if me is None or store.get_setting("me_placeholder"):
        return []
    day = as_of_date(as_of)
    if all(cache.has(store, name, day.isoformat()) for name in KEPT):
        return []
    cache.kept_tables(store, KEPT, day.isoformat(), lambda: _peaks_and_gaps(store, day, me),
                      what="Preparing the history of your ties")
    return list(KEPT)


def _read_peaks(peaks: Rows) -> Rows:
    """The peaks with their times as datetimes again."""
    return Rows(peaks.columns, [(other, peak, None if at is None else datetime.fromisoformat(at))
                                for other, peak, at in peaks.rows])


def _unkept(states: Rows) -> Rows:
    """The follow-ups and promises not kept yet (open, or broken): other, due_on, note, owner, state."""
    rows = [(r["person_id"], r["due_on"], r["note"], r["owner"], r["state"])
            for r in states.records() if r["state"] in ("open", "broken")]
    rows.sort(key=lambda r: (r[1], r[0], r[2] is None, r[2] or ""))  # by due day, person, note
    return Rows(("other", "due_on", "note", "owner", "state"), rows)


def my_history(store: Store, as_of: AsOf = None, *, contacts: bool = True,
               everyone: bool = True) -> MyHistory:
    """Read the tables :mod:`netgraph.analytics` needs about my ties (I/O stays here).

    Plain Python values throughout (:class:`~netgraph.rows.Rows`), so no pandas loads.
    ``contacts=False`` leaves out my ties, their peaks and the gaps between contacts (empty
    tables), for the analyses that read only introductions and people (the ledger).
    ``everyone=False`` reads only the people the neglect, dormant-tie and ledger analyses
    name: my contacts, those with a follow-up, and everyone in an introduction with me (their
    answers are the same; the people table is not everyone).
    """
    me = require_me(store)
    day = as_of_date(as_of)
    bound = as_of_bound(day)
    ties = Rows(("other", "strength", "last_contact", "recency_days"), [])
    peaks = Rows(("other", "peak_strength", "peak_at"), [])
    gaps = Rows(("other", "n_contact_days", "median_gap_days"), [])
    if contacts:
        now = tie_lists(store, day, people=[me],
                        columns=("u", "v", "strength", "last_contact", "recency_days"))
        ties = Rows(ties.columns, [
            (int(v if u == me else u), plain(s), plain(last), plain(days))
            for u, v, s, last, days in zip(now["u"], now["v"], now["strength"],
                                           now["last_contact"], now["recency_days"], strict=True)])
        ties.rows.sort()
        kept = cache.kept_tables(store, KEPT, day.isoformat(), lambda: _peaks_and_gaps(store, day, me),
                                 what="Reading the history of your ties")
        peaks, gaps = _read_peaks(kept[0]), kept[1]
    followups = _unkept(queries.follow_up_states(store, me, day, bound))
    intros = _rows(store, _INTROS_SQL, {"me": me, "bound_day": bound.date()})
    if everyone:
        people = _rows(store, _PEOPLE_SQL.format(where=""))
    else:
        named = {*ties.column("other"), *followups.column("other"),
                 *intros.column("introducer_id"), *intros.column("a_id"), *intros.column("b_id")}
        people = _rows(store, _PEOPLE_SQL.format(where=_NAMED),
                       {"ids": sorted(int(p) for p in named if p is not None)})
    return MyHistory(me, day, ties, peaks, gaps, people, followups, intros)
