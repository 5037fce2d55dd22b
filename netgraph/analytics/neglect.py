"""Neglected relationships, dormant ties, and the give-and-take ledger.

Every relationship has its own rhythm. A tie is neglected when it is overdue against *its
own* cadence, not a global number: the contact's ``cadence_days`` where the user set one; else
the median gap between past contacts (with at least three contact days); else a tier from the
tie's peak strength after Dunbar's layers (inner circle about weekly, close about monthly,
active about quarterly, wider about yearly; Dunbar 1998, Hill & Dunbar 2003). The clock
restarts on the event date of the last contact.

Plain Python in and out: the tables of :class:`~netgraph.ties.model.MyHistory` (a few hundred
rows, one per tie of mine) become a :class:`~netgraph.rows.Rows`, so the ``neglected`` command
loads no pandas; the API hands out DataFrames.

Dormant ties, strong once and silent for more than a year, are worth reviving: Levin, Walter &
Murnighan (2011) found that reconnecting with them gave more novel and more useful knowledge
than current ties, with the trust still in place.

References
----------
Hill, R. A., & Dunbar, R. I. M. (2003). Social network size in humans. *Human Nature*, 14(1),
53-72. https://doi.org/10.1007/s12110-003-1016-y

Levin, D. Z., Walter, J., & Murnighan, J. K. (2011). Dormant ties: The value of reconnecting.
*Organization Science*, 22(4), 923-939. https://doi.org/10.1287/orsc.1100.0576
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from netgraph.analytics.ledger import give_and_take
from netgraph.rows import Rows
from netgraph.ties.model import MyHistory

__all__ = ["COLUMNS", "DORMANT_COLUMNS", "TIERS", "cadence", "dormant", "ledger", "neglected"]

#: (minimum peak strength, cadence in days, tier name): Dunbar's layers as contact rhythms.
TIERS = (
    (0.95, 7, "inner circle"),
    (0.80, 30, "close"),
    (0.50, 90, "active"),
    (0.00, 365, "wider"),
)
#: A tie needs this many distinct contact days before its own rhythm is trusted.
MIN_CONTACT_DAYS_FOR_RHYTHM = 3
#: Dormant: at least this strong at its peak, and silent for more than DORMANT_DAYS.
DORMANT_MIN_PEAK = 0.8
DORMANT_DAYS = 365
#: An unkept promise past its due date adds this much urgency (before the value weight).
FOLLOWUP_WEIGHT = 1.0

#: The columns of :func:`neglected`.
COLUMNS = [
    "person_id", "name", "company", "last_contact", "cadence_days", "cadence_source",
    "days_silent", "days_overdue", "strength", "peak_strength", "priority", "follow_up",
    "follow_up_due", "reason",
]
#: The columns of :func:`dormant`.
DORMANT_COLUMNS = ["person_id", "name", "company", "last_contact", "days_silent", "strength",
                   "peak_strength", "peak_at", "reason"]
#: Whole numbers that may be missing: nullable integers in a DataFrame.
DTYPES = {"cadence_days": "Int64", "days_silent": "Int64"}


def _tier(peak: float) -> tuple[int, str]:
    for floor, days, name in TIERS:
        if peak >= floor:
            return days, name
    return TIERS[-1][1], TIERS[-1][2]  # pragma: no cover - the last floor is 0


def cadence(own_days: float | None, median_gap: float | None, n_contact_days: int,
            peak_strength: float) -> tuple[int, str, str]:
    """(cadence in days, source, phrase) for one tie, in the documented order of preference.

    >>> cadence(14, None, 0, 0.2)
    (14, 'own', 'you asked for every 2 weeks')
    >>> cadence(None, 20.0, 5, 0.99)
    (20, 'rhythm', 'usually every 3 weeks')
    >>> cadence(None, None, 1, 0.85)
    (30, 'tier', 'a close tie (about every month)')
    """
    if not _missing(own_days) and own_days > 0:
        days = int(own_days)
        return days, "own", f"you asked for {_every(days)}"
    if not _missing(median_gap) and n_contact_days >= MIN_CONTACT_DAYS_FOR_RHYTHM:
        days = max(1, round(median_gap))
        return days, "rhythm", f"usually {_every(days)}"
    days, name = _tier(peak_strength)
    article = "an" if name[0] in "aeiou" else "a"
    return days, "tier", f"{article} {name} tie (about {_every(days)})"


def _span(days: float) -> str:
    """Days as people say them: '3 days', '1 week', '4 months', '1.5 years'."""
    days = float(days)
    if days < 14:
        n = max(1, round(days))
        return "1 week" if n == 7 else f"{n} day{'s' if n != 1 else ''}"
    if 28 <= days <= 31:
        return "1 month"
    if days < 60:
        return f"{round(days / 7)} weeks"
    if days < 350:
        n = round(days / 30.4)
        return f"{n} month{'s' if n != 1 else ''}"
    years = round(days / 365.25, 1)
    return "1 year" if years == 1.0 else f"{years:g} years"


def _every(days: float) -> str:
    """'every week', 'every 3 weeks', 'every month'."""
    span = _span(days)
    return "every " + (span[2:] if span.startswith("1 ") else span)


def _people(hist: MyHistory) -> dict[int, dict[str, Any]]:
    """Each person's row of ``hist.people``, by person id."""
    return {r["person_id"]: r for r in hist.people.records()}


