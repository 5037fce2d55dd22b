"""The Python API for analyses on a store.

Each function reads what it needs, then calls a pure analysis from :mod:`netgraph.analytics`.
The CLI calls exactly these.

May import: every stage below the CLI (:mod:`netgraph.analytics`, :mod:`netgraph.graph`,
:mod:`netgraph.ties`, :mod:`netgraph.identity`, :mod:`netgraph.store`, :mod:`netgraph._errors`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from netgraph._errors import NoTieError
from netgraph.identity.lookup import resolve_person
from netgraph.rows import Rows
from netgraph.store import queries
from netgraph.store.database import Store
from netgraph.ties.history import keep_history, my_history, require_me
from netgraph.ties.model import PROMISED_BY, AsOf, as_of_bound, as_of_date

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

    import networkx as nx
    import pandas as pd

    from netgraph.analytics.paths.warm import PathResult, TeamPaths

# Each function imports the analyses it calls: the questions about my ties (neglected, ledger,
# explain-tie) need neither a graph nor igraph, scipy or NetworkX, and a warm path search
# (intro) needs no pandas, so each question loads only what it uses.

__all__ = [
    "agenda",
    "brief",
    "close_followup",
    "connectors",
    "dormant",
    "explain_tie",
    "followups",
    "give",
    "intro",
    "intro_drafts",
    "ledger",
    "my_part",
    "neglected",
    "plan",
    "prepare",
    "roles",
    "triage",
    "trip",
    "trip_cities",
    "weak_ties",
    "whole_network",
]

#: How far "my part" of the network reaches: my contacts and theirs.
MY_HOPS = 2


def my_part(store: Store, as_of: AsOf = None, *, hops: int = MY_HOPS,
            attributes: tuple[str, ...] | None = None) -> nx.Graph:
    """My neighbourhood: everyone within ``hops`` ties of me, and every tie among them.

    ``attributes`` names the edge attributes to load (default: all of them).
    """
    from netgraph.graph.projection import EDGE_ATTRIBUTES, load_neighbourhood

    return load_neighbourhood(store, [require_me(store)], hops=hops, as_of=as_of,
                              attributes=attributes or EDGE_ATTRIBUTES)


def _my_structure(store: Store, as_of: AsOf) -> nx.Graph:
    """My part (:func:`my_part`) as the structural analyses read it: people and compiled ties.

    No NetworkX edge is built (:func:`~netgraph.graph.projection.load_structure`): my
    connectors, my weak ties and their communities read only the compiled engine and the node
    attributes, which are those of :func:`my_part`.
    """
    from netgraph.graph.projection import load_structure

    return load_structure(store, [require_me(store)], hops=MY_HOPS, as_of=as_of)


def whole_network(store: Store, name: str, as_of: AsOf, compute: Callable[[], pd.DataFrame], *,
                  as_frame: bool = True) -> pd.DataFrame | Rows:
    """A whole-network result, computed once per data version, day and "me", then read back.

    Where ``netgraph attach`` answered it from Spark's metrics for this data, day and "me"
    (:data:`netgraph.spark.attach.ANSWERS`), that answer is read instead. ``as_frame=False``
    gives it as :class:`~netgraph.rows.Rows`: read back, no pandas loads.
    """
    from netgraph.spark.attach import ANSWERS
    from netgraph.store import cache

    day = as_of_date(as_of).isoformat()
    if name in ANSWERS:
        attached = cache.current(store, ANSWERS[name], day, as_frame=as_frame)
        if attached is not None:
            return attached
    return cache.cached(store, name, day, compute, as_frame=as_frame)


def _about_me(store: Store, name: str, as_of: AsOf, compute: Callable[[], Rows],
              what: str) -> Rows:
    """An answer about me that reads my whole neighbourhood, computed once per data version.

    Ranking my connectors and classifying my weak ties read everyone within two hops of me (at
    100k people, tens of thousands of people and hundreds of thousands of ties), so the answer
    is kept in the store (:func:`netgraph.store.cache.kept_rows`) and the next question reads it
    back. Any import, merge or setting moves the data version, and the kept answer is not read.
    """
    from netgraph.store import cache

    return cache.kept_rows(store, name, as_of_date(as_of).isoformat(), compute, what=what)


def neglected(store: Store, as_of: AsOf = None, *, as_frame: bool = True) -> pd.DataFrame | Rows:
    """My relationships overdue against their own cadence, most urgent first (needs "me").

    ``as_frame=False`` gives the same answer as :class:`~netgraph.rows.Rows` (plain Python
    values), for which no pandas is loaded; so do :func:`dormant`, :func:`ledger` and
    :func:`explain_tie`.
    """
    from netgraph.analytics import neglect

    rows = neglect.neglected(my_history(store, as_of, everyone=False))
    return rows.answer(as_frame)


def dormant(store: Store, as_of: AsOf = None, *, as_frame: bool = True) -> pd.DataFrame | Rows:
    """Ties strong at their peak and silent for more than a year (Levin et al. 2011)."""
    from netgraph.analytics import neglect

    rows = neglect.dormant(my_history(store, as_of, everyone=False))
    return rows.answer(as_frame)


def ledger(store: Store, as_of: AsOf = None, *, min_imbalance: int = 2,
           as_frame: bool = True) -> pd.DataFrame | Rows:
    """Introductions I gave each person against those I received, where unbalanced.

    See :func:`~netgraph.analytics.ledger.give_and_take`.
    """
    from netgraph.analytics import neglect

    rows = neglect.ledger(my_history(store, as_of, contacts=False, everyone=False),
                          min_imbalance=min_imbalance)
    return rows.answer(as_frame)


#: What :func:`followups` lists.
FOLLOW_UP_COLUMNS = ("follow_up_id", "name", "person_id", "promised_by", "state", "due_on",
                     "made_on", "kept_on", "kind", "source", "note")
#: The states :func:`followups` can list: ``all`` is every one.
FOLLOW_UP_STATES = ("open", "kept", "broken", "dropped", "all")


def followups(store: Store, as_of: AsOf = None, *, status: str = "open", owner: str | None = None,
              as_frame: bool = True) -> pd.DataFrame | Rows:
    """Follow-ups and promises with their state: open, kept, broken or dropped.

    A promise found in mail, notes or an event is kept by any later contact with the person
    (a meeting or call, when it was a promise to meet) and broken 30 days past due without one;
    see :func:`netgraph.store.queries.follow_up_states`. ``status`` picks a state (``all``: every
    one); ``owner`` ``me`` or ``them`` picks whose promises: mine are my debts, theirs are not.
    The earliest due first.
    """
    if status not in FOLLOW_UP_STATES:
        msg = f"unknown status {status!r}: use one of {', '.join(FOLLOW_UP_STATES)}"
        raise ValueError(msg)
    day, bound = as_of_date(as_of), as_of_bound(as_of)
    states = queries.follow_up_states(store, store.me_id, day, bound)
    rows = [(r["follow_up_id"], r["name"], r["person_id"], PROMISED_BY.get(r["owner"], r["owner"]),
             r["state"],
             r["due_on"], None if r["made_at"] is None else r["made_at"].date(),
             None if r["kept_at"] is None else r["kept_at"].date(), r["promise_kind"], r["source"],
             r["note"])
            for r in states.records()
            if (status == "all" or r["state"] == status) and (owner is None or r["owner"] == owner)]
    return Rows(FOLLOW_UP_COLUMNS, rows, dtypes={"follow_up_id": "Int64", "person_id": "Int64"}
                ).answer(as_frame)


def close_followup(store: Store, follow_up_id: int, how: str) -> dict[str, object]:
    """Close a follow-up by hand: ``done`` (it was kept) or ``drop`` (it is no longer meant)."""
    from netgraph.ingest.promises import close_follow_up

    return close_follow_up(store, follow_up_id, how)


def triage(store: Store, path: str | Path, event: str, day: date | None = None, *,
           as_frame: bool = True) -> pd.DataFrame | Rows:
    """After an event: record the people met, sort them into three piles, make their follow-ups.

    ``path`` lists the people met at ``event`` on ``day`` (default today): a CSV with ``name``
    and optionally ``email``, ``company``, ``title``, ``notes``, ``tags``; a vCard file; or the
    event's .ics (:func:`netgraph.sources.event.read_event_file`). Each person is imported as a
    contact (people already known are matched by the usual identity rules, and the answer says
    by which), meets me at an ``event`` interaction that day, and is sorted by
    :func:`netgraph.analytics.triage.triage`: a target gets a follow-up due in 2 days, a
    connector in 7, a general contact only where my notes on them hold a promise. Running it
    again on the same file changes nothing (both batches are the same files, the follow-ups the
    same fingerprints), and gives the same answer.
    """
    from datetime import datetime, time

    from netgraph.analytics.triage import triage as sort_people
    from netgraph.identity.resolver import Resolver
    from netgraph.ingest.batch import import_parsed
    from netgraph.ingest.contacts import known_people
    from netgraph.ingest.promises import write_follow_ups
    from netgraph.promises import find_promises
    from netgraph.sources.bounds import check_parsed
    from netgraph.sources.event import event_meetings, met_refs, read_event_file

    me = require_me(store)
    day = day or as_of_date(None)
    people = check_parsed(read_event_file(path, store.my_emails()))
    known = known_people(store, people)
    rows = people.rows.reset_index(drop=True)
    refs = met_refs(people)
    met_at = datetime.combine(day, time(0))
    meetings = event_meetings(people, event, day)
    results = import_parsed(store, [people, meetings])
    resolver = Resolver(store)
    pids = [resolver.resolve(ref)[0] for ref in refs]
    # who this file brought in (asked again, the answer says the same): created by its batch
    made_here = queries.people_created_by(store, people.sha256, "contacts")
    role_of = {int(r["person_id"]): (r["suggested_role"], r["reason"])
               for r in roles(store, day, as_frame=False).records()}
    met = []
    for row, pid, (_, rule) in zip(rows.itertuples(index=False), pids, known, strict=True):
        if pid is None or pid == me:
            continue
        role, why = role_of.get(int(pid), ("general", None))
        notes = row.notes if isinstance(row.notes, str) else ""
        met.append({"person_id": int(pid), "name": store.name_of(int(pid)) or row.name,
                    "role": role, "role_reason": why,
                    "known": None if pid in made_here else (rule or "an earlier import"),
                    "promises": find_promises(notes, day) if notes else [], "line": row.line})
    answer = sort_people(met, event, day)
    line_of = {m["person_id"]: m["line"] for m in met}
    batch = next((r.batch_id for r in reversed(results) if r.batch_id is not None), None)
    if batch is not None:
        write_follow_ups(store, batch, [
            {"line": line_of[r["person_id"]], "person_id": r["person_id"], "due_on": r["due"],
             "note": f"{event}: {r['action']}", "made_at": met_at,
             "key": f"{people.sha256}|{event}|{day.isoformat()}|{r['person_id']}"}
            for r in answer.records() if r["due"] is not None], source="triage")
    return answer.answer(as_frame)


def agenda(store: Store, as_of: AsOf = None, *, days: int = 7, top: int = 10,
           as_frame: bool = True) -> pd.DataFrame | Rows:
    """The week's actions, ranked and balanced by kind (see :mod:`netgraph.analytics.agenda`).

    ``days`` is the window (promises due within it count); ``top`` the most items. Reads what
    ``neglected``, ``neglected --dormant``, ``give`` and ``intro`` read, the open follow-ups, the
    introductions made for me in the last 30 days, and my last contact with each person listed.
    """
    from datetime import timedelta

    from netgraph.analytics import neglect
    from netgraph.analytics.agenda import balance
    from netgraph.analytics.paths.warm import DEFAULT_MIN_STRENGTH

    if days < 1:
        msg = f"--days must be at least 1 (a week is --days 7), got {days}"
        raise ValueError(msg)
    me, today, bound = require_me(store), as_of_date(as_of), as_of_bound(as_of)
    hist = my_history(store, as_of, everyone=False)  # read once: neglect, dormant and the ledger
    balances = _balances(neglect.ledger(hist, min_imbalance=1))
    items: dict[str, list[dict]] = {k: [] for k in
                                    ("follow-up", "thank", "give", "reconnect", "revive", "ask")}
    for f in queries.followups_due(store, today + timedelta(days=days), me, today, bound):
        late = (today - f["due_on"]).days
        when = (f"{late} days overdue" if late > 0 else "due today" if late == 0
                else f"due {f['due_on'].isoformat()}")
        items["follow-up"].append({"person_id": f["person_id"], "name": f["name"],
                                   "why": f"{when}: {f['note'] or 'a follow-up'}",
                                   "first_step": f"Follow through: {f['note'] or 'get in touch'}",
                                   "due": max(f["due_on"], today)})
    for t in queries.thanks_owed(store, me, today - timedelta(days=30), bound):
        items["thank"].append({
            "person_id": t["introducer_id"], "name": t["introducer"],
            "why": f"introduced you to {t['other']} on {t['occurred_on'].isoformat()} ({t['status']}); "
                   "you have not been in touch since",
            "first_step": f"Thank them, and tell them how it went with {t['other']}", "due": today})
    for g in _give(store, as_of, DEFAULT_MIN_STRENGTH, balances).records():
        items["give"].append({
            "person_id": g["a_id"], "name": f"{g['a']} and {g['b']}", "why": g["reason"],
            "first_step": f"Ask {g['a']} and {g['b']}, each on their own, whether they would welcome "
                          "the introduction (double opt-in)", "due": today + timedelta(days=days)})
    for n in neglect.neglected(hist).records():
        items["reconnect"].append({"person_id": n["person_id"], "name": n["name"], "why": n["reason"],
                                   "first_step": "Get in touch: a short note, or a call",
                                   "due": today})
    for d in neglect.dormant(hist).records():
        items["revive"].append({"person_id": d["person_id"], "name": d["name"], "why": d["reason"],
                                "first_step": "Write a note that picks up where you left off",
                                "due": today + timedelta(days=days)})
    items["ask"] = _asks(store, as_of, me, today + timedelta(days=days), balances)
    listed = {int(i["person_id"]) for kind in items.values() for i in kind}
    last = queries.my_last_contacts(store, me, listed, bound)
    context = {pid: f"last contact {at.date().isoformat()} ({kind}{': ' + note if note else ''})"
               for pid, (at, kind, note) in last.items()}
    return balance(items, top=top, context=context).answer(as_frame)


#: The most introductions to ask for that ``agenda`` finds, and the intermediaries a path may have.
ASK_TARGETS, ASK_HOPS = 3, 3


def _asks(store: Store, as_of: AsOf, me: int, due: object,
          balances: dict[int, int]) -> list[dict]:
    """Introductions to ask for: a warm path to a target whose first hop I have given to.

    My targets are the people my market rules match, else those I marked ``target``; people I
    already know well (a tie at the warm floor) are not targets to ask about. Paths are searched
    in one part of the network read for all of them, by person number, until
    :data:`ASK_TARGETS` asks are found.
    """
    from netgraph.analytics.paths.warm import DEFAULT_MIN_STRENGTH, warm_paths
    from netgraph.identity.settings import market_rules
    from netgraph.market import match
    from netgraph.ties.table import tie_lists

    rules = market_rules(store)
    mine = tie_lists(store, as_of, people=[me], min_strength=DEFAULT_MIN_STRENGTH)
    known = {int(p) for p in (*mine["u"], *mine["v"])} | {me}
    candidates = queries.people_for_market(store, category=None if rules else "target")
    targets = [p for p in candidates if p["person_id"] not in known and (
        match(p, rules) is not None if rules else p["category"] == "target")]
    if not targets:
        return []
    G = _path_graph(store, as_of, [me], [t["person_id"] for t in targets], ASK_HOPS,
                    DEFAULT_MIN_STRENGTH)  # one part of the network serves every target
    asks = []
    for t in targets:
        if len(asks) == ASK_TARGETS:
            break
        best = warm_paths(G, me, t["person_id"], k=1, max_hops=ASK_HOPS,
                          min_strength=DEFAULT_MIN_STRENGTH).best
        if best is None or len(best.people) < 3:  # no warm path, or I know them directly
            continue
        hop = best.people[1]
        if balances.get(int(hop), 0) < 0:  # they have given me more: not the moment to ask
            continue
        asks.append({"person_id": hop, "name": best.names[1],
                     "why": f"a warm path to {t['name']} ({' > '.join(best.names)}, strength "
                            f"{best.path_strength:.2f}); you have given {best.names[1]} at least "
                            "as much as you received",
                     "first_step": best.first_step, "due": due})
    return asks


def give(store: Store, as_of: AsOf = None, *, min_strength: float | None = None,
         as_frame: bool = True) -> pd.DataFrame | Rows:
    """Introductions I could make: pairs of people I know well, where one needs what the other has.

    ``min_strength`` is the floor of my tie to each of them (and the most a tie between them may
    be); by default that of a warm introduction (``netgraph intro``). Reads my ties, the ties
    among the people I know well, their needs and offers, the introductions made so far and my
    ledger. See :func:`~netgraph.analytics.give.introductions_to_make`.
    """
    from netgraph.analytics.paths.warm import DEFAULT_MIN_STRENGTH

    floor = DEFAULT_MIN_STRENGTH if min_strength is None else min_strength
    return _give(store, as_of, floor, _balances(ledger(store, as_of, min_imbalance=1,
                                                       as_frame=False))).answer(as_frame)


def _balances(rows: Rows) -> dict[int, int]:
    """Given minus received introductions, by person, from the ledger's rows."""
    return {int(p): int(b) for p, b in zip(rows.column("person_id"), rows.column("balance"),
                                           strict=True)}


