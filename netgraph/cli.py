"""The ``netgraph`` command line: thin adapters over the library.

Each command parses its options, calls one library function and prints the result. A
:class:`~netgraph.NetgraphError` becomes a one-line message and exit status 2, never a traceback.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from netgraph import api, export, listings, report, sample
from netgraph import graph as graph_mod
from netgraph._errors import NetgraphError
from netgraph._output import FORMATS, emit
from netgraph.ingest import KIND_ORDER, ImportResult, import_files, import_parsed, parse_files
from netgraph.settings import set_me, set_team
from netgraph.sources import KINDS
from netgraph.store import Store, default_db_path, open_store

err = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


class _Group(click.Group):
    """Turns the errors netgraph raises on purpose into one line and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NetgraphError as exc:
            err.print(f"netgraph: {exc}", markup=False)
            sys.exit(2)
        except KeyboardInterrupt:
            err.print("netgraph: interrupted; nothing from the current file was written")
            sys.exit(130)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except Exception as exc:
            if os.environ.get("NETGRAPH_DEBUG"):
                raise
            err.print(
                f"netgraph: unexpected error ({type(exc).__name__}: {exc}). This is a bug; "
                "rerun with NETGRAPH_DEBUG=1 to see where it happened, and report it.",
                markup=False,
            )
            sys.exit(1)


# -- shared options, defined once --------------------------------------------------------------


def db_option(func: Callable) -> Callable:
    return click.option(
        "--db",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="NETGRAPH_DB",
        default=None,
        help="The store file. Default: $NETGRAPH_DB, else netgraph.duckdb in this folder.",
    )(func)


def listing_options(func: Callable) -> Callable:
    func = click.option(
        "--top", type=click.IntRange(min=0), default=None, help="Show only the first N rows."
    )(func)
    return click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
        help="Output format. JSON is a list of objects with snake_case keys.",
    )(func)


def as_of_option(func: Callable) -> Callable:
    return click.option(
        "--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
        help="Analyse the network as it was on this date (YYYY-MM-DD). Default: today.",
    )(func)


def _db(db: Path | None) -> Path:
    """The command's --db, else the one given before the command, else the default."""
    ctx = click.get_current_context()
    return default_db_path(db or (ctx.find_root().params.get("db")))


def _reading(func: Callable) -> Callable:
    """Open the store read-only for the command, and close it after."""

    @functools.wraps(func)
    def wrapper(*args: Any, db: Path | None, **kwargs: Any) -> Any:
        with open_store(_db(db), read_only=True) as store:
            return func(store, *args, **kwargs)

    return wrapper


def _writing(func: Callable) -> Callable:
    @functools.wraps(func)
    def wrapper(*args: Any, db: Path | None, **kwargs: Any) -> Any:
        with open_store(_db(db)) as store:
            return func(store, *args, **kwargs)

    return wrapper


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="Say more about what is happening (-vv for debug).")
@db_option
@click.version_option(package_name="netgraph")
def main(verbose: int, db: Path | None) -> None:
    """netgraph: who connects you, which ties you neglect, and how to get a warm introduction.

    Everything stays on this machine, in one DuckDB file (--db or NETGRAPH_DB).
    Start with `netgraph demo`, or `netgraph import contacts.csv interactions.csv`.
    """
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("netgraph").setLevel(level)


# -- setup ---------------------------------------------------------------------------------------


@main.command("init")
@click.option("--me", "me", default=None, help="You: an id, email or exact name (created if new).")
@click.option("--email", default=None, help="Your email, to recognise you in imports.")
@click.option("--member", "members", multiple=True, help="A team member (repeatable).")
@db_option
@_writing
def init_cmd(store: Store, me: str | None, email: str | None, members: tuple[str, ...]) -> None:
    """Record whose network this is, and who is on the team."""
    if not me and not members:
        raise click.UsageError("give --me NAME, --member NAME, or both")
    if me:
        pid = set_me(store, me, email=email)
        out.print(f"You are {store.name_of(pid)} (person {pid}) in {store.path}.", markup=False)
    if members:
        team = set_team(store, list(members))
        names = ", ".join(store.name_of(p) for p in team)
        out.print(f"Team: {names}.", markup=False)


