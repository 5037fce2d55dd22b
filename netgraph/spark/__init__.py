"""Stage 1b, spark: the tie table and the whole-network metrics on Apache Spark, beyond one machine.

Reads the Parquet folders that ``netgraph export --format parquet --store-tables`` writes, and
writes Parquet folders back: the tie table (:mod:`~netgraph.spark.ties`, the DuckDB tie SQL
translated by sqlglot in :mod:`~netgraph.spark.sql`) and per-person and per-tie metrics
(:mod:`~netgraph.spark.components`, :mod:`~netgraph.spark.rank`,
:mod:`~netgraph.spark.structure`). :mod:`~netgraph.spark.attach` loads them into a local store,
so that the questions about me read Spark's ties as they read their own, and the whole-network
questions are answered from Spark's metrics (:mod:`netgraph.analytics.from_metrics`).

pyspark and sqlglot are an optional extra (``pip install 'netgraph[spark]'``): they are imported
inside the functions that use them, never when netgraph starts.

May import: :mod:`netgraph.analytics`, :mod:`netgraph.ties`, :mod:`netgraph.store`,
:mod:`netgraph._errors`, :mod:`netgraph._progress`. Nothing of netgraph imports it but the CLI and the API.
"""
