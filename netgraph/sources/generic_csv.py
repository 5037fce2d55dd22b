"""netgraph's own CSV format: contacts, interactions, introductions and follow-ups.

It is the format of last resort: a file that no other format claims is read as one
(:func:`looks_like`). The kind of file is told from its header (see :data:`KINDS`); ``kind=``
overrides that. Parsing checks what can be checked without the store (dates, required fields,
allowed values, column counts) and returns normalised frames; rows that fail keep their line,
raw text and reason. References to people (``from``, ``to``, ``introducer``...) stay as text
here: the ingest step resolves them against the store.

Header cells are matched trimmed and case-blind (``Email`` is ``email``). When a header names
a column more than once, nothing is dropped: the repeated columns are combined row by row.
Where only one of them holds a value, that value is used; where several do, a list column
(:data:`LIST_COLUMNS`: ``email``, ``phone``, ``tags``, ``to``, ``needs``, ``offers``, whose
values are separated by ``;``) gets the distinct values of all of them, and any other column
keeps the row only when the values agree (else the row is rejected: "column 'company' appears
twice (columns 4 and 7) with different values"). Columns with an empty header cell (Excel
writes them at the end of a row) are ignored, with a note that says how many rows held values
in them. Rows that are blank (only whitespace or empty cells, such as ``,,,``) are skipped and
counted as skipped, with a note; empty lines are not rows.
"""

from __future__ import annotations

import itertools
import stat
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from netgraph._errors import InputFileError
from netgraph.sources import duck_csv, pieces
from netgraph.sources.base import ParsedFile, rejects_frame
from netgraph.sources.bounds import CADENCE_MAX_DAYS, DATE_MIN, date_max, parse_iso_dates
from netgraph.sources.csv_table import CsvTable, may_need_trim, normalise_header, read_csv_table
from netgraph.sources.kinds import INTERACTION_KINDS
from netgraph.sources.reading import TextFile, check_file, read_text

INTRO_STATUSES = ("requested", "made", "declined", "converted")
FOLLOWUP_STATUSES = ("open", "done")
CATEGORIES = ("target", "connector", "general")

#: kind -> (required columns, optional columns)
KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "contacts": (
        ("name",),
        ("id", "email", "phone", "company", "title", "city", "country", "tags", "category",
         "linkedin_url", "cadence_days", "closeness", "notes", "needs", "offers"),
    ),
    "interactions": (("date", "to"), ("from", "kind", "note")),
    "introductions": (("date", "introducer", "a", "b"), ("status", "value", "note")),
    "followups": (("due", "person"), ("note", "status")),
}


def detect_kind(header: list[str]) -> str | None:
    """The generic-CSV kind whose required columns the (normalised) header has, or None."""
    cols = set(header)
    for kind in ("introductions", "followups", "interactions", "contacts"):
        if set(KINDS[kind][0]) <= cols:
            return kind
    return None


def looks_like(text_head: str) -> bool:
    """Always True: netgraph's own CSV is the format of last resort.

    Every file that no other format claims is read as one; its header then says which kind it
    is, or :func:`parse` says why it cannot tell.

    Parameters
    ----------
    text_head
        The first lines of the file (unused).

    Returns
    -------
    bool
        True.
    """
    return True


def _expected() -> str:
    return "; ".join(f"{k}: {','.join(req + opt)}" for k, (req, opt) in KINDS.items())


#: Columns that hold several values separated by ``;`` (combined when a header repeats them).
LIST_COLUMNS = ("email", "phone", "tags", "to", "needs", "offers")


def _numbers(items: list[int]) -> str:
    """[2, 3, 5] -> '2, 3 and 5'."""
    return ", ".join(map(str, items[:-1])) + f" and {items[-1]}"


def _listed(names: list[str], most: int = 12) -> str:
    more = f" and {len(names) - most:,} more" if len(names) > most else ""
    return ", ".join(names[:most]) + more


def _join_lists(values: list[object]) -> str:
    """The distinct ``;``-separated items of ``values`` (case-blind), in order, joined by ``;``."""
    seen: dict[str, str] = {}
    for value in values:
        if isinstance(value, str):
            for item in value.split(";"):
                item = item.strip()
                if item and item.casefold() not in seen:
                    seen[item.casefold()] = item
    return ";".join(seen.values())


