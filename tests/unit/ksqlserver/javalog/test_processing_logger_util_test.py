"""ksqlDB 0.29's ProcessingLoggerUtilTest (ksqldb-common, io.confluent.ksql.logging.processing):
ProcessingLoggerUtil.join joins names with "." - what a user sees of it is the `logger` of every processing
log record: `processing.` + QueryLoggerUtil.queryLoggerName (the query id, then the failing step's query
context: the plan node's id and its operation), a serde's with GenericSerdeFactory's `deserializer` or
`serializer` appended.

The contexts follow LogicalPlanner's node ids: a one-source query reads through `KsqlTopic.Source`, filters
in `WhereFilter`, projects in `Project` and writes through its sink's name; a join's sources are
`KafkaTopic_Left.Source` / `KafkaTopic_Right.Source` (buildJoin adds `L_` per join level below the root); an
aggregation groups in `Aggregate.GroupBy`.

Ported: shouldJoinCorrectly, shouldJoinIterableCorrectly (as the loggers' names)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ksqlserver.runtime.pipeline import join_source_context

if TYPE_CHECKING:
    from conftest import LogEngine, RefusingRegistry

STREAM = "CREATE STREAM S (K STRING KEY, A INT, D STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');"


def loggers(le: LogEngine) -> list[str]:
    return [m["logger"] for m in le.log()]


def test_a_one_source_query_names_its_steps(le: LogEngine) -> None:
    """The source's deserializer, the WHERE's and the projection's loggers."""
    le.sql(STREAM)
    le.sql("CREATE STREAM O AS SELECT K, CAST(D AS INT) AS X FROM S WHERE CAST(D AS INT) IS NULL OR A > 0;")
    le.produce("s", b'"k"', b'{"A": "x"}', 1)
    le.produce("s", b'"k"', {"A": 1, "D": "x"}, 2)
    assert loggers(le) == [
        "processing.CSAS_O_0.KsqlTopic.Source.deserializer",
        "processing.CSAS_O_0.WhereFilter",
        # the predicate's own failure (the CAST's false default is no INTEGER): the row is dropped before the
        # projection (SqlToJavaVisitor.evaluateOrReturnNull returns SqlPredicate's default value)
        "processing.CSAS_O_0.WhereFilter",
    ]


def test_a_timestamp_extractor_logs_under_its_source(le: LogEngine) -> None:
    """SourceBuilderUtils: the timestamp extractor's logger is the source step's."""
    le.sql(
        "CREATE STREAM T (K STRING KEY, TS STRING) WITH (KAFKA_TOPIC='t', PARTITIONS=1, FORMAT='JSON', "
        "TIMESTAMP='TS', TIMESTAMP_FORMAT='yyyy-MM-dd');"
    )
    le.sql("CREATE STREAM O AS SELECT * FROM T;")
    le.produce("t", b'"k"', {"TS": "x"}, 1)
    assert loggers(le) == ["processing.CSAS_O_0.KsqlTopic.Source"]


def test_a_sink_serializer_logs_under_the_sink(
    make_log: Callable[..., LogEngine], refusing_registry: RefusingRegistry
) -> None:
    """The sink step's context is the sink's name; its serializer's logger adds `serializer`."""
    le = make_log(None, refusing_registry)
    le.sql(STREAM)
    le.sql("CREATE STREAM OUT WITH (VALUE_FORMAT='AVRO') AS SELECT * FROM S;")
    refusing_registry.refuse = True
    le.produce("s", b'"k"', {"A": 1, "D": "x"}, 1)
    assert loggers(le) == [
        "processing.CSAS_OUT_0.OUT.serializer",
        "processing.CSAS_OUT_0.ksql.logger.thread.exception.uncaught",
    ]


def test_join_sources_are_left_and_right(le: LogEngine) -> None:
    """A two-way join's sources: KafkaTopic_Left and KafkaTopic_Right."""
    le.sql(STREAM)
    le.sql("CREATE TABLE T (ID STRING PRIMARY KEY, B INT) WITH (KAFKA_TOPIC='t', PARTITIONS=1, FORMAT='JSON');")
    le.sql("CREATE STREAM J AS SELECT S.K, B FROM S JOIN T ON S.K = T.ID;")
    le.produce("t", b'"k"', b'{"B": "x"}', 1)
    le.produce("s", b'"k"', b'{"A": "x"}', 2)
    assert loggers(le) == [
        "processing.CSAS_J_0.KafkaTopic_Right.Source.deserializer",
        "processing.CSAS_J_0.KafkaTopic_Left.Source.deserializer",
    ]


def test_multi_way_join_sources() -> None:
    """LogicalPlanner.buildJoin of A JOIN B JOIN C: the inner join's sides get the prefix L_."""
    assert [join_source_context(i, 3) for i in range(3)] == [
        "KafkaTopic_L_Left.Source", "KafkaTopic_L_Right.Source", "KafkaTopic_Right.Source",
    ]  # fmt: skip
    assert [join_source_context(i, 2) for i in range(2)] == ["KafkaTopic_Left.Source", "KafkaTopic_Right.Source"]


def test_an_aggregation_groups_in_aggregate_group_by(le: LogEngine) -> None:
    """GroupByParamsFactory's logger: the AggregateNode's GroupBy step."""
    le.sql(STREAM)
    le.sql("CREATE TABLE AGG AS SELECT D, COUNT(*) AS C FROM S GROUP BY D;")
    le.produce("s", b'"k"', {"A": 1, "D": None}, 1)
    assert loggers(le) == ["processing.CTAS_AGG_0.Aggregate.GroupBy"]
