"""The /ws/query connection timeout: WSQueryEndpoint.executeStreamQuery schedules SessionUtil.closeSilently
(code 1011, INTERNAL_SERVER_ERROR, "The request token has expired.") after AuthenticationUtil.getTokenTimeout:
ksql.websocket.connection.max.timeout.ms when above 0 (no KsqlAuthTokenProvider here:
AuthenticationUtilTest.shouldReturnDefaultWhenNoAuthTokenProviderPresent), none at 0
(shouldReturnEmptyWhenConfigSetToZero). A push query without LIMIT runs until then."""

from __future__ import annotations

import json
import threading
import time
from typing import Any


def test_the_socket_closes_when_the_timeout_passes(rest: Any, ws_messages: Any) -> None:
    engine, driver, server = rest.start({"ksql.websocket.connection.max.timeout.ms": "400"})
    driver.create_topic("s", 1, 1)
    engine.execute("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', FORMAT='JSON');")
    started = time.monotonic()
    messages = ws_messages(server, "SELECT * FROM S EMIT CHANGES;")
    assert time.monotonic() - started >= 0.4
    assert json.loads(messages[0])[0]["name"] == "K"  # the schema came first
    assert messages[-2:] == [
        '{"error":"The request token has expired."}',
        ("close", 1011, "The request token has expired."),
    ]


def test_no_timeout_at_zero(rest: Any, ws_messages: Any) -> None:
    """At 0 the query runs until it ends by itself (its LIMIT here)."""
    engine, driver, server = rest.start({"ksql.websocket.connection.max.timeout.ms": "0"})
    driver.create_topic("s", 1, 1)
    engine.execute("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', FORMAT='JSON');")

    def produce() -> None:
        time.sleep(0.5)
        driver.produce("s", [rest.record(b'"a"', b'{"V":1}', 1)])

    threading.Thread(target=produce, daemon=True).start()
    messages = ws_messages(server, "SELECT * FROM S EMIT CHANGES LIMIT 1;")
    assert messages[-1] == ("close", 1000, "done")
