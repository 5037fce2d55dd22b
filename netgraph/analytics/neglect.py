"""Neglected relationships, dormant ties, and the give-and-take ledger.

Every relationship has its own rhythm. A tie is neglected when it is overdue against *its
own* cadence, not a global number: the contact's ``cadence_days`` where the user set one; else
the median gap between past contacts (with at least three contact days); else a tier from the
tie's peak strength after Dunbar's layers (inner circle about weekly, close about monthly,
active about quarterly, wider about yearly; Dunbar 1998, Hill & Dunbar 2003). The clock
restarts on the event date of the last contact.

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

import numpy as np
import pandas as pd

from netgraph.analytics.ledger import give_and_take
from netgraph.ties.model import MyHistory

__all__ = ["TIERS", "cadence", "dormant", "ledger", "neglected"]

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

COLUMNS = [
    "person_id", "name", "company", "last_contact", "cadence_days", "cadence_source",
    "days_silent", "days_overdue", "strength", "peak_strength", "priority", "follow_up",
    "follow_up_due", "reason",
]


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
    if own_days is not None and not pd.isna(own_days) and own_days > 0:
        days = int(own_days)
        return days, "own", f"you asked for {_every(days)}"
    if median_gap is not None and not pd.isna(median_gap) and n_contact_days >= MIN_CONTACT_DAYS_FOR_RHYTHM:
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


def _names(hist: MyHistory) -> dict[int, str]:
    return dict(zip(hist.people["person_id"], hist.people["name"], strict=True))


def _intro_phrases(hist: MyHistory, names: dict[int, str]) -> dict[int, str]:
    """For each person, the latest introduction between us, said in a few words.

    One pass over my introductions (oldest first): a later one replaces an earlier one; on the
    same day, the last one wins, except that one I received never replaces one I gave.
    """
    me = hist.me
    latest: dict[int, tuple] = {}
    for row in hist.intros.itertuples():
        if row.introducer_id == me:
            pairs = [(row.a_id, row.b_id, True), (row.b_id, row.a_id, True)]
        elif me in (row.a_id, row.b_id):
            third = row.b_id if row.a_id == me else row.a_id
            pairs = [(row.introducer_id, third, False)]
        else:
            continue
        for other, third, given in pairs:
            held = latest.get(other)
            if held is None or row.occurred_on > held[0] or (row.occurred_on == held[0]
                                                           and (given or not held[2])):
                latest[other] = (row.occurred_on, third, given)
    out = {}
    for other, (day, third, given) in latest.items():
        when = pd.Timestamp(day).strftime("%b %Y")
        who = names.get(third, "someone")
        out[other] = (f"you introduced them to {who} in {when}" if given
                      else f"they introduced you to {who} in {when}")
    return out


def _base(hist: MyHistory) -> pd.DataFrame:
    """One row per person I have a tie with: strength now, peak, last contact, cadence."""
    t = hist.ties[["other", "strength", "last_contact", "recency_days"]]
    frame = (
        t.merge(hist.peaks, on="other", how="left")
        .merge(hist.gaps, on="other", how="left")
        .merge(hist.people.rename(columns={"person_id": "other", "cadence_days": "own_cadence"}),
               on="other", how="left")
    )
    frame["peak_strength"] = np.fmax(frame["peak_strength"].astype(float), frame["strength"])
    frame["n_contact_days"] = frame["n_contact_days"].fillna(0).astype(int)
    rows = [cadence(c, g, n, p) for c, g, n, p in zip(
        frame["own_cadence"], frame["median_gap_days"], frame["n_contact_days"],
        frame["peak_strength"], strict=True)]
    frame["cadence"] = [r[0] for r in rows]
    frame["cadence_source"] = [r[1] for r in rows]
    frame["cadence_phrase"] = [r[2] for r in rows]
    frame["days_silent"] = np.floor(frame["recency_days"]).astype("Int64")
    return frame


def neglected(hist: MyHistory) -> pd.DataFrame:
    """My relationships that are overdue against their own cadence, most urgent first.

    ``priority = value * (log2(1 + days_overdue / cadence) + follow-up urgency)``, where value is
    the higher of the tie's strength now and at its peak. So of two people silent for 60 days, the
    one seen weekly ranks above the one seen yearly, and a strong tie above a trivial one. Open
    follow-ups past their due date are always listed, with their note.
    """
    frame = _base(hist)
    frame = frame[frame["last_contact"].notna()].copy()
    overdue = (frame["recency_days"] - frame["cadence"]).clip(lower=0)
    frame["days_overdue"] = np.floor(overdue).astype(int)
    due = hist.followups[pd.to_datetime(hist.followups["due_on"]) <= pd.Timestamp(hist.as_of)]
    due = due.groupby("other").agg(follow_up=("note", "first"), follow_up_due=("due_on", "first"))
    frame = frame.merge(due, left_on="other", right_index=True, how="left")
    # people with an open, past-due follow-up but no contact yet still belong on the list
    missing = due.index.difference(frame["other"])
    if len(missing):
        extra = pd.DataFrame({"other": missing}).merge(
            hist.people.rename(columns={"person_id": "other", "cadence_days": "own_cadence"}),
            on="other", how="left")
        extra = extra.assign(strength=np.nan, peak_strength=np.nan, cadence=np.nan,
                             cadence_source=None, cadence_phrase=None, days_silent=pd.NA,
                             days_overdue=0, last_contact=pd.NaT)
        extra = extra.merge(due, left_on="other", right_index=True, how="left")
        frame = pd.concat([frame, extra], ignore_index=True)
    value = np.fmax(frame["peak_strength"].fillna(0), frame["strength"].fillna(0))
    ratio = frame["days_overdue"] / frame["cadence"].fillna(365)
    past_due = (pd.Timestamp(hist.as_of) - pd.to_datetime(frame["follow_up_due"])).dt.days
    urgency = np.where(frame["follow_up"].notna() | frame["follow_up_due"].notna(),
                       FOLLOWUP_WEIGHT * (1 + np.log2(1 + past_due.fillna(0).clip(lower=0) / 30)), 0.0)
    frame["priority"] = np.maximum(value, 0.05) * (np.log2(1 + ratio) + urgency)
    frame = frame[(frame["days_overdue"] > 0) | (urgency > 0)]
    phrases = _intro_phrases(hist, _names(hist))
    frame["reason"] = [_reason(row, phrases) for row in frame.itertuples()]
    out = frame.rename(columns={"other": "person_id", "cadence": "cadence_days"})
    out["cadence_days"] = out["cadence_days"].astype("Int64")
    out = out.sort_values(["priority", "peak_strength"], ascending=False, kind="stable")
    return out[COLUMNS].reset_index(drop=True)


def _reason(row: object, phrases: dict[int, str]) -> str:
    parts = []
    if isinstance(row.cadence_phrase, str):
        parts.append(row.cadence_phrase)
    if not pd.isna(row.days_silent):
        parts.append(f"silent for {_span(row.days_silent)}")
    else:
        parts.append("no contact yet")
    if isinstance(row.follow_up, str) or not pd.isna(row.follow_up_due):
        due = pd.Timestamp(row.follow_up_due).strftime("%d %b")
        note = row.follow_up if isinstance(row.follow_up, str) else "follow up"
        parts.append(f"you promised \u201c{note}\u201d by {due}")
    intro = phrases.get(row.other)
    if intro:
        parts.append(intro)
    return "; ".join(parts)


def dormant(hist: MyHistory) -> pd.DataFrame:
    """Ties that were strong at their peak and have been silent for more than a year."""
    frame = _base(hist)
    frame = frame[(frame["peak_strength"] >= DORMANT_MIN_PEAK) & (frame["recency_days"] > DORMANT_DAYS)]
    phrases = _intro_phrases(hist, _names(hist))
    frame = frame.assign(
        peak_at=pd.to_datetime(frame["peak_at"]).dt.date,
        reason=[
            "; ".join(p for p in (
                f"strongest in {pd.Timestamp(r.peak_at):%b %Y}" if not pd.isna(r.peak_at) else None,
                f"silent for {_span(r.recency_days)}",
                phrases.get(r.other),
            ) if p)
            for r in frame.itertuples()
        ],
    ).rename(columns={"other": "person_id"})
    frame["days_silent"] = frame["days_silent"].astype("Int64")
    cols = ["person_id", "name", "company", "last_contact", "days_silent", "strength",
            "peak_strength", "peak_at", "reason"]
    return frame.sort_values("peak_strength", ascending=False, kind="stable")[cols].reset_index(drop=True)


def ledger(hist: MyHistory, *, min_imbalance: int = 2) -> pd.DataFrame:
    """Introductions I gave each person against those I received from them, where unbalanced.

    The ledger of :func:`netgraph.analytics.ledger.give_and_take`, read from ``hist``, as a
    DataFrame.
    """
    intros = hist.intros.astype(object).where(hist.intros.notna(), None)
    return give_and_take(hist.me, intros.to_dict("records"), _names(hist),
                         min_imbalance=min_imbalance).to_frame()
