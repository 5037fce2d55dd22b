"""The tie SQL, written once for DuckDB, translated to Spark SQL by sqlglot.

The tie table's query is :func:`netgraph.ties.features.pairs_sql` (every tie's features) under
:func:`netgraph.ties.model.strength_sql` (its strength), as the store builds it. This module
never writes a second copy of it: it parses the DuckDB text with sqlglot, applies the rewrites
below to the syntax tree, puts the parameters in as typed literals, and prints Spark SQL.

The rewrites, each needed for Spark to give DuckDB's values exactly:

1. **Decimal literals become DOUBLE.** Spark reads ``1.0`` or ``120.0`` as a DECIMAL, so
   ``-days / 120.0`` is decimal division, rounded to 6 places, and ``1.0 / (n - 1)`` keeps 12.
   DuckDB divides in DOUBLE. Every literal with a decimal point is cast to DOUBLE.
2. **``list_position`` becomes ``array_position``**, which Spark knows, with 0 (not found) turned
   back into NULL as DuckDB returns it (``nullif(..., 0)``).
3. **An ordered ``listagg(DISTINCT k)`` becomes ``array_join(array_sort(collect_set(k)), sep)``.**
   ``listagg(DISTINCT ...) WITHIN GROUP (ORDER BY ...)`` beside ``count(DISTINCT ...)`` fails in
   Spark 4 (``ClassCastException ... SortOrder``). The tie SQL now aggregates the kinds of contact
   as a bit mask and no longer needs it; the rewrite stays for any text-listing aggregate.

Parameters (``$name`` in DuckDB) become literals of their Python type: a ``datetime`` a
``TIMESTAMP_NTZ`` (the store's timestamps are naive), a ``date`` a ``DATE``, a float a DOUBLE.
The result's columns are cast to the types of the store's ``ties`` table, read from the store's
DDL (``schema.sql``), so the Parquet written has the same schema as the store.
"""

from __future__ import annotations

import functools
import re
from datetime import date, datetime
from importlib import resources
from typing import Any

from netgraph.spark.session import require
from netgraph.ties.features import FEATURE_COLUMNS, pairs_sql
from netgraph.ties.model import strength_sql

__all__ = ["TIE_COLUMNS", "store_types", "tables_read", "tie_query", "to_spark"]

#: The columns of the tie table, in order: the features, then strength and distance.
TIE_COLUMNS = (*FEATURE_COLUMNS, "strength", "distance")

# The tie table's query in DuckDB: the features, their strength as of $day, and the distance,
# composed from the pieces the store's tie table is built from (netgraph.ties.table).
_TIES = """
SELECT {features}, s AS strength, -ln(s) AS distance
FROM (SELECT p.*, {strength} AS s FROM ({pairs}) p)
"""


def _duckdb_ties() -> str:
    """The tie table's query, in DuckDB SQL, with its ``$`` parameters."""
    return (_TIES.replace("{features}", ", ".join(FEATURE_COLUMNS))
            .replace("{strength}", strength_sql("$day"))
            .replace("{pairs}", pairs_sql(scoped=False, ordered=False)))


def _literal(value: Any) -> Any:
    """A sqlglot expression for a parameter's value, typed as DuckDB would bind it."""
    from sqlglot import exp

    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, datetime):
        return exp.cast(exp.Literal.string(value.isoformat(sep=" ")), "TIMESTAMP_NTZ",
                        dialect="spark")
    if isinstance(value, date):
        return exp.cast(exp.Literal.string(value.isoformat()), "DATE")
    if isinstance(value, int):
        return exp.Literal.number(value)
    if isinstance(value, float):
        return exp.cast(exp.Literal.number(repr(value)), "DOUBLE")
    if isinstance(value, str):
        return exp.Literal.string(value)
    msg = f"a tie query parameter of type {type(value).__name__} has no Spark literal"
    raise TypeError(msg)


