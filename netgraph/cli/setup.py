"""The setup commands of the ``netgraph`` CLI: ``init`` and ``import``.

Registered on :data:`netgraph.cli.main.main` when :mod:`netgraph.cli.main` loads. The readers,
the store and the calendar limits load when a command runs or shows its help, not with this
module, so ``netgraph --help`` stays quick.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from netgraph._errors import NetgraphError
from netgraph.cli.options import db_option, err, out, prepare_answers, store_path
from netgraph.cli.output import LaterChoice, LaterOption, later

if TYPE_CHECKING:
    from netgraph.ingest.batch import ImportResult
    from netgraph.sources import ParsedFile
    from netgraph.store.database import Store

# -- setup ---------------------------------------------------------------------------------------


@click.command("init")
@click.option("--me", "me", default=None,
              help="You: a person number, id, email or exact name (a new name is created).")
@click.option("--email", "emails", multiple=True,
              help="Your email, to recognise you in mail and calendars (repeatable).")
@click.option("--linkedin", default=None, help="Your LinkedIn profile URL, to recognise you there.")
@click.option("--member", "members", multiple=True, help="A team member (repeatable).")
@click.option("--country", default=None, metavar="CODE",
              help="Your home country (ISO code, such as DE), to read national phone numbers in.")
@click.option("--market", "market", multiple=True, metavar="RULE",
              help="Who is in your target market (repeatable): title:TEXT, company:NAME, city:NAME, "
                   "tag:NAME or industry:TEXT, such as title:CTO. Matched case- and accent-blind.")
@click.option("--market-clear", is_flag=True,
              help="Remove every market rule (before adding any --market given with it).")
@db_option
def init_cmd(db: Path | None, me: str | None, emails: tuple[str, ...], linkedin: str | None,
             members: tuple[str, ...], country: str | None, market: tuple[str, ...],
             market_clear: bool) -> None:
    """Record whose network this is, who is on the team, your home country and your market.

    With no options, show what is recorded. Phone numbers match in their international
    form: "030 1234567" is "+49 30 1234567" once --country DE is set; without a country,
    only numbers written with + or 00 match across sources. Your market rules decide who
    `netgraph roles` calls a target: people who match one, and no one else.
    """
    from netgraph.identity.settings import home_region_code
    from netgraph.market import parse_rule
    from netgraph.store.database import open_store

    if not me and not members and country is None and not market and not market_clear:
        if emails or linkedin:
            raise click.UsageError("--email and --linkedin go with --me NAME")
        with open_store(store_path(db), read_only=True) as store:  # showing creates no store
            _show_settings(store)
        return
    if country is not None:
        home_region_code(country)  # a bad code fails before the store is opened
    for rule in market:
        parse_rule(rule)  # so does a rule that cannot be read
    with open_store(store_path(db)) as store:
        _init(store, me, emails, linkedin, members, country)
        if market or market_clear:
            _set_market(store, list(market), clear=market_clear)
        prepare_answers(store)


def _set_market(store: Store, rules: list[str], *, clear: bool) -> None:
    from netgraph.identity.settings import set_market

    now = set_market(store, rules, clear=clear)
    shown = "; ".join(str(r) for r in now) or "(none)"
    out.print(f"Market: {shown}.", markup=False)


def _init(store: Store, me: str | None, emails: tuple[str, ...], linkedin: str | None,
          members: tuple[str, ...], country: str | None) -> None:
    from netgraph.identity.settings import set_home_region, set_me, set_team

    if country is not None:
        done = set_home_region(store, country)
        merged = f"; {done['merged']} people merged by a shared phone" if done["merged"] else ""
        out.print(f"Home country: {done['region']} ({done['phones_changed']} stored phones with a new "
                  f"normal form{merged}).", markup=False)
    if me:
        pid = set_me(store, me, email=list(emails), linkedin=linkedin)
        out.print(f"You are {store.name_of(pid)} (person {pid}) in {store.path}.", markup=False)
    if members:
        team = set_team(store, list(members))
        names = ", ".join(store.name_of(p) for p in team)
        out.print(f"Team: {names}.", markup=False)


def _show_settings(store: Store) -> None:
    """Print what ``init`` has recorded, one line each."""
    from netgraph.identity.settings import current_settings

    now = current_settings(store)
    out.print(f"Store: {store.path}", markup=False)
    out.print(f"Me: {now['me'] or '(not set: netgraph init --me NAME)'}", markup=False)
    out.print(f"Emails: {', '.join(now['emails']) or '(none)'}", markup=False)
    out.print(f"Team: {', '.join(now['team']) or '(none)'}", markup=False)
    country = now["country"] or "(not set: only numbers with + or 00 match; netgraph init --country DE)"
    out.print(f"Country: {country}", markup=False)
    market = "; ".join(now["market"]) or "(none: netgraph init --market title:CTO --market city:Berlin)"
    out.print(f"Market: {market}", markup=False)


def print_result(r: ImportResult) -> None:
    """Print one file's import: its counts, then what was skipped, inferred and rejected, and notes."""
    name = Path(r.file).name
    if r.already_imported:
        out.print(f"{name}: {r.notes[-1]}", markup=False)
        return
    merged = sum(r.merged.values())
    how = ", ".join(f"{n:,} by {rule}" for rule, n in sorted(r.merged.items(), key=lambda x: -x[1]))
    parts = [f"{r.loaded:,} loaded"]
    if merged:
        parts.append(f"{merged:,} merged into people already known ({how})")
    parts += [f"{r.skipped + r.duplicates:,} skipped", f"{r.rejected:,} rejected",
              f"{r.people_created:,} new people"]
    out.print(f"{name} ({r.kind}): " + ", ".join(parts), markup=False)
    if r.duplicates and r.skipped:
        out.print(f"  skipped: {r.duplicates:,} already stored, {r.skipped:,} left out on purpose",
                  markup=False)
    if r.inferred_intros:
        out.print(f"  {r.inferred_intros:,} introductions inferred (a mail from you to two people "
                  "who had not met)", markup=False)
    for line in r.reasons[:3]:
        out.print(f"  rejected {line}", markup=False)
    if r.rejected > 3:
        out.print(f"  ... and {r.rejected - 3:,} more; see them all with: netgraph rejects",
                  markup=False)
    for note in r.notes:
        out.print(f"  note: {note}", markup=False)


