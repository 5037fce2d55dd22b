"""Ingest of contact rows: create people, or update the person a row already describes.

A contact row is matched to a stored person by external id, email, LinkedIn URL or phone;
failing those, by normalised name and company (see :func:`_match`). A later row's non-blank
fields overwrite earlier ones, blanks never erase, tags, needs and offers accumulate, and a
changed name is kept as an alias so old references still resolve. A row that changes nothing
counts as a duplicate.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from netgraph.identity.people import LIST_FIELDS
from netgraph.identity.resolver import Resolver
from netgraph.ingest.common import Written
from netgraph.normalise import normalise_name
from netgraph.sources import ParsedFile
from netgraph.store.database import Store
from netgraph.store.values import plain

__all__ = ["known_people", "write_contacts"]

_FIELDS = ("name", "company", "title", "city", "country", "category", "cadence_days",
           "closeness", "notes")
_COLUMNS = ("person_id", *_FIELDS, *LIST_FIELDS, "created_by")


def _stored_people(store: Store) -> dict[int, dict[str, Any]]:
    cols = ", ".join(_COLUMNS)
    out = {}
    for row in store.con.execute(f"SELECT {cols} FROM people").fetchall():
        rec = {c: plain(v) for c, v in zip(_COLUMNS, row, strict=True)}
        for f in LIST_FIELDS:
            rec[f] = list(rec[f] or [])
        out[rec.pop("person_id")] = rec
    return out


def _match(resolver: Resolver, row: Any, idents: list[tuple[str, str]],
           where: str) -> tuple[int | None, str | None, str | None]:
    """(person, rule, reason): the person a contact row describes and the rule that says so.

    Identities are tried in the order id, email, LinkedIn URL, phone. When they point at
    several people, those people are one person: they are merged (recorded, undoable), unless
    the user said they are different. Failing identities, the normalised name decides: with the
    same company it is a match (rule ``name+company``); with no company on one side, only when
    nothing contradicts it (rule ``name``).
    """
    found: dict[int, tuple[str, str]] = {}
    for kind, value in idents:
        pid = resolver.lookup(kind, value)
        if pid is not None:
            found.setdefault(resolver.root(pid), (kind, value))
    if len(found) > 1:
        pids = list(found)
        clash = [p for p in pids[1:] if resolver.is_distinct(pids[0], p)]
        if clash:
            return None, None, (
                "its id, email, profile URL or phone belong to people you marked as different "
                f"(person ids {pids[0]} and {clash[0]}); fix the row or merge them by hand"
            )
        first_kind, first_value = found[pids[0]]
        for other in pids[1:]:
            kind, value = found[other]
            resolver.absorb(pids[0], other, kind,
                            f"{first_kind} {first_value} and {kind} {value} on one record ({where})")
        return resolver.root(pids[0]), first_kind, None
    hits = resolver.by_normalised_name(row.name)
    company = normalise_name(row.company) if plain(row.company) else None
    same = [h for h in hits if company and resolver.companies.get(h) == company]
    if found:
        pid = next(iter(found))
        for other in same:  # the same name at the same company, known apart until this row
            if resolver.root(other) != resolver.root(pid) and not resolver.is_distinct(pid, other):
                resolver.absorb(pid, other, "name+company",
                                f"name and company match, and {found[pid][0]} ({where})")
        return resolver.root(pid), found[pid][0], None
    if len(same) == 1:
        return same[0], "name+company", None
    if len(hits) == 1 and (company is None or resolver.companies.get(hits[0]) is None):
        kinds = resolver.kinds.get(hits[0], set())
        clash_id = row.ext_id is not None and "id" in kinds
        clash_email = bool(row.emails) and "email" in kinds
        if not (clash_id or clash_email):
            return hits[0], "name", None
    return None, None, None


def write_contacts(store: Store, resolver: Resolver, pf: ParsedFile, batch_id: int) -> Written:
    """Create or update one person per row.

    Returns the rows loaded, the duplicates, the rejects, the person records to write and how many
    rows matched someone known, by rule.

    A row matched by an identity updates that person. A row matched by name alone becomes a
    person of its own, merged at once into the one it matched, so the merge can be undone.
    """
    stored = _stored_people(store)
    records: dict[int, dict[str, Any]] = {}
    merged: dict[str, int] = {}
    loaded = dups = 0
    bad: list[tuple[int, str, str]] = []
    for row in pf.rows.itertuples(index=False):
        idents = [("id", row.ext_id)]
        idents += [("email", e) for e in row.emails]
        idents += [("linkedin", row.linkedin_url)]
        idents += [("phone", p) for p in row.phones]
        idents = [(k, v) for k, v in idents if plain(v)]
        pid, rule, reason = _match(resolver, row, idents, f"{pf.path.name} line {row.line}")
        if reason:
            bad.append((row.line, pf.raws([row.line])[0], reason))
            continue
        if pid is None:
            pid = resolver.create(row.name, "contact", plain(row.company))
            before: dict[str, Any] = {}
            state = _blank(row.name)
        else:
            before = records.get(pid) or stored.get(pid) or _blank(row.name)
            state = dict(before)
            for f in LIST_FIELDS:
                state[f] = list(before.get(f) or [])
        _apply_row(state, row)
        new_idents = [(k, v) for k, v in idents if resolver.lookup(k, v) is None]
        if before and state == before and not new_idents:
            dups += 1
            continue
        loaded += 1
        if rule is not None:
            merged[rule] = merged.get(rule, 0) + 1
        if rule in ("name", "name+company"):  # a judgement: its own person, merged, undoable
            kept = pid
            pid = resolver.create(row.name, "contact", plain(row.company))
            state = _blank(row.name)
            _apply_row(state, row)
            state["created_by"] = "contact"
            records[pid] = state
            for k, v in idents:
                resolver.add_identity(k, v, pid)
            resolver.absorb(kept, pid, rule, f"{rule.replace('+', ' and ')} match "
                            f"({pf.path.name} line {row.line})", newer_wins=True)
            continue
        if before and before.get("name") != state["name"]:
            resolver.rename(pid, before["name"], state["name"])
        for k, v in idents:
            resolver.add_identity(k, v, pid)
        if plain(row.company):
            resolver.companies[pid] = normalise_name(row.company)
        records[pid] = state
    rejects = pd.DataFrame(bad, columns=["line", "raw", "reason"])
    return Written(loaded, dups, rejects, people=records, merged=merged)


def _blank(name: str) -> dict[str, Any]:
    """A person's fields before any row: only the name."""
    return {f: None for f in _FIELDS} | {f: [] for f in LIST_FIELDS} | {"name": name}


