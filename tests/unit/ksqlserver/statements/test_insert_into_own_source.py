"""INSERT INTO S SELECT ... FROM S: ksqlDB 0.29 accepts it (neither AstSanitizer.visitInsertInto, the
Analyzer's analyzeNonStdOutSink, EngineExecutor's validateExistingSink nor DistributingExecutor's
validateInsertIntoQueries refuses a sink that is also a source), and the query then reads every record
it writes, endlessly. The synchronous in-memory drain reads each record once per drain, so it returns."""

from __future__ import annotations

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig


def test_insert_into_its_own_source_is_accepted_and_drain_returns() -> None:
    driver = MemoryDriver()
    e = Engine(EngineConfig(service_id="t_", synchronous=True, processing_log=False, command_topic=False,
                            properties={"ksql.streams.auto.offset.reset": "earliest"}), driver)
    e.execute("CREATE STREAM S (ID INT KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');")
    [created] = e.execute("INSERT INTO S SELECT ID, V + 1 AS V FROM S;")
    assert created["commandStatus"]["message"].startswith("Created query with ID INSERTQUERY_")
    e.execute("INSERT INTO S (ID, V) VALUES (1, 0);")
    e.drain()  # returns: the record it wrote is read in the next drain
    assert [r.value for r in driver.records("s")] == [b'{"V":0}', b'{"V":1}']
    e.drain()
    e.drain()
    assert [r.value for r in driver.records("s")] == [b'{"V":0}', b'{"V":1}', b'{"V":2}', b'{"V":3}']
    e.close()


def test_a_drain_still_reads_everything_there_when_it_begins() -> None:
    """A query that does not feed itself is drained to the end of its input, batch after batch."""
    driver = MemoryDriver()
    e = Engine(EngineConfig(service_id="t_", synchronous=True, processing_log=False, command_topic=False,
                            batch_size=2, properties={"ksql.streams.auto.offset.reset": "earliest"}), driver)
    e.execute("CREATE STREAM S (ID INT KEY, V INT) WITH (KAFKA_TOPIC='s', PARTITIONS=1, VALUE_FORMAT='JSON');")
    e.execute("CREATE STREAM T AS SELECT * FROM S;")
    for i in range(5):
        e.execute(f"INSERT INTO S (ID, V) VALUES ({i}, {i});")
    e.drain()
    assert len(driver.records("T")) == 5
    e.close()
