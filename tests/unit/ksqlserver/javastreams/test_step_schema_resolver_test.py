"""ksqlDB 0.29's StepSchemaResolverTest (io.confluent.ksql.execution.streams): the schema each execution step
resolves, as the sink of the statement whose plan has that step shows it (SCHEMA: K0 INTEGER key, ORANGE
INTEGER, APPLE BIGINT, BANANA STRING). The internal names (KSQL_AGG_VARIABLE_0, KSQL_SYNTH_0) are renamed by
the final projection, here to the generated KSQL_COL_0."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Streams

VALUES = "`ORANGE` INTEGER, `APPLE` BIGINT, `BANANA` STRING"


@pytest.fixture
def ks(ks: Streams) -> Streams:
    ks.sql(
        "CREATE STREAM S (K0 INT KEY, ORANGE INT, APPLE BIGINT, BANANA STRING, ARR ARRAY<DOUBLE>) "
        "WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');"
    )
    ks.sql(
        "CREATE TABLE T (K0 INT PRIMARY KEY, ORANGE INT, APPLE BIGINT, BANANA STRING) "
        "WITH (KAFKA_TOPIC='t', PARTITIONS=1, FORMAT='JSON');"
    )
    return ks


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        # shouldResolveSchemaForStreamAggregate: SUM(BIGINT) is BIGINT
        ("CREATE TABLE O AS SELECT ORANGE, SUM(APPLE) FROM S GROUP BY ORANGE;",
         "`ORANGE` INTEGER PRIMARY KEY, `KSQL_COL_0` BIGINT"),
        # shouldResolveSchemaForStreamWindowedAggregate
        ("CREATE TABLE O AS SELECT ORANGE, COUNT(APPLE) FROM S WINDOW TUMBLING (SIZE 10 SECONDS) GROUP BY ORANGE;",
         "`ORANGE` INTEGER PRIMARY KEY, `KSQL_COL_0` BIGINT"),
        # shouldResolveSchemaForStreamSelectWithoutColumnNames: the key renamed NEW_KEY
        ("CREATE STREAM O AS SELECT K0 AS NEW_KEY, ORANGE + APPLE AS JUICE, BANANA AS PLANTAIN, ORANGE AS CITRUS "
         "FROM S;", "`NEW_KEY` INTEGER KEY, `JUICE` BIGINT, `PLANTAIN` STRING, `CITRUS` INTEGER"),
        # shouldResolveSchemaForStreamSelect
        ("CREATE STREAM O AS SELECT K0, ORANGE + APPLE AS JUICE, BANANA AS PLANTAIN, ORANGE AS CITRUS FROM S;",
         "`K0` INTEGER KEY, `JUICE` BIGINT, `PLANTAIN` STRING, `CITRUS` INTEGER"),
        # shouldResolveSchemaForStreamFlatMap: the table function's DOUBLE
        ("CREATE STREAM O AS SELECT K0, ORANGE, EXPLODE(ARR) FROM S;",
         "`K0` INTEGER KEY, `ORANGE` INTEGER, `KSQL_COL_0` DOUBLE"),
        # shouldResolveSchemaForStreamFilter: unchanged
        ("CREATE STREAM O AS SELECT K0, ORANGE, APPLE, BANANA FROM S WHERE ORANGE > 1;", f"`K0` INTEGER KEY, {VALUES}"),
        # shouldResolveSchemaForStreamSelectKeyV2: two key columns, the old key moved to the value
        ("CREATE STREAM O AS SELECT * FROM S PARTITION BY ORANGE, APPLE;",
         "`ORANGE` INTEGER KEY, `APPLE` BIGINT KEY, `BANANA` STRING, `ARR` ARRAY<DOUBLE>, `K0` INTEGER"),
        # shouldResolveSchemaForTableAggregate
        ("CREATE TABLE O AS SELECT ORANGE, SUM(APPLE) FROM T GROUP BY ORANGE;",
         "`ORANGE` INTEGER PRIMARY KEY, `KSQL_COL_0` BIGINT"),
        # shouldResolveSchemaForTableGroupBy / shouldResolveSchemaForTableGroupByAnyKey
        ("CREATE TABLE O AS SELECT ORANGE, APPLE, COUNT(*) FROM T GROUP BY ORANGE, APPLE;",
         "`ORANGE` INTEGER PRIMARY KEY, `APPLE` BIGINT PRIMARY KEY, `KSQL_COL_0` BIGINT"),
        # shouldResolveSchemaForTableSelectWithColumnNames
        ("CREATE TABLE O AS SELECT K0 AS NEW_KEY, ORANGE + APPLE AS JUICE, BANANA AS PLANTAIN FROM T;",
         "`NEW_KEY` INTEGER PRIMARY KEY, `JUICE` BIGINT, `PLANTAIN` STRING"),
        # shouldResolveSchemaForTableFilter / shouldResolveSchemaForTableSource
        ("CREATE TABLE O AS SELECT * FROM T WHERE ORANGE > 1;", f"`K0` INTEGER PRIMARY KEY, {VALUES}"),
    ],
)  # fmt: skip
def test_resolved_schemas(ks: Streams, sql: str, expected: str) -> None:
    """The StepSchemaResolverTest cases, as sink schemas."""
    ks.sql(sql)
    assert ks.schema("O") == expected


def test_should_resolve_schema_for_windowed_sources(ks: Streams) -> None:
    """shouldResolveSchemaForStreamWindowedSource / shouldResolveSchemaForWindowedTableSource: a windowed
    source's rows carry WINDOWSTART and WINDOWEND (BIGINT) after the key."""
    ks.sql(
        "CREATE STREAM W (K0 INT KEY, ORANGE INT) WITH (KAFKA_TOPIC='w', PARTITIONS=1, FORMAT='JSON', "
        "WINDOW_TYPE='TUMBLING', WINDOW_SIZE='10 SECONDS');"
    )
    ks.sql("CREATE STREAM O AS SELECT K0, WINDOWSTART AS WS, WINDOWEND AS WE, ORANGE FROM W;")
    assert ks.schema("O") == "`K0` INTEGER KEY, `WS` BIGINT, `WE` BIGINT, `ORANGE` INTEGER"
