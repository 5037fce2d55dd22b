"""The one scalar converter: plain Python values from what frames and DuckDB hand out.

Frames hand out numpy scalars (``np.int64``, ``np.float64``, ``np.bool_``), ``NaN``, ``pd.NA``
and ``pd.NaT``, which JSON, GEXF, GraphML and the merge log cannot hold. :func:`plain` turns
one value into plain Python, with None for every flavour of missing. It lives with the store,
the lowest stage that hands such values out, so identity, ingest, report and cli share it.
"""

from __future__ import annotations

import math
import sys
from typing import Any

__all__ = ["plain"]


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
    >>> import numpy as np, pandas as pd
    >>> plain(np.int64(3)), plain(np.float32(0.5)), plain(np.bool_(True)), plain(float("nan"))
    (3, 0.5, True, None)
    >>> plain(pd.NA), plain(pd.NaT), plain("Ana"), plain([1, 2])
    (None, None, 'Ana', [1, 2])
    """
    if value.__class__ is str:  # the usual cell, by far
        return value
    # a value can be a numpy or pandas one only once those are loaded: plain values (a listing
    # read without pandas) are converted without loading them
    pd, np = sys.modules.get("pandas"), sys.modules.get("numpy")
    if value is None or (pd is not None and (value is pd.NA or value is pd.NaT)):
        return None
    if np is not None and isinstance(value, np.datetime64):
        import pandas as pd

        value = pd.Timestamp(value)
        return None if pd.isna(value) else value
    if np is not None and isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
