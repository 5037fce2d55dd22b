"""Give and take: the introductions I gave each person against those they gave me.

"Give first", and keep count: an introduction I made for someone is one given to them; one
they made for me is one received from them. A large imbalance either way is a moment to act:
to ask, having given, or to return the favour. Plain Python in and out (my introductions are a
few hundred rows at most), so ``ledger`` loads no pandas; the API hands out a DataFrame.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from netgraph.rows import Rows

__all__ = ["COLUMNS", "give_and_take"]

#: The columns of the ledger.
COLUMNS = ("person_id", "name", "given", "received", "balance", "given_converted",
           "received_converted", "given_inferred", "received_inferred", "given_value",
           "received_value", "note")

_ASK = "you have given more: a natural moment to ask"
_RETURN = "they have given more: look for a way to return the favour"


def _number(value: Any) -> float:
    """A value of an introduction as a number: 0 when there is none (None or NaN)."""
    return 0.0 if value is None or value != value else float(value)


def give_and_take(me: int, introductions: Iterable[Mapping[str, Any]], names: Mapping[int, str],
                  *, min_imbalance: int = 2) -> Rows:
    """Introductions I gave each person against those I received, where unbalanced.

    Parameters
    ----------
    me : int
        My person id.
    introductions : iterable of mappings
        The introductions I made or was a side of, each with ``introducer_id``, ``a_id``,
        ``b_id``, ``status``, ``value`` and, optionally, ``inferred``.
    names : mapping of int to str
        Display names by person id (a person missing here gets None).
    min_imbalance : int
        Only people whose given and received counts differ by at least this.

    Returns
    -------
    Rows
        The columns :data:`COLUMNS`, the largest imbalance first (ties by person id). Given: I
        introduced them to someone (I was the introducer, they were a side). Received: they
        introduced me to someone. Declined introductions do not count; ``*_converted`` counts
        the converted ones, ``*_inferred`` those guessed from mail rather than recorded (see
        :mod:`netgraph.sources.mbox`), ``*_value`` sums their stated values.
    """
    tally: dict[int, list[float]] = {}  # given, received, their converted, inferred, value

    def count(other: Any, side: int, intro: Mapping[str, Any]) -> None:
        t = tally.setdefault(int(other), [0] * 8)
        t[side] += 1
        t[2 + side] += intro["status"] == "converted"
        t[4 + side] += bool(intro.get("inferred") or False)
        t[6 + side] += _number(intro["value"])

    for intro in introductions:
        if intro["status"] == "declined":
            continue
        if intro["introducer_id"] == me:
            count(intro["a_id"], 0, intro)
            count(intro["b_id"], 0, intro)
        else:
            count(intro["introducer_id"], 1, intro)
    rows = []
    for other in sorted(tally):
        given, received, gc, rc, gi, ri, gv, rv = tally[other]
        balance = int(given - received)
        if abs(balance) >= min_imbalance:
            rows.append((other, names.get(other), int(given), int(received), balance, int(gc),
                         int(rc), int(gi), int(ri), float(gv), float(rv),
                         _ASK if balance > 0 else _RETURN))
    rows.sort(key=lambda r: -abs(r[4]))  # stable: equal imbalances stay by person id
    return Rows(COLUMNS, rows)
