"""Warm introduction paths: the k best fair paths to a person, a company, a city or a tag.

:mod:`~netgraph.analytics.paths.search` finds paths (bounded, on distance, every hop above a
minimum strength), :mod:`~netgraph.analytics.paths.warm` is the public face,
:mod:`~netgraph.analytics.paths.results` holds the result types and
:mod:`~netgraph.analytics.paths.explain` puts paths into words;
:mod:`~netgraph.analytics.paths.plan` picks who on a team should ask.
"""
