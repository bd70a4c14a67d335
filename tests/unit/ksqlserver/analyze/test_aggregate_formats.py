"""An aggregation whose state is a struct, array or map cannot be kept in DELIMITED: refused with ksqlDB's
text (MaterializationUtil: the two-line message with the issue link), met while the query's serdes are built,
so the detailed message names the re-formatted statement (KsqlEngine.execute). The engine checks the sink's
value format; ksqlDB 0.29 the leftmost source's (see aggregate_query.aggregate_sink)."""

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
    d.create_topic("d", partitions=1)
    e = Engine(EngineConfig(service_id="x_", synchronous=True), d)
    e.execute("CREATE STREAM D (ID INT KEY, K STRING, I INT) WITH (KAFKA_TOPIC='d', VALUE_FORMAT='DELIMITED');")
    yield e
    e.close()


@pytest.mark.parametrize("agg", ["AVG(I)", "COLLECT_LIST(I)", "LATEST_BY_OFFSET(I)"])
def test_delimited_refuses_complex_state(engine: Engine, agg: str) -> None:
    with pytest.raises(KsqlError) as info:
        engine.execute(f"CREATE TABLE O AS SELECT K, {agg} AS V FROM D GROUP BY K;")
    assert info.value.message == INTERMEDIATE
    # MaterializationUtil refuses it while the query is built (EngineExecutor.executePersistentQuery), naming
    # the plan's statement, the one the injectors re-formatted
    assert info.value.unlogged_message.startswith(
        INTERMEDIATE + "\nStatement: CREATE TABLE O WITH (CLEANUP_POLICY='compact', KAFKA_TOPIC='O', "
    )


def test_delimited_keeps_primitive_state(engine: Engine) -> None:
    [created] = engine.execute("CREATE TABLE O AS SELECT K, COUNT(*) AS C, SUM(I) AS S FROM D GROUP BY K;")
    assert created["commandStatus"]["status"] == "SUCCESS"
