"""The one boundary every input value crosses: dates, whole numbers, fractions and names.

Every reader in :mod:`netgraph.sources` checks its values here, and ingest checks every parsed
file again before anything is written, so a value that passes can never break a later command.
A value outside these bounds rejects *its row*, with the reason; the rest of the file loads.

- **Dates** lie from 1 January 1900 to 100 years after today (:data:`DATE_MIN`,
  :func:`date_max`). Text dates are ISO 8601 (``2025-03-14``, ``2025-03-14T09:30:00``, with an
  optional ``Z`` or UTC offset, or the basic form ``20250314``); words such as ``now`` or
  ``today`` are not dates.
- **Whole numbers** fit their column: ``cadence_days`` runs from 1 to :data:`CADENCE_MAX_DAYS`.
- **Fractions** such as ``closeness`` lie from 0 to 1.
- **Names** lose bidirectional override characters (which can make text read backwards), and a
  name made only of invisible characters (zero-width spaces, a byte-order mark) is no name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from netgraph.sources.kinds import STORED_KINDS

if TYPE_CHECKING:
    from netgraph.sources.base import ParsedFile

__all__ = [
    "CADENCE_MAX_DAYS",
    "DATE_MIN",
    "STORED_KINDS",
    "YEARS_AHEAD",
    "check_parsed",
    "check_when",
    "clean_name",
    "date_max",
    "parse_iso_dates",
    "when_problem",
]

#: The earliest date netgraph accepts.
DATE_MIN = datetime(1900, 1, 1)
#: How far after today a date may lie (a planned meeting, a follow-up due date).
YEARS_AHEAD = 100
#: The longest contact rhythm a contact may declare, in days (100 years).
CADENCE_MAX_DAYS = 36_500

_ISO = re.compile(
    r"^\d{4}(-\d{2}-\d{2}|\d{4})"  # 2025-03-14 or 20250314
    r"([T ]\d{2}(:?\d{2}(:?\d{2}([.,]\d{1,9})?)?)?)?"  # T09, T09:30, T09:30:00.123
    r"(Z|[+-]\d{2}(:?\d{2})?)?$"  # Z, +02, +02:00, -0500
)
# Unicode bidirectional embedding, override and isolate controls
# text that :func:`clean_name` may change: control or format characters, line or paragraph
# separators, spaces other than U+0020, whitespace at either end, or nothing at all (RE2 syntax)
_ODD_TEXT = r"[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|[^\P{Zs} ]|^\s|\s$|^$"
# zero-width space, word joiner and byte-order mark: meaningless at either end of a name
_EDGE_INVISIBLE = "\u200b\u2060\ufeff"
_BIDI = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"), None)


def date_max(today: date | None = None) -> datetime:
    """The latest date netgraph accepts: :data:`YEARS_AHEAD` years after ``today``.

    >>> date_max(date(2026, 11, 30))
    datetime.datetime(2126, 11, 30, 0, 0)
    """
    today = today or date.today()
    try:
        return datetime(today.year + YEARS_AHEAD, today.month, today.day)
    except ValueError:  # 29 February
        return datetime(today.year + YEARS_AHEAD, today.month, 28)


def _window() -> str:
    return f"{DATE_MIN:%Y-%m-%d} to {date_max():%Y-%m-%d}"


def when_problem(value: datetime | date | None) -> str | None:
    """Why ``value`` is not an acceptable date, or None when it is.

    Aware datetimes are compared in UTC.

    >>> when_problem(datetime(2025, 3, 14))
    >>> when_problem(date(1, 1, 1))  # doctest: +ELLIPSIS
    'date 0001-01-01 is outside the accepted range (1900-01-01 to ...)'
    """
    if value is None:
        return "missing date"
    if isinstance(value, datetime):
        try:
            naive = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
        except (OverflowError, ValueError):  # shifting to UTC leaves years 1 to 9999
            return f"date {value.date().isoformat()} is outside the accepted range ({_window()})"
    elif isinstance(value, date):
        naive = datetime(value.year, value.month, value.day)
    else:
        return f"not a date: {value!r}"
    if DATE_MIN <= naive <= date_max():
        return None
    return f"date {naive.date().isoformat()} is outside the accepted range ({_window()})"


def check_when(value: datetime | date | None) -> datetime:
    """``value`` as a naive UTC datetime.

    Raises :class:`ValueError` with the reason when it lies outside the accepted window (for readers
    that reject one record at a time).
    """
    problem = when_problem(value)
    if problem:
        raise ValueError(problem)
    assert value is not None
    if isinstance(value, datetime):  # inside the window, so the shift to UTC cannot overflow
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    return datetime(value.year, value.month, value.day)


def parse_iso_dates(values: pd.Series, column: str) -> tuple[pd.Series, pd.Series]:
    """ISO 8601 text to naive UTC timestamps, and why each value that is not one fails.

    Returns ``(when, reasons)``, both aligned with ``values``: ``when`` is NaT and ``reasons``
    holds the reason where a present value is not an ISO 8601 date inside the window; both are
    missing where ``values`` is missing. A column of only the usual shapes (``2025-03-14``,
    ``2025-03-14 09:30:00`` or with a ``T``), every one a real date inside the window, is read with
    numpy (:func:`_plain_dates`); any other column goes through pandas' ISO 8601 parser whole, as
    pandas reads some values differently beside others. Both give the same result.

    >>> when, why = parse_iso_dates(pd.Series(["2025-03-14", "now", "-1", "9999-12-31", None]), "date")
    >>> [str(w.date()) if w is not pd.NaT else None for w in when]
    ['2025-03-14', None, None, None, None]
    >>> why.iloc[1]
    "unparseable date in 'date': now (use ISO 8601, e.g. 2025-03-14)"
    """
    text = _text_array(values)
    if text is None:
        return _parse_iso_dates_pandas(values, column)
    plain = _plain_dates(pc.utf8_trim_whitespace(text))
    read = ~np.isnat(plain)
    if not read.any() or (values.notna().to_numpy(dtype=bool) & ~read).any():
        # pandas reads a value differently beside others (offsets, fractions): all go to it
        return _parse_iso_dates_pandas(values, column)
    return pd.Series(plain, index=values.index), pd.Series(None, index=values.index, dtype=object)


def _text_array(values: pd.Series) -> pa.Array | pa.ChunkedArray | None:
    """``values`` as Arrow text (no copy when Arrow-backed), or None if they are not all text."""
    try:
        arr = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
        return None
    return arr


#: The usual date shapes, read by :func:`_plain_dates`: 2025-03-14, 2025-03-14 09:30:00 (or T09:30:00).
_PLAIN_DATE = r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}:\d{2})?$"


def _plain_dates(text: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Dates of the usual shapes inside the accepted window as ``datetime64[us]``; NaT elsewhere.

    Read digit by digit with numpy; a value that is not a real date and time (30 February, hour
    24, second 60), of another shape, or outside the window stays NaT, for pandas to judge.
    """
    out = np.full(len(text), np.datetime64("NaT"), dtype="datetime64[us]")
    hit = pc.fill_null(pc.match_substring_regex(text, _PLAIN_DATE), False).to_numpy(zero_copy_only=False)
    if not hit.any():
        return out
    idx = np.flatnonzero(hit)
    shaped = text if len(idx) == len(text) else text.take(pa.array(idx))
    widths = pc.binary_length(shaped).to_numpy(zero_copy_only=False)
    low, high = np.datetime64(DATE_MIN, "us"), np.datetime64(date_max(), "us")
    for width in (10, 19):
        sel = widths == width
        if not sel.any():
            continue
        same = shaped if sel.all() else shaped.filter(pa.array(sel))
        stamps, valid = _read_digits(_fixed_width(same, width))
        valid &= (stamps >= low) & (stamps <= high)
        out[idx[sel][valid]] = stamps[valid]
    return out


