"""The agenda as an iCalendar file: one to-do per item, for any calendar or task app.

Each item becomes a ``VTODO`` with the item's kind and name as its summary, why, the first step
and the context as its description, and its day as ``DUE``. Its ``UID`` is made from the item
(kind, person, why), so writing the same agenda again gives the same to-dos, and a calendar
app updates them instead of adding copies. Written with the ``icalendar`` package; nothing is
sent anywhere.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

__all__ = ["agenda_ics"]

PRODID = "-//netgraph//agenda//EN"


def agenda_ics(items: Iterable[Mapping[str, Any]], *, stamp: datetime | None = None) -> bytes:
    """The agenda's items as iCalendar bytes, one to-do each.

    Each item holds ``kind``, ``name``, ``person_id``, ``why``, ``first_step``, ``context`` and
    ``due`` (ISO text).
    """
    from icalendar import Calendar, Todo

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    stamp = stamp or datetime.now(UTC).replace(microsecond=0)
    for item in items:
        todo = Todo()
        key = "|".join(str(item.get(k)) for k in ("kind", "person_id", "why"))
        todo.add("uid", hashlib.sha256(key.encode()).hexdigest()[:32] + "@netgraph")
        todo.add("dtstamp", stamp)
        todo.add("summary", f"{item['kind']}: {item['name']}")
        lines = [str(item.get("why") or ""), f"First step: {item.get('first_step') or ''}"]
        if item.get("context"):
            lines.append(str(item["context"]))
        todo.add("description", "\n".join(lines))
        if item.get("due"):
            todo.add("due", date.fromisoformat(str(item["due"])))
        todo.add("status", "NEEDS-ACTION")
        todo.add("categories", [str(item["kind"])])
        cal.add_component(todo)
    return cal.to_ical()
