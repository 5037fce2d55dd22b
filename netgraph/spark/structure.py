"""Who knows whom around each tie and person, on Spark DataFrames: the two-hop joins.

- **degree** and **2-hop reach**: how many people a person is tied to, and how many are within
  two ties of them (themselves aside), exactly: the distinct ends of every two-step walk.
- **embeddedness**, **overlap** and **local bridge**, per tie, as the local engine defines them
  (:mod:`netgraph.analytics.weak_ties`): the mutual contacts of the tie's two people; Onnela et
  al.'s (2007) neighbourhood overlap ``common / (deg(u) - 1 + deg(v) - 1 - common)`` (0 when
  that is 0); and a local bridge when they have no mutual contact (Granovetter 1973).
- **Burt's constraint** (Burt 1992) with strength as the weight, as ``nx.constraint(G,
  weight="strength")`` and the local connectors (igraph) compute it:
  ``c(u) = sum over ties uv of (p_uv + sum over mutual contacts w of p_uw p_wv)^2``, with
  ``p_uv = s_uv / S_u`` and ``S_u`` the sum of u's strengths.

Both per-tie measures and the constraint's indirect term come from one list of triangles. Each
triangle is found once: ties are pointed from the lower to the higher degree (ties broken by
id), so every person looks only at pairs of their higher-ranked contacts, which bounds the work
by ``m^1.5`` rather than by the sum of squared degrees (Schank & Wagner 2005).

References
----------
Burt, R. S. (1992). *Structural Holes: The Social Structure of Competition*. Harvard University
Press.

Granovetter, M. S. (1973). The strength of weak ties. *American Journal of Sociology*, 78(6),
1360-1380. https://doi.org/10.1086/225469

Onnela, J.-P., et al. (2007). Structure and tie strengths in mobile communication networks.
*PNAS*, 104(18), 7332-7336. https://doi.org/10.1073/pnas.0610245104

Schank, T., & Wagner, D. (2005). Finding, counting and listing all triangles in large graphs, an
experimental study. *WEA 2005*, LNCS 3503, 606-609. https://doi.org/10.1007/11427186_54
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["arcs", "constraint", "degrees", "reach2", "tie_structure", "triangles"]


def arcs(ties: DataFrame) -> DataFrame:
    """Every tie in both directions: ``src``, ``dst``, ``strength``."""
    from pyspark.sql import functions as F

    return ties.select(F.col("u").alias("src"), F.col("v").alias("dst"), "strength").union(
        ties.select(F.col("v").alias("src"), F.col("u").alias("dst"), "strength"))


def degrees(ties: DataFrame) -> DataFrame:
    """``person_id``, ``degree`` (ties) and ``total`` (the sum of their strengths)."""
    from pyspark.sql import functions as F

    return arcs(ties).groupBy(F.col("src").alias("person_id")).agg(
        F.count("*").alias("degree"), F.sum("strength").alias("total"))


def reach2(ties: DataFrame) -> DataFrame:
    """``person_id``, ``reach2``: the people within two ties of each person, themselves aside."""
    from pyspark.sql import functions as F

    a = arcs(ties).select("src", "dst")
    two = (a.alias("x").join(a.alias("y"), F.col("x.dst") == F.col("y.src"))
           .select(F.col("x.src").alias("src"), F.col("y.dst").alias("dst")))
    return (a.union(two).where(F.col("src") != F.col("dst")).distinct()
            .groupBy(F.col("src").alias("person_id")).agg(F.count("*").alias("reach2")))


def triangles(ties: DataFrame, degree: DataFrame) -> DataFrame:
    """Every triangle once: ``x``, ``a``, ``b`` and the strengths ``s_xa``, ``s_xb``, ``s_ab``.

    ``x`` is the triangle's lowest-ranked person (rank: degree, then id), ``a`` below ``b``.
    """
    from pyspark.sql import functions as F

    rank = degree.select("person_id", (F.col("degree").cast("long") * F.lit(1 << 32)
                                       + F.col("person_id").cast("long")).alias("r"))
    ranked = (arcs(ties).join(rank.withColumnRenamed("person_id", "src")
                              .withColumnRenamed("r", "rs"), "src")
              .join(rank.withColumnRenamed("person_id", "dst").withColumnRenamed("r", "rd"), "dst"))
    up = ranked.where(F.col("rs") < F.col("rd")).select("src", "dst", "strength", "rd")
    wedges = (up.alias("p").join(up.alias("q"), (F.col("p.src") == F.col("q.src"))
                                 & (F.col("p.rd") < F.col("q.rd")))
              .select(F.col("p.src").alias("x"), F.col("p.dst").alias("a"), F.col("q.dst").alias("b"),
                      F.col("p.strength").alias("s_xa"), F.col("q.strength").alias("s_xb")))
    close = up.select(F.col("src").alias("a"), F.col("dst").alias("b"), F.col("strength").alias("s_ab"))
    return wedges.join(close, ["a", "b"]).select("x", "a", "b", "s_xa", "s_xb", "s_ab")


def tie_structure(ties: DataFrame, degree: DataFrame, tri: DataFrame) -> DataFrame:
    """Per tie: ``u``, ``v``, ``strength``, ``embeddedness``, ``overlap``, ``local_bridge``."""
    from pyspark.sql import functions as F

    sides = tri.select(F.explode(F.array(
        F.struct(F.least("x", "a").alias("u"), F.greatest("x", "a").alias("v")),
        F.struct(F.least("x", "b").alias("u"), F.greatest("x", "b").alias("v")),
        F.struct(F.least("a", "b").alias("u"), F.greatest("a", "b").alias("v")))).alias("t"))
    common = sides.groupBy(F.col("t.u").alias("u"), F.col("t.v").alias("v")).agg(
        F.count("*").alias("embeddedness"))
    du = degree.select(F.col("person_id").alias("u"), F.col("degree").alias("du"))
    dv = degree.select(F.col("person_id").alias("v"), F.col("degree").alias("dv"))
    out = (ties.select("u", "v", "strength").join(common, ["u", "v"], "left")
           .join(du, "u").join(dv, "v")
           .withColumn("embeddedness", F.coalesce("embeddedness", F.lit(0)).cast("long")))
    denom = F.col("du") - 1 + F.col("dv") - 1 - F.col("embeddedness")
    return out.select(
        "u", "v", "strength", "embeddedness",
        F.when(denom > 0, F.col("embeddedness") / denom).otherwise(F.lit(0.0)).alias("overlap"),
        (F.col("embeddedness") == 0).alias("local_bridge"))


def constraint(ties: DataFrame, degree: DataFrame, tri: DataFrame) -> DataFrame:
    """``person_id``, ``constraint``: Burt's constraint with strength as the weight."""
    from pyspark.sql import functions as F

    def via(u: str, v: str, w: str, s_uw: str, s_wv: str):
        return F.struct(F.col(u).alias("u"), F.col(v).alias("v"), F.col(w).alias("w"),
                        F.col(s_uw).alias("s_uw"), F.col(s_wv).alias("s_wv"))

    paths = tri.select(F.explode(F.array(
        via("x", "a", "b", "s_xb", "s_ab"), via("a", "x", "b", "s_ab", "s_xb"),
        via("x", "b", "a", "s_xa", "s_ab"), via("b", "x", "a", "s_ab", "s_xa"),
        via("a", "b", "x", "s_xa", "s_xb"), via("b", "a", "x", "s_xb", "s_xa"))).alias("t")
    ).select("t.*")
    total = degree.select("person_id", "total")
    tu = total.select(F.col("person_id").alias("u"), F.col("total").alias("su"))
    tw = total.select(F.col("person_id").alias("w"), F.col("total").alias("sw"))
    indirect = (paths.join(tu, "u").join(tw, "w")
                .groupBy("u", "v").agg(F.sum(F.col("s_uw") * F.col("s_wv")
                                             / (F.col("su") * F.col("sw"))).alias("indirect")))
    a = arcs(ties).select(F.col("src").alias("u"), F.col("dst").alias("v"), "strength")
    local = (a.join(tu, "u").join(indirect, ["u", "v"], "left")
             .select("u", F.pow(F.col("strength") / F.col("su")
                                + F.coalesce("indirect", F.lit(0.0)), 2).alias("c")))
    return local.groupBy(F.col("u").alias("person_id")).agg(F.sum("c").alias("constraint"))