def _give(store: Store, as_of: AsOf, floor: float, balances: dict[int, int]) -> Rows:
    """:func:`give`, with my ledger's balances already read."""
    from netgraph.analytics.give import introductions_to_make
    from netgraph.ties.table import tie_lists

    me = require_me(store)
    mine = tie_lists(store, as_of, people=[me], columns=("u", "v", "strength"))
    my_strength = {int(v if u == me else u): float(s)
                   for u, v, s in zip(mine["u"], mine["v"], mine["strength"], strict=True)}
    well = [p for p, s in my_strength.items() if s >= floor]
    among = tie_lists(store, as_of, people=well, among=True, columns=("u", "v", "strength"))
    between = {(int(u), int(v)): float(s)
               for u, v, s in zip(among["u"], among["v"], among["strength"], strict=True)}
    return introductions_to_make(
        queries.person_cards(store, well), my_strength, between,
        queries.introduction_pairs(store, as_of_bound(as_of).date()), floor=floor,
        owed={p: -b for p, b in balances.items() if b < 0})


def brief(store: Store, person: str | int, as_of: AsOf = None, *,
          as_frame: bool = True) -> pd.DataFrame | Rows:
    """A brief before reaching out to ``person`` (see :func:`netgraph.analytics.brief.brief`).

    Our tie, recent contact, promises, introductions, mutual contacts, what we share, and an
    opener. Reads my ties and theirs, our interactions, the open follow-ups about them and the
    introductions between us.
    """
    from netgraph.analytics.brief import SHOWN
    from netgraph.analytics.brief import brief as make_brief
    from netgraph.ties.table import tie_lists

    me = require_me(store)
    them = resolve_person(store, person)
    if them == me:
        msg = "a brief is about someone else: name the person you are about to contact"
        raise NoTieError(msg)
    ties = tie_lists(store, as_of, people=[me, them], columns=("u", "v", "strength"))
    of: dict[int, dict[int, float]] = {me: {}, them: {}}
    for u, v, s in zip(ties["u"], ties["v"], ties["strength"], strict=True):
        for a, b in ((int(u), int(v)), (int(v), int(u))):
            if a in of:
                of[a][b] = float(s)
    strength = of[me].get(them)
    try:
        factors = explain_tie(store, me, them, as_of, as_frame=False).records()
    except NoTieError:
        factors = []
    both = sorted(((p, (of[me][p] * of[them][p]) ** 0.5) for p in of[me].keys() & of[them].keys()
                   if p not in (me, them)), key=lambda x: (-x[1], x[0]))
    bound = as_of_bound(as_of)
    ours = queries.our_interactions(store, me, them, bound)
    cards = queries.person_cards(store, [me, them])
    rows = make_brief(
        cards[me], cards[them], strength=strength,
        factors=factors, interactions=ours[:SHOWN], n_contacts=len(ours),
        promises=queries.open_followups(store, them, me, as_of_date(as_of), bound),
        introductions=queries.introductions_between(store, me, them, bound.date()),
        mutual=[(store.name_of(p), s) for p, s in both[:SHOWN]], n_mutual=len(both))
    return rows.answer(as_frame)


