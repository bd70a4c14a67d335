"""What the analyser hands the planner about an aggregation: `AggregateQuery` (the input, the grouping
expressions, one `AggCall` per aggregate, the aggregate row's scope and the projections over it), and the sink
of a CTAS ... GROUP BY (`aggregate_sink`: windowed key info and ksqlDB's format checks)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from ksqlserver.analyze.join_tree import JoinInfo
from ksqlserver.analyze.scope import Projection
from ksqlserver.catalog import types as T
from ksqlserver.catalog.metastore import DataSource, WindowInfo
from ksqlserver.catalog.sources import check_value_columns
from ksqlserver.catalog.types import LogicalSchema, SqlType
from ksqlserver.compile.scope import Scope
from ksqlserver.errors import KsqlError, KsqlStatementError, SchemaNotSupportedError
from ksqlserver.functions import aggregates as udafs
from ksqlserver.sql import ast

INTERMEDIATE_MSG = (
    "One of the functions used in the statement has an intermediate type that the value format can not "
    "handle. Please remove the function or change the format.\nConsider up-voting "
    "https://github.com/confluentinc/ksql/issues/3950, which will resolve this limitation"
)

_LEGACY_GRACE_MS = 24 * 3600 * 1000  # Kafka Streams' default grace: 24 h minus the window size


@dataclass
class AggCall:
    name: str
    call: ast.FunctionCall
    args: list[ast.Expression]  # column arguments, evaluated over the input row
    arg_types: list[SqlType | None]
    literals: list[Any]  # bound arguments (TOPK's k, LATEST_BY_OFFSET's n / ignoreNulls)
    aggregator: udafs.Aggregator


@dataclass
class AggregateQuery:
    """A GROUP BY query, analysed: what `plan/aggregate.py` compiles."""

    source: DataSource
    alias: str
    input_scope: Scope
    where: ast.Expression | None
    group_by: list[tuple[str, ast.Expression, SqlType | None]]
    aggs: list[AggCall]
    window: ast.WindowClause | None
    having: ast.Expression | None  # over agg_scope
    agg_scope: Scope
    projections: list[Projection]  # expressions over agg_scope; is_key marks the grouping columns
    key_order: list[int]  # projection index of each grouping expression, in GROUP BY order
    schema: LogicalSchema
    emit: str | None
    limit: int | None = None
    sink_name: str | None = None
    warnings: list[str] = field(default_factory=list)
    join: JoinInfo | None = None  # the aggregation reads the rows of this join
    groups_by_join_key: bool = False  # grouped by the join's key column alone (see `groups_by_key`)
    # the input columns the aggregation reads, in the order ksqlDB's AggregateAnalyzer meets them (SELECT,
    # WHERE, GROUP BY, HAVING; an aggregate without arguments reads ROWTIME): what a query upgrade compares
    required_columns: tuple[str, ...] = ()
    emit_interval_ms: int = 1000  # EMIT FINAL: how often (wall clock) closed windows are looked for
    # every aggregate call as AggregateAnalyzer lists them (MutableAggregateAnalysis.addAggFunction keeps
    # repeats: COUNT(*) in two columns is there twice), as indexes into `aggs`; what a query upgrade compares
    call_order: tuple[int, ...] = ()

    @property
    def topics(self) -> list[str]:
        return self.join.topics if self.join is not None else [self.source.topic]

    @property
    def input_is_table(self) -> bool:
        """A table (or a join of tables) is aggregated with subtract / add records."""
        return self.join.root.is_table if self.join is not None else self.source.is_table

    @property
    def windowed(self) -> bool:
        return self.window is not None


def check_intermediate_format(a: AggregateQuery) -> None:
    """The aggregation's state is kept in the value format of the leftmost source (AggregateNode: its
    `valueFormat` is the leftmost source's, used for the group-by, aggregate and select steps), whose serde
    is built before the sink's (MaterializationUtil): DELIMITED holds no struct, array or map state. So AVG
    over a DELIMITED source is refused whatever the sink's format, and accepted over JSON into DELIMITED."""
    source = a.join.leaves[0].source if a.join is not None else a.source
    if source.value_format.upper() == "DELIMITED" and any(x.aggregator.complex_state for x in a.aggs):
        if a.window is not None and a.join is None:
            # StreamAggregateBuilder.WindowedAggregator builds the windowed store's value serde itself, so
            # the format's SchemaNotSupportedException reaches the user unwrapped, naming the aggregate schema
            _windowed_state_error(a, source)
        raise SchemaNotSupportedError(INTERMEDIATE_MSG)


