"""Port of ksqlDB 0.29 `io.confluent.ksql.query.TransientQueryQueueTest` through a push query: rows are
queued in order (shouldQueue, shouldPoll), a null key or null value is a row too (shouldQueueNullKey,
shouldQueueNullValues: a keyless stream's row, a row of null columns), and a LIMIT queues that many rows,
then the query is done with "Limit Reached" (shouldQueueUntilLimitReached, shouldCallLimitHandlerAsLimitReached,
shouldCallLimitHandlerOnlyOnce; shouldNotCallLimitHandlerIfLimitNotReached). The blocking bound of the
queue and its counters are not observable."""

from __future__ import annotations

from typing import Any

LIMIT = 4


def _stream(ksql: Any) -> None:
    ksql.run("CREATE STREAM S (K INT KEY, V STRING) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');")


def _insert(ksql: Any, *rows: dict[str, Any]) -> None:
    acks = ksql.engine.insert_rows("S", rows)
    assert all(a["status"] == "ok" for a in acks), acks
    ksql.engine.drain()


def test_should_queue_and_poll_in_order(ksql: Any) -> None:
    _stream(ksql)
    q = ksql.engine.start_query("SELECT * FROM S EMIT CHANGES;")
    try:
        _insert(ksql, {"K": 1, "V": "one"}, {"K": 2, "V": "two"})
        assert q.poll(0.1) == [[1, "one"], [2, "two"]]
        assert q.poll(0.05) == []
    finally:
        q.close()


def test_should_queue_null_key_and_null_values(ksql: Any) -> None:
    _stream(ksql)
    q = ksql.engine.start_query("SELECT * FROM S EMIT CHANGES;")
    try:
        _insert(ksql, {"V": "one"}, {"K": 1})
        assert q.poll(0.1) == [[None, "one"], [1, None]]
    finally:
        q.close()


def test_should_queue_until_limit_reached(ksql: Any) -> None:
    _stream(ksql)
    q = ksql.engine.start_query(f"SELECT * FROM S EMIT CHANGES LIMIT {LIMIT};")
    try:
        _insert(ksql, *({"K": i, "V": str(i)} for i in range(LIMIT - 1)))
        rows = q.poll(0.1)
        assert len(rows) == LIMIT - 1 and not q.done  # shouldNotCallLimitHandlerIfLimitNotReached
        _insert(ksql, *({"K": i, "V": str(i)} for i in range(LIMIT - 1, LIMIT + 2)))
        rows += q.poll(0.1)
        assert rows == [[i, str(i)] for i in range(LIMIT)]
        assert q.done and q.final_message == "Limit Reached"
    finally:
        q.close()
