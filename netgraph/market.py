"""My target market: rules that say who I want to reach, and who matches them.

The networking practice netgraph serves sorts contacts into three piles: the target market,
connectors and general contacts, and follows up in that order. The target market is the user's
own statement ("Please don't tell me everyone is in your target market"), so it is a short list
of rules, given with ``netgraph init --market RULE``:

==================  ==========================================================================
rule                a person matches when
==================  ==========================================================================
``title:TEXT``      their title holds TEXT as words (``title:CTO`` matches "CTO & co-founder")
``company:NAME``    their company is NAME
``city:NAME``       their city is NAME
``tag:NAME``        one of their tags is NAME
``industry:TEXT``   TEXT appears as words in their tags, title or company (netgraph has no
                    industry field: ``industry:fintech`` matches the tag ``berlin-fintech``)
==================  ==========================================================================

Text is compared case- and accent-blind, punctuation read as spaces (``São Paulo`` is
``sao paulo``; see :func:`netgraph.normalise.normalise_name`). Pure: no store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from netgraph._errors import NetgraphError
from netgraph.normalise import normalise_name

__all__ = ["KINDS", "MarketRule", "MarketRuleError", "match", "parse_rule"]

#: The kinds of rule, as written before the colon.
KINDS = ("title", "company", "city", "tag", "industry")


class MarketRuleError(NetgraphError, ValueError):
    """A market rule that cannot be read (no known prefix, or nothing after it)."""


@dataclass(frozen=True)
class MarketRule:
    """One rule of my target market: ``kind`` (one of :data:`KINDS`) and the text to match."""

    kind: str
    text: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.text}"

    @property
    def key(self) -> str:
        """The text as it is compared (normalised)."""
        return normalise_name(self.text)


def parse_rule(text: str) -> MarketRule:
    """A rule from its written form, such as ``title:CTO``.

    >>> parse_rule(" Title: CTO ")
    MarketRule(kind='title', text='CTO')
    >>> parse_rule("CTO")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    netgraph.market.MarketRuleError: market rule 'CTO' has no kind: write it as title:CTO, ...
    """
    kind, sep, value = text.partition(":")
    kind, value = kind.strip().casefold(), value.strip()
    if not sep or kind not in KINDS:
        example = value or text.strip()
        msg = (f"market rule {text.strip()!r} has no kind: write it as title:{example}, "
               "company:NAME, city:NAME, tag:NAME or industry:TEXT")
        raise MarketRuleError(msg)
    if not normalise_name(value):
        msg = f"market rule {text.strip()!r} names nothing after '{kind}:': such as {kind}:Berlin"
        raise MarketRuleError(msg)
    return MarketRule(kind, value)


def _has_words(haystack: str | None, words: str) -> bool:
    """Whether the normalised ``words`` stand as whole words in ``haystack``."""
    if not haystack or not words:
        return False
    return f" {words} " in f" {normalise_name(haystack)} "


def _same(value: str | None, key: str) -> bool:
    return bool(value) and normalise_name(value) == key


def match(person: Mapping[str, Any], rules: Iterable[MarketRule]) -> MarketRule | None:
    """The first of ``rules`` that ``person`` (their ``title``, ``company``, ``city``, ``tags``) meets.

    >>> rules = [parse_rule("city:Sao Paulo"), parse_rule("industry:fintech")]
    >>> match({"city": "São Paulo"}, rules)
    MarketRule(kind='city', text='Sao Paulo')
    >>> match({"tags": ["berlin-fintech"]}, rules)
    MarketRule(kind='industry', text='fintech')
    >>> match({"title": "Fintech lawyer", "city": "Lisbon"}, rules[:1]) is None
    True
    """
    tags = person.get("tags") or ()
    for rule in rules:
        key = rule.key
        if rule.kind == "title":
            hit = _has_words(person.get("title"), key)
        elif rule.kind == "company":
            hit = _same(person.get("company"), key)
        elif rule.kind == "city":
            hit = _same(person.get("city"), key)
        elif rule.kind == "tag":
            hit = any(_same(t, key) for t in tags)
        else:  # industry
            hit = any(_has_words(t, key) for t in (*tags, person.get("title"), person.get("company")))
        if hit:
            return rule
    return None
