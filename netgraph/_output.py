"""Printing frames for the CLI: ``--format table|csv|json`` and ``--top N``, defined once."""

from __future__ import annotations

import json
import math
import sys
from datetime import date, datetime
from typing import Any, TextIO

import numpy as np
import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

FORMATS = ("table", "csv", "json")


def _plain(value: Any) -> Any:
    """A JSON-native value: no NaN, numpy scalars or timestamps."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, pd.Timestamp | datetime):
        return value.isoformat() if (value.hour or value.minute or value.second) else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, np.ndarray | list | tuple):
        return [_plain(v) for v in value]
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-native dicts keyed by column name."""
    cols = list(frame.columns)
    return [
        {c: _plain(v) for c, v in zip(cols, row, strict=True)}
        for row in zip(*(frame[c].tolist() for c in cols), strict=True)
    ]


def _cell(value: Any) -> str:
    if isinstance(value, pd.Timestamp | datetime) and not pd.isna(value):
        return value.strftime("%Y-%m-%d")  # tables show the day; JSON and CSV keep the time
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return str(value)


def emit(
    frame: pd.DataFrame,
    fmt: str = "table",
    top: int | None = None,
    *,
    title: str | None = None,
    out: TextIO | None = None,
    table_columns: list[str] | None = None,
    empty: str | None = None,
) -> None:
    """Print ``frame`` (its first ``top`` rows) as a table, CSV or JSON.

    ``table_columns`` narrows what the terminal table shows; CSV and JSON keep every column.
    ``empty`` is the line a table prints instead when there are no rows.
    """
    stream = out or sys.stdout
    if empty is not None and frame.empty and fmt == "table":
        stream.write(empty + "\n")
        return
    shown = frame.head(top) if top is not None else frame
    if fmt == "table" and table_columns:
        shown = shown[[c for c in table_columns if c in shown.columns]]
    if fmt == "json":
        stream.write(json.dumps(records(shown), ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        shown.to_csv(stream, index=False)
    else:
        console = Console(file=stream, soft_wrap=False, width=None if stream.isatty() else 200)
        table = Table(title=Text(title) if title else None, show_lines=False, header_style="bold")
        for col in shown.columns:
            table.add_column(str(col), overflow="fold")
        for row in zip(*(shown[c].tolist() for c in shown.columns), strict=True):
            table.add_row(*(Text(_cell(v)) for v in row))  # Text: never read as markup
        console.print(table, markup=False, highlight=False)
        if top is not None and len(frame) > top:
            console.print(f"(showing {top} of {len(frame):,}; use --top to see more)",
                          markup=False, highlight=False)
