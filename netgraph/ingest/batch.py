"""Ingest: validated rows from :mod:`netgraph.sources` into the store, one batch per file.

Each file is written in one transaction. Every input row ends up exactly once as loaded, as a
duplicate of something already stored (skipped), or as a rejected row kept with its file, line,
raw text and reason, so ``rows_in == loaded + duplicates + rejected`` always holds. Importing
the same file again changes nothing. Bulk writes go through registered DataFrames.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pyarrow as pa

from netgraph.identity.merge import apply_merges
from netgraph.identity.people import write_people
from netgraph.identity.resolver import Resolver
from netgraph.ingest.common import Written, write_rejects
from netgraph.ingest.contacts import write_contacts
from netgraph.ingest.csv_sql import FINGERPRINT, CsvWriter, Prepared, prepare
from netgraph.ingest.interactions import write_inferred_intros, write_interactions
from netgraph.ingest.records import write_followups, write_introductions
from netgraph.sources import ParsedFile, duck_csv
from netgraph.sources.base import rejects_frame
from netgraph.sources.bounds import check_parsed
from netgraph.sources.detect import parse_any
from netgraph.sources.ics import MAX_ATTENDEES, MAX_OCCURRENCES
from netgraph.store.connect import file_reader
from netgraph.store.database import PARTIAL_BATCH, Store
from netgraph.ties.table import refresh as refresh_ties

__all__ = [
    "ImportResult", "import_file", "import_files", "import_parsed", "parse_files",
]

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Kinds in the order a multi-file import runs them: people first, so later files resolve
#: references to full contacts instead of creating bare people.
KIND_ORDER = ("contacts", "interactions", "introductions", "followups")

#: The writer of each kind: (store, resolver, parsed file, batch id) -> what it wrote.
WRITERS: dict[str, Callable[[Store, Resolver, ParsedFile, int], Written]] = {
    "contacts": write_contacts,
    "interactions": write_interactions,
    "introductions": write_introductions,
    "followups": write_followups,
}


@dataclass
class ImportResult:
    """What one file's import did."""

    file: str
    kind: str
    rows_in: int = 0
    loaded: int = 0
    duplicates: int = 0
    rejected: int = 0
    people_created: int = 0
    #: rows that matched someone already known, by rule (id, email, linkedin, phone, name...)
    merged: dict[str, int] = field(default_factory=dict)
    #: records the file holds but netgraph leaves out on purpose (mailing lists, all-hands)
    skipped: int = 0
    #: introductions inferred from the file (a mail from me to two strangers)
    inferred_intros: int = 0
    batch_id: int | None = None
    already_imported: bool = False
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The result's fields as a plain dict."""
        return asdict(self)


def import_files(
    store: Store,
    paths: Iterable[str | Path],
    *,
    kind: str | None = None,
    fmt: str | None = None,
    max_attendees: int = MAX_ATTENDEES,
    max_occurrences: int = MAX_OCCURRENCES,
    max_size: int | None = None,
    on_file: Callable[[ImportResult], None] | None = None,
) -> list[ImportResult]:
    """Import several files, contacts first; each file is its own batch and transaction.

    Every file is parsed before anything is written, so a file that cannot be read stops the
    run with a clear message and nothing from it, or after it, is written. A large file read in
    pieces has only its header checked first; should it fail later (it changed while being read),
    nothing of it is kept, and the files before it stay imported. ``kind``, ``fmt``,
    ``max_attendees``, ``max_occurrences`` and ``max_size`` are those of :func:`parse_files`;
    ``on_file`` is called with each file's result as it is written.
    """
    parsed = parse_files(paths, kind=kind, fmt=fmt, my_emails=store.my_emails(),
                         max_attendees=max_attendees, max_occurrences=max_occurrences,
                         max_size=max_size)
    return import_parsed(store, parsed, on_file=on_file)


