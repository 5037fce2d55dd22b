"""The follow-through commands of the ``netgraph`` CLI: ``followups`` (promises) and ``triage``.

Registered on :data:`netgraph.cli.main.main` when :mod:`netgraph.cli.main` loads.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from netgraph._errors import NetgraphError
from netgraph.cli.options import (
    as_of_option,
    db_option,
    listing_options,
    out,
    reading,
    store_path,
    writing,
)
from netgraph.cli.output import emit

if TYPE_CHECKING:
    from netgraph.store.database import Store

_STATES = ("open", "kept", "broken", "dropped", "all")


@click.group("followups", invoke_without_command=True)
@click.option("--status", default="open", show_default=True, metavar="|".join(_STATES),
              help="Which to list: open, kept (by a later contact, or by hand), broken (30 days "
                   "past due with no contact), dropped, or all.")
@click.option("--mine", "owner", flag_value="me", default=None,
              help="Only the promises I made (my debts).")
@click.option("--theirs", "owner", flag_value="them",
              help="Only the promises made to me (not my debts).")
@as_of_option
@listing_options
@db_option
@click.pass_context
def followups_group(ctx: click.Context, status: str, owner: str | None, as_of: Any, fmt: str,
                    top: int | None, db: Path | None) -> None:
    """Promises and follow-ups: who promised what to whom, and whether it was kept.

    Promises are found when mail I sent, interaction notes and calendar descriptions are
    imported ("let's grab coffee next week", "I'll send you the deck", "happy to introduce you
    to Sam"), beside the follow-ups of a follow-ups file. A promise is kept by any later contact
    with the person, on any channel and in any thread (a meeting or a call, for a promise to
    meet), and broken when it is 30 days past due with none. Close one by hand with
    `netgraph followups done ID` or `netgraph followups drop ID`.
    """
    if ctx.invoked_subcommand is not None:
        ctx.obj = {"db": db}
        return
    if status not in _STATES:
        msg = f"unknown status {status!r} for --status: use one of {', '.join(_STATES)}"
        raise NetgraphError(msg)
    _list(status=status, owner=owner, as_of=as_of, fmt=fmt, top=top, db=db)


@reading
def _list(store: Store, *, status: str, owner: str | None, as_of: Any, fmt: str,
          top: int | None) -> None:
    from netgraph import api

    top = 20 if top is None and fmt == "table" else top
    whose = {"me": " I made", "them": " made to me"}.get(owner or "", "")
    emit(api.followups(store, as_of, status=status, owner=owner, as_frame=False), fmt, top,
         title=f"Follow-ups{whose}: {status}",
         table_columns=["follow_up_id", "name", "promised_by", "state", "due_on", "kept_on", "note"],
         empty=f"No {'' if status == 'all' else status + ' '}follow-ups{whose}.")


def _closing(how: str, verb: str) -> click.Command:
    @click.command(how)
    @click.argument("follow_up_id", metavar="ID", type=click.IntRange(min=1))
    @db_option
    @click.pass_obj
    def close(obj: dict | None, follow_up_id: int, db: Path | None) -> None:
        from netgraph import api
        from netgraph.store.database import open_store

        with open_store(store_path(db or (obj or {}).get("db"))) as store:
            done = api.close_followup(store, follow_up_id, how)
        note = f" ({done['note']})" if done["note"] else ""
        out.print(f"Follow-up {done['follow_up_id']} with {done['name']}{note}: {verb}.",
                  markup=False)

    close.help = (f"Mark follow-up ID (see `netgraph followups --status all`) as {verb}."
                  + (" It counts as kept." if how == "done" else " It is no longer listed as open."))
    return close


followups_group.add_command(_closing("done", "done"))
followups_group.add_command(_closing("drop", "dropped"))

@click.command("triage")
@click.argument("event_file", type=click.Path(path_type=Path))
@click.option("--event", required=True, metavar="NAME", help="The event's name, as the follow-ups cite it.")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day of the event (YYYY-MM-DD). Default: today.")
@listing_options
@db_option
@writing
def triage_cmd(store: Store, event_file: Path, event: str, day: Any, fmt: str, top: int | None) -> None:
    """After an event: record who you met, sort them into three piles, and plan the follow-ups.

    EVENT_FILE lists the people met: business cards typed up or badge scans as CSV (a name
    column, and optionally email, company, title, notes, tags), a vCard file, or the event's
    .ics with its attendees. Each person meets you at an event interaction that day, and is a
    target (your market rules, else the roles analysis: follow up within 2 days), a connector
    (already bridges to clusters you do not reach: within 7 days) or a general contact (a
    follow-up only where your notes hold a promise). Targets come first. Running it again on
    the same file changes nothing. See them with `netgraph followups`.
    """
    from netgraph import api

    when = day.date() if day is not None else None
    emit(api.triage(store, event_file, event, when, as_frame=False), fmt, top,
         title=f"After {event}: follow up in this order",
         table_columns=["name", "role", "due", "action", "reason"],
         empty=f"No one to follow up from {event_file.name}.")


#: The commands this module adds to ``netgraph``.
COMMANDS = [followups_group, triage_cmd]
