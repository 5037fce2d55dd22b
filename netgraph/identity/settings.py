"""Whose network this is: recording "me", the team, and the home region for phone numbers.

Before ``init``, a blank ``from`` in an interaction creates a placeholder person called "Me".
``set_me`` then names that placeholder, or folds it into the person the user names, so imports
made before and after ``init`` agree.

Naming people already stored (the usual ``init`` after an import) is a question for the store
alone; the resolver and the merge machinery, which load every identity (and pandas), are
imported by the functions only when someone is to be created or merged.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING, Any

from netgraph._errors import NetgraphError, PersonNotFound
from netgraph.identity.lookup import resolve_person
from netgraph.market import MarketRule, parse_rule
from netgraph.normalise import normalise_email, normalise_phone, phone_region
from netgraph.store.database import HOME_REGION, Store
from netgraph.ties.table import refresh as refresh_ties

if TYPE_CHECKING:
    from netgraph.identity.resolver import Resolver

__all__ = ["MARKET", "SettingsError", "current_settings", "home_region_code", "market_rules",
           "set_home_region", "set_market", "set_me", "set_team"]

#: The settings key of my target market: a JSON list of rules as written (``title:CTO``).
MARKET = "market"


class SettingsError(NetgraphError, ValueError):
    """A setting given to ``netgraph init`` that cannot be used (such as an unknown country)."""


def _find_or_create(store: Store, resolver: Resolver, name: str, email: str | None) -> int:
    if email:
        pid = resolver.lookup("email", email)
        if pid is not None:
            return pid
    try:
        return resolve_person(store, name)
    except PersonNotFound:
        pid = resolver.create(name, "init")
        if email:
            resolver.add_identity("email", email, pid)
        return pid


def set_me(store: Store, name: str, *, email: str | list[str] | None = None,
           linkedin: str | None = None) -> int:
    """Record who "me" is and return their person id.

    ``name`` may name someone in the store as :func:`~netgraph.identity.lookup.resolve_person`
    reads it (a person number, an id, an email, a profile URL or an exact name); otherwise a
    person of that name is created. A placeholder "Me" from earlier imports is renamed, or
    merged into the named person. ``email`` (one or several) and ``linkedin`` (a profile URL)
    become my identities, so imports recognise me; a person an earlier import made from one of
    them is merged into me (recorded; ``netgraph unmerge`` undoes it).
    """
    emails = [email] if isinstance(email, str) else list(email or [])
    if not emails and not linkedin:
        known = _known(store, [name])
        placeholder = store.me_id if store.get_setting("me_placeholder") else None
        if known is not None and placeholder in (None, known[0]):
            return _set_me_known(store, known[0])
    from netgraph.identity.merge import apply_merges
    from netgraph.identity.people import write_people
    from netgraph.identity.resolver import Resolver

    with store.transaction():
        batch_id = store.new_batch("(init)", "settings")
        resolver = Resolver(store)
        placeholder = store.me_id if store.get_setting("me_placeholder") else None
        try:
            pid = resolve_person(store, name) if not emails else _find_or_create(
                store, resolver, name, emails[0])
        except PersonNotFound:
            pid = None
        if pid is None and placeholder is not None:
            store.con.execute("UPDATE people SET name = ?, created_by = 'init' WHERE person_id = ?",
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
        refresh_ties(store)
    return pid


def _known(store: Store, refs: list[str]) -> list[int] | None:
    """The person each of ``refs`` names, read from the store; None when one is not there yet.

    A question for the store alone: the common ``init`` (everyone already imported) needs no
    resolver, which would load every identity.
    """
    found = []
    for ref in refs:
        try:
            found.append(resolve_person(store, ref))
        except PersonNotFound:
            return None
    return found


def _set_me_known(store: Store, pid: int) -> int:
    """Record the stored person ``pid`` as me (nothing to create, rename or merge)."""
    with store.transaction():
        store.new_batch("(init)", "settings")
        store.set_setting("me", str(pid))
        store.set_setting("me_placeholder", None)
        refresh_ties(store)
    return pid


def set_team(store: Store, members: list[str], *, replace: bool = False) -> list[int]:
    """Add team members; returns the team's person ids.

    Each is named as :func:`~netgraph.identity.lookup.resolve_person` reads it (unknown names are
    created).
    """
    known = _known(store, members)
    if known is not None:
        with store.transaction():
            store.new_batch("(init)", "settings")
            team = [] if replace else store.team_ids
            team += [pid for pid in dict.fromkeys(known) if pid not in team]
            store.set_setting("team", json.dumps(team))
            refresh_ties(store)
        return team
    from netgraph.identity.people import write_people
    from netgraph.identity.resolver import Resolver

    with store.transaction():
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
        refresh_ties(store)
    return team


def market_rules(store: Store) -> list[MarketRule]:
    """My target market's rules, as recorded by ``netgraph init --market`` (none: an empty list)."""
    return [parse_rule(r) for r in json.loads(store.get_setting(MARKET) or "[]")]


def set_market(store: Store, rules: list[str], *, clear: bool = False) -> list[MarketRule]:
    """Add rules to my target market (after removing every rule, with ``clear``); returns them all.

    Each rule is read by :func:`netgraph.market.parse_rule`, all before anything is written: a
    rule that cannot be read raises :class:`~netgraph.market.MarketRuleError` and changes
    nothing. A rule already there (compared as matched: case- and accent-blind) is not added
    twice. Roles and every kept answer follow the new market, as after any setting.
    """
    parsed = [parse_rule(r) for r in rules]
    now = [] if clear else market_rules(store)
    keys = {(r.kind, r.key) for r in now}
    for rule in parsed:
        if (rule.kind, rule.key) not in keys:
            keys.add((rule.kind, rule.key))
            now.append(rule)
    with store.transaction():
        store.new_batch("(init)", "settings")
        store.set_setting(MARKET, json.dumps([str(r) for r in now]) if now else None)
        refresh_ties(store)
    return now


