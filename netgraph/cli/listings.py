"""Listing what is stored: ``rejects``, ``people``, ``batches`` and ``summary``.

``rejects``, ``people`` and ``batches`` read the store and print; ``summary`` counts from the
tie table, with no graph built. ``people`` (as a table or JSON) and ``summary`` print plain rows
(:class:`~netgraph.rows.Rows`), so they load neither pandas nor a graph library, and
``people --top N`` reads only the first N people's identities.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from netgraph.cli.options import as_of_option, db_option, listing_options, reading
from netgraph.cli.output import emit
from netgraph.rows import Rows
from netgraph.store import listings

if TYPE_CHECKING:
    from netgraph.store.database import Store


@click.command("rejects")
@listing_options
@db_option
@reading
def rejects_cmd(store: Store, fmt: str, top: int | None) -> None:
    """List rejected input rows: file, line, raw text and reason."""
    emit(listings.rejects(store), fmt, top, title="Rejected rows", empty="No rejected rows.")


@click.command("people")
@listing_options
@db_option
@reading
def people_cmd(store: Store, fmt: str, top: int | None) -> None:
    """List people with all their identities, company, city, tags and category."""
    emit(listings.people_rows(store, top), fmt, top, title="People")


@click.command("batches")
@listing_options
@db_option
@reading
def batches_cmd(store: Store, fmt: str, top: int | None) -> None:
    """List import batches: file, kind and counts."""
    emit(listings.batches(store), fmt, top, title="Imports")


@click.command("summary")
@as_of_option
@listing_options
@db_option
@reading
def summary_cmd(store: Store, as_of: Any, fmt: str, top: int | None) -> None:
    """Headline figures: people, ties, interactions, date range, largest connected part."""
    from netgraph.graph import parts

    figures = parts.summary(store, as_of=as_of)
    rows = Rows(tuple(figures), [tuple(figures.values())]) if fmt != "table" else \
        Rows(("figure", "value"), [(k, str(v)) for k, v in figures.items()])
    emit(rows, fmt, top, title="Summary")

#: The commands this module adds to ``netgraph``.
COMMANDS = [rejects_cmd, people_cmd, batches_cmd, summary_cmd]
