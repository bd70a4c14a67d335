"""Port of ksqlDB 0.29 `io.confluent.ksql.query.KafkaStreamsQueryValidatorTest` through the statements that
reach KafkaStreamsQueryValidator.validateQuery (EngineExecutor: CSAS / CTAS / INSERT INTO planning, push
queries, stream pull queries): the new query's cache.max.bytes.buffering plus the running persistent queries'
may not exceed the server's ksql.query.persistent.max.bytes.buffering.total. Two persistent queries run with
caches of 10 and 20 (the Java test's persistentQueryMetadata1/2). Ported: shouldLimitBufferCacheUsage,
shouldNotThrowIfUnderLimit, shouldIgnoreBufferCacheLimitIfNotSet, shouldIgnoreGlobalLimitSetInOverrides;
shouldLimitBufferCacheLimitForTransientQueries is validateTransientQuery, which 0.29's engine never calls (so
the transient limit limits nothing: test_transient_limit_is_not_applied). The shared-runtime cases count
bin-packed runtimes once; this engine runs no shared runtimes (every query counts), as with the feature off."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

CACHE = "ksql.streams.cache.max.bytes.buffering"
LIMIT = "ksql.query.persistent.max.bytes.buffering.total"
MESSAGE = (
    "Configured cache usage (cache.max.bytes.buffering=5) would put usage over the configured limit (30). "
    "Current usage is 30"
)


Factory = Callable[..., Any]


def _server(make: Factory, **properties: str) -> Any:
    s = make(**properties)
    s.run("CREATE STREAM S (ID INT KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');")
    s.run("CREATE STREAM A AS SELECT * FROM S;", {CACHE: "10"})
    s.run("CREATE STREAM B AS SELECT * FROM S;", {CACHE: "20"})
    return s


@pytest.fixture
def limited(ksql_with: Factory) -> Any:
    return _server(ksql_with, **{LIMIT: "30"})


def test_should_limit_buffer_cache_usage(limited: Any) -> None:
    """shouldLimitBufferCacheUsage: 5 more over 30 in use, limit 30."""
    assert limited.fails("CREATE STREAM C AS SELECT * FROM S;", {CACHE: "5"}) == MESSAGE
    assert limited.fails("INSERT INTO A SELECT * FROM S;", {CACHE: "5"}) == MESSAGE
    assert limited.engine.state.metastore.get("C") is None


def test_push_and_stream_pull_queries_are_limited(limited: Any) -> None:
    """EngineExecutor.executeTransientQuery / executeStreamPullQuery call validateQuery too."""
    with pytest.raises(Exception) as e:
        limited.engine.start_query("SELECT * FROM S EMIT CHANGES;", {CACHE: "5"})
    assert getattr(e.value, "message", "") == MESSAGE
    with pytest.raises(Exception) as e:
        limited.engine.start_query("SELECT * FROM S;", {CACHE: "5"})
    assert getattr(e.value, "message", "") == MESSAGE


def test_should_not_throw_if_under_limit(ksql_with: Factory) -> None:
    s = _server(ksql_with, **{LIMIT: "60"})
    assert s.run("CREATE STREAM C AS SELECT * FROM S;", {CACHE: "5"})[0]["commandStatus"]["status"] == "SUCCESS"


def test_should_ignore_buffer_cache_limit_if_not_set(ksql_with: Factory) -> None:
    s = _server(ksql_with)
    s.run("CREATE STREAM C AS SELECT * FROM S;", {CACHE: "100000000000"})
    assert s.engine.state.metastore.get("C") is not None


def test_should_ignore_global_limit_set_in_overrides(limited: Any) -> None:
    """shouldIgnoreGlobalLimitSetInOverrides: the limit is the server's (getConfig(false))."""
    message = limited.fails("CREATE STREAM C AS SELECT * FROM S;", {CACHE: "50", LIMIT: "500"})
    assert message.startswith("Configured cache usage (cache.max.bytes.buffering=50) would put usage over the")


def test_transient_limit_is_not_applied(ksql_with: Factory) -> None:
    """validateTransientQuery (ksql.query.transient.max.bytes.buffering.total) is never called in 0.29."""
    s = _server(ksql_with, **{"ksql.query.transient.max.bytes.buffering.total": "5"})
    s.engine.start_query("SELECT * FROM S EMIT CHANGES;", {CACHE: "10"}).close()