def _combine_columns(
    frame: pd.DataFrame, header: list[str], known: tuple[str, ...]
) -> tuple[pd.DataFrame, pd.Series, list[str]]:
    """One column per known header name, repeated ones combined; unnamed and unknown ones dropped.

    See the module docstring. Returns (frame, reasons for rows whose repeats disagree, notes).
    """
    reasons = pd.Series(None, index=frame.index, dtype=object)
    notes: list[str] = []
    positions: dict[str, list[int]] = {}
    for i, name in enumerate(header):
        positions.setdefault(name, []).append(i)
    cells = frame.iloc[:, 1:]
    columns: dict[str, pd.Series] = {"line": frame.iloc[:, 0]}
    unnamed = positions.pop("", [])
    if unnamed:
        held = cells.iloc[:, unnamed].notna()
        rows = int(held.any(axis=1).sum())
        if rows:
            notes.append(f"ignored values in {int(held.any(axis=0).sum())} unnamed column(s) on "
                         f"{rows:,} row(s): give those columns a header to read them")
        else:
            notes.append(f"ignored {len(unnamed)} unnamed column(s) (empty header cells)")
    combined = []
    for name, cols in positions.items():
        if name not in known:
            continue  # ignored, with a note (a column named "line" must not hide the line numbers)
        value = cells.iloc[:, cols[0]]
        if len(cols) > 1:
            numbers = [c + 1 for c in cols]
            combined.append(f"{name} (columns {_numbers(numbers)})")
            repeats = cells.iloc[:, cols]
            for c in cols[1:]:
                value = value.where(value.notna(), cells.iloc[:, c])
            several = repeats.notna().sum(axis=1) > 1
            if several.any():
                both = repeats[several]
                if name in LIST_COLUMNS:
                    value = value.copy()
                    value[several] = [_join_lists(list(r)) for r in both.itertuples(index=False)]
                else:
                    differ = [len({v for v in r if isinstance(v, str)}) > 1
                              for r in both.itertuples(index=False)]
                    times = "twice" if len(cols) == 2 else f"{len(cols)} times"
                    reasons[both.index[differ]] = (f"column '{name}' appears {times} (columns "
                                                   f"{_numbers(numbers)}) with different values")
        columns[name] = value
    if combined:
        notes.append("combined repeated column(s): " + "; ".join(combined))
    return pd.DataFrame(columns), reasons, notes


def parse(path: str | Path, kind: str | None = None) -> ParsedFile:
    """Parse one generic CSV file.

    A large interactions file is read in pieces (see :mod:`netgraph.sources.pieces`): the
    returned file then carries its rows in :attr:`ParsedFile.pieces`, read as they are written.
    Raises :class:`InputFileError` when the file cannot be read at all or its header fits no
    kind; every other problem rejects only the row it is in.
    """
    return _in_pieces(path, kind) or parse_text(read_text(path), kind)


def _header_kind(tf: TextFile, table: CsvTable, kind: str | None) -> tuple[list[str], str, list[str]]:
    """The normalised header, the file's kind and the notes its header gives.

    Raises :class:`InputFileError` when there is no header, or it fits no kind.
    """
    if not table.header:
        msg = f"{tf.path}: no header row found"
        raise InputFileError(msg)
    header = normalise_header(table.header)
    detected = detect_kind(header)
    kind = kind or detected
    if kind is None:
        msg = (
            f"{tf.path}: cannot tell what kind of file this is from its header "
            f"({', '.join(table.header)}). Expected columns for {_expected()}. "
            "Rename the columns or pass --kind."
        )
        raise InputFileError(msg)
    if kind not in KINDS:
        msg = f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}"
        raise InputFileError(msg)
    required, optional = KINDS[kind]
    missing = [c for c in required if c not in header]
    if missing:
        msg = (
            f"{tf.path}: a {kind} file needs the column(s) {', '.join(missing)}; "
            f"the header has {', '.join(table.header)}"
        )
        raise InputFileError(msg)
    notes = [note] if (note := tf.encoding_note()) else []
    if table.delimiter == "\t":
        notes.append("read as tab-separated")
    unknown = list(dict.fromkeys(c for c in header if c and c not in required + optional))
    if unknown:
        notes.append(f"ignored column(s): {_listed(unknown)}")
    return header, kind, notes


