"""ksqlDB's built-in aggregate functions (UDAFs): their declarations, resolution and the aggregators.

Resolution is ksqlDB's for aggregates: every argument's type (a literal's too) picks the variant with
no implicit casts; the variant's trailing literal parameters (TOPK's k, LATEST_BY_OFFSET's n and
ignoreNulls) must be literal constants, the others are the aggregated columns. Function settings
(`ksql.functions.collect_list.limit`, ...) come from the query's properties.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

from ksqlserver.catalog.types import BIGINT, SqlType
from ksqlserver.errors import KsqlStatementError
from ksqlserver.functions.aggregator import Aggregator, replaying
from ksqlserver.functions.registry import FunctionRegistry, ScalarFunction, V, Variant, udf
from ksqlserver.functions.udafs import FACTORIES

_COLUMN = re.compile(r"val\d+")


def register(r: FunctionRegistry) -> None:
    impl = FACTORIES
    udf(r, "ATTR", "AGGREGATE",
        "The ATTR() aggregation indicates there are multiple values, but only one was expected. For "
        "example, if aggregating against a table that semantically should have only one value for a "
        "column given a key, this aggregation enables users to indicate that they expect only a single "
        "value.\n\nIf the aggregation encounters more than a single value for the expected singular "
        "column, the entire aggregation will return null.",
        V(["T val1"], "T", impl["ATTR"], "Collect as a singleton"),
        author="",
    )
    udf(r, "AVG", "AGGREGATE",
        "Returns the average value of the column computed as the sum divided by thecount. Applicable only "
        "to numeric types.",
        V(["BIGINT val1"], "DOUBLE", impl["AVG"], "Compute average of column with type Long."),
        V(["INT val1"], "DOUBLE", impl["AVG"], "Compute average of column with type Integer."),
        V(["DOUBLE val1"], "DOUBLE", impl["AVG"], "Compute average of column with type Double."),
        java_name="avg",
    )
    udf(r, "COLLECT_LIST", "AGGREGATE",
        "Gather all of the values from an input grouping into a single Array field.\nAlthough this "
        "aggregate works on both Stream and Table inputs, the order of entries in the result array is not "
        "guaranteed when working on Table input data.\nYou may limit the size of the resultant Array to N "
        "entries, beyond which any further values will be silently ignored, by setting the "
        "ksql.functions.collect_list.limit configuration to N.",
        V(["T val1"], "ARRAY<T>", impl["COLLECT_LIST"], "collect values of a field into a single Array"),
        java_name="collect_list",
    )
    udf(r, "COLLECT_SET", "AGGREGATE",
        "Gather all of the distinct values from an input grouping into a single Array.\nNot available for "
        "aggregating values from an input Table.\nYou may limit the size of the resultant Array to N "
        "entries, beyond which any further values will be silently ignored, by setting the "
        "ksql.functions.collect_list.limit configuration to N.",
        V(["T val1"], "ARRAY<T>", impl["COLLECT_SET"], "collect distinct values of a Bigint field into a single Array"),
        java_name="collect_set",
    )
    udf(r, "CORRELATION", "AGGREGATE",
        "Computes the Pearson correlation coefficient between two columns of data.",
        V(
            ["DOUBLE val1", "DOUBLE val2"], "DOUBLE", impl["CORRELATION"],
            "Computes the Pearson correlation coefficient between two DOUBLE columns.",
        ),
        V(
            ["INT val1", "INT val2"], "DOUBLE", impl["CORRELATION"],
            "Computes the Pearson correlation coefficient between two INTEGER columns.",
        ),
        V(
            ["BIGINT val1", "BIGINT val2"], "DOUBLE", impl["CORRELATION"],
            "Computes the Pearson correlation coefficient between two BIGINT columns.",
        ),
        java_name="correlation",
    )
    udf(r, "COUNT", "AGGREGATE",
        "Counts records by key.",
        V(["T val1"], "BIGINT", impl["COUNT"], "Counts records by key."),
    )
    udf(r, "COUNT_DISTINCT", "AGGREGATE",
        "This function returns the number of items found in a group. The implementation is probabilistic "
        "with a typical accuracy (standard error) of less than 1%.",
        V(["T val1"], "BIGINT", impl["COUNT_DISTINCT"], "Count distinct"),
    )
    udf(r, "EARLIEST_BY_OFFSET", "AGGREGATE",
        "This function returns the oldest N values for the column, computed by offset.",
        V(["T val1"], "T", impl["EARLIEST_BY_OFFSET"], "return the earliest value of a column"),
        V(["T val1", "BOOLEAN ignoreNulls"], "T", impl["EARLIEST_BY_OFFSET"], "return the earliest value of a column"),
        V(["T val1", "INT earliestN"], "ARRAY<T>", impl["EARLIEST_BY_OFFSET"], "return the earliest N values of a column"),
        V(
            ["T val1", "INT earliestN", "BOOLEAN ignoreNulls"], "ARRAY<T>", impl["EARLIEST_BY_OFFSET"],
            "return the earliest N values of a column",
        ),
    )
    udf(r, "HISTOGRAM", "AGGREGATE",
        "Returns a map of each distinct String from the input Stream or Table and how many times each "
        "occurs. \nThis version limits the size of the resultant Map to 1000 entries. Any entries added "
        "beyond this limit will be ignored.",
        V(
            ["VARCHAR val1"], "MAP<VARCHAR, BIGINT>", impl["HISTOGRAM"],
            "Build a value-to-count histogram of input Strings",
        ),
        java_name="histogram",
    )
    udf(r, "LATEST_BY_OFFSET", "AGGREGATE",
        "This function returns the oldest N values for the column, computed by offset.",
        V(["T val1"], "T", impl["LATEST_BY_OFFSET"], "return the latest value of a column"),
        V(["T val1", "BOOLEAN ignoreNulls"], "T", impl["LATEST_BY_OFFSET"], "return the latest value of a column"),
        V(["T val1", "INT latestN"], "ARRAY<T>", impl["LATEST_BY_OFFSET"], "return the latest N values of a column"),
        V(
            ["T val1", "INT latestN", "BOOLEAN ignoreNulls"], "ARRAY<T>", impl["LATEST_BY_OFFSET"],
            "return the latest N values of a column",
        ),
    )
    udf(r, "MAX", "AGGREGATE",
        "Computes the maximum value for a key.",
        V(["INT val1"], "INT", impl["MAX"], "Computes the maximum value for an integer key."),
        V(["BIGINT val1"], "BIGINT", impl["MAX"], "Computes the maximum value for a long key."),
        V(["DOUBLE val1"], "DOUBLE", impl["MAX"], "Computes the maximum value for a double key."),
        V(["DECIMAL val1"], "DECIMAL", impl["MAX"], "Computes the maximum value for a decimal key."),
        V(["DATE val1"], "DATE", impl["MAX"], "Computes the maximum value for a date key."),
        V(["TIME val1"], "TIME", impl["MAX"], "Computes the maximum value for a time key."),
        V(["TIMESTAMP val1"], "TIMESTAMP", impl["MAX"], "Computes the maximum value for a timestamp key."),
        V(["VARCHAR val1"], "VARCHAR", impl["MAX"], "Computes the maximum value for a string key."),
        V(["BYTES val1"], "BYTES", impl["MAX"], "Computes the maximum value for a bytes key."),
    )
    udf(r, "MIN", "AGGREGATE",
        "Computes the minimum value for a key.",
        V(["INT val1"], "INT", impl["MIN"], "Computes the minimum value for an integer key."),
        V(["BIGINT val1"], "BIGINT", impl["MIN"], "Computes the minimum value for a long key."),
        V(["DOUBLE val1"], "DOUBLE", impl["MIN"], "Computes the minimum value for a double key."),
        V(["DECIMAL val1"], "DECIMAL", impl["MIN"], "Computes the minimum value for a decimal key."),
        V(["DATE val1"], "DATE", impl["MIN"], "Computes the minimum value for a date key."),
        V(["TIME val1"], "TIME", impl["MIN"], "Computes the minimum value for a time key."),
        V(["TIMESTAMP val1"], "TIMESTAMP", impl["MIN"], "Computes the minimum value for a timestamp key."),
        V(["VARCHAR val1"], "VARCHAR", impl["MIN"], "Computes the minimum value for a string key."),
        V(["BYTES val1"], "BYTES", impl["MIN"], "Computes the minimum value for a bytes key."),
    )
    udf(r, "STDDEV_SAMP", "AGGREGATE",
        "Returns the sample standard deviation of the column. Applicable only to numeric types.",
        V(["BIGINT val1"], "DOUBLE", impl["STDDEV_SAMP"], "Compute sample standard deviation of column with type Long."),
        V(["INT val1"], "DOUBLE", impl["STDDEV_SAMP"], "Compute sample standard deviation of column with type Integer."),
        V(["DOUBLE val1"], "DOUBLE", impl["STDDEV_SAMP"], "Compute sample standard deviation of column with type Double."),
    )
    udf(r, "STDDEV_SAMPLE", "AGGREGATE",
        "Returns the sample standard deviation of the column. Applicable only to numeric types.",
        V(["BIGINT val1"], "DOUBLE", impl["STDDEV_SAMPLE"], "Compute sample standard deviation of column with type Long."),
        V(["INT val1"], "DOUBLE", impl["STDDEV_SAMPLE"], "Compute sample standard deviation of column with type Integer."),
        V(["DOUBLE val1"], "DOUBLE", impl["STDDEV_SAMPLE"], "Compute sample standard deviation of column with type Double."),
    )
    udf(r, "SUM", "AGGREGATE",
        "Computes the sum for a key.",
        V(
            ["DECIMAL val1"], "DECIMAL", impl["SUM"],
            "Computes the sum of decimal values for a key, resulting in a decimal with the same precision "
            "and scale.",
        ),
        V(["DOUBLE val1"], "DOUBLE", impl["SUM"], "Computes the sum for a key."),
        V(["BIGINT val1"], "BIGINT", impl["SUM"], "Computes the sum for a key."),
        V(["INT val1"], "INT", impl["SUM"], "Computes the sum for a key."),
    )
    udf(r, "SUM_LIST", "AGGREGATE",
        "Returns the sum of elements contained in the list.",
        V(["ARRAY<DOUBLE> val1"], "DOUBLE", impl["SUM_LIST"], "sum double values in a list into a single double"),
        V(["ARRAY<INT> val1"], "INT", impl["SUM_LIST"], "sum int values in a list into a single int"),
        V(["ARRAY<BIGINT> val1"], "BIGINT", impl["SUM_LIST"], "sum long values in a list into a single long"),
        java_name="sum_list",
    )
    udf(r, "TOPK", "AGGREGATE",
        "Returns the top k values for a column and other values in those records.",
        V(
            ["INT val1", "ANY... val2", "INT k"], "ARRAY<S>", impl["TOPK"],
            "Returns the top k values for an integer column and other values in those records.",
        ),
        V(
            ["BIGINT val1", "ANY... val2", "INT k"], "ARRAY<S>", impl["TOPK"],
            "Returns the top k values for a bigint column and other values in those records.",
        ),
        V(
            ["DOUBLE val1", "ANY... val2", "INT k"], "ARRAY<S>", impl["TOPK"],
            "Returns the top k values for a double column and other values in those records.",
        ),
        V(
            ["VARCHAR val1", "ANY... val2", "INT k"], "ARRAY<S>", impl["TOPK"],
            "Returns the top k values for a string column and other values in those records.",
        ),
    )
    udf(r, "TOPKDISTINCT", "AGGREGATE",
        "Computes the top k distinct values for a column, per key.",
        V(
            ["INT val1", "INT k"], "ARRAY<INT>", impl["TOPKDISTINCT"],
            "Calculates the top k distinct values for an integer column, per key.",
        ),
        V(
            ["BIGINT val1", "INT k"], "ARRAY<BIGINT>", impl["TOPKDISTINCT"],
            "Calculates the top k distinct values for a long column, per key.",
        ),
        V(
            ["DOUBLE val1", "INT k"], "ARRAY<DOUBLE>", impl["TOPKDISTINCT"],
            "Calculates the top k distinct values for a double column, per key.",
        ),
        V(
            ["VARCHAR val1", "INT k"], "ARRAY<VARCHAR>", impl["TOPKDISTINCT"],
            "Calculates the top k distinct values for a string column, per key.",
        ),
        V(
            ["DECIMAL val1", "INT k"], "ARRAY<DECIMAL>", impl["TOPKDISTINCT"],
            "Calculates the top k distinct values for a decimal column, per key.",
        ),
        V(
            ["DATE val1", "INT k"], "ARRAY<DATE>", impl["TOPKDISTINCT"],
            "Calculates the top k distinct values for a date column, per key.",
        ),
        V(
            ["TIME val1", "INT k"], "ARRAY<TIME>", impl["TOPKDISTINCT"],
            "Calculates the top k distinct values for a time column, per key.",
        ),
        V(
            ["TIMESTAMP val1", "INT k"], "ARRAY<TIMESTAMP>", impl["TOPKDISTINCT"],
            "Calculates the top k distinct values for a timestamp column, per key.",
        ),
        V(
            ["BYTES val1", "INT k"], "ARRAY<BYTES>", impl["TOPKDISTINCT"],
            "Calculates the top k distinct values for a bytes column, per key.",
        ),
    )
    for name in FACTORIES:
        fn = r.require(name)
        fn.kind = "AGGREGATE"
        fn.implicit_casts = False


@lru_cache(maxsize=1)
def _registry() -> FunctionRegistry:
    r = FunctionRegistry()
    register(r)
    return r


AGGREGATE_NAMES = frozenset(FACTORIES)


def function(name: str) -> ScalarFunction:
    return _registry().require(name)


def literal_count(v: Variant) -> int:
    """How many trailing parameters of a UDAF variant are literal (factory) arguments."""
    return sum(1 for n in v.names if not _COLUMN.fullmatch(n))


def column_count(name: str, types: Sequence[SqlType | None], star: bool = False) -> int:
    """The number of leading arguments that are aggregated columns, for these argument types (raises
    ksqlDB's "does not accept parameters" error when no variant takes them)."""
    if star or not types:
        types = [BIGINT]  # COUNT(*) and a call without arguments aggregate ROWTIME
    v, _ = function(name).match(list(types))
    n_lit = literal_count(v)
    if v.variadic and v.variadic_index >= len(v.params) - n_lit:  # a variadic literal parameter
        return len(v.params) - n_lit
    return len(types) - n_lit


def build(
    name: str,
    types: Sequence[SqlType | None],
    literals: Sequence[Any],
    star: bool,
    config: Mapping[str, str] | None = None,
) -> Aggregator:
    """The aggregator for `name` over its column argument types and bound literal arguments."""
    return FACTORIES[name](types, literals, star, config or {})


def not_literal(name: str, index: int, text: str) -> KsqlStatementError:
    """ksqlDB's error for a non-literal in a literal parameter position (0-based `index`)."""
    return KsqlStatementError(
        f"Parameter {index + 1} passed to function {name} must be a literal constant, but was expression: "
        f"'{text}'"
    )


AGGREGATES = FACTORIES  # name -> aggregator factory


__all__ = [
    "AGGREGATES",
    "AGGREGATE_NAMES",
    "Aggregator",
    "build",
    "column_count",
    "function",
    "literal_count",
    "not_literal",
    "replaying",
]
