"""Synthetic networks for the scale suite: communities, heavy-tailed activity, one heavy mailbox.

The network is made with numpy alone, seeded, and written as netgraph's own CSV files
(``contacts.csv``, ``interactions.csv``, ``introductions.csv``) with pyarrow, so ten million
interactions take seconds, not minutes. Its shape:

- **Communities** of about :data:`COMMUNITY_SIZE` people, each mostly one company in one city
  (a tenth of the people work elsewhere, a seventh live elsewhere).
- **Activity** per person is lognormal (heavy-tailed): active people have more ties and more
  interactions on each.
- **Ties**: about 32 distinct ties per person (*dense*) or 5 (*sparse*), mostly within the
  community, :data:`CROSS_SHARE` across communities.
- **Me** is person 1 (the first contact row): a heavy mailbox with ties to a few hundred people
  in several communities, :data:`ME_SHARE` of all interactions. People 2 to 4 are my team.
- **Interactions** fall over the last :data:`YEARS` years up to today (dated to the minute,
  between 07:00 and 21:00); each tie has its own active span (a quarter of them went quiet
  before today). Most are one-to-one (email, meeting, call, message), :data:`GROUP_SHARE` are
  small groups of 3 to 6 people.
- **Introductions**: a few, between neighbours of the introducer, some given or received by me.

Beside the CSV files, ``session.json`` names who the scale session asks about: me, my team, a
person two or three hops from me, a company I have no tie into, my strongest contact; and the
counts (people, interactions, distinct ties). ``scale-key.json`` (written last) records what the
files depend on, so :func:`ensure` reuses them until the arguments or this module change.

Only the standard library is imported at module level: the suite's parent process stays
small, and the generation itself runs in a child process (:func:`build`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench._child import ROOT, run_step

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "DATA_DIR", "SCALE_SIZES", "VARIANTS", "ScaleDataset", "Spec", "build", "ensure", "generate",
    "spec_for", "write",
]

DATA_DIR = ROOT / "bench" / "data"
COMMUNITY_SIZE = 50
CROSS_SHARE = 0.03
GROUP_SHARE = 0.08
ME_SHARE = 0.03
ME_TIES = 300
TEAM = 3
YEARS = 3
#: Ties per person by variant.
VARIANTS: dict[str, int] = {"dense": 32, "sparse": 5}
#: (people, interactions) by size name.
SCALE_SIZES: dict[str, tuple[int, int]] = {"10k": (10_000, 1_000_000),
                                           "100k": (100_000, 10_000_000)}
#: A cached dataset older than this many days is made again, so its dates still reach today.
MAX_AGE_DAYS = 7
FILES = ("contacts.csv", "interactions.csv", "introductions.csv", "session.json")
#: What people need and offer (``give`` pairs them): every 9th person needs one of these, every
#: 11th offers one, by position, with no random draw (the network is as it was without them).
_NEEDS = ("a CTO", "seed funding", "a product designer", "a fractional CFO", "an angel investor",
          "a patent lawyer")
_OFFERS = ("CTO-for-hire", "seed funding from angels", "product designer for hire",
           "fractional CFO services", "angel investor network", "patent lawyer services")
_KEY_FILE = "scale-key.json"

_FIRST = (
    "Ada", "Alex", "Amara", "Anna", "Ben", "Carla", "Chen", "Dana", "David", "Elena", "Emil",
    "Eva", "Farah", "Felix", "Grace", "Hana", "Hugo", "Ines", "Ivan", "Jana", "Jonas", "Julia",
    "Kai", "Kenji", "Lara", "Leo", "Lina", "Luca", "Maya", "Mei", "Mila", "Nadia", "Nils", "Noah",
    "Omar", "Oskar", "Paula", "Priya", "Rafael", "Rosa", "Sami", "Sara", "Sofia", "Tariq", "Teo",
    "Uma", "Vera", "Viktor", "Wen", "Yara", "Yusuf", "Zoe", "Aiko", "Bruno", "Cleo", "Dario",
    "Elif", "Filip", "Greta", "Hamid", "Iris", "Jorge", "Kira", "Lukas"
)
_SYL1 = (
    "Ab", "Bel", "Cor", "Dan", "El", "Far", "Gar", "Hal", "Il", "Jor", "Kel", "Lan", "Mar", "Nor",
    "Ol", "Par", "Quin", "Ros", "Sal", "Tor"
)
_SYL2 = ("a", "e", "i", "o", "u", "ar", "en", "il", "on", "ur")
_SYL3 = (
    "berg", "dal", "field", "ford", "holm", "ker", "ley", "man", "mont", "ner", "rick", "sen",
    "son", "stad", "ton", "vik", "wick", "well", "wood", "ez"
)
_SUFFIX = ("Labs", "Systems", "Partners", "Capital", "Health", "Logistics", "Studio", "Energy")
_TITLES = (
    "Engineer", "Manager", "Director", "Founder", "Analyst", "Designer", "Partner", "Consultant",
    "Sales", "Lead"
)
_CITIES = (
    ("Berlin", "Germany"), ("Munich", "Germany"), ("Hamburg", "Germany"), ("London", "United Kingdom"),
    ("Manchester", "United Kingdom"), ("Paris", "France"), ("Lyon", "France"), ("Madrid", "Spain"),
    ("Barcelona", "Spain"), ("Lisbon", "Portugal"), ("Amsterdam", "Netherlands"), ("Brussels", "Belgium"),
    ("Zurich", "Switzerland"), ("Vienna", "Austria"), ("Milan", "Italy"), ("Rome", "Italy"),
    ("Stockholm", "Sweden"), ("Oslo", "Norway"), ("Copenhagen", "Denmark"), ("Helsinki", "Finland"),
    ("Warsaw", "Poland"), ("Prague", "Czechia"), ("Dublin", "Ireland"), ("New York", "United States"),
    ("Boston", "United States"), ("Chicago", "United States"), ("Austin", "United States"),
    ("San Francisco", "United States"), ("Toronto", "Canada"), ("Mexico City", "Mexico"),
    ("Sao Paulo", "Brazil"), ("Lagos", "Nigeria"), ("Nairobi", "Kenya"), ("Cape Town", "South Africa"),
    ("Dubai", "United Arab Emirates"), ("Bangalore", "India"), ("Singapore", "Singapore"),
    ("Tokyo", "Japan"), ("Seoul", "South Korea"), ("Sydney", "Australia"),
)
_KINDS = ("email", "meeting", "call", "message")
_KIND_P = (0.45, 0.2, 0.15, 0.2)
_STATUSES = ("made", "converted", "requested", "declined")
_STATUS_P = (0.6, 0.15, 0.15, 0.1)


@dataclass(frozen=True)
class Spec:
    """What one synthetic network is made of (every field is part of the cache key)."""

    people: int
    interactions: int
    ties_per_person: int
    seed: int = 11
    years: int = YEARS


def spec_for(size: str, variant: str) -> Spec:
    """The :class:`Spec` of a size name (``10k``, ``100k``) and variant (``dense``, ``sparse``)."""
    people, interactions = SCALE_SIZES[size]
    return Spec(people, interactions, VARIANTS[variant])


@dataclass(frozen=True)
class ScaleDataset:
    """A generated network on disk, and who the session asks about."""

    name: str
    path: Path
    session: dict[str, Any]

    @property
    def files(self) -> dict[str, Path]:
        """The three input CSVs by kind."""
        return {kind: self.path / f"{kind}.csv" for kind in ("contacts", "interactions",
                                                             "introductions")}


# -- people ------------------------------------------------------------------------------------


def _communities(n: int) -> np.ndarray:
    """Community of each person: consecutive blocks of about :data:`COMMUNITY_SIZE`."""
    import numpy as np

    count = max(1, n // COMMUNITY_SIZE)
    return np.minimum(np.arange(n) // COMMUNITY_SIZE, count - 1)


def _names(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Unique (first, last) names: first names crossed with made-up three-syllable surnames."""
    import numpy as np

    last = np.array([a + b + c for a in _SYL1 for b in _SYL2 for c in _SYL3], dtype=object)
    first = np.array(_FIRST, dtype=object)
    if n > len(first) * len(last):
        msg = f"at most {len(first) * len(last):,} people have unique names"
        raise ValueError(msg)
    pick = rng.choice(len(first) * len(last), size=n, replace=False)
    return first[pick % len(first)], last[pick // len(first)]


def _companies(rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    """One unique company name and email domain per community."""
    import numpy as np

    stems = np.array([a + b + c for a in _SYL1 for b in _SYL2 for c in ("n", "x", "ra", "vo")],
                     dtype=object)
    names = np.array([f"{s} {x}" for s in stems for x in _SUFFIX], dtype=object)
    domains = np.array([f"{s}{x}.com".lower() for s in stems for x in _SUFFIX], dtype=object)
    pick = rng.choice(len(names), size=count, replace=count > len(names))
    return names[pick], domains[pick]


def _people_table(rng: np.random.Generator, comm: np.ndarray) -> dict[str, np.ndarray]:
    """Contacts: name, email, company, title, city, country (community first, some elsewhere)."""
    import numpy as np

    n, count = len(comm), int(comm.max()) + 1
    first, last = _names(rng, n)
    company_names, domains = _companies(rng, count)
    company = comm.copy()
    moved = rng.random(n) < 0.10
    company[moved] = rng.integers(0, count, int(moved.sum()))
    city = rng.integers(0, len(_CITIES), count)[comm]
    away = rng.random(n) < 0.15
    city[away] = rng.integers(0, len(_CITIES), int(away.sum()))
    cities = np.array([c for c, _ in _CITIES], dtype=object)
    countries = np.array([k for _, k in _CITIES], dtype=object)
    emails = (np.char.lower((first + "." + last).astype(str)).astype(object) + "@"
              + domains[company])
    return {
        "name": first + " " + last, "email": emails, "company": company_names[company],
        "title": np.array(_TITLES, dtype=object)[rng.integers(0, len(_TITLES), n)],
        "city": cities[city], "country": countries[city],
    }


# -- ties ----------------------------------------------------------------------------------------


def _weighted_in_block(rng: np.random.Generator, cum: np.ndarray, lo: np.ndarray,
                       hi: np.ndarray) -> np.ndarray:
    """One index per row in ``[lo, hi)``, drawn with the weights whose cumulative sum is ``cum``."""
    import numpy as np

    base = np.where(lo > 0, cum[np.maximum(lo - 1, 0)], 0.0)
    top = cum[hi - 1]
    picked = np.searchsorted(cum, base + rng.random(len(lo)) * (top - base), side="right")
    return np.clip(picked, lo, hi - 1)


def _community_bounds(comm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and one-past-last person of every community (communities are consecutive)."""
    import numpy as np

    count = int(comm.max()) + 1
    starts = np.searchsorted(comm, np.arange(count), side="left")
    ends = np.searchsorted(comm, np.arange(count), side="right")
    return starts, ends


def _edge_codes(u: np.ndarray, v: np.ndarray, n: int) -> np.ndarray:
    """Pairs as one int64 each (smaller id first); self-pairs dropped."""
    import numpy as np

    keep = u != v
    a, b = np.minimum(u[keep], v[keep]), np.maximum(u[keep], v[keep])
    return a.astype(np.int64) * n + b


def _distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values (a plain sort: faster than ``np.unique`` on big int arrays)."""
    import numpy as np

    values = np.sort(values)
    keep = np.ones(len(values), dtype=bool)
    keep[1:] = values[1:] != values[:-1]
    return values[keep]


def _random_ties(rng: np.random.Generator, comm: np.ndarray, activity: np.ndarray,
                 target: int, codes: np.ndarray) -> np.ndarray:
    """``codes`` plus random ties up to ``target`` distinct ties in all.

    One end is drawn by activity, the other uniformly within the first's community, or, for
    :data:`CROSS_SHARE` of them, anywhere by activity. Rounds repeat until ``target`` is met.
    """
    import numpy as np

    n = len(comm)
    p = activity / activity.sum()
    starts, ends = _community_bounds(comm)
    codes = _distinct(codes)
    for _ in range(100):
        missing = target - len(codes)
        if missing <= 0:
            break
        m = int(missing * 1.3) + 16
        u = rng.choice(n, size=m, p=p)
        lo, hi = starts[comm[u]], ends[comm[u]]
        v = lo + (rng.random(m) * (hi - lo)).astype(lo.dtype)
        cross = rng.random(m) < CROSS_SHARE
        v[cross] = rng.choice(n, size=int(cross.sum()), p=p)
        fresh = _distinct(_edge_codes(u, v, n))
        fresh = fresh[~np.isin(fresh, codes, assume_unique=True)]
        if len(fresh) > missing:
            fresh = rng.choice(fresh, size=missing, replace=False)
        codes = np.sort(np.concatenate([codes, fresh]))
    return codes


def _my_ties(rng: np.random.Generator, comm: np.ndarray, activity: np.ndarray) -> np.ndarray:
    """My ties (person 0): my whole community, then people of several other communities."""
    import numpy as np

    n = len(comm)
    starts, ends = _community_bounds(comm)
    mine = np.arange(starts[0], ends[0])
    count = min(ME_TIES, n // 5)
    others = np.flatnonzero(comm != comm[0])
    if len(others) and count > len(mine):
        picked_comms = rng.choice(np.unique(comm[others]), size=min(10, len(np.unique(comm[others]))),
                                  replace=False)
        pool = others[np.isin(comm[others], picked_comms)]
        w = activity[pool] / activity[pool].sum()
        extra = rng.choice(pool, size=min(count - len(mine), len(pool)), replace=False, p=w)
        mine = np.concatenate([mine, extra])
    return _edge_codes(np.zeros(len(mine), dtype=np.int64), mine, n)


def _team_ties(rng: np.random.Generator, comm: np.ndarray, activity: np.ndarray) -> np.ndarray:
    """Each team member (people 1 to 3) reaches into two communities of their own."""
    import numpy as np

    n = len(comm)
    others = np.flatnonzero(comm != comm[0])
    if not len(others):
        return np.empty(0, dtype=np.int64)
    codes = []
    for member in range(1, TEAM + 1):
        two = rng.choice(np.unique(comm[others]), size=min(2, len(np.unique(comm[others]))),
                         replace=False)
        pool = others[np.isin(comm[others], two)]
        picked = rng.choice(pool, size=min(40, len(pool)), replace=False)
        codes.append(_edge_codes(np.full(len(picked), member), picked, n))
    return np.concatenate(codes)


# -- interactions --------------------------------------------------------------------------------


def _csr(u: np.ndarray, v: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Adjacency of an undirected pair list as (indptr, indices)."""
    import numpy as np

    src = np.concatenate([u, v])
    dst = np.concatenate([v, u])
    order = np.argsort(src, kind="stable")
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    return indptr, dst[order]


def _random_neighbours(rng: np.random.Generator, indptr: np.ndarray, indices: np.ndarray,
                       who: np.ndarray) -> np.ndarray:
    """One random neighbour of each person in ``who`` (each has at least one)."""
    deg = indptr[who + 1] - indptr[who]
    return indices[indptr[who] + (rng.random(len(who)) * deg).astype(indptr.dtype)]


def _tie_rates(rng: np.random.Generator, u: np.ndarray, v: np.ndarray,
               activity: np.ndarray) -> np.ndarray:
    """How often each tie interacts: heavy-tailed, with my ties :data:`ME_SHARE` of the total."""
    import numpy as np

    rate = rng.lognormal(0.0, 1.0, len(u)) * np.sqrt(activity[u] * activity[v])
    mine = u == 0
    if mine.any() and (~mine).any():
        rate[mine] *= ME_SHARE * rate[~mine].sum() / ((1 - ME_SHARE) * rate[mine].sum())
    return rate / rate.sum()


def _spans(rng: np.random.Generator, ties: int, days: int) -> tuple[np.ndarray, np.ndarray]:
    """Each tie's active span in days from the start: a quarter went quiet before today."""
    import numpy as np

    start = rng.random(ties) * 0.6 * days
    end = np.full(ties, float(days))
    quiet = rng.random(ties) < 0.25
    end[quiet] = start[quiet] + 0.1 * days + rng.random(int(quiet.sum())) * (days - start[quiet]
                                                                              - 0.1 * days)
    return start, np.minimum(end, days)


def _groups(rng: np.random.Generator, comm: np.ndarray, activity: np.ndarray,
            count: int) -> np.ndarray:
    """``count`` standing groups of 3 to 6 people of one community, as a (count, 6) array.

    A group's first member is drawn by activity, the others by activity within the first's
    community; repeats are removed, and groups left with fewer than three people dropped.
    Members come first in each row, -1 fills the rest.
    """
    import numpy as np

    starts, ends = _community_bounds(comm)
    cum = np.cumsum(activity)
    groups = np.full((count, 6), -1, dtype=np.int64)
    groups[:, 0] = rng.choice(len(comm), size=count, p=activity / activity.sum())
    size = rng.integers(3, 7, count)
    lo, hi = starts[comm[groups[:, 0]]], ends[comm[groups[:, 0]]]
    for col in range(1, 6):
        rows = np.flatnonzero(size > col)
        groups[rows, col] = _weighted_in_block(rng, cum, lo[rows], hi[rows])
    groups = _compact(groups)
    return groups[(groups >= 0).sum(axis=1) >= 3]


def _compact(rows: np.ndarray) -> np.ndarray:
    """Each row's distinct non-negative values first (largest first), -1 after them."""
    import numpy as np

    rows = -np.sort(-rows, axis=1)
    repeat = np.zeros_like(rows, dtype=bool)
    repeat[:, 1:] = rows[:, 1:] == rows[:, :-1]
    rows[repeat] = -1
    return -np.sort(-rows, axis=1)


def _clique_codes(groups: np.ndarray, n: int) -> np.ndarray:
    """Every pair within every group, as codes."""
    import numpy as np

    codes = []
    for i in range(groups.shape[1]):
        for j in range(i + 1, groups.shape[1]):
            keep = (groups[:, i] >= 0) & (groups[:, j] >= 0)
            codes.append(_edge_codes(groups[keep, i], groups[keep, j], n))
    return _distinct(np.concatenate(codes)) if codes else np.empty(0, dtype=np.int64)


def _draw(rng: np.random.Generator, p: np.ndarray, count: int) -> np.ndarray:
    """``count`` indices drawn with probabilities ``p``, in increasing order.

    Sorted uniforms searched in the cumulative sum: the same law as ``rng.choice(p=p)``, and
    several times faster for millions of draws.
    """
    import numpy as np

    cum = np.cumsum(p)
    picked = np.searchsorted(cum, np.sort(rng.random(count)) * cum[-1], side="right")
    return np.minimum(picked, len(p) - 1)


def _one_to_one(rng: np.random.Generator, u: np.ndarray, v: np.ndarray, rate: np.ndarray,
                count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``count`` one-to-one interactions: every tie at least once, the rest drawn by rate.

    When there are fewer interactions than ties, all are drawn by rate. A tie's two people
    take turns sending. Returns (tie, sender, recipient) per interaction.
    """
    import numpy as np

    if count >= len(u):
        pick = np.concatenate([rng.permutation(len(u)), _draw(rng, rate, count - len(u))])
    else:
        pick = _draw(rng, rate, count)
    flip = rng.random(count) < 0.5
    return pick, np.where(flip, v[pick], u[pick]), np.where(flip, u[pick], v[pick])


def _group_rows(rng: np.random.Generator, groups: np.ndarray, activity: np.ndarray,
                count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``count`` group interactions: a group by its first member's activity, one member sends.

    Returns (group, sender, recipients as a (count, 5) array with -1 unused) per interaction.
    """
    import numpy as np

    weight = activity[groups[:, 0]]
    group = rng.choice(len(groups), size=count, p=weight / weight.sum())
    rows = groups[group]
    size = (rows >= 0).sum(axis=1)
    at = (rng.random(count) * size).astype(np.int64)
    sender = rows[np.arange(count), at]
    rows[np.arange(count), at] = -1
    return group, sender, _compact(rows)[:, :5]


def _days(rng: np.random.Generator, which: np.ndarray, spans: tuple[np.ndarray, np.ndarray],
          days: int) -> np.ndarray:
    """A day (from the start) for each interaction, inside the span of its tie or group."""
    import numpy as np

    start, end = spans
    day = start[which] + rng.random(len(which)) * (end[which] - start[which])
    return np.minimum(day.astype(np.int32), days - 1)


def _interactions(rng: np.random.Generator, spec: Spec, ties: tuple[np.ndarray, np.ndarray],
                  groups: np.ndarray, activity: np.ndarray) -> dict[str, np.ndarray]:
    """``spec.interactions`` rows, by time: minute (from the start), sender, recipients, kind.

    :data:`GROUP_SHARE` of them are group interactions (meetings and emails); the rest are
    one-to-one, of the kinds in :data:`_KINDS`. Times fall between 07:00 and 21:00, so that
    two contacts of one pair on one day are two interactions, not a repeated row.
    """
    import numpy as np

    u, v = ties
    days = 365 * spec.years
    n_group = round(spec.interactions * GROUP_SHARE) if len(groups) else 0
    tie, sender1, to1 = _one_to_one(rng, u, v, _tie_rates(rng, u, v, activity),
                                    spec.interactions - n_group)
    group, sender2, to2 = _group_rows(rng, groups, activity, n_group)
    to = np.full((spec.interactions, 5), -1, dtype=np.int32)
    to[: len(to1), 0] = to1
    to[len(to1):] = to2
    day = np.concatenate([_days(rng, tie, _spans(rng, len(u), days), days),
                          _days(rng, group, _spans(rng, len(groups), days), days)])
    kind = np.concatenate([rng.choice(len(_KINDS), size=len(tie), p=_KIND_P),
                           np.where(rng.random(n_group) < 0.6, 1, 0)]).astype(np.int8)
    minute = day.astype(np.int64) * 1440 + rng.integers(7 * 60, 21 * 60, len(day))
    order = np.argsort(minute, kind="stable")
    sender = np.concatenate([sender1, sender2]).astype(np.int32)
    return {"minute": minute[order], "from": sender[order], "to": to[order], "kind": kind[order]}


def _introductions(rng: np.random.Generator, n: int, indptr: np.ndarray, indices: np.ndarray,
                   activity: np.ndarray, days: int) -> dict[str, np.ndarray]:
    """About n/10 introductions of two neighbours of the introducer; me on some of them."""
    import numpy as np

    count = max(20, n // 10)
    introducer = rng.choice(n, size=count, p=activity / activity.sum())
    introducer[: count // 20] = 0  # given by me
    a = _random_neighbours(rng, indptr, indices, introducer)
    b = _random_neighbours(rng, indptr, indices, introducer)
    received = slice(count // 20, count // 10)
    a[received] = 0
    b[received] = _random_neighbours(rng, indptr, indices, introducer[received])
    ok = (a != b) & (a != introducer) & (b != introducer)
    status = rng.choice(len(_STATUSES), size=count, p=_STATUS_P)
    day = rng.integers(0, days, count)
    order = np.argsort(day[ok], kind="stable")
    return {"day": day[ok][order], "introducer": introducer[ok][order], "a": a[ok][order],
            "b": b[ok][order], "status": status[ok][order]}


# -- whom the session asks about -------------------------------------------------------------------


def _all_pairs(inter: dict[str, np.ndarray], n: int) -> np.ndarray:
    """Distinct pairs that took part together (as codes), as netgraph's ties count them."""
    import numpy as np

    members = np.concatenate([inter["from"][:, None], inter["to"]], axis=1)
    codes = []
    for i in range(members.shape[1]):
        for j in range(i + 1, members.shape[1]):
            a, b = members[:, i], members[:, j]
            keep = (a >= 0) & (b >= 0)
            codes.append(_distinct(_edge_codes(a[keep], b[keep], n)))
    return _distinct(np.concatenate(codes))


def _hops_from_me(pairs: np.ndarray, n: int, most: int = 3) -> np.ndarray:
    """Hops from person 0 along ``pairs`` (codes), up to ``most``; -1 beyond."""
    import numpy as np

    indptr, indices = _csr(pairs // n, pairs % n, n)
    hops = np.full(n, -1, dtype=np.int64)
    hops[0] = 0
    frontier = np.array([0])
    for step in range(1, most + 1):
        deg = indptr[frontier + 1] - indptr[frontier]
        if not deg.sum():
            break
        offsets = np.repeat(indptr[frontier] - np.cumsum(deg) + deg, deg) + np.arange(deg.sum())
        reached = _distinct(indices[offsets])
        frontier = reached[hops[reached] < 0]
        hops[frontier] = step
    return hops


def _session(people: dict[str, np.ndarray], pairs: np.ndarray, inter: dict[str, np.ndarray],
             activity: np.ndarray, comm: np.ndarray) -> dict[str, Any]:
    """Whom to ask about: a target 2-3 hops away, a company out of reach, my closest contact."""
    import numpy as np

    n = len(comm)
    hops = _hops_from_me(pairs, n)
    far = np.flatnonzero(hops >= 2)
    if not len(far):
        far = np.flatnonzero(hops != 0)
    target = int(far[np.argmax(activity[far])])
    my_companies = set(people["company"][hops == 1]) | {people["company"][0]}
    outside = [i for i in far[np.argsort(-activity[far])]
               if people["company"][i] not in my_companies and comm[i] != comm[target]]
    company = people["company"][outside[0] if outside else target]
    mine = (inter["from"] == 0) | (inter["to"] == 0).any(axis=1)
    partners = np.where(inter["from"][mine] == 0, inter["to"][mine, 0], inter["from"][mine])
    contact = int(np.bincount(partners[partners > 0], minlength=n).argmax())
    return {
        "me": people["email"][0], "team": [people["email"][i] for i in range(1, TEAM + 1)],
        "target": people["email"][target], "target_hops": int(hops[target]),
        "company": company, "contact": people["email"][contact],
    }


# -- the whole network ----------------------------------------------------------------------------


def generate(spec: Spec) -> dict[str, Any]:
    """The network of ``spec`` as numpy arrays (people, interactions, introductions, session).

    Parameters
    ----------
    spec : Spec
        Sizes, ties per person and seed.

    Returns
    -------
    dict
        ``people`` (column -> array), ``interactions`` (minute, from, to (rows, 5) with -1
        unused, kind), ``introductions`` (day, introducer, a, b, status), ``session`` (who to
        ask about, and the counts).
    """
    import numpy as np

    if spec.people < 2 * COMMUNITY_SIZE:
        msg = f"a scale network needs at least {2 * COMMUNITY_SIZE} people"
        raise ValueError(msg)
    rng = np.random.default_rng(spec.seed)
    comm = _communities(spec.people)
    activity = np.clip(rng.lognormal(0.0, 1.0, spec.people), 0.05, 50.0)
    people = _people_table(rng, comm)
    groups = _groups(rng, comm, activity, max(1, spec.people // 20))
    fixed = _distinct(np.concatenate([_clique_codes(groups, spec.people),
                                      _my_ties(rng, comm, activity),
                                      _team_ties(rng, comm, activity)]))
    target = spec.people * spec.ties_per_person // 2
    codes = _random_ties(rng, comm, activity, target, fixed)
    u, v = codes // spec.people, codes % spec.people
    inter = _interactions(rng, spec, (u, v), groups, activity)
    indptr, indices = _csr(u, v, spec.people)
    intros = _introductions(rng, spec.people, indptr, indices, activity, 365 * spec.years)
    pairs = _all_pairs(inter, spec.people)
    session = _session(people, pairs, inter, activity, comm)
    session["counts"] = {"people": spec.people, "interactions": spec.interactions,
                         "planned_ties": len(codes), "ties": len(pairs),
                         "introductions": len(intros["day"]),
                         "group_interactions": int(((inter["to"] >= 0).sum(axis=1) > 1).sum())}
    return {"people": people, "interactions": inter, "introductions": intros,
            "session": session}


def _joined(emails: Any, to: np.ndarray) -> Any:
    """The ``to`` column: each row's recipients' emails joined by ``;`` (pyarrow, no loops)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    present = to >= 0
    offsets = np.zeros(len(to) + 1, dtype=np.int64)
    np.cumsum(present.sum(axis=1), out=offsets[1:])
    flat = emails.take(pa.array(to[present]))
    return pc.binary_join(pa.LargeListArray.from_arrays(pa.array(offsets), flat), ";")


def write(network: dict[str, Any], out_dir: str | Path, end: dt.date) -> dict[str, Path]:
    """Write ``network`` as contacts.csv, interactions.csv, introductions.csv and session.json.

    Parameters
    ----------
    network : dict
        What :func:`generate` returned.
    out_dir : str or Path
        The folder (created if missing).
    end : datetime.date
        The last day of the network (usually today); day offsets count back from it.

    Returns
    -------
    dict[str, Path]
        The written files by name.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    people, inter, intros = network["people"], network["interactions"], network["introductions"]
    emails = pa.array(people["email"].tolist(), type=pa.string())
    start = np.datetime64(end - dt.timedelta(days=365 * YEARS - 1), "D")
    contacts = pa.table({k: pa.array(people[k].tolist(), type=pa.string()) for k in
                         ("name", "email", "company", "title", "city", "country")})
    at = np.arange(len(people["email"]))
    contacts = contacts.append_column("needs", pa.array(
        np.where(at % 9 == 1, np.array(_NEEDS, dtype=object)[(at // 9) % len(_NEEDS)], None).tolist(),
        type=pa.string()))
    contacts = contacts.append_column("offers", pa.array(
        np.where(at % 11 == 2, np.array(_OFFERS, dtype=object)[(at // 11) % len(_OFFERS)],
                 None).tolist(), type=pa.string()))
    interactions = pa.table({
        "date": pa.array(start.astype("datetime64[s]")
                         + (inter["minute"] * 60).astype("timedelta64[s]")),
        "from": emails.take(pa.array(inter["from"])),
        "to": _joined(emails, inter["to"]),
        "kind": pa.array(np.array(_KINDS, dtype=object)[inter["kind"]].tolist(), type=pa.string()),
    })
    introductions = pa.table({
        "date": pa.array(start + intros["day"].astype("timedelta64[D]")),
        "introducer": emails.take(pa.array(intros["introducer"])),
        "a": emails.take(pa.array(intros["a"])),
        "b": emails.take(pa.array(intros["b"])),
        "status": pa.array(np.array(_STATUSES, dtype=object)[intros["status"]].tolist(),
                           type=pa.string()),
    })
    paths = {name: out / name for name in FILES}
    for name, table in (("contacts.csv", contacts), ("interactions.csv", interactions),
                        ("introductions.csv", introductions)):
        pacsv.write_csv(table, paths[name])
    session = {**network["session"], "end": end.isoformat()}
    paths["session.json"].write_text(json.dumps(session, indent=2) + "\n", encoding="utf-8")
    return paths


def build(out_dir: str, spec: dict[str, Any], end: str) -> dict[str, Any]:
    """Child-process step: generate and write one network; returns the seconds of each part."""
    import time

    start = time.perf_counter()
    network = generate(Spec(**spec))
    made = time.perf_counter()
    write(network, out_dir, dt.date.fromisoformat(end))
    return {"seconds": time.perf_counter() - start, "generate_s": made - start,
            "write_s": time.perf_counter() - made}


# -- the cache ------------------------------------------------------------------------------------


def _key(spec: Spec) -> dict[str, Any]:
    """What the cached files depend on: the spec and this module's source."""
    source = Path(__file__).read_bytes()
    return {**asdict(spec), "generator_sha256": hashlib.sha256(source).hexdigest()}


def _cached(path: Path, key: dict[str, Any], today: dt.date) -> bool:
    """True when ``path`` holds every file for ``key``, made at most MAX_AGE_DAYS ago."""
    try:
        stored = json.loads((path / _KEY_FILE).read_text(encoding="utf-8"))
        end = dt.date.fromisoformat(stored.pop("end"))
    except (OSError, ValueError, KeyError):
        return False
    fresh = 0 <= (today - end).days <= MAX_AGE_DAYS
    return stored == key and fresh and all((path / f).exists() for f in FILES)


def ensure(size: str, variant: str, root: Path = DATA_DIR,
           today: dt.date | None = None) -> ScaleDataset:
    """The network ``scale-<size>-<variant>``, generated (in a child process) unless cached.

    Parameters
    ----------
    size : str
        ``10k`` or ``100k`` (see :data:`SCALE_SIZES`).
    variant : str
        ``dense`` or ``sparse`` (see :data:`VARIANTS`).
    root : Path
        Where datasets are cached (default ``bench/data``).
    today : datetime.date, optional
        The network's last day (default: today).

    Returns
    -------
    ScaleDataset
        The files and the session's people.
    """
    today = today or dt.date.today()
    spec = spec_for(size, variant)
    name = f"scale-{size}-{variant}"
    path = root / name
    key = _key(spec)
    if not _cached(path, key, today):
        print(f"[bench] generating {name} ({spec.people:,} people, {spec.interactions:,} "
              f"interactions) in {path} ...", file=sys.stderr, flush=True)
        (path / _KEY_FILE).unlink(missing_ok=True)
        done = run_step("bench.scale_data:build", out_dir=str(path), spec=asdict(spec),
                        end=today.isoformat())
        (path / _KEY_FILE).write_text(json.dumps({**key, "end": today.isoformat()}, indent=2)
                                      + "\n", encoding="utf-8")
        print(f"[bench] generated {name} in {done['seconds']:.1f} s", file=sys.stderr, flush=True)
    session = json.loads((path / "session.json").read_text(encoding="utf-8"))
    return ScaleDataset(name, path, session)
