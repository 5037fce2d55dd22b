"""The analysis commands of the ``netgraph`` CLI: relationships, connectors, introductions.

Registered on :data:`netgraph.cli.main.main` when :mod:`netgraph.cli.main` loads. Each command parses its
options, calls one function of :mod:`netgraph.api` and prints the frame.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from netgraph._errors import NetgraphError
from netgraph.cli.options import as_of_option, db_option, listing_options, out, reading
from netgraph.cli.output import emit

if TYPE_CHECKING:
    from collections.abc import Callable

    from netgraph.analytics.paths.results import PathResult, TeamPaths
    from netgraph.rows import Rows
    from netgraph.store.database import Store

# -- relationships: strength, neglect, roles ------------------------------------------------------


@click.command("neglected")
@click.option("--dormant", "show_dormant", is_flag=True,
              help="List dormant ties instead: strong at their peak, silent for over a year.")
@as_of_option
@listing_options
@db_option
@reading
def neglected_cmd(store: Store, show_dormant: bool, as_of: Any, fmt: str, top: int | None) -> None:
    """Which valuable relationships am I neglecting? Overdue against each tie's own rhythm.

    Priority ranks valuable-and-overdue ties first; open follow-ups past due are always listed.
    """
    from netgraph import api

    if show_dormant:
        emit(api.dormant(store, as_of, as_frame=False), fmt, top, title="Dormant ties worth reviving",
             table_columns=["name", "company", "last_contact", "days_silent", "strength",
                            "peak_strength", "reason"])
    else:
        emit(api.neglected(store, as_of, as_frame=False), fmt, top, title="Neglected relationships",
             table_columns=["name", "last_contact", "cadence_days", "days_overdue", "strength",
                            "peak_strength", "priority", "reason"])


@click.command("explain-tie")
@click.argument("person_a")
@click.argument("person_b")
@as_of_option
@listing_options
@db_option
@reading
def explain_tie_cmd(store: Store, person_a: str, person_b: str, as_of: Any, fmt: str,
                    top: int | None) -> None:
    """Why is the tie between A and B as strong as it is? Each factor and the facts behind it."""
    from netgraph import api
    from netgraph.identity.lookup import resolve_person

    frame = api.explain_tie(store, person_a, person_b, as_of, as_frame=False)
    a, b = resolve_person(store, person_a), resolve_person(store, person_b)
    title = f"{store.name_of(a)} - {store.name_of(b)}"
    emit(frame, fmt, top, title=title)


@click.command("ledger")
@click.option("--min-imbalance", type=click.IntRange(min=0), default=2, show_default=True,
              help="Show people whose given and received introductions differ by at least this.")
@as_of_option
@listing_options
@db_option
@reading
def ledger_cmd(store: Store, min_imbalance: int, as_of: Any, fmt: str, top: int | None) -> None:
    """Introductions you gave each person against those you received from them."""
    from netgraph import api

    emit(api.ledger(store, as_of, min_imbalance=min_imbalance, as_frame=False), fmt, top,
         title="Give and take")


@click.command("agenda")
@click.option("--days", type=int, default=7, show_default=True,
              help="The window: promises due within this many days count, and items are due in it.")
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True,
              help="The most items, balanced across kinds.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "ics"]),
              default="table", show_default=True,
              help="Output format. JSON is a list of objects with snake_case keys; ics is an "
                   "iCalendar file of to-dos (needs --out).")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="With --format ics: the file to write.")
@click.option("--force", is_flag=True, help="Replace the --out file if it exists.")
@as_of_option
@db_option
@reading
def agenda_cmd(store: Store, days: int, top: int, fmt: str, out_file: Path | None, force: bool,
               as_of: Any) -> None:
    """Your actions for the coming days, ranked and balanced across kinds.

    Follow-ups, thank-yous, introductions to give, ties to reconnect or revive, and
    introductions to ask for. Each item says why, the first step, and your last contact with the person. With
    --format ics --out FILE, the agenda is an iCalendar file of to-dos that a calendar app
    imports; writing it again updates the same to-dos.
    """
    from netgraph import api

    if days < 1:
        raise NetgraphError(f"--days must be at least 1 (a week is --days 7), got {days}")
    if fmt == "ics" and out_file is None:
        raise NetgraphError("--format ics writes a file: give it with --out FILE (such as agenda.ics)")
    if out_file is not None and fmt != "ics":
        raise NetgraphError("--out goes with --format ics")
    if out_file is not None:
        from netgraph.report.atomic import atomic_files, check_target, store_files

        target = check_target(out_file, overwrite=force, protect=store_files(store.path))
    rows = api.agenda(store, as_of, days=days, top=top, as_frame=False)
    if fmt != "ics":
        emit(rows, fmt, None, title=f"Your agenda for the next {days} days",
             table_columns=["kind", "name", "why", "first_step", "due"],
             empty="Nothing to do this week: no promise due, no tie overdue, nothing to give.")
        return
    from netgraph.report.ics import agenda_ics

    with atomic_files([target]) as (tmp,):
        tmp.write_bytes(agenda_ics(rows.records()))
    out.print(f"Wrote {len(rows)} to-dos to {target}.", markup=False)


@click.command("give")
@click.option("--min-strength", type=click.FloatRange(0, 1), default=None,
              help="The least strength of your tie to each of the two (default: the floor of a "
                   "warm introduction, as in netgraph intro).")
@as_of_option
@listing_options
@db_option
@reading
def give_cmd(store: Store, min_strength: float | None, as_of: Any, fmt: str,
             top: int | None) -> None:
    """Introductions you could make: two people you know well, one needing what the other offers.

    Give first. A pair is suggested when one needs what the other offers (their needs and offers
    columns), or is (by title or tag); never when you know either of them less well than the
    floor, when they know each other well already, or when an introduction between them was
    made or declined. Where your ledger says you owe one of them, the pair ranks higher.
    """
    from netgraph import api

    emit(api.give(store, as_of, min_strength=min_strength, as_frame=False), fmt, top,
         title="Introductions you could make", table_columns=["a", "b", "score", "reason"],
         empty="No introductions to suggest: record what people need and offer (the needs and "
               "offers columns of a contacts file) and they will show here.")


@click.command("brief")
@click.argument("person")
@as_of_option
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True,
              help="Output format. JSON is one object per section (its details a list); CSV one "
                   "row per section, the details joined by '; '.")
@click.option("--top", type=click.IntRange(min=0), default=None,
              help="Show only the first N sections.")
@db_option
@reading
def brief_cmd(store: Store, person: str, as_of: Any, fmt: str, top: int | None) -> None:
    """Before you reach out to PERSON: a brief, and a first line to open with.

    Your tie, recent contact, promises, introductions, mutual contacts, what you share, and a
    first line that cites your most recent shared context. PERSON is a person number, id,
    email, profile URL or exact name (see netgraph people).
    """
    from netgraph import api
    from netgraph.identity.lookup import resolve_person
    from netgraph.rows import Rows

    rows = api.brief(store, person, as_of, as_frame=False)
    if top is not None:
        rows = rows.head(top)
    if fmt == "json":
        emit(rows, "json")
        return
    if fmt == "csv":
        emit(Rows(rows.columns, [(s, summary, "; ".join(details)) for s, summary, details in rows.rows]),
             "csv")
        return
    shown = Rows(("section", "summary"), [line for s, summary, details in rows.rows
                                          for line in [(s, summary), *(("", f"- {d}") for d in details)]])
    emit(shown, "table", title=f"Brief: {store.name_of(resolve_person(store, person))}")


@click.command("roles")
@as_of_option
@listing_options
@db_option
@reading
def roles_cmd(store: Store, as_of: Any, fmt: str, top: int | None) -> None:
    """Suggest connector / target / general for everyone, beside their own category."""
    from netgraph import api

    emit(api.roles(store, as_of, as_frame=False), fmt, top, title="Suggested roles",
         table_columns=["name", "company", "category", "suggested_role", "reason"])


# -- connectors ----------------------------------------------------------------------------------


@click.command("connectors")
@click.option("--global", "global_view", is_flag=True,
              help="Rank the whole network, not who connects you to what you cannot reach.")
@as_of_option
@listing_options
@db_option
@reading
def connectors_cmd(store: Store, global_view: bool, as_of: Any, fmt: str, top: int | None) -> None:
    """Who are my best connectors? My contacts, by what flows through them from me.

    With you set (netgraph init --me), each contact is ranked by the share of your shortest
    paths that pass through them (Brandes' single-source dependency, on your two-hop
    neighbourhood), the people only they reach, and the communities they open. --global ranks
    the whole network by betweenness, structural holes and communities, computed once per data
    version and kept; after netgraph attach with Spark's metrics, by PageRank, structural holes
    and 2-hop reach.
    """
    from netgraph import api

    top = 20 if top is None and fmt == "table" else top
    if global_view or store.me_id is None:
        _emit_whole(store, "connectors", as_of, fmt, top,
                    lambda: api.connectors(store, as_of, global_view=True, as_frame=False),
                    title="Best connectors",
                    table_columns=["rank", "name", "company", "score", "betweenness", "pagerank",
                                   "constraint", "communities_reached", "reach2", "unique_reach",
                                   "reason"])
        return
    emit(api.connectors(store, as_of, as_frame=False), fmt, top,
         title="Who connects you: what flows through each of your contacts",
         table_columns=["rank", "name", "company", "score", "flow_share", "unique_reach",
                        "communities_opened", "reason"])


@click.command("weak-ties")
@click.option("--all", "--everyone", "everyone", is_flag=True,
              help="Every tie in the network, not only your ties that bridge to other clusters.")
@as_of_option
@listing_options
@db_option
@reading
def weak_ties_cmd(store: Store, everyone: bool, as_of: Any, fmt: str, top: int | None) -> None:
    """Weak ties that bridge: embeddedness, overlap, local bridges and their span."""
    from netgraph import api

    top = 20 if top is None and fmt == "table" else top
    shown = {"title": "Weak ties", "table_columns": ["u_name", "v_name", "strength", "embeddedness",
                                                     "overlap", "span", "ties_class", "reason"]}
    if everyone or store.me_id is None:
        _emit_whole(store, "weak_ties", as_of, fmt, top,
                    lambda: api.weak_ties(store, as_of, everyone=True, as_frame=False), **shown)
        return
    emit(api.weak_ties(store, as_of, as_frame=False), fmt, top, **shown)


def _emit_whole(store: Store, name: str, as_of: Any, fmt: str, top: int | None,
                answer: Callable[[], Rows], **shown: Any) -> None:
    """Print the whole-network answer ``name``; its whole JSON listing is kept as printed.

    Turning 100,000 rows into JSON takes longer than reading them: the listing printed the
    first time after a change is kept beside the answer (:func:`netgraph.store.cache.printed`),
    and the next times it is printed as it is, for as long as the data does not change.
    """
    if fmt != "json" or top is not None:
        rows = answer()
        emit(rows, fmt, top, **shown)
        if fmt == "table" and "metrics" in rows.columns:  # answered from Spark's metrics
            from netgraph.analytics.from_metrics import NOTE

            out.print(NOTE, markup=False, highlight=False)
        return
    from netgraph.cli.output import json_listing
    from netgraph.store import cache
    from netgraph.ties.model import as_of_date

    day = as_of_date(as_of).isoformat()
    text = cache.printed(store, name, day)
    if text is None:
        text = json_listing(answer())
        cache.keep_printed(store, name, day, text)
    sys.stdout.write(text)


# -- warm introductions ---------------------------------------------------------------------------


def _read_targets(path: Path) -> list[str]:
    """One target per line (a person, or company:/city:/tag:); blank lines and # comments skipped."""
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        msg = f"{path}: cannot read the targets file ({exc})"
        raise NetgraphError(msg) from None
    targets = [ln.split("#")[0].strip() for ln in lines]
    targets = [t for t in targets if t]
    if not targets:
        msg = f"{path}: no targets in the file; write one person, company:NAME or city:NAME a line"
        raise NetgraphError(msg)
    return targets


