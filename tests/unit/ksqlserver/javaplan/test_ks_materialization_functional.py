"""Port of ksqlDB 0.29 `io.confluent.ksql.materialization.ks.KsMaterializationFunctionalTest`: what the
materialized state of CREATE TABLE AS aggregates serves, over plain, TUMBLING, HOPPING and SESSION windowed
tables, with retention, key columns in the projection, several aggregates and HAVING.

The Java test reads `MaterializedTable.get(key, partition)` and `MaterializedWindowedTable.get(key, partition,
windowStartBounds, windowEndBounds)`; here those reads are pull queries (`WHERE key = ...` and bounds on
WINDOWSTART / WINDOWEND), which go through that materialization. `UserDataProvider` and
`PageViewDataProvider` rows are produced as the Java harness produces them (KAFKA STRING keys, JSON values),
the page views once at each of the 4 window starts 60s, 120s, 180s and 240s. Not ported:
shouldReturnEmptyIfNotMaterializedStream and shouldReturnEmptyIfAppServerNotConfigured (which object the
engine hands out internally, with no effect a user sees)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from ksqlserver.drivers.base import Record

USERS = [("USER_0", 0, "FEMALE", "REGION_0"), ("USER_1", 1, "MALE", "REGION_1"), ("USER_2", 2, "FEMALE", "REGION_1"),
         ("USER_3", 3, "MALE", "REGION_0"), ("USER_4", 4, "MALE", "REGION_4")]  # fmt: skip
PAGE_VIEWS = [("PAGE_1", "USER_1", 1), ("PAGE_2", "USER_2", 2), ("PAGE_3", "USER_4", 3), ("PAGE_4", "USER_3", 4),
              ("PAGE_5", "USER_0", 5), ("PAGE_5", "USER_2", 6), ("PAGE_5", "USER_3", 7)]  # fmt: skip
WINDOW_STARTS = [60_000, 120_000, 180_000, 240_000]
USERS_TS = 1_000


@pytest.fixture
def p(make_pull: Callable[..., Any]) -> Any:
    p = make_pull(tables=False)
    w = "VALUE_FORMAT='JSON', PARTITIONS=1"
    p.execute(f"CREATE TABLE USERS_TABLE (USERID STRING PRIMARY KEY, REGISTERTIME BIGINT, GENDER STRING, "
              f"REGIONID STRING) WITH (KAFKA_TOPIC='users_topic', {w});")  # fmt: skip
    p.execute("CREATE STREAM USERS_STREAM (USERID STRING KEY, REGISTERTIME BIGINT, GENDER STRING, REGIONID STRING) "
              "WITH (KAFKA_TOPIC='users_topic', VALUE_FORMAT='JSON');")  # fmt: skip
    p.execute("CREATE STREAM PAGE_VIEWS_STREAM (PAGEID STRING KEY, USERID STRING, VIEWTIME BIGINT) "
              f"WITH (KAFKA_TOPIC='page_views_topic', {w});")  # fmt: skip
    driver = p.engine.driver
    driver.produce("users_topic", [
        Record(u.encode(), json.dumps({"REGISTERTIME": r, "GENDER": g, "REGIONID": reg}).encode(), USERS_TS)
        for u, r, g, reg in USERS
    ])  # fmt: skip
    for start in WINDOW_STARTS:
        driver.produce("page_views_topic", [
            Record(k.encode(), json.dumps({"USERID": u, "VIEWTIME": v}).encode(), start) for k, u, v in PAGE_VIEWS
        ])  # fmt: skip
    return p


def _header(p: Any, sql: str) -> str:
    q = p.query(sql)
    q.close()
    return str(q.schema)


def test_should_query_materialized_table_for_aggregated_table(p: Any) -> None:
    """shouldQueryMaterializedTableForAggregatedTable: each user's row by key; an unknown key has none."""
    p.execute("CREATE TABLE O AS SELECT USERID, COUNT(*) FROM USERS_TABLE GROUP BY USERID;")
    assert _header(p, "SELECT * FROM O WHERE USERID = 'USER_0';") == "`USERID` STRING KEY, `KSQL_COL_0` BIGINT"
    for user, *_ in USERS:
        assert p.rows(f"SELECT * FROM O WHERE USERID = '{user}';") == [[user, 1]]
    assert p.rows("SELECT * FROM O WHERE USERID = 'Won''t find me';") == []


