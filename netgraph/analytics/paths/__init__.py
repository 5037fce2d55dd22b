"""Warm introduction paths: the k best fair paths to a person, a company, a city or a tag.

:mod:`~netgraph.analytics.paths.warm` is the public face (:func:`warm_paths`, and
:func:`team_paths`, which says who on a team should ask);
:mod:`~netgraph.analytics.paths.targets` reads a target (a person, or ``company:``, ``city:``,
``tag:``) and finds whom it stands for; :mod:`~netgraph.analytics.paths.search` finds paths
(bounded, on distance, every hop above a minimum strength);
:mod:`~netgraph.analytics.paths.results` holds the result types and
:mod:`~netgraph.analytics.paths.explain` puts paths into words;
:mod:`~netgraph.analytics.paths.plan` picks the fewest introducers who cover many targets.

Pure, like the rest of :mod:`netgraph.analytics`: a graph in, results out.
"""