def parse_files(
    paths: Iterable[str | Path],
    *,
    kind: str | None = None,
    fmt: str | None = None,
    my_emails: Iterable[str] = (),
    max_attendees: int = MAX_ATTENDEES,
    max_occurrences: int = MAX_OCCURRENCES,
    max_size: int | None = None,
    on_progress: Callable[[Path, int], None] | None = None,
) -> list[ParsedFile]:
    """Parse every file, in any supported format, contacts first.

    Raises on the first file that cannot be read.

    ``kind`` and ``fmt`` override what is told from each file's content; ``my_emails`` tell
    calendars and mailboxes which side is me; calendars skip meetings of more than
    ``max_attendees`` people and reject series of more than ``max_occurrences``; files over
    ``max_size`` bytes (default :data:`netgraph.sources.reading.MAX_FILE_BYTES`) are refused
    (see :func:`netgraph.sources.detect.parse_any`). ``on_progress(path, bytes_read)``
    reports progress through each file.
    """
    mine = tuple(my_emails)
    parsed = []
    for p in paths:
        report = (lambda n, p=Path(p): on_progress(p, n)) if on_progress else None
        parsed += parse_any(p, kind=kind, fmt=fmt, my_emails=mine, progress=report,
                            max_attendees=max_attendees, max_occurrences=max_occurrences,
                            max_size=max_size)
        if on_progress:
            on_progress(Path(p), -1)  # done
    parsed.sort(key=lambda pf: KIND_ORDER.index(pf.kind) if pf.kind in KIND_ORDER else 99)
    return parsed


def import_parsed(
    store: Store,
    parsed: Iterable[ParsedFile],
    *,
    on_file: Callable[[ImportResult], None] | None = None,
    on_bytes: Callable[[ParsedFile, int], None] | None = None,
) -> list[ImportResult]:
    """Write already-parsed files, each as its own batch and transaction.

    ``on_file`` hears each file's result as it is written; ``on_bytes(pf, n)`` hears how many
    bytes of a file read in pieces have been written so far (see :attr:`ParsedFile.pieces`).
    """
    results = []
    resolver: Resolver | None = None  # loaded once, kept in step with each committed batch
    files = list(parsed)
    early = _read_early(store, files)
    try:
        for i, pf in enumerate(files):
            reader, early = (early[1], None) if early and early[0] is pf else (None, early)
            result, resolver = _import_parsed(store, pf, resolver, on_bytes, ties=i == len(files) - 1,
                                              reader=reader)
            if on_file:
                on_file(result)
            results.append(result)
    finally:
        if early:
            early[1].close()
    if results and results[-1].already_imported:  # the last file wrote nothing: bring ties up here
        with store.transaction():
            refresh_ties(store)
    return results


#: Batches of rows DuckDB reads ahead of the import, from the moment the import starts: the rows of
#: the first large interactions file are read while the files before it (contacts) are written.
READ_EARLY = 3


def _read_early(store: Store, files: list[ParsedFile]) -> tuple[ParsedFile, ReadAhead[Prepared]] | None:
    """Start reading the first file DuckDB reads (:attr:`ParsedFile.fast`), unless it is already imported."""
    for pf in files:
        if pf.fast is not None and pf.lines is not None:
            if store.scalar("SELECT count(*) FROM import_batches WHERE sha256 = ?", [pf.sha256]):
                return None
            return pf, ReadAhead(_prepared(pf.fast), READ_EARLY)
    return None


def _prepared(plan: duck_csv.Plan) -> Iterator[Prepared]:
    """The batches of a file DuckDB reads, each made ready for the writer (in the reading thread)."""
    return prepare(duck_csv.read(plan, file_reader, {"fingerprint": FINGERPRINT}))


def import_file(store: Store, path: str | Path, *, kind: str | None = None) -> ImportResult:
    """Import one file into ``store`` and say what happened."""
    return import_files(store, [path], kind=kind)[0]


