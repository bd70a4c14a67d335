"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.util.ScalablePushUtilTest` (ksqldb-rest-app): which push queries
ScalablePushUtil.isScalablePushQuery makes scalable push queries. The Java test mocks the Query and the
engine's getQueriesWithSink; here real statements run on the engine and the observable outcome is the
query id a client gets (`SCALABLE_PUSH_QUERY_<uuid>` for a scalable one, `transient_<source>_<n>` else).
isScalablePushQuery_false_hasNoRefinement / _hasWrongRefinement have no statement that reaches the check (a
SELECT without EMIT CHANGES is a pull query; EMIT FINAL needs a windowed aggregation)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig

ENABLED = {"ksql.query.push.v2.enabled": True}
LATEST = {"auto.offset.reset": "latest"}


def _engine(properties: dict[str, str] | None = None) -> Engine:
    driver = MemoryDriver()
    engine = Engine(
        EngineConfig(service_id="default_", processing_log=False, properties=properties or {}), driver
    )
    driver.create_topic("foo_topic", 1, 1)
    engine.execute(
        "CREATE STREAM SRC (K STRING KEY, V INT) WITH (kafka_topic='foo_topic', value_format='json');"
    )
    engine.execute("CREATE STREAM FOO AS SELECT * FROM SRC;")
    return engine


@pytest.fixture()
def engine() -> Iterator[Engine]:
    e = _engine()
    yield e
    e.close()


def _query_id(engine: Engine, sql: str, overrides: dict[str, Any]) -> str:
    q = engine.start_query(sql, overrides)
    try:
        return q.query_id
    finally:
        q.close()


def _is_spq(engine: Engine, sql: str, overrides: dict[str, Any]) -> bool:
    return _query_id(engine, sql, overrides).startswith("SCALABLE_PUSH_QUERY_")


def test_is_scalable_push_query_true(engine: Engine) -> None:
    """ScalablePushUtilTest.isScalablePushQuery_true: one writer, EMIT CHANGES, latest"""
    assert _is_spq(engine, "SELECT * FROM FOO EMIT CHANGES;", {**ENABLED, **LATEST})
    assert _is_spq(engine, "SELECT K, V FROM FOO WHERE V > 1 EMIT CHANGES;", {**ENABLED, **LATEST})


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT ROWPARTITION FROM FOO EMIT CHANGES;",  # shouldNotMakeQueryWithRowpartitionInSelectClause...
        "SELECT ROWOFFSET FROM FOO EMIT CHANGES;",  # ...WithRowoffsetInSelectClause...
        "SELECT * FROM FOO WHERE ROWPARTITION = 0 EMIT CHANGES;",  # ...WithRowpartitionInWhereClause...
        "SELECT * FROM FOO WHERE ROWOFFSET > 0 EMIT CHANGES;",  # ...WithRowoffsetInWhereClause...
        "SELECT K, COUNT(*) FROM FOO GROUP BY K EMIT CHANGES;",  # isScalablePushQuery_false_hasGroupBy
        "SELECT K, COUNT(*) FROM FOO WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY K EMIT CHANGES;",  # _hasWindow
        "SELECT K, COUNT(*) FROM FOO GROUP BY K HAVING COUNT(*) > 1 EMIT CHANGES;",  # _hasHaving
        "SELECT * FROM FOO PARTITION BY V EMIT CHANGES;",  # _hasPartitionBy
        # SourceFinder finds no single source in a join
        "SELECT * FROM FOO JOIN SRC WITHIN 1 SECOND ON FOO.K = SRC.K EMIT CHANGES;",
    ],
)
def test_is_scalable_push_query_false_for_unsupported_queries(engine: Engine, sql: str) -> None:
    """ScalablePushUtilTest: ROWPARTITION / ROWOFFSET (SystemColumns.isDisallowedInPullOrScalablePushQueries),
    GROUP BY, WINDOW, HAVING, PARTITION BY and joins make a plain transient push query"""
    assert not _is_spq(engine, sql, {**ENABLED, **LATEST})


def test_is_scalable_push_query_false_config_disabled(engine: Engine) -> None:
    """ScalablePushUtilTest.isScalablePushQuery_false_configDisabled: ksql.query.push.v2.enabled off"""
    query_id = _query_id(engine, "SELECT * FROM FOO EMIT CHANGES;", LATEST)
    assert query_id.startswith("transient_FOO_")
    assert not _is_spq(
        engine, "SELECT * FROM FOO EMIT CHANGES;", {"ksql.query.push.v2.enabled": False, **LATEST}
    )


def test_is_scalable_push_query_true_enabled_with_override() -> None:
    """ScalablePushUtilTest.isScalablePushQuery_true_enabledWithOverride: the request's override wins over
    the server's false"""
    engine = _engine({"ksql.query.push.v2.enabled": "false"})
    try:
        assert _is_spq(engine, "SELECT * FROM FOO EMIT CHANGES;", {**ENABLED, **LATEST})
        assert not _is_spq(engine, "SELECT * FROM FOO EMIT CHANGES;", LATEST)
    finally:
        engine.close()


def test_is_scalable_push_query_offset_reset(engine: Engine) -> None:
    """ScalablePushUtilTest.isScalablePushQuery_true_noLatest (unset means latest) / _true_streamsOverride
    (ksql.streams.auto.offset.reset) / an override that is not "latest" (ScalablePushUtil.isLatest)"""
    assert _is_spq(engine, "SELECT * FROM FOO EMIT CHANGES;", ENABLED)
    assert _is_spq(
        engine, "SELECT * FROM FOO EMIT CHANGES;", {**ENABLED, "ksql.streams.auto.offset.reset": "latest"}
    )
    assert not _is_spq(
        engine, "SELECT * FROM FOO EMIT CHANGES;", {**ENABLED, "auto.offset.reset": "earliest"}
    )
    assert not _is_spq(engine, "SELECT * FROM FOO EMIT CHANGES;", {**ENABLED, "auto.offset.reset": "none"})


@pytest.mark.parametrize(("reset", "scalable"), [("latest", True), ("earliest", False)])
def test_is_scalable_push_query_config_offset_reset(reset: str, scalable: bool) -> None:
    """ScalablePushUtilTest.isScalablePushQuery_true_configLatest / _true_latestConfig / _false_configNotLatest:
    the server's ksql.streams.auto.offset.reset when the request sets none"""
    engine = _engine({"ksql.streams.auto.offset.reset": reset})
    try:
        assert _is_spq(engine, "SELECT * FROM FOO EMIT CHANGES;", ENABLED) is scalable
    finally:
        engine.close()


def test_is_scalable_push_query_false_wrong_upstream_queries(engine: Engine) -> None:
    """ScalablePushUtilTest.isScalablePushQuery_false_wrongUpstreamQueries_None / _Two: exactly one persistent
    query must write the source"""
    assert not _is_spq(engine, "SELECT * FROM SRC EMIT CHANGES;", {**ENABLED, **LATEST})
    engine.execute("INSERT INTO FOO SELECT * FROM SRC;")
    assert not _is_spq(engine, "SELECT * FROM FOO EMIT CHANGES;", {**ENABLED, **LATEST})
