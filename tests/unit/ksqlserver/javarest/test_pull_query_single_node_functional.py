"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.integration.PullQuerySingleNodeFunctionalTest`: the pull
queries it sends with `ksql.query.pull.max.allowed.offset.lag` = 3. The Java test's middle part (stop the
server, clear its state directory, hold consumption at offset 2 and watch the lag reports while the store
restores) needs the HA lag reporting and a restartable state store, and is not ported."""

from __future__ import annotations

import json
from typing import Any

import httpx

LAG_FILTER_3 = {"ksql.query.pull.max.allowed.offset.lag": "3"}
USERS = ["USER_0", "USER_1", "USER_2", "USER_3", "USER_4"]


def _pull(server: Any, sql: str) -> list[dict[str, Any]]:
    """makePullQueryRequest(target, sql, properties): /query with the lag filter as streamsProperties"""
    r = httpx.post(
        server.url + "/query",
        json={"ksql": sql, "streamsProperties": LAG_FILTER_3},
        headers={"Accept": "application/json"},
        timeout=30,
    )
    assert r.status_code == 200, r.text
    rows: list[dict[str, Any]] = r.json()
    return rows


def test_restore_after_clear_state_queries(rest: Any) -> None:
    """PullQuerySingleNodeFunctionalTest.restoreAfterClearState: the row of KEY (count 1) with a header; a key
    the table lacks answers the header alone ("Row not found!")"""
    _, driver, server = rest.start()
    driver.create_topic("USER_TOPIC", 1, 1)
    rest.ok(
        server,
        "CREATE STREAM users (USERID STRING KEY, REGISTERTIME BIGINT, GENDER STRING, REGIONID STRING) "
        "WITH (kafka_topic='USER_TOPIC', value_format='JSON');",
    )
    rest.ok(server, "CREATE TABLE OUTPUT AS SELECT USERID, COUNT(1) AS COUNT FROM users GROUP BY USERID;")
    driver.produce("USER_TOPIC", [rest.record(u.encode(), json.dumps({"REGISTERTIME": i}).encode(), i) for i, u in enumerate(USERS[:3])])
    rows = rest.eventually(lambda: _pull(server, "SELECT * FROM OUTPUT WHERE USERID = 'USER_0';"), lambda r: len(r) == 2)
    assert len(rows) == 2 and rows[1]["row"]["columns"] == ["USER_0", 1]
    assert len(_pull(server, "SELECT * FROM OUTPUT WHERE USERID = 'USER_3';")) == 1
    driver.produce("USER_TOPIC", [rest.record(b"USER_3", json.dumps({"REGISTERTIME": 3}).encode(), 3)])
    updated = rest.eventually(lambda: _pull(server, "SELECT * FROM OUTPUT WHERE USERID = 'USER_3';"), lambda r: len(r) == 2)
    assert updated[1]["row"]["columns"] == ["USER_3", 1]
