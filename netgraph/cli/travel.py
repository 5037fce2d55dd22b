"""The travel commands of the ``netgraph`` CLI: who to see while I am in a city.

Registered on :data:`netgraph.cli.main.main` when :mod:`netgraph.cli.main` loads. The command
parses its options, calls :func:`netgraph.api.trip` and prints the rows.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import click

from netgraph._errors import NetgraphError
from netgraph.cli.options import as_of_option, db_option, err, listing_options, reading
from netgraph.cli.output import emit

if TYPE_CHECKING:
    from netgraph.store.database import Store

#: How many of the most common cities an unknown city's message names.
KNOWN_CITIES_SHOWN = 5


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


@click.command("trip")
@click.argument("city")
@click.option("--from", "start", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The first day of the trip (YYYY-MM-DD): ties are reckoned overdue as of this "
                   "day. Default: --as-of, else today.")
@click.option("--to", "end", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The last day of the trip (YYYY-MM-DD), on or after --from.")
@as_of_option
@listing_options
@db_option
@reading
def trip_cmd(store: Store, city: str, start: datetime | None, end: datetime | None, as_of: Any,
             fmt: str, top: int | None) -> None:
    """Who to see while you are in CITY, then whom to ask an introduction to there.

    First the people you know in CITY (by their city, or when it is blank their company's),
    ranked by what a meeting is worth: the tie's strength at its peak, how overdue it is against
    its own rhythm on the first day of the trip, your open promises to them, and how much they
    connect you. Then the people in your target market there whom one warm introduction
    reaches, with the person to ask. CITY ignores case and accents and knows common other names
    (NYC, SF, München, Wien...). Needs you (netgraph init --me).
    """
    from netgraph import api

    first, last = _day(start), _day(end)
    if first is not None and last is not None and first > last:
        msg = (f"the trip starts (--from {first.isoformat()}) after it ends (--to "
               f"{last.isoformat()}): give a --from on or before --to")
        raise NetgraphError(msg)
    rows = api.trip(store, city, start=first, end=last, as_of=as_of, as_frame=False)
    empty = None
    if rows.empty:
        empty = _nobody_there(store, city)
        if fmt != "table":
            err.print(empty, markup=False)
    when = (f", {(first or _day(as_of) or date.today()).isoformat()} to {last.isoformat()}"
            if last is not None else "")
    emit(rows, fmt, top, title=f"Your trip to {city}{when}",
         table_columns=["kind", "name", "score", "reason"], empty=empty)


def _nobody_there(store: Store, city: str) -> str:
    """Why a trip to ``city`` lists no one: no one there, or no one there to see or reach."""
    from netgraph import api
    from netgraph.analytics.trip import city_key

    known = api.trip_cities(store, as_frame=False)
    if city_key(city) in {city_key(c) for c in known.column("city")}:
        return (f"No one you know is in {city}, and no one there in your target market is one warm "
                "introduction away.")
    shown = ", ".join(known.column("city")[:KNOWN_CITIES_SHOWN]) or "none (no one has a city)"
    return (f"No one in your network is in {city} (by their city or their company's). "
            f"Known cities include: {shown}.")


#: The commands this module adds to ``netgraph``.
COMMANDS = [trip_cmd]
