"""Plain-text tables and number formats shared by the benchmark suites."""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["mb", "rate", "ratio", "render", "seconds", "whole"]


def render(header: Sequence[str], rows: Sequence[Sequence[str]], *, left: int = 1) -> str:
    """Aligned columns: the first ``left`` columns left-aligned, the rest right-aligned."""
    table = [list(header), *[list(r) for r in rows]]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) if i < left else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(table[0]), rule, *(line(r) for r in table[1:])])


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def seconds(value: float | None) -> str:
    """Seconds with precision that suits the size: 0.0123, 1.23, 12.3, 123."""
    if _missing(value):
        return "-"
    if value < 0.1:
        return f"{value:.4f}"
    if value < 10:
        return f"{value:.2f}"
    if value < 100:
        return f"{value:.1f}"
    return f"{value:.0f}"


def rate(value: float | None) -> str:
    """A rate with thousands separators: 123,456."""
    return "-" if _missing(value) else f"{value:,.0f}"


def whole(value: float | None) -> str:
    """A count with thousands separators."""
    return "-" if _missing(value) else f"{int(value):,}"


def ratio(value: float | None) -> str:
    """A ratio as ``1.23x``."""
    return "-" if _missing(value) else f"{value:.2f}x"


def mb(value: float | None) -> str:
    """Megabytes, whole."""
    return "-" if _missing(value) else f"{value:,.0f}"
