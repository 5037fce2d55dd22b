"""One step of the scale session: rebuild the store's tie table from every interaction.

Run as ``python -m bench.scale_ties`` with ``NETGRAPH_DB`` naming the store. The import keeps the
tie table up to date as it goes; this rebuilds all of it in one transaction, as an import that
touches more than a quarter of everyone does, so that building the ties can be set against the
raw pair aggregation of the same interactions (``bench.scale_floors``). The values written are the
ones already there.
"""

from __future__ import annotations

import sys
import time

from netgraph.store.database import open_store
from netgraph.ties.table import refresh


def main() -> None:
    """Rebuild the ties of ``$NETGRAPH_DB`` and print the seconds the rebuild took."""
    with open_store() as store:
        start = time.perf_counter()
        with store.transaction():
            refresh(store, full=True)
        took = time.perf_counter() - start
        ties = int(store.scalar("SELECT count(*) FROM ties"))
    print(f"rebuilt {ties:,} ties in {took:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
