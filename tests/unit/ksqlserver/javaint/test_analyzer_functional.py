"""ksqlDB 0.29 io.confluent.ksql.analyzer.AnalyzerFunctionalTest on our engine: the Analyzer's errors for
joins and table functions, as a CREATE STREAM AS / push query shows them, and the Avro schema full name a sink
gets (the Java test reads the sink's FormatInfo; here the value schema the sink registers is read back).
The sources are MetaStoreFixture's, with JSON values (`jsonMetaStore`) or AVRO values (`avroMetaStore`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from ksqlserver.errors import KsqlError

DEFAULT_NAME = "io.confluent.ksql.avro_schemas.KsqlDataSourceSchema"


@pytest.fixture
def h(harness_factory: Callable[..., Any]) -> Any:
    h = harness_factory({"ksql.schema.registry.url": "http://foo:8080"})
    h.metastore_fixture("JSON")
    return h


@pytest.fixture
def avro(harness_factory: Callable[..., Any]) -> Any:
    h = harness_factory({"ksql.schema.registry.url": "http://foo:8080"})
    h.metastore_fixture("AVRO")
    return h


def error(h: Any, sql: str) -> str:
    with pytest.raises(KsqlError) as info:
        h.sql(sql)
    return str(info.value.message)


def value_schema_name(h: Any, source: str) -> str:
    """The full name of the value schema the sink registered (AvroFormat: FULL_SCHEMA_NAME, or the default)."""
    schema = json.loads(h.registry.latest(f"{h.source(source).topic}-value").schema.schema)
    return f"{schema['namespace']}.{schema['name']}" if schema.get("namespace") else schema["name"]


def test_should_use_explicit_namespace_for_avro_schema(h: Any) -> None:
    """AnalyzerFunctionalTest.shouldUseExplicitNamespaceForAvroSchema."""
    h.sql(
        "CREATE STREAM FOO WITH (VALUE_FORMAT='AVRO', VALUE_AVRO_SCHEMA_FULL_NAME='com.custom.schema', "
        "KAFKA_TOPIC='TEST_TOPIC1') AS SELECT col0, col2, col3 FROM test1 WHERE col0 > 100;"
    )
    assert value_schema_name(h, "FOO") == "com.custom.schema"


def test_should_use_implicit_namespace_for_avro_schema(h: Any) -> None:
    """AnalyzerFunctionalTest.shouldUseImplicitNamespaceForAvroSchema."""
    h.sql(
        "CREATE STREAM FOO WITH (VALUE_FORMAT='AVRO', KAFKA_TOPIC='TEST_TOPIC1') AS "
        "SELECT col0, col2, col3 FROM test1 WHERE col0 > 100;"
    )
    assert value_schema_name(h, "FOO") == DEFAULT_NAME


def test_should_use_explicit_namespace_when_format_is_inherited_for_avro(avro: Any) -> None:
    """AnalyzerFunctionalTest.shouldUseExplicitNamespaceWhenFormatIsInheritedForAvro."""
    avro.sql("create stream s1 with (VALUE_AVRO_SCHEMA_FULL_NAME='org.ac.s1') as select * from test1;")
    assert avro.source("S1").value_format == "AVRO"
    assert value_schema_name(avro, "S1") == "org.ac.s1"


def test_should_not_inherit_namespace_explicitly_set_upstream_for_avro(avro: Any) -> None:
    """AnalyzerFunctionalTest.shouldNotInheritNamespaceExplicitlySetUpstreamForAvro."""
    avro.sql(
        "create stream s0 (ROWKEY STRING KEY, FIELD1 BIGINT) with(KAFKA_TOPIC='s0', "
        "VALUE_AVRO_SCHEMA_FULL_NAME='org.ac.s1', VALUE_FORMAT='avro', PARTITIONS=1);"
    )
    avro.sql("create stream s1 as select * from S0;")
    assert value_schema_name(avro, "S1") == DEFAULT_NAME


def test_should_use_implicit_namespace_when_format_is_inherited_for_avro(avro: Any) -> None:
    """AnalyzerFunctionalTest.shouldUseImplicitNamespaceWhenFormatIsInheritedForAvro."""
    avro.sql("create stream s1 as select * from test1;")
    assert value_schema_name(avro, "S1") == DEFAULT_NAME


@pytest.mark.parametrize(
    "sql, message",
    [
        pytest.param(
            "CREATE STREAM FOO AS SELECT * FROM test1 t1 JOIN test1 t2 ON t1.col0 = t2.col0;",
            "Can not join 'TEST1' to 'TEST1': self joins are not yet supported.",
            id="shouldThrowOnSelfJoin",
        ),
        pytest.param(
            "CREATE STREAM FOO AS SELECT * FROM test1 t1 JOIN test2 t2 ON t1.col0 = t2.col0 AND t1.col0 = t2.col0;",
            "Invalid join condition: joins on multiple conditions are not yet supported. "
            "Got ((T1.COL0 = T2.COL0) AND (T1.COL0 = T2.COL0)).",
            id="shouldThrowOnJoinConditionWithMultipleEqualityExpressions",
        ),
        pytest.param(
            "CREATE STREAM FOO AS SELECT * FROM test1 t1 JOIN test2 t2 ON t1.col0 = t2.col0 "
            "JOIN test2 t3 ON t1.col0 = t3.col0;",
            "N-way joins do not support multiple occurrences of the same source. Source: 'TEST2'",
            id="shouldThrowOnNwayJoinWithDuplicateSource",
        ),
        pytest.param(
            "CREATE STREAM FOO AS SELECT * FROM test1 t1 JOIN test2 t2 ON t1.col0 = 'foo';",
            "Invalid comparison expression ''foo'' in join '(T1.COL0 = 'foo')'. Each side of the join "
            "comparision must contain references from exactly one source.",
            id="shouldFailOnJoinWithoutSource",
        ),
        pytest.param(
            "CREATE STREAM FOO AS SELECT * FROM test1 t1 JOIN test2 t2 ON t1.col0 + t2.col0 = t1.col0;",
            "Invalid comparison expression '(T1.COL0 + T2.COL0)' in join '((T1.COL0 + T2.COL0) = T1.COL0)'. "
            "Each side of the join comparision must contain references from exactly one source.",
            id="shouldFailOnJoinOnOverlappingSources",
        ),
        pytest.param(
            "CREATE STREAM FOO AS SELECT * FROM test1 t1 JOIN test2 t2 ON t1.col0 = t1.col0;",
            "Each side of the join must reference exactly one source and not the same source. "
            "Left side references `T1` and right references `T1`",
            id="shouldFailOnSelfJoinInCondition",
        ),
    ],
)
def test_join_analysis_errors(h: Any, sql: str, message: str) -> None:
    """AnalyzerFunctionalTest's join errors (the Java matcher is containsString)."""
    assert message in error(h, sql)


def test_should_fail_on_table_function_inside_case_function(h: Any) -> None:
    """AnalyzerFunctionalTest.shouldFailOnTableFunctionInsideCaseFunction."""
    with pytest.raises(KsqlError) as info:
        h.engine.start_query("SELECT CASE WHEN false then EXPLODE(ARRAY[1.2]) END FROM test1 EMIT CHANGES;")
    assert "Table functions cannot be used in CASE: (CASE WHEN false THEN EXPLODE(ARRAY[1.2]) END)" in str(
        info.value.message
    )
