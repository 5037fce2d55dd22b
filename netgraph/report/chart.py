"""A small chart of contact activity over time, as inline SVG built in Python (no JS library).

Bars per month, stacked: interactions that include me, and the rest. Every text in the SVG is
HTML-escaped, though it is only numbers and month names.
"""

from __future__ import annotations

import math
from html import escape

import pandas as pd

__all__ = ["activity_svg"]

WIDTH, HEIGHT = 720, 210
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 30, 26
MINE, OTHERS, INK, MUTED, GRID = "#2f6fed", "#b9cdf7", "#1f2933", "#616e7c", "#e4e7eb"


def _nice(top: float) -> int:
    """A round axis maximum at or above ``top``: 1, 2 or 5 times a power of ten."""
    if top <= 0:
        return 1
    power = 10 ** math.floor(math.log10(top))
    return int(next(m * power for m in (1, 2, 5, 10) if m * power >= top))


def _text(x: float, y: float, s: str, *, anchor: str = "middle", fill: str = MUTED,
          size: int = 11) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}" '
            f'font-size="{size}">{escape(s)}</text>')


def activity_svg(frame: pd.DataFrame) -> str:
    """``frame``: ``month, interactions, with_me`` (one row per month with any contact).

    >>> f = pd.DataFrame({"month": pd.to_datetime(["2025-01-01", "2025-03-01"]),
    ...                   "interactions": [4, 10], "with_me": [1, 6]})
    >>> svg = activity_svg(f)
    >>> svg.startswith("<svg") and svg.count("<rect") >= 6
    True
    """
    if frame is None or frame.empty:
        return '<p class="muted">No interactions recorded yet.</p>'
    months = pd.period_range(pd.Timestamp(frame["month"].min()).to_period("M"),
                             pd.Timestamp(frame["month"].max()).to_period("M"), freq="M")
    by = frame.assign(m=pd.to_datetime(frame["month"]).dt.to_period("M")).set_index("m")
    total = by["interactions"].reindex(months, fill_value=0).to_numpy()
    mine = by["with_me"].reindex(months, fill_value=0).to_numpy()
    ymax = _nice(float(total.max()))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / len(months)
    bar = max(step * 0.78, 0.8)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - v / ymax)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'role="img" aria-label="contact activity per month" class="chart" '
             f'font-family="system-ui, sans-serif">']
    for v in (0, ymax / 2, ymax):
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                     f'stroke="{GRID}"/>')
        parts.append(_text(LEFT - 6, y(v) + 4, f"{v:,.0f}", anchor="end"))
    for i, (t, m) in enumerate(zip(total.tolist(), mine.tolist(), strict=True)):
        x = LEFT + i * step + (step - bar) / 2
        if t > m:
            parts.append(f'<rect x="{x:.1f}" y="{y(t):.1f}" width="{bar:.1f}" '
                         f'height="{y(m) - y(t):.1f}" fill="{OTHERS}"/>')
        if m:
            parts.append(f'<rect x="{x:.1f}" y="{y(m):.1f}" width="{bar:.1f}" '
                         f'height="{y(0) - y(m):.1f}" fill="{MINE}"/>')
    every = max(1, math.ceil(len(months) / 8))
    for i, p in enumerate(months):
        if i % every == 0 or len(months) == 1:
            parts.append(_text(LEFT + (i + 0.5) * step, HEIGHT - 8, p.strftime("%b %Y")))
    parts.append(f'<rect x="{LEFT}" y="6" width="10" height="10" fill="{MINE}"/>')
    parts.append(_text(LEFT + 15, 15, "with you", anchor="start", fill=INK))
    parts.append(f'<rect x="{LEFT + 90}" y="6" width="10" height="10" fill="{OTHERS}"/>')
    parts.append(_text(LEFT + 105, 15, "between others", anchor="start", fill=INK))
    parts.append(_text(WIDTH - RIGHT, 15, f"{int(total.sum()):,} interactions in "
                       f"{len(months)} months", anchor="end"))
    parts.append("</svg>")
    return "".join(parts)
