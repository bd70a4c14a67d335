"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.integration.PullQueryFunctionalTest` on one server: the
Java class runs two servers and also checks that both answer alike and which host served each row (a
multi-node setup not built here); the rows each query answers are checked as the Java test does.

Data: `UserDataProvider` (USERID key; REGISTERTIME, GENDER, REGIONID) in a 2-partition topic, timestamps
from BASE_TIME on."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.partitioner import partition_of
from ksqlserver.server import BackgroundServer

BASE_TIME = 1_000_000
ONE_SECOND = 1_000
USERS = [("USER_0", 0, "FEMALE", "REGION_0"), ("USER_1", 1, "MALE", "REGION_1"), ("USER_2", 2, "FEMALE", "REGION_1"),
         ("USER_3", 3, "MALE", "REGION_0"), ("USER_4", 4, "MALE", "REGION_4")]  # fmt: skip
_counter = iter(range(1000))


@pytest.fixture()
def app(rest: Any) -> Iterator[tuple[Any, BackgroundServer, str]]:
    _, driver, server = rest.start()
    driver.create_topic("USER_TOPIC", 2, 1)
    records = []
    for i, (user, reg, gender, region) in enumerate(USERS):
        key = user.encode()
        value = json.dumps({"REGISTERTIME": reg, "GENDER": gender, "REGIONID": region}).encode()
        records.append(Record(key, value, BASE_TIME + i, partition_of(key, 2)))
    driver.produce("USER_TOPIC", records)
    rest.ok(
        server,
        "CREATE STREAM users (USERID STRING KEY, REGISTERTIME BIGINT, GENDER STRING, REGIONID STRING) "
        "WITH (kafka_topic='USER_TOPIC', value_format='JSON');",
    )
    yield rest, server, f"OUTPUT_{next(_counter)}"  # KsqlIdentifierTestUtil.uniqueIdentifierName


def _pull(rest: Any, server: BackgroundServer, sql: str, n: int) -> list[list[Any]]:
    """RestIntegrationTestUtil.makeQueryRequest: the StreamedRows' columns after the header, once the
    table has its rows (waitForTableRows)."""

    def rows() -> list[list[Any]]:
        streamed = rest.query_rows(server, sql)
        assert "header" in streamed[0]
        return [r["row"]["columns"] for r in streamed[1:]]

    result: list[list[Any]] = rest.eventually(rows, lambda r: len(r) == n)
    return result


def test_should_get_single_key(app: tuple[Any, BackgroundServer, str]) -> None:
    """PullQueryFunctionalTest.shouldGetSingleKeyFromBothNodes"""
    rest, server, output = app
    rest.ok(server, f"CREATE TABLE {output} AS SELECT USERID, COUNT(1) AS COUNT FROM users GROUP BY USERID;")
    assert _pull(rest, server, f"SELECT * FROM {output} WHERE USERID = 'USER_0';", 1) == [["USER_0", 1]]


def test_should_get_single_windowed_key(app: tuple[Any, BackgroundServer, str]) -> None:
    """PullQueryFunctionalTest.shouldGetSingleWindowedKeyFromBothNodes"""
    rest, server, output = app
    rest.ok(
        server,
        f"CREATE TABLE {output} AS SELECT USERID, COUNT(1) AS COUNT FROM users "
        "WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY USERID;",
    )
    sql = f"SELECT * FROM {output} WHERE USERID = 'USER_0' AND WINDOWSTART = {BASE_TIME};"
    assert _pull(rest, server, sql, 1) == [["USER_0", BASE_TIME, BASE_TIME + ONE_SECOND, 1]]


def test_should_get_multiple_keys(app: tuple[Any, BackgroundServer, str]) -> None:
    """PullQueryFunctionalTest.shouldGetMultipleKeysFromBothNodes (rows in any order)"""
    rest, server, output = app
    rest.ok(server, f"CREATE TABLE {output} AS SELECT USERID, COUNT(1) AS COUNT FROM users GROUP BY USERID;")
    rows = _pull(rest, server, f"SELECT * FROM {output} WHERE USERID IN ('USER_0','USER_1','USER_2');", 3)
    assert sorted(rows) == [["USER_0", 1], ["USER_1", 1], ["USER_2", 1]]


def test_should_get_multiple_windowed_keys(app: tuple[Any, BackgroundServer, str]) -> None:
    """PullQueryFunctionalTest.shouldGetMultipleWindowedKeysFromBothNodes (rows in any order)"""
    rest, server, output = app
    rest.ok(
        server,
        f"CREATE TABLE {output} AS SELECT USERID, COUNT(1) AS COUNT FROM users "
        "WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY USERID;",
    )
    sql = f"SELECT * FROM {output} WHERE USERID IN ('USER_0','USER_1','USER_2')  AND WINDOWSTART = {BASE_TIME};"
    rows = _pull(rest, server, sql, 3)
    # every user's one row falls in the window [BASE_TIME, BASE_TIME + 1s)
    assert sorted(rows) == [[u, BASE_TIME, BASE_TIME + ONE_SECOND, 1] for u in ("USER_0", "USER_1", "USER_2")]


def test_should_do_table_scan_multiple_subtopologies(app: tuple[Any, BackgroundServer, str]) -> None:
    """PullQueryFunctionalTest.shouldDoTableScanBothNodes_multipleSubtopologies (a repartition first)"""
    rest, server, output = app
    rest.ok(
        server,
        f"CREATE TABLE {output} AS SELECT 'a-' + USERID AS USERID, COUNT(1) AS COUNT FROM users "
        "GROUP BY 'a-' + USERID;",
    )
    rows = _pull(rest, server, f"SELECT * FROM {output};", 5)
    assert sorted(rows) == [[f"a-USER_{i}", 1] for i in range(5)]
