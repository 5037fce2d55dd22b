"""JSON listings written a column at a time are the text the JSON encoder writes, row by row.

``json_rows`` turns each column into JSON text in one pass (a kept listing of 100,000 people
prints in a fraction of the time); the law is that its text is exactly ``json_list`` of
``row_records``, whatever the values: text with quotes, ``%`` and controls, whole numbers, floats
with NaN and infinities, booleans, None, dates and lists, in columns of one type or mixed.
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from netgraph.cli.output import json_list, json_rows
from netgraph.report.values import row_records

SCALARS = [st.none(), st.booleans(), st.integers(), st.floats(), st.text(), st.dates(),
           st.lists(st.integers() | st.text(), max_size=3)]


@st.composite
def listings(draw: st.DrawFn) -> tuple[list[str], list[tuple]]:
    columns = draw(st.lists(st.text(min_size=1), min_size=1, max_size=5))
    kinds = [draw(st.sampled_from(SCALARS) | st.just(st.one_of(*SCALARS))) for _ in columns]
    n = draw(st.integers(0, 8))
    return columns, [tuple(draw(kind) for kind in kinds) for _ in range(n)]


@settings(max_examples=400, deadline=None)
@given(listings())
def test_a_listing_by_columns_is_the_encoders_text(listing):
    columns, rows = listing
    assert json_rows(columns, rows) == json_list(row_records(columns, rows))


def test_a_listing_is_one_json_document_with_an_object_per_line():
    text = json_rows(["name", "100%", "score"], [("Dana \"D\" Lee", 1, 0.5), ("Lee", 2, float("nan"))])
    lines = text.splitlines()
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == 4
    assert json.loads(text) == [{"name": 'Dana "D" Lee', "100%": 1, "score": 0.5},
                                {"name": "Lee", "100%": 2, "score": None}]