def explain_tie(store: Store, a: str | int, b: str | int, as_of: AsOf = None, *,
                as_frame: bool = True) -> pd.DataFrame | Rows:
    """Each factor's contribution to the strength of the tie between ``a`` and ``b``."""
    from netgraph.analytics.explain import explain_features
    from netgraph.store.values import plain
    from netgraph.ties.table import FRAME_COLUMNS, tie_lists

    pa, pb = resolve_person(store, a), resolve_person(store, b)
    ties = tie_lists(store, as_of, people=[pa, pb], among=True, columns=FRAME_COLUMNS)
    ends = (min(pa, pb), max(pa, pb))
    hit = [i for i, pair in enumerate(zip(ties["u"], ties["v"], strict=True))
           if (int(pair[0]), int(pair[1])) == ends]
    if not hit:
        day = as_of_date(as_of).isoformat()
        msg = (f"{store.name_of(pa)} and {store.name_of(pb)} have no tie as of {day}: no shared "
               "interaction or introduction")
        raise NoTieError(msg)
    rows = explain_features({c: plain(ties[c][hit[0]]) for c in FRAME_COLUMNS})
    return rows.answer(as_frame)


def roles(store: Store, as_of: AsOf = None, *, as_frame: bool = True) -> pd.DataFrame | Rows:
    """A suggested role (target, connector, general) for everyone, beside their own category.

    With market rules (``netgraph init --market``), a target is someone who matches one; without,
    someone I sought an introduction to. A whole-network result: computed once per data version
    (a new rule is a new version) and kept in the store.
    """
    def compute() -> pd.DataFrame:  # the analysis loads only when nothing is kept
        from netgraph.analytics.roles import suggest_roles
        from netgraph.graph.projection import load_graph
        from netgraph.identity.settings import market_rules

        intros = queries.introductions_before(store, as_of_bound(as_of).date())
        return suggest_roles(load_graph(store, as_of), intros, market=market_rules(store))

    return whole_network(store, "roles", as_of, compute, as_frame=as_frame)


