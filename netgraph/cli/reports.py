"""What leaves the store: ``report``, ``export``, and the sample behind ``sample`` and ``demo``.

The report, export and sample modules (pandas, NetworkX, pyvis behind them) load inside the
commands, so ``netgraph --help`` stays quick.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from netgraph._errors import NetgraphError
from netgraph.cli.options import (
    as_of_option,
    db_option,
    err,
    force_option,
    out,
    reading,
    redact_options,
)
from netgraph.cli.output import LaterChoice, later
from netgraph.cli.setup import print_result
from netgraph.report.atomic import as_path, check_target, output_error

if TYPE_CHECKING:
    from netgraph.store.database import Store


def _briefs(store: Store, as_of: Any) -> Any:
    """The brief about a person, for the report's person panels (``netgraph brief``)."""
    from netgraph import api

    if store.me_id is None:
        return None
    return lambda pid: api.brief(store, pid, as_of, as_frame=False)


@click.command("report")
@click.option("--out", "out_path", type=click.Path(), default="reports/network.html",
              show_default=True, help="Where to write the report (an existing file needs --force).")
@force_option
@redact_options
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
@reading
def report_cmd(store: Store, out_path: str, force: bool, redact: bool, keep_org: bool,
               focus: str | None, radius: int, max_nodes: int, targets: tuple[str, ...],
               title: str | None, as_of: Any) -> None:
    """Write a self-contained HTML report: the network and the answers (opens offline).

    With --redact the file is safe to send: no real name, email or phone appears anywhere in it.
    """
    if keep_org and not redact:
        raise click.UsageError("--keep-org only applies with --redact")
    from netgraph.report import html as report

    with err.status("Analysing the network..."):
        path = report.build_report(store, out=out_path, overwrite=force, as_of=as_of, redact=redact,
                                   keep_org=keep_org, focus=focus, radius=radius,
                                   max_nodes=max_nodes, targets=list(targets), title=title,
                                   brief_of=_briefs(store, as_of))
    out.print(f"Wrote {path}", markup=False)


@click.command("export")
@click.argument("out_path", metavar="OUT", type=click.Path())
@click.option("--format", "fmt", type=LaterChoice(later("netgraph.report.export", "FORMATS")),
              default=None,
              help="gexf or graphml (one file, for Gephi), csv or parquet (a folder with nodes "
                   "and edges tables). Default: from OUT's suffix.")
@force_option
@click.option("--raw", is_flag=True,
              help="With csv: write cells as stored (no ' before a leading = + - @, no escaping "
                   "of control characters).")
@redact_options
@click.option("--store-tables", is_flag=True,
              help="With parquet: write the store's tables that the tie query reads (ids, dates, "
                   "kinds; no names or notes) instead of the graph, for netgraph spark ties.")
@as_of_option
@db_option
@reading
def export_cmd(store: Store, out_path: str, fmt: str | None, force: bool, raw: bool, redact: bool,
               keep_org: bool, store_tables: bool, as_of: Any) -> None:
    """Export the network with every person and tie attribute (continue in Gephi).

    Existing files are replaced only with --force. CSV cells that a spreadsheet would run as a
    formula get a leading ' (--raw: as stored). With --format parquet --store-tables, OUT is a
    folder of the store's own tables, the input of `netgraph spark ties`.
    """
    if keep_org and not redact:
        raise click.UsageError("--keep-org only applies with --redact")
    from netgraph.report import export

    if store_tables:
        if fmt != "parquet" or redact or raw or as_of is not None:
            raise click.UsageError("--store-tables goes with --format parquet alone (the tables "
                                   "are as stored: no --redact, --raw or --as-of)")
        for path in export.export_tables(store, out_path, overwrite=force):
            out.print(f"Wrote {path}", markup=False)
        return

    for path in export.export(store, out_path, fmt, as_of=as_of, redact=redact,
                              keep_org=keep_org, overwrite=force, raw=raw):
        out.print(f"Wrote {path}", markup=False)


# -- sample data and the demo --------------------------------------------------------------------


@click.command("sample")
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
    from netgraph.sample import dataset as sample

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
    from netgraph.store.database import open_store

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
    from netgraph.graph import projection
    from netgraph.identity.settings import set_me, set_team
    from netgraph.ingest.batch import KIND_ORDER, import_files
    from netgraph.report import html as report
    from netgraph.store import queries

    planted = json.loads((source / "planted.json").read_text(encoding="utf-8"))
    files = [source / f"{k}.csv" for k in KIND_ORDER if (source / f"{k}.csv").exists()]
    import_files(store, files[:1], on_file=print_result)
    set_me(store, planted["me"]["id"])
    set_team(store, [t["id"] for t in planted.get("team", [])])
    import_files(store, files[1:], on_file=print_result)
    store.set_setting("demo", "1")
    last = queries.last_contact(store)
    figures = projection.summary(store, as_of=last)
    targets = [h["id"] for h in planted.get("hard_to_reach", [])]
    path = report.build_report(store, as_of=last, out=out_path, targets=targets,
                               title=DEMO_TITLE, overwrite=overwrite, brief_of=_briefs(store, last))
    return figures, path


@click.command("demo")
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
    from netgraph.sample import dataset as sample
    from netgraph.store.database import open_store

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

#: The commands this module adds to ``netgraph``.
COMMANDS = [report_cmd, export_cmd, sample_cmd, demo_cmd]
