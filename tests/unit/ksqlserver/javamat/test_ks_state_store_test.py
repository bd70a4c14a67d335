"""ksqlDB 0.29's KsStateStoreTest (io.confluent.ksql.execution.streams.materialization.ks).

KsStateStore.store asks the query's KafkaStreams for the partition's store (shouldRequestStore), session or
window by the table's kind (shouldReturnSessionStore / shouldReturnWindowStore), without waiting for the
RUNNING state (shouldNotAwaitRunning); "State store currently unavailable" only comes from a KafkaStreams
that is not running, which a live query on one node is not. Seen as: a pull query answers from the store
while the query runs, and while it is paused (KafkaStreams.pause keeps the instance RUNNING: the store
stays readable, frozen where PAUSE left it), and again once resumed."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Streams


def test_the_store_answers_while_running_paused_and_resumed(ks: Streams) -> None:
    ks.sql("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, FORMAT='JSON');")
    ks.sql("CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM S GROUP BY K;")
    ks.sql("CREATE TABLE W AS SELECT K, COUNT(*) AS C FROM S WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY K;")
    ks.sql("CREATE TABLE X AS SELECT K, COUNT(*) AS C FROM S WINDOW SESSION (1 MINUTE) GROUP BY K;")
    ks.insert("S", {"K": "a", "V": 1, "ROWTIME": 1000})
    assert ks.pull("SELECT * FROM T WHERE K = 'a';") == [["a", 1]]
    ks.sql("PAUSE ALL;")
    ks.insert("S", {"K": "a", "V": 1, "ROWTIME": 2000})
    assert ks.pull("SELECT * FROM T WHERE K = 'a';") == [["a", 1]]
    assert ks.pull("SELECT C FROM W WHERE K = 'a';") == [[1]]  # shouldReturnWindowStore
    assert ks.pull("SELECT C FROM X WHERE K = 'a';") == [[1]]  # shouldReturnSessionStore
    ks.sql("RESUME ALL;")
    assert ks.pull("SELECT * FROM T WHERE K = 'a';") == [["a", 2]]
    assert ks.pull("SELECT WINDOWSTART, WINDOWEND, C FROM X WHERE K = 'a';") == [[1000, 2000, 2]]
