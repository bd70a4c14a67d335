"""ksqlDB 0.29's StreamGroupByBuilderTest (io.confluent.ksql.execution.streams), the parts the javaunit port of
GroupByParamsFactoryTest (tests/unit/ksqlserver/javaunit/test_group_by_params_factory_test.py: null and
failing grouping expressions, shouldFilterNullRowsBeforeGroupBy) leaves out.

StreamGroupByBuilder builds StreamGroupBy (filter null values, then groupBy the GroupByParams mapper: a new
key, the REKEYED schema) and StreamGroupByKey, which SchemaKStream.groupBy picks when no repartition is
needed (Repartitioning.repartitionNeeded: one key column grouped by alone): groupByKey keeps the schema and
builds no GroupByParams (shouldNotBuildGroupByParamsOnGroupByKey), so a record whose key is null is not
reported as a null group-by column; Kafka Streams' aggregation skips it silently."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Streams

NULL_COLUMN = "Group-by column with index 0 resolved to null. The source row will be excluded from the table."


@pytest.fixture
def ks(make_streams: Callable[..., Streams]) -> Streams:
    ks = make_streams(processing_log=True)
    ks.sql(
        "CREATE STREAM S (K STRING KEY, PAC INT, MAN STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, "
        "VALUE_FORMAT='JSON');"
    )
    return ks


def test_should_perform_group_by_correctly(ks: Streams) -> None:
    """shouldPerformGroupByCorrectly / shouldReturnCorrectSchemaForGroupBy: re-keyed by the expressions; a
    null value (shouldFilterNullRowsBeforeGroupBy) is filtered out without a log entry."""
    ks.sql("CREATE TABLE A AS SELECT MAN, COUNT(*) AS C FROM S GROUP BY MAN;")
    assert ks.schema("A") == "`MAN` STRING PRIMARY KEY, `C` BIGINT"
    ks.produce("s", b"k1", {"PAC": 1, "MAN": "m"}, 1000)
    ks.produce("s", b"k1", None, 2000)
    ks.produce("s", b"k2", {"PAC": 2, "MAN": "m"}, 3000)
    assert ks.records("A") == [("m", {"C": 1}, 1000), ("m", {"C": 2}, 3000)]
    assert ks.processing_log() == []


def test_should_perform_group_by_key_correctly(ks: Streams) -> None:
    """shouldPerformGroupByKeyCorrectly / shouldReturnCorrectSchemaForGroupByKey /
    shouldNotBuildGroupByParamsOnGroupByKey: grouped by the key column, the key is kept; a record without a
    key is skipped, and no group-by error is logged for it."""
    ks.sql("CREATE TABLE A AS SELECT K, COUNT(*) AS C, SUM(PAC) AS S FROM S GROUP BY K;")
    assert ks.schema("A") == "`K` STRING PRIMARY KEY, `C` BIGINT, `S` INTEGER"
    ks.produce("s", b"k1", {"PAC": 1, "MAN": "m"}, 1000)
    ks.produce("s", None, {"PAC": 5, "MAN": "m"}, 2000)
    ks.produce("s", b"k1", None, 2500)
    ks.produce("s", b"k1", {"PAC": 2, "MAN": "m"}, 3000)
    assert ks.records("A") == [("k1", {"C": 1, "S": 1}, 1000), ("k1", {"C": 2, "S": 3}, 3000)]
    assert ks.processing_log() == []


def test_group_by_key_expression_is_a_group_by(ks: Streams) -> None:
    """Repartitioning.repartitionNeeded: an expression of the key is a re-key (GroupByParams), so its null is
    logged."""
    ks.sql("CREATE TABLE A AS SELECT UCASE(K) AS UK, COUNT(*) AS C FROM S GROUP BY UCASE(K);")
    ks.produce("s", None, {"PAC": 5, "MAN": "m"}, 2000)
    ks.produce("s", b"k1", {"PAC": 1, "MAN": "m"}, 3000)
    assert ks.records("A") == [("K1", {"C": 1}, 3000)]
    assert [m["recordProcessingError"]["errorMessage"] for m in ks.processing_log()] == [NULL_COLUMN]


def test_group_by_a_value_column_logs_its_null(ks: Streams) -> None:
    """StreamGroupBy: a null grouping value is logged by the GroupByParams mapper and the row excluded."""
    ks.sql("CREATE TABLE A AS SELECT MAN, COUNT(*) AS C FROM S GROUP BY MAN;")
    ks.produce("s", b"k1", {"PAC": 1, "MAN": None}, 1000)
    assert ks.records("A") == []
    assert [m["recordProcessingError"]["errorMessage"] for m in ks.processing_log()] == [NULL_COLUMN]
