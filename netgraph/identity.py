"""Who is who: normalising identities and resolving references to people.

A reference in an input row (``from``, ``to``, ``introducer``...) names a person by external id,
email or exact name, tried in that order; names also match recorded aliases (earlier names of a
person). An unknown reference creates a person. A name that fits several people is ambiguous
and rejects the row rather than guessing.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from netgraph.store import Store

__all__ = ["Resolver", "normalise_email", "normalise_linkedin", "normalise_phone"]


def normalise_email(value: str) -> str:
    """Case-folded, trimmed email address."""
    return value.strip().casefold()


def normalise_phone(value: str) -> str:
    """Digits only, keeping a leading ``+``: ``+49 (30) 123-45`` -> ``+493012345``."""
    text = value.strip()
    digits = re.sub(r"\D", "", text)
    if text.startswith("+"):
        return "+" + digits
    if text.startswith("00") and len(digits) > 2:
        return "+" + digits[2:]
    return digits


def normalise_linkedin(value: str) -> str:
    """``https://www.LinkedIn.com/in/Dana-Lee/`` -> ``linkedin.com/in/dana-lee``."""
    text = value.strip().casefold()
    text = re.sub(r"^[a-z]+://", "", text)
    text = re.sub(r"^(www\.|[a-z]{2}\.)", "", text)
    return text.split("?")[0].rstrip("/")


NORMALISERS = {
    "id": str.strip,
    "email": normalise_email,
    "phone": normalise_phone,
    "linkedin": normalise_linkedin,
    "alias": str.strip,
}


@dataclass
class NewPerson:
    person_id: int
    name: str
    created_by: str


@dataclass
class Resolver:
    """Resolves references against the store and the rows of the batch being imported.

    People it creates are kept in :attr:`new_people` (and their identities in
    :attr:`new_identities`) until the caller writes them in the batch's transaction.
    """

    store: Store
    index: dict[str, dict[str, int]] = field(init=False)
    names: dict[str, list[int]] = field(init=False)
    kinds: dict[int, set[str]] = field(init=False)
    next_id: int = field(init=False)
    new_people: list[NewPerson] = field(default_factory=list)
    new_identities: list[tuple[str, str, str, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        con = self.store.con
        self.index = {kind: {} for kind in NORMALISERS}
        self.kinds = {}
        ident = con.execute("SELECT kind, value, person_id FROM identities ORDER BY kind").fetchnumpy()
        kinds, values, pids = (ident[c].tolist() for c in ("kind", "value", "person_id"))
        start = 0
        for kind, group in itertools.groupby(kinds):  # one dict per kind, built in bulk
            n = sum(1 for _ in group)
            self.index.setdefault(kind, {}).update(zip(values[start:start + n], pids[start:start + n],
                                                       strict=True))
            for pid in pids[start:start + n]:
                self.kinds.setdefault(pid, set()).add(kind)
            start += n
        self.names = {}
        people = con.execute("SELECT name, person_id FROM people ORDER BY person_id").fetchnumpy()
        for name, pid in zip(people["name"].tolist(), people["person_id"].tolist(), strict=True):
            self.names.setdefault(name, []).append(pid)
        self.next_id = self.store.next_id("people")

    # -- lookups ---------------------------------------------------------------------------
    def lookup(self, kind: str, raw: str) -> int | None:
        return self.index[kind].get(NORMALISERS[kind](raw))

    def by_name(self, name: str) -> list[int]:
        hits = list(self.names.get(name, ()))
        alias = self.index["alias"].get(name)
        if alias is not None and alias not in hits:
            hits.append(alias)
        return hits

    def resolve(self, ref: str) -> tuple[int | None, str | None]:
        """(person id, None) for a reference, creating the person if unknown; or (None, reason)."""
        text = ref.strip()
        pid = self.index["id"].get(text)
        if pid is None and "@" in text:
            pid = self.index["email"].get(normalise_email(text))
        if pid is None and "linkedin.com/" in text.casefold():
            pid = self.index["linkedin"].get(normalise_linkedin(text))
            if pid is None:  # someone known only by profile: the URL names them until a contact does
                pid = self.create(text, "reference")
                self.add_identity("linkedin", text, pid)
        if pid is not None:
            return pid, None
        hits = self.by_name(text)
        if len(hits) == 1:
            return hits[0], None
        if len(hits) > 1:
            return None, f"'{text}' matches {len(hits)} people by name; refer to them by id or email"
        if "@" in text:
            pid = self.create(text, "reference")
            self.add_identity("email", text, pid)
            return pid, None
        return self.create(text, "reference"), None

    def resolve_series(self, refs: pd.Series) -> tuple[pd.Series, pd.Series]:
        """Resolve a Series of references at once (each distinct reference once).

        Returns (person ids as nullable Int64, reasons for the ones that failed).
        """
        codes, uniques = pd.factorize(refs)  # missing references get code -1
        found, errors = self._resolve_unique(pd.Series(uniques, dtype=object))
        found = np.append(found, -1)  # the last slot serves code -1
        errors = np.append(errors, None)
        raw_ids = found[codes]
        ids = pd.Series(pd.array(np.where(raw_ids >= 0, raw_ids, 0), dtype="Int64"), index=refs.index)
        ids[raw_ids < 0] = pd.NA
        return ids, pd.Series(errors[codes], index=refs.index, dtype=object)

    def _resolve_unique(self, refs: pd.Series) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`resolve` over distinct references in one pass of dictionary look-ups (by id,
        email, then a name that fits one person); only new people and ambiguous names take the
        one-by-one path that creates people or explains the clash."""
        ids, emails, names, aliases = (self.index["id"], self.index["email"], self.names,
                                       self.index["alias"])
        out = np.full(len(refs), -1, dtype=np.int64)
        errors = np.full(len(refs), None, dtype=object)
        for i, ref in enumerate(refs.tolist()):
            text = ref.strip()
            pid = ids.get(text)
            if pid is None and "@" in text:
                pid = emails.get(text.casefold())
            if pid is None and "linkedin.com/" in text.casefold():
                pid = self.index["linkedin"].get(normalise_linkedin(text))
            if pid is None:
                hits = names.get(text)
                if hits is not None and len(hits) == 1 and aliases.get(text, hits[0]) == hits[0]:
                    pid = hits[0]
            if pid is None:
                pid, errors[i] = self.resolve(ref)
            out[i] = -1 if pid is None else pid
        return out, errors

    def committed(self) -> None:
        """The batch holding the new people was written: start the next one empty."""
        self.new_people = []
        self.new_identities = []

    # -- creation --------------------------------------------------------------------------
    def create(self, name: str, created_by: str) -> int:
        pid = self.next_id
        self.next_id += 1
        self.new_people.append(NewPerson(pid, name, created_by))
        self.names.setdefault(name, []).append(pid)
        return pid

    def add_identity(self, kind: str, raw: str, pid: int) -> bool:
        """Record an identity for ``pid``; False if it already belongs to someone (no change)."""
        value = NORMALISERS[kind](raw)
        if not value or value in self.index[kind]:
            return False
        self.index[kind][value] = pid
        self.kinds.setdefault(pid, set()).add(kind)
        self.new_identities.append((kind, value, raw.strip(), pid))
        return True

    def rename(self, pid: int, old: str, new: str) -> None:
        """Keep name lookups right after a person's name changes; the old name stays an alias."""
        if pid in self.names.get(old, []):
            self.names[old].remove(pid)
            if not self.names[old]:
                del self.names[old]
        self.names.setdefault(new, []).append(pid)
        if old and old != new:
            self.add_identity("alias", old, pid)
