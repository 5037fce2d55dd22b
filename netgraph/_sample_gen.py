"""The generator behind :mod:`netgraph.sample`: one seeded builder of the synthetic network.

Kept apart from the public functions (``generate``, ``write``) so each file holds one idea.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from netgraph import _sample_names as W

KINDS = np.array(["meeting", "call", "email", "message", "event", "other"], dtype=object)
MEETING, CALL, EMAIL, MESSAGE, EVENT, OTHER = range(6)
STATUSES = np.array(["requested", "made", "declined", "converted"], dtype=object)
ME, MIN_PEOPLE = 0, 20
#: connectors -> the communities each one bridges (0 is home, 1 is near, the next is weak-only)
_BRIDGES = {2: [[2], [3]], 3: [[2], [3, 4], [5]], 4: [[2], [3, 4], [5], [6]]}
_TIMES = np.array([""] + [f"T{8 + s // 4:02d}:{15 * (s % 4):02d}:00" for s in range(48)],
                  dtype=object)
_NOTES = np.array(W.INTERACTION_NOTES, dtype=object)


def _obj(values) -> np.ndarray:
    return np.array(values, dtype=object)


class _Gen:
    """All state of one generate() call; methods run in a fixed order (see generate)."""

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

    # -- planted roles and my own ties -------------------------------------------------------
    def roles(self) -> None:
        rng, home, near = self.rng, self.block(0), self.block(1)
        self.team = [1, 2]
        self.conn = rng.choice(home[2:], len(self.bridges), replace=False).tolist()
        pool = np.setdiff1d(np.concatenate([home, near]), self.team + self.conn)
        small = (max(2, self.n // 20), max(2, self.n // 12), max(2, self.n // 20))
        counts = (5, 8, 5) if self.n >= 100 else small  # went silent, regular, one-way
        chosen = rng.choice(pool, sum(counts), replace=False).tolist()
        self.silent, self.regular = chosen[:counts[0]], chosen[counts[0]:-counts[2]]
        self.one_way = chosen[-counts[2]:]
        self.ord_home = np.setdiff1d(home, self.team + self.conn + chosen).tolist()
        self.ord_near = np.setdiff1d(near, chosen).tolist()
        self.hard = [int(rng.choice(self.block(b[0]))) for b in self.bridges]
        self.weak_x, *self.weak = rng.choice(self.block(self.weak_comm), 3, replace=False).tolist()

    def add(self, day: int, frm: int, to: list[int], kind: int, note=None, slot: int = -1) -> None:
        self.rows.append((int(day), slot, int(frm), [int(t) for t in to], int(kind), note))

    def with_me(self, pid: int, days: np.ndarray, kinds: list[int], probs: list[float],
                mine: float = 0.5) -> None:
        """Rows between me and ``pid``; ``mine`` is the share I start (half with a blank from)."""
        rng, m = self.rng, len(days)
        for d, k, me_first, blank in zip(np.asarray(days).tolist(),
                                         rng.choice(kinds, m, p=probs).tolist(),
                                         (rng.random(m) < mine).tolist(),
                                         (rng.random(m) < 0.5).tolist(), strict=True):
            if me_first:
                self.add(d, -1 if blank else ME, [pid], k)
            else:
                self.add(d, pid, [ME], k)

    def walk(self, first: int, last: int, lo: int, hi: int) -> np.ndarray:
        steps = self.rng.integers(lo, hi + 1, (last - first) // lo + 2)
        days = first + np.concatenate([[0], np.cumsum(steps)])
        return days[days <= last]

    def close_ties(self) -> None:
        """Team and connectors: frequent contact with me; connectors also into far communities."""
        rng, span, chat = self.rng, self.span, self.chat
        for t in self.team:
            self.with_me(t, self.walk(int(rng.integers(0, 4)), span, 2, 6), *chat)
        for k, c in enumerate(self.conn):
            self.with_me(c, self.walk(int(rng.integers(0, 10)), span, 7, 18), *chat)
            cands = [np.setdiff1d(self.block(b), self.hard) for b in self.bridges[k]]
            partners = np.concatenate([rng.choice(x, min(4, len(x)), replace=False)
                                       for x in cands])
            if k % 2 == 0:  # 2 hops from me; the others are 3 hops away
                partners[0] = self.hard[k]
            else:
                for d in rng.integers(0, span + 1, 3).tolist():
                    self.add(d, self.hard[k], [partners[0]], int(rng.choice([CALL, MEETING])))
            n_b = max(12, round(20 * span / 365.25))
            for i, (d, kind) in enumerate(zip(np.sort(rng.integers(0, span + 1, n_b)).tolist(),
                                              rng.choice(chat[0], n_b).tolist(),
                                              strict=True)):
                p = int(partners[i % len(partners)])
                self.add(d, *((c, [p]) if rng.random() < 0.5 else (p, [c])), kind)

    def silent_ties(self) -> list[dict]:
        """Frequent contact for 1-2 years, then nothing for the last 4-14 months."""
        rng, span, silent = self.rng, self.span, []
        cap = span - 180  # keep at least half a year of frequent contact
        base = np.array([385, 130, 290, 420, 210][:len(self.silent)])
        for pid, sd in zip(self.silent, (base + rng.integers(-10, 11, len(base))).tolist(),
                           strict=True):
            sd = min(sd, cap)
            last = span - sd
            gap = int(rng.integers(6, 12))
            days = self.walk(max(0, last - int(rng.integers(365, 731))), last, gap - 2, gap + 3)
            days = np.append(days[days < last], last)
            self.with_me(pid, days, *self.chat)
            peak = (np.searchsorted(days, days + 90) - np.arange(len(days))).max() / 3
            silent.append({"id": pid, "last_contact": self.iso(last), "silent_days": sd,
                           "peak_contacts_per_month": round(float(peak), 2)})
        return silent

    def regular_ties(self) -> list[dict]:
        """A fixed rhythm of 7-90 days up to the end; two of them slightly overdue."""
        rng, span, regular = self.rng, self.span, []
        for i, pid in enumerate(self.regular):
            cad = (7, 14, 30, 90)[i % 4]
            jit, overdue = max(1, cad // 10), i in (1, 6)
            off = round(cad * rng.uniform(1.25, 1.5)) if overdue else int(rng.integers(0, cad))
            steps = rng.integers(cad - jit, cad + jit + 1, span // (cad - jit) + 2)
            days = (span - off) - np.concatenate([[0], np.cumsum(steps)])
            kinds = [CALL, MESSAGE] if cad == 7 else [CALL, MEETING]
            self.with_me(pid, np.sort(days[days >= 0]), kinds, [0.5, 0.5])
            regular.append({"id": pid, "cadence_days": cad, "last_contact": self.iso(span - off),
                            "overdue": overdue})
        return regular

    def one_way_ties(self) -> list[dict]:
        """Three people who always write first, two whom only I ever contact."""
        out, first_mine = [], len(self.one_way) - len(self.one_way) // 2
        for i, pid in enumerate(self.one_way):
            days = np.sort(self.rng.choice(self.span + 1, int(self.rng.integers(6, 15)),
                                           replace=False))
            mine = i >= first_mine
            self.with_me(pid, days, [EMAIL, MESSAGE, CALL], [0.5, 0.35, 0.15], float(mine))
            out.append({"id": pid, "direction": "i_initiate" if mine else "they_initiate"})
        return out

    def loose_ties(self) -> None:
        """My other home ties, a few weak ties, group meetings, events and the weak hop."""
        rng, span, years = self.rng, self.span, self.span / 365.25
        for pid in self.ord_home:
            days = np.sort(rng.integers(0, span + 1, rng.poisson(2.5 * years / 3)))
            self.with_me(pid, days, [EMAIL, MEETING, CALL, MESSAGE], [0.3, 0.3, 0.2, 0.2])
        for pid in rng.choice(self.ord_near, min(4, len(self.ord_near)), replace=False).tolist():
            self.with_me(pid, rng.integers(0, span + 1, 1), [EVENT, EMAIL, CALL], [0.4, 0.4, 0.2])
        gpool = np.array(self.team + self.conn + self.ord_home)
        for _ in range(round(10 * years)):
            mem = rng.choice(gpool, min(len(gpool), int(rng.integers(2, 7))),
                             replace=False).tolist()
            d, note = int(rng.integers(0, span + 1)), rng.choice(_obj(W.GROUP_NOTES))
            if rng.random() < 0.6:
                self.add(d, -1 if rng.random() < 0.5 else ME, mem, MEETING, note)
            else:
                self.add(d, mem[0], self.insert_me(mem[1:]), MEETING, note)
        epool = np.array(self.ord_home + self.ord_near)
        for _ in range(max(1, round(1.5 * years)) if len(epool) >= 3 else 0):
            att = rng.choice(epool, min(len(epool), int(rng.integers(10, 21))), replace=False)
            d = int(rng.integers(0, span + 1))
            note = f"{rng.choice(_obj(W.EVENTS))} {(self.start + dt.timedelta(days=d)).year}"
            self.add(d, att[0], self.insert_me(att[1:].tolist()), EVENT, note)
        # weak only: one old event with weak_x is my only route into the weak community
        self.add(int(rng.integers(span // 20, span // 4)), ME, [self.weak_x], EVENT,
                 f"Met briefly at {rng.choice(_obj(W.EVENTS))}")
        for w in self.weak:
            for d in rng.integers(0, span + 1, int(rng.integers(8, 13))).tolist():
                self.add(d, *((self.weak_x, [w]) if rng.random() < 0.5 else (w, [self.weak_x])),
                         int(rng.choice([CALL, MEETING, EMAIL])))
        self.add(span, -1, [self.team[0]], MEETING, "Weekly planning", slot=33)  # ends on end

    def insert_me(self, people: list[int]) -> list[int]:
        people.insert(int(self.rng.integers(0, len(people) + 1)), ME)
        return people

    def iso(self, day: int) -> str:
        return str(self.days[day])

    # -- bulk background (vectorised) --------------------------------------------------------
    def other_comm(self, c: np.ndarray) -> np.ndarray:
        """A random other community in the same region as each of ``c`` (``c`` if alone)."""
        order = np.argsort(self.region, kind="stable")
        rlen = np.bincount(self.region)
        rstart = np.cumsum(rlen) - rlen
        pos = np.empty_like(order)
        pos[order] = np.arange(len(order)) - rstart[self.region[order]]
        r = self.region[c]
        k = np.floor(self.rng.random(len(c)) * np.maximum(rlen[r] - 1, 1)).astype(np.int64)
        return order[rstart[r] + np.where(rlen[r] > 1, k + (k >= pos[c]), pos[c])]

    def tokens(self, pids: np.ndarray) -> np.ndarray:
        """References to people: mostly email, some exact name, some id."""
        pids = np.asarray(pids, dtype=np.int64)
        u = self.rng.random(len(pids))
        out = self.emails[pids]
        out[u >= 0.7] = self.names[pids[u >= 0.7]]
        out[u >= 0.85] = self.ids[pids[u >= 0.85]]
        return out

    def joined(self, mem: np.ndarray) -> np.ndarray:
        toks = self.tokens(mem.ravel()).reshape(mem.shape)
        out = toks[:, 0]
        for j in range(1, mem.shape[1]):
            out = out + ";" + toks[:, j]
        return out

    def chunk(self, day, frm, to, kind, note=None) -> dict:
        n = len(day)
        return {"day": day, "slot": np.full(n, -1), "frm": self.tokens(frm), "to": to,
                "kind": np.asarray(kind), "note": np.full(n, None, dtype=object)
                if note is None else note}

    def background(self, total: int) -> list[dict]:
        rng, size, lo = self.rng, self.size, self.lo
        b = max(total - len(self.rows), 4 * self.n)
        n_ev = min(200, max(2, b // 2500)) if b > 500 else 0
        n_grp, n_cross = int(0.04 * b), int(0.10 * b)
        n = b - n_ev - n_grp
        p = size / size.sum()
        c = rng.choice(len(size), n, p=p)
        s = size[c]
        i = np.floor(s * rng.random(n) ** 1.6).astype(np.int64)  # some people are busier
        j = (i + 1 + np.floor(rng.random(n) * (s - 1)).astype(np.int64)) % s
        a, bb = lo[c] + i, lo[c] + j
        c2 = self.other_comm(c[:n_cross])
        far = lo[c2] + np.floor(rng.random(n_cross) * size[c2]).astype(np.int64)
        bb[:n_cross] = np.where(c2 != c[:n_cross], far, bb[:n_cross])
        swap = rng.random(n) < 0.5
        kind = rng.choice(6, n, p=[0.17, 0.18, 0.35, 0.25, 0.0, 0.05])
        out = [self.chunk(self.bg_days(n), np.where(swap, bb, a),
                          self.tokens(np.where(swap, a, bb)), kind)]
        kk = rng.integers(3, 9, n_grp)
        cg = rng.choice(len(size), n_grp, p=p)
        kk = np.minimum(kk, size[cg])
        for k in np.unique(kk).tolist():
            cs = cg[kk == k]
            m, s = len(cs), size[cs]
            gaps = 1 + np.floor(rng.random((m, k - 1)) * ((s - 1) // (k - 1))[:, None])
            off = np.floor(rng.random(m) * s)[:, None] + np.hstack(
                [np.zeros((m, 1)), np.cumsum(gaps, axis=1)])
            mem = lo[cs][:, None] + (off.astype(np.int64) % s[:, None])
            kind = np.where(rng.random(m) < 0.9, MEETING, EVENT)
            note = _obj(W.GROUP_NOTES)[rng.integers(0, len(W.GROUP_NOTES), m)]
            out.append(self.chunk(self.bg_days(m), mem[:, 0], self.joined(mem[:, 1:]), kind, note))
        big = np.flatnonzero(size >= 10)
        for _ in range(n_ev if len(big) else 0):
            c = int(rng.choice(big))
            att = lo[c] + rng.choice(size[c], min(size[c], int(rng.integers(10, 26))),
                                     replace=False)
            day = self.bg_days(1)
            note = f"{rng.choice(_obj(W.EVENTS))} {(self.start + dt.timedelta(int(day[0]))).year}"
            out.append(self.chunk(day, att[:1], self.joined(att[None, 1:]), [EVENT], _obj([note])))
        return out

    def bg_days(self, n: int) -> np.ndarray:
        """Uniform days; most weekend days move to the Friday before."""
        day = self.rng.integers(0, self.span + 1, n)
        wd = (self.start.weekday() + day) % 7
        move = (wd >= 5) & (self.rng.random(n) < 0.8)
        return np.maximum(day - np.where(move, wd - 4, 0), 0)

    def interactions(self, chunks: list[dict]) -> pd.DataFrame:
        rng, rows = self.rng, self.rows
        frm = np.array([r[2] for r in rows], dtype=np.int64)
        ftok = self.tokens(np.maximum(frm, 0))
        ftok[frm < 0] = None
        flat = self.tokens(np.array([t for r in rows for t in r[3]], dtype=np.int64)).tolist()
        ends = np.cumsum([len(r[3]) for r in rows]).tolist()
        to = _obj([";".join(flat[e - len(r[3]):e]) for r, e in zip(rows, ends, strict=True)])
        planted = {"day": np.array([r[0] for r in rows]), "slot": np.array([r[1] for r in rows]),
                   "frm": ftok, "to": to, "kind": np.array([r[4] for r in rows]),
                   "note": _obj([r[5] for r in rows])}
        cols = {k: np.concatenate([c[k] for c in [planted, *chunks]]) for k in planted}
        day, slot, kind, note = cols["day"], cols["slot"], cols["kind"], cols["note"]
        n = len(day)
        timed = rng.random(n) < np.where((kind == EMAIL) | (kind == MESSAGE), 0.3, 0.8)
        slot = np.where(slot >= 0, slot, np.where(timed, rng.integers(1, 49, n), 0))
        blank = pd.isna(note)
        note[blank] = _NOTES[kind[blank], rng.integers(0, _NOTES.shape[1], int(blank.sum()))]
        order = np.lexsort((np.arange(n), slot, day))
        return pd.DataFrame({"date": self.days[day[order]] + _TIMES[slot[order]],
                             "from": cols["frm"][order], "to": cols["to"][order],
                             "kind": KINDS[kind[order]], "note": note[order]})

    # -- introductions and follow-ups --------------------------------------------------------
    def introductions(self) -> pd.DataFrame:
        rng, span, size, lo = self.rng, self.span, self.size, self.lo
        n_int = max(20, self.n // 3)
        region0 = np.concatenate([self.block(0), self.block(1)])
        rows: list[tuple[int, int, int, int, int]] = []  # day, introducer, a, b, status

        def add(who: int, a: int, b: int, p: list[float]) -> None:
            rows.append((int(rng.integers(0, span + 1)), who, int(a), int(b),
                         int(rng.choice(4, p=p))))

        for _ in range(min(max(6, n_int // 4), 60)):  # me gives first
            add(ME, *rng.choice(region0, 2, replace=False), [0.1, 0.5, 0.15, 0.25])
        for k, c in enumerate(self.conn):
            bridged = np.concatenate([self.block(b) for b in self.bridges[k]])
            far = self.hard[0] if k == 0 else int(rng.choice(np.setdiff1d(bridged, self.hard)))
            rows.append((span - int(rng.integers(3, 60)), c, ME, far, 0))  # asked, not made
            for _ in range(2 if n_int >= 60 else 1):
                add(c, ME, rng.choice(np.setdiff1d(region0, [c])), [0.0, 0.5, 0.1, 0.4])
                add(c, *rng.choice(bridged, 2, replace=False), [0.15, 0.5, 0.15, 0.2])
        m = max(0, n_int - len(rows))
        c = rng.choice(len(size), m, p=size / size.sum())
        s = size[c]
        off = np.floor(rng.random(m) * s).astype(np.int64)
        g1 = 1 + np.floor(rng.random(m) * ((s - 1) // 2)).astype(np.int64)
        g2 = g1 + 1 + np.floor(rng.random(m) * ((s - 1) // 2)).astype(np.int64)
        day = np.concatenate([[r[0] for r in rows], rng.integers(0, span + 1, m)])
        who = np.concatenate([[r[1] for r in rows], lo[c] + off])
        a = np.concatenate([[r[2] for r in rows], lo[c] + (off + g1) % s])
        b = np.concatenate([[r[3] for r in rows], lo[c] + (off + g2) % s])
        status = np.concatenate([[r[4] for r in rows], rng.choice(4, m, p=[0.18, 0.5, 0.12, 0.2])])
        n = len(day)
        day = np.where(status == 0, span - rng.integers(0, 90, n), day).astype(np.int64)
        value = np.where(status == 3, rng.integers(10, 101, n) * 500, -1)
        note = _obj(W.INTRO_NOTES)[rng.integers(0, len(W.INTRO_NOTES), n)]
        who_t, a_t, b_t = self.tokens(who), self.tokens(a), self.tokens(b)
        order = np.argsort(day, kind="stable")
        return pd.DataFrame({
            "date": self.days[day[order]], "introducer": who_t[order], "a": a_t[order],
            "b": b_t[order], "status": STATUSES[status[order]],
            "value": pd.array(np.where(value < 0, None, value)[order].tolist(), dtype="Int64"),
            "note": note[order]})

    def followups(self) -> pd.DataFrame:
        span, due = self.span, [
            (-21, self.silent[0], "Let's do lunch", "open"),
            (-5, self.regular[1], "Send the deck", "open"),
            (-10, self.conn[0], f"Ask for an intro to {self.names[self.hard[0]]}", "open"),
            (7, self.team[0], "Quarterly planning", "open"),
            (14, self.regular[0], "Check in on fundraising", "open"),
            (30, self.weak_x, "Reconnect after the conference", "open"),
            (-60, self.one_way[0], "Reply to the proposal", "done"),
            (-200, self.silent[-1], "Send congratulations on the raise", "done"),
        ]
        due.sort(key=lambda r: r[0])
        return pd.DataFrame({"due": self.days[[span + d for d, *_ in due]],
                             "person": self.tokens([p for _, p, *_ in due]),
                             "note": [r[2] for r in due], "status": [r[3] for r in due]})

    def person(self, pid: int, **extra) -> dict:
        return {"id": str(self.ids[pid]), "name": str(self.names[pid]), **extra}
