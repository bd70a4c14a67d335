"""What the analyser hands the planner about an aggregation: `AggregateQuery` (the input, the grouping
expressions, one `AggCall` per aggregate, the aggregate row's scope and the projections over it), and the sink
of a CTAS ... GROUP BY (`aggregate_sink`: windowed key info and ksqlDB's format checks)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from ksqlserver.analyze.join_tree import JoinInfo
from ksqlserver.analyze.scope import Projection
from ksqlserver.catalog.metastore import DataSource, WindowInfo
from ksqlserver.catalog.types import LogicalSchema, SqlType
from ksqlserver.compile.scope import Scope
from ksqlserver.errors import SchemaNotSupportedError
from ksqlserver.functions import aggregates as udafs
from ksqlserver.sql import ast

INTERMEDIATE_MSG = (
    "One of the functions used in the statement has an intermediate type that the value format can not "
    "handle. Please remove the function or change the format.\nConsider up-voting "
    "https://github.com/confluentinc/ksql/issues/3950, which will resolve this limitation"
)

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
    # the input columns the aggregation reads, in the order ksqlDB's AggregateAnalyzer meets them (SELECT,
    # WHERE, GROUP BY, HAVING; an aggregate without arguments reads ROWTIME): what a query upgrade compares
    required_columns: tuple[str, ...] = ()
    emit_interval_ms: int = 1000  # EMIT FINAL: how often (wall clock) closed windows are looked for

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
        raise SchemaNotSupportedError(INTERMEDIATE_MSG)


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