def _paths_listing(result: PathResult | TeamPaths, fmt: str) -> Any:
    """What ``intro`` prints: the paths (or the team's answers) without the ``people`` lists.

    As plain rows for a table or JSON, so no pandas loads; CSV takes the frame, whose column
    types decide how its cells are written.
    """
    from netgraph.analytics.paths.results import PATH_COLUMNS, TEAM_COLUMNS, TeamPaths
    from netgraph.rows import Rows

    team = isinstance(result, TeamPaths)
    if fmt == "csv":
        return result.to_frame() if team else result.to_frame().drop(columns=["people"])
    rows = result.rows()
    columns = tuple(TEAM_COLUMNS if team else (c for c in PATH_COLUMNS if c != "people"))
    return Rows(columns if rows else (() if team else columns),
                [tuple(r[c] for c in columns) for r in rows])


@click.command("intro")
@click.argument("target", required=False)
@click.option("--from", "source", default=None, help="Who asks (default: you).")
@click.option("--team", is_flag=True, help="Search from every team member; say who should ask.")
@click.option("--targets", "targets_file", type=click.Path(dir_okay=False, path_type=Path),
              default=None, help="A file of targets, one a line: plan the fewest introducers.")
@click.option("-k", "k", type=click.IntRange(min=1), default=3, show_default=True,
              help="How many paths.")
