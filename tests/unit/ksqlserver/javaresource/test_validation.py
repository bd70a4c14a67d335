"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.validation.RequestValidatorTest`,
`PropertyOverriderTest` and `PrintTopicValidatorTest`, over /ksql. The sandbox checks ("Expected sandbox",
the validator map) are wiring with no HTTP-visible effect."""

from __future__ import annotations

from typing import Any

import pytest


def test_should_throw_exception_on_print_topic(res: Any) -> None:
    """PrintTopicValidatorTest.shouldThrowExceptionOnPrintTopic"""
    error = res.fail("PRINT 'topic';")
    assert "The following statement types should be issued to the websocket endpoint '/query'" in error["message"]
    assert "PRINT 'topic';" in error["statementText"]


def test_should_throw_if_too_many_persistent_queries(make_resource: Any) -> None:
    """RequestValidatorTest.shouldThrowIfTooManyPersistentQueries (limit 1, the second CSAS)"""
    res = make_resource({"ksql.query.persistent.active.limit": "1"})
    error = res.fail("CREATE STREAM sink AS SELECT * FROM test_stream;CREATE STREAM sink2 as SELECT * FROM sink;")
    assert "persistent queries to exceed the configured limit" in error["message"]


def test_should_not_throw_if_not_query_despite_too_many_persistent_queries(make_resource: Any) -> None:
    """RequestValidatorTest.shouldNotThrowIfNotQueryDespiteTooManyPersistentQueries /
    shouldNotThrowIfManyNonPersistentQueries"""
    res = make_resource({"ksql.query.persistent.active.limit": "0"})
    assert res.one("SHOW STREAMS;")["@type"] == "streams"
    res.driver.create_topic("a", 1, 1)
    results = res.ok("CREATE STREAM a (x INT) WITH (kafka_topic='a', value_format='json');"
                     "EXPLAIN SELECT * FROM a EMIT CHANGES;")  # fmt: skip
    assert [r["@type"] for r in results] == ["currentStatus", "queryDescription"]


def test_should_throw_exception_if_validation_fails(res: Any) -> None:
    """RequestValidatorTest.shouldThrowExceptionIfValidationFails: the statement's error, nothing run"""
    error = res.fail("CREATE STREAM foo AS SELECT * FROM nope;")
    assert error["@type"] == "statement_error"
    assert res.persistent_ids() == []


@pytest.mark.parametrize("sql", ["SET 'consumer.invalid'='value';", "UNSET 'consumer.invalid';"])
def test_should_fail_on_unknown_consumer_property(res: Any, sql: str) -> None:
    """PropertyOverriderTest.shouldFailOnUnknownSetProperty / shouldFailOnUnknownUnsetProperty"""
    assert "Unknown property: consumer.invalid" in res.fail(sql)["message"]


@pytest.mark.parametrize("sql", ["SET 'ksql.invalid'='value';", "UNSET 'ksql.invalid';"])
def test_should_fail_on_unknown_ksql_property(res: Any, sql: str) -> None:
    """PropertyOverriderTest.shouldFailOnUnknownSetProperty / shouldFailOnUnknownUnsetProperty, with a ksql.*
    name (KsqlConfigResolver.resolveKsqlConfig)"""
    error = res.fail(sql)
    assert error["message"] == "Unknown property: ksql.invalid"
    assert error["statementText"] == sql


def test_should_allow_set_and_unset_known_property(res: Any) -> None:
    """PropertyOverriderTest.shouldAllowSetKnownProperty / shouldAllowUnsetKnownProperty (and a ksql.functions.*
    name, which resolves unchecked)"""
    assert res.ok("SET 'auto.offset.reset' = 'earliest';UNSET 'auto.offset.reset';") == []
    assert res.ok("SET 'ksql.functions.my_udf.key' = 'v';SET 'ksql.streams.num.stream.threads' = '2';") == []


def test_should_fail_on_invalid_set_property_value(res: Any) -> None:
    """PropertyOverriderTest.shouldFailOnInvalidSetPropertyValue"""
    assert "Invalid value invalid" in res.fail("SET 'auto.offset.reset' = 'invalid';")["message"]
