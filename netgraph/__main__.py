"""``python -m netgraph``: the same as the ``netgraph`` command."""

from netgraph.cli.main import main

main(prog_name="netgraph")
