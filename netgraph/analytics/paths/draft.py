"""A short message to the first hop of a warm path: asking for an introduction, politely.

The double opt-in convention: the person I ask checks with the target before connecting us, so
the message asks whether they would be comfortable making the introduction, says why the target
is relevant, and carries a two-line blurb about me that they can forward as it is. It opens with
what I share with them (our last contact), so it is not a cold ask. Drafts are plain text; they
are never sent anywhere. Pure: plain values in, text out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

__all__ = ["blurb", "draft"]


def _first(name: str | None) -> str:
    return (name or "there").split()[0]


def _role(card: Mapping[str, Any]) -> str:
    """A role in words: "CTO at Acme", "CTO", "at Acme" or nothing."""
    title, company = card.get("title"), card.get("company")
    if title and company:
        return f"{title} at {company}"
    return title or (f"at {company}" if company else "")


def blurb(me: Mapping[str, Any]) -> tuple[str, str]:
    """Two lines about me that the first hop can forward: who I am, and what I can offer.

    >>> blurb({"name": "Ana Me", "title": "Advisor", "company": "Me Co",
    ...        "offers": ["fundraising advice"]})
    ('Ana Me, Advisor at Me Co.', 'Happy to help with fundraising advice.')
    """
    role = _role(me)
    parts = [me.get("name") or "I", role, me.get("city")]
    who = ", ".join(p for p in parts if p) + "."
    offers = list(me.get("offers") or ())
    give = (f"Happy to help with {'; '.join(offers[:2])}." if offers
            else "Glad to return the favour wherever I can.")
    return who, give


def _shared(last: tuple[datetime | date, str, str | None] | None) -> str:
    if last is None:
        return ""
    at, kind, note = last
    day = (at.date() if isinstance(at, datetime) else at).isoformat()
    about = f' ("{note}")' if note else ""
    if kind in ("email", "message"):  # written, not met
        return f"Thanks for your {kind} on {day}{about}. "
    return f"Good to have caught up at our {kind} on {day}{about}. "


def draft(me: Mapping[str, Any], hop: Mapping[str, Any], target: Mapping[str, Any],
          last: tuple[datetime | date, str, str | None] | None,
          path: Sequence[str] = ()) -> str:
    """The message to ``hop``, the first person on a warm path to ``target``.

    ``me``, ``hop`` and ``target`` hold ``name`` (and ``title``, ``company``, ``city``,
    ``offers`` where known); ``last`` is my last contact with ``hop`` (when, kind, note);
    ``path`` the names along the path, when it runs past the target's introducer.

    >>> text = draft({"name": "Ana Me"}, {"name": "Hal Hop"}, {"name": "Tia Target", "title": "CFO"},
    ...              None)
    >>> text.splitlines()[0], "comfortable" in text, "Tia is CFO" in text
    ('Hi Hal,', True, True)
    """
    role = _role(target)
    relevant = (f"{_first(target.get('name'))} is {role}, and I would value their perspective."
                if role else "I would value their perspective.")
    via = ""
    if len(path) > 3:  # me, hop, ..., target: the hop is not the one who knows the target
        via = f" (through {', '.join(path[2:-1])})"
    line1, line2 = blurb(me)
    return (f"Hi {_first(hop.get('name'))},\n\n"
            f"{_shared(last)}Would you be comfortable introducing me to {target.get('name')}{via}? "
            f"{relevant} Please check with them first; if they are happy to connect, here is a "
            f"note you can forward:\n\n"
            f"  {line1}\n  {line2}\n\n"
            f"No worries at all if the timing is not right.\n{_first(me.get('name'))}")