def _print_result(r: ImportResult) -> None:
    name = Path(r.file).name
    if r.already_imported:
        out.print(f"{name}: {r.notes[-1]}", markup=False)
        return
    out.print(
        f"{name} ({r.kind}): {r.loaded:,} loaded, {r.rejected:,} rejected, "
        f"{r.duplicates:,} duplicates skipped, {r.people_created:,} new people",
        markup=False,
    )
    for line in r.reasons[:3]:
        out.print(f"  rejected {line}", markup=False)
    if r.rejected > 3:
        out.print(f"  ... and {r.rejected - 3:,} more; see them all with: netgraph rejects",
                  markup=False)
    for note in r.notes:
        out.print(f"  note: {note}", markup=False)


@main.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--kind", type=click.Choice(list(KINDS)), default=None,
              help="The kind of every file given; default: told from each header.")
@db_option
def import_cmd(files: tuple[Path, ...], kind: str | None, db: Path | None) -> None:
    """Import CSV files (contacts, interactions, introductions, follow-ups).

    Each file is one batch in one transaction. Bad rows are rejected with a reason and kept
    (see `netgraph rejects`); the rest of the file still loads. Importing a file again
    changes nothing. Every file is read and checked before anything is written.
    """
    with err.status("Reading files...") as status:
        parsed = parse_files(files, kind=kind)
        with open_store(_db(db)) as store:
            def progress(r: ImportResult) -> None:
                status.update(f"Imported {Path(r.file).name}")
                _print_result(r)
            import_parsed(store, parsed, on_file=progress)


@main.command("rejects")
@listing_options
@db_option
@_reading
def rejects_cmd(store: Store, fmt: str, top: int | None) -> None:
    """List rejected input rows: file, line, raw text and reason."""
    frame = listings.rejects(store)
    if frame.empty and fmt == "table":
        out.print("No rejected rows.")
        return
    emit(frame, fmt, top, title="Rejected rows")


@main.command("people")
@listing_options
@db_option
@_reading
def people_cmd(store: Store, fmt: str, top: int | None) -> None:
    """List people with all their identities, company, city, tags and category."""
    emit(listings.people(store), fmt, top, title="People")


@main.command("batches")
@listing_options
@db_option
@_reading
def batches_cmd(store: Store, fmt: str, top: int | None) -> None:
    """List import batches: file, kind and counts."""
    emit(listings.batches(store), fmt, top, title="Imports")


@main.command("summary")
@as_of_option
@listing_options
@db_option
@_reading
def summary_cmd(store: Store, as_of: Any, fmt: str, top: int | None) -> None:
    """Headline figures: people, ties, interactions, date range, largest connected part."""
    import pandas as pd

    G = graph_mod.load_graph(store, as_of)
    figures = graph_mod.summary(store, G)
    frame = pd.DataFrame([figures]) if fmt != "table" else pd.DataFrame(
        {"figure": list(figures), "value": [str(v) for v in figures.values()]})
    emit(frame, fmt, top, title="Summary")


def _redact_options(func: Callable) -> Callable:
    func = click.option("--keep-org", is_flag=True,
                        help="With --redact: keep company and city.")(func)
    return click.option(
        "--redact", is_flag=True,
        help='Replace every person with a stable pseudonym ("Contact 17") and leave out emails, '
             "phones, notes, profile URLs, company and city.")(func)


@main.command("report")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("reports/network.html"), show_default=True, help="Where to write the report.")
@_redact_options
@click.option("--focus", default=None,
              help="Draw only the people around this person (id, email or exact name).")
@click.option("--radius", type=click.IntRange(min=1), default=2, show_default=True,
              help="With --focus: how many hops around the person.")
