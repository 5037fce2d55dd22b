"""Stage 5, ties: what each pair of people shares, and how strong that makes their tie.

:mod:`~netgraph.ties.features` aggregates the per-pair features in SQL (as of a date);
:mod:`~netgraph.ties.model` is the pure tie-strength model (Gilbert & Karahalios 2009) and the
as-of helpers; :mod:`~netgraph.ties.history` reads my ties over time (now and at their peak,
contact gaps, follow-ups, introductions) for the neglect analyses.

May import: :mod:`netgraph.store`, :mod:`netgraph._errors`. The model imports nothing of netgraph.
"""
