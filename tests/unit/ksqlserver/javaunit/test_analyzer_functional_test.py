"""ksqlDB 0.29's AnalyzerFunctionalTest, QueryAnalyzerTest and PushQueryValidatorTest (ksqldb-engine,
io.confluent.ksql.analyzer): the sink formats a CREATE ... AS SELECT gets, and which queries may read a
windowed table. (The join and table-function checks of AnalyzerFunctionalTest are in
analyze/test_ksqldb_analysis_rules.py.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # the fixture's helper (conftest is not importable under --import-mode=importlib)
    from conftest import Ksql

_FULL_NAME = "fullSchemaName"


@pytest.fixture
def avro(make_ksql: Callable[..., Ksql]) -> Ksql:
    """The fixture's sources plus an AVRO stream, as AnalyzerFunctionalTest's avroMetaStore."""
    k = make_ksql(registry=True, **{"ksql.schema.registry.url": "mem://"})
    k.engine.driver.create_topic("s0", partitions=1)
    k.execute(
        "CREATE STREAM S0 (ROWKEY STRING KEY, FIELD1 BIGINT) WITH (KAFKA_TOPIC='s0', VALUE_FORMAT='AVRO', "
        "VALUE_AVRO_SCHEMA_FULL_NAME='org.ac.s1');"
    )
    k.execute("CREATE STREAM AVRO1 WITH (VALUE_FORMAT='AVRO') AS SELECT COL0, COL1, COL2, COL3 FROM TEST1;")
    return k


def test_explicit_namespace(avro: Ksql) -> None:
    """shouldUseExplicitNamespaceForAvroSchema."""
    avro.execute(
        "CREATE STREAM FOO WITH (VALUE_FORMAT='AVRO', VALUE_AVRO_SCHEMA_FULL_NAME='com.custom.schema', "
        "KAFKA_TOPIC='TEST_TOPIC1') AS SELECT col0, col2, col3 FROM test1 WHERE col0 > 100;"
    )
    src = avro.source("FOO")
    assert (src.value_format, src.value_options.extra.get(_FULL_NAME)) == ("AVRO", "com.custom.schema")


def test_implicit_namespace(avro: Ksql) -> None:
    """shouldUseImplicitNamespaceForAvroSchema: no full name property (the schema takes the default)."""
    avro.execute(
        "CREATE STREAM FOO WITH (VALUE_FORMAT='AVRO', KAFKA_TOPIC='TEST_TOPIC1') AS SELECT col0, col2, col3 "
        "FROM test1 WHERE col0 > 100;"
    )
    assert _FULL_NAME not in avro.source("FOO").value_options.extra


def test_explicit_namespace_with_inherited_format(avro: Ksql) -> None:
    """shouldUseExplicitNamespaceWhenFormatIsInheritedForAvro."""
    avro.execute("create stream s1 with (VALUE_AVRO_SCHEMA_FULL_NAME='org.ac.s1') as select * from avro1;")
    src = avro.source("S1")
    assert (src.value_format, src.value_options.extra.get(_FULL_NAME)) == ("AVRO", "org.ac.s1")


@pytest.mark.parametrize("source", ["S0", "AVRO1"])
def test_namespace_not_inherited(avro: Ksql, source: str) -> None:
    """shouldNotInheritNamespaceExplicitlySetUpstreamForAvro / shouldUseImplicitNamespaceWhenFormatIsInherited
    ForAvro: the format is inherited, an upstream full name is not."""
    avro.execute(f"create stream s1 as select * from {source};")
    src = avro.source("S1")
    assert src.value_format == "AVRO"
    assert _FULL_NAME not in src.value_options.extra


def _windowed_table(ksql: Ksql) -> None:
    ksql.engine.driver.create_topic("wt", partitions=1)
    ksql.execute(
        "CREATE TABLE WT (K BIGINT PRIMARY KEY, V STRING) WITH (KAFKA_TOPIC='wt', VALUE_FORMAT='JSON', "
        "WINDOW_TYPE='SESSION');"
    )


def test_persistent_query_on_windowed_table(ksql: Ksql) -> None:
    """PushQueryValidatorTest.shouldThrowOnPersistentPushQueryOnWindowedTable."""
    _windowed_table(ksql)
    msg = ksql.message("CREATE TABLE OUT AS SELECT * FROM WT;")
    assert "KSQL does not support persistent queries on windowed tables." in msg


def test_transient_query_on_windowed_table(ksql: Ksql) -> None:
    """PushQueryValidatorTest.shouldNotThrowOnTransientPushQueryOnWindowedTable."""
    _windowed_table(ksql)
    ksql.engine.start_query("SELECT * FROM WT EMIT CHANGES;").close()


def test_persistent_query_on_windowed_stream_and_unwindowed_table(ksql: Ksql) -> None:
    """PushQueryValidatorTest.shouldNotThrowOnPersistentPushQueryOnWindowedStream /
    shouldNotThrowOnPersistentPushQueryOnUnwindowedTable."""
    ksql.engine.driver.create_topic("ws", partitions=1)
    ksql.execute(
        "CREATE STREAM WS (K BIGINT KEY, V STRING) WITH (KAFKA_TOPIC='ws', VALUE_FORMAT='JSON', "
        "WINDOW_TYPE='SESSION');"
    )
    ksql.execute("CREATE STREAM OUT AS SELECT * FROM WS;")
    ksql.execute("CREATE TABLE OUT2 AS SELECT * FROM TEST2;")


def test_select_column_refs(ksql: Ksql) -> None:
    """AnalyzerFunctionalTest.shouldCaptureProjectionColumnRefs: the Analyzer alone takes COL0 + COL1; the
    plan types it (Operator.resultType) and refuses BIGINT + STRING."""
    ksql.execute("CREATE STREAM OUT AS Select COL0, COL0 + COL3, SUBSTRING(COL2, 1) from TEST1;")
    assert ksql.schema("OUT") == "`COL0` BIGINT KEY, `KSQL_COL_0` DOUBLE, `KSQL_COL_1` STRING"
    msg = ksql.message("CREATE STREAM OUT2 AS Select COL0, COL0 + COL1, SUBSTRING(COL2, 1) from TEST1;")
    assert "Unsupported arithmetic types. BIGINT STRING" in msg
