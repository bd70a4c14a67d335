"""ksqlDB 0.29's StreamGroupByBuilderV1Test, TableGroupByBuilderV1Test and GroupByParamsV1FactoryTest
(io.confluent.ksql.execution.streams).

The V1 builders serve the `streamGroupByV1` / `tableGroupByV1` steps of plans persisted by ksqlDB versions
before multi-column keys; 0.29's planner makes only the V2 steps (ExecutionStepFactory.streamGroupBy /
tableGroupBy), and this engine replays statements, not old physical plans. The one behaviour a user of 0.29
can see differ is the key itself: V1 joined several grouping values into one STRING key ("99|+|-100",
shouldGenerateMultiExpressionGroupByKey), V2 keeps one key column per expression. The V1 null handling
(shouldReturnNullIfAnyMultiExpressionResolvesToNull and its processing-log message) is the V2 one, ported
in tests/unit/ksqlserver/javaunit/test_group_by_params_factory_test.py."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Streams


def test_multi_expression_group_by_keeps_one_key_column_per_expression(ks: Streams) -> None:
    """GroupByParamsV1FactoryTest.shouldGenerateMultiExpressionGroupByKey, as 0.29 plans it (V2): a key of
    two columns, not the V1 "99|+|-100" string."""
    ks.sql("CREATE STREAM S (K STRING KEY, A INT, B BIGINT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE O AS SELECT A, B, COUNT(*) AS C FROM S GROUP BY A, B;")
    assert ks.schema("O") == "`A` INTEGER PRIMARY KEY, `B` BIGINT PRIMARY KEY, `C` BIGINT"
    ks.insert("S", {"K": "k", "A": 99, "B": -100, "ROWTIME": 1})
    assert ks.records("O") == [({"A": 99, "B": -100}, {"C": 1}, 1)]


def test_single_expression_group_by_key_name(ks: Streams) -> None:
    """GroupByParamsV1FactoryTest.shouldSetKeyNameFromSingleGroupByColumnName /
    shouldGenerateKeyNameFromSingleGroupByOtherExpressionType / shouldSetKeyNameFromSingleGroupByFieldName:
    the key is named after the column, after a struct field's name, or KSQL_COL_0."""
    ks.sql(
        "CREATE STREAM S (K STRING KEY, A INT, ST STRUCT<F1 STRING>) WITH (KAFKA_TOPIC='s', PARTITIONS=1, "
        "FORMAT='JSON');"
    )
    ks.sql("CREATE TABLE O1 AS SELECT A, COUNT(*) AS C FROM S GROUP BY A;")
    ks.sql("CREATE TABLE O2 AS SELECT ST->F1, COUNT(*) AS C FROM S GROUP BY ST->F1;")
    ks.sql("CREATE TABLE O3 AS SELECT A + 1, COUNT(*) AS C FROM S GROUP BY A + 1;")
    assert ks.schema("O1") == "`A` INTEGER PRIMARY KEY, `C` BIGINT"
    assert ks.schema("O2") == "`F1` STRING PRIMARY KEY, `C` BIGINT"
    assert ks.schema("O3") == "`KSQL_COL_0` INTEGER PRIMARY KEY, `C` BIGINT"
