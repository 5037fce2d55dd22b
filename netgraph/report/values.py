"""Rows as JSON, for the CLI's ``--format json`` and the report's tables.

:func:`json_value` and :func:`records` both build on the one scalar converter,
:func:`netgraph.store.values.plain`. Pure: no store, no files.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from netgraph.store.values import plain

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["json_value", "plain_column", "records", "row_records"]


#: Types JSON holds as they are.
_NATIVE = frozenset({str, int, bool, type(None)})


def json_value(value: Any) -> Any:
    """A JSON-native value: :func:`plain`, then dates as ISO text and sequences as lists.

    A timestamp at midnight is written as its day (``"2025-01-02"``), any other with its time.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> json_value(pd.Timestamp("2025-01-02")), json_value(datetime(2025, 1, 2, 9, 30))
    ('2025-01-02', '2025-01-02T09:30:00')
    >>> json_value(np.array([1, 2])), json_value(np.float64("nan"))
    ([1, 2], None)
    """
    kind = type(value)
    if kind in _NATIVE:  # most cells: nothing to convert (a listing has millions of them)
        return value
    if kind is float:
        return None if math.isnan(value) else value
    value = plain(value)
    if isinstance(value, datetime):  # pd.Timestamp too
        return value.isoformat() if (value.hour or value.minute or value.second) else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    np = sys.modules.get("numpy")  # an array only once numpy is loaded
    if isinstance(value, list | tuple) or (np is not None and isinstance(value, np.ndarray)):
        return [json_value(v) for v in value]
    return value


def plain_column(values: Sequence[Any]) -> Sequence[Any]:
    """Plain Python values as :func:`json_value` gives them, a whole column at once.

    A column of text, whole numbers and None is JSON as it is; one with floats only loses its
    NaNs; any other goes value by value.
    """
    kinds = set(map(type, values))
    if kinds <= _NATIVE:
        return values
    if kinds <= _NATIVE | {float}:
        return [None if type(v) is float and math.isnan(v) else v for v in values]
    return [json_value(v) for v in values]


def row_records(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
    """Rows of plain Python values as JSON-native dicts keyed by column (see :func:`json_value`).

    Examples
    --------
    >>> from datetime import date
    >>> row_records(["id", "score", "day"], [(1, float("nan"), date(2025, 1, 2))])
    [{'id': 1, 'score': None, 'day': '2025-01-02'}]
    """
    values = [plain_column(column) for column in zip(*rows, strict=True)]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-native dicts keyed by column name (see :func:`json_value`).

    Examples
    --------
    >>> import pandas as pd
    >>> records(pd.DataFrame({"id": [1], "score": [float("nan")]}))
    [{'id': 1, 'score': None}]
    """
    cols = list(frame.columns)
    values = [_json_column(frame.iloc[:, i]) for i in range(len(cols))]
    return [dict(zip(cols, row, strict=True)) for row in zip(*values, strict=True)]


def _json_column(column: pd.Series) -> list[Any]:
    """A column's values as :func:`json_value` gives them, whole columns of numbers at once."""
    import numpy as np

    kind = column.dtype.kind if isinstance(column.dtype, np.dtype) else None
    if kind in ("i", "u", "b"):
        return column.tolist()  # Python ints and bools already
    if kind == "f":
        return [None if v != v else v for v in column.tolist()]  # NaN is missing
    return [json_value(v) for v in column.tolist()]
