"""Printing frames for the CLI: ``--format table|csv|json`` and ``--top N``, defined once.

Text from the store is never trusted on the way out (see :mod:`netgraph.report.escape`):
tables and messages (:class:`SafeConsole`) drop the control characters a terminal would act on,
CSV cells are made safe for spreadsheets (``--raw``: written as stored, see :func:`raw_cells`),
and JSON escapes every control character. JSON values are plain Python
(:func:`netgraph.report.values.records`).

Options whose choices, default or help come from a module that is slow to import (pandas behind
it) name them through :class:`LaterChoice` and :class:`LaterOption`, so that ``netgraph --help``
and the light commands never load that module; the value loads when it is shown or used.

Importing this module loads only click: rich loads when a table or a message is printed
(:class:`LazyConsole`), pandas and the escaping functions when a frame is. A listing handed
over as :class:`~netgraph.rows.Rows` (plain Python values) prints as a table or JSON
with no pandas loaded at all, and as JSON with no rich either.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import importlib
import inspect
import json
import json.encoder
import math
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

import click

from netgraph.report.escape import json_text, safe_text
from netgraph.report.values import json_value, plain_column, row_records
from netgraph.rows import Rows
from netgraph.store.values import plain

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

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


@functools.cache
def safe_console_type() -> type[Console]:
    """The rich Console whose ``print`` and ``status`` drop terminal control characters.

    Made (and rich loaded) on first use; text passes through ``safe_text``, newlines kept.
    """
    from rich.console import Console

    class SafeConsole(Console):
        """A rich Console whose ``print`` and ``status`` pass text through ``safe_text``."""

        def print(self, *objects: Any, **kwargs: Any) -> None:
            """Print as rich does, each text made safe first (newlines kept)."""
            super().print(*(safe_text(o, keep_newlines=True) if isinstance(o, str) else o
                            for o in objects), **kwargs)

        def status(self, status: Any, *args: Any, **kwargs: Any) -> Any:
            """A rich status display, its text made safe first (newlines kept)."""
            text = safe_text(status, keep_newlines=True) if isinstance(status, str) \
                else status
            return super().status(text, *args, **kwargs)

    return SafeConsole


class LazyConsole:
    """A safe console (:func:`safe_console_type`) made the first time it is used.

    Every attribute is the console's own, so it prints, shows a status and says whether it is
    a terminal as that console does; a command that prints JSON never loads rich.

    Parameters
    ----------
    **options
        The console's options (``stderr``, ``highlight``...), as rich's Console takes them.
    """

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    @property
    def console(self) -> Console:
        """The console itself, made on first use."""
        if self._console is None:
            self._console = safe_console_type()(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        """The console's attribute ``name``, the console made first if it is not yet."""
        return getattr(self.console, name)

    def __enter__(self) -> Console:
        """Enter the console as a context (rich's live displays do: ``with console:``)."""
        return self.console.__enter__()

    def __exit__(self, *exc: object) -> None:
        """Leave the console's context."""
        self.console.__exit__(*exc)


