"""Printing frames for the CLI: ``--format table|csv|json`` and ``--top N``, defined once.

Text from the store is never trusted on the way out (see :mod:`netgraph.report.escape`):
tables and messages (:class:`SafeConsole`) drop the control characters a terminal would act on,
CSV cells are made safe for spreadsheets (``--raw``: written as stored, see :func:`raw_cells`),
and JSON escapes every control character. JSON values are plain Python
(:func:`netgraph.report.values.records`).

Options whose choices, default or help come from a module that is slow to import (pandas behind
it) name them through :class:`LaterChoice` and :class:`LaterOption`, so that ``netgraph --help``
and the light commands never load that module; the value loads when it is shown or used.

Importing this module loads only click and rich's console: pandas and the escaping functions load
when something is printed.
"""

from __future__ import annotations

import contextlib
import contextvars
import importlib
import inspect
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

import click
from rich.console import Console

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("table", "csv", "json")

_raw: contextvars.ContextVar[bool] = contextvars.ContextVar("netgraph_raw_cells", default=False)


@contextlib.contextmanager
def raw_cells(raw: bool) -> Iterator[None]:
    """Within the block, :func:`emit` writes CSV cells as stored (the CLI's ``--raw``)."""
    token = _raw.set(raw)
    try:
        yield
    finally:
        _raw.reset(token)


class SafeConsole(Console):
    """A rich Console whose ``print`` and ``status`` pass text through :func:`safe_text`.

    Newlines are kept.
    """

    def print(self, *objects: Any, **kwargs: Any) -> None:
        """Print as rich does, each text made safe first (newlines kept)."""
        from netgraph.report.escape import safe_text

        super().print(*(safe_text(o, keep_newlines=True) if isinstance(o, str) else o
                        for o in objects), **kwargs)

    def status(self, status: Any, *args: Any, **kwargs: Any) -> Any:
        """A rich status display, its text made safe first (newlines kept)."""
        from netgraph.report.escape import safe_text

        text = safe_text(status, keep_newlines=True) if isinstance(status, str) else status
        return super().status(text, *args, **kwargs)


def _cell(value: Any) -> str:
    import pandas as pd

    from netgraph.report.values import json_value

    if isinstance(value, pd.Timestamp | datetime) and not pd.isna(value):
        return value.strftime("%Y-%m-%d")  # tables show the day; JSON and CSV keep the time
    value = json_value(value)
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
    from rich.table import Table
    from rich.text import Text

    from netgraph.report.escape import csv_safe, json_text, safe_text
    from netgraph.report.values import records

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


# -- option values that load when they are shown or used -----------------------------------------


def later(module: str, name: str) -> Callable[[], Any]:
    """A function returning ``name`` from ``module``, which is imported only when it is called.

    Parameters
    ----------
    module
        The dotted name of the module that defines the value.
    name
        The value's name in that module.

    Returns
    -------
    Callable[[], Any]
        A function of no argument that imports ``module`` and returns its ``name``.
    """

    def load() -> Any:
        return getattr(importlib.import_module(module), name)

    load.__qualname__ = f"later({module}.{name})"
    return load


class LaterChoice(click.Choice):
    """A :class:`click.Choice` whose choices load on first use: in the help, or when parsing.

    Parameters
    ----------
    load
        A function returning the choices, such as ``later("netgraph.report.export", "FORMATS")``.
    case_sensitive
        As for :class:`click.Choice`.
    """

    def __init__(self, load: Callable[[], Iterable[Any]], case_sensitive: bool = True) -> None:
        self._load: Callable[[], Iterable[Any]] | None = load
        self._choices: tuple[Any, ...] = ()
        self.case_sensitive = case_sensitive

    @property
    def choices(self) -> tuple[Any, ...]:  # type: ignore[override]
        """The choices, loaded the first time they are asked for."""
        if self._load is not None:
            self._choices, self._load = tuple(self._load()), None
        return self._choices

    @choices.setter
    def choices(self, values: Iterable[Any]) -> None:
        self._choices, self._load = tuple(values), None


class LaterOption(click.Option):
    """A :class:`click.Option` whose default and help may load when first shown or used.

    Give ``default`` as a function (see :func:`later`): the help then shows its value where a
    plain click option would show "(dynamic)". Give ``help_later``, a function returning the
    help text, for help that names such a value.
    """

    def __init__(self, *args: Any, help_later: Callable[[], str] | None = None, **kwargs: Any) -> None:
        self._help_later = help_later
        self._help: str | None = None
        super().__init__(*args, **kwargs)

    @property
    def help(self) -> str | None:  # type: ignore[override]
        """The help text, built on first use when it was given as ``help_later``."""
        if self._help_later is not None:
            self._help, self._help_later = inspect.cleandoc(self._help_later()), None
        return self._help

    @help.setter
    def help(self, text: str | None) -> None:
        self._help = text

    def get_default(self, ctx: click.Context, call: bool = True) -> Any:
        """The default value, loaded even when click asks for it uncalled (for the help)."""
        return super().get_default(ctx, call=True)
