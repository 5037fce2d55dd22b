"""A table as plain Python values: what a question answers with when no pandas is wanted.

A question asked from the command line answers in well under a second only if it loads no
pandas (whose import alone takes about half a second): the analyses whose inputs are small (my
introductions, one tie's features) compute plain rows, and :class:`Rows` carries them to the
printer. The Python API hands out the same answer as a DataFrame (:meth:`Rows.to_frame`).

A foundation module: it imports nothing of netgraph, and pandas only in :meth:`Rows.to_frame`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Rows"]


@dataclass(frozen=True)
class Rows:
    """A listing as plain Python values: column names, and the first rows of it.

    ``total`` is how many rows the whole listing has, when only its first are held (else the
    rows held are all of it). :meth:`to_frame` builds the DataFrame, loading pandas only then.
    """

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    total: int | None = None

    def __len__(self) -> int:
        """The number of rows of the whole listing."""
        return len(self.rows) if self.total is None else self.total

    @property
    def empty(self) -> bool:
        """Whether the listing has no row."""
        return len(self) == 0

    def head(self, n: int) -> Rows:
        """The first ``n`` rows (all of them when there are fewer)."""
        return Rows(self.columns, self.rows[:n])

    def select(self, columns: list[str]) -> Rows:
        """Only ``columns``, in that order (those the listing has)."""
        keep = [self.columns.index(c) for c in columns if c in self.columns]
        return Rows(tuple(self.columns[i] for i in keep),
                    [tuple(row[i] for i in keep) for row in self.rows], self.total)

    def to_frame(self) -> pd.DataFrame:
        """The rows held, as a DataFrame with these columns."""
        import pandas as pd

        return pd.DataFrame.from_records(self.rows, columns=list(self.columns))
