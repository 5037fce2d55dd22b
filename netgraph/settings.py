"""Whose network this is: recording "me" and the team.

Before ``init``, a blank ``from`` in an interaction creates a placeholder person called "Me".
``set_me`` then names that placeholder, or folds it into the person the user names, so imports
made before and after ``init`` agree.
"""

from __future__ import annotations

import json

from netgraph._errors import PersonNotFound
from netgraph.identity import Resolver, normalise_email
from netgraph.ingest_common import write_people
from netgraph.merge import apply_merges
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


def set_me(store: Store, name: str, *, email: str | list[str] | None = None,
           linkedin: str | None = None) -> int:
    """Record who "me" is and return their person id.

    ``name`` may be an id, an email or an exact name of someone in the store; otherwise a
    person of that name is created. A placeholder "Me" from earlier imports is renamed, or
    merged into the named person. ``email`` (one or several) and ``linkedin`` (a profile URL)
    become my identities, so imports recognise me; a person an earlier import made from one of
    them is merged into me (recorded; ``netgraph unmerge`` undoes it).
    """
    emails = [email] if isinstance(email, str) else list(email or [])
    con = store.con
    con.execute("BEGIN TRANSACTION")
    try:
        batch_id = store.new_batch("(init)", "settings")
        resolver = Resolver(store)
        placeholder = store.me_id if store.get_setting("me_placeholder") else None
        try:
            pid = store.resolve(name) if not emails else _find_or_create(
                store, resolver, name, emails[0])
        except PersonNotFound:
            pid = None
        if pid is None and placeholder is not None:
            con.execute("UPDATE people SET name = ?, created_by = 'init' WHERE person_id = ?",
                        [name, placeholder])
            pid = placeholder
        elif pid is None:
            pid = _find_or_create(store, resolver, name, emails[0] if emails else None)
        store.set_setting("me", str(pid))
        resolver.me = pid
        if placeholder is not None and placeholder != pid:
            resolver.absorb(pid, placeholder, "me", "the placeholder 'Me' of earlier imports")
        idents = [("email", e) for e in emails] + ([("linkedin", linkedin)] if linkedin else [])
        for kind, value in idents:
            other = resolver.lookup(kind, value)
            if other is None:
                resolver.add_identity(kind, value, pid)
            elif resolver.root(other) != resolver.root(pid):
                resolver.absorb(pid, other, "me", f"{kind} {value} is yours (netgraph init)")
        write_people(store, resolver, batch_id, {})
        store.set_setting("me_placeholder", None)
        apply_merges(store, resolver.merges, batch_id)
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
