"""Give first: introductions I could make between two people I know well.

"Whatever you give out comes back." netgraph suggests a pair ``a``, ``b`` of my contacts when:

- ``a`` needs what ``b`` offers (``a``'s need, as words, is among the words of one of ``b``'s
  offers: "a CTO" is met by "CTO-for-hire"); or
- ``a``'s need is what ``b`` is: the need's words stand in ``b``'s title or one of ``b``'s tags
  ("a CTO" and the title "CTO & co-founder"); or
- the ledger says I owe ``a`` an introduction (they gave me more than I gave them), and ``b``
  shares a tag with ``a`` (their field: "both berlin-fintech"): the :data:`OWED_PAIRS` people I
  know best among those.

and never when:

- either of my ties to them is below the floor (``min_strength``, the warm-introduction floor of
  ``netgraph intro``): no premature solicitation, I only introduce people I know well, both ways;
- they already know each other well (a tie between them at or above the floor);
- an introduction between them was made, converted or declined already.

A pair where I owe one of them an introduction scores higher, and its reason says so. The score
is the match (1 for an offer, 0.7 for a title or tag, 0.4 for a shared tag of someone I owe)
times the geometric mean of my two strengths, plus 0.1 for each side I owe: a need met comes
before a debt repaid by a guess at who might help. Pure: plain Python
in, :class:`~netgraph.rows.Rows` out.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from netgraph.normalise import normalise_name
from netgraph.rows import Rows

__all__ = ["COLUMNS", "DONE_STATUSES", "OWED_PAIRS", "introductions_to_make", "words"]

COLUMNS = ("a", "b", "a_id", "b_id", "score", "reason", "my_strength_a", "my_strength_b")
#: Introductions between two people that mean they are never suggested again.
DONE_STATUSES = frozenset({"made", "converted", "declined"})
#: Words a need may carry that say nothing about what is needed.
_FILLER = frozenset({"a", "an", "the", "some", "for", "to", "of", "and", "with", "in", "on", "our",
                     "my", "new", "good", "great", "someone", "who", "can", "help"})
_OFFER, _IS, _SHARED = 1.0, 0.7, 0.4
_OWED = 0.1
#: For each person I owe an introduction, at most this many people who share a tag with them.
OWED_PAIRS = 3


def words(text: str | None) -> frozenset[str]:
    """The telling words of a need, offer, title or tag, compared case- and accent-blind.

    >>> sorted(words("a CTO")), sorted(words("CTO-for-hire"))
    (['cto'], ['cto', 'hire'])
    """
    return frozenset(w for w in re.split(r"\s+", normalise_name(text or "")) if w and w not in _FILLER)


def _pair_key(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _meets(need: frozenset[str], person: Mapping[str, Any]) -> tuple[float, str] | None:
    """How ``person`` meets a need: by an offer (1), else by their title or a tag (0.7)."""
    if not need:
        return None
    for offer in person.get("offers") or ():
        if need <= words(offer):
            return _OFFER, f"offers {offer}"
    title = person.get("title")
    if title and need <= words(title):
        return _IS, f"is one ({title})"
    for tag in person.get("tags") or ():
        if need <= words(tag):
            return _IS, f"is tagged {tag}"
    return None


def _tags(person: Mapping[str, Any]) -> dict[str, str]:
    """A person's tags by their normalised form (``team`` is no field of work)."""
    out = {}
    for tag in person.get("tags") or ():
        key = normalise_name(tag)
        if key and key != "team":
            out.setdefault(key, tag)
    return out


def _same_field(a: int, known: Mapping[int, Mapping[str, Any]], my_strength: Mapping[int, float],
                done: set[tuple[int, int]], between: Mapping[tuple[int, int], float],
                floor: float) -> list[tuple[int, str]]:
    """Up to :data:`OWED_PAIRS` people to introduce ``a`` to, each with the tag they share.

    The ones I know best come first (by person id on ties).
    """
    mine = _tags(known[a])
    found = []
    for b in sorted(known, key=lambda p: (-my_strength[p], p)):
        key = _pair_key(a, b)
        if b == a or key in done or between.get(key, 0.0) >= floor:
            continue
        shared = next((tag for k, tag in _tags(known[b]).items() if k in mine), None)
        if shared is not None:
            found.append((b, shared))
            if len(found) == OWED_PAIRS:
                break
    return found


