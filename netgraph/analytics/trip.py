"""Who to see while I am in a city: the people I know there, then the targets one introduction away.

Pure: the tables of :class:`~netgraph.ties.model.MyHistory`, everyone's city and company, my
connectors' scores, my targets and my contacts' ties come in; :class:`~netgraph.rows.Rows` with
the columns :data:`COLUMNS` come out. :mod:`netgraph.api` reads them from the store.

Where a person is
-----------------
A person is in a city by their own ``city``; when it is blank, by their company's city: the most
common known city among the people of the same company (companies compared as names are, see
:func:`netgraph.normalise.normalise_name`; on a tie, the alphabetically first city). Cities are
compared by :func:`city_key`: case and accents ignored, only the part before the first comma
(``Berlin, Germany`` is Berlin), a leading ``Greater`` and a trailing ``Area``, ``Metropolitan
Area``, ``Metro Area``, ``Bay Area`` or ``Region`` dropped, and the names of :data:`CITY_ALIASES`
read as the city they name (``NYC`` is New York, ``München`` is Munich).

Two kinds of rows
-----------------
**see**: everyone in the city I have a tie with, each once, ranked by the value of a meeting::

    score = peak * (1 + W_OVERDUE * min(log2(1 + days_overdue / cadence), OVERDUE_CAP))
            + W_PROMISE * min(open_promises, PROMISE_CAP)
            + W_CONNECTOR * connector

``peak`` is the tie's strength at its peak (or now, when higher); ``cadence`` the tie's own
rhythm and ``days_overdue`` the days past it on the first day of the trip, both by the rules of
:mod:`netgraph.analytics.neglect` (:func:`~netgraph.analytics.neglect.cadence`);
``open_promises`` the follow-ups I owe them, not kept yet (a promise they made me is not
counted); ``connector`` their score as my connector (``netgraph connectors``, 0 to 1; 0 when
none of my shortest paths runs through them). A strong tie long overdue, with a promise to
keep, comes first.

**ask-intro**: my targets in the city (those I marked ``target``, and the people my market
rules match; without rules, those the roles analysis calls targets instead) whom I have no tie with, but
whom one warm introduction reaches: an introducer whose tie to me and whose tie to the target
are both at least the floor of a warm introduction (:data:`INTRO_FLOOR`, as ``netgraph intro``
and ``netgraph give``). One row per target, with the best introducer::

    score = my tie to the introducer * the introducer's tie to the target

(at most 1). The ``see`` rows come first, then the ``ask-intro`` rows, each kind best first
(equal scores by name, then person number).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import Any

from netgraph.analytics.neglect import cadence
from netgraph.analytics.paths.warm import DEFAULT_MIN_STRENGTH
from netgraph.normalise import normalise_name
from netgraph.rows import Rows
from netgraph.ties.model import MyHistory

__all__ = ["CITY_ALIASES", "COLUMNS", "INTRO_FLOOR", "OVERDUE_CAP", "PROMISE_CAP", "W_CONNECTOR",
           "W_OVERDUE", "W_PROMISE", "cities", "city_key", "places", "plan_trip"]

#: The columns of :func:`plan_trip`.
COLUMNS = ("name", "person_id", "kind", "score", "reason")

#: Other names of a city, as people write them, and the city they name. Compared by
#: :func:`city_key`, so case, accents and punctuation do not matter (``Zürich`` is ``Zurich``,
#: ``São Paulo`` is ``Sao Paulo``, ``Washington, DC`` is ``Washington`` without an entry).
CITY_ALIASES = {
    "NYC": "New York", "New York City": "New York", "NY": "New York", "Manhattan": "New York",
    "SF": "San Francisco", "San Francisco Bay Area": "San Francisco", "Bay Area": "San Francisco",
    "LA": "Los Angeles",
    "Washington DC": "Washington", "Washington D.C.": "Washington", "DC": "Washington", "D.C.": "Washington",
    "München": "Munich", "Muenchen": "Munich",
    "Köln": "Cologne", "Koeln": "Cologne",
    "Wien": "Vienna",
    "Zuerich": "Zurich",
    "Frankfurt am Main": "Frankfurt", "Frankfurt (Main)": "Frankfurt",
    "Sao Paulo": "São Paulo",
    "Lisboa": "Lisbon", "Roma": "Rome", "Milano": "Milan", "Napoli": "Naples", "Firenze": "Florence",
    "Praha": "Prague", "Warszawa": "Warsaw", "København": "Copenhagen", "Koebenhavn": "Copenhagen",
    "Genève": "Geneva", "Genf": "Geneva", "Bruxelles": "Brussels", "Brussel": "Brussels",
    "Den Haag": "The Hague", "Göteborg": "Gothenburg", "Bengaluru": "Bangalore", "Bombay": "Mumbai",
}

#: The least strength of both ties of a warm introduction (that of ``netgraph intro``).
INTRO_FLOOR = DEFAULT_MIN_STRENGTH
#: How much being overdue multiplies a tie's peak strength, per doubling of the days past its
#: rhythm (``log2(1 + days_overdue / cadence)``), and the most doublings counted.
W_OVERDUE = 0.5
OVERDUE_CAP = 3.0
#: Each open promise (follow-up) with the person adds this much, for at most PROMISE_CAP of them.
W_PROMISE = 0.25
PROMISE_CAP = 4
#: Weight of their connector score (0 to 1, ``netgraph connectors``).
W_CONNECTOR = 0.5
#: A tie at least this strong at its peak is "strong", at least WARM_TIE "warm", else "weak".
STRONG_TIE, WARM_TIE = 0.8, 0.5

#: Written around a city's name in profiles, not part of it: a leading "Greater" and a trailing
#: "(Metropolitan|Metro|Bay) Area" or "Region" ("Greater Munich Metropolitan Area" is Munich).
_AROUND = re.compile(r"^(greater )?(.+?)( (metropolitan|metro|bay) area| area| region)?$")


def _plain_key(text: str) -> str:
    """A city's name without its country and what profiles write around it, normalised."""
    key = normalise_name(text.split(",")[0])  # no comma left: normalise_name turns nothing round
    found = _AROUND.match(key)
    return found.group(2) if found else key


