"""The seeded synthetic network behind ``data/sample`` and the benchmarks.

:mod:`~netgraph.sample.dataset` generates and writes it; the people, the planted truths
(connectors, people who went silent, dormant ties...) and the name lists live beside it.

May import: :mod:`netgraph.report.atomic` (to write files safely), :mod:`netgraph._errors`.
"""