def _fixed_width(text: pa.Array | pa.ChunkedArray, width: int) -> np.ndarray:
    """The bytes of ASCII ``text`` whose values are all ``width`` long, one row per value."""
    chunks = text.chunks if isinstance(text, pa.ChunkedArray) else [text]
    rows = []
    for chunk in chunks:
        _, offsets_buf, data_buf = chunk.buffers()
        if not len(chunk):
            continue
        wide = np.int32 if pa.types.is_string(chunk.type) else np.int64
        start = int(np.frombuffer(offsets_buf, dtype=wide)[chunk.offset])
        data = np.frombuffer(data_buf, dtype=np.uint8)[start:start + len(chunk) * width]
        rows.append(data.reshape(len(chunk), width))
    return np.concatenate(rows) if len(rows) != 1 else rows[0]


def _read_digits(chars: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``YYYY-MM-DD`` or ``YYYY-MM-DD hh:mm:ss`` rows of bytes as ``datetime64[us]``, and which are real."""
    def number(*cols: int) -> np.ndarray:
        value = chars[:, cols[0]].astype(np.int32)
        value -= ord("0")
        for c in cols[1:]:
            value *= 10
            value += chars[:, c]
            value -= ord("0")
        return value

    year, month, day = number(0, 1, 2, 3), number(5, 6), number(8, 9)
    valid = (month >= 1) & (month <= 12) & (day >= 1)
    seconds = np.zeros(len(chars), dtype=np.int32)
    if chars.shape[1] == 19:
        hour, minute, second = number(11, 12), number(14, 15), number(17, 18)
        valid &= (hour < 24) & (minute < 60) & (second < 60)
        seconds = (hour * 60 + minute) * 60 + second
    year -= 1970
    year *= 12
    year += month - 1
    months = np.where(valid, year, 0).astype("datetime64[M]")
    dates = months.astype("datetime64[D]") + np.where(valid, day - 1, 0).astype("timedelta64[D]")
    valid &= dates.astype("datetime64[M]") == months  # the day exists in that month
    return dates.astype("datetime64[us]") + seconds.astype("timedelta64[s]"), valid


def _parse_iso_dates_pandas(values: pd.Series, column: str) -> tuple[pd.Series, pd.Series]:
    """:func:`parse_iso_dates` for any values, by pandas' ISO 8601 parser."""
    text = values.astype(object).where(values.notna(), None)
    trimmed = pc.utf8_trim_whitespace(pa.array(text.to_numpy(), type=pa.string(), from_pandas=True))
    shaped = pc.fill_null(pc.match_substring_regex(trimmed, _ISO.pattern), False)
    candidates = pd.Series(pc.if_else(shaped, trimmed, None).to_pandas().to_numpy(),
                           index=values.index, dtype=object)  # by position, whatever the index
    parsed = pd.to_datetime(candidates, format="ISO8601", errors="coerce", utc=True)
    parsed = pd.Series(parsed, index=values.index).dt.tz_localize(None)
    low, high = pd.Timestamp(DATE_MIN), pd.Timestamp(date_max())
    outside = parsed.notna() & ((parsed < low) | (parsed > high))
    reasons = pd.Series(None, index=values.index, dtype=object)
    unparsed = text.notna() & parsed.isna()
    reasons[unparsed] = (f"unparseable date in '{column}': " + text[unparsed].astype(str)
                         + " (use ISO 8601, e.g. 2025-03-14)")
    reasons[outside] = (f"date in '{column}' is outside the accepted range ({_window()}): "
                        + text[outside].astype(str))
    return parsed.where(~outside), reasons


def clean_name(value: str | None) -> str | None:
    r"""A name without bidirectional controls, or None when nothing visible is left.

    >>> clean_name("Dana\u202e Lee")
    'Dana Lee'
    >>> clean_name("\u200b\ufeff ") is None
    True
    """
    if value is None:
        return None
    text = value.translate(_BIDI).strip().strip(_EDGE_INVISIBLE).strip()
    if not any(_visible(ch) for ch in text):
        return None
    return text


def _visible(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return not (cat.startswith("Z") or cat in ("Cc", "Cf", "Cn", "Co", "Cs") or ch.isspace())


# -- the last check before ingest writes anything ------------------------------------------------

#: The date column of each kind of parsed rows.
_DATE_COLUMNS = {"interactions": "occurred_at", "introductions": "occurred_on", "followups": "due_on"}
#: Columns that name a person, per kind (``parts.ref`` for interactions too).
_REF_COLUMNS = {"interactions": ("from_ref",), "introductions": ("introducer_ref", "a_ref", "b_ref"),
                "followups": ("person_ref",)}
#: Display-name hints that are cleaned, never a reason to reject.
_HINT_COLUMNS = ("from_name",)


def check_parsed(pf: ParsedFile) -> ParsedFile:
    """``pf`` with every row whose values fall outside the bounds moved to its rejects.

    Every reader checks its own values; this is the one check all of them pass through before
    ingest writes, whatever the format, so a value that would break a later command never lands.
    Names and references lose bidirectional controls; a contact name, or a reference to a
    person, with no visible character rejects its row. Rows in stay rows in: a moved row counts
    as rejected.
    """
    rows = pf.rows
    if rows is None or rows.empty:
        return pf
    rows = rows.copy()
    reasons = pd.Series(None, index=rows.index, dtype=object)

    def fail(hit: pd.Series, why: Callable[[pd.Series], pd.Series] | str) -> None:
        """Give the rows in ``hit`` that have no reason yet ``why``.

        ``why`` is text, or a function of the rows' mask, called only when some row fails.
        """
        hit = hit.fillna(False).astype(bool) & reasons.isna()
        if hit.any():
            reasons[hit] = why if isinstance(why, str) else why(hit)

    col = _DATE_COLUMNS.get(pf.kind)
    if col in rows:
        when = pd.to_datetime(rows[col], errors="coerce")
        low, high = pd.Timestamp(DATE_MIN), pd.Timestamp(date_max())
        fail(rows[col].isna() | when.isna(), f"missing or unreadable date in '{col}'")
        outside = (when < low) | (when > high)
        fail(outside, lambda hit: f"date is outside the accepted range ({_window()}): "
             + rows.loc[hit, col].astype(str))
    if pf.kind == "interactions" and "kind" in rows:
        fail(~rows["kind"].isin(STORED_KINDS), lambda hit: "unknown kind of interaction '"
             + rows.loc[hit, "kind"].astype(str) + f"'; use one of {', '.join(STORED_KINDS)}")
    if pf.kind == "contacts":
        if "name" in rows:
            given = rows["name"].notna()
            rows["name"] = _clean_series(rows["name"])
            fail(given & rows["name"].isna(), "the name has no visible characters")
        if "cadence_days" in rows:
            cadence = pd.to_numeric(rows["cadence_days"], errors="coerce")
            fail(rows["cadence_days"].notna() & ~cadence.between(1, CADENCE_MAX_DAYS),
                 f"cadence_days must be a whole number of days from 1 to {CADENCE_MAX_DAYS:,}")
        if "closeness" in rows:
            close = pd.to_numeric(rows["closeness"], errors="coerce")
            fail(rows["closeness"].notna() & ~close.between(0, 1), "closeness must lie from 0 to 1")
    for ref in _REF_COLUMNS.get(pf.kind, ()):
        if ref in rows:
            given = rows[ref].notna()
            rows[ref] = _clean_series(rows[ref])
            fail(given & rows[ref].isna(), f"'{ref.removesuffix('_ref')}' names nobody visible")
    for hint in _HINT_COLUMNS:
        if hint in rows:
            rows[hint] = _clean_series(rows[hint])
    parts = pf.parts
    if parts is not None and not parts.empty:
        parts = parts.copy()
        given = parts["ref"].notna()
        parts["ref"] = _clean_series(parts["ref"])
        blank = given & parts["ref"].isna()
        if blank.any():
            fail(pd.Series(rows.index.isin(parts.loc[blank, "row"]), index=rows.index),
                 "a participant in 'to' has no visible characters")
            parts = parts[~blank]
        if "name" in parts:
            parts["name"] = _clean_series(parts["name"])
    hit = reasons.notna()
    if not hit.any():
        return replace(pf, rows=rows, parts=parts)
    lines = rows.loc[hit, "line"]
    raws = pf.raws(lines) if pf.source is not None else _render(rows.loc[hit])
    moved = pd.DataFrame({"line": lines.to_numpy(), "raw": raws, "reason": reasons[hit].to_numpy()})
    rejects = pd.concat([pf.rejects, moved], ignore_index=True).sort_values(
        "line", kind="stable", ignore_index=True)
    kept = rows.loc[~hit]
    if parts is not None:
        parts = parts[parts["row"].isin(kept.index)]
    return replace(pf, rows=kept, rejects=rejects, parts=parts)


def _clean_series(values: pd.Series) -> pd.Series:
    """:func:`clean_name` over a column.

    The usual column, all plain text, is returned as it is (same dtype); only values that hold a
    control, format or odd space character, or that start or end with whitespace, are cleaned one by
    one.
    """
    if values.empty:
        return values
    try:
        arr = pa.array(values, from_pandas=True)  # zero-copy for Arrow-backed text
        if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
            arr = arr.cast(pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):  # not all text
        odd_mask = values.map(lambda v: v is not None and v == v).to_numpy(dtype=bool)
    else:
        if _plain_ascii(arr):
            return values
        odd_mask = pc.fill_null(pc.match_substring_regex(arr, _ODD_TEXT), False).to_numpy(
            zero_copy_only=False)
    if not odd_mask.any():
        return values
    out = values.astype(object).where(values.notna(), None)
    for i in values.index[odd_mask]:
        out[i] = clean_name(str(out[i]))
    return out


def _plain_ascii(arr: pa.Array | pa.ChunkedArray) -> bool:
    """True when no value of ``arr`` matches :data:`_ODD_TEXT`, told from its bytes alone.

    That holds when every byte is printable ASCII (no control character, nothing beyond ASCII)
    and no value is empty or starts or ends with a space: the usual column of addresses. Read
    from each chunk's offsets and bytes, without making a string; False means "look closer".
    """
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    for chunk in chunks:
        if not len(chunk) or chunk.null_count == len(chunk):
            continue
        if not pa.types.is_string(chunk.type) and not pa.types.is_large_string(chunk.type):
            return False
        _, offsets_buf, data_buf = chunk.buffers()
        width = np.int32 if pa.types.is_string(chunk.type) else np.int64
        offsets = np.frombuffer(offsets_buf, dtype=width)[chunk.offset:chunk.offset + len(chunk) + 1]
        starts, ends = offsets[:-1], offsets[1:]
        if chunk.null_count:
            valid = chunk.is_valid().to_numpy(zero_copy_only=False)
            starts, ends = starts[valid], ends[valid]
        if (ends <= starts).any():
            return False  # an empty value: nothing at all
        data = np.frombuffer(data_buf, dtype=np.uint8)[offsets[0]:offsets[-1]]
        if ((data < 0x20) | (data > 0x7E)).any():
            return False
        data = np.frombuffer(data_buf, dtype=np.uint8)
        if (data[starts] == 0x20).any() or (data[ends - 1] == 0x20).any():
            return False
    return True


def _render(rows: pd.DataFrame) -> list[str]:
    """A row of a format without raw text lines (calendars, mail), written out as text."""
    cols = [c for c in rows.columns if c not in ("line", "body")]  # a body is read, never kept
    return ["; ".join(f"{c}={v}" for c, v in zip(cols, vals, strict=True) if v is not None)
            for vals in rows[cols].astype(object).where(rows[cols].notna(), None).itertuples(index=False)]