def parse_text(tf: TextFile, kind: str | None = None, *, blank_note: bool = True) -> ParsedFile:
    """Parse the decoded text of a generic CSV file (see :func:`parse`).

    ``blank_note=False`` leaves out the note that counts blank rows (a piece of a file: the file
    counts them all).
    """
    table = read_csv_table(tf)
    header, kind, notes = _header_kind(tf, table, kind)
    required, optional = KINDS[kind]
    frame = table.frame
    frame.columns = ["line", *header]
    frame, conflicts, combine_notes = _combine_columns(frame, header, required + optional)
    notes += combine_notes
    for col in required + optional:
        if col not in frame.columns:
            frame[col] = pd.Series(None, index=frame.index, dtype="str")

    rows, reasons, parts = _VALIDATORS[kind](frame)
    reasons = conflicts.where(conflicts.notna(), reasons)
    if tf.bad_lines:  # bytes that are not text: the record is damaged, whatever else it has
        damaged = _damaged(tf, table, frame["line"])
        reasons = damaged.where(damaged.notna(), reasons)
        table.bad = [(line, raw, tf.damage(line, raw) or why) for line, raw, why in table.bad]
    hit = reasons.notna()
    lines = frame.loc[hit, "line"]
    rejects = rejects_frame([*table.bad, *zip(lines, table.raws(lines), reasons[hit], strict=True)])
    rows = rows.loc[~hit]
    if parts is not None:
        parts = parts[parts["row"].isin(rows.index)]
    if table.blank and blank_note:
        notes.append(blank_rows_note(table.blank))
    return ParsedFile(path=tf.path, kind=kind, sha256=tf.sha256, rows=rows, rejects=rejects,
                      rows_in=table.rows_in, notes=notes, parts=parts, source=table,
                      skipped=table.blank)


def blank_rows_note(n: int) -> str:
    """The note of a file with ``n`` blank rows."""
    return f"skipped {n:,} blank row(s)"


# -- large files, in pieces ------------------------------------------------------------------------
#: The kinds read in pieces when the file is large: the ones with millions of rows, whose rows
#: stand alone (a contact row may merge with any other row of its file).
PIECE_KINDS = ("interactions",)


def _in_pieces(path: str | Path, kind: str | None) -> ParsedFile | None:
    """``path`` as a file whose rows come in pieces, or None when it is to be read whole.

    The header is checked now, so a file that fits no kind fails before anything is written.
    """
    p = Path(path)
    try:
        st = p.stat()
    except OSError:
        return None  # reading it whole says what is wrong
    if not stat.S_ISREG(st.st_mode) or st.st_size < pieces.STREAM_ABOVE:
        return None
    check_file(p)  # the size limit and an empty file, as for any file
    found = pieces.survey(p)
    if found is None:
        return None
    head = TextFile(p, found.header + "\n", found.sha256, "utf-8")
    header_table = read_csv_table(head)
    header, kind, notes = _header_kind(head, header_table, kind)
    if kind not in PIECE_KINDS:
        return None
    whole = ParsedFile(path=p, kind=kind, sha256=found.sha256,
                       rows=pd.DataFrame({"line": pd.Series([], dtype=np.int64)}),
                       rejects=rejects_frame([]), rows_in=0, notes=notes, size=found.size)
    whole.pieces = lambda: _pieces(found, kind, whole)
    whole.fast = duck_csv.plan(found, header, header_table.delimiter, (DATE_MIN, date_max()))
    whole.lines = lambda lines: _line_pieces(found, kind, whole, lines)
    return whole


def _pieces(found: pieces.Survey, kind: str, whole: ParsedFile) -> Iterator[ParsedFile]:
    """Each piece of a surveyed file parsed, its lines the file's; ``whole`` gains the file's notes.

    A piece is parsed as a small file: the header line, then the piece's lines. When the last
    piece has been read, ``whole`` gains the notes of the pieces (each once) and the count of
    blank rows.
    """
    blank = 0
    seen = set(whole.notes)
    read_to = found.body_at
    for first, data in pieces.pieces(found):
        tf = TextFile(found.path, found.header + "\n" + data.decode("utf-8"), found.sha256, "utf-8")
        piece = parse_text(tf, kind, blank_note=False)
        shift = first - 2  # the piece's line 2 is the file's line `first`
        piece.rows["line"] += shift
        piece.rejects["line"] += shift
        piece.source = pieces.Shifted(piece.source, shift)
        read_to += len(data)
        piece.read_to = read_to
        blank += _hand_notes(piece, whole, seen)
        yield piece
    if blank:
        whole.notes.append(blank_rows_note(blank))
    whole.skipped = blank


