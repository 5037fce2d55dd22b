"""Redaction for shared reports: stable pseudonyms, and nothing personal left behind.

A redacted report calls everyone "Contact N", where N is the person's rank in ``person_id``
order in the store, so the same person keeps the same pseudonym from one run to the next
(people added later get higher numbers and never shift earlier ones). Emails, phones, notes and
profile URLs never reach the report; titles, countries and tags are dropped; company and city
are kept only when asked (``keep_org``).

Redaction happens to the *inputs* of the analyses, not to their output: the graph and the
history tables are rewritten first, so every sentence an analysis writes ("you introduced
them to ...", "both at ...", community labels) is built from pseudonyms to begin with. Nothing
is scrubbed after the fact. :func:`find_leaks` is the safety net: the report checks its own
embedded text against every real name, alias, email and phone in the store before it writes.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx
import pandas as pd

from netgraph.rows import Rows
from netgraph.store import queries
from netgraph.store.database import Store
from netgraph.ties.model import MyHistory

__all__ = ["ORG_ATTRIBUTES", "Secrets", "find_leaks", "pseudonym", "pseudonyms", "redact_graph",
           "redact_history", "secrets"]

#: Node attributes kept with ``keep_org``; every other descriptive attribute is dropped.
ORG_ATTRIBUTES = ("company", "city")


def pseudonym(rank: int) -> str:
    """The pseudonym of the person at ``rank`` (1-based) in ``person_id`` order."""
    return f"Contact {rank}"


def pseudonyms(store: Store) -> dict[int, str]:
    """person_id -> "Contact N", numbered in ``person_id`` order (stable across runs).

    >>> import netgraph as ng
    >>> with ng.open_store(":memory:") as store:
    ...     pseudonyms(store)
    {}
    """
    return {pid: pseudonym(i) for i, pid in enumerate(queries.person_ids(store), 1)}


def redact_graph(G: nx.Graph, names: Mapping, *, keep_org: bool = False) -> nx.Graph:
    """A copy of ``G`` whose people carry only a pseudonym (and company and city with ``keep_org``).

    Nodes missing from ``names`` are numbered after the largest pseudonym. Edge attributes are
    numbers and dates only, and are shared with ``G`` (not copied).
    """
    keep = ORG_ATTRIBUTES if keep_org else ()
    H = nx.Graph()
    H.graph.update(G.graph)
    extra = len(names)
    nodes = []
    for n, d in G.nodes(data=True):
        if n in names:
            label = names[n]
        else:
            extra += 1
            label = pseudonym(extra)
        attrs = {"name": label, "tags": []}
        attrs.update({k: d[k] for k in keep if d.get(k)})
        nodes.append((n, attrs))
    H.add_nodes_from(nodes)
    H.add_edges_from(G.edges(data=True))
    return H


def redact_history(hist: MyHistory, names: Mapping, *, keep_org: bool = False) -> MyHistory:
    """``hist`` with pseudonyms for names, and notes (follow-ups, introductions) dropped."""
    people = hist.people.records()
    for i, person in enumerate(people):
        person["name"] = names.get(int(person["person_id"]), pseudonym(len(names) + 1 + i))
        if not keep_org:
            person["company"] = person["city"] = None

    def without_notes(table: Rows) -> Rows:
        return Rows.of(table.columns, ({**r, "note": None} for r in table.records()))

    return dataclasses.replace(hist, people=Rows.of(hist.people.columns, people),
                               followups=without_notes(hist.followups),
                               intros=without_notes(hist.intros))


@dataclass(frozen=True)
class Secrets:
    """What must never appear in a redacted report: names (and aliases), emails, phones, notes."""

    names: tuple[str, ...]
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    other: tuple[str, ...]  # profile URLs and notes

    def all(self) -> Iterable[tuple[str, str]]:
        """Every secret as ``(kind, value)``, ``kind`` being its field (``names``, ``emails``...)."""
        for kind in ("names", "emails", "phones", "other"):
            for value in getattr(self, kind):
                yield kind, value


#: Shorter values are not checked: too likely to occur by chance inside ordinary words.
MIN_SECRET_LENGTH = 4
#: Notes are checked from this length: a short note ("call") is an everyday word.
MIN_NOTE_LENGTH = 12


def secrets(store: Store, *, keep: Iterable[str] = ()) -> Secrets:
    """Every real name, alias, email, phone, profile URL and note in the store.

    ``keep`` lists values allowed to appear anyway (the companies and cities kept with
    ``keep_org``): a person called "Berlin" would otherwise flag the city.
    """
    allowed = {k.casefold() for k in keep if k}

    def clean(values: Iterable) -> tuple[str, ...]:
        out = {str(v).strip() for v in values if v is not None and not pd.isna(v)}
        return tuple(sorted(v for v in out
                            if len(v) >= MIN_SECRET_LENGTH and v.casefold() not in allowed))

    by_kind = queries.private_texts(store)
    notes = [n for n in clean(by_kind["note"]) if len(n) >= MIN_NOTE_LENGTH]  # "call" is a word too
    return Secrets(
        names=clean([*by_kind["name"], *by_kind.get("alias", [])]),
        emails=clean(by_kind.get("email", [])),
        phones=clean(by_kind.get("phone", [])),
        other=clean([*by_kind.get("linkedin", []), *notes]),
    )


_WORD = re.compile(r"\w+")


def find_leaks(text: str, found: Secrets) -> list[tuple[str, str]]:
    """``(kind, value)`` for every secret that occurs in ``text`` (case-insensitive), as whole words.

    "Ann Lee" is not found inside "Joann Lee".

    Linear in the text: a value is searched for only when each pair of its consecutive words
    also follows each other in the text, so a few MB are checked against every person of a
    large store in well under a second.

    >>> s = Secrets(names=("Maya Nkosi",), emails=("maya@example.com",), phones=(), other=())
    >>> find_leaks("you introduced them to Maya Nkosi", s)
    [('names', 'Maya Nkosi')]
    >>> find_leaks("you introduced them to Contact 17", s)
    []
    """
    folded = text.casefold()
    tokens = _WORD.findall(folded)
    words = set(tokens)
    pairs = set(itertools.pairwise(tokens))
    hits = []
    for kind, value in found.all():
        v = value.casefold()
        parts = _WORD.findall(v)
        if not parts or any(w not in words for w in parts):
            continue
        if all(pair in pairs for pair in itertools.pairwise(parts)) and v in folded:
            hits.append((kind, value))
    return hits
