"""Port of ksqlDB 0.29 `io.confluent.ksql.api.server.ServerUtilsTest` (testHandleServerRateLimitException):
a pull query over the limit of `ksql.query.pull.max.qps` (rest.util.RateLimiter.checkLimit's
KsqlRateLimitException) is failed by ServerUtils.handleEndpointException with 429 and
ERROR_CODE_TOO_MANY_REQUESTS (42900), the exception's message as is."""

from __future__ import annotations

from typing import Any

import httpx

from ksqlserver.server.ratelimit import PullRateLimiter


def test_handle_server_rate_limit_exception(rest: Any) -> None:
    """ServerUtilsTest.testHandleServerRateLimitException, through a real limit of 1 qps: the first pull
    query takes the permit, the next one at once is refused (QueryExecutor.handleStreamPullQuery applies the
    limit to a stream's pull queries too)."""
    _, driver, server = rest.start(server_options={"pull_max_qps": 1})
    # the limiter on a still clock: an idle second before the first query (a loaded machine) would store a
    # permit for the second one too (Guava's SmoothBursty), failing the test by timing
    routes = server._server.routes
    routes.pull_limiter = PullRateLimiter(routes.config.pull_max_qps, clock=lambda: 0.0)
    driver.create_topic("PAGEVIEW_TOPIC", 1, 1)
    rest.ok(
        server,
        f"CREATE STREAM PAGEVIEWS ({rest.PAGE_VIEW_SCHEMA}) WITH (kafka_topic='PAGEVIEW_TOPIC', value_format='json');",
    )
    pull = {"sql": "SELECT * FROM PAGEVIEWS;", "properties": {}}
    first = httpx.post(server.url + "/query-stream", json=pull, timeout=30)
    assert first.status_code == 200
    second = httpx.post(server.url + "/query-stream", json=pull, timeout=30)
    assert second.status_code == 429
    assert second.json() == {
        "@type": "generic_error",
        "error_code": 42900,
        "message": "Host is at rate limit for pull queries. Currently set to 1.0 qps.",
    }


def test_rate_limiter_is_guava_smooth_bursty() -> None:
    """RateLimiter.create(permitsPerSecond): tryAcquire takes a free permit, refuses until the next one is
    due, and stores the permits of an idle spell (up to one second's worth)."""
    now = [0.0]
    limiter = PullRateLimiter(2, clock=lambda: now[0])
    assert limiter.try_acquire() and not limiter.try_acquire()
    now[0] = 0.5
    assert limiter.try_acquire() and not limiter.try_acquire()
    now[0] = 10.0  # idle: two stored permits and the one due now
    assert [limiter.try_acquire() for _ in range(4)] == [True, True, True, False]
