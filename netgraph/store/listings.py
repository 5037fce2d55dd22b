"""Read-only listings of what the store holds: people with their identities, rejected rows, batches.

Each returns a DataFrame whose columns are the CLI's JSON keys. Importing this module loads
neither pandas nor DuckDB: the store hands out the frames.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from netgraph.store.database import Store

__all__ = ["batches", "people", "rejects"]


def people(store: Store) -> pd.DataFrame:
    """Everyone, with all identities: one row per person, lists joined with ``; ``."""
    return store.sql(
        """
        WITH ident AS (
            SELECT person_id,
                   string_agg(raw, '; ' ORDER BY raw) FILTER (WHERE kind = 'email') AS emails,
                   string_agg(raw, '; ' ORDER BY raw) FILTER (WHERE kind = 'phone') AS phones,
                   string_agg(raw, '; ' ORDER BY raw) FILTER (WHERE kind = 'linkedin') AS profiles,
                   string_agg(raw, '; ' ORDER BY raw) FILTER (WHERE kind = 'id') AS ids,
                   string_agg(raw, '; ' ORDER BY raw) FILTER (WHERE kind = 'alias') AS aliases
            FROM identities GROUP BY person_id
        )
        SELECT p.person_id, p.name, i.ids AS external_ids, i.emails, i.phones, i.profiles,
               p.company, p.title, p.city, p.country,
               array_to_string(p.tags, '; ') AS tags, p.category, i.aliases
        FROM people p LEFT JOIN ident i USING (person_id)
        ORDER BY p.name, p.person_id
        """
    )


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