def introductions_to_make(people: Mapping[int, Mapping[str, Any]], my_strength: Mapping[int, float],
                          between: Mapping[tuple[int, int], float],
                          introduced: Iterable[tuple[int, int, str]], *, floor: float,
                          owed: Mapping[int, int] | None = None) -> Rows:
    """Pairs of my contacts I could introduce, best first (see the module notes).

    Parameters
    ----------
    people : mapping of int to mapping
        My contacts by person id: ``name``, ``title``, ``tags``, ``needs`` and ``offers``.
    my_strength : mapping of int to float
        The strength of my tie to each of them.
    between : mapping of (int, int) to float
        The strength of the ties among them, by (lower id, higher id).
    introduced : iterable of (int, int, str)
        Introductions between two people: their ids and the status.
    floor : float
        The least strength of my tie to either of them, and the most of a tie between them.
    owed : mapping of int to int, optional
        The introductions I owe each person (they gave me that many more than I gave them).

    Returns
    -------
    Rows
        :data:`COLUMNS`: ``a`` needs, ``b`` meets the need; the highest score first.
    """
    owed = owed or {}
    done = {_pair_key(int(a), int(b)) for a, b, status in introduced if status in DONE_STATUSES}
    known = {p: d for p, d in people.items() if my_strength.get(p, 0.0) >= floor}
    needs = {p: [(n, words(n)) for n in d.get("needs") or ()] for p, d in known.items()}
    best: dict[tuple[int, int], tuple[float, int, int, list[str]]] = {}
    for a, wanted in needs.items():
        for b, person in known.items():
            key = _pair_key(a, b)
            if a == b or key in done or between.get(key, 0.0) >= floor:
                continue
            for need, need_words in wanted:
                met = _meets(need_words, person)
                if met is None:
                    continue
                weight, how = met
                name_a, name_b = known[a].get("name") or str(a), person.get("name") or str(b)
                said = f"{name_a} needs {need}; {name_b} {how}"
                score = weight * math.sqrt(my_strength[a] * my_strength[b])
                held = best.get(key)
                if held is None or score > held[0]:
                    reasons = [said, *(held[3] if held else [])]
                    best[key] = (score, a, b, reasons)
                elif said not in held[3]:
                    held[3].append(said)
                break  # one need of a's met by b is enough for this direction
    for a in sorted(p for p in known if owed.get(p, 0) > 0):  # the ledger: whom I owe
        for b, tag in _same_field(a, known, my_strength, done, between, floor):
            key = _pair_key(a, b)
            said = f"{known[a].get('name') or a} and {known[b].get('name') or b} are both {tag}"
            score = _SHARED * math.sqrt(my_strength[a] * my_strength[b])
            held = best.get(key)
            if held is None:
                best[key] = (score, a, b, [said])
            elif not any(" are both " in r for r in held[3]):  # said once, from either side
                held[3].append(said)
    rows = []
    for score, a, b, reasons in best.values():
        extra = []
        for p in (a, b):
            if owed.get(p, 0) > 0:
                score += _OWED
                extra.append(f"you owe {known[p].get('name') or p} an introduction "
                             f"(they gave you {owed[p]} more than you gave them)")
        text = "; ".join([*dict.fromkeys(reasons), "you know both well", *extra])
        rows.append((known[a].get("name"), known[b].get("name"), a, b, round(score, 6), text,
                     my_strength[a], my_strength[b]))
    rows.sort(key=lambda r: (-r[4], r[2], r[3]))
    return Rows(COLUMNS, rows)
