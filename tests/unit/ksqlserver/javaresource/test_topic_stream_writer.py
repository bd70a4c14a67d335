"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.resources.streaming.TopicStreamWriterTest` (what
PrintTopicUtil / TopicStreamWriter write for PRINT), over /query: the formats first, then every
INTERVAL-th record up to LIMIT. The Java test's records have no timestamp ("rowtime: N/A")."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from ksqlserver.drivers.base import Record


@pytest.fixture()
def topic(make_resource: Any) -> Any:
    res = make_resource(sources=False)
    res.driver.create_topic("topic", 1, 1)
    records = [Record(f"key-{i}".encode(), f"value-{i}".encode(), -1, 0) for i in range(10)]
    res.driver.produce("topic", records)
    return res


@pytest.mark.parametrize(
    ("interval", "keys"),
    [(1, [0, 1]), (2, [0, 2])],
)
def test_should_print_interval_and_limit_two(topic: Any, interval: int, keys: list[int]) -> None:
    """TopicStreamWriterTest.shouldIntervalOneAndLimitTwo / shouldIntervalTwoAndLimitTwo"""
    r = httpx.post(
        topic.server.url + "/query",
        json={"ksql": f"PRINT 'topic' FROM BEGINNING INTERVAL {interval} LIMIT 2;", "streamsProperties": {}},
        timeout=15,
    )
    assert r.status_code == 200
    assert r.text.splitlines() == [
        "Key format: KAFKA_STRING",
        "Value format: KAFKA_STRING",
        *(f"rowtime: N/A, key: key-{i}, value: value-{i}, partition: 0" for i in keys),
    ]
