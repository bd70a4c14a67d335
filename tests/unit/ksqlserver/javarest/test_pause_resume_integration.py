"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.integration.PauseResumeIntegrationTest` (the restart case
is left out: it needs the command topic on a durable broker)."""

from __future__ import annotations

from typing import Any

PAGE_VIEW_STREAM = "PAGEVIEW_KSTREAM"


def _create_query(rest: Any, server: Any, suffix: str) -> None:
    rest.ok(
        server,
        f"CREATE STREAM SINK_STREAM{suffix} WITH (kafka_topic='SINK_TOPIC{suffix}',format='json') "
        f"AS SELECT * FROM {PAGE_VIEW_STREAM};",
    )


def _count(rest: Any, server: Any, status: str) -> int:
    [queries] = rest.ok(server, "SHOW QUERIES;")
    return sum(q["statusCount"].get(status, 0) for q in queries["queries"])


def _size(rest: Any, server: Any, n: str) -> Any:
    return lambda: len(rest.query_rows(server, f"select * from SINK_STREAM{n};"))


def test_should_pause_and_resume_multiple_queries(rest: Any) -> None:
    """PauseResumeIntegrationTest.shouldPauseAndResumeMultipleQueries (and shouldPauseAndResumeQuery): a
    paused query's sink gets no rows until RESUME; SHOW QUERIES counts PAUSED and RUNNING"""
    _, driver, server = rest.page_view_app()
    _create_query(rest, server, "1")
    [queries] = rest.ok(server, "SHOW QUERIES;")
    query_id = queries["queries"][0]["id"]
    _create_query(rest, server, "2")
    driver.produce("PAGEVIEW_TOPIC", rest.page_view_records(rest.PAGE_VIEWS))
    # 7 records are produced + a header & footer
    assert rest.eventually(_size(rest, server, "1"), lambda n: n == 9) == 9
    assert rest.eventually(_size(rest, server, "2"), lambda n: n == 9) == 9
    rest.ok(server, f"PAUSE {query_id};")
    assert rest.eventually(lambda: _count(rest, server, "PAUSED"), lambda n: n == 1) == 1
    assert _count(rest, server, "RUNNING") == 1
    driver.produce("PAGEVIEW_TOPIC", rest.page_view_records(rest.PAGE_VIEWS_BATCH2))
    assert rest.eventually(_size(rest, server, "2"), lambda n: n == 14) == 14
    assert _size(rest, server, "1")() == 9
    rest.ok(server, f"RESUME {query_id};")
    assert rest.eventually(_size(rest, server, "1"), lambda n: n == 14) == 14
    assert _count(rest, server, "RUNNING") == 2