def _intermediate_type(x: AggCall) -> SqlType:
    """The aggregate's state type (the UDAF's aggregate schema), as its Java class declares it."""
    name = x.name.upper()
    first = x.arg_types[0] if x.arg_types and x.arg_types[0] is not None else T.STRING
    if name in ("AVG", "STDDEV_SAMP", "STDDEV_SAMPLE"):
        # AverageUdaf / StandardDeviationSamp*Udaf: SUM of the input's type (INT stays INTEGER)
        fields = [("SUM", first), ("COUNT", T.BIGINT)] + ([("M2", T.DOUBLE)] if name != "AVG" else [])
        return T.struct(fields)
    if name == "CORRELATION":
        names = ("X_SUM", "Y_SUM", "X_SQUARED_SUM", "Y_SQUARED_SUM", "XY_SUM")
        return T.struct([*((n, T.DOUBLE) for n in names), ("COUNT", T.BIGINT)])
    if name in ("LATEST_BY_OFFSET", "EARLIEST_BY_OFFSET"):
        # KudafByOffsetUtils: STRUCT<SEQ, VAL>; a list of them when N is given
        entry = T.struct([("SEQ", T.BIGINT), ("VAL", first)])
        return T.array(entry) if x.literals and not isinstance(x.literals[0], bool) else entry
    if name == "COUNT_DISTINCT":
        return T.array(T.INTEGER)  # CountDistinct's HyperLogLog registers
    return x.aggregator.type  # COLLECT_*, TOPK*, HISTOGRAM keep their result type


def _windowed_state_error(a: AggregateQuery, source: DataSource) -> None:
    """The windowed aggregate's store schema (AggregateParamsFactory: the required columns, then
    KSQL_AGG_VARIABLE_<n> of each aggregate's state) checked against the source's DELIMITED format."""
    types = {c.name: c.type for c in source.schema.columns}
    # pseudo columns an aggregate reads (COUNT(*) is COUNT(ROWTIME))
    types.update({"ROWTIME": T.BIGINT, "ROWPARTITION": T.INTEGER, "ROWOFFSET": T.BIGINT})
    cols = [(c, types[c]) for c in a.required_columns if c in types]
    cols += [(f"KSQL_AGG_VARIABLE_{i}", _intermediate_type(x)) for i, x in enumerate(a.aggs)]
    check_value_columns(source.value_format, cols, source.value_options)


def groups_by_key(a: AggregateQuery) -> bool:
    """Whether ksqlDB groups by the existing key (`groupByKey`) rather than re-keying (`groupBy`):
    Repartitioning.repartitionNeeded says no repartition only for one key column grouped by alone."""
    if a.join is not None:  # the joined rows' key column (LogicalPlanner.buildJoinKey), as the analysis found
        return a.groups_by_join_key
    key = a.source.schema.key
    if len(key) != 1 or len(a.group_by) != 1:
        return False
    expr = a.group_by[0][1]
    return isinstance(expr, ast.ColumnRef) and expr.name == key[0].name


def final_window(window: ast.WindowClause | None, emit: str | None) -> ast.WindowClause | None:
    """RewrittenAnalysis.getWindowExpression: under EMIT FINAL a window without GRACE PERIOD gets a zero one
    (zeroGracePeriod), so its windows close at their end rather than after Kafka Streams' 24-hour default.
    EMIT CHANGES keeps the window as written."""
    if window is None or emit != "FINAL" or window.grace is not None:
        return window
    return dataclasses.replace(window, grace=ast.Duration(0, "MILLISECOND"))


def check_window_size(a: AggregateQuery) -> None:
    """WindowInfo.of refuses a time window of no size while the logical plan's output node is built, so a
    CREATE ... AS SELECT meets it planning in SchemaRegisterInjector's sandbox (which names the statement)."""
    if a.window is not None and str(a.window.kind).upper() != "SESSION" and a.window.size.millis <= 0:
        raise KsqlStatementError("Size must be positive")


