"""INSERT INTO ... WITH (QUERY_ID=...): ksqlDB 0.29's InsertIntoConfigs (QUERY_ID is the only property, its
value upper-cased) and QueryIdUtil.validateWithQueryId (reserved prefixes, allowed characters), then
EngineExecutor's check that the id is not taken."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError


@pytest.fixture
def engine() -> Iterator[Engine]:
    d = MemoryDriver()
    d.create_topic("a", partitions=1)
    d.create_topic("b", partitions=1)
    # no command topic: ids from ksqlDB's test harness generator (SequentialQueryIdGenerator), which a
    # given id leaves alone; a server's generator follows command offsets (test_query_numbering.py)
    config = EngineConfig(
        service_id="x_", synchronous=True, command_topic=False, properties={"auto.offset.reset": "earliest"}
    )
    e = Engine(config, d)
    e.execute("CREATE STREAM A (ID INT KEY, V INT) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='JSON');")
    e.execute("CREATE STREAM B (ID INT KEY, V INT) WITH (KAFKA_TOPIC='b', VALUE_FORMAT='JSON');")
    yield e
    e.close()


def _error(e: Engine, statement: str) -> str:
    with pytest.raises(KsqlError) as info:
        e.execute(statement)
    return str(info.value)


def test_the_query_takes_the_given_id_upper_cased(engine: Engine) -> None:
    out = engine.execute("INSERT INTO B WITH (QUERY_ID='my_id') SELECT * FROM A;")
    assert "Created query with ID MY_ID" in str(out)
    assert "MY_ID" in engine.state.persistent
    assert _error(engine, "INSERT INTO B WITH (QUERY_ID='My_Id') SELECT * FROM A;").startswith(
        "Query ID 'MY_ID' already exists."
    )
    # ids from the generator still count from 0: the given id took none
    out = engine.execute("INSERT INTO B SELECT * FROM A;")
    assert "Created query with ID INSERTQUERY_0" in str(out)


@pytest.mark.parametrize(
    ("query_id", "message"),
    [
        ("csas_x", "Query IDs must not start with a reserved query ID prefix (INSERTQUERY_, CTAS_, CSAS_, CST_). "
         "Got 'CSAS_X'."),
        ("bad id!", "Query IDs may contain only alphanumeric characters and '_'. Got: 'BAD ID!'"),
    ],
)
def test_invalid_ids_are_refused(engine: Engine, query_id: str, message: str) -> None:
    assert _error(engine, f"INSERT INTO B WITH (QUERY_ID='{query_id}') SELECT * FROM A;").startswith(message)


def test_other_properties_are_refused(engine: Engine) -> None:
    msg = _error(engine, "INSERT INTO B WITH (KAFKA_TOPIC='b') SELECT * FROM A;")
    assert msg.startswith("Failed to prepare statement: Invalid config variable(s) in the WITH clause: KAFKA_TOPIC")
