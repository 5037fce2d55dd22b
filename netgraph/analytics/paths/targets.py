"""Targets of a warm path search: who asks, and whom a target stands for.

A target is a person (a node id) or a group named ``company:NAME``, ``city:NAME`` or
``tag:NAME``. :func:`parse_target` is the one reader of those prefixes: the API and the report
use it to tell a group from a person reference before they resolve people in the store, and
the search uses it to find a group's members. A group matches a node attribute exactly,
ignoring case and surrounding spaces; ``tag:`` matches any one of a person's tags.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import networkx as nx

from netgraph._errors import NotConfiguredError, PersonNotFound
from netgraph.analytics.paths.explain import node_name

__all__ = ["GROUP_KINDS", "Target", "members_of", "parse_target", "source_node"]

#: Node attributes a group target can name: ``company:NAME``, ``city:NAME``, ``tag:NAME``.
GROUP_KINDS = {"company": "company", "city": "city", "tag": "tags"}


@dataclass(frozen=True)
class Target:
    """A group target: ``kind`` (company, city or tag) and the ``value`` to match.

    ``str(target)`` is its canonical text, ``kind:value``.
    """

    kind: str
    value: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"

    @property
    def attr(self) -> str:
        """The node attribute the group matches: ``company``, ``city`` or ``tags``."""
        return GROUP_KINDS[self.kind]

    def members(self, G: nx.Graph) -> list[Hashable]:
        """The nodes of ``G`` in this group (none when the value is blank).

        Examples
        --------
        >>> G = nx.Graph()
        >>> G.add_nodes_from([(1, {"company": " ACME "}), (2, {"tags": ["vc", "Acme"]}), (3, {})])
        >>> Target("company", "acme").members(G), Target("tag", "acme").members(G)
        ([1], [2])
        """
        want = self.value.strip().casefold()
        if not want:
            return []
        if self.attr == "tags":
            return [n for n, tags in G.nodes(data="tags") if tags
                    and want in "\x1f".join(map(str, tags)).casefold()  # cheap test first
                    and any(str(x).strip().casefold() == want for x in tags)]
        return [n for n, x in G.nodes(data=self.attr) if x and str(x).strip().casefold() == want]


def parse_target(text: Hashable) -> Target | None:
    """The group ``text`` names, or None when it names a person.

    Parameters
    ----------
    text : Hashable
        What the user asked for: ``company:NAME``, ``city:NAME``, ``tag:NAME`` (the prefix in
        any case, spaces around it ignored), or anything else for a person.

    Returns
    -------
    Target or None
        The group, its kind lower-cased and its value stripped; None for a person reference
        (including a node id that is not text).

    Examples
    --------
    >>> parse_target(" Company : Acme Corp "), parse_target("Dana Lee"), parse_target(12)
    (Target(kind='company', value='Acme Corp'), None, None)
    >>> str(parse_target("tag:investor"))
    'tag:investor'
    """
    if isinstance(text, Target):
        return text
    if not isinstance(text, str):
        return None
    kind, sep, value = text.partition(":")
    kind = kind.strip().lower()
    if not sep or kind not in GROUP_KINDS:
        return None
    return Target(kind, value.strip())


def source_node(G: nx.Graph, source: Hashable | None) -> Hashable:
    """Who asks: ``source``, or me (``G.graph["me"]``) when it is None.

    Raises
    ------
    NotConfiguredError
        When ``source`` is None and the graph has no "me".
    PersonNotFound
        When the person is not in the graph.
    """
    if source is None:
        source = G.graph.get("me")
        if source is None:
            msg = ('this needs to know who you are: run netgraph init --me "Your Name", or '
                   "name the person to start from")
            raise NotConfiguredError(msg)
    if source not in G:
        msg = f"person {source!r} is not in the graph; netgraph people lists everyone"
        raise PersonNotFound(msg)
    return source


def members_of(G: nx.Graph, target: Hashable, source: Hashable) -> tuple[tuple, str]:
    """(the node ids a target stands for, its display name); the source is never a member.

    Raises
    ------
    PersonNotFound
        When the target is neither a node nor a group with a member other than the source.
    """
    if target in G:
        return ((target,) if target != source else ()), node_name(G, target)
    group = parse_target(target)
    if group is not None and group.value:
        hits = tuple(n for n in group.members(G) if n != source)
        if hits:
            return hits, str(group)
        msg = (f"no one matches {target!r} (other than the source); the match is exact but "
               "ignores case: netgraph people lists everyone")
        raise PersonNotFound(msg)
    msg = (f"target {target!r} is not in the graph; give a person id, or company:NAME, "
           "city:NAME or tag:NAME")
    raise PersonNotFound(msg)
