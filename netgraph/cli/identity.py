"""The identity commands of the ``netgraph`` CLI: suggested duplicates, merge, unmerge.

Registered on :data:`netgraph.cli.main.main` when :mod:`netgraph.cli.main` loads. The identity
modules load inside the commands, so ``netgraph --help`` stays quick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from netgraph.cli.options import db_option, listing_options, out, reading, writing
from netgraph.cli.output import LaterOption, emit, later

if TYPE_CHECKING:
    from netgraph.store.database import Store


@click.command("dedupe")
@click.option("--min-score", cls=LaterOption, type=click.IntRange(0, 100),
              default=later("netgraph.identity.dedupe", "MIN_SCORE"), show_default=True,
              help="Suggest pairs scoring at least this (100 = same name, same company).")
@listing_options
@db_option
@reading
def dedupe_cmd(store: Store, min_score: int, fmt: str, top: int | None) -> None:
    """Suggest people who may be the same person (names alike). Nothing is merged.

    Merge a pair with `netgraph merge A_ID B_ID`; keep them apart for good with
    `netgraph distinct A_ID B_ID`.
    """
    from netgraph.identity import dedupe

    emit(dedupe.suggestions(store, min_score=min_score), fmt, top,
         title="Possible duplicates (merge with: netgraph merge A_ID B_ID)",
         empty="No likely duplicates.")


@click.command("merge")
@click.argument("keep")
@click.argument("other")
@db_option
@writing
def merge_cmd(store: Store, keep: str, other: str) -> None:
    """Merge person OTHER into KEEP (each a person number, id, email, profile URL or exact name).

    Everything OTHER is linked to moves to KEEP; KEEP's blank fields are filled from OTHER.
    The merge is recorded: `netgraph unmerge KEEP` undoes it.
    """
    from netgraph.identity import merge
    from netgraph.identity.lookup import resolve_person

    a, b = resolve_person(store, keep), resolve_person(store, other)
    names = store.name_of(a), store.name_of(b)
    merge_id = merge.merge(store, a, b)
    out.print(f"Merged {names[1]} (person {b}) into {names[0]} (person {a}) as merge #{merge_id}. "
              f"Undo with: netgraph unmerge '#{merge_id}'", markup=False)


@click.command("unmerge")
@click.argument("ref")
@db_option
@writing
def unmerge_cmd(store: Store, ref: str) -> None:
    """Undo a merge: REF is a merge number (#N, see `netgraph merges`) or a person (their latest merge).

    The two are then kept apart: imports will not merge them again.
    """
    from netgraph.identity import unmerge

    done = unmerge.unmerge(store, ref)
    out.print(f"Undid merge #{done['merge_id']} ({done['rule']}): {done['restored']} "
              f"(person {done['restored_id']}) is separate from {done['kept']} "
              f"(person {done['kept_id']}) again.", markup=False)


@click.command("merges")
@listing_options
@db_option
@reading
def merges_cmd(store: Store, fmt: str, top: int | None) -> None:
    """List every merge, newest first, with its rule and evidence, and whether it was undone."""
    from netgraph.identity import unmerge

    emit(unmerge.merge_history(store), fmt, top, title="Merges (undo with: netgraph unmerge '#N')",
         empty="No merges yet.")


@click.command("distinct")
@click.argument("person_a")
@click.argument("person_b")
@db_option
@writing
def distinct_cmd(store: Store, person_a: str, person_b: str) -> None:
    """Mark two people as different: they are never suggested or merged automatically again."""
    from netgraph.identity import merge

    a, b = merge.mark_distinct(store, person_a, person_b)
    out.print(f"{store.name_of(a)} and {store.name_of(b)} are kept apart.", markup=False)

#: The commands this module adds to ``netgraph``.
COMMANDS = [dedupe_cmd, merge_cmd, unmerge_cmd, merges_cmd, distinct_cmd]
