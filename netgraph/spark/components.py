"""Connected components on Spark DataFrames: large-star / small-star (Kiveris et al. 2014).

Each round rewires the edges so that every node points at the smallest id it has seen:

- **large-star**: each node ``x`` links every larger neighbour to the smallest node of its
  closed neighbourhood;
- **small-star**: each node ``x`` links its smaller neighbours (and itself) to the smallest of
  them.

The rounds stop when one leaves the edges unchanged; every component is then a star around its
smallest id, which names it. A round takes a few joins and the number of rounds grows with the
logarithm of the diameter, so a long path needs many: each round's edges are checkpointed
(``localCheckpoint``) to keep Spark's plan from growing with the rounds.

References
----------
Kiveris, R., Lattanzi, S., Mirrokni, V., Rastogi, V., & Vassilvitskii, S. (2014). Connected
components in MapReduce and beyond. *SoCC 2014*, 1-13. https://doi.org/10.1145/2670979.2670997
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["MAX_ROUNDS", "components"]

#: A safeguard: large-star / small-star needs O(log n) rounds, far fewer than this.
MAX_ROUNDS = 200


def _large_star(edges: DataFrame) -> DataFrame:
    from pyspark.sql import functions as F

    both = edges.union(edges.select(F.col("b").alias("a"), F.col("a").alias("b")))
    low = both.groupBy("a").agg(F.least(F.col("a"), F.min("b")).alias("m"))
    return (both.where(F.col("b") > F.col("a")).join(low, "a")
            .select(F.col("b").alias("a"), F.col("m").alias("b")).distinct())


def _small_star(edges: DataFrame) -> DataFrame:
    from pyspark.sql import functions as F

    down = edges.select(F.greatest("a", "b").alias("a"), F.least("a", "b").alias("b"))
    low = down.groupBy("a").agg(F.min("b").alias("m"))
    linked = down.join(low, "a").select(F.col("b").alias("a"), "m")
    selves = low.select("a", "m")
    return (linked.union(selves).where(F.col("a") != F.col("m"))
            .select("a", F.col("m").alias("b")).distinct())


def _signature(edges: DataFrame) -> tuple[int, int]:
    """The edge set's size and a sum of hashes: equal for equal sets, almost surely only then."""
    from pyspark.sql import functions as F

    row = edges.agg(F.count("*"), F.sum(F.xxhash64("a", "b").bitwiseAND(0xFFFFFFFF))).first()
    return int(row[0]), int(row[1] or 0)


def components(ties: DataFrame, *, rounds: list[int] | None = None) -> DataFrame:
    """Each person with a tie and their component, named by its smallest person id.

    Parameters
    ----------
    ties : DataFrame
        Columns ``u`` and ``v``.
    rounds : list, optional
        Receives the number of rounds taken.

    Returns
    -------
    DataFrame
        ``person_id``, ``component``.
    """
    from pyspark.sql import functions as F

    edges = ties.select(F.least("u", "v").alias("a"), F.greatest("u", "v").alias("b")) \
        .where(F.col("a") != F.col("b")).distinct().localCheckpoint()
    last, n = _signature(edges), 0
    while n < MAX_ROUNDS:
        n += 1
        edges = _small_star(_large_star(edges)).localCheckpoint()
        now = _signature(edges)
        if now == last:
            break
        last = now
    if rounds is not None:
        rounds.append(n)
    # a star around each component's smallest id: its leaves point at it, and it at itself
    people = ties.select(F.col("u").alias("p")).union(ties.select(F.col("v").alias("p"))).distinct()
    return (people.join(edges, people.p == edges.a, "left")
            .select(F.col("p").alias("person_id"),
                    F.coalesce(F.col("b"), F.col("p")).alias("component")))
