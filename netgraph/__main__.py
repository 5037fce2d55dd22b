"""``python -m netgraph``: the same as the ``netgraph`` command."""

from netgraph.cli import main

main(prog_name="netgraph")