def home_region_code(country: str) -> str:
    """``country`` as a home region (``"de"`` -> ``"DE"``).

    Raises :class:`SettingsError` saying what to give instead when it is not one.
    """
    try:
        return phone_region(country)
    except ValueError as exc:
        msg = f"init --country: {exc}"
        raise SettingsError(msg) from None


def set_home_region(store: Store, country: str) -> dict[str, Any]:
    """Record the home region national numbers are read in, and apply it to the phones already stored.

    ``country`` is an ISO 3166 code (``DE``; a bad one raises :class:`SettingsError` with a
    suggestion). Every stored phone is normalised again from the number as given; people who
    now share a phone are merged by the rule ``phone`` (recorded; ``netgraph unmerge`` undoes
    it), unless the user said they are different. A phone that another phone of the same number
    already holds keeps its earlier normal form, so no identity is lost. Returns the region and
    the numbers of phones changed and people merged.
    """
    from netgraph.identity.merge import apply_merges
    from netgraph.identity.people import write_people
    from netgraph.identity.resolver import Resolver

    region = home_region_code(country)
    with store.transaction():
        batch_id = store.new_batch("(init)", "settings")
        store.set_setting(HOME_REGION, region)
        changed, shared = _renormalise_phones(store, region)
        resolver = Resolver(store)
        for value, owners in shared:
            first_pid, first_raw = owners[0]
            for pid, raw in owners[1:]:
                kept, other = resolver.root(first_pid), resolver.root(pid)
                if kept != other and not resolver.is_distinct(kept, other):
                    resolver.absorb(kept, other, "phone", f"phone {first_raw} and phone {raw} are both "
                                    f"{value} in region {region} (netgraph init --country)")
        write_people(store, resolver, batch_id, {})
        merged = apply_merges(store, resolver.merges, batch_id)
        refresh_ties(store)
    return {"region": region, "phones_changed": changed, "merged": len(merged)}


def _renormalise_phones(store: Store, region: str) -> tuple[int, list[tuple[str, list[tuple[int, str]]]]]:
    """Normalise every stored phone again in ``region``, inside the caller's transaction.

    Returns the number of phones whose normal form changed, and each new value that people now share with the
    (person, phone as given) pairs that have it, lowest person first. Of the phones that now
    have one value, the one that already had it keeps it (else the first); the others keep
    their earlier value, which the identities' key needs unique. The merge log follows the new
    values, so an earlier merge still undoes.
    """
    con = store.con
    rows = con.execute("SELECT value, raw, person_id FROM identities WHERE kind = 'phone' "
                       "ORDER BY person_id, raw, value").fetchall()
    groups: dict[str, list[tuple[str, str, int]]] = {}
    changed = 0
    for old, raw, pid in rows:
        new = normalise_phone(raw, region) or old
        changed += new != old
        groups.setdefault(new, []).append((old, raw, int(pid)))
    final: dict[str, str] = {}
    for new, members in groups.items():
        olds = [old for old, _, _ in members]
        winner = new if new in olds else olds[0]
        final.update({old: new if old == winner else old for old in olds})
    while True:  # a new value that is still someone else's old value: that move waits
        counts = Counter(final.values())
        clash = [old for old, new in final.items() if new != old and counts[new] > 1]
        if not clash:
            break
        final.update({old: old for old in clash})
    import pandas as pd

    from netgraph.identity.merge import SEP

    moves = pd.DataFrame([(old, new) for old, new in final.items() if new != old],
                         columns=["old", "new"], dtype=object)
    if not moves.empty:
        moves["old_key"] = "phone" + SEP + moves["old"]
        moves["new_key"] = "phone" + SEP + moves["new"]
        with store.registered("_phone_moves", moves):
            try:
                con.execute("CREATE TEMP TABLE _phone_rows AS SELECT i.* REPLACE (m.new AS value) "
                            "FROM identities i JOIN _phone_moves m ON i.kind = 'phone' AND i.value = m.old")
                con.execute("DELETE FROM identities WHERE kind = 'phone' AND value IN "
                            "(SELECT old FROM _phone_moves)")
                con.execute("INSERT INTO identities SELECT * FROM _phone_rows")
                con.execute("UPDATE merge_changes SET row_key = m.new_key FROM _phone_moves m "
                            "WHERE merge_changes.tbl = 'identities' AND merge_changes.row_key = m.old_key")
            finally:
                con.execute("DROP TABLE IF EXISTS _phone_rows")
    shared = []
    for new, members in groups.items():
        owners = list({pid: raw for _, raw, pid in members}.items())
        if len(owners) > 1:
            shared.append((new, owners))
    return changed, shared


def current_settings(store: Store) -> dict[str, Any]:
    """What ``netgraph init`` has recorded: me, my emails, the team, the country, my market."""
    me = store.me_id
    return {
        "me": None if me is None else f"{store.name_of(me)} (person {me})",
        "emails": sorted({raw for (raw,) in store.con.execute(
            "SELECT raw FROM identities WHERE kind = 'email' AND person_id = ?", [me or -1]).fetchall()}),
        "team": [f"{store.name_of(p)} (person {p})" for p in store.team_ids],
        "country": store.get_setting(HOME_REGION),
        "market": [str(r) for r in market_rules(store)],
    }
