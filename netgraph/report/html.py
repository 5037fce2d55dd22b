"""The HTML report: one self-contained file with the network (pyvis / vis-network) and the answers.

:func:`build_report` writes the full report of a store: the network view beside summary
figures, top connectors, neglected relationships and open follow-ups, weak ties that bridge,
warm paths to the targets, and a chart of contact activity; a second view, the community map
of the whole network (:mod:`netgraph.report.community_map`), is a tab away. :func:`write_report` writes the
report of a bare graph (the sections that need the store are left out). What the page shows is
gathered by :mod:`netgraph.report.data`; this module only renders.

Safety and speed, from measurements of pyvis 0.3.2:

- pyvis holds the node and edge lists, filled in bulk (its ``add_node``/``add_edge`` scan the
  lists and are quadratic). The page comes from netgraph's own template, because pyvis's
  templates load scripts from CDNs and write titles as raw HTML when one contains "href".
- Every script and style is inline and the page's Content-Security-Policy forbids any network
  request. All data travels as JSON inside a ``<script type="application/json">`` block with
  ``<``, ``>`` and ``&`` escaped; the page builds tooltips and tables with ``textContent``, so a
  name like ``<script>`` stays text. The few strings written into the HTML itself (title,
  chart labels) are HTML-escaped here.
- The layout is computed in Python and physics is off, so the page is usable at once with
  2,000 people (:mod:`netgraph.report.network`). Above ``max_nodes`` the view keeps the most
  important people and says how many it left out.
- With ``redact=True``, the page checks its own text against every real name, email, phone and
  note in the store before anything is written (:func:`netgraph.report.redact.find_leaks`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Hashable, Iterable
from datetime import date
from html import escape
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from string import Template
from typing import Any

import networkx as nx
import pandas as pd

from netgraph._errors import NetgraphError
from netgraph.report.atomic import atomic_files, check_target
from netgraph.report.chart import activity_svg
from netgraph.report.data import TABLE_ROWS, ReportData, from_graph, gather
from netgraph.report.layout import layout
from netgraph.report.network import hops, network, node_id
from netgraph.report.redact import find_leaks
from netgraph.report.values import records
from netgraph.rows import Rows
from netgraph.store.database import Store
from netgraph.ties.model import AsOf

__all__ = ["build_report", "json_for_script", "layout", "render", "render_report", "write_report"]

log = logging.getLogger(__name__)


def _vis_asset(name: str) -> str:
    import pyvis

    root = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    return (root / name).read_text(encoding="utf-8")


def json_for_script(value: Any) -> str:
    """JSON that is safe inside an HTML ``<script>`` element (no ``</script>`` can close it)."""
    return _escape_json(json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str))


def _escape_json(text: str) -> str:
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


# -- the tables -------------------------------------------------------------------------------------
def _table(frame: pd.DataFrame | None, key: str, title: str, intro: str, columns: list[tuple],
           *, id_column: str | None = "person_id", shown: set | None = None,
           empty: str = "Nothing to show.", note: str | None = None) -> dict[str, Any]:
    """A table as JSON: the rows are the CLI's JSON records of the same frame (same values)."""
    spec = {"id": key, "title": title, "intro": intro, "empty": note or empty,
            "columns": [{"key": c, "label": label, "fmt": fmt} for c, label, fmt in columns],
            "rows": [], "nodes": [], "total": 0}
    if frame is None:
        return spec
    head = frame.head(TABLE_ROWS)
    spec["rows"] = records(head[[c for c, _, _ in columns]])
    # a column empty in every row shown (company, when redacted) is left out
    spec["columns"] = [c for c in spec["columns"] if c["fmt"] == "person"
                       or any(r[c["key"]] not in (None, "") for r in spec["rows"])]
    spec["total"] = len(frame)
    if id_column:
        spec["nodes"] = [node_id(n) if shown is not None and n in shown else None
                         for n in head[id_column].tolist()]
    return spec


