"""After an event: the people met, sorted into three piles, each with its follow-up.

Networking practice sorts the cards from an event into three piles and follows up in that order:

- **target** (my market rules where set, else the roles analysis: :mod:`netgraph.analytics.roles`):
  follow up within :data:`DUE_DAYS` ``["target"]`` days;
- **connector** (someone who already bridges to clusters I do not reach): within
  :data:`DUE_DAYS` ``["connector"]`` days;
- **general**: a follow-up only where my notes on them hold a promise
  (:func:`netgraph.promises.find_promises`), due when it says.

Pure: the people, their roles and what was promised come in; the rows come out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Any

from netgraph.rows import Rows

__all__ = ["COLUMNS", "DUE_DAYS", "ROLES", "triage"]

#: The piles, in the order they are followed up.
ROLES = ("target", "connector", "general")
#: Days after the event within which each pile is followed up (general: only a promise made).
DUE_DAYS = {"target": 2, "connector": 7}
#: What :func:`triage` gives for each person met.
COLUMNS = ("name", "person_id", "role", "due", "action", "reason")


def _action(role: str, event: str, promise: Any) -> str:
    if role == "target":
        return (f"Follow up within {DUE_DAYS['target']} days: a short note that cites {event} and "
                "what you talked about; offer something useful before asking for anything")
    if role == "connector":
        return (f"Follow up within {DUE_DAYS['connector']} days: ask what they are working on, and "
                "who they would like to meet")
    if promise is not None:
        return f"Keep your word: \u201c{promise.sentence}\u201d"
    return "No follow-up needed: keep in touch as usual"


def triage(people: Iterable[Mapping[str, Any]], event: str, day: date) -> Rows:
    """One row per person met at ``event`` on ``day``: their pile, follow-up due date, action and why.

    Each person is a mapping with ``person_id``, ``name``, ``role`` (one of :data:`ROLES`),
    ``role_reason``, ``known`` (how they matched someone already in the store, such as "email",
    or None for someone new) and ``promises`` (the promises in my notes on them, each with
    ``sentence`` and ``due``). Targets come first, then connectors, then general contacts; within
    a pile, the earliest due first, then by name. ``due`` is None where no follow-up is made.

    >>> rows = triage([{"person_id": 1, "name": "Dana", "role": "target", "role_reason": "CTO",
    ...                 "known": None, "promises": []}], "Demo Day", date(2026, 3, 4))
    >>> rows.records()[0]["due"]
    datetime.date(2026, 3, 6)
    """
    out = []
    for p in people:
        role = p["role"] if p["role"] in ROLES else "general"
        promise = next(iter(p.get("promises") or ()), None)
        if role in DUE_DAYS:
            due: date | None = day + timedelta(days=DUE_DAYS[role])
        else:
            due = promise.due if promise is not None else None
        known = (f"already known (matched by {p['known']})" if p.get("known")
                 else "new to your network")
        why = [p.get("role_reason") or role, known]
        if promise is not None and role != "general":
            why.append(f"you promised \u201c{promise.sentence}\u201d")
        out.append({"name": p["name"], "person_id": p["person_id"], "role": role, "due": due,
                    "action": _action(role, event, promise), "reason": "; ".join(why)})
    out.sort(key=lambda r: (ROLES.index(r["role"]), r["due"] is None, r["due"] or day,
                            str(r["name"]).casefold()))
    return Rows.of(COLUMNS, out, dtypes={"person_id": "Int64"})
