"""Whole-network answers from metrics computed elsewhere: Spark's, for a network beyond one machine.

``netgraph spark metrics`` computes, per person, the connected component, degree, 2-hop reach,
PageRank on strength and Burt's constraint, and per tie the embeddedness, overlap and
local-bridge flag (:mod:`netgraph.spark.metrics`). From those tables:

- :func:`connectors_from_metrics` ranks everyone as ``connectors --global`` does, with PageRank
  on strength in the place of betweenness and 2-hop reach in the place of communities reached:
  score = :data:`WEIGHTS` applied to the percentile of PageRank, of low constraint and of reach.
- :func:`weak_ties_from_metrics` classifies every tie by the rules of
  :func:`netgraph.analytics.weak_ties.classes`.

Betweenness, communities (Leiden) and the span of a local bridge have no distributed version:
these answers leave them out, and every row says where its metrics come from (``metrics``).

References
----------
Page, L., Brin, S., Motwani, R., & Winograd, T. (1999). The PageRank citation ranking: bringing
order to the web. Stanford InfoLab.

Burt, R. S. (1992). *Structural holes: the social structure of competition*. Harvard
University Press.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from netgraph.analytics.connectors import WEIGHTS, pct_ranks
from netgraph.analytics.weak_ties import MODERATE_MAX, STRONG_TIE, classes

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CONNECTOR_COLUMNS", "NOTE", "SOURCE", "TIE_COLUMNS", "connectors_from_metrics",
           "weak_ties_from_metrics"]

#: The ``metrics`` column of these answers: where the metrics were computed.
SOURCE = "spark"
#: Said under an answer made here.
NOTE = ("From the Spark metrics attached (netgraph attach). Betweenness, communities (Leiden) and "
        "the span of a bridge have no distributed version and are not in this answer: they run "
        "with igraph on one machine from the tie table, betweenness from sampled sources above "
        "5,000 people (netgraph attach TIES_DIR without a metrics folder).")
#: The people metrics read (those of ``people_metrics.parquet``, with name and company).
PEOPLE_IN = ["person_id", "name", "company", "component", "degree", "reach2", "pagerank", "constraint"]
CONNECTOR_COLUMNS = ["rank", "person_id", "name", "company", "score", "pagerank", "constraint", "reach2",
                     "degree", "component", "metrics", "reason"]
#: The tie metrics read (those of ``tie_metrics.parquet``, with both names).
TIES_IN = ["u", "v", "u_name", "v_name", "strength", "embeddedness", "overlap", "local_bridge"]
TIE_COLUMNS = [*TIES_IN, "ties_class", "metrics", "reason"]
#: Constraint below this: "contacts who mostly do not know each other" (as the local view says).
LOW_CONSTRAINT = 0.2


def connectors_from_metrics(people: pd.DataFrame) -> pd.DataFrame:
    """Everyone ranked by PageRank on strength, low constraint and 2-hop reach.

    Parameters
    ----------
    people : pd.DataFrame
        Columns ``person_id``, ``name``, ``company``, ``component``, ``degree``, ``reach2``,
        ``pagerank`` and ``constraint`` (NaN for people without ties).

    Returns
    -------
    pd.DataFrame
        Columns :data:`CONNECTOR_COLUMNS`, the best first (by score, then PageRank).

    Examples
    --------
    >>> import pandas as pd
    >>> people = pd.DataFrame({"person_id": [1, 2, 3], "name": ["A", "B", "C"],
    ...     "company": [None] * 3, "component": [1, 1, 1], "degree": [1, 2, 1],
    ...     "reach2": [2, 2, 2], "pagerank": [0.26, 0.48, 0.26], "constraint": [1.0, 0.5, 1.0]})
    >>> connectors_from_metrics(people)[["rank", "name"]].values.tolist()
    [[1, 'B'], [2, 'A'], [3, 'C']]
    """
    import pandas as pd

    frame = people[PEOPLE_IN].reset_index(drop=True)
    if frame.empty:
        return pd.DataFrame(columns=CONNECTOR_COLUMNS)
    rank = frame["pagerank"].to_numpy(dtype=float)
    con = frame["constraint"].to_numpy(dtype=float)
    reach = frame["reach2"].to_numpy(dtype=float)
    w = WEIGHTS
    rank_pct = pct_ranks(rank)
    score = w[0] * rank_pct + w[1] * pct_ranks(-np.nan_to_num(con, nan=np.inf)) + w[2] * pct_ranks(reach)
    frame["score"] = np.round(score, 6)
    frame["metrics"] = SOURCE
    frame["reason"] = [_connector_reason(p, r, c) for p, r, c in zip(rank_pct, reach, con, strict=True)]
    frame = frame.sort_values(["score", "pagerank"], ascending=False, kind="stable")
    frame.insert(0, "rank", np.arange(1, len(frame) + 1))
    return frame[CONNECTOR_COLUMNS].reset_index(drop=True)


def _connector_reason(rank_pct: float, reach: float, constraint: float) -> str:
    parts = []
    if rank_pct >= 0.99:
        parts.append("in the top 1% by PageRank")
    elif rank_pct >= 0.9:
        parts.append("in the top 10% by PageRank")
    if reach:
        parts.append(f"reaches {int(reach):,} people in two steps")
    if not np.isnan(constraint) and constraint < LOW_CONSTRAINT:
        parts.append("contacts who mostly do not know each other")
    return "; ".join(parts) if parts else "no ties"


def weak_ties_from_metrics(ties: pd.DataFrame) -> pd.DataFrame:
    """Every tie classified from its embeddedness, overlap, local-bridge flag and strength.

    Parameters
    ----------
    ties : pd.DataFrame
        Columns ``u``, ``v``, ``u_name``, ``v_name``, ``strength``, ``embeddedness``,
        ``overlap`` and ``local_bridge``.

    Returns
    -------
    pd.DataFrame
        Columns :data:`TIE_COLUMNS`: local bridges first, then the moderately weak band, then by
        rising strength, as ``weak-ties --everyone`` lists them.

    Examples
    --------
    >>> import pandas as pd
    >>> ties = pd.DataFrame({"u": [1, 2], "v": [2, 3], "u_name": ["A", "B"], "v_name": ["B", "C"],
    ...     "strength": [0.3, 0.1], "embeddedness": [2, 0], "overlap": [0.5, 0.0],
    ...     "local_bridge": [False, True]})
    >>> weak_ties_from_metrics(ties)[["u_name", "v_name", "ties_class"]].values.tolist()
    [['B', 'C', 'bridge'], ['A', 'B', 'moderately weak']]
    """
    import pandas as pd

    frame = ties[TIES_IN].reset_index(drop=True)
    if frame.empty:
        return pd.DataFrame(columns=TIE_COLUMNS)
    emb = frame["embeddedness"].to_numpy(dtype=np.int64)
    strength = frame["strength"].to_numpy(dtype=float)
    bridge = frame["local_bridge"].to_numpy(dtype=bool)
    cls = classes(emb, frame["overlap"].to_numpy(dtype=float), bridge, strength)
    frame["ties_class"] = cls
    frame["metrics"] = SOURCE
    frame["reason"] = [
        "no mutual contacts" if b else
        f"{k} mutual contact{'s' if k != 1 else ''}, "
        f"{'rarely in touch' if s < STRONG_TIE else 'in close touch'}"
        for k, s, b in zip(emb.tolist(), strength.tolist(), bridge.tolist(), strict=True)]
    band = (cls == "moderately weak") & (emb <= MODERATE_MAX)
    order = np.lexsort((strength, ~band, ~bridge))
    return frame.iloc[order][TIE_COLUMNS].reset_index(drop=True)
