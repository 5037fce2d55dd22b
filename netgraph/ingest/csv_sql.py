"""Interactions of a large, regular CSV file written from DuckDB's columns, never as Python rows.

:mod:`netgraph.sources.duck_csv` reads the file with DuckDB, tells its usual rows, splits their
``to`` lists and makes their fingerprints, all in one parallel pass; this writes them in batches of
about a million, each in its own transaction, as the pieces of a file are written
(:func:`netgraph.ingest.batch.import_parsed`):

1. the references of a batch that no earlier batch named are resolved by the
   :class:`~netgraph.identity.resolver.Resolver` (the one place that knows the identity rules),
   stored once in ``participant_refs``, and kept in the file's table of references
   (reference, person, reference id);
2. each row's ``from`` and each item of its ``to`` list are joined to that table by one Arrow
   hash look-up per column;
3. rows repeated in the batch, or already stored, are skipped by fingerprint, as in
   :mod:`netgraph.ingest.interactions`;
4. the rest go to the store as Arrow columns, with their participants (a person named twice in
   one interaction counts once), and their notes are read for promises.

A row this cannot write as the usual path would (a reference that names several people, or one
person on both sides) is handed back by line, with the rows DuckDB did not find usual, to be read
again the usual way (:func:`netgraph.sources.generic_csv`'s pieces of chosen lines).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from netgraph.identity.resolver import Resolver
from netgraph.ingest.interactions import (
    PLACEHOLDER_NOTE,
    insert_arrow,
    me_or_placeholder,
    participant_rows,
    ref_ids,
    take_ids,
)
from netgraph.ingest.promises import MAYBE_PROMISE, write_promises
from netgraph.store.database import Store

__all__ = ["FINGERPRINT", "CsvWriter", "Prepared", "Wrote", "prepare"]

#: The fingerprint of a row, over the columns of :func:`netgraph.sources.duck_csv.read`: the text
#: of :data:`netgraph.ingest.interactions._ROW_FINGERPRINTS`, with the recipients taken from the
#: row's list (one recipient as it is; several lower-cased, distinct, sorted, joined by ';'), and
#: the date's text as read (``strftime(occurred_at, '%Y-%m-%dT%H:%M:%S')``, checked equal there).
FINGERPRINT = """md5(concat_ws('|', occurred_text,
    coalesce(lower(from_ref), ''),
    CASE WHEN NOT contains(to_text, ';') THEN lower(to_text)
         WHEN len(tos) = 1 THEN lower(tos[1])
         ELSE array_to_string(list_sort(list_distinct(list_transform(tos, lambda x: lower(x)))), ';')
    END,
    kind, coalesce(note, '')))"""

# rows of the batch already stored: equal fingerprints mean equal seconds, so only those are read
_STORED = """
SELECT DISTINCT f.pos FROM _csv_fp f
JOIN (SELECT fingerprint FROM interactions WHERE occurred_at >= $lo AND occurred_at < $hi) i
  USING (fingerprint)
