"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.resources.streaming.PrintSubscriptionTest`, over
/query-stream (QueryStreamHandler's print publisher): PRINT shows every INTERVAL-th record, `key: <key>, value:
<value>`, until LIMIT records are printed."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from ksqlserver.drivers.base import Record


def _print(rest: Any, clause: str) -> list[str]:
    _, driver, server = rest.start()
    driver.create_topic("topic", 1, 1)
    records = [Record(f"key-{i}".encode(), f"value-{i}".encode(), 1_000 + i, 0) for i in range(9)]
    driver.produce("topic", records)
    body = {"sql": f"PRINT 'topic' FROM BEGINNING {clause};", "properties": {}}
    r = httpx.post(server.url + "/query-stream", json=body, timeout=30)
    assert r.status_code == 200, r.text
    # the format lines (RecordFormatter's "Key format: ..." / "Value format: ...") come before the records
    return [line for line in r.text.splitlines() if line.startswith("rowtime: ")]


@pytest.mark.parametrize(
    ("clause", "keys"),
    [
        ("LIMIT 3", [0, 1, 2]),  # testPrintPublisher (the first poll's three records)
        ("LIMIT 2", [0, 1]),  # testPrintPublisherLimit
        ("LIMIT 5", [0, 1, 2, 3, 4]),  # testPrintPublisherLimitTwoBatches
        ("INTERVAL 2 LIMIT 3", [0, 2, 4]),  # testPrintPublisherIntervalNoLimit (its first two polls)
        ("INTERVAL 2 LIMIT 4", [0, 2, 4, 6]),  # testPrintPublisherIntervalAndLimit
    ],
)
def test_print_publisher(rest: Any, clause: str, keys: list[int]) -> None:
    """PrintSubscriptionTest: each printed record's `key: key-i, value: value-i`."""
    lines = _print(rest, clause)
    assert len(lines) == len(keys)
    for line, i in zip(lines, keys, strict=True):
        assert f"key: key-{i}, value: value-{i}" in line
