"""Printing frames for the CLI: ``--format table|csv|json`` and ``--top N``, defined once.

Text from the store (names, notes, file names) is never trusted on the way out:

- **Tables and messages** (:func:`safe_text`, :class:`SafeConsole`) drop control characters
  that a terminal would act on: C0 (tab, newline and carriage return become a space; messages
  keep their newlines), DEL, C1 (U+0080-U+009F, e.g. U+009B, a one-byte CSI) and the
  bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069). A name holding
  ``ESC]0;...BEL`` cannot retitle the terminal.
- **CSV** (:func:`csv_safe`) writes those characters as visible escapes: ``\\x1b`` for ESC,
  ``\\x9b``, ``\\x7f``, ``\\x0d``, ``\\u202e`` (tab and newline stay, CSV quoting holds them;
  a bare carriage return would split the row in many readers). By OWASP's rule against formula
  injection, a text cell that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return
  gets a leading ``'`` (``=HYPERLINK(...)`` is written ``'=HYPERLINK(...)``). Numbers are left
  as they are. ``--raw`` writes cells as stored. Re-importing such a CSV keeps the ``'``.
- **JSON** escapes every control character, C0 by ``json.dumps`` and DEL, C1 and the bidi
  controls here (``\\u009b``), so a value reads back exactly as stored.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import math
import sys
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any, TextIO

import numpy as np
import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

FORMATS = ("table", "csv", "json")

_BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_CONTROLS = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *_BIDI]
_WHITE = (0x09, 0x0A, 0x0D)
_TERMINAL = {c: (" " if c in _WHITE else None) for c in _CONTROLS}
_MESSAGE = {**_TERMINAL, 0x0A: "\n"}
_CSV = {c: (f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}") for c in _CONTROLS if c not in (0x09, 0x0A)}
_JSON = {c: f"\\u{c:04x}" for c in (0x7F, *range(0x80, 0xA0), *_BIDI)}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

_raw: contextvars.ContextVar[bool] = contextvars.ContextVar("netgraph_raw_cells", default=False)


def safe_text(text: Any, *, keep_newlines: bool = False) -> str:
    r"""``text`` as a string a terminal shows as it is: control characters dropped.

    Tab, carriage return and newline become a space (``keep_newlines``: newlines stay, for
    messages of several lines).

    >>> safe_text("Ana\x1b]0;pwned\x07 \x1b[31mLee\u202e")
    'Ana]0;pwned [31mLee'
    >>> safe_text("two\nlines"), safe_text("two\nlines\r", keep_newlines=True)
    ('two lines', 'two\nlines ')
    """
    return str(text).translate(_MESSAGE if keep_newlines else _TERMINAL)


def csv_text(text: str, *, raw: bool = False) -> str:
    r"""One CSV text cell: control characters as visible escapes, formula starts neutralised.

    >>> csv_text("=HYPERLINK(\"http://x\")"), csv_text("Ana\x1b[31m"), csv_text("-", raw=True)
    ('\'=HYPERLINK("http://x")', 'Ana\\x1b[31m', '-')
    """
    if raw:
        return text
    formula = text.startswith(FORMULA_START)
    text = text.translate(_CSV)
    return "'" + text if formula else text


def csv_safe(frame: pd.DataFrame, *, raw: bool = False) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells are safe in a spreadsheet (see :func:`csv_text`).

    Only text cells change: a number (``-0.5`` in a float column) stays a number.
    """
    if raw:
        return frame
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col].dtype):
            out[col] = out[col].map(lambda v: csv_text(v) if isinstance(v, str) else v)
    return out


def json_text(text: str) -> str:
    r"""JSON text (from ``json.dumps``) with DEL, C1 and bidi controls escaped as ``\u009b``."""
    return text.translate(_JSON)


@contextlib.contextmanager
def raw_cells(raw: bool) -> Iterator[None]:
    """Within the block, :func:`emit` writes CSV cells as stored (the CLI's ``--raw``)."""
    token = _raw.set(raw)
    try:
        yield
    finally:
        _raw.reset(token)


class SafeConsole(Console):
    """A rich Console whose ``print`` and ``status`` pass text through :func:`safe_text`
    (newlines kept)."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        super().print(*(safe_text(o, keep_newlines=True) if isinstance(o, str) else o
                        for o in objects), **kwargs)

    def status(self, status: Any, *args: Any, **kwargs: Any) -> Any:
        text = safe_text(status, keep_newlines=True) if isinstance(status, str) else status
        return super().status(text, *args, **kwargs)


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
    raw: bool | None = None,
) -> None:
    """Print ``frame`` (its first ``top`` rows) as a table, CSV or JSON.

    ``table_columns`` narrows what the terminal table shows; CSV and JSON keep every column.
    ``empty`` is the line a table prints instead when there are no rows. Text is made safe
    for the terminal and spreadsheets (see the module notes); ``raw=True`` writes CSV cells as
    stored (default: the CLI's ``--raw``, see :func:`raw_cells`).
    """
    stream = out or sys.stdout
    raw = _raw.get() if raw is None else raw
    if empty is not None and frame.empty and fmt == "table":
        stream.write(safe_text(empty) + "\n")
        return
    shown = frame.head(top) if top is not None else frame
    if fmt == "table" and table_columns:
        shown = shown[[c for c in table_columns if c in shown.columns]]
    if fmt == "json":
        stream.write(json_text(json.dumps(records(shown), ensure_ascii=False, indent=2)) + "\n")
    elif fmt == "csv":
        csv_safe(shown, raw=raw).to_csv(stream, index=False)
    else:
        console = Console(file=stream, soft_wrap=False, width=None if stream.isatty() else 200)
        table = Table(title=Text(safe_text(title)) if title else None, show_lines=False,
                      header_style="bold")
        for col in shown.columns:
            table.add_column(safe_text(col), overflow="fold")
        for row in zip(*(shown[c].tolist() for c in shown.columns), strict=True):
            table.add_row(*(Text(safe_text(_cell(v))) for v in row))  # Text: never read as markup
        console.print(table, markup=False, highlight=False)
        if top is not None and len(frame) > top:
            console.print(f"(showing {top} of {len(frame):,}; use --top to see more)",
                          markup=False, highlight=False)