def _hand_notes(piece: ParsedFile, whole: ParsedFile, seen: set[str]) -> int:
    """Move the piece's notes to its file (each note once); returns the piece's blank rows."""
    for note in piece.notes:
        if note not in seen:
            seen.add(note)
            whole.notes.append(note)
    piece.notes = []
    return piece.skipped


#: The most lines of one piece of :func:`_line_pieces`.
LINE_PIECE = 500_000


def _line_pieces(found: pieces.Survey, kind: str, whole: ParsedFile,
                 lines: np.ndarray) -> Iterator[ParsedFile]:
    """The file's ``lines`` (increasing, one record each) parsed as pieces, lines numbered as in the file.

    The rows of a file read by DuckDB (:mod:`netgraph.sources.duck_csv`) that it did not find
    usual are read here as any row is; ``whole`` gains their notes and blank rows, as in
    :func:`_pieces`.
    """
    blank = whole.skipped
    seen = set(whole.notes)
    found_lines = pieces.lines_at(found, lines)
    while True:
        taken = list(itertools.islice(found_lines, LINE_PIECE))
        if not taken:
            break
        numbers = np.array([n for n, _ in taken], dtype=np.int64)
        text = "\n".join([found.header, *(t for _, t in taken)]) + "\n"
        piece = parse_text(TextFile(found.path, text, found.sha256, "utf-8"), kind, blank_note=False)
        piece.rows["line"] = numbers[piece.rows["line"].to_numpy(dtype=np.int64) - 2]
        piece.rejects["line"] = numbers[piece.rejects["line"].to_numpy(dtype=np.int64) - 2]
        piece.source = pieces.Remapped(piece.source, numbers)
        blank += _hand_notes(piece, whole, seen)
        yield piece
    if blank > whole.skipped:
        whole.notes.append(blank_rows_note(blank))
    whole.skipped = blank


def _damaged(tf: TextFile, table: CsvTable, lines: pd.Series) -> pd.Series:
    """Why each row (starting on ``lines``) is damaged, by :meth:`TextFile.damage`; None if not.

    Records never overlap, so a damaged line can only lie in the last record that starts on or
    before it: only those records are checked, however many rows the file has.
    """
    starts = lines.to_numpy(dtype=np.int64)
    out = np.full(len(starts), None, dtype=object)
    order = np.argsort(starts, kind="stable")
    bad = np.fromiter(tf.bad_lines, dtype=np.int64, count=len(tf.bad_lines))
    at = np.searchsorted(starts[order], bad, side="right") - 1
    for i in np.unique(order[at[at >= 0]]):
        line = int(starts[i])
        out[i] = tf.damage(line, table.raws([line])[0])
    return pd.Series(out, index=lines.index, dtype=object)


# -- validation per kind -------------------------------------------------------------------------
# Each validator returns (normalised rows, reasons) where reasons is a Series aligned with the
# input, None for good rows. The first failing check of a row gives its reason.


def _first_reason(frame: pd.DataFrame, checks: list[tuple[pd.Series, object]]) -> pd.Series:
    reasons = pd.Series(None, index=frame.index, dtype=object)
    for failed, reason in checks:
        hit = failed & reasons.isna()
        if hit.any():
            reasons[hit] = reason[hit] if isinstance(reason, pd.Series) else reason
    return reasons


def _missing(frame: pd.DataFrame, col: str) -> tuple[pd.Series, str]:
    return frame[col].isna(), f"missing required field '{col}'"


def _date(frame: pd.DataFrame, col: str) -> tuple[pd.Series, tuple[pd.Series, pd.Series]]:
    """A date column as naive UTC timestamps, and the check that fails rows with a bad date.

    A date is bad when it is not ISO 8601 or lies outside the accepted window (see
    :mod:`netgraph.sources.bounds`).
    """
    parsed, reasons = parse_iso_dates(frame[col], col)
    return parsed, (reasons.notna(), reasons)


def _quoting(failed: pd.Series, before: str, values: pd.Series, after: str) -> pd.Series:
    """``before + value + after`` for the rows that ``failed``, None for the others.

    Only the failing rows' text is built: a million good rows cost no strings.
    """
    reason = pd.Series(None, index=failed.index, dtype=object)
    if failed.any():
        reason[failed] = before + values[failed].astype(str) + after
    return reason