def _import_parsed(
    store: Store, pf: ParsedFile, resolver: Resolver | None = None,
    on_bytes: Callable[[ParsedFile, int], None] | None = None, *, ties: bool = True,
    reader: ReadAhead[Prepared] | None = None,
) -> tuple[ImportResult, Resolver | None]:
    """Import one parsed file; returns the result and the resolver to reuse for the next file.

    With ``ties`` its last transaction also brings the tie table up to date (see
    :func:`_finish_batch`). ``reader``, if given, already reads the batches of a file DuckDB
    reads (see :func:`_read_early`); it is closed here.
    """
    if reader is not None and (pf.fast is None or pf.pieces is None):
        reader.close()
        reader = None
    pf = check_parsed(pf)  # the one value boundary, whatever the format
    prev = store.con.execute(
        "SELECT batch_id, imported_at, rows_in FROM import_batches WHERE sha256 = ? "
        "ORDER BY batch_id LIMIT 1",
        [pf.sha256],
    ).fetchall()
    if prev:
        if reader is not None:
            reader.close()
        batch_id, imported_at, rows_in = prev[0]
        note = f"already imported as batch {batch_id} on {imported_at:%Y-%m-%d %H:%M}; nothing changed"
        rows_in = pf.rows_in if pf.pieces is None else int(rows_in or 0)  # pieces: not read again
        return ImportResult(file=str(pf.path), kind=pf.kind, rows_in=rows_in, skipped=pf.skipped,
                            batch_id=int(batch_id), already_imported=True,
                            notes=[*pf.notes, note]), resolver
    resolver = resolver or Resolver(store)
    if pf.pieces is None:
        with store.transaction():
            batch_id = store.new_batch(str(pf.path), pf.kind, pf.sha256)
            written = WRITERS[pf.kind](store, resolver, pf, batch_id)
            rejects = _in_line_order([pf.rejects, written.rejects])
            people_created, inferred = _finish_batch(store, resolver, pf, batch_id, written, rejects,
                                                     pf.rows_in, ties=ties)
        rows_in = pf.rows_in
    else:
        with store.transaction():
            batch_id = store.new_batch(str(pf.path), pf.kind, pf.sha256)
            store.set_setting(PARTIAL_BATCH, str(batch_id))
        try:
            written, rejects, rows_in = _write_pieces(store, resolver, pf, batch_id, on_bytes, reader)
            with store.transaction():
                people_created, inferred = _finish_batch(store, resolver, pf, batch_id, written,
                                                         rejects, rows_in, ties=ties)
                store.set_setting(PARTIAL_BATCH, None)
        except duck_csv.IrregularFile as exc:  # nothing of it is kept: read it the usual way
            store.discard_partial_batch(quiet=True)
            log.info("%s; reading it in pieces instead", exc)
            pf.fast = None
            return _import_parsed(store, pf, None, on_bytes, ties=ties)
        except BaseException:
            store.discard_partial_batch()
            raise
    resolver.committed()
    result = ImportResult(
        file=str(pf.path), kind=pf.kind, rows_in=rows_in, loaded=written.loaded,
        duplicates=written.duplicates, rejected=len(rejects), people_created=people_created,
        merged=dict(written.merged), skipped=pf.skipped, inferred_intros=inferred, batch_id=batch_id,
        reasons=[f"line {r.line}: {r.reason}" for r in rejects.head(5).itertuples()],
        notes=[*pf.notes, *written.notes],
    )
    if result.rows_in != result.loaded + result.duplicates + result.rejected:  # pragma: no cover
        msg = f"internal error: row accounting does not add up for {pf.path}"
        raise AssertionError(msg)
    log.info(
        "Imported %s: %d loaded, %d duplicates, %d rejected",
        pf.path, result.loaded, result.duplicates, result.rejected,
    )
    return result, resolver


