"""Suggested duplicates: people whose names look alike, for the user to merge or keep apart.

Imports merge only on firm evidence (a shared email, profile URL or phone; the same name at the
same company). Everything softer is a *suggestion* from :func:`suggest`: names that are alike
after normalising (RapidFuzz ``token_sort_ratio``, so "Lee, Dana" meets "Dana Lee"), or an
initial that fits ("D. Lee" and "Dana Lee"). Shared details raise the score and are named in
the reasons; a different company lowers it. Pairs the user marked as different never come back.

Candidate pairs come from blocks of people who share the first three letters of some name
part, so the work grows with the number of people, not its square.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from netgraph.identity import normalise_name
from netgraph.store import Store

__all__ = ["MIN_SCORE", "suggest", "suggestions"]

#: Scores at or above this are suggested.
MIN_SCORE = 85
#: Blocks larger than this are compared only on their first this many members' pairs.
_MAX_BLOCK = 3000


def _blocks(names: list[str]) -> dict[str, list[int]]:
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, name in enumerate(names):
        for token in set(name.split()):
            if len(token) >= 2:
                blocks[token[:3]].append(i)
    return blocks


def _initial_match(a: str, b: str) -> bool:
    """'d lee' and 'dana lee': same last part, and the first parts agree on their initial with
    one of them a bare initial."""
    ta, tb = a.split(), b.split()
    if len(ta) < 2 or len(tb) < 2 or ta[-1] != tb[-1]:
        return False
    fa, fb = ta[0], tb[0]
    return fa[0] == fb[0] and (len(fa) == 1 or len(fb) == 1)


def suggest(people: pd.DataFrame, identities: pd.DataFrame,
            distinct: set[tuple[int, int]] = frozenset(), *, min_score: int = MIN_SCORE,
            top: int | None = None) -> pd.DataFrame:
    """Likely duplicate pairs, best first.

    ``people`` needs ``person_id``, ``name``, ``company``; ``identities`` ``kind``, ``value``,
    ``person_id``. Returns columns ``a_id``, ``a``, ``b_id``, ``b``, ``score`` (0–100) and
    ``reasons``.

    >>> people = pd.DataFrame({"person_id": [1, 2, 3], "name": ["Dana Lee", "Lee, Dana", "Bo"],
    ...                        "company": ["Acme", None, None]})
    >>> ids = pd.DataFrame(columns=["kind", "value", "person_id"])
    >>> suggest(people, ids)[["a", "b", "score"]].to_dict("records")
    [{'a': 'Dana Lee', 'b': 'Lee, Dana', 'score': 100}]
    """
    cols = ["a_id", "a", "b_id", "b", "score", "reasons"]
    if len(people) < 2:
        return pd.DataFrame(columns=cols)
    ids = people["person_id"].astype(int).to_numpy()
    raw = people["name"].astype(str).tolist()
    norm = [normalise_name(n) for n in raw]
    company = [normalise_name(c) if isinstance(c, str) and c.strip() else None
               for c in people["company"].tolist()]
    domains = _email_domains(identities)
    pairs: dict[tuple[int, int], float] = {}
    for members in _blocks(norm).values():
        if len(members) < 2:
            continue
        members = members[:_MAX_BLOCK]
        block = [norm[i] for i in members]
        scores = process.cdist(block, block, scorer=fuzz.token_sort_ratio, dtype=np.uint8,
                               score_cutoff=min_score - 15)
        for x, y in zip(*np.nonzero(np.triu(scores, k=1)), strict=True):
            i, j = members[x], members[y]
            key = (i, j) if i < j else (j, i)
            pairs[key] = max(pairs.get(key, 0), float(scores[x, y]))
        for x, i in enumerate(members):  # initials score low on edit distance
            for j in members[x + 1:]:
                if _initial_match(norm[i], norm[j]):
                    key = (i, j) if i < j else (j, i)
                    pairs[key] = max(pairs.get(key, 0), 80.0)
    rows = []
    for (i, j), name_score in pairs.items():
        a, b = int(ids[i]), int(ids[j])
        if (min(a, b), max(a, b)) in distinct:
            continue
        score, reasons = name_score, [f"names {name_score:.0f}% alike"]
        if norm[i] == norm[j]:
            reasons = ["same name once normalised"]
        if company[i] and company[j]:
            if company[i] == company[j]:
                score += 10
                reasons.append(f"both at {people['company'].iloc[i]}")
            else:
                score -= 15
                reasons.append(f"different companies ({people['company'].iloc[i]} / "
                               f"{people['company'].iloc[j]})")
        shared = domains.get(a, set()) & domains.get(b, set())
        if shared:
            score += 5
            reasons.append(f"emails at {sorted(shared)[0]}")
        score = int(min(100, round(score)))
        if score >= min_score:
            rows.append((a, raw[i], b, raw[j], score, "; ".join(reasons)))
    out = pd.DataFrame(rows, columns=cols).sort_values(["score", "a_id", "b_id"],
                                                         ascending=[False, True, True],
                                                         ignore_index=True)
    return out.head(top) if top else out


_COMMON_DOMAINS = {"gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "yahoo.com",
                   "icloud.com", "me.com", "live.com", "gmx.de", "web.de", "proton.me",
                   "protonmail.com", "aol.com"}


def _email_domains(identities: pd.DataFrame) -> dict[int, set[str]]:
    """person -> the work domains of their emails (free-mail domains say nothing)."""
    out: dict[int, set[str]] = defaultdict(set)
    emails = identities[identities["kind"] == "email"]
    for value, pid in zip(emails["value"].astype(str), emails["person_id"].astype(int), strict=True):
        domain = value.rpartition("@")[2]
        if domain and domain not in _COMMON_DOMAINS:
            out[pid].add(domain)
    return out


def suggestions(store: Store, *, min_score: int = MIN_SCORE, top: int | None = None) -> pd.DataFrame:
    """:func:`suggest` over everyone in ``store``, leaving out pairs marked as different."""
    people = store.sql("SELECT person_id, name, company FROM people ORDER BY person_id")
    idents = store.sql("SELECT kind, value, person_id FROM identities WHERE kind = 'email'")
    distinct = {(int(a), int(b)) for a, b in store.con.execute(
        "SELECT low_id, high_id FROM distinct_people").fetchall()}
    return suggest(people, idents, distinct, min_score=min_score, top=top)
