"""Read-only listings of what the store holds: people with their identities, rejected rows, batches.

Each returns a DataFrame whose columns are the CLI's JSON keys. Importing this module loads
neither pandas nor DuckDB: the store hands out the frames. :func:`people_rows` gives the first
people of the listing as :class:`Rows`, plain Python values that the CLI prints with no pandas
loaded, reading only those people's identities.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netgraph.rows import Rows

if TYPE_CHECKING:
    import pandas as pd

    from netgraph.store.database import Store

__all__ = ["Rows", "batches", "people", "people_rows", "rejects"]


# Everyone, or the first $limit people of the listing: people are chosen (and sorted) first, so
# only their identities are gathered.
_PEOPLE_SQL = """
WITH p AS (SELECT * FROM people ORDER BY name, person_id {limit}),
ident AS (
    SELECT person_id,
           string_agg(raw, '; ' ORDER BY raw) FILTER (WHERE kind = 'email') AS emails,
           string_agg(raw, '; ' ORDER BY raw) FILTER (WHERE kind = 'phone') AS phones,
           string_agg(raw, '; ' ORDER BY raw) FILTER (WHERE kind = 'linkedin') AS profiles,
           string_agg(raw, '; ' ORDER BY raw) FILTER (WHERE kind = 'id') AS ids,
           string_agg(raw, '; ' ORDER BY raw) FILTER (WHERE kind = 'alias') AS aliases
    FROM identities {scoped} GROUP BY person_id
)
SELECT p.person_id, p.name, i.ids AS external_ids, i.emails, i.phones, i.profiles,
       p.company, p.title, p.city, p.country,
       array_to_string(p.tags, '; ') AS tags, p.category, i.aliases
FROM p LEFT JOIN ident i USING (person_id)
ORDER BY p.name, p.person_id
"""


def _people_sql(limit: int | None) -> str:
    if limit is None:
        return _PEOPLE_SQL.format(limit="", scoped="")
    return _PEOPLE_SQL.format(limit="LIMIT $limit",
                              scoped="WHERE person_id IN (SELECT person_id FROM p)")


def people(store: Store, limit: int | None = None) -> pd.DataFrame:
    """Everyone, with all identities: one row per person, lists joined with ``; ``.

    Sorted by name (then person number); ``limit`` keeps only the first that many.
    """
    return store.con.execute(_people_sql(limit),
                             None if limit is None else {"limit": limit}).df()


def people_rows(store: Store, limit: int | None = None) -> Rows:
    """:func:`people` as :class:`Rows` (its first ``limit`` people), and how many there are."""
    result = store.con.execute(_people_sql(limit), None if limit is None else {"limit": limit})
    columns = tuple(d[0] for d in result.description)
    rows = result.fetchall()
    total = None if limit is None else int(store.scalar("SELECT count(*) FROM people"))
    return Rows(columns, rows, total)


def rejects(store: Store) -> pd.DataFrame:
    """Every rejected input row: file, line, raw text and reason."""
    return store.sql(
        "SELECT file, line, raw, reason, batch_id FROM rejected_rows ORDER BY batch_id, line"
    )


def batches(store: Store) -> pd.DataFrame:
    """Every import batch with its counts."""
    return store.sql(
        "SELECT batch_id, file, kind, rows_in, rows_loaded, rows_duplicate, rows_rejected, "
        "people_created, imported_at FROM import_batches ORDER BY batch_id"
    )