@click.option("--max-nodes", type=click.IntRange(min=1), default=2000, show_default=True,
              help="Draw at most this many people, the most important; the page says how many "
                   "it left out.")
@click.option("--target", "targets", multiple=True,
              help="Show warm introduction paths to this person, or to company:NAME, city:NAME "
                   "or tag:NAME (repeatable).")
@click.option("--title", default=None,
              help='The page title. Default: "<your name>\'s network" ("Network report" with --redact).')
@as_of_option
@db_option
@_reading
def report_cmd(store: Store, out_path: Path, redact: bool, keep_org: bool, focus: str | None,
               radius: int, max_nodes: int, targets: tuple[str, ...], title: str | None,
               as_of: Any) -> None:
    """Write a self-contained HTML report: the network and the answers (opens offline).

    With --redact the file is safe to send: no real name, email or phone appears anywhere in it.
    """
    if keep_org and not redact:
        raise click.UsageError("--keep-org only applies with --redact")
    with err.status("Analysing the network..."):
        path = report.build_report(store, out=out_path, as_of=as_of, redact=redact,
                                   keep_org=keep_org, focus=focus, radius=radius,
                                   max_nodes=max_nodes, targets=list(targets), title=title)
    out.print(f"Wrote {path}", markup=False)


@main.command("export")
@click.argument("out_path", metavar="OUT", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(export.FORMATS), default=None,
              help="gexf or graphml (one file, for Gephi), csv or parquet (a folder with nodes "
                   "and edges tables). Default: from OUT's suffix.")
@_redact_options
@as_of_option
@db_option
@_reading
def export_cmd(store: Store, out_path: Path, fmt: str | None, redact: bool, keep_org: bool,
               as_of: Any) -> None:
    """Export the network with every person and tie attribute (continue in Gephi)."""
    if keep_org and not redact:
        raise click.UsageError("--keep-org only applies with --redact")
    for path in export.export(store, out_path, fmt, as_of=as_of, redact=redact,
                              keep_org=keep_org):
        out.print(f"Wrote {path}", markup=False)


# -- relationships: strength, neglect, roles ------------------------------------------------------


@main.command("neglected")
@click.option("--dormant", "show_dormant", is_flag=True,
              help="List dormant ties instead: strong at their peak, silent for over a year.")
@as_of_option
@listing_options
@db_option
@_reading
def neglected_cmd(store: Store, show_dormant: bool, as_of: Any, fmt: str, top: int | None) -> None:
    """Which valuable relationships am I neglecting? Overdue against each tie's own rhythm.

    Priority ranks valuable-and-overdue ties first; open follow-ups past due are always listed.
    """
    if show_dormant:
        emit(api.dormant(store, as_of), fmt, top, title="Dormant ties worth reviving",
             table_columns=["name", "company", "last_contact", "days_silent", "strength",
                            "peak_strength", "reason"])
    else:
        emit(api.neglected(store, as_of), fmt, top, title="Neglected relationships",
             table_columns=["name", "last_contact", "cadence_days", "days_overdue", "strength",
                            "peak_strength", "priority", "reason"])


@main.command("explain-tie")
@click.argument("person_a")
@click.argument("person_b")
@as_of_option
@listing_options
@db_option
@_reading
def explain_tie_cmd(store: Store, person_a: str, person_b: str, as_of: Any, fmt: str,
                    top: int | None) -> None:
    """Why is the tie between A and B as strong as it is? Each factor and the facts behind it."""
    frame = api.explain_tie(store, person_a, person_b, as_of)
    title = f"{store.name_of(store.resolve(person_a))} - {store.name_of(store.resolve(person_b))}"
    emit(frame, fmt, top, title=title)


@main.command("ledger")
@click.option("--min-imbalance", type=click.IntRange(min=0), default=2, show_default=True,
              help="Show people whose given and received introductions differ by at least this.")
