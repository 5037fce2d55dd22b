"""Writing people: the people and identities a resolver made, and people rows a merge rewrites.

:func:`write_people` stores what a :class:`~netgraph.identity.resolver.Resolver` created during
a batch (new people, the fields a contact row gave them, their identities) and applies the
field updates of people already stored; :func:`replace_people` overwrites whole rows, as a
merge and its undo do. Both run inside the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import pandas as pd

from netgraph.store.database import Store

__all__ = ["EMPTY_PERSON", "LIST_FIELDS", "PERSON_FIELDS", "MadePeople", "NewPerson", "people_frame",
           "replace_people", "write_people"]

#: The fields of a person a record may set (every column of ``people`` but ``batch_id``).
PERSON_FIELDS = (
    "person_id", "name", "company", "title", "city", "country", "tags", "category",
    "cadence_days", "closeness", "notes", "created_by", "needs", "offers",
)
#: The fields that hold lists: each row adds to them (case-blind), a merge joins them.
LIST_FIELDS = ("tags", "needs", "offers")
#: A person with no field set.
EMPTY_PERSON: dict[str, Any] = {f: None for f in PERSON_FIELDS} | {f: [] for f in LIST_FIELDS}


@dataclass
class NewPerson:
    """A person a resolver created and has not written yet."""

    person_id: int
    name: str
    created_by: str


class MadePeople(Protocol):
    """What a batch made: the people created and the identities found.

    :class:`~netgraph.identity.resolver.Resolver` is one.
    """

    new_people: list[NewPerson]
    #: (kind, normalised value, value as given, person id)
    new_identities: list[tuple[str, str, str, int]]


def people_frame(rows: list[dict[str, Any]], columns: list[str] | None = None) -> pd.DataFrame:
    """People records as a frame with the column types of ``people``, in ``columns`` if given.

    Cadence and closeness are nullable; tags, needs and offers are lists.
    """
    frame = pd.DataFrame(rows, columns=columns)
    frame["cadence_days"] = frame["cadence_days"].astype("Int64")
    frame["closeness"] = frame["closeness"].astype("Float64")
    for f in LIST_FIELDS:
        if f not in frame:  # a merge log written before the field existed
            frame[f] = None
        frame[f] = frame[f].map(lambda t: [] if t is None or isinstance(t, str | float) else list(t))
    return frame


def write_people(
    store: Store, resolver: MadePeople, batch_id: int, records: dict[int, dict[str, Any]]
) -> int:
    """Store the people ``resolver`` created in batch ``batch_id`` and their identities.

    Parameters
    ----------
    store
        The store, inside the batch's transaction.
    resolver
        The resolver of the batch: its ``new_people`` and ``new_identities`` are written.
    batch_id
        The batch the new people and identities belong to.
    records
        person id -> the fields a row gave them. For a new person they fill the new row; for
        a person already stored they overwrite that person's fields.

    Returns
    -------
    int
        The number of people created.
    """
    created = {p.person_id for p in resolver.new_people}
    rows = []
    for p in resolver.new_people:
        rec = records.get(p.person_id, {})
        rows.append({**EMPTY_PERSON, **rec, "person_id": p.person_id, "name": rec.get("name", p.name),
                     "batch_id": batch_id, "created_by": rec.get("created_by", p.created_by)})
    if rows:
        store.insert("people", people_frame(rows))
    updates = [
        {**rec, "person_id": pid} for pid, rec in records.items() if pid not in created
    ]
    if updates:
        frame = people_frame([{**EMPTY_PERSON, **u, "batch_id": 0} for u in updates])
        sets = ", ".join(f"{c} = u.{c}" for c in PERSON_FIELDS if c != "person_id")
        with store.registered("_person_updates", frame):
            store.con.execute(
                f"UPDATE people SET {sets} FROM _person_updates u "
                "WHERE people.person_id = u.person_id"
            )
    if resolver.new_identities:
        ident = pd.DataFrame(resolver.new_identities, columns=["kind", "value", "raw", "person_id"])
        store.insert("identities", ident.assign(batch_id=batch_id))
    return len(created)


def replace_people(store: Store, rows: list[dict[str, Any]]) -> None:
    """Overwrite people rows (by ``person_id``) with ``rows``, or insert the ones that are gone.

    Each row holds every column of ``people`` (:data:`PERSON_FIELDS` and ``batch_id``).
    """
    if not rows:
        return
    frame = people_frame(rows, columns=[*PERSON_FIELDS, "batch_id"])
    with store.registered("_replaced_people", frame):
        store.con.execute("DELETE FROM people WHERE person_id IN (SELECT person_id FROM _replaced_people)")
    store.insert("people", frame)