def connectors(store: Store, as_of: AsOf = None, *, global_view: bool = False,
               as_frame: bool = True) -> pd.DataFrame | Rows:
    """Best connectors: with "me" set, my contacts ranked by what flows through them from me.

    The "me" view reads my neighbourhood (:func:`my_part`) and ranks by Brandes' single-source
    dependency (:func:`~netgraph.analytics.connectors.my_connectors`). ``global_view`` (or no
    "me") ranks the whole network, computed once per data version and kept in the store.
    """
    if global_view or store.me_id is None:
        def compute() -> pd.DataFrame:  # the analysis loads only when nothing is kept
            from netgraph.analytics.connectors import connectors as rank_connectors
            from netgraph.graph.projection import load_whole_structure
            from netgraph.report.community_map import membership_of

            G = load_whole_structure(store, as_of)
            return rank_connectors(G, global_view=True,
                                   membership=membership_of(store, as_of, G))

        return whole_network(store, "connectors", as_of, compute, as_frame=as_frame)
    return _about_me(store, "my_connectors", as_of, lambda: _my_connectors(_my_structure(store, as_of)),
                     "Ranking your connectors").answer(as_frame)


def _my_connectors(structure: nx.Graph) -> Rows:
    from netgraph.analytics.connectors import my_connectors

    return my_connectors(structure, as_frame=False)