@as_of_option
@listing_options
@db_option
@_reading
def ledger_cmd(store: Store, min_imbalance: int, as_of: Any, fmt: str, top: int | None) -> None:
    """Introductions you gave each person against those you received from them."""
    emit(api.ledger(store, as_of, min_imbalance=min_imbalance), fmt, top, title="Give and take")


@main.command("roles")
@as_of_option
@listing_options
@db_option
@_reading
def roles_cmd(store: Store, as_of: Any, fmt: str, top: int | None) -> None:
    """Suggest connector / target / general for everyone, beside their own category."""
    emit(api.roles(store, as_of), fmt, top, title="Suggested roles",
         table_columns=["name", "company", "category", "suggested_role", "reason"])


# -- connectors ----------------------------------------------------------------------------------


@main.command("connectors")
@click.option("--global", "global_view", is_flag=True,
              help="Rank the whole network, not who connects you to what you cannot reach.")
@as_of_option
@listing_options
@db_option
@_reading
def connectors_cmd(store: Store, global_view: bool, as_of: Any, fmt: str, top: int | None) -> None:
    """Who are my best connectors? Betweenness, structural holes, communities, unique reach."""
    top = 20 if top is None and fmt == "table" else top
    emit(api.connectors(store, as_of, global_view=global_view), fmt, top, title="Best connectors",
         table_columns=["rank", "name", "company", "score", "betweenness", "constraint",
                        "communities_reached", "unique_reach", "reason"])


@main.command("weak-ties")
@click.option("--all", "everyone", is_flag=True,
              help="Every tie in the network, not only your ties that bridge to other clusters.")
@as_of_option
@listing_options
@db_option
@_reading
def weak_ties_cmd(store: Store, everyone: bool, as_of: Any, fmt: str, top: int | None) -> None:
    """Weak ties that bridge: embeddedness, overlap, local bridges and their span."""
    top = 20 if top is None and fmt == "table" else top
    emit(api.weak_ties(store, as_of, everyone=everyone), fmt, top, title="Weak ties",
         table_columns=["u_name", "v_name", "strength", "embeddedness", "overlap", "span",
                        "ties_class", "reason"])


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


@main.command("intro")
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
@as_of_option
@listing_options
@db_option
@_reading
def intro_cmd(store: Store, target: str | None, source: str | None, team: bool,
              targets_file: Path | None, k: int, max_hops: int, min_strength: float | None,
              show_hops: bool, as_of: Any, fmt: str, top: int | None) -> None:
    """How do I get a warm introduction to TARGET (a person, company:NAME, city:NAME, tag:NAME)?

    Paths are ranked by the product of their hops' strengths; every hop must reach
    --min-strength, so the person you ask knows you, and knows the next person, well.
    """
    if targets_file is not None:
        frame = api.plan(store, _read_targets(targets_file), as_of, source=source,
                         max_hops=max_hops, min_strength=min_strength)
        emit(frame, fmt, top, title="Introduction plan")
        return
    if not target:
        raise click.UsageError("give a TARGET, or --targets FILE")
    result = api.intro(store, target, as_of, source=source, team=team, k=k, max_hops=max_hops,
                       min_strength=min_strength)
    if team:
        emit(result.to_frame(), fmt, top, title="Who on the team should ask",
             table_columns=["member", "warm", "path_strength", "path", "ask", "should_ask"])
    elif show_hops:
        emit(result.hops_frame(), fmt, top, title=f"Hops to {result.target_name}",
             table_columns=["label", "rank", "hop", "from", "to", "strength", "last_contact",
                            "how"])
    else:
        emit(result.to_frame().drop(columns=["people"]), fmt, top,
             title=f"Introductions to {result.target_name}",
             table_columns=["label", "rank", "path_strength", "path", "weakest_hop",
                            "weakest_strength", "ask"])
    if fmt == "table" and result.advice:
        out.print(("Next step: " if not team else "") + result.advice, markup=False)


