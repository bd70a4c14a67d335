"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.computation.DeprecatedStatementsCheckerTest`
(ksqldb-rest-app): stream-stream joins without a GRACE PERIOD are deprecated.

The checker's verdict reaches a client as the warning DistributingExecutor adds to a distributed statement's
CommandStatusEntity, so each Java case (a SELECT the test only parses) runs here as the CREATE STREAM ... AS
SELECT around it, and the response's `warnings` are checked. Join types a stream-table or multi-way join does
not accept (RIGHT / FULL with a table, a criterion naming a later source) are left out: the statement fails
before the checker's warning could be seen."""

from __future__ import annotations

from typing import Any

import pytest

NOTICE = (
    "DEPRECATION NOTICE: Stream-stream joins statements without a GRACE PERIOD "
    "will not be accepted in a future ksqlDB version.\n"
    "Please use the GRACE PERIOD clause as specified in "
    "https://docs.ksqldb.io/en/latest/developer-guide/ksqldb-reference/select-push-query/"
)
JOIN_TYPES = ["INNER", "LEFT", "RIGHT", "FULL OUTER"]
GRACE = "WITHIN 1 SECOND GRACE PERIOD 1 SECOND"


@pytest.fixture(scope="module")
def app(rest_module: Any) -> Any:
    rest = rest_module
    _, driver, server = rest.start()
    for topic in ("S1", "S2", "S3", "T1"):
        driver.create_topic(topic, 1, 1)
    rest.ok(
        server,
        "CREATE STREAM STREAM_1 (K STRING KEY, V1 INT) WITH (kafka_topic='S1', value_format='json');"
        "CREATE STREAM STREAM_2 (K STRING KEY, V2 INT) WITH (kafka_topic='S2', value_format='json');"
        "CREATE STREAM STREAM_3 (K STRING KEY, V3 INT) WITH (kafka_topic='S3', value_format='json');"
        "CREATE TABLE TABLE_1 (K STRING PRIMARY KEY, V4 INT) WITH (kafka_topic='T1', value_format='json');",
    )
    count = [0]

    def warnings(select: str) -> list[dict[str, Any]]:
        count[0] += 1
        [entity] = rest.ok(server, f"CREATE STREAM DEPRECATED_QUERY_{count[0]} AS {select}")
        result: list[dict[str, Any]] = entity["warnings"]
        return result

    return warnings


@pytest.mark.parametrize("join", JOIN_TYPES)
def test_should_deprecate_stream_stream_joins_with_no_grace(app: Any, join: str) -> None:
    """DeprecatedStatementsCheckerTest.shouldDeprecateStreamStreamJoinsWithNoGrace /
    shouldDeprecateStreamStreamJoinInsideCreateAs"""
    select = f"SELECT * FROM STREAM_1 AS l {join} JOIN STREAM_2 AS r WITHIN 1 SECOND ON l.K = r.K;"
    assert app(select) == [{"message": NOTICE}]


@pytest.mark.parametrize("join", JOIN_TYPES)
def test_should_deprecate_multi_stream_stream_join_with_one_join_without_grace(app: Any, join: str) -> None:
    """DeprecatedStatementsCheckerTest.shouldDeprecateStreamStreamJoinsWithNoGraceOnMultiStreamStreamJoinOrder1"""
    select = (
        f"SELECT * FROM STREAM_1 AS l {join} JOIN STREAM_2 AS m {GRACE} ON l.K = m.K "
        f"{join} JOIN STREAM_3 AS r WITHIN 1 SECOND ON m.K = r.K;"
    )
    assert app(select) == [{"message": NOTICE}]


@pytest.mark.parametrize("join", ["INNER", "LEFT"])
def test_should_deprecate_stream_stream_table_joins_with_no_grace(app: Any, join: str) -> None:
    """DeprecatedStatementsCheckerTest.shouldDeprecateStreamStreamJoinsWithNoGraceOnMultiStreamStreamTableJoinOrder1
    / ...Order2: the stream joined without GRACE counts, before or after the table"""
    assert app(
        f"SELECT * FROM STREAM_1 AS l {join} JOIN STREAM_2 AS m WITHIN 1 SECOND ON l.K = m.K "
        f"{join} JOIN TABLE_1 AS r ON l.K = r.K;"
    ) == [{"message": NOTICE}]
    assert app(
        f"SELECT * FROM STREAM_1 AS l {join} JOIN TABLE_1 AS r ON l.K = r.K "
        f"{join} JOIN STREAM_2 AS m WITHIN 1 SECOND ON l.K = m.K;"
    ) == [{"message": NOTICE}]


@pytest.mark.parametrize("join", JOIN_TYPES)
def test_should_not_deprecate_stream_stream_joins_with_grace(app: Any, join: str) -> None:
    """DeprecatedStatementsCheckerTest.shouldNotDeprecateStreamStreamJoinsWithGrace /
    shouldNotDeprecateStreamStreamJoinWithGraceOnMultiStreamStreamJoin"""
    assert app(f"SELECT * FROM STREAM_1 AS l {join} JOIN STREAM_2 AS r {GRACE} ON l.K = r.K;") == []
    assert app(
        f"SELECT * FROM STREAM_1 AS l {join} JOIN STREAM_2 AS m {GRACE} ON l.K = m.K "
        f"{join} JOIN STREAM_3 AS r {GRACE} ON m.K = r.K;"
    ) == []


@pytest.mark.parametrize("join", ["INNER", "LEFT"])
def test_should_not_deprecate_stream_stream_table_joins_with_grace(app: Any, join: str) -> None:
    """DeprecatedStatementsCheckerTest.shouldNotDeprecateStreamStreamJoinsWithGraceOnMultiStreamStreamTableJoinOrder1
    / ...Order2"""
    assert app(
        f"SELECT * FROM STREAM_1 AS l {join} JOIN STREAM_2 AS m {GRACE} ON l.K = m.K "
        f"{join} JOIN TABLE_1 AS r ON l.K = r.K;"
    ) == []
    assert app(
        f"SELECT * FROM STREAM_1 AS l {join} JOIN TABLE_1 AS r ON l.K = r.K "
        f"{join} JOIN STREAM_2 AS m {GRACE} ON l.K = m.K;"
    ) == []


def test_should_not_deprecate_stream_table_join(app: Any) -> None:
    """DeprecatedStatementsChecker.isStreamStreamJoinWithoutGraceQuery: a joined table is skipped"""
    assert app("SELECT * FROM STREAM_1 AS l JOIN TABLE_1 AS r ON l.K = r.K;") == []