def test_should_query_materialized_table_for_aggregated_stream(p: Any) -> None:
    """shouldQueryMaterializedTableForAggregatedStream."""
    p.execute("CREATE TABLE O AS SELECT USERID, COUNT(*) AS COUNT FROM USERS_STREAM GROUP BY USERID;")
    assert _header(p, "SELECT * FROM O WHERE USERID = 'USER_0';") == "`USERID` STRING KEY, `COUNT` BIGINT"
    for user, *_ in USERS:
        assert p.rows(f"SELECT * FROM O WHERE USERID = '{user}';") == [[user, 1]]
    assert p.rows("SELECT * FROM O WHERE USERID = 'Won''t find me';") == []


def _window_reads(p: Any, user: str, start: int, end: int) -> None:
    """The Java test's four windowed reads of one key's window [start, end)."""
    row = [user, start, end, 1]
    assert p.rows(f"SELECT * FROM O WHERE USERID = '{user}' AND WINDOWSTART = {start};") == [row]  # at exact start
    assert p.rows(f"SELECT * FROM O WHERE USERID = '{user}' AND WINDOWEND = {end};") == [row]  # at exact end
    between = f"WINDOWSTART >= {start - 1} AND WINDOWSTART <= {start + 1}"
    assert p.rows(f"SELECT * FROM O WHERE USERID = '{user}' AND {between};") == [row]  # range including start
    past = f"WINDOWSTART >= {start + 1} AND WINDOWSTART <= {start + 1}"
    assert p.rows(f"SELECT * FROM O WHERE USERID = '{user}' AND {past};") == []  # past start


@pytest.mark.parametrize(
    "window, end",
    [("TUMBLING (SIZE 5 SECONDS)", 5_000), ("HOPPING (SIZE 5 SECONDS, ADVANCE BY 5 SECONDS)", 5_000), ("SESSION (5 SECONDS)", 0)],
    ids=["tumbling", "hopping", "session"],
)  # fmt: skip
def test_should_query_materialized_table_for_windowed(p: Any, window: str, end: int) -> None:
    """shouldQueryMaterializedTableForTumblingWindowed / ...HoppingWindowed / ...SessionWindowed: a window
    read at its exact start, at its exact end, over a range around its start, and just past its start (a
    session window of one record starts and ends at its timestamp)."""
    p.execute(f"CREATE TABLE O AS SELECT USERID, COUNT(*) AS COUNT FROM USERS_STREAM WINDOW {window} GROUP BY USERID;")
    assert _header(p, "SELECT * FROM O WHERE USERID = 'USER_0';") == (
        "`USERID` STRING KEY, `WINDOWSTART` BIGINT KEY, `WINDOWEND` BIGINT KEY, `COUNT` BIGINT"
    )
    start = USERS_TS - USERS_TS % 5_000 if end else USERS_TS
    for user, *_ in USERS:
        _window_reads(p, user, start, start + end)


def test_should_fail_query_with_retention_smaller_than_grace_period(p: Any) -> None:
    """shouldFailQueryWithRetentionSmallerThanGracePeriod: Kafka Streams' TimeWindowedKStreamImpl refuses the
    store (the default grace period is 24 hours less the window size)."""
    message = p.fails("CREATE TABLE O AS SELECT PAGEID, COUNT(*) AS COUNT FROM PAGE_VIEWS_STREAM "
                      "WINDOW TUMBLING (SIZE 60 SECONDS, RETENTION 120 SECONDS) GROUP BY PAGEID;")  # fmt: skip
    assert "must be no smaller than its window size plus the grace period" in message
    assert "Got size=[60000], grace=[86340000], retention=[120000]" in message


def _windows(p: Any, key_col: str, key: str) -> set[tuple[int, int]]:
    return {(r[1], r[2]) for r in p.rows(f"SELECT * FROM O WHERE {key_col} = '{key}';")}


