"""The generator behind :mod:`netgraph.sample.dataset`: the bulk of the network and its last tables.

:class:`_Gen` is the last of three stages, on :class:`~netgraph.sample.planted._Planted` and
:class:`~netgraph.sample.people._People`: it adds the vectorised background (ties inside and
between communities, group meetings, events) to the planted rows and writes the interactions
and introductions tables. Kept apart from the public functions (``generate``, ``write``) so
each file holds one idea.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from netgraph.sample import names as W
from netgraph.sample.people import EMAIL, EVENT, KINDS, ME, MEETING, MESSAGE, _obj
from netgraph.sample.planted import _Planted

STATUSES = np.array(["requested", "made", "declined", "converted"], dtype=object)
_TIMES = np.array([""] + [f"T{8 + s // 4:02d}:{15 * (s % 4):02d}:00" for s in range(48)],
                  dtype=object)
_NOTES = np.array(W.INTERACTION_NOTES, dtype=object)


class _Gen(_Planted):
    """The whole generator of one generate() call: its methods run in a fixed order (see generate)."""

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

    # -- introductions -----------------------------------------------------------------------
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