def _apply_row(state: dict[str, Any], row: Any) -> None:
    """A row's non-blank fields overwrite; tags, needs and offers accumulate.

    "LinkedIn" and "linkedin" are one tag (so are needs and offers that differ only in case).
    Formats that have no needs or offers give none.
    """
    for f in _FIELDS:
        value = plain(getattr(row, f))
        if value is not None:
            state[f] = value
    for f in LIST_FIELDS:
        items, seen = list(state[f]), {t.casefold() for t in state[f]}
        for item in getattr(row, f, None) or ():
            if item.casefold() not in seen:
                seen.add(item.casefold())
                items.append(item)
        state[f] = items
    state["created_by"] = "contact"


def known_people(store: Store, pf: ParsedFile) -> list[tuple[int | None, str | None]]:
    """For each contact row of ``pf``: the person already stored it matches, and by which rule.

    The same rules as :func:`write_contacts` (id, email, profile URL, phone, then the name);
    (None, None) for someone new. Nothing is written.
    """
    resolver = Resolver(store)
    out = []
    for row in pf.rows.itertuples(index=False):
        idents = [("id", row.ext_id), *(("email", e) for e in row.emails),
                  ("linkedin", row.linkedin_url), *(("phone", p) for p in row.phones)]
        pid, rule, _ = _match(resolver, row, [(k, v) for k, v in idents if plain(v)], pf.path.name)
        out.append((pid, rule))
    return out
