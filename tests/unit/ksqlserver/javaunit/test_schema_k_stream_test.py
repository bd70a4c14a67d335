"""ksqlDB 0.29's SchemaKStreamTest (ksqldb-engine, io.confluent.ksql.structured): a stream's select, filter,
re-key (PARTITION BY) and join, as the schemas of the sinks they build and the refusals they make."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # the fixture's helper (conftest is not importable under --import-mode=importlib)
    from conftest import Ksql


def _windowed_stream(ksql: Ksql) -> None:
    ksql.engine.driver.create_topic("w", partitions=1)
    ksql.execute(
        "CREATE STREAM W (K BIGINT KEY, V STRING, U INT) WITH (KAFKA_TOPIC='w', VALUE_FORMAT='JSON', "
        "WINDOW_TYPE='TUMBLING', WINDOW_SIZE='1 SECOND');"
    )


def test_select_schema(ksql: Ksql) -> None:
    """shouldBuildSchemaForSelect."""
    ksql.execute(
        "CREATE STREAM OUT AS SELECT col0 AS K, col2, col3 FROM test1 WHERE col0 > 100 EMIT CHANGES;"
    )
    assert ksql.schema("OUT") == "`K` BIGINT KEY, `COL2` STRING, `COL3` DOUBLE"


def test_partition_by_the_key(ksql: Ksql) -> None:
    """shouldNotRepartitionIfSameKeyField: PARTITION BY the key keeps the stream as it is."""
    ksql.execute("CREATE STREAM OUT AS SELECT col0, col2, col3 FROM test1 PARTITION BY col0 EMIT CHANGES;")
    assert ksql.schema("OUT") == "`COL0` BIGINT KEY, `COL2` STRING, `COL3` DOUBLE"


def test_partition_by_key_of_windowed_stream(ksql: Ksql) -> None:
    """shouldNotRepartitionIfSameKeyField on a windowed source: no repartition, so no refusal; the key keeps
    its window."""
    _windowed_stream(ksql)
    ksql.execute("CREATE STREAM OUT AS SELECT K, V FROM W PARTITION BY K;")
    assert ksql.source("OUT").window is not None


def test_partition_by_value_of_windowed_stream(ksql: Ksql) -> None:
    """shouldFailIfForceRepartitionWindowedStream (SchemaKStream.selectKey): a windowed stream is not
    re-keyed."""
    _windowed_stream(ksql)
    msg = ksql.message("CREATE STREAM OUT AS SELECT V, K FROM W PARTITION BY V;")
    assert (
        "Implicit repartitioning of windowed sources is not supported. "
        "See https://github.com/confluentinc/ksql/issues/4385." in msg
    )


def test_partition_by_missing_column(ksql: Ksql) -> None:
    """shouldThrowOnRepartitionByMissingField."""
    msg = ksql.message("CREATE STREAM OUT AS SELECT col0, col2, col3 FROM test1 PARTITION BY not_here;")
    assert "NOT_HERE" in msg


def test_rowtime_comparison_with_a_string(ksql: Ksql) -> None:
    """shouldRewriteTimeComparisonInFilter: ROWTIME compared with a timestamp string (StatementRewriteForMagic
    Pseudo Timestamp) filters on the instant."""
    ksql.execute(
        "CREATE STREAM OUT AS SELECT col0, col2, col3 FROM test1 "
        "WHERE ROWTIME = '1984-01-01T00:00:00+00:00' EMIT CHANGES;"
    )
    ksql.engine.insert_rows("TEST1", [{"ROWTIME": 441763200000, "COL0": 1, "COL2": "a", "COL3": 1.0}])
    ksql.engine.insert_rows("TEST1", [{"ROWTIME": 441763200001, "COL0": 2, "COL2": "b", "COL3": 2.0}])
    ksql.engine.drain()
    out = ksql.engine.driver.records("OUT")
    assert [r.timestamp for r in out] == [441763200000]


def test_rowtime_comparisons_nested_in_the_where_are_rewritten_too(ksql: Ksql) -> None:
    """StatementRewriteForMagicPseudoTimestamp.rewrite is an ExpressionTreeRewriter: comparisons with a
    timestamp string inside CASE and function arguments of the WHERE become epoch millis as well (they were
    left as strings, and the BIGINT-to-STRING comparison was refused)."""
    ksql.execute(
        "CREATE STREAM OUT AS SELECT col0, col2, col3 FROM test1 WHERE "
        "CASE WHEN ROWTIME >= '1984-01-01T00:00:00.001+00:00' THEN true ELSE false END "
        "AND IFNULL(ROWTIME BETWEEN '1984-01-01' AND '1984-01-02', false) EMIT CHANGES;"
    )
    for ts, n in ((441763200000, 1), (441763200001, 2), (441849600001, 3)):
        ksql.engine.insert_rows("TEST1", [{"ROWTIME": ts, "COL0": n, "COL2": "x", "COL3": 1.0}])
    ksql.engine.drain()
    assert [r.timestamp for r in ksql.engine.driver.records("OUT")] == [441763200001]


def test_stream_table_join_schema(ksql: Ksql) -> None:
    """shouldBuildSchemaForStreamTableJoin / shouldBuildStepForStreamTableJoin."""
    ksql.execute(
        "CREATE STREAM OUT AS SELECT t1.col0, t1.col2, t2.col3 FROM test1 t1 JOIN test2 t2 "
        "ON t1.col0 = t2.col0;"
    )
    assert ksql.schema("OUT") == "`T1_COL0` BIGINT KEY, `T1_COL2` STRING, `T2_COL3` DOUBLE"


def test_group_by_schema(ksql: Ksql) -> None:
    """shouldBuildSchemaForGroupByKey / shouldBuildSchemaForGroupBy: the grouping expressions become the key."""
    ksql.execute("CREATE TABLE A AS SELECT col0, COUNT(*) AS C FROM test1 WHERE col0 > 100 GROUP BY col0;")
    assert ksql.schema("A") == "`COL0` BIGINT PRIMARY KEY, `C` BIGINT"
    ksql.execute("CREATE TABLE B AS SELECT col1, COUNT(*) AS C FROM test1 WHERE col0 > 100 GROUP BY col1;")
    assert ksql.schema("B") == "`COL1` STRING PRIMARY KEY, `C` BIGINT"


@pytest.mark.parametrize(
    ("sink", "source"),
    [("WS", "TEST4"), ("S4", "W"), ("WS", "WS2")],
)
def test_insert_into_changing_windowing(ksql: Ksql, sink: str, source: str) -> None:
    """shouldThrowOnIntoIfKeyFormatWindowInfoIsDifferent (SchemaKStream.into: 'Into can't change windowing',
    a statement error from EngineExecutor.plan): the schemas match, the keys' windows do not (none, or a
    different window)."""
    _windowed_stream(ksql)
    ksql.engine.driver.create_topic("w2", partitions=1)
    ksql.execute(
        "CREATE STREAM WS2 (K BIGINT KEY, V STRING, U INT) WITH (KAFKA_TOPIC='w2', VALUE_FORMAT='JSON', "
        "WINDOW_TYPE='SESSION');"
    )
    ksql.execute("CREATE STREAM WS AS SELECT * FROM W;")
    ksql.execute("CREATE STREAM S4 AS SELECT COL0 AS K, COL1 AS V, CAST(COL3 AS INT) AS U FROM TEST4;")
    select = (
        "SELECT COL0 AS K, COL1 AS V, CAST(COL3 AS INT) AS U FROM TEST4"
        if source == "TEST4"
        else (f"SELECT * FROM {source}")
    )
    e = ksql.error(f"INSERT INTO {sink} {select};")
    assert e.message == "Into can't change windowing"


def test_insert_into_same_windowing(ksql: Ksql) -> None:
    """SchemaKStream.into: the same window (type and size) is accepted."""
    _windowed_stream(ksql)
    ksql.execute("CREATE STREAM WS AS SELECT * FROM W;")
    ksql.execute("INSERT INTO WS SELECT * FROM W;")