_ALIAS_KEYS = {_plain_key(alias): _plain_key(city) for alias, city in CITY_ALIASES.items()}
#: The city each canonical key is shown as.
_LABELS = {_plain_key(city): city for city in CITY_ALIASES.values()}


def city_key(text: str | None) -> str:
    """The city ``text`` names, as compared: normalised, its alias resolved; '' for none.

    >>> city_key("NYC"), city_key("new york, NY"), city_key("Greater New York City Area")
    ('new york', 'new york', 'new york')
    >>> city_key(" MÜNCHEN "), city_key("Zürich"), city_key("Frankfurt am Main"), city_key(None)
    ('munich', 'zurich', 'frankfurt', '')
    """
    if not text:
        return ""
    key = _plain_key(text)
    if not key:
        key = normalise_name(text.split(",")[0])
    return _ALIAS_KEYS.get(key, key)


def places(people: Iterable[Mapping[str, Any]]) -> dict[int, tuple[str, str | None]]:
    """Where each person is: ``(city key, company)``, the company when their city is their company's.

    People with no city of their own and no company city (see the module notes) are left out.

    >>> places([{"person_id": 1, "city": "Berlin", "company": "Acme"},
    ...         {"person_id": 2, "city": None, "company": "ACME"},
    ...         {"person_id": 3, "city": "", "company": "Solo"}])
    {1: ('berlin', None), 2: ('berlin', 'ACME')}
    """
    people = list(people)
    by_company: dict[str, Counter] = {}
    for p in people:
        key, company = city_key(p.get("city")), normalise_name(p.get("company") or "")
        if key and company:
            by_company.setdefault(company, Counter())[key] += 1
    company_city = {c: min(n.items(), key=lambda kv: (-kv[1], kv[0]))[0]
                    for c, n in by_company.items()}
    out: dict[int, tuple[str, str | None]] = {}
    for p in people:
        key = city_key(p.get("city"))
        if key:
            out[int(p["person_id"])] = (key, None)
            continue
        inferred = company_city.get(normalise_name(p.get("company") or ""))
        if inferred:
            out[int(p["person_id"])] = (inferred, p["company"])
    return out