def _my_emails(db: Path) -> list[str]:
    """My recorded emails, so calendars and mailboxes know which side is me (none if no store)."""
    if not db.exists():
        return []
    from netgraph.store.database import open_store

    try:
        with open_store(db, read_only=True) as store:
            return store.my_emails()
    except NetgraphError:
        return []


def _amount_column() -> Any:
    from rich.progress import DownloadColumn, ProgressColumn
    from rich.text import Text

    class Amount(ProgressColumn):
        """Bytes for files being read; a count for the files being written."""

        def __init__(self) -> None:
            super().__init__()
            self.bytes = DownloadColumn()

        def render(self, task: Any) -> Text:
            if task.fields.get("unit") == "files":
                return Text(f"{task.completed:.0f}/{task.total:.0f} files", style="progress.download")
            return self.bytes.render(task)

    return Amount()


class _SizeType(click.ParamType):
    """A size such as 500M, 5G or a number of bytes (see :func:`netgraph.sources.reading.parse_size`)."""

    name = "size"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        from netgraph.sources.reading import parse_size

        if isinstance(value, int):
            return value
        try:
            return parse_size(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def _max_size_help() -> str:
    """The help of ``--max-size``, which names the default limit."""
    from netgraph.sources.reading import MAX_FILE_BYTES, format_size

    return (f"Read files up to this size (500M, 5G, or bytes; default {format_size(MAX_FILE_BYTES)}), "
            "and devices or pipes up to it (refused otherwise).")


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--kind", type=LaterChoice(later("netgraph.sources", "KINDS")), default=None,
              help="For netgraph's own CSV: the kind of every file; default: told from each header.")