def _shown(value: Any) -> str:
    """A JSON-native value as a table shows it."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return str(value)


def _cell(value: Any) -> str:
    """A value (a frame's cell, or a plain one) as a table shows it."""
    if isinstance(value, datetime) and plain(value) is not None:  # pd.Timestamp too, not NaT
        return value.strftime("%Y-%m-%d")  # tables show the day; JSON and CSV keep the time
    return _shown(json_value(value))


#: One encoder for every object of a listing (``json.dumps`` with options makes one per call).
_ENCODER = json.JSONEncoder(ensure_ascii=False)


def json_list(records: Iterable[dict[str, Any]]) -> str:
    """A JSON list of objects, one object per line.

    Each object goes through the C encoder on its own (``indent`` would make ``json.dumps`` use
    the pure-Python one, ten times slower on a listing of 100,000 people); the list stays one
    JSON document, and each line one object, for ``grep`` and ``jq`` alike.
    """
    encode = _ENCODER.encode
    lines = [encode(r) for r in records]
    return "[\n  " + ",\n  ".join(lines) + "\n]" if lines else "[]"


_ENCODE_TEXT = json.encoder.encode_basestring  # what the encoder does to text (ensure_ascii=False)


def _float_json(value: float) -> str:
    """A float as the JSON encoder writes it (``allow_nan``: NaN and infinities by name)."""
    if value != value:
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    return float.__repr__(value)


#: How the encoder writes a value of each plain type; any other goes through the encoder whole.
_CELL_JSON: dict[type, Callable[[Any], str]] = {
    str: _ENCODE_TEXT, int: int.__repr__, float: _float_json, type(None): lambda _: "null",
    bool: lambda b: "true" if b else "false",
}


def _json_cells(values: Sequence[Any]) -> list[str]:
    """Each value of a column as JSON text, as the encoder writes it inside an object."""
    kinds = set(map(type, values))
    if kinds == {float} and all(map(math.isfinite, values)):  # no NaN or infinity to name
        return list(map(float.__repr__, values))
    if len(kinds) == 1 and (kind := next(iter(kinds))) in _CELL_JSON:  # most columns: one call
        return list(map(_CELL_JSON[kind], values))
    encode = _ENCODER.encode
    return [_CELL_JSON.get(type(v), encode)(v) for v in values]


def json_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """``json_list(row_records(columns, rows))``, the same text, a column at a time.

    A listing of 100,000 people has over a million cells: each column is turned into JSON text
    in one pass (text, numbers and None by the same functions the encoder uses), and each line
    is one ``%`` of a template that holds the keys. Columns that repeat a name go the slow way,
    as a dict keeps the last of them.
    """
    if len(set(columns)) != len(columns) or not rows:
        return json_list(row_records(columns, rows))
    values = [_json_cells(plain_column(column)) for column in zip(*rows, strict=True)]
    template = "{" + ", ".join(_ENCODE_TEXT(str(c)).replace("%", "%%") + ": %s"
                               for c in columns) + "}"
    lines = [template % cells for cells in zip(*values, strict=True)]
    return "[\n  " + ",\n  ".join(lines) + "\n]"


def json_listing(rows: Rows) -> str:
    """What ``--format json`` prints of ``rows``: a JSON list of objects, safe for a terminal."""
    return json_text(json_rows(rows.columns, rows.rows)) + "\n"


def _table(stream: TextIO, title: str | None, columns: Iterable[str], rows: Iterable[Iterable[str]],
           safe: Callable[[Any], str]) -> Console:
    """Print a rich table of text cells on ``stream``; returns its console, for a note after."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(file=stream, soft_wrap=False, width=None if stream.isatty() else 200)
    table = Table(title=Text(safe(title)) if title else None, show_lines=False,
                  header_style="bold")
    for col in columns:
        table.add_column(safe(col), overflow="fold")
    for row in rows:
        table.add_row(*(Text(safe(cell)) for cell in row))  # Text: never read as markup
    console.print(table, markup=False, highlight=False)
    return console


def _emit_rows(rows: Rows, fmt: str, top: int | None, *, title: str | None, stream: TextIO,
               table_columns: list[str] | None, empty: str | None) -> None:
    """Print :class:`Rows` as a table or JSON, as :func:`emit` prints a frame."""
    if empty is not None and rows.empty and fmt == "table":
        stream.write(safe_text(empty) + "\n")
        return
    shown = rows.head(top) if top is not None else rows
    if fmt == "json":
        stream.write(json_listing(shown))
        return
    if table_columns:
        shown = shown.select(table_columns)
    console = _table(stream, title, shown.columns,
                     ([_cell(v) for v in row] for row in shown.rows), safe_text)
    if top is not None and len(rows) > top:
        console.print(f"(showing {top} of {len(rows):,}; use --top to see more)",
                      markup=False, highlight=False)


def emit(
    frame: pd.DataFrame | Rows,
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
    stored (default: the CLI's ``--raw``, see :func:`raw_cells`). ``frame`` may be
    :class:`~netgraph.rows.Rows`: a table or JSON of them loads no pandas.
    """
    stream = out or sys.stdout
    if isinstance(frame, Rows):
        if fmt != "csv":
            _emit_rows(frame, fmt, top, title=title, stream=stream, table_columns=table_columns,
                       empty=empty)
            return
        frame = frame.to_frame()  # CSV cells are made safe by the frame's rules

    from netgraph.report.escape import csv_safe
    from netgraph.report.values import records

    raw = _raw.get() if raw is None else raw
    if empty is not None and frame.empty and fmt == "table":
        stream.write(safe_text(empty) + "\n")
        return
    shown = frame.head(top) if top is not None else frame
    if fmt == "table" and table_columns:
        shown = shown[[c for c in table_columns if c in shown.columns]]
    if fmt == "json":
        stream.write(json_text(json_list(records(shown))) + "\n")
    elif fmt == "csv":
        csv_safe(shown, raw=raw).to_csv(stream, index=False)
    else:
        cells = ([_cell(v) for v in row]
                 for row in zip(*(shown[c].tolist() for c in shown.columns), strict=True))
        console = _table(stream, title, shown.columns, cells, safe_text)
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
