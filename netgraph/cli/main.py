"""The ``netgraph`` command: one group, with the commands of each module registered on it.

Each command parses its options, calls one library function and prints the result. The
commands live by subject: :mod:`~netgraph.cli.setup` (init, import), :mod:`~netgraph.cli.listings`,
:mod:`~netgraph.cli.analyses`, :mod:`~netgraph.cli.identity` (dedupe, merge, unmerge...) and
:mod:`~netgraph.cli.reports` (report, export, sample, demo) and :mod:`~netgraph.cli.spark` (spark,
attach). They import the shared options from
:mod:`~netgraph.cli.options`, never this module, so the package has no import cycle.
"""

from __future__ import annotations

import logging
from pathlib import Path

import click

from netgraph.cli import analyses, followups, identity, listings, reports, setup, spark, travel
from netgraph.cli.options import NetgraphGroup, db_option


@click.group(cls=NetgraphGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", count=True, help="Say more about what is happening (-vv for debug).")
@db_option
@click.version_option(package_name="netgraph")
def main(verbose: int, db: Path | None) -> None:
    """netgraph: who connects you, which ties you neglect, and how to get a warm introduction.

    Everything stays on this machine, in one DuckDB file (--db or NETGRAPH_DB).
    Start with `netgraph demo`, or `netgraph import contacts.csv interactions.csv`.
    """
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("netgraph").setLevel(level)



for _module in (setup, listings, analyses, followups, identity, reports, travel, spark):
    for _command in _module.COMMANDS:
        main.add_command(_command)

if __name__ == "__main__":  # pragma: no cover
    main()