def _not_in(
    frame: pd.DataFrame, col: str, allowed: tuple[str, ...], label: str
) -> tuple[pd.Series, pd.Series]:
    values = frame[col].str.lower()
    failed = values.notna() & ~values.isin(allowed)
    return failed, _quoting(failed, f"unknown {label} '", frame[col],
                            f"' (use one of {', '.join(allowed)})")


def _split(series: pd.Series, sep: str = ";") -> pd.Series:
    """'a; b;;c' -> ['a', 'b', 'c']; missing -> []."""
    return series.map(
        lambda v: [p.strip() for p in v.split(sep) if p.strip()] if isinstance(v, str) else []
    )


def _contacts(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series, None]:
    cadence = pd.to_numeric(frame["cadence_days"], errors="coerce")
    closeness = pd.to_numeric(frame["closeness"], errors="coerce")
    bad_cadence = frame["cadence_days"].notna() & ~(
        (cadence > 0) & (cadence <= CADENCE_MAX_DAYS) & (cadence % 1 == 0))
    bad_close = frame["closeness"].notna() & ~closeness.between(0, 1)
    emails = _split(frame["email"])
    bad_email = emails.map(lambda es: any("@" not in e for e in es)).astype(bool)
    reasons = _first_reason(frame, [
        _missing(frame, "name"),
        _not_in(frame, "category", CATEGORIES, "category"),
        (bad_cadence, _quoting(bad_cadence, "cadence_days must be a whole number of days from 1 "
                               f"to {CADENCE_MAX_DAYS:,}, got '", frame["cadence_days"], "'")),
        (bad_close, _quoting(bad_close, "closeness must be a number from 0 to 1, got '",
                             frame["closeness"], "'")),
        (bad_email, _quoting(bad_email, "not an email address in 'email': ", frame["email"], "")),
    ])
    rows = pd.DataFrame({
        "line": frame["line"],
        "ext_id": _obj(frame["id"]),
        "name": _obj(frame["name"]),
        "emails": emails,
        "phones": _split(frame["phone"]),
        "company": _obj(frame["company"]),
        "title": _obj(frame["title"]),
        "city": _obj(frame["city"]),
        "country": _obj(frame["country"]),
        "tags": _split(frame["tags"]),
        "category": _obj(frame["category"].str.lower()),
        "linkedin_url": _obj(frame["linkedin_url"]),
        "cadence_days": cadence.where(~bad_cadence).astype("Int64"),
        "closeness": closeness.where(~bad_close),
        "notes": _obj(frame["notes"]),
        "needs": _split(frame["needs"]),  # free text: "seed funding; a CTO"
        "offers": _split(frame["offers"]),
    })
    return rows, reasons, None


def _obj(series: pd.Series) -> pd.Series:
    """Text as plain Python strings with None for missing (for row-wise code downstream)."""
    return series.astype(object).where(series.notna(), None)


