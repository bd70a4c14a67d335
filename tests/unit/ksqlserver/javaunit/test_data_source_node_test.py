"""ksqlDB 0.29's DataSourceNodeTest (ksqldb-engine, io.confluent.ksql.planner.plan): SELECT * over a source
(key columns first, window bounds next) and the rule that a table's projection keeps its key columns."""

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


def _multi_key_table(ksql: Ksql) -> None:
    ksql.engine.driver.create_topic("mk", partitions=1)
    ksql.execute(
        "CREATE TABLE MK (K0 INT PRIMARY KEY, K1 INT PRIMARY KEY, F1 INT, F2 STRING) "
        "WITH (KAFKA_TOPIC='mk', KEY_FORMAT='JSON', VALUE_FORMAT='JSON');"
    )


def test_select_star_lists_keys_first(ksql: Ksql) -> None:
    """shouldResolveSelectStartToAllColumns (PlanNode.orderColumns)."""
    _multi_key_table(ksql)
    ksql.execute("CREATE TABLE OUT AS SELECT * FROM MK;")
    assert (
        ksql.schema("OUT") == "`K0` INTEGER PRIMARY KEY, `K1` INTEGER PRIMARY KEY, `F1` INTEGER, `F2` STRING"
    )


def test_select_star_over_windowed_source(ksql: Ksql) -> None:
    """shouldHaveFullyQualifiedWindowedSchema / shouldBuildSourceNode over a windowed source: the sink keeps
    the source's window in its key format; the window bounds are not value columns of a persistent sink."""
    _windowed_stream(ksql)
    ksql.execute("CREATE STREAM OUT AS SELECT * FROM W;")
    assert ksql.schema("OUT") == "`K` BIGINT KEY, `V` STRING, `U` INTEGER"
    assert ksql.source("OUT").window is not None


@pytest.mark.parametrize(
    ("select", "expected"),
    [
        # shouldThrowIfProjectionDoesNotContainKeyColumns
        ("SELECT F1 FROM MK",
         "Keys missing from projection (ie, SELECT). \nThe query used to build `OUT` must include the key "
         "columns K0 and K1 in its projection (eg, SELECT K0, K1...)."),
        # shouldThrowIfProjectionDoesNotContainAllKeyColumns
        ("SELECT K0, F1 FROM MK",
         "Keys missing from projection (ie, SELECT). \nThe query used to build `OUT` must include the key "
         "columns K0 and K1 in its projection (eg, SELECT K0, K1...)."),
        ("SELECT COL1 FROM TEST2",
         "Key missing from projection (ie, SELECT). \nThe query used to build `OUT` must include the key "
         "column COL0 in its projection (eg, SELECT COL0...)."),
    ],
)  # fmt: skip
def test_table_projection_missing_keys(ksql: Ksql, select: str, expected: str) -> None:
    """DataSourceNode.validateKeyPresent -> PlanNode.throwKeysNotIncludedError."""
    _multi_key_table(ksql)
    assert ksql.message(f"CREATE TABLE OUT AS {select};") == expected


def test_table_projection_with_keys(ksql: Ksql) -> None:
    """shouldNotThrowIfProjectionContainsKeyColumns: qualified or not."""
    _multi_key_table(ksql)
    ksql.execute("CREATE TABLE OUT AS SELECT M.K0, K1, F2 FROM MK M;")
    assert ksql.schema("OUT") == "`K0` INTEGER PRIMARY KEY, `K1` INTEGER PRIMARY KEY, `F2` STRING"


def test_stream_projection_keeps_the_key(ksql: Ksql) -> None:
    """KsqlStructuredDataOutputNode calls validateKeyPresent for every sink: a stream's projection too."""
    assert ksql.message("CREATE STREAM OUT AS SELECT COL1 FROM TEST1;") == (
        "Key missing from projection (ie, SELECT). \nThe query used to build `OUT` must include the key "
        "column COL0 in its projection (eg, SELECT COL0...)."
    )


def test_timestamp_column(ksql: Ksql) -> None:
    """shouldBuildSourceStreamWithCorrectTimestampIndex / ...ForQualifiedFieldName: TIMESTAMP names a column."""
    ksql.execute("CREATE STREAM OUT WITH (TIMESTAMP='COL0') AS SELECT * FROM TEST1;")
    assert ksql.source("OUT").timestamp_column == "COL0"
