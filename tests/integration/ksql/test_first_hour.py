"""A data scientist's first hour on the embedded stack, replayed through the unchanged `ksql-python-ng` client
against ksqlserver on the real broker: a DELIMITED stream, rows produced, `SELECT ... LIMIT n` on the stream
without EMIT CHANGES (a pull query that scans and completes), pull queries by key and by a non-key column on
a CTAS and on a source table, PRINT, and an idle `EMIT CHANGES LIMIT` query that ends within its bound.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import httpx
import pytest
from confluent_kafka import Producer

from fraudlab.magics.queries import run_query
from fraudlab.magics.rest import KsqlRest
from ksql import KSQLAPI

pytestmark = pytest.mark.integration


def _produce(bootstrap: str, topic: str, records: list[tuple[bytes | None, bytes | None]]) -> None:
    producer = Producer({"bootstrap.servers": bootstrap})
    for key, value in records:
        producer.produce(topic, key=key, value=value)
    assert producer.flush(30) == 0


def _delimited(chunks: list[str]) -> tuple[list[str], list[list[object]]]:
    """The client's chunks of a delimited response: the header's column names, then the rows."""
    lines = [line for chunk in chunks for line in chunk.splitlines() if line.strip()]
    header = json.loads(lines[0])
    return header["columnNames"], [json.loads(line) for line in lines[1:]]


def _eventually(
    read: Callable[[], list[list[object]]], want: list[list[object]], timeout: float = 30.0
) -> list[list[object]]:
    """A pull query on a table repeated until the persistent query behind it has caught up (its rows, in
    any order, are `want`) or the time is up; the caller asserts on what it returns."""
    deadline = time.monotonic() + timeout
    rows = sorted(read())
    while rows != sorted(want) and time.monotonic() < deadline:
        time.sleep(0.3)
        rows = sorted(read())
    return rows


def test_first_hour(ksql_url: str, bootstrap_servers: str, unique_name: Callable[[str], str]) -> None:
    api = KSQLAPI(ksql_url, timeout=10)
    tx, users = unique_name("tx"), unique_name("users")
    topic, users_topic = tx.lower(), users.lower()

    # 1. a DELIMITED stream over a new topic, then rows produced as CSV lines
    api.ksql(
        f"CREATE STREAM {tx} (ID BIGINT KEY, USER_ID STRING, AMOUNT DOUBLE, CLASS INT) "
        f"WITH (KAFKA_TOPIC='{topic}', VALUE_FORMAT='DELIMITED', KEY_FORMAT='KAFKA', PARTITIONS=1);"
    )
    rows = [(i, f"u{i % 3}", 10.0 * i, 1 if i % 4 == 0 else 0) for i in range(1, 13)]
    _produce(
        bootstrap_servers,
        topic,
        [(i.to_bytes(8, "big"), f"{u},{a},{c}".encode()) for i, u, a, c in rows],
    )

    # 2. SELECT ... LIMIT n on the stream, no EMIT CHANGES: it scans from the start and completes
    started = time.monotonic()
    names, got = _delimited(list(api.query(f"SELECT ID, MASK_LEFT(USER_ID, 1) AS U, AMOUNT FROM {tx} LIMIT 8")))
    assert names == ["ID", "U", "AMOUNT"]
    assert got == [[i, "x" + u[1:], a] for i, u, a, _ in rows[:8]]
    _, frauds = _delimited(list(api.query(f"SELECT ID FROM {tx} WHERE CLASS = 1;")))
    assert frauds == [[4], [8], [12]]  # the whole topic as of the start, then the response ends
    assert time.monotonic() - started < 20

    # 3. a CTAS and pull queries on it by key and by a non-key column
    api.ksql(
        f"CREATE TABLE {tx}_TOTALS AS SELECT USER_ID, COUNT(*) AS N, SUM(AMOUNT) AS TOTAL "
        f"FROM {tx} GROUP BY USER_ID;",
        stream_properties={"ksql.streams.auto.offset.reset": "earliest"},
    )

    def totals_by_key() -> list[list[object]]:
        return _delimited(list(api.query(f"SELECT USER_ID, N, TOTAL FROM {tx}_TOTALS WHERE USER_ID = 'u1';")))[1]

    want_u1 = [["u1", 4, 10.0 + 40.0 + 70.0 + 100.0]]
    assert _eventually(totals_by_key, want_u1) == want_u1

    def big_totals() -> list[list[object]]:
        return _delimited(list(api.query(f"SELECT USER_ID FROM {tx}_TOTALS WHERE TOTAL > 250;")))[1]

    assert _eventually(big_totals, [["u0"], ["u2"]]) == [["u0"], ["u2"]]  # u0: 300, u1: 220, u2: 260

    # 4. a source table, materialised by the server, by key and by a non-key column
    api.ksql(
        f"CREATE SOURCE TABLE {users} (USER_ID STRING PRIMARY KEY, NAME STRING, COUNTRY STRING) "
        f"WITH (KAFKA_TOPIC='{users_topic}', VALUE_FORMAT='JSON', PARTITIONS=1);"
    )
    _produce(
        bootstrap_servers,
        users_topic,
        [
            (b"u0", json.dumps({"NAME": "Ada", "COUNTRY": "UK"}).encode()),
            (b"u1", json.dumps({"NAME": "Bo", "COUNTRY": "SE"}).encode()),
            (b"u2", json.dumps({"NAME": "Cy", "COUNTRY": "UK"}).encode()),
        ],
    )

    def user_u1() -> list[list[object]]:
        return _delimited(list(api.query(f"SELECT NAME FROM {users} WHERE USER_ID = 'u1';")))[1]

    assert _eventually(user_u1, [["Bo"]]) == [["Bo"]]

    def uk_users() -> list[list[object]]:
        return _delimited(list(api.query(f"SELECT USER_ID FROM {users} WHERE COUNTRY = 'UK';")))[1]

    assert _eventually(uk_users, [["u0"], ["u2"]]) == [["u0"], ["u2"]]

    # 5. PRINT the topic from the beginning
    printed = httpx.post(
        ksql_url + "/query", json={"ksql": f"PRINT '{topic}' FROM BEGINNING LIMIT 2;"}, timeout=30
    ).text.splitlines()
    # ksqlDB writes the formats still possible before the records, again when they narrow
    # (TopicStreamWriter.FormatsTracker)
    assert printed[0].startswith("Key format: ") and printed[1].startswith("Value format: ")
    printed = [line for line in printed if line.startswith("rowtime: ")]
    assert len(printed) == 2
    assert printed[0].startswith("rowtime: ") and ", key: 1, value: u1,10.0,0, partition: 0" in printed[0]

    # 6. an idle EMIT CHANGES LIMIT query ends within its bound: the client's read timeout, and the magic's
    started = time.monotonic()
    idle = KSQLAPI(ksql_url, timeout=3)
    with pytest.raises(httpx.ReadTimeout):
        list(idle.query(f"SELECT * FROM {tx} EMIT CHANGES LIMIT 100"))  # from latest: nothing comes
    assert time.monotonic() - started < 15
    outcome = run_query(KsqlRest(ksql_url), f"SELECT * FROM {tx} EMIT CHANGES LIMIT 100;", {}, 100, 3.0)
    assert outcome.ended == "timeout" and outcome.rows == [] and outcome.seconds < 6
    assert outcome.query_id is not None
    # the magic closed its query: the server no longer knows it
    closed = httpx.post(ksql_url + "/close-query", json={"queryId": outcome.query_id}, timeout=10)
    assert closed.status_code == 400