def _finish_batch(store: Store, resolver: Resolver, pf: ParsedFile, batch_id: int, written: Written,
                  rejects: pd.DataFrame, rows_in: int, *, ties: bool = True) -> tuple[int, int]:
    """Write what a batch made beside its rows, and bring the ties up to date (with ``ties``).

    That is the people and identities it created, its merges, its inferred introductions and
    rejected rows, and its counts. Returns the people created (less those merged away) and the
    introductions inferred. Runs inside the batch's (last) transaction.

    An import of several files brings the ties up to date once, with its last file: each file's
    patch would redo the pairs of the people it touched, and an introductions file touches many.
    Until then the tie table's state names an older data version, so no question reads it (see
    :func:`netgraph.ties.table.is_current`); should the run stop between files, the next question
    that may write brings it up to date.
    """
    created = write_people(store, resolver, batch_id, written.people)
    apply_merges(store, resolver.merges, batch_id)
    people_created = created - sum(1 for p in resolver.new_people if p.person_id in resolver.merged_into)
    inferred = write_inferred_intros(store, resolver, pf, batch_id)
    write_rejects(store, batch_id, str(pf.path), rejects)
    store.con.execute(
        "UPDATE import_batches SET rows_in = ?, rows_loaded = ?, rows_rejected = ?, "
        "rows_duplicate = ?, people_created = ? WHERE batch_id = ?",
        [rows_in, written.loaded, len(rejects), written.duplicates, people_created, batch_id],
    )
    if ties:
        refresh_ties(store)
    return people_created, inferred


def _write_pieces(
    store: Store, resolver: Resolver, pf: ParsedFile, batch_id: int,
    on_bytes: Callable[[ParsedFile, int], None] | None = None, reader: ReadAhead[Prepared] | None = None,
) -> tuple[Written, pd.DataFrame, int]:
    """Write the rows of a file read in pieces: what was written, every reject, the rows in.

    Each piece passes the value boundary and goes through its kind's writer, as a whole file
    does, and is committed on its own: one transaction over millions of rows would hold them all
    in memory. A row repeated from an earlier piece is then a duplicate of a stored row. People
    made along the way stay with the resolver and are written with the batch's last transaction
    (see :func:`_finish_batch`); until then the batch is marked partial, and a batch cut short is
    removed (:meth:`~netgraph.store.database.Store.discard_partial_batch`). ``on_bytes(pf, n)``
    hears how many bytes of the file have been written so far.

    A file DuckDB can read (:attr:`ParsedFile.fast`) has its usual rows written in SQL
    (:mod:`netgraph.ingest.csv_sql`); the pieces are then made of the rows it handed back.
    """
    assert pf.pieces is not None
    tally = _Tally()
    if pf.fast is not None and pf.lines is not None:
        back = _write_in_sql(store, resolver, pf, batch_id, on_bytes, tally, reader)
        pieces = pf.lines(back) if len(back) else iter(())
    else:
        pieces = pf.pieces()
    writer = WRITERS[pf.kind]
    for piece in _read_ahead(check_parsed(piece) for piece in pieces):
        with store.transaction():
            written = writer(store, resolver, piece, batch_id)
        tally.add(piece.rows_in, written, [piece.rejects, written.rejects])
        if on_bytes and pf.fast is None:
            on_bytes(pf, piece.read_to)
    return tally.written(), _in_line_order(tally.rejects), tally.rows_in


class _Tally:
    """What the pieces of one file wrote, added up."""

    def __init__(self) -> None:
        self.loaded = self.duplicates = self.rows_in = 0
        self.rejects: list[pd.DataFrame] = []
        self.people: dict[int, dict[str, Any]] = {}
        self.merged: Counter[str] = Counter()
        self.notes: dict[str, None] = {}

    def add(self, rows_in: int, written: Written, rejects: list[pd.DataFrame]) -> None:
        self.loaded, self.duplicates = self.loaded + written.loaded, self.duplicates + written.duplicates
        self.rows_in += rows_in
        self.rejects += rejects
        self.people.update(written.people)
        self.merged.update(written.merged)
        self.notes.update(dict.fromkeys(written.notes))

    def written(self) -> Written:
        return Written(self.loaded, self.duplicates, pd.DataFrame(), self.people, dict(self.merged),
                       tuple(self.notes))