def test_should_query_tumbling_window_materialized_table_with_retention(p: Any) -> None:
    """shouldQueryTumblingWindowMaterializedTableWithRetention: a 120 s retention keeps the two latest 60 s
    windows of each key."""
    p.execute("CREATE TABLE O AS SELECT PAGEID, COUNT(*) AS COUNT FROM PAGE_VIEWS_STREAM WINDOW TUMBLING "
              "(SIZE 60 SECONDS, RETENTION 120 SECONDS, GRACE PERIOD 0 SECONDS) GROUP BY PAGEID;")  # fmt: skip
    for page in {k for k, _, _ in PAGE_VIEWS}:
        assert _windows(p, "PAGEID", page) == {(180_000, 240_000), (240_000, 300_000)}, page


def test_should_query_hopping_window_materialized_table_with_retention(p: Any) -> None:
    """shouldQueryHoppingWindowMaterializedTableWithRetention: a 60 s retention keeps the latest window."""
    p.execute("CREATE TABLE O AS SELECT PAGEID, COUNT(*) AS COUNT FROM PAGE_VIEWS_STREAM WINDOW HOPPING "
              "(SIZE 60 SECONDS, ADVANCE BY 60 SECONDS, RETENTION 60 SECONDS, GRACE PERIOD 0 SECONDS) "
              "GROUP BY PAGEID;")  # fmt: skip
    for page in {k for k, _, _ in PAGE_VIEWS}:
        assert _windows(p, "PAGEID", page) == {(240_000, 300_000)}, page


def test_should_query_session_window_materialized_table_with_retention(p: Any) -> None:
    """shouldQuerySessionWindowMaterializedTableWithRetention: a 60 s retention keeps the latest session."""
    p.execute("CREATE TABLE O AS SELECT USERID, COUNT(*) AS COUNT FROM PAGE_VIEWS_STREAM WINDOW SESSION "
              "(30 SECONDS, RETENTION 60 SECONDS, GRACE PERIOD 0 SECONDS) GROUP BY USERID;")  # fmt: skip
    for user in {u for _, u, _ in PAGE_VIEWS}:
        assert _windows(p, "USERID", user) == {(240_000, 240_000)}, user


def test_should_query_materialized_table_with_key_fields_in_projection(p: Any) -> None:
    """shouldQueryMaterializedTableWithKeyFieldsInProjection: AS_VALUE(USERID) as a value column."""
    p.execute("CREATE TABLE O AS SELECT USERID, COUNT(*), AS_VALUE(USERID) AS USERID_2 FROM USERS_TABLE GROUP BY USERID;")
    assert _header(p, "SELECT * FROM O WHERE USERID = 'USER_0';") == (
        "`USERID` STRING KEY, `KSQL_COL_0` BIGINT, `USERID_2` STRING"
    )
    for user, *_ in USERS:
        assert p.rows(f"SELECT * FROM O WHERE USERID = '{user}';") == [[user, 1, user]]


def test_should_query_materialized_table_with_multiple_aggregation_columns(p: Any) -> None:
    """shouldQueryMaterializedTableWithMultipleAggregationColumns."""
    p.execute("CREATE TABLE O AS SELECT USERID, COUNT(1) AS COUNT, SUM(REGISTERTIME) AS SUM FROM USERS_TABLE "
              "GROUP BY USERID;")  # fmt: skip
    for user, registered, *_ in USERS:
        assert p.rows(f"SELECT * FROM O WHERE USERID = '{user}';") == [[user, 1, registered]]


def test_should_handle_having_clause(p: Any) -> None:
    """shouldHandleHavingClause: keys whose aggregate fails HAVING have no row."""
    p.execute("CREATE TABLE O AS SELECT USERID, COUNT(*) AS COUNT FROM USERS_TABLE GROUP BY USERID "
              "HAVING SUM(REGISTERTIME) > 2;")  # fmt: skip
    for user, registered, *_ in USERS:
        expected = [[user, 1]] if registered > 2 else []
        assert p.rows(f"SELECT * FROM O WHERE USERID = '{user}';") == expected, user
