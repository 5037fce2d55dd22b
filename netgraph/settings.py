"""Whose network this is: recording "me" and the team.

Before ``init``, a blank ``from`` in an interaction creates a placeholder person called "Me".
``set_me`` then names that placeholder, or folds it into the person the user names, so imports
made before and after ``init`` agree.
"""

from __future__ import annotations

import json

from netgraph._errors import PersonNotFound
from netgraph.identity import Resolver, normalise_email
from netgraph.ingest import write_people
from netgraph.store import Store

__all__ = ["set_me", "set_team"]


def _find_or_create(store: Store, resolver: Resolver, name: str, email: str | None) -> int:
    if email:
        pid = resolver.lookup("email", email)
        if pid is not None:
            return pid
    try:
        return store.resolve(name)
    except PersonNotFound:
        pid = resolver.create(name, "init")
        if email:
            resolver.add_identity("email", email, pid)
        return pid


def _merge_person(store: Store, old: int, new: int) -> None:
    """Move everything of person ``old`` onto ``new`` and delete ``old``."""
    con = store.con
    con.execute(
        "DELETE FROM interaction_participants WHERE person_id = ? AND interaction_id IN "
        "(SELECT interaction_id FROM interaction_participants WHERE person_id = ?)",
        [old, new],
    )
    for table, column in (
        ("interaction_participants", "person_id"),
        ("interactions", "initiator_id"),
        ("introductions", "introducer_id"),
        ("introductions", "a_id"),
        ("introductions", "b_id"),
        ("follow_ups", "person_id"),
        ("identities", "person_id"),
    ):
        con.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", [new, old])
    con.execute("DELETE FROM people WHERE person_id = ?", [old])


def set_me(store: Store, name: str, *, email: str | None = None) -> int:
    """Record who "me" is and return their person id.

    ``name`` may be an id, an email or an exact name of someone in the store; otherwise a
    person of that name is created. A placeholder "Me" from earlier imports is renamed, or
    merged into the named person.
    """
    con = store.con
    con.execute("BEGIN TRANSACTION")
    try:
        batch_id = store.new_batch("(init)", "settings")
        resolver = Resolver(store)
        placeholder = store.me_id if store.get_setting("me_placeholder") else None
        try:
            pid = store.resolve(name) if not email else _find_or_create(store, resolver, name, email)
        except PersonNotFound:
            pid = None
        if pid is None and placeholder is not None:
            con.execute("UPDATE people SET name = ?, created_by = 'init' WHERE person_id = ?",
                        [name, placeholder])
            pid = placeholder
        elif pid is None:
            pid = _find_or_create(store, resolver, name, email)
        elif placeholder is not None and placeholder != pid:
            _merge_person(store, placeholder, pid)
        if email and resolver.lookup("email", email) is None:
            resolver.add_identity("email", email, pid)
        write_people(store, resolver, batch_id, {})
        store.set_setting("me", str(pid))
        store.set_setting("me_placeholder", None)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return pid


def set_team(store: Store, members: list[str], *, replace: bool = False) -> list[int]:
    """Add team members (by id, email or exact name; unknown names are created)."""
    con = store.con
    con.execute("BEGIN TRANSACTION")
    try:
        batch_id = store.new_batch("(init)", "settings")
        resolver = Resolver(store)
        team = [] if replace else store.team_ids
        for member in members:
            email = member if "@" in member else None
            pid = _find_or_create(store, resolver, member, email and normalise_email(email))
            if pid not in team:
                team.append(pid)
        write_people(store, resolver, batch_id, {})
        store.set_setting("team", json.dumps(team))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return team