def _arrow_text(series: pd.Series) -> pa.Array:
    """A text column as one Arrow array, missing values null (no copy for Arrow-backed text)."""
    arr = pa.array(series, from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
        arr = pa.array(series.astype(object).where(series.notna(), None).to_numpy(), type=pa.string())
    return arr


def _long(series: pd.Series) -> pd.DataFrame:
    """'a; b;;c' per row -> one row per item: (row, ref).

    Items are trimmed, and empty ones dropped, only when some item needs it.
    """
    lists = pc.split_pattern(_arrow_text(series), ";")  # a missing value is a null list: no items
    items = pc.list_flatten(lists)
    if may_need_trim(items):
        items = pc.utf8_trim_whitespace(items)
    rows = series.index.to_numpy()[pc.list_parent_indices(lists).to_numpy()]
    keep = pc.not_equal(items, "")
    if not pc.all(keep).as_py():
        rows, items = rows[keep.to_numpy(zero_copy_only=False)], items.filter(keep)
    return pd.DataFrame({"row": rows, "ref": pd.Series(items.to_pandas(), dtype="str")})


def _self_rows(frame: pd.DataFrame, parts: pd.DataFrame) -> pd.Series:
    """Rows whose sender is among their recipients, compared lower-case (missing never matches).

    Lower-casing keeps the length of ASCII text, so only pairs of the same length, or with a
    character beyond ASCII, are lower-cased and compared.
    """
    self_rows = pd.Series(False, index=frame.index)
    if parts.empty:
        return self_rows
    refs, senders = _arrow_text(parts["ref"]), _arrow_text(frame["from"])
    at = frame.index.get_indexer(parts["row"])
    sender_len = pc.binary_length(senders).to_numpy(zero_copy_only=False)[at]
    sender_ascii = pc.fill_null(pc.string_is_ascii(senders), True).to_numpy(zero_copy_only=False)[at]
    present = senders.is_valid().to_numpy(zero_copy_only=False)[at]
    ref_len = pc.binary_length(refs).to_numpy(zero_copy_only=False)
    ref_ascii = pc.fill_null(pc.string_is_ascii(refs), True).to_numpy(zero_copy_only=False)
    maybe = np.flatnonzero(present & ((sender_len == ref_len) | ~sender_ascii | ~ref_ascii))
    if not len(maybe):
        return self_rows
    same = pc.equal(pc.utf8_lower(refs.take(pa.array(maybe))),
                    pc.utf8_lower(senders.take(pa.array(at[maybe]))))
    hit = maybe[pc.fill_null(same, False).to_numpy(zero_copy_only=False)]
    self_rows[np.unique(parts["row"].to_numpy()[hit])] = True
    return self_rows


def _interactions(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame]:
    when, bad_when = _date(frame, "date")
    parts = _long(frame["to"])
    sender = frame["from"]
    self_rows = _self_rows(frame, parts)
    no_to = ~frame.index.isin(parts["row"])
    reasons = _first_reason(frame, [
        _missing(frame, "date"),
        (no_to, "missing required field 'to'"),
        bad_when,
        _not_in(frame, "kind", INTERACTION_KINDS, "interaction kind"),
        (self_rows, _quoting(self_rows, "a person interacting with themselves: '", sender,
                             "' is in both from and to")),
    ])
    rows = pd.DataFrame({
        "line": frame["line"],
        "occurred_at": when,
        "from_ref": sender,  # text stays Arrow-backed: resolution and fingerprints are columnar
        "kind": frame["kind"].str.lower().fillna("other"),
        "note": frame["note"],
    })
    return rows, reasons, parts


def _introductions(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series, None]:
    when, bad_when = _date(frame, "date")
    value = pd.to_numeric(frame["value"], errors="coerce")
    folded = {c: frame[c].str.lower() for c in ("introducer", "a", "b")}
    bad_value = frame["value"].notna() & ~np.isfinite(value.fillna(np.inf))
    same = (
        (folded["a"] == folded["b"])
        | (folded["introducer"] == folded["a"])
        | (folded["introducer"] == folded["b"])
    ).fillna(False).astype(bool)
    reasons = _first_reason(frame, [
        _missing(frame, "date"),
        _missing(frame, "introducer"),
        _missing(frame, "a"),
        _missing(frame, "b"),
        bad_when,
        _not_in(frame, "status", INTRO_STATUSES, "introduction status"),
        (bad_value, _quoting(bad_value, "value must be a number, got '", frame["value"], "'")),
        (same, "an introduction needs three different people (introducer, a, b)"),
    ])
    rows = pd.DataFrame({
        "line": frame["line"],
        "occurred_on": when.dt.normalize(),
        "introducer_ref": _obj(frame["introducer"]),
        "a_ref": _obj(frame["a"]),
        "b_ref": _obj(frame["b"]),
        "status": _obj(frame["status"].str.lower().fillna("made")),
        "value": value,
        "note": _obj(frame["note"]),
    })
    return rows, reasons, None


def _followups(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series, None]:
    due, bad_due = _date(frame, "due")
    reasons = _first_reason(frame, [
        _missing(frame, "due"),
        _missing(frame, "person"),
        bad_due,
        _not_in(frame, "status", FOLLOWUP_STATUSES, "follow-up status"),
    ])
    rows = pd.DataFrame({
        "line": frame["line"],
        "due_on": due.dt.normalize(),
        "person_ref": _obj(frame["person"]),
        "note": _obj(frame["note"]),
        "status": _obj(frame["status"].str.lower().fillna("open")),
    })
    return rows, reasons, None


_VALIDATORS = {
    "contacts": _contacts,
    "interactions": _interactions,
    "introductions": _introductions,
    "followups": _followups,
}
