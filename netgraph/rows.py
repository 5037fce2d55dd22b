"""A table as plain Python values: what a question answers with when no pandas is wanted.

A question asked from the command line answers in well under a second only if it loads no
pandas (whose import alone takes about half a second): the analyses whose inputs are small (my
introductions, one tie's features) compute plain rows, and :class:`Rows` carries them to the
printer. The Python API hands out the same answer as a DataFrame (:meth:`Rows.to_frame`).

A foundation module: it imports nothing of netgraph, and pandas only in :meth:`Rows.to_frame`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Rows"]


@dataclass(frozen=True)
class Rows:
    """A table as plain Python values: column names, and (the first of) its rows.

    ``total`` is how many rows the whole listing has, when only its first are held (else the
    rows held are all of it). :meth:`to_frame` builds the DataFrame, loading pandas only then;
    ``dtypes`` names the pandas types of the columns that need one (such as ``"Int64"`` for
    whole numbers that may be missing).
    """

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    total: int | None = None
    dtypes: Mapping[str, str] | None = None

    @classmethod
    def of(cls, columns: Iterable[str], records: Iterable[Mapping[str, Any]], *,
           dtypes: Mapping[str, str] | None = None) -> Rows:
        """Rows from mappings (such as dicts), each holding at least ``columns``."""
        columns = tuple(columns)
        return cls(columns, [tuple(r[c] for c in columns) for r in records], dtypes=dtypes)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Rows:
        """A DataFrame's rows as they are (its cells may be numpy scalars; the printer copes)."""
        return cls(tuple(str(c) for c in frame.columns),
                   list(frame.itertuples(index=False, name=None)))

    def records(self) -> list[dict[str, Any]]:
        """The rows held, each as a dict by column."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def column(self, name: str) -> list[Any]:
        """The values of one column, in row order."""
        i = self.columns.index(name)
        return [row[i] for row in self.rows]

    def __len__(self) -> int:
        """The number of rows of the whole listing."""
        return len(self.rows) if self.total is None else self.total

    @property
    def empty(self) -> bool:
        """Whether the listing has no row."""
        return len(self) == 0

    def head(self, n: int) -> Rows:
        """The first ``n`` rows (all of them when there are fewer)."""
        return Rows(self.columns, self.rows[:n], dtypes=self.dtypes)

    def select(self, columns: list[str]) -> Rows:
        """Only ``columns``, in that order (those the listing has)."""
        keep = [self.columns.index(c) for c in columns if c in self.columns]
        return Rows(tuple(self.columns[i] for i in keep),
                    [tuple(row[i] for i in keep) for row in self.rows], self.total, self.dtypes)

    def answer(self, as_frame: bool) -> pd.DataFrame | Rows:
        """The DataFrame (:meth:`to_frame`) when ``as_frame``, else these rows (the API's choice)."""
        return self.to_frame() if as_frame else self

    def to_frame(self) -> pd.DataFrame:
        """The rows held, as a DataFrame with these columns."""
        import pandas as pd

        frame = pd.DataFrame.from_records(self.rows, columns=list(self.columns))
        types = {c: t for c, t in (self.dtypes or {}).items() if c in frame}
        return frame.astype(types) if types else frame
