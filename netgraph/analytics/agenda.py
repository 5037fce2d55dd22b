"""The week's actions: what to do, for whom, and the first step, ranked and balanced by kind.

Networking is farmed, not hunted: regular contact, giving first, following through. The agenda
gathers what the other questions found into one list of at most ``top`` items, each one of:

==============  ===============================================================================
kind            what it is
==============  ===============================================================================
``follow-up``   a promise due in the window, or overdue (most overdue first)
``thank``       an introduction made for me in the last 30 days whose introducer I have not
                contacted since (most recent first)
``give``        an introduction I could make (``netgraph give``, best first)
``reconnect``   a valuable tie overdue against its own rhythm (``netgraph neglected``)
``revive``      a strong tie silent for over a year (``netgraph neglected --dormant``)
``ask``         a warm path to one of my targets whose first hop is strong and to whom I have
                given at least as much as I received (no premature solicitation)
==============  ===============================================================================

Balance: the kinds take turns, in the order above, :data:`TURNS` items each turn (reconnecting
takes two: neglect is what the agenda most exists for), so no one kind fills the list. A person
appears once, under the first kind that reaches them. Pure: plain rows in, rows out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from netgraph.rows import Rows

__all__ = ["COLUMNS", "KINDS", "TURNS", "balance"]

COLUMNS = ("kind", "name", "person_id", "why", "first_step", "context", "due")
KINDS = ("follow-up", "thank", "give", "reconnect", "revive", "ask")
#: Items each kind adds per turn.
TURNS: Mapping[str, int] = {"follow-up": 1, "thank": 1, "give": 1, "reconnect": 2, "revive": 1,
                            "ask": 1}


def balance(items: Mapping[str, Sequence[Mapping[str, Any]]], *, top: int,
            context: Mapping[int, str] | None = None) -> Rows:
    """The agenda: at most ``top`` items of ``items`` (kind -> its items, best first), in turns.

    Each item holds ``name``, ``person_id``, ``why``, ``first_step`` and ``due`` (a date); the
    ``context`` of a person (say, our last contact) is added from ``context`` by person id.
    Items about a person already listed are skipped.
    """
    context = context or {}
    queues = {k: list(items.get(k, ())) for k in KINDS}
    seen: set[int] = set()
    out: list[tuple] = []
    while len(out) < top and any(queues.values()):
        for kind in KINDS:
            taken = 0
            while taken < TURNS[kind] and queues[kind] and len(out) < top:
                item = queues[kind].pop(0)
                pid = int(item["person_id"])
                if pid in seen:
                    continue
                seen.add(pid)
                taken += 1
                due = item.get("due")
                out.append((kind, item["name"], pid, item["why"], item["first_step"],
                             item.get("context") or context.get(pid, ""),
                             due.isoformat() if isinstance(due, date) else due))
    return Rows(COLUMNS, out)