# -- sample data and the demo --------------------------------------------------------------------


@main.command("sample")
@click.option("--people", "n_people", type=click.IntRange(min=20), default=300, show_default=True,
              help="Number of people.")
@click.option("--interactions", type=click.IntRange(min=1), default=None,
              help="Number of interactions (default: about 17 per person).")
@click.option("--seed", type=int, default=7, show_default=True,
              help="Random seed; the same seed gives the same files.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("data/sample"), show_default=True, help="Folder for the CSV files.")
def sample_cmd(n_people: int, interactions: int | None, seed: int, out_dir: Path) -> None:
    """Generate a realistic synthetic network (seeded) as CSV files."""
    with err.status(f"Generating {n_people:,} people..."):
        data = sample.generate(n_people, seed=seed, interactions=interactions)
        paths = sample.write(data, out_dir)
    for name, path in paths.items():
        out.print(f"{name}: {path}", markup=False)


def _bundled_sample() -> Path | None:
    for base in (Path.cwd(), Path(__file__).resolve().parents[1]):
        candidate = base / "data" / "sample"
        if (candidate / "contacts.csv").exists():
            return candidate
    return None


def _remove_old_demo(db: Path) -> None:
    """Delete the previous demo store, but never a store that the demo did not make."""
    if not db.exists():
        return
    with open_store(db, read_only=True) as old:
        is_demo = old.get_setting("demo") == "1"
    if not is_demo:
        msg = f"{db} exists and is not a demo store; the demo rebuilds its store, so give another --db"
        raise NetgraphError(msg)
    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)


def _load_demo(store: Store, source: Path, out_path: Path) -> tuple[dict, Path]:
    """Import the sample as its owner would: contacts, then who I am, then the rest."""
    planted = json.loads((source / "planted.json").read_text(encoding="utf-8"))
    files = [source / f"{k}.csv" for k in KIND_ORDER if (source / f"{k}.csv").exists()]
    import_files(store, files[:1], on_file=_print_result)
    set_me(store, planted["me"]["id"])
    set_team(store, [t["id"] for t in planted.get("team", [])])
    import_files(store, files[1:], on_file=_print_result)
    store.set_setting("demo", "1")
    last = store.scalar("SELECT max(occurred_at) FROM interactions")
    G = graph_mod.load_graph(store, last)
    figures = graph_mod.summary(store, G)
    targets = [h["id"] for h in planted.get("hard_to_reach", [])]
    path = report.build_report(store, as_of=last, graph=G, out=out_path, targets=targets,
                               title="netgraph demo: sample network")
    return figures, path


@main.command("demo")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("reports/demo.html"), show_default=True, help="Where to write the report.")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Store for the demo (rebuilt each run). Default: next to the report, demo.duckdb.")
def demo_cmd(out_path: Path, db: Path | None) -> None:
    """Load the bundled sample into a fresh store, summarise it and write the report."""
    source = _bundled_sample()
    tmp = None
    if source is None:
        tmp = Path(tempfile.mkdtemp(prefix="netgraph-sample-"))
        sample.write(sample.generate(), tmp)
        source = tmp
    db = db or out_path.with_name("demo.duckdb")
    db.parent.mkdir(parents=True, exist_ok=True)
    _remove_old_demo(db)
    try:
        with open_store(db) as store:
            figures, path = _load_demo(store, source, out_path)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    out.print(
        f"\n{figures['people']:,} people, {figures['ties']:,} ties, "
        f"{figures['interactions']:,} interactions, {figures['introductions']:,} introductions\n"
        f"contacts from {figures['first_contact']} to {figures['last_contact']}; "
        f"largest connected part: {figures['largest_part']:,} people "
        f"({figures['largest_part_share']:.0%})",
        markup=False,
    )
    out.print(f"Report: {path}", markup=False)
    out.print(f"Explore it: netgraph people --db {db} --top 10", markup=False)


if __name__ == "__main__":  # pragma: no cover
    main()