def _connectors_table(data: ReportData, shown: set, mine: bool) -> dict[str, Any]:
    """My contacts by what flows through them (ego view), or the whole-graph ranking."""
    head = [("rank", "#", "int"), ("name", "Name", "person"), ("company", "Company", "text"),
            ("score", "Score", "num2")]
    frame = data.connectors
    if frame is not None and "flow_share" in frame.columns:
        return _table(frame, "connectors", "Top connectors",
                      "Your contacts ranked by what flows through them: the share of your shortest "
                      "paths that run through each (Brandes' dependency), the people only they reach "
                      "strongly, the communities they open that none of your strong ties is in.",
                      [*head, ("flow_share", "Flow share", "pct"),
                       ("unique_reach", "Unique reach", "int"),
                       ("communities_opened", "Communities opened", "int"),
                       ("reason", "Why", "text")], shown=shown)
    return _table(frame, "connectors", "Top connectors",
                  "People who link you to parts of the network you could not reach otherwise: "
                  "betweenness on tie distance, Burt's constraint, communities reached, unique reach."
                  if mine else "The people who hold the network together (whole-network view).",
                  [*head, ("betweenness", "Betweenness", "pct"),
                   ("communities_reached", "Communities", "int"),
                   ("unique_reach", "Unique reach", "int"), ("reason", "Why", "text")],
                  shown=shown)


def _tables(data: ReportData) -> list[dict[str, Any]]:
    shown = set(data.view)
    mine = data.G.graph.get("me") in data.G
    tables = [
        _connectors_table(data, shown, mine),
        _table(data.neglected, "neglected", "Neglected relationships",
               "Valuable ties overdue against their own rhythm, most urgent first; past-due "
               "follow-ups are always listed.",
               [("name", "Name", "person"), ("company", "Company", "text"),
                ("last_contact", "Last contact", "date"), ("cadence_days", "Rhythm (days)", "int"),
                ("days_overdue", "Days overdue", "int"), ("strength", "Strength", "num2"),
                ("follow_up_due", "Follow-up due", "date"), ("reason", "Why", "text")],
               shown=shown, empty="Nothing overdue.", note=data.notes.get("neglected")),
        _table(data.followups, "followups", "Open follow-ups",
               "Promises not kept yet: yours, and those made to you (not your debt). A promise "
               "is kept by any later contact with the person; broken 30 days past due without.",
               [("name", "Name", "person"), ("promised_by", "Promised by", "text"),
                ("due_on", "Due", "date"), ("state", "State", "text"), ("note", "Note", "text")],
               shown=shown, empty="No open follow-ups.", note=data.notes.get("neglected")),
    ]
    weak_cols = ([("v_name", "Name", "person")] if mine else
                 [("u_name", "From", "text"), ("v_name", "To", "person")])
    tables.append(_table(
        data.weak_ties, "weak_ties", "Weak ties that bridge",
        ("Your ties that are local bridges (no mutual contacts) or cross communities: the "
         "Granovetter ties that bring news from elsewhere." if mine else
         "Ties that are local bridges or cross communities."),
        [*weak_cols, ("strength", "Strength", "num2"), ("embeddedness", "Mutual", "int"),
         ("span", "Span", "int"), ("ties_class", "Kind", "text"), ("reason", "Why", "text")],
        id_column="v", shown=shown, empty="No bridging ties."))
    return tables


def _paths(data: ReportData) -> dict[str, Any]:
    targets = []
    shown = set(data.view)
    for p in data.paths:
        cols = ["label", "rank", "path", "path_strength", "weakest_hop", "weakest_strength",
                "first_step"]
        rows = records(p.frame[cols]) if p.frame is not None else []
        warm = [r["path_strength"] for r in rows if r["label"] == "warm"]
        person = p.members[0] if len(p.members) == 1 and p.members[0] in shown else None
        targets.append({"label": p.label, "advice": p.advice, "rows": rows,
                        "best": warm[0] if warm else None,
                        "node": node_id(person) if person is not None else None})
    note = data.notes.get("paths") or (
        "" if data.paths else "No targets given: add --target PERSON (or company:NAME, city:NAME, "
        "tag:NAME) to see warm introduction paths.")
    return {"targets": targets, "note": note}