def _labels(people: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """How each city is shown: its name in :data:`CITY_ALIASES`, else its most common spelling."""
    spellings: dict[str, Counter] = {}
    for p in people:
        key = city_key(p.get("city"))
        if key:
            spellings.setdefault(key, Counter())[p["city"].split(",")[0].strip()] += 1
    labels = {k: min(n.items(), key=lambda kv: (-kv[1], kv[0]))[0] for k, n in spellings.items()}
    labels.update(_LABELS)
    return labels


def cities(people: Iterable[Mapping[str, Any]]) -> list[tuple[str, int]]:
    """Each city and how many people are in it (by their city or their company's), most first.

    >>> cities([{"person_id": 1, "city": "NYC"}, {"person_id": 2, "city": "New York, NY"},
    ...         {"person_id": 3, "city": "Paris"}])
    [('New York', 2), ('Paris', 1)]
    """
    people = list(people)
    labels = _labels(people)
    counts = Counter(key for key, _ in places(people).values())
    return sorted(((labels.get(k, k), n) for k, n in counts.items()), key=lambda x: (-x[1], x[0]))


def plan_trip(city: str, hist: MyHistory, people: Iterable[Mapping[str, Any]], *,
              start: date | None = None, connectors: Mapping[int, float] | None = None,
              targets: Mapping[int, str] | None = None,
              their_ties: Iterable[tuple[int, int, float]] = (),
              floor: float = INTRO_FLOOR) -> Rows:
    """Who to see in ``city``, then whom to ask an introduction to there (see the module notes).

    Parameters
    ----------
    city : str
        The city, as the user writes it (``NYC``, ``münchen``...).
    hist : MyHistory
        My ties, their peaks, the gaps between contacts and the open follow-ups, as of a day.
    people : iterable of mappings
        Everyone (at least ``person_id``, ``name``, ``city`` and ``company``): where people are,
        and their companies' cities, are read from all of them.
    start : date, optional
        The first day of the trip, on which overdue-ness is measured (default ``hist.as_of``).
    connectors : mapping, optional
        My connectors' scores (0 to 1) by person; :func:`netgraph.api.trip` passes those of the
        contacts through whom some of my shortest paths run.
    targets : mapping, optional
        My targets by person, each with why they are one ("in your market (title:CTO)").
    their_ties : iterable of (int, int, float)
        Ties ``(u, v, strength)`` of the people I know at least at ``floor``: the second hop of
        an introduction.
    floor : float
        The least strength of both ties of an introduction.

    Returns
    -------
    Rows
        The columns :data:`COLUMNS`: the ``see`` rows best first, then the ``ask-intro`` rows.
    """
    people = list(people)
    where = places(people)
    labels = _labels(people)
    here = city_key(city)
    by_id = {int(r["person_id"]): r for r in hist.people.records()}
    by_id.update({int(p["person_id"]): p for p in people})
    day = start or hist.as_of
    shift = (day - hist.as_of).days
    connectors = connectors or {}

    def placed(pid: int) -> bool:
        return pid != hist.me and pid in where and where[pid][0] == here

    peaks = {int(r["other"]): r["peak_strength"] for r in hist.peaks.records()}
    gaps = {int(r["other"]): r for r in hist.gaps.records()}
    promises: dict[int, list[tuple[Any, Any]]] = {}
    for f in hist.followups.records():
        if f.get("owner", "me") == "me":  # my promises; theirs to me are not my debt
            promises.setdefault(int(f["other"]), []).append((f["due_on"], f["note"]))
    mine: dict[int, float] = {}
    see = []
    for tie in hist.ties.records():
        pid, now = int(tie["other"]), _number(tie["strength"]) or 0.0
        mine[pid] = now
        if not placed(pid):
            continue
        peak = max(now, _number(peaks.get(pid)) or 0.0)
        person, gap = by_id.get(pid, {}), gaps.get(pid, {})
        days, _, _ = cadence(_number(person.get("cadence_days")), _number(gap.get("median_gap_days")),
                             int(gap.get("n_contact_days") or 0), peak)
        days = max(days, 1)
        recency = _number(tie["recency_days"])
        silent = None if recency is None else max(math.floor(recency) + shift, 0)
        overdue = 0 if silent is None else max(silent - days, 0)
        owed = sorted(promises.get(pid, []), key=lambda p: (p[0] is None, _day(p[0]) if p[0] else day))
        link = _number(connectors.get(pid)) or 0.0
        score = (peak * (1 + W_OVERDUE * min(math.log2(1 + overdue / days), OVERDUE_CAP))
                 + W_PROMISE * min(len(owed), PROMISE_CAP) + W_CONNECTOR * link)
        parts = [_tie_words(peak, now) + ", " + _rhythm_words(silent, overdue, days)]
        if owed:
            parts.append(_promise_words(owed))
        if link > 0:
            parts.append(f"a connector for you (score {link:.2f})")
        company = where[pid][1]
        if company:
            parts.append(f"no city recorded; most people at {company} are in {labels.get(here, city)}")
        see.append({"name": person.get("name"), "person_id": pid, "kind": "see",
                    "score": round(score, 4), "reason": "; ".join(parts)})
    asks = _asks(hist.me, mine, targets or {}, their_ties, floor, placed, by_id, where,
                 labels.get(here, city))
    order = _best_first
    return Rows.of(COLUMNS, [*sorted(see, key=order), *sorted(asks, key=order)])


def _asks(me: int, mine: Mapping[int, float], targets: Mapping[int, str],
          their_ties: Iterable[tuple[int, int, float]], floor: float, placed: Callable[[int], bool],
          by_id: Mapping[int, Mapping[str, Any]], where: Mapping[int, tuple[str, str | None]],
          label: str) -> list[dict[str, Any]]:
    """One ask-intro row per target in the city I have no tie with, through the best introducer."""
    wanted = {int(t) for t in targets if int(t) not in mine and int(t) != me and placed(int(t))}
    best: dict[int, tuple[float, str, int, float, float]] = {}
    for u, v, s in their_ties:
        for hop, target in ((int(u), int(v)), (int(v), int(u))):
            mine_s, theirs = mine.get(hop, 0.0), float(s)
            if target not in wanted or hop == me or mine_s < floor or theirs < floor:
                continue
            name = str(by_id.get(hop, {}).get("name") or hop)
            held = best.get(target)
            offer = (mine_s * theirs, name, hop, mine_s, theirs)
            if held is None or (-offer[0], offer[1], offer[2]) < (-held[0], held[1], held[2]):
                best[target] = offer
    rows = []
    for target, (score, name, _, mine_s, theirs) in best.items():
        parts = [targets.get(target) or "a target",
                 f"ask {name} (your tie {mine_s:.2f}; theirs {theirs:.2f}) to introduce you"]
        company = where[target][1]
        if company:
            parts.append(f"no city recorded; most people at {company} are in {label}")
        rows.append({"name": by_id.get(target, {}).get("name"), "person_id": target,
                     "kind": "ask-intro", "score": round(score, 4), "reason": "; ".join(parts)})
    return rows


def _best_first(row: Mapping[str, Any]) -> tuple:
    return (-row["score"], str(row["name"] or ""), row["person_id"])


def _tie_words(peak: float, now: float) -> str:
    word = "strong" if peak >= STRONG_TIE else "warm" if peak >= WARM_TIE else "weak"
    said = f"{word} tie at its peak ({peak:.2f})"
    return said + (f", {now:.2f} now" if round(peak, 2) > round(now, 2) else "")


def _rhythm_words(silent: int | None, overdue: int, days: int) -> str:
    if silent is None:
        return f"no contact yet ({_a(days)} {days}-day rhythm)"
    if overdue > 0:
        return f"{overdue} days overdue against {_a(days)} {days}-day rhythm"
    return f"in touch {silent} days before the trip, within {_a(days)} {days}-day rhythm"


def _a(n: int) -> str:
    """The article before the number ``n`` said aloud: "an 8-day", "an 11-day", "a 21-day"."""
    return "an" if str(n).startswith("8") or n in (11, 18) else "a"


def _promise_words(owed: list[tuple[Any, Any]]) -> str:
    due, note = owed[0]
    what = f"\u201c{note}\u201d" if note else "a follow-up"
    when = f", due {_day(due).isoformat()}" if due else ""
    if len(owed) == 1:
        return f"1 open promise ({what}{when})"
    return f"{len(owed)} open promises (the first: {what}{when})"


def _number(value: Any) -> float | None:
    """A number, or None for a missing one (None or NaN)."""
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value
