"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.execution.RequestHandlerTest`, over /ksql. The
custom-executor and distributor wiring (mocks) has no observable effect; what a client sees is the feature
flag check (FeatureFlagChecker) and that each statement sees the properties and variables set before it."""

from __future__ import annotations

from typing import Any

import pytest

HEADERS = "CREATE STREAM x (c1 ARRAY<STRUCT<`KEY` STRING, `VALUE` BYTES>> HEADERS) WITH (value_format='json', kafka_topic='x');"


@pytest.mark.parametrize(
    ("sql", "kind"),
    [
        (HEADERS, "Stream"),
        ("CREATE TABLE y (id INT PRIMARY KEY, c1 BYTES HEADER('a')) WITH (value_format='json', kafka_topic='x');", "Table"),
    ],
)
def test_should_throw_on_create_source_if_feature_flag_is_disabled(make_resource: Any, sql: str, kind: str) -> None:
    """RequestHandlerTest.shouldThrowOnCreateStreamIfFeatureFlagIsDisabled (KsqlException: a 40000 bad
    request)"""
    res = make_resource({"ksql.headers.columns.enabled": "false"}, sources=False)
    res.driver.create_topic("x", 1, 1)
    error = res.fail(sql)
    assert error["error_code"] == 40000
    assert f"Cannot create {kind} because schema with headers columns is disabled." in error["message"]
    assert res.one("SHOW STREAMS;")["streams"] == []


def test_headers_allowed_by_default(make_resource: Any) -> None:
    """RequestHandlerTest: with the flag at its default (true) the same statement runs"""
    res = make_resource(sources=False)
    res.driver.create_topic("x", 1, 1)
    assert res.one(HEADERS)["commandStatus"]["status"] == "SUCCESS"


def test_should_call_prepare_statement_with_session_variables(res: Any) -> None:
    """RequestHandlerTest.shouldCallPrepareStatementWithSessionVariables /
    shouldCallPrepareStatementWithEmptySessionVariablesIfSubstitutionDisabled"""
    entity = res.one("DESCRIBE ${a};", sessionVariables={"a": "TEST_STREAM"})
    assert entity["sourceDescription"]["name"] == "TEST_STREAM"
    error = res.fail(
        "DESCRIBE ${a};",
        sessionVariables={"a": "TEST_STREAM"},
        streamsProperties={"ksql.variable.substitution.enable": False},
    )
    assert error["error_code"] == 40001


def test_should_distribute_properties(res: Any) -> None:
    """RequestHandlerTest.shouldDistributeProperties: the session's properties go with the command (a
    query's overriddenProperties)"""
    res.ok("SET 'auto.offset.reset' = 'earliest';CREATE STREAM X AS SELECT * FROM test_stream;")
    [query_id] = res.persistent_ids()
    d = res.one(f"EXPLAIN {query_id};")["queryDescription"]
    assert d["overriddenProperties"] == {"ksql.streams.auto.offset.reset": "earliest"}


def test_should_wait_for_distributed_statements(res: Any) -> None:
    """RequestHandlerTest.shouldWaitForDistributedStatements: each statement of a request sees what the
    previous ones made"""
    res.driver.create_topic("x", 1, 1)
    results = res.ok(
        "CREATE STREAM x (a INT) WITH (value_format='json', kafka_topic='x');"
        "CREATE STREAM y AS SELECT * FROM x;"
        "CREATE STREAM z AS SELECT * FROM y;"
    )
    assert [r["commandStatus"]["status"] for r in results] == ["SUCCESS"] * 3
