"""Suggested duplicates: people whose names look alike, for the user to merge or keep apart.

Imports merge only on firm evidence (a shared email, profile URL or phone; the same name at the
same company). Everything softer is a *suggestion* from :func:`suggest`: first and last names
that are each alike after normalising (RapidFuzz ratio; "Lee, Dana" is "Dana Lee"), or an
initial that fits ("D. Lee" and "Dana Lee"). Colleagues who share only a surname are not alike.
Shared details raise the score and are named in the reasons; a different company lowers it.
Pairs the user marked as different never come back.

Candidate pairs come from blocks of people who share the first two letters of the last name
and the first initial, so the work grows with the number of people, not its square.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from netgraph.identity.links import distinct_pairs
from netgraph.normalise import normalise_name
from netgraph.store.database import Store

__all__ = ["MIN_SCORE", "suggest", "suggestions"]

#: Scores at or above this are suggested.
MIN_SCORE = 80
#: Both the first and the last name must be at least this alike (RapidFuzz ratio, 0-100).
MIN_PART = 70
#: At most this many suggestions, best first (numbered or templated names can pair everyone).
MAX_SUGGESTIONS = 10_000
#: Largest block compared in full; a larger one (a very common surname) is cut to this size.
_MAX_BLOCK = 2000


def _parts(name: str) -> tuple[str, str]:
    tokens = name.split()
    if not tokens:
        return "", ""
    return tokens[0], tokens[-1] if len(tokens) > 1 else ""


def _blocks(parts: list[tuple[str, str]]) -> dict[tuple[str, str], list[int]]:
    """People sharing the first two letters of the last name and the first initial."""
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, (first, last) in enumerate(parts):
        if first:
            blocks[(last[:2], first[:1])].append(i)
    return blocks


def _block_scores(parts: list[tuple[str, str]]) -> np.ndarray:
    """Name scores within one block: the mean of first-name and last-name likeness.

    A score is 0 where either is below :data:`MIN_PART`. A bare initial fits a first name that starts
    with it.
    """
    firsts = [f for f, _ in parts]
    lasts = [x for _, x in parts]
    sf = process.cdist(firsts, firsts, scorer=fuzz.ratio, dtype=np.float32)
    sl = process.cdist(lasts, lasts, scorer=fuzz.ratio, dtype=np.float32)
    short = np.array([len(f) == 1 for f in firsts])
    initial = (short[:, None] | short[None, :]) & (sf > 0)  # same block: same initial
    sf = np.where(initial, np.maximum(sf, 85), sf)
    score = (sf + sl) / 2
    score[(sf < MIN_PART) | (sl < MIN_PART)] = 0
    return np.triu(score, k=1)


def suggest(people: pd.DataFrame, identities: pd.DataFrame,
            distinct: set[tuple[int, int]] = frozenset(), *, min_score: int = MIN_SCORE,
            top: int | None = None) -> pd.DataFrame:
    """Likely duplicate pairs, best first.

    ``people`` needs ``person_id``, ``name``, ``company``; ``identities`` ``kind``, ``value``,
    ``person_id``. Returns columns ``a_id``, ``a``, ``b_id``, ``b``, ``score`` (0–100) and
    ``reasons``. The score is the likeness of first and last names (each at least
    :data:`MIN_PART`), plus 10 for the same company and 5 for emails at the same work domain,
    minus 15 for different companies.

    >>> people = pd.DataFrame({"person_id": [1, 2, 3, 4], "company": ["Acme", None, None, "Acme"],
    ...                        "name": ["Dana Lee", "Lee, Dana", "Bo Chen", "Dan Lee"]})
    >>> ids = pd.DataFrame(columns=["kind", "value", "person_id"])
    >>> suggest(people, ids)[["a", "b", "score"]].to_dict("records")
    [{'a': 'Dana Lee', 'b': 'Lee, Dana', 'score': 100}, {'a': 'Dana Lee', 'b': 'Dan Lee', 'score': 100}, \
{'a': 'Lee, Dana', 'b': 'Dan Lee', 'score': 93}]
    """
    cols = ["a_id", "a", "b_id", "b", "score", "reasons"]
    if len(people) < 2:
        return pd.DataFrame(columns=cols)
    ids = people["person_id"].astype(int).to_numpy()
    raw = people["name"].astype(str).tolist()
    norm = [normalise_name(n) for n in raw]
    parts = [_parts(n) for n in norm]
    company = [normalise_name(c) if isinstance(c, str) and c.strip() else None
               for c in people["company"].tolist()]
    co_code = pd.factorize(pd.Series(company, dtype=object))[0]  # -1: no company
    domains = _email_domains(identities)
    dom_code = pd.factorize(pd.Series([min(domains[p]) if p in domains else None for p in ids],
                                      dtype=object))[0]
    found_i, found_j, found_s, found_name = [], [], [], []
    for members in _blocks(parts).values():
        if len(members) < 2:
            continue
        members = np.asarray(members[:_MAX_BLOCK])
        scores = _block_scores([parts[i] for i in members])
        x, y = np.nonzero(scores)
        i, j = members[x], members[y]
        name_score = scores[x, y].astype(np.float64)
        score = name_score.copy()
        both = (co_code[i] >= 0) & (co_code[j] >= 0)
        score += np.where(both & (co_code[i] == co_code[j]), 10, 0)
        score -= np.where(both & (co_code[i] != co_code[j]), 15, 0)
        score += np.where((dom_code[i] >= 0) & (dom_code[i] == dom_code[j]), 5, 0)
        keep = score >= min_score
        found_i.append(i[keep])
        found_j.append(j[keep])
        found_s.append(np.minimum(100, np.round(score[keep])))
        found_name.append(name_score[keep])
    if not found_i:
        return pd.DataFrame(columns=cols)
    pairs = pd.DataFrame({"i": np.concatenate(found_i), "j": np.concatenate(found_j),
                          "score": np.concatenate(found_s).astype(int),
                          "name_score": np.concatenate(found_name)})
    pairs["a_id"], pairs["b_id"] = ids[pairs["i"]], ids[pairs["j"]]
    if distinct:
        low = np.minimum(pairs["a_id"], pairs["b_id"])
        high = np.maximum(pairs["a_id"], pairs["b_id"])
        pairs = pairs[[(lo, hi) not in distinct for lo, hi in zip(low, high, strict=True)]]
    pairs = pairs.sort_values(["score", "a_id", "b_id"], ascending=[False, True, True])
    pairs = pairs.head(top or MAX_SUGGESTIONS)
    out = pd.DataFrame({
        "a_id": pairs["a_id"].to_numpy(), "a": [raw[i] for i in pairs["i"]],
        "b_id": pairs["b_id"].to_numpy(), "b": [raw[j] for j in pairs["j"]],
        "score": pairs["score"].to_numpy(),
        "reasons": [_reasons(i, j, s, norm, company, people["company"], domains, ids)
                    for i, j, s in zip(pairs["i"], pairs["j"], pairs["name_score"], strict=True)],
    })
    return out.reset_index(drop=True)


def _reasons(i: int, j: int, name_score: float, norm: list[str], company: list[str | None],
             shown: pd.Series, domains: dict[int, set[str]], ids: np.ndarray) -> str:
    """Why a pair is suggested, in words."""
    out = ["same name once normalised" if norm[i] == norm[j] else f"names {name_score:.0f}% alike"]
    if company[i] and company[j]:
        out.append(f"both at {shown.iloc[i]}" if company[i] == company[j]
                   else f"different companies ({shown.iloc[i]} / {shown.iloc[j]})")
    shared = domains.get(int(ids[i]), set()) & domains.get(int(ids[j]), set())
    if shared:
        out.append(f"emails at {sorted(shared)[0]}")
    return "; ".join(out)


_COMMON_DOMAINS = {"gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "yahoo.com",
                   "icloud.com", "me.com", "live.com", "gmx.de", "web.de", "proton.me",
                   "protonmail.com", "aol.com"}


def _email_domains(identities: pd.DataFrame) -> dict[int, set[str]]:
    """Person -> the work domains of their emails (free-mail domains say nothing)."""
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
    return suggest(people, idents, distinct_pairs(store), min_score=min_score, top=top)
