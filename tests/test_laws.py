"""Laws of ingest, checked with hypothesis on generated files of good and bad rows.

- rows in = rows loaded + duplicates skipped + rows rejected, and the store agrees;
- importing the same file again changes nothing;
- the same rows in another file, in another order, load nothing new.
"""

from __future__ import annotations

import csv
import io
import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netgraph as ng

PEOPLE = ["Ann", "Bob", "Cy", "dee@x.io", "Éva Kovács", "", "ann"]
DATES = ["2025-01-01", "2025-02-30", "2024-12-31T09:15:00", "", "yesterday", "2025-06-01Z"]
KINDS = ["meeting", "call", "email", "Message", "", "dance"]

row = st.tuples(
    st.sampled_from(DATES),
    st.sampled_from(PEOPLE),
    st.lists(st.sampled_from(PEOPLE), min_size=0, max_size=3).map(";".join),
    st.sampled_from(KINDS),
    st.sampled_from(["", "hi", "a, b", 'say "hi"', "<script>x</script>"]),
    st.sampled_from([5, 5, 5, 5, 4, 6]),  # column count: mostly right
)


def _write(rows: list[tuple], path: Path) -> None:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["date", "from", "to", "kind", "note"])
    for date, sender, to, kind, note, width in rows:
        fields = [date, sender, to, kind, note]
        w.writerow([*fields, "extra"][:width] if width != 5 else fields)
    path.write_text(buf.getvalue(), encoding="utf-8")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(row, min_size=1, max_size=25), seed=st.integers(0, 1000))
def test_rows_in_equal_loaded_plus_duplicates_plus_rejected(rows, seed):
    with tempfile.TemporaryDirectory() as tmp, ng.open_store(":memory:") as store:
        path = Path(tmp) / "interactions.csv"
        _write(rows, path)
        r = ng.import_file(store, path)
        assert r.rows_in == len(rows)
        assert r.rows_in == r.loaded + r.duplicates + r.rejected
        assert store.count("interactions") == r.loaded
        assert store.count("rejected_rows") == r.rejected

        before = store.counts()
        again = ng.import_file(store, path)
        assert again.already_imported
        assert store.counts() == before

        shuffled = list(rows)
        random.Random(seed).shuffle(shuffled)
        other = Path(tmp) / "copy.csv"
        _write(shuffled, other)
        r2 = ng.import_file(store, other)  # same bytes when the order did not change
        assert r2.loaded == 0
        assert r2.already_imported or r2.rows_in == r2.duplicates + r2.rejected
        assert store.count("interactions") == before["interactions"]
