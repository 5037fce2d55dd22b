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

from netgraph import export, listings, report, sample
from netgraph import graph as graph_mod
from netgraph._atomic import as_path, check_target, output_error
from netgraph._errors import NetgraphError
from netgraph._output import FORMATS, SafeConsole, emit, raw_cells
from netgraph.ingest import KIND_ORDER, import_files
from netgraph.settings import set_me, set_team
from netgraph.store import Store, default_db_path, open_store

# every message passes through safe_text: a name cannot send escape sequences to the terminal
err: Console = SafeConsole(stderr=True, highlight=False, soft_wrap=True, emoji=False)
out: Console = SafeConsole(highlight=False, soft_wrap=True, emoji=False)


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
    """``--format``, ``--top`` and ``--raw``; ``--raw`` is applied here (see ``raw_cells``), so
    the command itself receives only ``fmt`` and ``top``."""

    command = func

    @functools.wraps(command)
    def wrapper(*args: Any, raw: bool = False, **kwargs: Any) -> Any:
        with raw_cells(raw):
            return command(*args, **kwargs)

    func = click.option(
        "--raw", is_flag=True,
        help="With --format csv: write cells as stored, without the ' that stops a spreadsheet "
             "from running a cell starting with = + - @ as a formula, and without escaping "
             "control characters.",
    )(wrapper)
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


@main.command("rejects")
@listing_options
@db_option
@_reading
def rejects_cmd(store: Store, fmt: str, top: int | None) -> None:
    """List rejected input rows: file, line, raw text and reason."""
    emit(listings.rejects(store), fmt, top, title="Rejected rows", empty="No rejected rows.")


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


def force_option(func: Callable) -> Callable:
    return click.option(
        "--force", is_flag=True,
        help="Replace existing output files. The store itself is never written over.",
    )(func)


@main.command("report")
@click.option("--out", "out_path", type=click.Path(), default="reports/network.html",
              show_default=True, help="Where to write the report (an existing file needs --force).")
@force_option
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
def report_cmd(store: Store, out_path: str, force: bool, redact: bool, keep_org: bool,
               focus: str | None, radius: int, max_nodes: int, targets: tuple[str, ...],
               title: str | None, as_of: Any) -> None:
    """Write a self-contained HTML report: the network and the answers (opens offline).

    With --redact the file is safe to send: no real name, email or phone appears anywhere in it.
    """
    if keep_org and not redact:
        raise click.UsageError("--keep-org only applies with --redact")
    with err.status("Analysing the network..."):
        path = report.build_report(store, out=out_path, overwrite=force, as_of=as_of, redact=redact,
                                   keep_org=keep_org, focus=focus, radius=radius,
                                   max_nodes=max_nodes, targets=list(targets), title=title)
    out.print(f"Wrote {path}", markup=False)


@main.command("export")
@click.argument("out_path", metavar="OUT", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(export.FORMATS), default=None,
              help="gexf or graphml (one file, for Gephi), csv or parquet (a folder with nodes "
                   "and edges tables). Default: from OUT's suffix.")
@force_option
@click.option("--raw", is_flag=True,
              help="With csv: write cells as stored (no ' before a leading = + - @, no escaping "
                   "of control characters).")
@_redact_options
@as_of_option
@db_option
@_reading
def export_cmd(store: Store, out_path: str, fmt: str | None, force: bool, raw: bool, redact: bool,
               keep_org: bool, as_of: Any) -> None:
    """Export the network with every person and tie attribute (continue in Gephi).

    Existing files are replaced only with --force. CSV cells that a spreadsheet would run as a
    formula get a leading ' (--raw: as stored).
    """
    if keep_org and not redact:
        raise click.UsageError("--keep-org only applies with --redact")
    for path in export.export(store, out_path, fmt, as_of=as_of, redact=redact,
                              keep_org=keep_org, overwrite=force, raw=raw):
        out.print(f"Wrote {path}", markup=False)


# -- sample data and the demo --------------------------------------------------------------------


@main.command("sample")
@click.option("--people", "n_people", type=click.IntRange(min=20), default=300, show_default=True,
              help="Number of people.")
@click.option("--interactions", type=click.IntRange(min=1), default=None,
              help="Number of interactions (default: about 17 per person).")
@click.option("--seed", type=int, default=7, show_default=True,
              help="Random seed; the same seed gives the same files.")
@click.option("--out", "out_dir", type=click.Path(), default="data/sample", show_default=True,
              help="Folder for the CSV files.")
@force_option
def sample_cmd(n_people: int, interactions: int | None, seed: int, out_dir: str, force: bool) -> None:
    """Generate a realistic synthetic network (seeded) as CSV files.

    Files already in the folder are replaced only with --force.
    """
    check_target(out_dir, overwrite=force, folder=True, files=sample.FILES)  # before the work
    with err.status(f"Generating {n_people:,} people..."):
        data = sample.generate(n_people, seed=seed, interactions=interactions)
        paths = sample.write(data, out_dir, overwrite=force)
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


DEMO_TITLE = "netgraph demo: sample network"


def _is_demo_report(path: Path) -> bool:
    """Whether ``path`` is a report an earlier demo wrote (its title is in the first bytes)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return f"<title>{DEMO_TITLE}</title>".encode() in head


def _load_demo(store: Store, source: Path, out_path: Path, overwrite: bool) -> tuple[dict, Path]:
    """Import the sample as its owner would: contacts, then who I am, then the rest."""
    from netgraph.cli_import import print_result
    planted = json.loads((source / "planted.json").read_text(encoding="utf-8"))
    files = [source / f"{k}.csv" for k in KIND_ORDER if (source / f"{k}.csv").exists()]
    import_files(store, files[:1], on_file=print_result)
    set_me(store, planted["me"]["id"])
    set_team(store, [t["id"] for t in planted.get("team", [])])
    import_files(store, files[1:], on_file=print_result)
    store.set_setting("demo", "1")
    last = store.scalar("SELECT max(occurred_at) FROM interactions")
    G = graph_mod.load_graph(store, last)
    figures = graph_mod.summary(store, G)
    targets = [h["id"] for h in planted.get("hard_to_reach", [])]
    path = report.build_report(store, as_of=last, graph=G, out=out_path, targets=targets,
                               title=DEMO_TITLE, overwrite=overwrite)
    return figures, path


@main.command("demo")
@click.option("--out", "out_arg", type=click.Path(), default="reports/demo.html", show_default=True,
              help="Where to write the report (rewritten each run; another existing file needs --force).")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Store for the demo (rebuilt each run). Default: next to the report, demo.duckdb.")
@force_option
def demo_cmd(out_arg: str, db: Path | None, force: bool) -> None:
    """Load the bundled sample into a fresh store, summarise it and write the report.

    The demo rewrites its own report and store; it replaces no other file without --force, and
    never a store it did not make.
    """
    out_path = as_path(out_arg)
    db = db or out_path.with_name("demo.duckdb")
    overwrite = force or _is_demo_report(out_path)
    check_target(out_path, overwrite=overwrite, protect=[db])  # before the old store is removed
    source = _bundled_sample()
    tmp = None
    if source is None:
        tmp = Path(tempfile.mkdtemp(prefix="netgraph-sample-"))
        sample.write(sample.generate(), tmp)
        source = tmp
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output_error(db, exc) from None
    _remove_old_demo(db)
    try:
        with open_store(db) as store:
            figures, path = _load_demo(store, source, out_path, overwrite)
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


# The analysis commands live in their own module; importing it registers them on `main`.
from netgraph import cli_analyses, cli_import, cli_people  # noqa: E402, F401

if __name__ == "__main__":  # pragma: no cover
    main()