def weak_ties(store: Store, as_of: AsOf = None, *, everyone: bool = False,
              as_frame: bool = True) -> pd.DataFrame | Rows:
    """Weak ties and bridges: by default my ties that bridge to other clusters.

    The "me" view reads my neighbourhood, which holds everything a tie of mine is classified by
    (mutual contacts, the 3-step detour); "no other route" then means none within it.
    ``everyone`` classifies every tie, once per data version.
    """
    if everyone or store.me_id is None:
        def compute() -> pd.DataFrame:  # the analysis loads only when nothing is kept
            from netgraph.analytics.weak_ties import weak_ties as classify_ties
            from netgraph.graph.projection import load_whole_structure
            from netgraph.report.community_map import membership_of

            G = load_whole_structure(store, as_of)
            return classify_ties(G, mine_only=False, communities=membership_of(store, as_of, G))

        return whole_network(store, "weak_ties", as_of, compute, as_frame=as_frame)
    return _about_me(store, "my_weak_ties", as_of, lambda: _my_weak_ties(_my_structure(store, as_of)),
                     "Finding your weak ties").answer(as_frame)


def _my_weak_ties(structure: nx.Graph) -> Rows:
    from netgraph.analytics.weak_ties import weak_ties as classify_ties

    return classify_ties(structure, mine_only=True, as_frame=False)