def _write_in_sql(
    store: Store, resolver: Resolver, pf: ParsedFile, batch_id: int,
    on_bytes: Callable[[ParsedFile, int], None] | None, tally: _Tally,
    reader: ReadAhead[Prepared] | None = None,
) -> np.ndarray:
    """Write the usual rows of a file DuckDB reads, batch by batch; returns the lines handed back.

    ``reader`` gives the batches when they are already being read (:func:`_read_early`).
    Raises :class:`~netgraph.sources.duck_csv.IrregularFile` when the file turns out not to be
    readable row for line (the caller then reads it the usual way).
    """
    plan = pf.fast
    assert plan is not None
    writer = CsvWriter(store, resolver, batch_id)
    back, done = [], 0
    body = plan.survey.body_at
    reader = reader or ReadAhead(_prepared(plan))
    try:
        for batch in reader:
            with store.transaction():
                wrote = writer.write(batch)
            back.append(wrote.back)
            tally.add(wrote.loaded + wrote.duplicates,
                      Written(wrote.loaded, wrote.duplicates, pd.DataFrame(), notes=tuple(writer.notes)), [])
            done += batch.rows.num_rows + len(batch.unusual)
            if on_bytes:
                on_bytes(pf, body + (plan.survey.size - body) * done // max(plan.rows, 1))
    finally:
        reader.close()
        pa.default_memory_pool().release_unused()  # the batches' memory, before the ties are built
    return np.concatenate(back) if back else np.zeros(0, dtype=np.int64)


class ReadAhead(Iterator[T]):
    """``items`` in order, made in a thread up to ``depth`` ahead of the caller.

    Reading and parsing a piece (pyarrow, numpy, DuckDB's own reader) and writing the one before
    (DuckDB) mostly run outside Python's lock, so the two overlap on a second core; at most
    ``depth + 2`` items are in memory (the one being written, those waiting, and the one being
    read). The thread starts at once, so a reader made early works while the caller does
    something else. An error while reading is raised here, in order; :meth:`close` (called when
    the caller stops early: an error, Ctrl-C) stops the thread after its item.
    """

    def __init__(self, items: Iterator[T], depth: int = 1) -> None:
        self._ready: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._done = False
        self._worker = threading.Thread(target=self._produce, args=(items,), name="netgraph-read-ahead",
                                        daemon=True)
        self._worker.start()

    def _produce(self, items: Iterator[T]) -> None:
        try:
            for item in items:
                while not self._stop.is_set():
                    try:
                        self._ready.put(("item", item), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if self._stop.is_set():
                    return
            self._ready.put(("done", None))
        except BaseException as exc:  # handed to the caller, raised there
            self._ready.put(("error", exc))

    def __next__(self) -> T:
        if self._done:
            raise StopIteration
        try:
            what, value = self._ready.get()
        except BaseException:
            self.close()
            raise
        if what == "item":
            return value
        self.close()
        if what == "error":
            raise value
        raise StopIteration

    def close(self) -> None:
        """Stop the thread (after the item it is making) and wait for it."""
        self._done = True
        self._stop.set()
        with contextlib.suppress(queue.Empty):
            self._ready.get_nowait()  # let a producer blocked on a full queue see the stop
        self._worker.join()


def _read_ahead(items: Iterator[T]) -> Iterator[T]:
    """``items`` in order, the next one made in a thread while the caller works on this one."""
    reader = ReadAhead(items)
    try:
        yield from reader
    finally:
        reader.close()


def _in_line_order(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Rejected rows from several frames as one, by line (rows of one line keep their order)."""
    frames = [f for f in frames if not f.empty] or frames[:1]
    if not frames:  # a file read in pieces with no piece: nothing rejected
        return rejects_frame([])
    return pd.concat(frames, ignore_index=True).sort_values("line", kind="stable", ignore_index=True)
