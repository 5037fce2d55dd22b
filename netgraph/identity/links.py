"""Which records are one person, and which the user keeps apart.

Merges link a merged person to the one kept; :func:`root` follows those links to the person
that stands for them all (the one union-find of netgraph: the resolver during an import, a batch
of merges, and an undo all use it). :func:`distinct_pairs` loads the pairs the user said are
different people (``netgraph distinct``, or an undone merge), which are never merged or
suggested again; :func:`keep_apart` records one more, and :func:`forget_apart` drops one when
the user merges the two after all.
"""

from __future__ import annotations

from collections.abc import Mapping

from netgraph.store.database import Store

__all__ = ["distinct_pairs", "forget_apart", "keep_apart", "pair", "root"]


def root(parent: Mapping[int, int], pid: int) -> int:
    """The person ``pid`` ends up as once every link in ``parent`` (merged -> kept) is followed.

    >>> root({3: 2, 2: 1}, 3), root({3: 2}, 5)
    (1, 5)
    """
    while pid in parent:
        pid = parent[pid]
    return pid


def pair(a: int, b: int) -> tuple[int, int]:
    """Two person ids as the (low, high) pair that ``distinct_people`` stores."""
    return (a, b) if a <= b else (b, a)


def distinct_pairs(store: Store) -> set[tuple[int, int]]:
    """Every (low, high) pair of people the user said are different."""
    rows = store.con.execute("SELECT low_id, high_id FROM distinct_people").fetchall()
    return {(int(a), int(b)) for a, b in rows}


def keep_apart(store: Store, a: int, b: int) -> tuple[int, int]:
    """Record that ``a`` and ``b`` are different people (once); returns the stored pair."""
    low, high = pair(a, b)
    store.con.execute("INSERT INTO distinct_people VALUES (?, ?) ON CONFLICT DO NOTHING", [low, high])
    return low, high


def forget_apart(store: Store, a: int, b: int) -> None:
    """Drop the record that ``a`` and ``b`` are different people, if there is one."""
    store.con.execute("DELETE FROM distinct_people WHERE low_id = ? AND high_id = ?", list(pair(a, b)))