@click.option("--max-hops", type=click.IntRange(min=1), default=3, show_default=True,
              help="Most intermediaries on a path.")
@click.option("--min-strength", type=click.FloatRange(0, 1), default=None,
              help="Every hop must be at least this strong (default 0.5: people who actually talk).")
@click.option("--hops", "show_hops", is_flag=True, help="List every hop of every path.")
@click.option("--draft", "drafts", is_flag=True,
              help="Add a short message to the first hop of each warm path, asking for the "
                   "introduction (double opt-in), with a note about you they can forward. Plain "
                   "text, never sent.")
@as_of_option
@listing_options
@db_option
@reading
def intro_cmd(store: Store, target: str | None, source: str | None, team: bool,
              targets_file: Path | None, k: int, max_hops: int, min_strength: float | None,
              show_hops: bool, drafts: bool, as_of: Any, fmt: str, top: int | None) -> None:
    """How do I get a warm introduction to TARGET? A person, company:NAME, city:NAME or tag:NAME.

    Paths are ranked by the product of their hops' strengths; every hop must reach
    --min-strength, so the person you ask knows you, and knows the next person, well.
    """
    from netgraph import api

    if targets_file is not None:
        frame = api.plan(store, _read_targets(targets_file), as_of, source=source,
                         max_hops=max_hops, min_strength=min_strength)
        emit(frame, fmt, top, title="Introduction plan")
        return
    if not target:
        raise click.UsageError("give a TARGET, or --targets FILE")
    if drafts and (team or show_hops or source):
        raise NetgraphError("--draft writes your own asks: use it without --team, --hops and --from")
    result = api.intro(store, target, as_of, source=source, team=team, k=k, max_hops=max_hops,
                       min_strength=min_strength)
    if team:
        emit(_paths_listing(result, fmt), fmt, top, title="Who on the team should ask",
             table_columns=["member", "warm", "path_strength", "path", "ask", "should_ask"])
    elif show_hops:
        emit(result.hops_frame(), fmt, top, title=f"Hops to {result.target_name}",
             table_columns=["label", "rank", "hop", "from", "to", "strength", "last_contact",
                            "how"])
    else:
        from netgraph.rows import Rows

        listing = _paths_listing(result, fmt)
        texts = api.intro_drafts(store, result, as_of) if drafts else []
        if drafts and fmt != "table":  # the JSON key (and CSV column) "draft"
            listing = (listing.assign(draft=texts) if fmt == "csv" else
                       Rows((*listing.columns, "draft"),
                            [(*row, text) for row, text in zip(listing.rows, texts, strict=True)]))
        emit(listing, fmt, top,
             title=f"Introductions to {result.target_name}",
             table_columns=["label", "rank", "path_strength", "path", "weakest_hop",
                            "weakest_strength", "ask"])
        if drafts and fmt == "table":
            for row, text in list(zip(result.rows(), texts, strict=True))[:top]:
                if text is not None:
                    out.print(f"\nTo {row['ask']} ({row['label']} {row['rank']}):\n{text}",
                              markup=False)
    if fmt == "table" and result.advice:
        out.print(("Next step: " if not team else "") + result.advice, markup=False)

#: The commands this module adds to ``netgraph``.
COMMANDS = [neglected_cmd, explain_tie_cmd, ledger_cmd, agenda_cmd, give_cmd, brief_cmd, roles_cmd,
            connectors_cmd, weak_ties_cmd, intro_cmd]