def _figures(data: ReportData) -> list[dict[str, str]]:
    s = data.summary
    out = []
    for key, label in (("people", "people"), ("ties", "ties"), ("interactions", "interactions"),
                       ("introductions", "introductions")):
        if key in s:
            out.append({"label": label, "value": f"{int(s[key]):,}"})
    if "largest_part" in s:
        share = s.get("largest_part_share")
        out.append({"label": "in the largest connected part" + (f" ({share:.0%})" if share else ""),
                    "value": f"{int(s['largest_part']):,}"})
    if data.neglected is not None:
        out.append({"label": "neglected relationships", "value": f"{len(data.neglected):,}"})
    if data.connectors is None and not s:
        out.append({"label": "people", "value": f"{data.G.number_of_nodes():,}"})
    return out


def _footer(data: ReportData) -> list[str]:
    s, st = data.summary, data.settings
    try:
        ver = version("netgraph")
    except PackageNotFoundError:  # pragma: no cover
        ver = "dev"
    lines = [f"As of {st.get('as_of') or s.get('as_of') or 'today'}."
             + (f" Contacts from {s['first_contact']} to {s['last_contact']}."
                if s.get("first_contact") else "")
             + f" Generated on {date.today().isoformat()} with netgraph {ver}."]
    names = ("Names hidden: everyone is a stable pseudonym; emails, phones, notes and profile "
             "URLs left out; " + ("company and city kept." if st.get("keep_org")
                                  else "company and city left out.")) if st.get("redact") else \
        "Real names shown: do not share this file outside your team (use --redact)."
    view = f"View: up to {st.get('max_nodes', 0):,} people"
    if data.G.graph.get("hops") is not None and data.G.graph.get("me") in data.G:
        view += f" within {hops(data.G.graph['hops'])} of you"
    if st.get("focus"):
        view += f" around {st['focus']} within {hops(st.get('radius'))}"
    targets = st.get("targets") or []
    view += "; targets: " + (", ".join(map(str, targets)) if targets else "none") + "."
    lines += [names, view, "This file is self-contained and makes no network request."]
    return lines


# -- the page ---------------------------------------------------------------------------------------
def render(data: ReportData) -> str:
    """The report page as one HTML string."""
    payload = {
        **network(data),
        "figures": _figures(data),
        "tables": _tables(data),
        "paths": _paths(data),
        "footer": _footer(data),
        "map": data.community_map,
        "briefs": {node_id(pid): rows for pid, rows in data.briefs.items()},
        "me_label": "My network" if data.G.graph.get("me") in data.G else "Network",
    }
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str)
    s = data.summary
    subtitle = f"As of {data.settings.get('as_of') or s.get('as_of') or 'today'} · " \
               f"{data.G.number_of_nodes():,} people, {data.G.number_of_edges():,} ties"
    chart = activity_svg(data.activity) if data.activity is not None else ""
    if data.secrets is not None:
        leaks = find_leaks("\n".join([raw, data.title, subtitle, chart]), data.secrets)
        if leaks:
            kind, value = leaks[0]
            msg = (f"the redacted report would contain real {kind} ({len(leaks)} found, e.g. "
                   f"{value!r}); nothing was written. If {value!r} is not personal (a company "
                   "or a place), give another --title or report it as a bug.")
            raise NetgraphError(msg)
    template = Template(
        resources.files("netgraph.report").joinpath("templates/report.html").read_text("utf-8"))
    return template.substitute(
        title=escape(data.title),
        subtitle=escape(subtitle),
        activity=chart,
        data=_escape_json(raw),
        vis_css=_vis_asset("vis-network.css"),
        vis_js=_vis_asset("vis-network.min.js"),
    )


def _write(html: str, out: str | Path, *, overwrite: bool = True, protect: tuple = ()) -> Path:
    """Write the page whole or not at all (a temporary file renamed into place)."""
    path = check_target(out, overwrite=overwrite, protect=protect)
    with atomic_files([path]) as (tmp,):
        tmp.write_text(html, encoding="utf-8")
    log.info("Wrote %s", path)
    return path


