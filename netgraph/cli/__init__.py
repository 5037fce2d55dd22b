"""Stage 9, cli: the ``netgraph`` command, click adapters only.

Each command parses its options, calls one library function and prints the frame it returns.
Shared options live in :mod:`~netgraph.cli.options`; :mod:`~netgraph.cli.main` registers the
commands of each module on one group.

May import: anything in netgraph.
"""

from netgraph.cli.main import main

__all__ = ["main"]
