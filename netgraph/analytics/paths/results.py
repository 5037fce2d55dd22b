"""The results of a warm path search: hops, paths, and the answers for one asker or a team.

The frozen dataclasses :func:`~netgraph.analytics.paths.warm.warm_paths` and
:func:`~netgraph.analytics.paths.warm.team_paths` return (:class:`Hop`, :class:`Path`,
:class:`PathResult`, :class:`TeamPaths`) and their tables (``to_frame``, ``hops_frame``).
:mod:`netgraph.analytics.paths.warm` re-exports them: import them from there. ``rows`` gives
the rows of ``to_frame`` as plain dicts, with no pandas loaded.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

ARROW = " → "


@dataclass(frozen=True)
class Hop:
    """One tie along a path, from the source's side to the target's side."""

    u: Hashable
    v: Hashable
    u_name: str
    v_name: str
    strength: float
    warm: bool
    last_contact: datetime | None
    how: str


@dataclass(frozen=True)
class Path:
    """A chain of people from the source to a target, with each hop explained."""

    people: tuple[Hashable, ...]
    names: tuple[str, ...]
    hops: tuple[Hop, ...]
    warm: bool
    first_step: str

    @property
    def path_strength(self) -> float:
        """The product of the hop strengths."""
        return math.prod(h.strength for h in self.hops)

    @property
    def weakest(self) -> Hop:
        """The hop with the lowest strength (the first one on ties)."""
        return min(self.hops, key=lambda h: h.strength)

    @property
    def ask(self) -> Hashable | None:
        """The person to ask: the first intermediary (None for a direct tie)."""
        return self.people[1] if len(self.people) > 2 else None

    @property
    def label(self) -> str:
        """``"warm"`` or ``"cold"``."""
        return "warm" if self.warm else "cold"


@dataclass(frozen=True)
class PathResult:
    """Warm paths to a target, cold routes beside them, and what to do next.

    ``warm`` holds the k best warm paths, best first. ``cold`` holds the routes among the k best
    with the strength floor dropped that need at least one hop below it; they are shown so the
    user sees them, never offered as asks. ``closest`` is, when no warm path exists, the best
    route with the floor dropped; ``advice`` then names the one relationship to build first.
    """

    source: Hashable
    source_name: str
    target: Hashable
    target_name: str
    members: tuple[Hashable, ...]
    warm: tuple[Path, ...]
    cold: tuple[Path, ...]
    closest: Path | None
    advice: str
    min_strength: float
    max_hops: int

    @property
    def best(self) -> Path | None:
        """The best warm path, or None."""
        return self.warm[0] if self.warm else None

    def _ranked(self) -> Iterable[tuple[int, Path]]:
        yield from enumerate(self.warm, 1)
        yield from enumerate(self.cold, 1)

    def rows(self) -> list[dict[str, Any]]:
        """The rows of :meth:`to_frame` as plain dicts (keys :data:`PATH_COLUMNS`)."""
        return [{
            "label": p.label, "rank": rank, "warm": p.warm, "path_strength": p.path_strength,
            "hops": len(p.hops), "intermediaries": len(p.people) - 2,
            "path": ARROW.join(p.names), "people": list(p.people),
            "weakest_hop": f"{p.weakest.u_name} – {p.weakest.v_name}",
            "weakest_strength": p.weakest.strength,
            "ask_id": p.ask, "ask": p.names[1] if p.ask is not None else None,
            "first_step": p.first_step, "target_id": p.people[-1], "target": p.names[-1],
        } for rank, p in self._ranked()]

    def to_frame(self) -> pd.DataFrame:
        """One row per path, warm ones first; ``rank`` counts within each label."""
        import pandas as pd

        rows = self.rows()
        frame = pd.DataFrame(rows, columns=PATH_COLUMNS)
        frame["ask_id"] = id_column([r["ask_id"] for r in rows])
        return frame

    def hops_frame(self) -> pd.DataFrame:
        """One row per hop of every path: who, how strong, last contact, how they know each other."""
        import pandas as pd

        rows = [{
            "label": p.label, "rank": rank, "hop": i, "from_id": h.u, "from": h.u_name,
            "to_id": h.v, "to": h.v_name, "strength": h.strength, "warm": h.warm,
            "weakest": h is p.weakest, "last_contact": h.last_contact, "how": h.how,
        } for rank, p in self._ranked() for i, h in enumerate(p.hops, 1)]
        return pd.DataFrame(rows, columns=_HOP_COLUMNS)


#: The columns of :meth:`PathResult.to_frame`, in order.
PATH_COLUMNS = ["label", "rank", "warm", "path_strength", "hops", "intermediaries", "path",
                "people", "weakest_hop", "weakest_strength", "ask_id", "ask", "first_step",
                "target_id", "target"]
_HOP_COLUMNS = ["label", "rank", "hop", "from_id", "from", "to_id", "to", "strength", "warm",
                "weakest", "last_contact", "how"]


@dataclass(frozen=True)
class TeamPaths:
    """Paths from every team member; ``member`` is who should ask (None if nobody has a warm path)."""

    target: Hashable
    results: dict[Hashable, PathResult]
    member: Hashable | None
    advice: str

    def _member_rows(self) -> list[dict[str, Any]]:
        rows = []
        for m, r in self.results.items():
            best = r.best or r.closest
            rows.append({
                "member_id": m, "member": r.source_name,
                "warm": r.best is not None,
                "path_strength": best.path_strength if best else None,
                "path": ARROW.join(best.names) if best else None,
                "ask": best.names[1] if best and best.ask is not None else None,
                "advice": r.advice, "should_ask": m == self.member,
            })
        return rows

    def rows(self) -> list[dict[str, Any]]:
        """The rows of :meth:`to_frame`, in its order, as plain dicts (keys :data:`TEAM_COLUMNS`).

        Warm first, then by path strength, strongest first and missing last; ties keep the
        team's order (as ``to_frame``'s stable sort does).
        """
        return sorted(self._member_rows(), key=lambda r: (
            not r["warm"], r["path_strength"] is None or math.isnan(r["path_strength"]),
            -r["path_strength"] if r["path_strength"] is not None
            and not math.isnan(r["path_strength"]) else 0.0))

    def to_frame(self) -> pd.DataFrame:
        """One row per team member, the one with the warmest path first."""
        import pandas as pd

        frame = pd.DataFrame(self._member_rows())
        if frame.empty:
            return frame
        return frame.sort_values(["warm", "path_strength"], ascending=False, kind="stable",
                                 na_position="last").reset_index(drop=True)


#: The columns of :meth:`TeamPaths.to_frame` (when it has a row), in order.
TEAM_COLUMNS = ["member_id", "member", "warm", "path_strength", "path", "ask", "advice",
                "should_ask"]


def id_column(values: list) -> pd.Series:
    """Node ids as a column: nullable integers when they are all integers, else objects."""
    import numpy as np
    import pandas as pd

    if any(v is not None for v in values) and all(
            v is None or (isinstance(v, int | np.integer) and not isinstance(v, bool)) for v in values):
        return pd.Series(values, dtype="Int64")
    return pd.Series(values, dtype=object)
