"""``python -m netgraph``: the same as the ``netgraph`` command."""

from netgraph.cli.main import main

if __name__ == "__main__":  # a process spawned by netgraph (reading mail) imports this module too
    main(prog_name="netgraph")
