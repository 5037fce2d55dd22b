"""A brief before reaching out to someone: what we are to each other, and how to open.

"Context beats cold outreach": before writing to someone, read what you share. The brief is a
table of sections, each a one-line ``summary`` and its ``details`` (a list of lines):

1. ``relationship``: the tie's strength and the factors behind it, or that we have never been in
   contact;
2. ``recent interactions``: the last five, with their kind and note;
3. ``open promises``: the open follow-ups about them;
4. ``introductions``: those I made for them and those they made for me;
5. ``mutual contacts``: the five people most strongly tied to both of us;
6. ``shared``: the company, city and tags we share, and what they need that I offer;
7. ``opener``: a first line that cites the most recent shared context. With no contact ever, it
   claims none: it says who I am and what we do share (a city, a mutual contact), or nothing.

Pure: plain Python in (the API reads the store), :class:`~netgraph.rows.Rows` out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from netgraph.analytics.give import words
from netgraph.normalise import normalise_name
from netgraph.rows import Rows
from netgraph.ties.model import PROMISED_BY

__all__ = ["COLUMNS", "SECTIONS", "SHOWN", "brief"]

COLUMNS = ("section", "summary", "details")
SECTIONS = ("relationship", "recent interactions", "open promises", "introductions",
            "mutual contacts", "shared", "opener")
#: How many recent interactions and mutual contacts a brief lists.
SHOWN = 5


def _day(value: date | datetime | None) -> str:
    if value is None:
        return "?"
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def _first_name(name: str | None) -> str:
    return (name or "there").split()[0]


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and normalise_name(a) == normalise_name(b)


def _relationship(them: Mapping[str, Any], strength: float | None,
                  factors: Sequence[Mapping[str, Any]], n_contacts: int) -> tuple[str, list[str]]:
    name = them.get("name")
    if strength is None or not n_contacts:
        return (f"You have never been in contact with {name}.",
                [] if strength is None else [f"a tie of {strength:.2f} from introductions alone"])
    shown = [f"{f['factor']}: {f['facts']}" for f in factors
             if f.get("factor") != "baseline" and f.get("facts")]
    return (f"Tie strength {strength:.2f} from {n_contacts} interaction"
            f"{'s' if n_contacts != 1 else ''}.", shown)


def _shared(me: Mapping[str, Any], them: Mapping[str, Any]) -> list[str]:
    out = []
    if _same(me.get("company"), them.get("company")):
        out.append(f"company: {them['company']}")
    if _same(me.get("city"), them.get("city")):
        out.append(f"city: {them['city']}")
    mine = {normalise_name(t) for t in me.get("tags") or ()}
    out += [f"tag: {t}" for t in them.get("tags") or () if normalise_name(t) in mine and t != "team"]
    offers = [(o, words(o)) for o in me.get("offers") or ()]
    for need in them.get("needs") or ():
        met = next((o for o, w in offers if words(need) and words(need) <= w), None)
        if met is not None:
            out.append(f"they need {need}; you offer {met}")
    return out


def _opener(me: Mapping[str, Any], them: Mapping[str, Any], last: Mapping[str, Any] | None,
            shared: list[str], mutual: list[str], promise: str | None) -> str:
    hello = f"Hi {_first_name(them.get('name'))},"
    need = next((s for s in shared if s.startswith("they need ")), None)
    offer = f" I may be able to help with {need.removeprefix('they need ').split(';')[0]}." \
        if need else ""
    if last is not None:  # the most recent shared context, cited
        note = f" ({last['note']})" if last.get("note") else ""
        follow = f' Following up on "{promise}".' if promise else ""
        return (f"{hello} good to have spoken at our {last.get('kind') or 'last conversation'} on "
                f"{_day(last.get('occurred_at'))}{note}.{follow} How have things moved on since?"
                f"{offer}")
    who = me.get("name") or "me"
    role = ", ".join(x for x in (me.get("title"), me.get("company")) if x)
    intro = f"{hello} I'm {who}{f' ({role})' if role else ''}."
    place = next((s.removeprefix("city: ") for s in shared if s.startswith("city: ")), None)
    common = (f" We both know {mutual[0]}." if mutual
              else f" We are both in {place}." if place else "")
    return f"{intro}{common}{offer} Would you be open to a short call?"


def brief(me: Mapping[str, Any], them: Mapping[str, Any], *, strength: float | None,
          factors: Sequence[Mapping[str, Any]], interactions: Sequence[Mapping[str, Any]],
          n_contacts: int, promises: Iterable[Mapping[str, Any]],
          introductions: Iterable[Mapping[str, Any]], mutual: Sequence[tuple[str, float]],
          n_mutual: int | None = None) -> Rows:
    """The brief about ``them`` (see the module notes), one row per section of :data:`SECTIONS`.

    Parameters
    ----------
    me, them : mapping
        ``name``, ``title``, ``company``, ``city``, ``tags``, ``needs`` and ``offers``.
    strength : float or None
        The strength of our tie (None: no tie).
    factors : sequence of mappings
        The tie's factors (``factor``, ``facts``), as ``explain-tie`` gives them.
    interactions : sequence of mappings
        Our interactions, the most recent first (``occurred_at``, ``kind``, ``note``).
    n_contacts : int
        How many interactions we have had in all.
    promises : iterable of mappings
        Open follow-ups about them (``due_on``, ``note``).
    introductions : iterable of mappings
        Introductions between us: ``occurred_on``, ``given`` (True: I made it for them),
        ``other`` (the name of the third person) and ``status``.
    mutual : sequence of (str, float)
        Mutual contacts and how strongly they hold both of us (the geometric mean of the two
        strengths), strongest first; the first :data:`SHOWN` are listed.
    n_mutual : int, optional
        How many mutual contacts there are in all (default: as many as ``mutual`` holds).
    """
    name, introductions, promises = them.get("name"), list(introductions), list(promises)
    relation, factor_lines = _relationship(them, strength, factors, n_contacts)
    recent = [f"{_day(i.get('occurred_at'))} {i.get('kind')}" + (f": {i['note']}" if i.get("note") else "")
              for i in interactions[:SHOWN]]
    due = [f"{PROMISED_BY.get(p.get('owner', 'me'), 'you')} promised, due {_day(p.get('due_on'))}"
           + (" (broken)" if p.get("state") == "broken" else "") + f": {p.get('note') or '(no note)'}"
           for p in promises]
    intros = [f"{_day(i.get('occurred_on'))}: " + (
        f"you introduced {name} to {i.get('other')}" if i.get("given")
        else f"{name} introduced you to {i.get('other')}") + f" ({i.get('status')})"
        for i in introductions]
    given = sum(1 for i in introductions if i.get("given"))
    shared = _shared(me, them)
    top = [m for m, _ in mutual[:SHOWN]]
    rows = [
        ("relationship", relation, factor_lines),
        ("recent interactions",
         f"{n_contacts} in all; the last on {_day(interactions[0].get('occurred_at'))}."
         if interactions else "None yet.", recent),
        ("open promises", f"{len(due)} open." if due else "None open.", due),
        ("introductions",
         f"{given} given, {len(intros) - given} received." if intros else "None between you.",
         intros),
        ("mutual contacts", f"{n_mutual or len(mutual)} in all; the strongest {len(top)}."
         if mutual else "None.",
         [f"{m} ({s:.2f})" for m, s in mutual[:SHOWN]]),
        ("shared", f"{len(shared)} thing{'s' if len(shared) != 1 else ''} in common." if shared
         else "Nothing recorded in common.", shared),
        ("opener", _opener(me, them, interactions[0] if interactions else None, shared, top,
                           next((p.get("note") for p in promises if p.get("owner", "me") == "me"),
                                None)), []),
    ]
    return Rows(COLUMNS, rows)