def render_report(
    G: nx.Graph,
    *,
    title: str = "Network report",
    summary: dict | None = None,
    targets: Iterable[Hashable] = (),
    focus: Hashable | None = None,
    radius: int = 2,
    max_nodes: int = 2000,
) -> str:
    """The report of a bare graph as one HTML string.

    Parameters
    ----------
    G : nx.Graph
        The graph, as :func:`netgraph.load_graph` projects it (or any graph whose edges carry
        ``strength``).
    title : str
        The page's title.
    summary : dict, optional
        Headline figures (:func:`netgraph.summary`).
    targets : iterable
        Node ids or ``company:NAME``, ``city:NAME``, ``tag:NAME``: warm paths to each.
    focus : node, optional
        Draw only the people within ``radius`` hops of this one.
    radius : int
        Hops around ``focus``.
    max_nodes : int
        At most this many people in the network view (the most important ones).

    Returns
    -------
    str
        The self-contained page (see :func:`netgraph.report.data.from_graph`).
    """
    return render(from_graph(G, summary=summary, title=title, targets=targets, focus=focus,
                             radius=radius, max_nodes=max_nodes))


def write_report(
    G: nx.Graph,
    out: str | Path,
    *,
    overwrite: bool = True,
    title: str = "Network report",
    summary: dict | None = None,
    targets: Iterable[Hashable] = (),
    focus: Hashable | None = None,
    radius: int = 2,
    max_nodes: int = 2000,
) -> Path:
    """Write the report of a bare graph to ``out`` (folders are created) and return its path.

    Without a store there are no neglected relationships, follow-ups or activity chart; use
    :func:`build_report` for the full report. ``overwrite=False`` refuses an existing file; the
    other parameters are those of :func:`render_report`.

    Raises
    ------
    OutputError
        When ``out`` cannot be written (see :func:`netgraph.report.atomic.check_target`).
    """
    check_target(out, overwrite=overwrite)
    html = render_report(G, title=title, summary=summary, targets=targets, focus=focus,
                         radius=radius, max_nodes=max_nodes)
    return _write(html, out, overwrite=overwrite)


def build_report(
    store: Store,
    *,
    out: str | Path = "reports/network.html",
    overwrite: bool = True,
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
) -> Path:
    """Write the full report of a store to ``out`` and return its path.

    The store's own files are never written over; ``overwrite=False`` (the CLI's default,
    without ``--force``) refuses any existing file. Both are checked before the analysis runs.
    The page is written to a temporary file and renamed into place, so a failed write leaves
    nothing behind.

    Parameters
    ----------
    store : Store
        The store to report on.
    out : str or Path
        Where to write the page (folders are created).
    overwrite : bool
        Replace an existing file.
    as_of : date, datetime, str or None
        The day the report is as of (default: today).
    redact : bool
        Pseudonyms only: no names, emails, phones, notes or profile URLs.
    keep_org : bool
        With ``redact``, keep company and city.
    focus : str or int, optional
        Draw only the people within ``radius`` hops of this person.
    radius : int
        Hops around ``focus``.
    max_nodes : int
        At most this many people in the network view (the most important ones).
    targets : iterable of str
        People, or ``company:NAME``, ``city:NAME``, ``tag:NAME``: warm paths to each.
    title : str, optional
        The page's title (default: "NAME's network", or "Network report" when redacted).
    graph : nx.Graph, optional
        The projection already loaded for the same ``as_of``.
    brief_of : callable, optional
        The brief about a person by id (``netgraph.api.brief``): the people the tables list
        first get one in their panel. Never in a redacted report.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    OutputError
        When ``out`` cannot be written (see :func:`netgraph.report.atomic.check_target`).
    """
    protect = (store.path,)
    check_target(out, overwrite=overwrite, protect=protect)
    data = gather(store, as_of=as_of, redact=redact, keep_org=keep_org, focus=focus, radius=radius,
                  max_nodes=max_nodes, targets=targets, title=title, graph=graph, brief_of=brief_of)
    return _write(render(data), out, overwrite=overwrite, protect=protect)