#: A store with at least this many ties has my connectors and weak ties prepared after each
#: change (:func:`prepare`): below it they take well under a second to compute when asked.
PREPARE_ABOVE_TIES = 10_000


def prepare(store: Store, as_of: AsOf = None) -> list[str]:
    """Make ready the answers about me that read my whole neighbourhood; returns what was prepared.

    My connectors and my weak ties read everyone within two hops of me: at 100k people, a
    second or two of work. A command that changes the store (an import, a merge, ``init``) calls
    this after its change when the store is large, so that the next questions read the kept
    answers (:func:`netgraph.store.cache.kept_rows`) in a fraction of a second. Both are computed
    from one read of my neighbourhood. So is the history of my ties that ``neglected``, ``dormant``,
    the agenda and the report read: each tie at its peak and the gaps between contacts
    (:func:`netgraph.ties.history.keep_history`). Nothing is prepared without "me", on a read-only
    store, or below :data:`PREPARE_ABOVE_TIES` ties; answers kept for the current data already are kept.
    """
    if store.read_only or store.me_id is None:
        return []
    if queries.tie_count(store) < PREPARE_ABOVE_TIES:
        return []
    from netgraph.store import cache

    day = as_of_date(as_of).isoformat()
    wanted = {"my_connectors": _my_connectors, "my_weak_ties": _my_weak_ties}
    todo = {name: make for name, make in wanted.items() if not cache.has(store, name, day)}
    if todo:
        structure = _my_structure(store, as_of)
        for name, make in todo.items():
            cache.kept_rows(store, name, day, lambda make=make: make(structure),
                            what=f"Preparing {name.replace('_', ' ').replace('my ', 'your ')}")
    return [*todo, *keep_history(store, as_of)]


