"""Shared reading for the CSV exports of other tools (LinkedIn, Google, Outlook).

Their header row is found by content, not at a fixed line; records after it become dicts keyed
by normalised column names; names lose emoji and decoration, placeholder emails are dropped, and
LinkedIn profile URLs and export dates are read in every spelling seen. A date outside the
accepted window (:mod:`netgraph.sources.bounds`) is no date: :func:`read_when` gives the reason,
and the record is rejected. The contacts and interactions frames they build are the ones ingest
accepts from netgraph's own CSV.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from netgraph._errors import InputFileError
from netgraph.sources import bounds
from netgraph.sources.base import ParsedFile, rejects_frame
from netgraph.sources.csv_table import CsvTable, Record, csv_records
from netgraph.sources.reading import TextFile, read_text

CONTACT_COLUMNS = (
    "line", "ext_id", "name", "emails", "phones", "company", "title", "city", "country", "tags",
    "category", "linkedin_url", "cadence_days", "closeness", "notes",
)

def header_key(cell: str) -> str:
    """A header cell as a column key: lower case, whitespace collapsed, no byte-order mark."""
    return " ".join(cell.strip().lstrip("\ufeff").lower().split())


@dataclass
class Table:
    """A CSV export read by :func:`read_table`: its header, its rows as dicts, and its bad records."""

    tf: TextFile
    header: list[str]  # lower-cased, whitespace-collapsed
    rows: list[tuple[int, dict[str, str]]]  # (line, {column: trimmed cell})
    bad: list[tuple[int, str, str]]
    source: CsvTable
    rows_in: int
    #: rows with no value in any cell, left out and counted as skipped
    blank: int = 0
    #: what reading noticed: columns that appear twice
    notes: list[str] = field(default_factory=list)


def read_table(path: str | Path, is_header: Callable[[set[str]], bool], what: str,
                max_preamble: int = 50) -> Table:
    """Read a CSV whose header row is found by content within the first ``max_preamble`` records.

    Records after it become dicts; malformed records go to ``bad``.
    """
    tf = read_text(path)
    records = csv_records(tf.text, keep_blank=True)
    start = next((i for i, r in enumerate(records[:max_preamble])
                  if r.error is None and is_header({header_key(f) for f in r.fields})), None)
    if start is None:
        msg = f"{tf.path}: no {what} header row found in the first {max_preamble} records"
        raise InputFileError(msg)
    header = [header_key(f) for f in records[start].fields]
    width = len(header)
    body: list[Record] = records[start + 1:]
    rows: list[tuple[int, dict[str, str]]] = []
    bad: list[tuple[int, str, str]] = []
    blank = 0
    joined: set[str] = set()
    for rec in body:
        if rec.error is None and not any(f.strip() for f in rec.fields):
            blank += 1  # a blank row such as ",,,,,," or one of spaces
            continue
        damage = tf.damage(rec.line, rec.raw)
        if damage:
            bad.append((rec.line, rec.raw, damage))
            continue
        if rec.error:
            bad.append((rec.line, rec.raw, rec.error))
        elif len(rec.fields) != width:
            reason = f"wrong column count: expected {width} fields, found {len(rec.fields)}"
            if len(rec.fields) < width:
                reason += " (the row is cut short)"
            bad.append((rec.line, rec.raw, reason))
        else:
            cells: dict[str, str] = {}
            for h, f in zip(header, rec.fields, strict=True):
                value = f.strip()
                if not h:
                    continue
                seen = cells.get(h)
                if not seen:
                    cells[h] = value
                elif value and value != seen:  # a column that appears twice: keep both values
                    cells[h] = f"{seen} ::: {value}"
                    joined.add(h)
            rows.append((rec.line, cells))
    counted = len(rows) + len(bad)
    source = CsvTable(list(records[start].fields), pd.DataFrame({"line": []}),
                      {r.line: r.raw for r in body}, bad, counted)
    notes = [f"column '{h}' appears twice; where both hold a value, the values are joined with "
             "' ::: '" for h in sorted(joined)]
    if blank:
        notes.append(f"skipped {blank} blank row(s)")
    return Table(tf, header, rows, bad, source, counted, blank, notes)


def contacts_file(table: Table, rows: list[dict[str, Any]],
                   rejects: list[tuple[int, str, str]], notes: list[str]) -> ParsedFile:
    """The contacts :class:`ParsedFile` for ``rows`` read from ``table``.

    Each row holds some of :data:`CONTACT_COLUMNS`; the others are None (empty lists for emails,
    phones and tags). ``notes`` follow the table's own.
    """
    base: dict[str, Any] = dict.fromkeys(CONTACT_COLUMNS)
    full = [{**base, "emails": [], "phones": [], "tags": [], **r} for r in rows]
    frame = pd.DataFrame(full, columns=list(CONTACT_COLUMNS))
    frame["line"] = frame["line"].astype(np.int64)
    frame["cadence_days"] = pd.array(frame["cadence_days"].tolist(), dtype="Int64")
    frame["closeness"] = pd.to_numeric(frame["closeness"]).astype(float)
    for col in ("ext_id", "name", "company", "title", "city", "country", "category",
                "linkedin_url", "notes"):
        frame[col] = frame[col].astype(object).where(frame[col].notna(), None)
    if note := table.tf.encoding_note():
        notes = [note, *notes]
    return ParsedFile(path=table.tf.path, kind="contacts", sha256=table.tf.sha256, rows=frame,
                      rejects=rejects_frame(rejects), rows_in=table.rows_in,
                      notes=[*table.notes, *notes], source=table.source, skipped=table.blank)


def interactions_file(table: Table, events: list[dict[str, Any]],
                       rejects: list[tuple[int, str, str]], notes: list[str],
                       sha256: str | None = None, rows_in: int | None = None) -> ParsedFile:
    """The interactions :class:`ParsedFile` for ``events`` read from ``table``, with their participants.

    Each event holds ``line``, ``occurred_at``, ``from_ref``, ``kind``, ``note``, a ``to`` list and
    optionally ``to_names``. With ``rows_in`` the events come from another file's rows (LinkedIn
    connections), so the table's notes and blank rows are not counted again.
    """
    rows = pd.DataFrame({
        "line": np.array([e["line"] for e in events], dtype=np.int64),
        "occurred_at": pd.Series([e["occurred_at"] for e in events], dtype="datetime64[us]"),
        "from_ref": pd.Series([e["from_ref"] for e in events], dtype="str"),
        "kind": pd.Series([e["kind"] for e in events], dtype="str"),
        "note": pd.Series([e["note"] for e in events], dtype="str"),
    })
    rows["from_name"] = pd.Series([e.get("from_name") for e in events], dtype=object)
    parts = pd.DataFrame({
        "row": np.array([i for i, e in enumerate(events) for _ in e["to"]], dtype=np.int64),
        "ref": pd.Series([r for e in events for r in e["to"]], dtype="str"),
        "name": pd.Series([n for e in events for n in _names_for(e)], dtype=object),
    })
    own = rows_in is None  # the table's own file, not events derived from its contacts
    return ParsedFile(path=table.tf.path, kind="interactions", sha256=sha256 or table.tf.sha256,
                      rows=rows, rejects=rejects_frame(rejects),
                      rows_in=table.rows_in if own else rows_in,
                      notes=[*table.notes, *notes] if own else notes, parts=parts,
                      source=table.source, skipped=table.blank if own else 0)


def _names_for(event: dict[str, Any]) -> list[str | None]:
    """Display names beside the ``to`` references, where the file gives one per reference."""
    names = event.get("to_names") or []
    return list(names) if len(names) == len(event["to"]) else [None] * len(event["to"])


_EMOJI_RANGES = ((0xFE00, 0xFE0F), (0x1F3FB, 0x1F3FF), (0xE0020, 0xE007F))


def _is_emoji(ch: str) -> bool:
    cp = ord(ch)
    if any(lo <= cp <= hi for lo, hi in _EMOJI_RANGES):
        return True
    return unicodedata.category(ch) in ("So", "Cs", "Cf")


def clean_name(*parts: str | None) -> str | None:
    """Join name parts; drop emoji and decorations, collapse whitespace.

    None when nothing visible is left (empty, or only zero-width characters and byte-order marks).
    """
    text = " ".join(p for p in parts if p)
    stripped = "".join(ch for ch in text if not _is_emoji(ch))
    out = " ".join(stripped.split()) or " ".join(text.split())
    return bounds.clean_name(out)


def clean_emails(values: Iterable[str | None]) -> list[str]:
    """Trimmed, de-duplicated addresses.

    LinkedIn placeholders (``urn:li:...``) and anything without an ``@`` are dropped.
    """
    out: list[str] = []
    for v in values:
        v = (v or "").strip().strip("<>").strip()
        if not v or v.lower().startswith("urn:") or "@" not in v or " " in v:
            continue
        if v.casefold() not in {e.casefold() for e in out}:
            out.append(v)
    return out


def profile_url(url: str | None) -> str | None:
    """A LinkedIn profile URL in one spelling: https, lower-case host, no query or trailing slash.

    ``None`` for empty or non-LinkedIn values.
    """
    url = (url or "").strip()
    m = re.match(r"(?i)^(?:https?://)?(?:[a-z]{2,3}\.)?(?:www\.)?linkedin\.com(/[^?#\s]*)", url)
    if not m:
        return None
    path = m.group(1).rstrip("/")
    return f"https://www.linkedin.com{path}" if path else None


_DATE_FORMATS = (
    "%d %b %Y", "%d %B %Y", "%m/%d/%y, %I:%M %p", "%m/%d/%Y, %I:%M %p", "%m/%d/%y %I:%M %p",
    "%m/%d/%y", "%m/%d/%Y", "%Y-%m-%d %H:%M:%S UTC", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M UTC", "%Y-%m-%d",
)


def _strptime(text: str) -> datetime | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def parse_when(text: str | None) -> datetime | None:
    """A LinkedIn date or date-time (all export spellings seen) as naive UTC.

    None if unreadable or outside the accepted window (:func:`netgraph.sources.bounds.when_problem`).
    """
    return read_when(text, "date")[0]


def read_when(text: str | None, column: str) -> tuple[datetime | None, str | None]:
    """``(date, None)`` for a LinkedIn date or date-time in the accepted window, else ``(None, reason)``.

    The reason says missing, unreadable (words such as ``now`` are not dates), or out of range.

    >>> read_when("31 Dec 9999", "Connected On")[1]  # doctest: +ELLIPSIS
    "'Connected On': date 9999-12-31 is outside the accepted range (1900-01-01 to ...)"
    """
    given = (text or "").strip()
    if not given:
        return None, f"missing '{column}' date"
    when = _strptime(" ".join(given.split()))
    if when is None:
        return None, f"unparseable date in '{column}': {given!r}"
    problem = bounds.when_problem(when)
    if problem:
        return None, f"'{column}': {problem}"
    return when, None