@click.option("--format", "fmt", type=LaterChoice(later("netgraph.sources.detect", "FORMATS")),
              default=None,
              help="The format of every file; default: told from each file's content.")
@click.option("--max-attendees", cls=LaterOption, type=click.IntRange(min=2),
              default=later("netgraph.sources.ics", "MAX_ATTENDEES"), show_default=True,
              help="Calendars: skip meetings with more people than this (all-hands say little).")
@click.option("--max-occurrences", cls=LaterOption, type=click.IntRange(min=1),
              default=later("netgraph.sources.ics", "MAX_OCCURRENCES"), show_default=True,
              help="Calendars: a recurring event with more occurrences than this up to today is "
                   "rejected (with its reason), not cut short.")
@click.option("--max-size", cls=LaterOption, type=_SizeType(), default=None, metavar="SIZE",
              help_later=_max_size_help)
@db_option
def import_cmd(files: tuple[Path, ...], kind: str | None, fmt: str | None, max_attendees: int,
               max_occurrences: int, max_size: int | None, db: Path | None) -> None:
    """Import files: netgraph CSV, LinkedIn, Google or Outlook CSV, vCard, iCalendar, mbox.

    Each file is one batch in one transaction. The same person arriving from several files is
    merged by email, LinkedIn URL, phone, or name and company; see `netgraph merges`, and
    `netgraph dedupe` for names that only look alike. Bad rows are rejected with a reason and
    kept (see `netgraph rejects`); the rest of the file still loads. Importing a file again
    changes nothing. Every file is read and checked before anything is written.
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from netgraph.ingest.batch import import_parsed, parse_files
    from netgraph.store.database import open_store

    with Progress(TextColumn("{task.description}"), BarColumn(), _amount_column(),
                  TimeRemainingColumn(), console=err, transient=True) as bar:
        tasks: dict[Path, Any] = {}

        def on_progress(path: Path, done: int) -> None:
            if path not in tasks:
                size = path.stat().st_size if path.is_file() else None
                tasks[path] = bar.add_task(f"reading {path.name}", total=size)
            if done < 0:
                bar.update(tasks[path], completed=bar.tasks[tasks[path]].total or 0)
            else:
                bar.update(tasks[path], completed=done)

        for path in files:
            on_progress(path, 0)
        parsed = parse_files(files, kind=kind, fmt=fmt, my_emails=_my_emails(store_path(db)),
                             on_progress=on_progress, max_attendees=max_attendees,
                             max_occurrences=max_occurrences, max_size=max_size)
        writing = bar.add_task("writing to the store", total=len(parsed), unit="files")
        results = []
        pieces: dict[Path, Any] = {}  # large files written piece by piece: bytes written

        def on_bytes(pf: ParsedFile, done: int) -> None:
            if pf.path not in pieces:
                pieces[pf.path] = bar.add_task(f"writing {pf.path.name}", total=pf.size or None)
            bar.update(pieces[pf.path], completed=done)

        with open_store(store_path(db)) as store:
            def on_file(r: ImportResult) -> None:
                bar.advance(writing)
                results.append(r)
            import_parsed(store, parsed, on_file=on_file, on_bytes=on_bytes)
    for r in results:
        print_result(r)
    if len(results) > 1:
        fresh = [r for r in results if not r.already_imported]
        out.print(
            f"Total: {sum(r.loaded for r in fresh):,} loaded, "
            f"{sum(sum(r.merged.values()) for r in fresh):,} merged, "
            f"{sum(r.skipped + r.duplicates for r in fresh):,} skipped, "
            f"{sum(r.rejected for r in fresh):,} rejected, "
            f"{sum(r.people_created for r in fresh):,} new people.", markup=False)
    if any(not r.already_imported for r in results):
        with open_store(store_path(db)) as store:  # after the bars: one live display at a time
            prepare_answers(store)

#: The commands this module adds to ``netgraph``.
COMMANDS = [init_cmd, import_cmd]