def _path_graph(store: Store, as_of: AsOf, sources: Iterable[int], goals: Iterable[int | str],
                max_hops: int, floor: float) -> nx.Graph:
    """The part of the network warm paths to ``goals`` (people or groups) can use.

    Its ties carry only what the search and its words read
    (:data:`~netgraph.analytics.paths.warm.TIE_ATTRIBUTES`).
    """
    from netgraph.analytics.paths.targets import parse_target
    from netgraph.analytics.paths.warm import TIE_ATTRIBUTES
    from netgraph.graph.projection import load_path_part

    members: set[int] = set()
    for goal in goals:
        group = parse_target(goal)
        members |= set(queries.group_members(store, group.attr, group.value)) if group \
            else {int(goal)}
    return load_path_part(store, sources, members, max_hops=max_hops, min_strength=floor,
                          as_of=as_of, attributes=TIE_ATTRIBUTES)


def _target(store: Store, target: str) -> int | str:
    """A person's id, or a group target passed through as written.

    Group targets are ``company:NAME``, ``city:NAME`` and ``tag:NAME`` (see
    :func:`~netgraph.analytics.paths.targets.parse_target`).
    """
    from netgraph.analytics.paths.targets import parse_target

    if parse_target(target) is not None:
        return target.strip()
    return resolve_person(store, target)


def intro(
    store: Store,
    target: str,
    as_of: AsOf = None,
    *,
    source: str | None = None,
    team: bool = False,
    k: int = 3,
    max_hops: int = 3,
    min_strength: float | None = None,
) -> PathResult | TeamPaths:
    """Warm introduction paths to a person or a group (``company:NAME``, ``city:NAME``, ``tag:NAME``).

    Parameters
    ----------
    store : Store
        The store to read.
    target : str
        A person (number, external id, email, profile URL or name) or a group.
    as_of : date, datetime, str or None
        The day the graph is projected at (default: today).
    source : str, optional
        Who asks (default: me).
    team : bool
        Search from every team member and say who should ask.
    k, max_hops : int
        How many paths, and at most how many intermediaries on each.
    min_strength : float, optional
        The floor every hop of a warm path reaches (default:
        :data:`~netgraph.analytics.paths.warm.DEFAULT_MIN_STRENGTH`).

    Returns
    -------
    PathResult or TeamPaths
        A :class:`~netgraph.analytics.paths.warm.PathResult`, or with ``team`` a
        :class:`~netgraph.analytics.paths.warm.TeamPaths` saying who on the team should ask.
    """
    from netgraph.analytics.paths.warm import DEFAULT_MIN_STRENGTH, team_paths, warm_paths

    floor = DEFAULT_MIN_STRENGTH if min_strength is None else min_strength
    goal = _target(store, target)
    if team:
        askers = [m for m in (store.me_id, *store.team_ids) if m is not None]
        G = _path_graph(store, as_of, askers, [goal], max_hops, floor)
        return team_paths(G, goal, k=k, max_hops=max_hops, min_strength=floor)
    start = resolve_person(store, source) if source else require_me(store)
    G = _path_graph(store, as_of, [start], [goal], max_hops, floor)
    return warm_paths(G, start, goal, k=k, max_hops=max_hops, min_strength=floor)


def intro_drafts(store: Store, result: PathResult, as_of: AsOf = None) -> list[str | None]:
    """A message to the first hop of each warm path of ``result``, in the order of its rows.

    Cold routes get None: they are never offered as asks. See
    :func:`netgraph.analytics.paths.draft.draft`.
    """
    from netgraph.analytics.paths.draft import draft

    rows = result.rows()
    hops = {int(r["ask_id"]) for r in rows if r["warm"] and r["ask_id"] is not None}
    me = int(result.source)
    last = queries.my_last_contacts(store, me, hops, as_of_bound(as_of))
    cards = queries.person_cards(store, {me} | {int(p) for r in rows for p in r["people"]})
    return [draft(cards[me], cards[int(r["ask_id"])], cards[int(r["target_id"])],
                  last.get(int(r["ask_id"])), [cards[int(p)]["name"] for p in r["people"]])
            if r["warm"] and r["ask_id"] is not None else None for r in rows]