def _rewrite(node: Any, values: dict[str, Any]) -> Any:
    """One node of the DuckDB tree as Spark needs it (the rewrites of the module docstring)."""
    from sqlglot import exp

    if isinstance(node, exp.Placeholder | exp.Parameter):
        name = node.name
        if name not in values:
            msg = f"the tie SQL names ${name}, which no parameter gives"
            raise KeyError(msg)
        return _literal(values[name])
    decimal = isinstance(node, exp.Literal) and not node.is_string and re.search(r"[.eE]", node.this)
    if decimal and not (isinstance(node.parent, exp.Cast) and node.parent.to.is_type("double")):
        return exp.cast(node.copy(), "DOUBLE")
    if isinstance(node, exp.Anonymous) and node.name.lower() == "list_position":
        found = exp.func("array_position", *node.expressions, dialect="spark")
        return exp.func("nullif", found, exp.Literal.number(0))
    if isinstance(node, exp.GroupConcat) and isinstance(node.this, exp.Order) \
            and isinstance(node.this.this, exp.Distinct):
        keys = node.this.this.expressions
        sep = node.args.get("separator") or exp.Literal.string(",")
        if len(keys) == 1:
            listed = exp.func("array_sort", exp.func("collect_set", keys[0].copy(), dialect="spark"))
            return exp.func("array_join", listed, sep.copy(), dialect="spark")
    return node


def to_spark(duckdb_sql: str, values: dict[str, Any] | None = None) -> str:
    """``duckdb_sql`` as Spark SQL: parsed by sqlglot, rewritten, with ``values`` as literals.

    Examples
    --------
    >>> to_spark("SELECT list_position(['a', 'b'], k) - 1 AS i, x / 2.0 FROM t WHERE d < $day",
    ...          {"day": date(2026, 10, 31)})
    "SELECT NULLIF(ARRAY_POSITION(ARRAY('a', 'b'), k), 0) - 1 AS i, x / CAST(2.0 AS DOUBLE) FROM t WHERE d < CAST('2026-10-31' AS DATE)"
    """  # noqa: E501
    sqlglot = require("sqlglot")
    tree = sqlglot.parse_one(duckdb_sql, read="duckdb")
    tree = tree.transform(lambda node: _rewrite(node, values or {}), copy=True)
    return tree.sql(dialect="spark")


@functools.cache
def store_types() -> dict[str, str]:
    """The Spark type of each column of the store's ``ties`` table, from the store's DDL."""
    sqlglot = require("sqlglot")
    from sqlglot import exp

    ddl = resources.files("netgraph.store").joinpath("schema.sql").read_text(encoding="utf-8")
    for statement in sqlglot.parse(ddl, read="duckdb"):
        if isinstance(statement, exp.Create) and statement.this.this.name == "ties":
            return {col.name: col.args["kind"].sql(dialect="spark")
                    for col in statement.this.expressions if isinstance(col, exp.ColumnDef)}
    msg = "the store's schema.sql has no ties table"
    raise LookupError(msg)


def tie_query(values: dict[str, Any]) -> str:
    """The tie table's query in Spark SQL: every column of :data:`TIE_COLUMNS`, typed as stored.

    ``values`` are the tie query's parameters (:func:`netgraph.ties.features.params`) and
    ``day``, the day strength is computed for. Sorted by ``u, v``.
    """
    from sqlglot import exp

    types = store_types()
    inner = to_spark(_duckdb_ties(), values)
    select = exp.select(*(exp.cast(exp.column(c), types[c], dialect="spark").as_(c)
                          for c in TIE_COLUMNS)).from_(exp.maybe_parse(inner, dialect="spark")
                                                      .subquery("t"))
    return select.order_by("u", "v").sql(dialect="spark")


def tables_read() -> dict[str, set[str]]:
    """The store's tables the tie SQL reads, each with the columns it reads from them.

    Found scope by scope (sqlglot's scopes): a column names its table, or its scope reads one
    table only.
    """
    sqlglot = require("sqlglot")
    from sqlglot import exp
    from sqlglot.optimizer.scope import traverse_scope

    found: dict[str, set[str]] = {}
    for scope in traverse_scope(sqlglot.parse_one(_duckdb_ties(), read="duckdb")):
        selected = scope.selected_sources
        tables = {alias: src.name for alias, (_, src) in selected.items()
                  if isinstance(src, exp.Table)}
        for name in tables.values():
            found.setdefault(name, set())
        only = next(iter(tables.values())) if len(selected) == 1 and tables else None
        for col in scope.columns:
            table = tables.get(col.table) if col.table else only
            if table is not None:
                found[table].add(col.name)
    return found


def _declared() -> dict[str, list[str]]:
    """Every table of the store's DDL with its columns."""
    sqlglot = require("sqlglot")
    from sqlglot import exp

    ddl = resources.files("netgraph.store").joinpath("schema.sql").read_text(encoding="utf-8")
    return {s.this.this.name: [c.name for c in s.this.expressions if isinstance(c, exp.ColumnDef)]
            for s in sqlglot.parse(ddl, read="duckdb") if isinstance(s, exp.Create)}
