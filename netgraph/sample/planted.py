"""The second stage of the sample generator: the planted roles and the ties built in on purpose.

:class:`_Planted` picks the team, the connectors, the people who go silent, the regular and
one-way contacts, the hard-to-reach and weak-only targets, and plants their interactions with
me (and the connectors' into far communities) as rows; it also writes the follow-ups about
them. What it plants is the ground truth in ``planted.json``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from netgraph.sample import names as W
from netgraph.sample.people import CALL, EMAIL, EVENT, ME, MEETING, MESSAGE, _obj, _People


class _Planted(_People):
    """The second stage: planted roles, my own ties, and the follow-ups about them."""

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
