"""The first stage of the sample generator: its people, their communities and companies.

:class:`_People` holds the state of one :func:`netgraph.sample.dataset.generate` call (the seeded
random generator, the calendar, the rows planted so far), lays out the communities and their
companies, writes the contacts table, and turns people into the references the other tables
use. :mod:`netgraph.sample.planted` builds the planted ties on it and :mod:`netgraph.sample.generator`
the bulk; the constants here (interaction kinds, ``ME``) are shared by all three.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from netgraph.sample import names as W

KINDS = np.array(["meeting", "call", "email", "message", "event", "other"], dtype=object)
MEETING, CALL, EMAIL, MESSAGE, EVENT, OTHER = range(6)
ME, MIN_PEOPLE = 0, 20
#: connectors -> the communities each one bridges (0 is home, 1 is near, the next is weak-only)
_BRIDGES = {2: [[2], [3]], 3: [[2], [3, 4], [5]], 4: [[2], [3, 4], [5], [6]]}


def _obj(values) -> np.ndarray:
    return np.array(values, dtype=object)


class _People:
    """The state of one generate() call, with its people and communities; the first stage."""

    def __init__(self, people: int, seed: int, years: float, end: dt.date) -> None:
        self.rng, self.n, self.end = np.random.default_rng(seed), people, end
        self.span = round(years * 365.25)
        self.start = end - dt.timedelta(days=self.span)
        self.days = _obj([(self.start + dt.timedelta(days=i)).isoformat()
                          for i in range(self.span + 61)])
        self.rows: list[tuple] = []  # planted interactions: day, slot, from, to, kind, note
        self.chat = ([MESSAGE, CALL, MEETING, EMAIL], [0.35, 0.25, 0.25, 0.15])

    # -- people and communities --------------------------------------------------------------
    def layout(self) -> None:
        rng, n = self.rng, self.n
        self.bridges = _BRIDGES[4 if n >= 100 else 3 if n >= 50 else 2]
        self.weak_comm = self.bridges[-1][-1] + 1
        n_comm, nt = max(self.weak_comm + 1, n // 40), len(W.TEMPLATES)
        self.tpl = np.arange(n_comm) % nt
        self.cname = [f"{W.TEMPLATES[t][0]} {W.TEMPLATES[t][2]}" + (f" {i // nt + 1}"
                      if n_comm > nt else "") for i, t in enumerate(self.tpl)]
        weights = rng.uniform(0.6, 1.4, n_comm)
        weights[:2] = 2.5, 1.5
        smin = 6 if n >= 100 else 3
        if n < 100:  # small networks: the far communities stay small, my world gets the rest
            weights[2:] = 0.3
        size = smin + np.floor((n - 1 - smin * n_comm) * weights / weights.sum()).astype(np.int64)
        size[0] += n - 1 - size.sum()
        self.size, self.lo = size, 1 + np.cumsum(size) - size
        self.comm = np.concatenate([[0], np.repeat(np.arange(n_comm), size)])
        # regions: 0 = my world (home, near, the rest); k + 1 = behind connector k; then weak
        self.region = np.zeros(n_comm, np.int64)
        for k, comms in enumerate(self.bridges):
            self.region[comms] = k + 1
        self.region[self.weak_comm] = len(self.bridges) + 1
        n_co = rng.integers(2, 5, n_comm)
        self.co_lo = np.cumsum(n_co) - n_co
        self.co_n, co_name, co_dom = n_co, [], []
        for c in range(n_comm):
            _, _, _, _, tld, suffixes, _ = W.TEMPLATES[self.tpl[c]]
            for b in rng.choice(len(W.BRANDS), n_co[c], replace=False):
                name = f"{W.BRANDS[b]} {suffixes[rng.integers(len(suffixes))]}"
                co_name.append(name)
                co_dom.append(f"{W.fold(name)}.{tld}")
        self.co_name, self.co_dom = _obj(co_name), _obj(co_dom)

    def block(self, c: int) -> np.ndarray:
        return np.arange(self.lo[c], self.lo[c] + self.size[c])

    def contacts(self) -> pd.DataFrame:
        rng, n = self.rng, self.n - 1
        names, slugs = W.person_names(rng, n)
        comm = self.comm[1:]
        tpl = self.tpl[comm]
        co = self.co_lo[comm] + np.floor(rng.random(n) * self.co_n[comm]).astype(np.int64)
        personal = rng.random(n) < 0.08
        dom = np.where(personal, _obj(W.PERSONAL_DOMAINS)[rng.integers(0, 4, n)],
                       self.co_dom[co])
        company, title = self.co_name[co], _obj([""] * n)
        for t in np.unique(tpl):
            hit = tpl == t
            title[hit] = _obj(W.TEMPLATES[t][6])[rng.integers(0, len(W.TEMPLATES[t][6]),
                                                              hit.sum())]
        dom[:2], company[:2], title[:2] = W.TEAM_DOMAIN, W.ME_COMPANY, W.TEAM_TITLES
        emails = [f"{s}@{d}" for s, d in zip(slugs, dom.tolist(), strict=True)]
        num = rng.choice(9_000_000, n, replace=False) + 1_000_000
        phone = [None if rng_u > 0.75 else f"{W.TEMPLATES[t][3]} {p // 10_000} {p % 10_000:04d}"
                 for rng_u, t, p in zip(rng.random(n).tolist(), tpl.tolist(), num.tolist(),
                                        strict=True)]
        hexes = rng.integers(0, 16**6, n).tolist()
        link = [None if u > 0.75 else "https://www.linkedin.com/in/" + s.replace(".", "-")
                + (f"-{h:06x}" if u < 0.35 else "")
                for u, s, h in zip(rng.random(n).tolist(), slugs, hexes, strict=True)]
        ctags = _obj(["-".join(W.fold(w) for w in c.split()) for c in self.cname])
        extra = _obj(W.EXTRA_TAGS)[rng.integers(0, len(W.EXTRA_TAGS), n)]
        tags = np.where(rng.random(n) < 0.25, ctags[comm] + ";" + extra, ctags[comm])
        tags[:2] = "team;" + ctags[0]
        u = rng.random(n)
        cat = np.where(u < 0.12, "target", np.where(u < 0.17, "connector",
                       np.where(u < 0.30, "general", None))).astype(object)
        cat[:2] = None
        notes = np.where(rng.random(n) < 0.12, _obj(W.CONTACT_NOTES)[
            rng.integers(0, len(W.CONTACT_NOTES), n)], None)
        width = max(4, len(str(self.n - 1)))
        self.ids = _obj([f"p{i:0{width}d}" for i in range(self.n)])
        self.names, self.emails = _obj([W.ME_NAME, *names]), _obj([W.ME_EMAIL, *emails])
        city = [W.TEMPLATES[0][0]] + [W.TEMPLATES[t][0] for t in tpl.tolist()]
        country = [W.TEMPLATES[0][1]] + [W.TEMPLATES[t][1] for t in tpl.tolist()]
        return pd.DataFrame({
            "id": self.ids, "name": self.names, "email": self.emails,
            "phone": ["+44 20 7946 0000", *phone], "company": [W.ME_COMPANY, *company],
            "title": ["Founder & Advisor", *title], "city": city, "country": country,
            "tags": [f"{ctags[0]};advisor", *tags], "category": [None, *cat],
            "linkedin_url": ["https://www.linkedin.com/in/alexmorgan", *link],
            "cadence_days": pd.array([None] * self.n, dtype="Int64"),
            "notes": [None, *notes]})

    def tokens(self, pids: np.ndarray) -> np.ndarray:
        """References to people: mostly email, some exact name, some id."""
        pids = np.asarray(pids, dtype=np.int64)
        u = self.rng.random(len(pids))
        out = self.emails[pids]
        out[u >= 0.7] = self.names[pids[u >= 0.7]]
        out[u >= 0.85] = self.ids[pids[u >= 0.85]]
        return out

    def iso(self, day: int) -> str:
        return str(self.days[day])

    def person(self, pid: int, **extra) -> dict:
        return {"id": str(self.ids[pid]), "name": str(self.names[pid]), **extra}
