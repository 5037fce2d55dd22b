"""Pass/fail goals shared by the suites, and the choice among repeated runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["Target", "best_run", "judge", "target_line"]


@dataclass(frozen=True)
class Target:
    """A pass/fail goal on one metric: judged at ``scope`` (a size name, "largest" or "all")."""

    text: str
    key: str
    limit: float
    at_least: bool
    scope: str
    fmt: Callable[[Any], str]

    def ok(self, value: float) -> bool:
        return value >= self.limit if self.at_least else value <= self.limit


def judge(target: Target, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """PASS, FAIL or SKIP for one target, with the values it was judged on. Rows (one per
    size, smallest first) that lack the metric are not judged."""
    if target.scope == "all":
        judged = rows
    elif target.scope == "largest":
        judged = rows[-1:]
    else:
        judged = [r for r in rows if r["size"] == target.scope]
    judged = [r for r in judged if target.key in r]
    values = {r["size"]: r[target.key] for r in rows if target.key in r}
    passed = all(target.ok(r[target.key]) for r in judged)
    status = ("PASS" if passed else "FAIL") if judged else "SKIP"
    return {"target": target.text, "status": status, "judged_at": [r["size"] for r in judged],
            "values": values}


def target_line(target: Target, verdict: dict[str, Any], width: int = 48) -> str:
    shown = ", ".join(f"{size}: {target.fmt(v)}" for size, v in verdict["values"].items())
    where = ", ".join(verdict["judged_at"]) or f"{target.scope} (not measured)"
    return f"  {verdict['status']:4}  {target.text:<{width}} judged at {where}   [{shown}]"


def best_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The fastest run, carrying the largest peak memory of all runs."""
    best = min(runs, key=lambda r: r["seconds"])
    return {**best, "peak_rss_mb": max(r["peak_rss_mb"] for r in runs)}
