"""Seeded synthetic referral networks: contacts, interactions, introductions and follow-ups.

Builds a realistic but entirely made-up network around *me* (the owner, ``p0000``) in
netgraph's generic CSV input format, plus ``planted.json``: the ground truth that was built in
on purpose (communities, connectors who are the only bridges to far communities, people who went
silent, regular cadences, one-way contacts, hard-to-reach and weak-only targets).

Usage::

    netgraph sample --people 300 --seed 7 --out data/sample --force
    python -m netgraph.sample.dataset OUT_DIR [--people 300] [--seed 7] [--interactions N]
                              [--years 3.0] [--end 2026-10-30]

or from Python::

    from netgraph.sample.dataset import generate, write
    paths = write(generate(300, seed=7), "data/sample")

What is planted (ids in ``planted.json``): me and two team members in a home community; city + sector
communities (8 at 300 people, about people/40 at scale) with dense ties inside and sparse ties
between; 3-4 connectors who are the only interaction paths from my world into their bridged
communities; hard-to-reach members of those (2-3 hops, via their connector); weak-only targets
behind one old event between me and one person; people who went silent (some dormant for over
a year); regular cadences (two slightly overdue at ``end``); one-way contacts. Introductions are
a separate ledger, not interactions: connector 0 holds my pending ("requested") ask for an
introduction to the first hard-to-reach person. Two give-first pairs among my regular contacts
(one needs what the other offers, and they do not know each other: :data:`GIVE_FIRST`), needs
that no one I know well can meet (:data:`DECOY_NEEDS`), one market target (the second
hard-to-reach person's title is the one :data:`MARKET_RULE` names), and a thank-you: an
introduction made for me :data:`THANK_DAYS` days before the end by someone I have not contacted
since. Two promises in my mail (:data:`PROMISES`: one kept by a call, one broken by silence), a
city to visit (my two overdue regular contacts live there, and a target is one introduction
away), and the attendee file of an event (:data:`EVENT`, ``event.csv``): the market target, a
connector, someone I promised a deck, someone I know, and a newcomer.

The same arguments always give byte-identical files (only ``numpy.random.default_rng(seed)`` is
used; nothing depends on the clock or on hash order). ``--interactions`` defaults to about 17
per person; the bulk is built with vectorised numpy, so 100,000 people and 1,000,000
interactions take seconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd

from netgraph.report.atomic import atomic_files, check_target
from netgraph.sample import names as W
from netgraph.sample.generator import _Gen
from netgraph.sample.people import ME, MIN_PEOPLE

__all__ = ["FILES", "Sample", "generate", "main", "write"]

FILES = ("contacts.csv", "interactions.csv", "introductions.csv", "followups.csv", "event.csv",
         "planted.json")


@dataclass(frozen=True)
class Sample:
    """A generated network: the four input tables plus the planted ground truth."""

    contacts: pd.DataFrame
    interactions: pd.DataFrame
    introductions: pd.DataFrame
    followups: pd.DataFrame
    planted: dict
    #: the people met at the planted event, as its attendee file (``netgraph triage``)
    event: pd.DataFrame | None = None


#: The planted give-first pairs, by planted regular contact (index into ``regular``): a needs
#: what b offers. Both are my weekly or fortnightly contacts, who do not know each other.
GIVE_FIRST = ((0, "a fractional CFO", 5, "fractional CFO services"),
              (4, "a product designer", 1, "product designer for hire"))
#: Needs no one I know well can meet: one met only by a contact I barely know (never suggested:
#: no premature solicitation), one met by no one.
DECOY_NEEDS = ((2, "seed funding"), (6, "a patent lawyer"))
#: The market rule the sample's walk-through sets, and the title of the one person it matches.
MARKET_RULE = "title:Chief Partnerships Officer"


def _plant_needs(g: _Gen, contacts: pd.DataFrame) -> tuple[list[dict], dict | None]:
    """What some people need and offer, and one market target, with no random draw.

    So the rest of the sample is as it was. Returns the give-first pairs and the market target,
    as planted. A small sample has fewer regular contacts and hard-to-reach people: what needs more than it
    has is not planted (and not in the truth).
    """
    needs: list[list[str]] = [[] for _ in range(len(contacts))]
    offers: list[list[str]] = [[] for _ in range(len(contacts))]
    regular, pairs = g.regular, []
    for a, need, b, offer in GIVE_FIRST:
        if max(a, b) < len(regular):
            needs[regular[a]].append(need)
            offers[regular[b]].append(offer)
            pairs.append({"a": g.person(regular[a]), "b": g.person(regular[b]), "need": need,
                          "offer": offer})
    for i, need in DECOY_NEEDS:
        if i < len(regular):
            needs[regular[i]].append(need)
    if len(g.one_way) > 1:
        offers[g.one_way[1]].append("seed funding from angels")  # a tie too weak to ask on
    contacts["needs"] = [";".join(x) or None for x in needs]
    contacts["offers"] = [";".join(x) or None for x in offers]
    if len(g.hard) < 2:
        return pairs, None
    contacts.loc[g.hard[1], "title"] = MARKET_RULE.partition(":")[2]
    return pairs, g.person(g.hard[1])


#: Days before the end that the planted thank-you's introduction was made.
THANK_DAYS = 12


def _plant_thank_you(g: _Gen, intros: pd.DataFrame) -> tuple[pd.DataFrame, dict | None]:
    """The agenda's thank-you: an introduction made for me, and no contact with its introducer since.

    Made :data:`THANK_DAYS` days before the end, with no random draw. The introducer is the
    first of my other home contacts whose last contact with me is more than 40 days before the
    end; they introduce me to the first such contact of the nearby community. None when the
    sample is too small to have them.
    """
    last: dict[int, int] = {}
    for day, _slot, frm, to, _kind, _note in g.rows:
        if frm in (ME, -1) or ME in to:
            for p in (frm, *to):
                if p not in (ME, -1):
                    last[p] = max(last.get(p, -1), day)
    quiet = lambda pool: [p for p in pool if -1 < last.get(p, -1) < g.span - 40]  # noqa: E731
    introducers, others = quiet(g.ord_home), [p for p in g.ord_near if p not in last]
    if not introducers or not others:
        return intros, None
    who, other = introducers[0], others[0]
    row = pd.DataFrame({"date": [g.days[g.span - THANK_DAYS]], "introducer": [g.emails[who]],
                        "a": [W.ME_EMAIL], "b": [g.emails[other]], "status": ["made"],
                        "value": pd.array([None], dtype="Int64"),
                        "note": ["Thought you two should meet"]})
    intros = pd.concat([intros, row], ignore_index=True).sort_values(
        "date", kind="stable", ignore_index=True)
    return intros, {"introducer": g.person(who), "introduced": g.person(other),
                    "date": g.iso(g.span - THANK_DAYS)}


#: The planted promises: (planted regular or went-silent contact, what I wrote before the
#: promise, the promise). The first is kept by a call or meeting that follows it; the second,
#: to someone who went silent, is written on our last day of contact, and broken.
PROMISES = (("regular", 0, "Great catching up.", "Let's grab coffee next Tuesday to go through the plan."),
            ("went_silent", 1, "Thanks for your time today.", "I'll send you the case study next week."))
#: The event the sample's attendee file (``event.csv``) is from, and how many days before the end.
EVENT = ("Fintech Founders Breakfast", 3)


def _plant_promises(g: _Gen, inter: pd.DataFrame) -> list[dict]:
    """Promises in my notes on planted contacts with me: one kept, one broken; no random draw.

    Written into rows already made, so no row is added and nothing else changes: the kept one
    on the last contact of mine, at least 30 days before the end, that a call or meeting with
    them follows; the broken one on my last contact with someone who went silent (made mine,
    and the last of its day). Returns the promises, as planted.
    """
    pools = {"regular": g.regular, "went_silent": g.silent}
    mine = {W.ME_EMAIL, str(g.names[ME]), str(g.ids[ME])}
    truth = []
    for pool, i, greeting, promise in PROMISES:
        if i >= len(pools[pool]):
            continue
        pid = pools[pool][i]
        theirs = {str(g.emails[pid]), str(g.names[pid]), str(g.ids[pid])}
        frm, to = inter["from"].to_numpy(dtype=object), inter["to"].to_numpy(dtype=object)
        from_me = np.array([not isinstance(f, str) or f in mine for f in frm])
        ours = np.flatnonzero([(m and t in theirs) or (f in theirs and t in mine)
                               for m, f, t in zip(from_me, frm, to, strict=True)])
        if not len(ours):
            continue
        days = inter["date"].str[:10].to_numpy()
        kinds = inter["kind"].to_numpy()
        if pool == "regular":
            end = g.iso(g.span - 30)
            at = [n for n, after in pairwise(ours.tolist())
                  if days[n] <= end and from_me[n] and kinds[after] in ("call", "meeting")
                  and days[after] > days[n]]
        else:
            at = [int(ours[-1])]
        if not at:
            continue
        n = at[-1]
        inter.loc[n, ["from", "to", "note"]] = [None, str(g.emails[pid]), f"{greeting} {promise}"]
        if pool != "regular":  # after every planted contact of the day: nothing follows it
            inter.loc[n, "date"] = f"{days[n]}T20:30:00"
        truth.append({**g.person(pid), "made_on": str(days[n]), "note": promise,
                      "state": "kept" if pool == "regular" else "broken"})
    return truth


def _plant_trip(g: _Gen, contacts: pd.DataFrame, inter: pd.DataFrame,
                intros: pd.DataFrame) -> dict | None:
    """A city to visit: my first overdue regular contact's, and a target there one intro away.

    The target is the first person of that city I have never been in contact with (nor in an
    introduction); their category becomes ``target``, and the last :data:`TRIP_INTRO_ROWS`
    interactions of the last :data:`TRIP_RECENT_DAYS` days between people nothing is planted
    about become meetings between them and my overdue contact, the one to ask. No random draw,
    and no row added. None when the sample has no such person.
    """
    overdue = [p for i, p in enumerate(g.regular) if i in (1, 6)]
    if not overdue:
        return None
    via = overdue[0]
    city = str(contacts.loc[via, "city"])
    pid_of = {str(t): p for p, t in enumerate(g.ids)}
    pid_of |= {str(t): p for p, t in enumerate(g.emails)}
    names = pd.Series(g.names).value_counts()
    pid_of |= {str(t): p for p, t in enumerate(g.names) if names[t] == 1}
    rows = [{ME if not isinstance(frm, str) else pid_of.get(frm, -1),
             *(pid_of.get(t, -1) for t in str(to).split(";"))}
            for frm, to in zip(inter["from"], inter["to"], strict=True)]
    with_me = set().union(*(r for r in rows if ME in r))
    for who, a, b in zip(intros["introducer"], intros["a"], intros["b"], strict=True):
        named = {pid_of.get(str(x), -1) for x in (who, a, b)}
        if ME in named:  # an introduction with me is a tie too
            with_me |= named
    strangers = [int(p) for p in contacts.index[contacts["city"] == city] if p not in with_me]
    if not strangers:
        return None
    target = strangers[0]
    planted = {*g.team, *g.conn, *g.hard, *g.weak, g.weak_x, *g.silent, *g.regular, *g.one_way,
               ME, target}
    recent = g.iso(g.span - TRIP_RECENT_DAYS)
    free = [n for n, (day, people) in enumerate(zip(inter["date"], rows, strict=True))
            if str(day) >= recent and -1 not in people and not people & planted]
    at = inter.index[free[-TRIP_INTRO_ROWS:]]
    inter.loc[at, ["from", "to", "kind"]] = [str(g.emails[via]), str(g.emails[target]), "meeting"]
    contacts.loc[target, "category"] = "target"
    here = [p for p in overdue if contacts.loc[p, "city"] == city]
    return {"city": city, "overdue": [g.person(p) for p in here],
            "ask_intro": {**g.person(target), "via": g.person(via)}}


#: The planted trip's target meets the contact to ask this many times,
TRIP_INTRO_ROWS = 6
#: in this many last days.
TRIP_RECENT_DAYS = 120


def _event_file(g: _Gen, contacts: pd.DataFrame, avoid: set[int]) -> tuple[pd.DataFrame, dict]:
    """The people I met at :data:`EVENT`, as typed-up business cards; no random draw.

    The market target (if planted), a connector, a contact I promised something to on the
    day, a home contact I already know, and a newcomer; none of the people in ``avoid``.
    """
    near = [p for p in g.ord_near if p not in avoid]
    def card(pid: int, notes: str | None = None) -> dict:
        c = contacts.loc[pid]
        return {"name": c["name"], "email": c["email"], "company": c["company"],
                "title": c["title"], "notes": notes, "tags": None}

    met = [(g.hard[1:2], "Runs partnerships; wants to meet our portfolio"),
           (g.conn[1:2], "Knows everyone in payments"),
           (near[:1], "I'll send our fundraising deck by Friday."),
           (g.ord_home[:1], "Good to see them again")]
    people = [card(pids[0], notes) for pids, notes in met if pids]
    people.append({"name": "Jordan Okafor", "email": "jordan@ledgerlight.io", "company": "Ledgerlight",
                   "title": "Product Lead", "notes": "Interested in the pilot", "tags": "fintech"})
    frame = pd.DataFrame(people, columns=["name", "email", "company", "title", "notes", "tags"])
    day = g.iso(g.span - EVENT[1])
    return frame, {"name": EVENT[0], "date": day,
                   "target": g.person(g.hard[1]) if len(g.hard) > 1 else None,
                   "promise": g.person(near[0]) if near else None,
                   "new": "Jordan Okafor"}


def generate(people: int = 300, *, seed: int = 7, interactions: int | None = None,
             years: float = 3.0, end: dt.date = dt.date(2026, 10, 30)) -> Sample:
    """Generate a synthetic referral network with planted structure.

    Parameters
    ----------
    people : int
        Number of contacts including me (``p0000``); at least 20. Below 100 the planted
        groups shrink (2-3 connectors, 2-4 people per role).
    seed : int
        Seed for ``numpy.random.default_rng``; equal arguments give equal output.
    interactions : int, optional
        Number of interaction rows; default about 17 per person. Exact unless it is below
        the planted rows (about 1,900 for three years) plus four per person; then that many.
    years : float
        Length of the history; the last interaction is on ``end``. At least 1.
    end : datetime.date
        The last date in the sample.

    Returns
    -------
    Sample
        The four tables in the generic CSV layout and the planted ground truth.
    """
    if people < MIN_PEOPLE:
        raise ValueError(f"people must be at least {MIN_PEOPLE}, got {people}")
    if years < 1:
        raise ValueError(f"years must be at least 1, got {years}")
    end = end.date() if isinstance(end, dt.datetime) else end
    g = _Gen(int(people), seed, float(years), end)
    g.layout()
    contacts = g.contacts()
    g.roles()
    g.close_ties()
    truth = {"went_silent": g.silent_ties(), "regular": g.regular_ties(),
             "one_way": g.one_way_ties()}
    g.loose_ties()
    inter = g.interactions(g.background(round(17 * people) if interactions is None
                                        else int(interactions)))
    intros, follow = g.introductions(), g.followups()
    intros, thank_you = _plant_thank_you(g, intros)
    cadence = {p["id"]: p["cadence_days"] for p in truth["regular"]}
    cadence |= {g.conn[0]: 30, g.conn[1]: 30, g.silent[0]: 14}
    contacts.loc[list(cadence), "cadence_days"] = list(cadence.values())
    category = contacts["category"].to_numpy(dtype=object, na_value=None)
    category[g.conn] = None
    category[[g.conn[0]]] = "connector"
    category[[*g.hard[::2], *g.weak]] = "target"
    category[g.weak_x] = None
    contacts["category"] = category
    give_first, market_target = _plant_needs(g, contacts)
    promises = _plant_promises(g, inter)
    inter = inter.sort_values("date", kind="stable", ignore_index=True)  # a promise moved late
    trip = _plant_trip(g, contacts, inter, intros)
    avoid = {int(g.ids.tolist().index(trip["ask_intro"]["id"]))} if trip else set()
    event, event_truth = _event_file(g, contacts, avoid)
    comm_ids = {name: g.ids[g.block(c)].tolist() for c, name in enumerate(g.cname)}
    comm_ids[g.cname[0]].insert(0, str(g.ids[ME]))
    silent = [g.person(p.pop("id"), **p) for p in truth["went_silent"]]
    planted = {
        "seed": int(seed), "people": int(people), "end": end.isoformat(),
        "start": g.start.isoformat(), "years": float(years),
        "me": g.person(ME, email=W.ME_EMAIL),
        "team": [g.person(t, email=str(g.emails[t])) for t in g.team],
        "home_community": g.cname[0], "communities": comm_ids,
        "connectors": [g.person(c, bridges=[g.cname[b] for b in g.bridges[k]])
                       for k, c in enumerate(g.conn)],
        "went_silent": silent,
        "dormant": [p["id"] for p in silent if p["silent_days"] > 365],
        "regular": [g.person(p.pop("id"), **p) for p in truth["regular"]],
        "one_way": [g.person(p.pop("id"), **p) for p in truth["one_way"]],
        "hard_to_reach": [g.person(h, community=g.cname[g.comm[h]], via=str(g.ids[g.conn[k]]),
                                   hops=2 if k % 2 == 0 else 3) for k, h in enumerate(g.hard)],
        "weak_only": [g.person(w, weak_hop=[str(g.ids[ME]), str(g.ids[g.weak_x])])
                      for w in g.weak],
        "give_first": give_first,
        "thank_you": thank_you,
        "market": {"rule": MARKET_RULE, "target": market_target},
        "promises": promises, "trip": trip, "event": event_truth,
        "counts": {"contacts": len(contacts), "interactions": len(inter),
                   "introductions": len(intros), "followups": len(follow)},
    }
    return Sample(contacts, inter, intros, follow, planted, event)


def write(sample: Sample, out_dir: str | Path, *, overwrite: bool = True) -> dict[str, Path]:
    """Write a sample as CSV files plus ``planted.json``.

    Parameters
    ----------
    sample : Sample
        What :func:`generate` returned.
    out_dir : str or Path
        Directory to write into; created if missing.
    overwrite : bool
        Replace existing files of these names (the CLI asks for ``--force``). The files appear
        together, once all are written; a failed write leaves none behind.

    Returns
    -------
    dict[str, Path]
        ``{"contacts", "interactions", "introductions", "followups", "event", "planted"}`` to
        paths.

    Raises
    ------
    OutputError
        When a file exists and ``overwrite`` is False, or the folder cannot be written.
    """
    out = check_target(out_dir, overwrite=overwrite, folder=True, files=FILES)
    paths = {file.split(".")[0]: out / file for file in FILES}
    with atomic_files(list(paths.values()), label=out) as temps:
        tmp = dict(zip(paths, temps, strict=True))
        for name in ("contacts", "interactions", "introductions", "followups", "event"):
            frame = getattr(sample, name)
            if frame is None:  # a sample too small for an event: an empty attendee file
                frame = pd.DataFrame(columns=["name", "email", "company", "title", "notes", "tags"])
            frame.to_csv(tmp[name], index=False, lineterminator="\n", encoding="utf-8")
        text = json.dumps(sample.planted, sort_keys=True, indent=2, ensure_ascii=False)
        tmp["planted"].write_text(text + "\n", encoding="utf-8")
    return paths


def main(argv: list[str] | None = None) -> int:
    """Command line entry point: ``python -m netgraph.sample.dataset OUT_DIR [options]``."""
    ap = argparse.ArgumentParser(prog="python -m netgraph.sample.dataset", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir")
    ap.add_argument("--people", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--interactions", type=int, default=None)
    ap.add_argument("--years", type=float, default=3.0)
    ap.add_argument("--end", type=dt.date.fromisoformat, default=dt.date(2026, 10, 30))
    args = ap.parse_args(argv)
    sample = generate(args.people, seed=args.seed, interactions=args.interactions,
                      years=args.years, end=args.end)
    for path in write(sample, args.out_dir).values():
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
