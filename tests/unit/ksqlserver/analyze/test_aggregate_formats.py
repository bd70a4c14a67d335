"""An aggregation keeps its state in the value format of its leftmost source (ksqlDB's AggregateNode takes
that format for the aggregate step; MaterializationUtil reports a state type the format cannot hold before
the sink's serde is built). So DELIMITED sources refuse struct/array/map state whatever the sink's format,
and a DELIMITED sink is fine for an aggregate of primitive result over a JSON source."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError

INTERMEDIATE = (
    "One of the functions used in the statement has an intermediate type that the value format can not handle. "
    "Please remove the function or change the format.\nConsider up-voting "
    "https://github.com/confluentinc/ksql/issues/3950, which will resolve this limitation"
)


@pytest.fixture
def engine() -> Iterator[Engine]:
    d = MemoryDriver()
    for t in ("d", "j"):
        d.create_topic(t, partitions=1)
    e = Engine(EngineConfig(service_id="x_", synchronous=True), d)
    e.execute("CREATE STREAM D (ID INT KEY, K STRING, I INT) WITH (KAFKA_TOPIC='d', VALUE_FORMAT='DELIMITED');")
    e.execute("CREATE STREAM J (ID INT KEY, K STRING, I INT) WITH (KAFKA_TOPIC='j', VALUE_FORMAT='JSON');")
    yield e
    e.close()


@pytest.mark.parametrize("sink", ["", "WITH (VALUE_FORMAT='JSON') "])
@pytest.mark.parametrize("agg", ["AVG(I)", "COLLECT_LIST(I)", "LATEST_BY_OFFSET(I)"])
def test_delimited_source_refuses_complex_state(engine: Engine, sink: str, agg: str) -> None:
    with pytest.raises(KsqlError) as info:
        engine.execute(f"CREATE TABLE O {sink}AS SELECT K, {agg} AS V FROM D GROUP BY K;")
    assert info.value.message == INTERMEDIATE
    assert info.value.unlogged_message.startswith(INTERMEDIATE + "\nStatement: CREATE TABLE O ")


def test_json_source_may_write_a_primitive_aggregate_as_delimited(engine: Engine) -> None:
    [created] = engine.execute("CREATE TABLE O WITH (VALUE_FORMAT='DELIMITED') AS SELECT K, AVG(I) AS V FROM J GROUP BY K;")
    assert created["commandStatus"]["status"] == "SUCCESS"


def test_delimited_source_keeps_primitive_state(engine: Engine) -> None:
    [created] = engine.execute("CREATE TABLE O AS SELECT K, COUNT(*) AS C, SUM(I) AS S FROM D GROUP BY K;")
    assert created["commandStatus"]["status"] == "SUCCESS"
