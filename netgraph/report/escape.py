r"""Text made safe for spreadsheets and terminals, and JSON that shows what it holds.

Text from the store (names, notes, file names) is never trusted on the way out:

- **Tables and messages** (:func:`safe_text`) drop control characters that a terminal would act
  on: C0 (tab, newline and carriage return become a space; messages keep their newlines), DEL,
  C1 (U+0080-U+009F, e.g. U+009B, a one-byte CSI) and the bidirectional overrides and isolates
  (U+202A-U+202E, U+2066-U+2069). A name holding ``ESC]0;...BEL`` cannot retitle the terminal.
- **CSV** (:func:`csv_text`, :func:`csv_safe`) writes those characters as visible escapes:
  ``\x1b`` for ESC, ``\x9b``, ``\x7f``, ``\x0d``, ``\u202e`` (tab and newline stay, CSV
  quoting holds them; a bare carriage return would split the row in many readers). By OWASP's
  rule against formula injection, a text cell that starts with ``=``, ``+``, ``-``, ``@``, tab
  or carriage return gets a leading ``'`` (``=HYPERLINK(...)`` is written
  ``'=HYPERLINK(...)``). Numbers are left as they are. ``raw=True`` (the CLI's ``--raw``) writes
  cells as stored. Re-importing such a CSV keeps the ``'``.
- **JSON** (:func:`json_text`) escapes every control character, C0 by ``json.dumps`` and DEL,
  C1 and the bidi controls here (``\u009b``), so a value reads back exactly as stored.

The CLI's listings (:mod:`netgraph.cli.output`) and the CSV exports
(:mod:`netgraph.report.export`) both write through these functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FORMULA_START", "csv_safe", "csv_text", "json_text", "safe_text"]

_BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_CONTROLS = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), *_BIDI]
_WHITE = (0x09, 0x0A, 0x0D)
_TERMINAL = {c: (" " if c in _WHITE else None) for c in _CONTROLS}
_MESSAGE = {**_TERMINAL, 0x0A: "\n"}
_CSV = {c: (f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}") for c in _CONTROLS if c not in (0x09, 0x0A)}
_JSON = {c: f"\\u{c:04x}" for c in (0x7F, *range(0x80, 0xA0), *_BIDI)}
#: A text cell starting with one of these is read as a formula by spreadsheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
    import pandas as pd  # only here: the text functions serve the command line without pandas

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