"""


@dataclass
class Prepared:
    """A batch of :func:`netgraph.sources.duck_csv.read` made ready for :meth:`CsvWriter.write`."""

    #: the usual rows
    rows: pa.Table
    #: the lines of the other rows
    unusual: np.ndarray
    #: each ``to`` item's row
    parent: np.ndarray
    #: each row's ``from`` by code (its place among the file's references), -1 for a blank one
    from_code: np.ndarray
    #: each ``to`` item by code
    to_code: np.ndarray
    #: the references first named in this batch, in the order of their codes
    new_refs: pa.Array
    #: for each row, the first row of the batch with its fingerprint
    group: np.ndarray


def prepare(batches: Iterator[pa.Table]) -> Iterator[Prepared]:
    """Each batch (with ``fingerprint``) as :class:`Prepared`: the work that needs no store.

    It runs in the reading thread, beside the writer. Every distinct reference gets a code, in the
    order the file names them (a batch's ``from`` column, then its ``to`` items), with one Arrow
    hash look-up per batch; repeated fingerprints are grouped (:func:`_groups`).
    """
    known = pa.array([], type=pa.string())
    for batch in batches:
        usual = batch.column("usual").to_numpy(zero_copy_only=False)
        lines = batch.column("line").to_numpy()
        rows = batch if usual.all() else batch.filter(pa.array(usual))
        tos = rows.column("tos").combine_chunks()
        from_ref = rows.column("from_ref").combine_chunks()
        named = pa.concat_arrays([from_ref, pc.list_flatten(tos)])
        at = pc.index_in(named, value_set=known).to_numpy(zero_copy_only=False)
        unknown = np.isnan(at) & named.is_valid().to_numpy(zero_copy_only=False)
        code = np.nan_to_num(at, nan=-1).astype(np.int64)
        new = pa.array([], type=pa.string())
        if unknown.any():
            where = np.flatnonzero(unknown)
            met = named.take(pa.array(where))
            new = pc.unique(met)
            code[where] = len(known) + pc.index_in(met, value_set=new).to_numpy(zero_copy_only=False)
            known = pa.concat_arrays([known, new])
        yield Prepared(rows, lines[~usual], pc.list_parent_indices(tos).to_numpy(), code[:len(from_ref)],
                       code[len(from_ref):], new, _groups(rows.column("fingerprint").combine_chunks()))


@dataclass(frozen=True)
class Wrote:
    """What one batch came to: rows stored, duplicates skipped, and lines handed back."""

    loaded: int
    duplicates: int
    back: np.ndarray


class CsvWriter:
    """Writes the batches of one file (see the module notes)."""

    def __init__(self, store: Store, resolver: Resolver, batch_id: int) -> None:
        self.store = store
        self.resolver = resolver
        self.batch_id = batch_id
        self.notes: list[str] = []
        self.me: int | None = store.me_id
        # for each of the file's references so far, by code (see prepare): its person, whether it
        # resolved, and its id in participant_refs
        self.person = np.zeros(0, dtype=np.int64)
        self.ok = np.zeros(0, dtype=bool)
        self.ref_id = np.zeros(0, dtype=np.int64)

    def write(self, batch: Prepared) -> Wrote:
        """Write one batch :func:`prepare` made. Runs inside the caller's transaction."""
        rows, parent, fi, ti = batch.rows, batch.parent, batch.from_code, batch.to_code
        self._meet(batch)
        if not rows.num_rows:
            return Wrote(0, 0, batch.unusual)
        lines = rows.column("line").to_numpy()
        # who each row is from and to, and the rows the usual path must judge
        me = -1 if self.me is None else self.me
        initiator = np.where(fi >= 0, self.person[fi], me)
        bad = np.where(fi >= 0, ~self.ok[fi], me < 0)
        to_person = self.person[ti]
        bad_part = ~self.ok[ti] | (to_person == initiator[parent])
        bad[parent[bad_part]] = True
        good = ~bad

        dup = self._duplicates(rows, good, batch.group)
        keep = good & ~dup
        n = int(keep.sum())
        first_id = self.store.next_id("interactions")
        iid = np.full(len(lines), -1, dtype=np.int64)
        iid[keep] = np.arange(first_id, first_id + n, dtype=np.int64)
        kept_part = keep[parent]
        participants = participant_rows(
            iid[keep], initiator[keep], take_ids(self.ref_id, fi[keep]),
            iid[parent[kept_part]], to_person[kept_part], take_ids(self.ref_id, ti[kept_part]))
        people = np.zeros(len(lines), dtype=np.int64)
        people[keep] = np.bincount(participants.column("interaction_id").to_numpy() - first_id, minlength=n)
        insert_arrow(self.store, "interactions", pa.table({
            "interaction_id": iid, "batch_id": np.full(len(lines), self.batch_id, dtype=np.int64),
            "line": lines, "occurred_at": rows.column("occurred_at"), "kind": rows.column("kind"),
            "initiator_id": initiator, "n_participants": people, "note": rows.column("note"),
            "fingerprint": rows.column("fingerprint"),
        }), keep)
        insert_arrow(self.store, "interaction_participants", participants)
        self._promises(rows, keep, iid, initiator, parent, to_person)
        back = np.sort(np.concatenate([batch.unusual, lines[bad]]))
        return Wrote(n, int(dup.sum()), back)

    def _meet(self, batch: Prepared) -> None:
        """Make "me" for a blank ``from`` (before ``init``: the placeholder); resolve the new references."""
        resolver = self.resolver
        if self.me is None and (batch.from_code < 0).any():
            me, created = me_or_placeholder(self.store, resolver)  # a blank 'from' is me
            self.me = me
            if created:
                self.notes.append(PLACEHOLDER_NOTE)
        if self.me is not None:
            self.me = resolver.root(self.me)
        if len(batch.new_refs):
            self._add(batch.new_refs)

    def _add(self, new: pa.Array) -> None:
        """Resolve references no earlier batch named, store each once, and keep them."""
        found = self.resolver.resolve_refs(pd.Series(new.to_pylist(), dtype=object))
        ok = found.errors.isna().to_numpy() & found.ids.notna().to_numpy()
        ref_id = ref_ids(self.store, new.to_numpy(zero_copy_only=False))
        self.person = np.concatenate([self.person, found.ids.to_numpy(dtype=np.int64, na_value=-1)])
        self.ok = np.concatenate([self.ok, ok])
        self.ref_id = np.concatenate([self.ref_id, ref_id])

    def _duplicates(self, rows: pa.Table, good: np.ndarray, group: np.ndarray) -> np.ndarray:
        """Which good rows repeat an earlier good row of the batch, or a stored row, by fingerprint.

        ``group`` gives each row the first row of the batch with its fingerprint.
        """
        dup = np.zeros(len(good), dtype=bool)
        at = np.flatnonzero(good)
        if not len(at):
            return dup
        first = np.zeros(len(at), dtype=bool)
        first[np.unique(group[at], return_index=True)[1]] = True
        dup[at[~first]] = True
        if not self.store.scalar("SELECT count(*) > 0 FROM interactions"):
            return dup
        at = at[first]
        when = rows.column("occurred_at").take(pa.array(at)).to_numpy(zero_copy_only=False)
        lo = when.min().astype("datetime64[s]")  # fingerprints count to the second
        hi = when.max().astype("datetime64[s]") + np.timedelta64(1, "s")
        con = self.store.con
        firsts = rows.column("fingerprint").take(pa.array(at))
        con.register("_csv_fp", pa.table({"pos": at, "fingerprint": firsts}))
        try:
            stored = con.execute(_STORED, {"lo": lo.astype(datetime), "hi": hi.astype(datetime)}).fetchnumpy()
        finally:
            con.unregister("_csv_fp")
        dup[np.asarray(stored["pos"], dtype=np.int64)] = True
        return dup

    def _promises(self, rows: pa.Table, keep: np.ndarray, iid: np.ndarray, initiator: np.ndarray,
                  parent: np.ndarray, to_person: np.ndarray) -> None:
        """Read the notes of the rows just stored for promises (only those with a trigger word)."""
        me = self.me if self.me is not None else self.store.me_id
        notes = rows.column("note")
        if me is None or notes.null_count == len(notes):
            return
        hit = pc.fill_null(pc.match_substring_regex(notes, MAYBE_PROMISE), False)
        hit = hit.to_numpy(zero_copy_only=False)
        at = np.flatnonzero(hit & keep)
        if not len(at):
            return
        found = pd.DataFrame({
            "line": rows.column("line").take(pa.array(at)).to_numpy(),
            "occurred_at": rows.column("occurred_at").take(pa.array(at)).to_pandas(),
            "note": notes.take(pa.array(at)).to_pylist(),
        }).set_index(pd.RangeIndex(len(at)))
        wanted = np.isin(parent, at)
        to = pd.DataFrame({"row": np.searchsorted(at, parent[wanted]), "person_id": to_person[wanted]})
        write_promises(self.store, self.batch_id, found, np.ones(len(at), dtype=bool), iid[at],
                       initiator[at], to, self.resolver.root(me))




def _groups(fp: pa.Array) -> np.ndarray:
    """For each fingerprint (32 hex characters), the position of the first one equal to it.

    Sorted by a 64-bit key read from each one's first 16 characters; only fingerprints whose keys
    meet are compared in full.
    """
    group = np.arange(len(fp), dtype=np.int64)
    if len(fp) < 2:
        return group
    offsets = np.frombuffer(fp.buffers()[1], dtype=np.int32)[fp.offset:fp.offset + len(fp) + 1]
    if fp.null_count or not (np.diff(offsets) == 32).all():
        meet = np.ones(len(fp), dtype=bool)
    else:
        data = np.frombuffer(fp.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]].reshape(-1, 32)
        halves = np.ascontiguousarray(data[:, :16]).view(np.uint64)
        key = halves[:, 0] ^ (halves[:, 1] * np.uint64(0x9E3779B97F4A7C15))
        ordered = np.sort(key)
        meet = np.isin(key, ordered[1:][ordered[1:] == ordered[:-1]])
    if meet.any():  # compare those in full
        at = np.flatnonzero(meet)
        codes = pc.dictionary_encode(fp.take(pa.array(at))).indices.to_numpy()
        _, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
        group[at] = at[first[inverse]]
    return group
