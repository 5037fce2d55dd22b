"""Plain Python values from numpy and pandas: the one scalar converter, and rows as JSON.

Frames hand out numpy scalars (``np.int64``, ``np.float64``, ``np.bool_``), ``NaN``, ``pd.NA``
and ``pd.NaT``, which JSON, GEXF and GraphML cannot hold. :func:`plain` turns one value into
plain Python with None for every flavour of missing; :func:`json_value` and :func:`records`
build on it for the CLI's ``--format json`` and the report's tables, and the graph exports
(:mod:`netgraph.report.export`) for their attributes. Pure: no store, no files.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["json_value", "plain", "records"]


def plain(value: Any) -> Any:
    """``value`` as a plain Python value: None when missing, a Python scalar for a numpy one.

    Parameters
    ----------
    value : Any
        One cell of a frame, or one attribute of a graph.

    Returns
    -------
    Any
        None for None, ``NaN``, ``pd.NA`` and ``pd.NaT``; ``int``, ``float``, ``bool`` or
        ``str`` for a numpy scalar (``.item()``); a ``pd.Timestamp`` for an ``np.datetime64``;
        anything else unchanged.

    Examples
    --------
    >>> plain(np.int64(3)), plain(np.float32(0.5)), plain(np.bool_(True)), plain(float("nan"))
    (3, 0.5, True, None)
    >>> plain(pd.NA), plain(pd.NaT), plain("Ana"), plain([1, 2])
    (None, None, 'Ana', [1, 2])
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
        return None if pd.isna(value) else value
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def json_value(value: Any) -> Any:
    """A JSON-native value: :func:`plain`, then dates as ISO text and sequences as lists.

    A timestamp at midnight is written as its day (``"2025-01-02"``), any other with its time.

    Examples
    --------
    >>> json_value(pd.Timestamp("2025-01-02")), json_value(datetime(2025, 1, 2, 9, 30))
    ('2025-01-02', '2025-01-02T09:30:00')
    >>> json_value(np.array([1, 2])), json_value(np.float64("nan"))
    ([1, 2], None)
    """
    value = plain(value)
    if isinstance(value, pd.Timestamp | datetime):
        return value.isoformat() if (value.hour or value.minute or value.second) else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, np.ndarray | list | tuple):
        return [json_value(v) for v in value]
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-native dicts keyed by column name (see :func:`json_value`).

    Examples
    --------
    >>> records(pd.DataFrame({"id": [1], "score": [float("nan")]}))
    [{'id': 1, 'score': None}]
    """
    cols = list(frame.columns)
    return [
        {c: json_value(v) for c, v in zip(cols, row, strict=True)}
        for row in zip(*(frame[c].tolist() for c in cols), strict=True)
    ]
