"""Rows as JSON, for the CLI's ``--format json`` and the report's tables.

:func:`json_value` and :func:`records` both build on the one scalar converter,
:func:`netgraph.store.values.plain`. Pure: no store, no files.
"""

from __future__ import annotations

import sys
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from netgraph.store.values import plain

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["json_value", "records"]


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
    value = plain(value)
    if isinstance(value, datetime):  # pd.Timestamp too
        return value.isoformat() if (value.hour or value.minute or value.second) else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    np = sys.modules.get("numpy")  # an array only once numpy is loaded
    if isinstance(value, list | tuple) or (np is not None and isinstance(value, np.ndarray)):
        return [json_value(v) for v in value]
    return value


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