def check_window_store(a: AggregateQuery) -> None:
    """Windows ksqlDB cannot build: a time window of no size (WindowInfo.of), a session gap or a hop Kafka
    Streams' window constructors refuse. Kafka Streams (3.5, under ksqlDB 0.29) also refuses, while the
    topology is built, a windowed store whose
    RETENTION is shorter than the window size (session gap) plus its grace period, which defaults to
    24 hours minus the size: TimeWindowedKStreamImpl / SessionWindowedKStreamImpl.materialize. The
    IllegalArgumentException's text reaches the user as it is (a server error). A time window's text names
    the grouped stream (ksqlDB's `Aggregate-GroupBy` node when it re-keys, else the `Aggregate-Prepare`
    projection it groups by key); a session's names its store."""
    if a.window is None:
        return
    kind = str(a.window.kind).upper()
    size = a.window.size.millis
    if kind != "SESSION" and size <= 0:
        # the sink's key format: WindowInfo.of, as the logical plan's output node is built
        raise KsqlError("Size must be positive")
    if kind == "SESSION" and size <= 0:
        raise KsqlError("Gap time cannot be zero or negative.")  # the SessionWindows constructor
    advance = a.window.advance.millis if a.window.advance is not None else size
    if advance <= 0 or advance > size:  # the TimeWindows constructor (advanceBy)
        raise KsqlError(
            "Window advancement interval should be more than zero and less than window duration which is "
            f"{size} ms, but given advancement interval is: {advance} ms"
        )
    if a.window.grace is not None and a.window.grace.millis < 0:
        raise KsqlError("Grace period must not be negative.")  # TimeWindows.grace / SessionWindows.grace
    if a.window.retention is None:
        return
    if a.window.retention.millis < 0:
        # Materialized.withRetention, as ksqlDB's MaterializedFactory builds the store before Kafka Streams
        # compares it with the window
        raise KsqlError("Retention must not be negative.")
    grace = a.window.grace.millis if a.window.grace is not None else max(_LEGACY_GRACE_MS - size, 0)
    retention = a.window.retention.millis
    if size + grace <= retention:
        return
    if kind == "SESSION":
        raise KsqlError(
            "The retention period of the session store Aggregate-Aggregate-Materialize must be no smaller "
            f"than the session inactivity gap plus the grace period. Got gap=[{size}], grace=[{grace}], "
            f"retention=[{retention}]"
        )
    name = "Aggregate-Prepare" if groups_by_key(a) else "Aggregate-GroupBy"
    raise KsqlError(
        f"The retention period of the window store {name} must be no smaller than its window size plus the "
        f"grace period. Got size=[{size}], grace=[{grace}], retention=[{retention}]"
    )


def aggregate_sink(a: AggregateQuery, sink: DataSource) -> DataSource:
    """The sink of a CTAS ... GROUP BY: windowed key info, and ksqlDB's format checks."""
    key_cols = sink.schema.key
    if sink.key_format == "KAFKA":
        reason = None
        if len(key_cols) > 1:
            reason = (
                "The 'KAFKA' format only supports a single field. Got: ["
                + ", ".join(f"`{c.name}` {c.type}" for c in key_cols)
                + "]"
            )
        elif key_cols and key_cols[0].type.base not in ("INTEGER", "BIGINT", "DOUBLE", "STRING", "BYTES"):
            reason = f"The 'KAFKA' format does not support type '{key_cols[0].type.base}'"
        if reason is not None:
            cols = ", ".join(f"`{c.name}` {c.type} KEY" for c in key_cols)
            raise SchemaNotSupportedError(
                f"Key format does not support schema.\nformat: KAFKA\nschema: Persistence{{columns=[{cols}], "
                f"features=[]}}\nreason: {reason}"
            )
    if a.window is not None:
        kind = str(a.window.kind).upper()
        size = None if kind == "SESSION" else a.window.size.millis
        sink = dataclasses.replace(sink, window=WindowInfo(kind, size))
    return sink
