"""What a report shows, gathered from the store: the graph, every analysis table, the activity.

:func:`gather` does the reading (the graph, the history of my ties, monthly activity) and
:func:`from_graph` runs the analyses, which are pure functions of the graph. The tables come
from the same functions the CLI calls, with the same arguments, so a report's table equals the
CLI's output for the same ``--as-of`` (``tests/test_report_tables.py`` checks it).

With ``redact=True`` the inputs are redacted before any analysis runs
(:mod:`netgraph.report.redact`), so every name and sentence in the tables is built from pseudonyms.

With "me" set and neither a graph nor a focus given, :func:`gather` reads only my
neighbourhood (two hops, :func:`netgraph.graph.projection.load_neighbourhood`): the connectors
are then my contacts ranked by what flows through them (:func:`~netgraph.analytics.connectors.
my_connectors`), warm paths are searched on the part of the network they can use (as
``netgraph intro`` does), and the summary figures come from the tie table. The community map
of the whole network (:mod:`netgraph.report.community_map`) is gathered beside it.

:func:`select_view` picks the people the network view draws when there are more than
``max_nodes``: me, the targets and everyone on their paths, the people named in the tables,
then the rest by importance (connector score, or the strength of their tie to me).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pandas as pd

from netgraph._errors import NetgraphError, NotConfiguredError
from netgraph.analytics import neglect
from netgraph.analytics.communities import communities, community_names
from netgraph.analytics.connectors import connectors as rank_connectors
from netgraph.analytics.connectors import my_connectors
from netgraph.analytics.paths.targets import Target, parse_target
from netgraph.analytics.paths.warm import DEFAULT_MIN_STRENGTH, warm_paths
from netgraph.analytics.weak_ties import weak_ties
from netgraph.graph.projection import load_graph, load_neighbourhood, load_path_part, summary
from netgraph.identity.lookup import resolve_person
from netgraph.report.redact import pseudonyms, redact_graph, redact_history, secrets
from netgraph.rows import Rows
from netgraph.store import cache, queries
from netgraph.store.database import Store
from netgraph.ties.history import my_history
from netgraph.ties.model import PROMISED_BY, AsOf, MyHistory, as_of_bound

__all__ = ["TABLE_ROWS", "ReportData", "TargetPaths", "activity", "from_graph", "gather",
           "select_view"]

log = logging.getLogger(__name__)

#: Rows each table shows (the report says how many more there are).
TABLE_ROWS = 15
#: Warm paths listed per target (and at most as many cold routes).
PATHS_PER_TARGET = 3
#: How far the ego view reaches: my contacts and theirs.
EGO_HOPS = 2
#: What the ego view's ties carry: what it draws and says of a tie (width, tooltip), and what
#: its analyses read (strength, distance); the warm paths read their own part of the network.
EGO_TIE_ATTRIBUTES = ("strength", "distance", "n_interactions", "last_contact")
#: At most this many intermediaries on a warm path (as ``netgraph intro``).
PATH_MAX_HOPS = 3


@dataclass
class TargetPaths:
    """Warm paths to one target: what the user asked for, its display label, the table."""

    asked: str
    label: str
    frame: pd.DataFrame | None
    advice: str
    members: tuple = ()


@dataclass
class ReportData:
    """Everything the renderer needs.

    ``G`` is the graph the analyses ran on (redacted when ``settings["redact"]``); ``view`` the
    people the network draws, most important first.
    """

    G: nx.Graph
    title: str
    summary: dict
    membership: dict
    community_labels: dict[int, str]
    connectors: pd.DataFrame | None
    weak_ties: pd.DataFrame | None
    neglected: pd.DataFrame | None = None
    followups: pd.DataFrame | None = None
    paths: list[TargetPaths] = field(default_factory=list)
    activity: pd.DataFrame | None = None
    view: list = field(default_factory=list)
    view_total: int = 0
    focus: Hashable | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    secrets: Any = None  # redact.Secrets, checked against the page before it is written
    community_map: dict | None = None  # the whole network's communities (community_map.py)
    #: person id -> the brief about them, as (section, summary, details) rows (not when redacted)
    briefs: dict[int, list] = field(default_factory=dict)


# -- reading the store -----------------------------------------------------------------------------
def activity(store: Store, as_of: AsOf = None) -> pd.DataFrame:
    """Interactions per month up to ``as_of`` (LinkedIn "connected" rows left out).

    Columns: ``month, interactions, with_me``. A scan of every interaction, so it is kept in the
    store once per data version, day and "me" (:func:`netgraph.store.cache.cached`).
    """
    bound = as_of_bound(as_of)
    return cache.cached(store, "monthly_activity", bound.date().isoformat(),
                        lambda: queries.monthly_activity(store, bound))


def _resolve_target(store: Store, target: str) -> Hashable:
    """A person id for a person reference; group targets (``company:NAME``) pass through."""
    if parse_target(str(target)) is not None:
        return str(target).strip()
    return resolve_person(store, target)


def gather(
    store: Store,
    *,
    as_of: AsOf = None,
    redact: bool = False,
    keep_org: bool = False,
    focus: str | int | None = None,
    radius: int = 2,
    max_nodes: int = 2000,
    targets: Iterable[str] = (),
    title: str | None = None,
    graph: nx.Graph | None = None,
    brief_of: Callable[[int], Rows] | None = None,
) -> ReportData:
    """Read the store and run every analysis the report shows.

    ``brief_of(person_id)`` gives the brief about a person (``netgraph brief``); with it, the
    people the report's tables list first (my top connectors, my most neglected ties) get one, in
    the person's panel. A redacted report has none: a brief is made of names and notes.

    ``graph`` may pass the projection already loaded for the same ``as_of``. Without it, with
    "me" set and no ``focus``, only my neighbourhood is read (the ego view).
    """
    ego = graph is None and focus is None and store.me_id is not None
    if graph is not None:
        G = graph
    elif ego:
        G = load_neighbourhood(store, [store.me_id], hops=EGO_HOPS, as_of=as_of,
                               attributes=EGO_TIE_ATTRIBUTES)
    else:
        G = load_graph(store, as_of)
    day = G.graph.get("as_of")
    figures = summary(store, None, as_of=day) if ego else summary(store, G)
    resolved = [(t, _resolve_target(store, t)) for t in targets]
    path_graph = _path_graph(store, day, [r for _, r in resolved]) if ego and resolved else None
    hist: MyHistory | None = None
    notes = {}
    try:
        hist = my_history(store, day, everyone=False)
    except NotConfiguredError as exc:
        notes["neglected"] = str(exc)
    original = original_paths = None
    if redact:
        names = pseudonyms(store)
        original, G = G, redact_graph(G, names, keep_org=keep_org)
        if path_graph is not None:
            original_paths = path_graph
            path_graph = redact_graph(path_graph, names, keep_org=keep_org)
        if hist is not None:
            hist = redact_history(hist, names, keep_org=keep_org)
    if title is None:
        me = G.graph.get("me")
        title = (f"{G.nodes[me]['name']}'s network" if me in G and not redact
                 else "Network report")
    data = from_graph(
        G, summary=figures, title=title, history=hist,
        focus=resolve_person(store, focus) if focus is not None else None, radius=radius,
        max_nodes=max_nodes, targets=resolved, original=original, keep_org=keep_org, notes=notes,
        ego=ego, path_graph=path_graph, original_paths=original_paths,
    )
    data.activity = activity(store, day)
    data.community_map = _community_map(store, day, redact=redact, keep_org=keep_org)
    if brief_of is not None and not redact:
        data.briefs = _briefs(data, brief_of)
    if redact:
        kept = [str(v) for _, d in G.nodes(data=True) for k, v in d.items()
                if k in ("company", "city") and v]
        data.secrets = secrets(store, keep=kept)
    return data


#: How many people of each table (connectors, neglected) get a brief in the report.
BRIEFS_PER_TABLE = 5


def _briefs(data: ReportData, brief_of: Callable[[int], Rows]) -> dict[int, list]:
    """The briefs of the first people of the connectors and neglected tables, by person id."""
    ids: dict[int, None] = {}
    for frame in (data.connectors, data.neglected):
        if frame is not None and "person_id" in frame:
            ids.update(dict.fromkeys(int(p) for p in frame["person_id"].head(BRIEFS_PER_TABLE)))
    me = data.G.graph.get("me")
    out = {}
    for pid in ids:
        if pid == me:
            continue
        try:
            out[pid] = [list(row) for row in brief_of(pid).rows]
        except NetgraphError as exc:  # someone the brief cannot be about: left without one
            log.info("No brief for person %s: %s", pid, exc)
    return out


def _path_graph(store: Store, day: AsOf, goals: Sequence[Hashable]) -> nx.Graph:
    """The part of the network warm paths from me to ``goals`` can use, as ``netgraph intro`` reads it."""
    members: set[int] = set()
    for goal in goals:
        group = parse_target(str(goal))
        members |= set(queries.group_members(store, group.attr, group.value)) if group \
            else {int(goal)}
    return load_path_part(store, [store.me_id], members, max_hops=PATH_MAX_HOPS,
                          min_strength=DEFAULT_MIN_STRENGTH, as_of=day)


def _community_map(store: Store, day: AsOf, *, redact: bool, keep_org: bool) -> dict | None:
    """The community map of the whole network (None for an empty store)."""
    from netgraph.report.community_map import community_map  # it imports the network view

    if not queries.person_ids(store):
        return None
    return community_map(store, day, me=store.me_id, redact=redact, keep_org=keep_org)


# -- analyses (pure) --------------------------------------------------------------------------------
def _weak_ties(G: nx.Graph, membership: dict) -> pd.DataFrame:
    """As ``netgraph weak-ties`` lists them: my bridging ties, or every tie without "me"."""
    return weak_ties(G, mine_only=G.graph.get("me") in G, communities=membership)


def _paths(G: nx.Graph, asked: str, target: Hashable, *, original: nx.Graph | None,
           keep_org: bool, group_no: int) -> TargetPaths:
    """Warm paths to one target.

    Under redaction, a group whose attribute was dropped is searched under a neutral label
    ("target group 1"), set on its members for the call.
    """
    restore: list[tuple[Hashable, str, Any]] = []
    label = str(asked)
    if target in G:
        label = str(G.nodes[target].get("name", target))
    elif original is not None and (group := parse_target(target)) is not None:
        attr = group.attr
        if not (keep_org and attr in ("company", "city")):
            label = f"target group {group_no}"
            for n in group.members(original):
                restore.append((n, attr, G.nodes[n].get(attr)))
                G.nodes[n][attr] = [label] if attr == "tags" else label
            target = str(Target(group.kind, label))
    try:
        result = warm_paths(G, None, target, k=PATHS_PER_TARGET)
    except NetgraphError as exc:
        return TargetPaths(asked, label, None, str(exc))
    finally:
        for n, attr, old in restore:
            G.nodes[n][attr] = old
    return TargetPaths(asked, label if target in G else result.target_name, result.to_frame(),
                       result.advice, tuple(result.members))


def from_graph(
    G: nx.Graph,
    *,
    summary: dict | None = None,
    title: str = "Network report",
    history: MyHistory | None = None,
    focus: Hashable | None = None,
    radius: int = 2,
    max_nodes: int = 2000,
    targets: Sequence[tuple[str, Hashable]] | Iterable[Hashable] = (),
    original: nx.Graph | None = None,
    keep_org: bool = False,
    notes: dict[str, str] | None = None,
    ego: bool = False,
    path_graph: nx.Graph | None = None,
    original_paths: nx.Graph | None = None,
) -> ReportData:
    """Run the analyses on ``G`` (and on ``history`` when given) and choose the view.

    ``targets`` are node ids or ``company:/city:/tag:`` strings, or ``(asked, resolved)`` pairs.
    ``original`` is the unredacted graph when ``G`` is redacted: group targets are matched on
    its attributes and searched under a neutral label.

    ``ego`` says ``G`` is my neighbourhood: the connectors are then
    :func:`~netgraph.analytics.connectors.my_connectors`. ``path_graph`` (and its unredacted
    ``original_paths``) is where warm paths are searched when it is not ``G``; the people on the
    paths found are added to ``G`` after the analyses, so the view can draw them.
    """
    redact = original is not None
    notes = dict(notes or {})
    membership = communities(G) if G.number_of_nodes() else {}
    labels = community_names(G, membership) if membership else {}
    me = G.graph.get("me")
    has_me = me in G
    conn = _connectors(G, membership, ego=ego and has_me)
    weak = _weak_ties(G, membership) if G.number_of_edges() else None
    neglected = followups = None
    if history is not None:
        neglected = neglect.neglected(history).to_frame()
        who = dict(zip(history.people.column("person_id"), history.people.column("name"),
                       strict=True))
        fu = history.followups.records()
        followups = pd.DataFrame({
            "person_id": [f["other"] for f in fu],
            "name": [who.get(f["other"]) for f in fu],
            "promised_by": [PROMISED_BY.get(f.get("owner", "me"), "you") for f in fu],
            "due_on": [f["due_on"] for f in fu],
            "state": [f.get("state", "open") for f in fu],
            "note": [f["note"] for f in fu],
        })
    elif "neglected" not in notes:
        notes["neglected"] = "neglected relationships need the store (use build_report)"
    paths = []
    pairs = [t if isinstance(t, tuple) else (str(t), t) for t in targets]
    if pairs and not has_me:
        notes["paths"] = 'warm paths start from you: run netgraph init --me "Your Name"'
    elif pairs:
        groups = 0
        P, unredacted = (G, original) if path_graph is None else (path_graph, original_paths)
        for asked, target in pairs:
            groups += target not in P
            paths.append(_paths(P, asked, target, original=unredacted, keep_org=keep_org,
                                group_no=groups))
        if path_graph is not None:
            _add_path_people(G, path_graph, paths)
    view, total = select_view(G, conn, weak, neglected, paths, focus=focus, radius=radius,
                              max_nodes=max_nodes)
    settings = {"as_of": G.graph.get("as_of"), "redact": redact, "keep_org": keep_org,
                "focus": G.nodes[focus].get("name") if focus is not None and focus in G else None,
                "radius": radius, "max_nodes": max_nodes,
                "targets": [p.label for p in paths]}
    return ReportData(G, title, dict(summary or {}), membership, labels, conn, weak, neglected,
                      followups, paths, None, view, total, focus, settings, notes)


def _connectors(G: nx.Graph, membership: dict, *, ego: bool) -> pd.DataFrame | None:
    """My contacts by what flows through them (ego view), else the ranking of ``G``."""
    if not G.number_of_nodes():
        return None
    if ego:
        return my_connectors(G, membership=membership)
    return rank_connectors(G, global_view=G.graph.get("me") not in G, membership=membership)


def _add_path_people(G: nx.Graph, P: nx.Graph, paths: Sequence[TargetPaths]) -> None:
    """Add to ``G`` the people on the paths found in ``P``, and the ties between them."""
    people = {n for p in paths if p.frame is not None for chain in p.frame["people"] for n in chain}
    people |= {m for p in paths for m in p.members}
    people = {n for n in people if n in P}
    G.add_nodes_from((n, P.nodes[n]) for n in people if n not in G)
    keep = people | set(G)
    G.add_edges_from((u, v, d) for u in people for v, d in P[u].items() if v in keep)


def select_view(G: nx.Graph, conn: pd.DataFrame | None, weak: pd.DataFrame | None,
                neglected: pd.DataFrame | None, paths: Sequence[TargetPaths], *,
                focus: Hashable | None = None, radius: int = 2,
                max_nodes: int = 2000) -> tuple[list, int]:
    """(the people to draw, most important first; how many were candidates).

    Candidates are everyone, or the people within ``radius`` hops of ``focus``. Pinned first:
    me, the focus, the targets and everyone on their paths, the people in the tables; then the
    rest by importance, the higher of their connector score and the strength of their tie to me.
    """
    candidates = set(nx.ego_graph(G, focus, radius=radius)) if focus is not None else set(G)
    me = G.graph.get("me")
    pinned: list = [me, focus]
    for p in paths:
        pinned.extend(p.members)
        if p.frame is not None:
            for people in p.frame["people"]:
                pinned.extend(people)
    for frame, col in ((conn, "person_id"), (neglected, "person_id"), (weak, "v")):
        if frame is not None:
            pinned.extend(frame[col].head(TABLE_ROWS).tolist())
    importance = dict.fromkeys(G, 0.0)
    if conn is not None:
        importance.update(zip(conn["person_id"].tolist(), conn["score"].astype(float).tolist(),
                              strict=True))
    if me in G:
        for other, d in G[me].items():
            importance[other] = max(importance[other], float(d.get("strength", 0.0)))
    ranked = sorted((n for n in G if n in candidates), key=lambda n: -importance[n])
    order = list(dict.fromkeys(n for n in [*pinned, *ranked] if n is not None and n in candidates))
    return order[:max_nodes], len(candidates)
