"""Naming a person on the command line or in the API: one reference, one person.

Every command and API function that takes a person (``merge``, ``distinct``, ``unmerge``,
``explain-tie``, ``intro``, ``report --focus``, ``init --me``...) reads it through
:func:`resolve_person`, so ``12`` means the same person everywhere.
"""

from __future__ import annotations

from netgraph._errors import AmbiguousPerson, PersonNotFound
from netgraph.normalise import normalise_email, normalise_linkedin
from netgraph.store.database import Store

__all__ = ["CLOSE_NAME", "resolve_person"]

#: How alike (Jaro-Winkler similarity, case-blind) a name must be to be suggested for a miss.
CLOSE_NAME = 0.88


def resolve_person(store: Store, ref: str | int) -> int:
    """The person id that ``ref`` names in ``store``.

    The first of these that matches wins:

    1. a person number: an ``int``, or text of digits only (``12``; see ``netgraph people``).
       ``#12`` is not a person: ``netgraph unmerge`` reads it as merge number 12;
    2. an external id, as the imported files gave it (``p0012``; also ``12`` when there is
       no person number 12);
    3. an email, normalised (``Dana.Lee+x@Gmail.com`` is ``danalee@gmail.com``);
    4. a LinkedIn profile URL, normalised;
    5. an exact name (case and accents count);
    6. an alias: an earlier name of the person, or the name of someone merged into them.

    References inside imported files resolve by their own order
    (:meth:`~netgraph.identity.resolver.Resolver.resolve`): there ``12`` is the file's id.

    Parameters
    ----------
    store
        The store to look in.
    ref
        The reference, as the user typed it.

    Returns
    -------
    int
        The person id.

    Raises
    ------
    AmbiguousPerson
        When the name fits several people (give a person number, an id or an email instead).
    PersonNotFound
        When nothing matches; the message suggests a name that differs only in case, else up to
        three names close in spelling (:data:`CLOSE_NAME`), if any.
    """
    if isinstance(ref, int) and not isinstance(ref, bool):
        if store.scalar("SELECT count(*) FROM people WHERE person_id = ?", [ref]):
            return ref
        msg = f"no person number {ref}; see `netgraph people` for the numbers"
        raise PersonNotFound(msg)
    text = str(ref).strip()
    if text.isdigit() and text.isascii() and store.scalar(
            "SELECT count(*) FROM people WHERE person_id = ?", [int(text)]):
        return int(text)
    hit = _identity(store, "id", text)
    if hit is None and "@" in text:
        hit = _identity(store, "email", normalise_email(text))
    if hit is None:
        hit = _identity(store, "linkedin", normalise_linkedin(text))
    if hit is not None:
        return hit
    ids = [int(r[0]) for r in store.con.execute(
        "SELECT person_id FROM people WHERE name = ? ORDER BY person_id", [text]).fetchall()]
    if len(ids) == 1:
        return ids[0]
    if len(ids) > 1:
        msg = (f"{len(ids)} people are called {text!r}; give a person number, an id or an email "
               f"instead (person numbers {', '.join(map(str, ids[:5]))}{'...' if len(ids) > 5 else ''})")
        raise AmbiguousPerson(msg)
    hit = _identity(store, "alias", text)
    if hit is not None:  # an earlier or merged name
        return hit
    folded = store.con.execute(
        "SELECT name FROM people WHERE lower(name) = lower(?) ORDER BY person_id LIMIT 1", [text]).fetchall()
    if not folded:  # names close in spelling (Jaro-Winkler, in the store), the closest first
        folded = store.con.execute(
            "SELECT name FROM (SELECT name, max(jaro_winkler_similarity(lower(name), lower(?))) AS s "
            "FROM people GROUP BY name) WHERE s >= ? ORDER BY s DESC, name LIMIT 3",
            [text, CLOSE_NAME]).fetchall()
    hint = (f" Did you mean {' or '.join(repr(r[0]) for r in folded)}?" if folded
            else " See `netgraph people`.")
    msg = f"no person matches {text!r} by number, id, email, profile URL or exact name.{hint}"
    raise PersonNotFound(msg)


def _identity(store: Store, kind: str, value: str) -> int | None:
    """The person who holds identity ``value`` of ``kind`` (already normalised), if anyone."""
    if not value:
        return None
    hit = store.scalar("SELECT person_id FROM identities WHERE kind = ? AND value = ?", [kind, value])
    return None if hit is None else int(hit)
