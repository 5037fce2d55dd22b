"""Who is who: normalising identities and resolving the references in imported rows to people.

A reference in an input row (``from``, ``to``, ``introducer``...) names a person by external id,
email, LinkedIn URL or exact name, tried in that order; names also match recorded aliases
(earlier names of a person). An unknown reference creates a person. A name that fits several
people is ambiguous and rejects the row rather than guessing. (A person named by the user, on
the command line or in the API, is read by :func:`netgraph.identity.lookup.resolve_person`.)
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from netgraph.identity.links import distinct_pairs, pair, root
from netgraph.identity.merge import MergeRequest
from netgraph.identity.people import NewPerson
from netgraph.normalise import (
    normalise_email,
    normalise_linkedin,
    normalise_name,
    normalise_phone,
)
from netgraph.store.database import HOME_REGION, Store

__all__ = ["HOME_REGION", "Resolver", "normalise_email", "normalise_linkedin", "normalise_name",
           "normalise_phone"]

# the normal forms live in netgraph.normalise; identity re-exports them

#: References resolved with one Arrow look-up when there are at least this many, and at least
#: this many met earlier in the batch; fewer go one dictionary look-up at a time.
_LOOK_UP_AT_ONCE = 2_000



NORMALISERS = {
    "id": str.strip,
    "email": normalise_email,
    "phone": normalise_phone,
    "linkedin": normalise_linkedin,
    "alias": str.strip,
}


class NameIndex:
    """Names (under ``key``) -> the people who bear them.

    The way back (person -> names) is built on the first merge, so a merge repoints one person's names
    without scanning all.
    """

    def __init__(self, key: Callable[[str], str] = str) -> None:
        self.key = key
        self.hits: dict[str, list[int]] = {}
        self._keys_of: dict[int, set[str]] | None = None

    def add(self, name: str, pid: int) -> None:
        k = self.key(name)
        hits = self.hits.setdefault(k, [])
        if pid not in hits:
            hits.append(pid)
        if self._keys_of is not None:
            self._keys_of.setdefault(pid, set()).add(k)

    def remove(self, name: str, pid: int) -> None:
        k = self.key(name)
        hits = self.hits.get(k, [])
        if pid in hits:
            hits.remove(pid)
            if not hits:
                del self.hits[k]
        if self._keys_of is not None:
            self._keys_of.get(pid, set()).discard(k)

    def get(self, name: str) -> list[int]:
        return self.hits.get(self.key(name), [])

    def repoint(self, merged: int, kept: int) -> None:
        if self._keys_of is None:
            self._keys_of = {}
            for k, pids in self.hits.items():
                for p in pids:
                    self._keys_of.setdefault(p, set()).add(k)
        for k in self._keys_of.pop(merged, set()):
            hits = self.hits[k]
            hits[hits.index(merged)] = kept
            if hits.count(kept) > 1:
                hits.remove(kept)
            self._keys_of.setdefault(kept, set()).add(k)


@dataclass
class Resolved:
    """References resolved at once.

    Person ids (nullable), reasons for failures, and each reference's code among the distinct
    ``uniques`` (-1 where missing).
    """

    ids: pd.Series
    errors: pd.Series
    codes: np.ndarray
    uniques: np.ndarray


@dataclass
class Resolver:
    """Resolves references against the store and the rows of the batch being imported.

    People it creates are kept in :attr:`new_people` (and their identities in
    :attr:`new_identities`) until the caller writes them in the batch's transaction.
    """

    store: Store
    index: dict[str, dict[str, int]] = field(init=False)
    names: NameIndex = field(init=False)
    kinds: dict[int, set[str]] = field(init=False)
    next_id: int = field(init=False)
    new_people: list[NewPerson] = field(default_factory=list)
    new_identities: list[tuple[str, str, str, int]] = field(default_factory=list)
    #: merges decided while resolving, applied when the batch's people are written
    merges: list[MergeRequest] = field(default_factory=list)
    #: display names for references that are addresses (from mail and calendar headers)
    hints: dict[str, str] = field(default_factory=dict)
    merged_into: dict[int, int] = field(init=False, default_factory=dict)
    #: "me" (kept in step by whoever changes the setting during an import)
    me: int | None = field(init=False, default=None)
    _by_person: dict[int, list[tuple[str, str]]] | None = field(init=False, default=None)
    _norm: NameIndex | None = field(init=False, default=None)
    _companies: dict[int, str] | None = field(init=False, default=None)
    _new_companies: dict[int, str] = field(init=False, default_factory=dict)
    _distinct: set[tuple[int, int]] | None = field(init=False, default=None)
    #: each reference resolved during the batch, and to whom: a file read in pieces meets the
    #: same addresses in every piece, and resolves them as once for the whole file
    _resolved: dict[str, int] = field(init=False, default_factory=dict)
    #: the home region national phone numbers are read in (``netgraph init --country``)
    region: str | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        con = self.store.con
        self.region = self.store.get_setting(HOME_REGION)
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
        self.names = NameIndex()
        people = con.execute("SELECT name, person_id FROM people ORDER BY person_id").fetchnumpy()
        hits = self.names.hits  # filled in bulk: names are plain keys here
        for name, pid in zip(people["name"].tolist(), people["person_id"].tolist(), strict=True):
            hits.setdefault(name, []).append(pid)
        self.next_id = self.store.next_id("people")
        self.me = self.store.me_id

    # -- lookups ---------------------------------------------------------------------------
    def normalise(self, kind: str, raw: str) -> str:
        """``raw`` in the normal form of ``kind`` (phones in the home region)."""
        if kind == "phone":
            return normalise_phone(raw, self.region)
        return NORMALISERS[kind](raw)

    def lookup(self, kind: str, raw: str) -> int | None:
        """The person whose ``kind`` identity is ``raw`` once normalised, or None."""
        return self.index[kind].get(self.normalise(kind, raw))

    def by_name(self, name: str) -> list[int]:
        """People named exactly ``name``, then the one whose alias it is (if not among them)."""
        hits = list(self.names.get(name))
        alias = self.index["alias"].get(name)
        if alias is not None and alias not in hits:
            hits.append(alias)
        return hits

    def by_normalised_name(self, name: str) -> list[int]:
        """People whose name or alias is ``name`` once both are normalised (see :func:`normalise_name`)."""
        if self._norm is None:  # built on first use: only contact rows need it
            self._norm = NameIndex(normalise_name)
            for key, pids in self.names.hits.items():
                for pid in pids:
                    self._norm.add(key, pid)
            for alias, pid in self.index["alias"].items():
                self._norm.add(alias, pid)
        return [self.root(p) for p in dict.fromkeys(self._norm.get(name))]

    @property
    def companies(self) -> dict[int, str]:
        """Person -> normalised company, loaded on first use (only contact rows need it)."""
        if self._companies is None:
            rows = self.store.con.execute(
                "SELECT person_id, company FROM people WHERE company IS NOT NULL").fetchall()
            self._companies = {pid: normalise_name(c) for pid, c in rows if c.strip()}
            self._companies.update(self._new_companies)
        return self._companies

    def root(self, pid: int) -> int:
        """The person ``pid`` has been merged into during this import (``pid`` itself if none)."""
        return root(self.merged_into, pid)

    def resolve(self, ref: str) -> tuple[int | None, str | None]:
        """(person id, None) for a reference, creating the person if unknown; or (None, reason).

        The order is external id, email, LinkedIn URL, exact name or alias. Unlike
        :func:`~netgraph.identity.lookup.resolve_person` (a person the user names), there is no
        person number: a file's ``12`` is that file's id, and netgraph's own numbers mean
        nothing to the program that wrote the file.
        """
        text = ref.strip()
        pid = self.index["id"].get(text)
        if pid is None and "@" in text:
            pid = self.index["email"].get(normalise_email(text))
        if pid is None and "linkedin.com/" in text.casefold():
            pid = self.index["linkedin"].get(normalise_linkedin(text))
            if pid is None:  # known by profile: the display name (else the URL) names them
                pid = self._by_hint(text, "linkedin")
                self.add_identity("linkedin", text, pid)
        if pid is not None:
            return pid, None
        hits = self.by_name(text)
        if len(hits) == 1:
            return hits[0], None
        if len(hits) > 1:
            return None, f"'{text}' matches {len(hits)} people by name; refer to them by id or email"
        if "@" in text:
            pid = self._by_hint(text, "email")
            self.add_identity("email", text, pid)
            return pid, None
        return self.create(text, "reference"), None

    def _by_hint(self, ref: str, kind: str) -> int:
        """The person an unknown address or profile ``ref`` belongs to.

        That is the one known person with its display name and no ``kind`` identity yet, else a new
        person so named.
        """
        hint = self.hints.get(ref)
        hits = self.by_name(hint) if hint else []
        if len(hits) == 1 and kind not in self.kinds.get(hits[0], set()):
            return hits[0]
        return self.create(hint or ref, "reference")

    def resolve_series(self, refs: pd.Series) -> tuple[pd.Series, pd.Series]:
        """Resolve a Series of references at once (each distinct reference once).

        Returns (person ids as nullable Int64, reasons for the ones that failed).
        """
        resolved = self.resolve_refs(refs)
        return resolved.ids, resolved.errors

    def resolve_refs(self, refs: pd.Series, mine: Collection[str] = (),
                     me: int | None = None) -> Resolved:
        """:meth:`resolve_series`, keeping the factorisation for callers that store the references too.

        The factorisation is each reference's code among the distinct ones. References in ``mine``
        resolve to ``me``; missing ones stay missing.
        """
        codes, uniques = pd.factorize(refs)  # missing references get code -1
        found, errors = self._resolve_unique(pd.Series(uniques, dtype=object), mine, me)
        found = np.append(found, -1)  # the last slot serves code -1
        errors = np.append(errors, None)
        raw_ids = found[codes]
        ids = pd.Series(pd.array(np.where(raw_ids >= 0, raw_ids, 0), dtype="Int64"), index=refs.index)
        ids[raw_ids < 0] = pd.NA
        return Resolved(ids, pd.Series(errors[codes], index=refs.index, dtype=object), codes,
                        np.asarray(uniques, dtype=object))

    def _resolve_unique(self, refs: pd.Series, mine: Collection[str] = (),
                        me: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`resolve` over distinct references in one pass of dictionary look-ups.

        Look-ups go by id, email, then a name that fits one person; only new people and ambiguous names
        take the one-by-one path that creates people or explains the clash.
        """
        ids, emails, names, aliases = (self.index["id"], self.index["email"], self.names,
                                       self.index["alias"])
        errors = np.full(len(refs), None, dtype=object)
        resolved, merged = self._resolved, self.merged_into
        values = refs.tolist()
        out = self._met_before(values)
        if mine:  # my references are me, whoever they resolved to before
            out[[i for i, ref in enumerate(values) if ref in mine]] = -1
        for i in np.flatnonzero(out < 0).tolist():
            ref = values[i]
            if ref in mine:
                out[i] = me
                continue
            pid = resolved.get(ref)
            if pid is not None:  # met before in this batch (an earlier piece of the file)
                out[i] = root(merged, pid) if merged else pid
                continue
            text = ref.strip()
            pid = ids.get(text)
            if pid is None and "@" in text:  # most addresses are stored as they are written
                pid = emails.get(text.casefold()) or emails.get(normalise_email(text))
            if pid is None and "linkedin.com/" in text.casefold():
                pid = self.index["linkedin"].get(normalise_linkedin(text))
            if pid is None:
                hits = names.get(text)
                if len(hits) == 1 and aliases.get(text, hits[0]) == hits[0]:
                    pid = hits[0]
            if pid is None:
                pid, errors[i] = self.resolve(ref)
            if pid is not None:
                resolved[ref] = pid
            out[i] = -1 if pid is None else pid
        return out, errors

    def _met_before(self, refs: list[str]) -> np.ndarray:
        """The person each reference resolved to earlier in this batch, -1 where none.

        Each piece of a large file names mostly people an earlier piece met: one Arrow look-up
        finds them all, where a dictionary look-up each would cost seconds per million. A person
        merged since is followed to whom they became.
        """
        out = np.full(len(refs), -1, dtype=np.int64)
        met = self._resolved
        if len(refs) < _LOOK_UP_AT_ONCE or len(met) < _LOOK_UP_AT_ONCE:
            return out
        import pyarrow as pa
        import pyarrow.compute as pc

        keys = pa.array(list(met), type=pa.string())
        pids = np.fromiter(met.values(), dtype=np.int64, count=len(met))
        at = pc.fill_null(pc.index_in(pa.array(refs, type=pa.string()), value_set=keys), -1)
        at = at.to_numpy(zero_copy_only=False)
        hit = at >= 0
        out[hit] = pids[at[hit]]
        if self.merged_into and hit.any():
            found, where = np.unique(out[hit], return_inverse=True)
            out[hit] = np.array([root(self.merged_into, int(p)) for p in found], dtype=np.int64)[where]
        return out

    def committed(self) -> None:
        """The batch holding the new people was written: start the next one empty."""
        self.new_people = []
        self.new_identities = []
        self.merges = []
        self.hints = {}
        self._resolved = {}

    def is_distinct(self, a: int, b: int) -> bool:
        """Whether the user said ``a`` and ``b`` are different people."""
        if self._distinct is None:
            self._distinct = distinct_pairs(self.store)
        return pair(a, b) in self._distinct

    def absorb(self, kept: int, merged: int, rule: str, evidence: str, *,
               newer_wins: bool = False) -> int:
        """Treat ``merged`` as ``kept`` from now on (both roots); returns the person kept.

        The merge that makes it so is queued for the store.
        """
        kept, merged = self.root(kept), self.root(merged)
        if kept == merged:
            return kept
        if merged == self.me:
            kept, merged = merged, kept
        self.merged_into[merged] = kept
        self.merges.append(MergeRequest(kept, merged, rule, evidence, newer_wins))
        owned = self._owned()
        for kind, value in owned.pop(merged, []):
            self.index[kind][value] = kept
            owned.setdefault(kept, []).append((kind, value))
        self.kinds.setdefault(kept, set()).update(self.kinds.pop(merged, set()))
        self.names.repoint(merged, kept)
        if self._norm is not None:
            self._norm.repoint(merged, kept)
        companies = self.companies
        if kept not in companies and merged in companies:
            companies[kept] = companies[merged]
        return kept

    def _add_name(self, name: str, pid: int) -> None:
        self.names.add(name, pid)
        if self._norm is not None:
            self._norm.add(name, pid)

    def _owned(self) -> dict[int, list[tuple[str, str]]]:
        """Person -> their (kind, value) identities, built on the first merge of an import."""
        if self._by_person is None:
            self._by_person = {}
            for kind, index in self.index.items():
                for value, pid in index.items():
                    self._by_person.setdefault(pid, []).append((kind, value))
        return self._by_person

    # -- creation --------------------------------------------------------------------------
    def create(self, name: str, created_by: str, company: str | None = None) -> int:
        """A new person named ``name``, written with the batch's people; returns their id.

        ``created_by`` says what made them; ``company``, if given, is kept for matching by name and
        company.
        """
        pid = self.next_id
        self.next_id += 1
        self.new_people.append(NewPerson(pid, name, created_by))
        self._add_name(name, pid)
        if company and company.strip():
            self._new_companies[pid] = normalise_name(company)
            if self._companies is not None:
                self._companies[pid] = self._new_companies[pid]
        return pid

    def add_identity(self, kind: str, raw: str, pid: int) -> bool:
        """Record an identity for ``pid``; False if it already belongs to someone (no change)."""
        value = self.normalise(kind, raw)
        if not value or value in self.index[kind]:
            return False
        self.index[kind][value] = pid
        self.kinds.setdefault(pid, set()).add(kind)
        self.new_identities.append((kind, value, raw.strip(), pid))
        if self._by_person is not None:
            self._by_person.setdefault(pid, []).append((kind, value))
        if kind == "alias" and self._norm is not None:
            self._norm.add(value, pid)
        return True

    def rename(self, pid: int, old: str, new: str) -> None:
        """Keep name lookups right after a person's name changes; the old name stays an alias."""
        self.names.remove(old, pid)  # the normalised index keeps the old name, as an alias
        self._add_name(new, pid)
        if old and old != new:
            self.add_identity("alias", old, pid)