def plan(store: Store, targets: list[str], as_of: AsOf = None, *, source: str | None = None,
         max_hops: int = 3, min_strength: float | None = None) -> pd.DataFrame:
    """The fewest introducers who cover the most targets through warm paths."""
    from netgraph.analytics.paths.plan import plan_introductions
    from netgraph.analytics.paths.warm import DEFAULT_MIN_STRENGTH

    floor = DEFAULT_MIN_STRENGTH if min_strength is None else min_strength
    goals = [_target(store, t) for t in targets]
    start = resolve_person(store, source) if source else require_me(store)
    G = _path_graph(store, as_of, [start], goals, max_hops, floor)
    return plan_introductions(G, goals, source=start, max_hops=max_hops, min_strength=floor)


# -- trip


def trip(store: Store, city: str, *, start: AsOf = None, end: AsOf = None, as_of: AsOf = None,
         as_frame: bool = True) -> pd.DataFrame | Rows:
    """Who to see in ``city``, then whom to ask an introduction to there (needs "me").

    ``start`` is the first day of the trip (default: ``as_of``, else today): how overdue each tie
    is, is measured on that day. ``end`` is its last day, not before ``start``. Reads my history
    (:func:`~netgraph.ties.history.my_history`), everyone's city and company, my connectors'
    scores, my targets (those my market rules match, else those the roles analysis calls
    targets, and those I marked ``target``) and the ties of the people I know at the floor of a
    warm introduction. See :func:`~netgraph.analytics.trip.plan_trip`. A city no one is in gives
    no rows (:func:`trip_cities` says where people are).
    """
    from netgraph.analytics.trip import COLUMNS, INTRO_FLOOR, city_key, places, plan_trip
    from netgraph.ties.table import tie_lists

    me = require_me(store)
    first = as_of_date(start if start is not None else as_of)
    if end is not None and as_of_date(end) < first:
        msg = (f"a trip ends on or after its first day: it starts {first.isoformat()} and ends "
               f"{as_of_date(end).isoformat()}")
        raise ValueError(msg)
    people = queries.people_for_market(store)
    here = city_key(city)
    there = {p for p, (key, _) in places(people).items() if key == here and p != me}
    if not there:
        return Rows(COLUMNS, []).answer(as_frame)
    hist = my_history(store, as_of, everyone=False)
    mine = {int(o): float(s) for o, s in zip(hist.ties.column("other"), hist.ties.column("strength"),
                                             strict=True)}
    scores: dict[int, float] = {}
    if there & mine.keys():  # my connectors, ranked once per data version and kept
        scores = {int(r["person_id"]): float(r["score"])
                  for r in connectors(store, as_of, as_frame=False).records() if r["through"] > 0}
    targets = _trip_targets(store, as_of, people, there - mine.keys())
    well = [p for p, s in mine.items() if s >= INTRO_FLOOR]
    second: list[tuple[int, int, float]] = []
    if targets and well:
        ties = tie_lists(store, as_of, people=well, min_strength=INTRO_FLOOR,
                         columns=("u", "v", "strength"))
        second = [(int(u), int(v), float(s))
                  for u, v, s in zip(ties["u"], ties["v"], ties["strength"], strict=True)
                  if int(u) in targets or int(v) in targets]
    rows = plan_trip(city, hist, people, start=first, connectors=scores, targets=targets,
                     their_ties=second, floor=INTRO_FLOOR)
    return rows.answer(as_frame)


def _trip_targets(store: Store, as_of: AsOf, people: list[dict], strangers: set[int]) -> dict[int, str]:
    """My targets among ``strangers``, each with why.

    Those I marked ``target`` myself, and those my market rules match; without rules, those the
    roles analysis calls targets instead.
    """
    from netgraph.identity.settings import market_rules
    from netgraph.market import match

    if not strangers:
        return {}
    rules = market_rules(store)
    out = {int(p["person_id"]): "you marked them a target" for p in people
           if p["person_id"] in strangers and p["category"] == "target"}
    if rules:  # my market, and anyone I marked a target myself
        found = {int(p["person_id"]): match(p, rules) for p in people if p["person_id"] in strangers}
        return out | {p: f"in your market ({rule})" for p, rule in found.items() if rule is not None}
    for r in roles(store, as_of, as_frame=False).records():
        if int(r["person_id"]) in strangers and r["suggested_role"] == "target":
            out.setdefault(int(r["person_id"]), f"a target: {r['reason']}")
    return out


def trip_cities(store: Store, *, as_frame: bool = True) -> pd.DataFrame | Rows:
    """The cities people are in (by their city, else their company's), the most people first.

    See :func:`~netgraph.analytics.trip.cities`: columns ``city`` and ``people``.
    """
    from netgraph.analytics.trip import cities

    return Rows(("city", "people"), cities(queries.people_for_market(store))).answer(as_frame)