def _names(people: dict[int, dict[str, Any]]) -> dict[int, str]:
    return {pid: r["name"] for pid, r in people.items()}


def _intro_phrases(hist: MyHistory, names: dict[int, str]) -> dict[int, str]:
    """For each person, the latest introduction between us, said in a few words.

    One pass over my introductions (oldest first): a later one replaces an earlier one; on the
    same day, the last one wins, except that one I received never replaces one I gave.
    """
    me = hist.me
    latest: dict[int, tuple] = {}
    for row in hist.intros.records():
        introducer, a, b, day = row["introducer_id"], row["a_id"], row["b_id"], row["occurred_on"]
        if introducer == me:
            pairs = [(a, b, True), (b, a, True)]
        elif me in (a, b):
            pairs = [(introducer, b if a == me else a, False)]
        else:
            continue
        for other, third, given in pairs:
            held = latest.get(other)
            if held is None or day > held[0] or (day == held[0] and (given or not held[2])):
                latest[other] = (day, third, given)
    out = {}
    for other, (day, third, given) in latest.items():
        when = day.strftime("%b %Y")
        who = names.get(third, "someone")
        out[other] = (f"you introduced them to {who} in {when}" if given
                      else f"they introduced you to {who} in {when}")
    return out


def _base(hist: MyHistory, people: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per person I have a tie with: strength now, peak, last contact, cadence."""
    peaks = {r["other"]: r for r in hist.peaks.records()}
    gaps = {r["other"]: r for r in hist.gaps.records()}
    rows = []
    for tie in hist.ties.records():
        other = tie["other"]
        peak, gap, person = peaks.get(other, {}), gaps.get(other, {}), people.get(other, {})
        peak_strength = _fmax(peak.get("peak_strength"), tie["strength"])
        n_days = gap.get("n_contact_days") or 0
        days, source, phrase = cadence(person.get("cadence_days"), gap.get("median_gap_days"),
                                       n_days, peak_strength)
        recency = tie["recency_days"]
        rows.append({
            **tie, "peak_strength": peak_strength, "peak_at": peak.get("peak_at"),
            "n_contact_days": int(n_days), "median_gap_days": gap.get("median_gap_days"),
            "name": person.get("name"), "company": person.get("company"),
            "cadence": days, "cadence_source": source, "cadence_phrase": phrase,
            "days_silent": None if _missing(recency) else math.floor(recency),
        })
    return rows


def _due_followups(hist: MyHistory, owner: str = "me") -> dict[int, tuple[str | None, date | None]]:
    """Each person's unkept follow-ups due by the day: the first note and due date (by due date).

    ``owner`` is who promised: ``me`` (my debts, which make a tie urgent) or ``them`` (promises
    made to me: shown, never my debt). A follow-up from a file is mine.
    """
    due: dict[int, list] = {}
    for f in hist.followups.records():
        if f["due_on"] is None or _day(f["due_on"]) > hist.as_of or f.get("owner", "me") != owner:
            continue
        held = due.setdefault(f["other"], [None, None])
        held[0] = held[0] if held[0] is not None else f["note"]
        held[1] = held[1] if held[1] is not None else f["due_on"]
    return {other: (note, day) for other, (note, day) in due.items()}


def neglected(hist: MyHistory) -> Rows:
    """My relationships that are overdue against their own cadence, most urgent first.

    ``priority = value * (log2(1 + days_overdue / cadence) + follow-up urgency)``, where value is
    the higher of the tie's strength now and at its peak. So of two people silent for 60 days, the
    one seen weekly ranks above the one seen yearly, and a strong tie above a trivial one. Open
    follow-ups past their due date are always listed, with their note.

    Returns
    -------
    Rows
        The columns :data:`COLUMNS` (``.to_frame()`` gives a DataFrame).
    """
    due = _due_followups(hist)
    people = _people(hist)
    rows = [r for r in _base(hist, people) if r["last_contact"] is not None]
    for r in rows:
        r["days_overdue"] = math.floor(max(r["recency_days"] - r["cadence"], 0))
    # people with an open, past-due follow-up but no contact yet still belong on the list
    listed = {r["other"] for r in rows}
    for other in sorted(set(due) - listed):
        person = people.get(other, {})
        rows.append({"other": other, "name": person.get("name"), "company": person.get("company"),
                     "strength": None, "peak_strength": None, "cadence": None,
                     "cadence_source": None, "cadence_phrase": None, "days_silent": None,
                     "days_overdue": 0, "last_contact": None, "recency_days": None})
    phrases = _intro_phrases(hist, _names(people))
    theirs = _due_followups(hist, "them")
    kept = []
    for r in rows:
        note, due_on = due.get(r["other"], (None, None))
        r["follow_up"], r["follow_up_due"] = note, due_on
        r["their_promise"] = theirs.get(r["other"])
        value = _fmax(_fmax(r["peak_strength"], 0.0), _fmax(r["strength"], 0.0))
        ratio = r["days_overdue"] / (365 if r["cadence"] is None else r["cadence"])
        urgency = 0.0
        if note is not None or due_on is not None:
            past_due = max((hist.as_of - _day(due_on)).days, 0) if due_on is not None else 0
            urgency = FOLLOWUP_WEIGHT * (1 + math.log2(1 + past_due / 30))
        r["priority"] = max(value, 0.05) * (math.log2(1 + ratio) + urgency)
        if r["days_overdue"] > 0 or urgency > 0:
            r["reason"] = _reason(r, phrases)
            kept.append(r)
    # most urgent first; equal priorities by peak strength (none last), then as listed
    kept.sort(key=lambda r: -(r["peak_strength"] if r["peak_strength"] is not None else -1.0))
    kept.sort(key=lambda r: -r["priority"])
    out = [{**r, "person_id": r["other"], "cadence_days": r["cadence"]} for r in kept]
    return Rows.of(COLUMNS, out, dtypes=DTYPES)


def _reason(row: dict[str, Any], phrases: dict[int, str]) -> str:
    parts = []
    if row["cadence_phrase"] is not None:
        parts.append(row["cadence_phrase"])
    if row["days_silent"] is not None:
        parts.append(f"silent for {_span(row['days_silent'])}")
    else:
        parts.append("no contact yet")
    if row["follow_up"] is not None or row["follow_up_due"] is not None:
        due = _day(row["follow_up_due"]).strftime("%d %b")
        note = row["follow_up"] if row["follow_up"] is not None else "follow up"
        parts.append(f"you promised \u201c{note}\u201d by {due}")
    if row.get("their_promise"):
        note, due_on = row["their_promise"]
        parts.append(f"they promised \u201c{note or 'to follow up'}\u201d by "
                     f"{_day(due_on).strftime('%d %b')} (not your debt)")
    intro = phrases.get(row["other"])
    if intro:
        parts.append(intro)
    return "; ".join(parts)


def dormant(hist: MyHistory) -> Rows:
    """Ties that were strong at their peak and have been silent for more than a year.

    Returns
    -------
    Rows
        The columns :data:`DORMANT_COLUMNS`, the strongest at their peak first.
    """
    people = _people(hist)
    phrases = _intro_phrases(hist, _names(people))
    rows = []
    for r in _base(hist, people):
        if not (r["peak_strength"] is not None and r["peak_strength"] >= DORMANT_MIN_PEAK
                and r["recency_days"] is not None and r["recency_days"] > DORMANT_DAYS):
            continue
        peak_at = r["peak_at"]
        r["peak_at"] = _day(peak_at) if peak_at is not None else None
        r["reason"] = "; ".join(p for p in (
            f"strongest in {peak_at:%b %Y}" if peak_at is not None else None,
            f"silent for {_span(r['recency_days'])}",
            phrases.get(r["other"]),
        ) if p)
        r["person_id"] = r["other"]
        rows.append(r)
    rows.sort(key=lambda r: -r["peak_strength"])
    return Rows.of(DORMANT_COLUMNS, rows, dtypes=DTYPES)


def ledger(hist: MyHistory, *, min_imbalance: int = 2) -> Rows:
    """Introductions I gave each person against those I received from them, where unbalanced.

    The ledger of :func:`netgraph.analytics.ledger.give_and_take`, read from ``hist``.
    """
    return give_and_take(hist.me, hist.intros.records(), _names(_people(hist)),
                         min_imbalance=min_imbalance)


# -- plain values ------------------------------------------------------------------------------
def _missing(value: Any) -> bool:
    """None, or a float NaN."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def _fmax(a: float | None, b: float | None) -> float | None:
    """The larger of two numbers, ignoring a missing one (numpy's ``fmax``)."""
    if _missing(a):
        return None if _missing(b) else b
    return a if _missing(b) else max(a, b)


def _day(value: date | datetime) -> date:
    """The day of a date or a datetime."""
    return value.date() if isinstance(value, datetime) else value
