"""PageRank on tie strength, by joins, step for step as ``nx.pagerank(G, weight="strength")``.

Each person passes their rank to their ties in proportion to the ties' strength; a share
``1 - alpha`` is spread evenly over everyone (Page, Brin, Motwani & Winograd 1999). The
iteration is NetworkX's: it starts from ``1/N``, and stops when the ranks moved less than
``N * tol`` in total (L1), so the values agree with NetworkX's to rounding, not only to the
tolerance. Every person here has a tie, so no rank dangles.

References
----------
Page, L., Brin, S., Motwani, R., & Winograd, T. (1999). *The PageRank citation ranking: bringing
order to the web*. Stanford InfoLab Technical Report 1999-66.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from netgraph._errors import NetgraphError

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["ALPHA", "MAX_ITER", "TOL", "pagerank"]

ALPHA = 0.85
TOL = 1.0e-6
MAX_ITER = 100


def pagerank(ties: DataFrame, *, alpha: float = ALPHA, tol: float = TOL, max_iter: int = MAX_ITER,
             iterations: list[int] | None = None) -> DataFrame:
    """Each person's PageRank, with strength as the weight of their ties.

    Parameters
    ----------
    ties : DataFrame
        Columns ``u``, ``v``, ``strength`` (one row per tie; the graph is undirected).
    alpha, tol, max_iter
        As for :func:`networkx.pagerank`.
    iterations : list, optional
        Receives the number of iterations taken.

    Returns
    -------
    DataFrame
        ``person_id``, ``pagerank`` (summing to 1).

    Raises
    ------
    NetgraphError
        When it does not converge within ``max_iter`` iterations.
    """
    from pyspark.sql import functions as F

    arcs = ties.select(F.col("u").alias("src"), F.col("v").alias("dst"), "strength").union(
        ties.select(F.col("v").alias("src"), F.col("u").alias("dst"), "strength"))
    out = arcs.groupBy("src").agg(F.sum("strength").alias("out"))
    arcs = (arcs.join(out, "src").select("src", "dst", (F.col("strength") / F.col("out")).alias("w"))
            .localCheckpoint())
    people = out.select(F.col("src").alias("person_id")).localCheckpoint()
    n = people.count()
    if n == 0:
        return people.withColumn("pagerank", F.lit(0.0))
    ranks = people.withColumn("pagerank", F.lit(1.0 / n))
    for k in range(1, max_iter + 1):
        flow = (arcs.join(ranks, arcs.src == ranks.person_id)
                .groupBy(F.col("dst").alias("person_id"))
                .agg(F.sum(F.col("pagerank") * F.col("w")).alias("flow")))
        new = (people.join(flow, "person_id", "left")
               .select("person_id", (F.lit(alpha) * F.coalesce("flow", F.lit(0.0))
                                     + F.lit((1.0 - alpha) / n)).alias("pagerank"))
               .localCheckpoint())
        moved = (new.join(ranks.withColumnRenamed("pagerank", "before"), "person_id")
                 .agg(F.sum(F.abs(F.col("pagerank") - F.col("before")))).first()[0])
        ranks = new
        if moved < n * tol:
            if iterations is not None:
                iterations.append(k)
            return ranks
    msg = f"PageRank did not converge in {max_iter} iterations (tolerance {tol})"
    raise NetgraphError(msg)
