"""What every command shares: the consoles, the error boundary, and the options defined once.

A :class:`~netgraph.NetgraphError` becomes a one-line message and exit status 2, never a
traceback (:class:`NetgraphGroup`). ``--db``, ``--format``/``--top``/``--raw``, ``--as-of``,
``--redact``/``--keep-org`` and ``--force`` are declared here and nowhere else.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from netgraph._errors import NetgraphError
from netgraph._progress import reporting
from netgraph.cli.output import FORMATS, LazyConsole, raw_cells

if TYPE_CHECKING:
    from rich.console import Console

    from netgraph.store.database import Store

# made (and rich loaded) when first used: a command that prints JSON needs neither
err: Console = LazyConsole(stderr=True, highlight=False, soft_wrap=True, emoji=False)  # type: ignore[assignment]
out: Console = LazyConsole(highlight=False, soft_wrap=True, emoji=False)  # type: ignore[assignment]


def _spinner(description: str) -> contextlib.AbstractContextManager:
    """A spinner with ``description`` on a terminal's stderr while a long step runs."""
    if not err.is_terminal:
        return contextlib.nullcontext()
    return err.status(description, spinner="dots")


class NetgraphGroup(click.Group):
    """Turns the errors netgraph raises on purpose into one line and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; a :class:`NetgraphError` prints one line and exits 2, Ctrl-C exits 130."""
        try:
            with reporting(_spinner):
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
    """Add ``--db``, the store file (default: ``$NETGRAPH_DB``, else ``netgraph.duckdb`` here)."""
    return click.option(
        "--db",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="NETGRAPH_DB",
        default=None,
        help="The store file. Default: $NETGRAPH_DB, else netgraph.duckdb in this folder.",
    )(func)


def listing_options(func: Callable) -> Callable:
    """The ``--format``, ``--top`` and ``--raw`` options of a listing command.

    ``--raw`` is applied here (see ``raw_cells``), so the command itself receives only ``fmt`` and
    ``top``.
    """
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
    """Add ``--as-of``, the day to analyse the network as of (default: today)."""
    return click.option(
        "--as-of", "as_of", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
        help="Analyse the network as it was on this date (YYYY-MM-DD). Default: today.",
    )(func)


def store_path(db: Path | None) -> Path:
    """The command's --db, else the one given before the command, else the default."""
    from netgraph.store.connect import default_db_path

    ctx = click.get_current_context()
    return default_db_path(db or (ctx.find_root().params.get("db")))


def reading(func: Callable) -> Callable:
    """Open the store to answer the command's question, and close it after.

    Read-write when it can be, so the answer may keep what it derived (the ties for a new day, a
    whole-network result); read-only when another process holds the store.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, db: Path | None, **kwargs: Any) -> Any:
        from netgraph.store.database import open_for_questions

        with open_for_questions(store_path(db)) as store:
            return func(store, *args, **kwargs)

    return wrapper


def writing(func: Callable) -> Callable:
    """Open the store read-write for the command, and close it after.

    A large store then has its answers about me made ready (:func:`prepare_answers`).
    """

    @functools.wraps(func)
    def wrapper(*args: Any, db: Path | None, **kwargs: Any) -> Any:
        from netgraph.store.database import open_store

        with open_store(store_path(db)) as store:
            done = func(store, *args, **kwargs)
            prepare_answers(store)
            return done

    return wrapper


def prepare_answers(store: Store) -> None:
    """After a change, make ready the answers about me that a large store takes seconds to compute.

    See :func:`netgraph.api.prepare`: on a small store, or without "me", this does nothing.
    """
    from netgraph.api import prepare

    prepare(store)



def redact_options(func: Callable) -> Callable:
    """Add ``--redact`` and ``--keep-org``."""
    func = click.option("--keep-org", is_flag=True,
                        help="With --redact: keep company and city.")(func)
    return click.option(
        "--redact", is_flag=True,
        help='Replace every person with a stable pseudonym ("Contact 17") and leave out emails, '
             "phones, notes, profile URLs, company and city.")(func)


def force_option(func: Callable) -> Callable:
    """Add ``--force``: replace existing output files (never the store)."""
    return click.option(
        "--force", is_flag=True,
        help="Replace existing output files. The store itself is never written over.",
    )(func)


