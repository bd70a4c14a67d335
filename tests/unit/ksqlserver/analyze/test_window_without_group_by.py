"""A WINDOW without GROUP BY (or aggregate functions) beside a PARTITION BY fails as ksqlDB 0.29's
LogicalPlanner.buildPersistentLogicalPlan fails it: the PARTITION BY node is built first, then "WINDOW
clause requires a GROUP BY clause." (there is no GROUP BY to complain about PARTITION BY with)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError


@pytest.fixture
def engine() -> Iterator[Engine]:
    d = MemoryDriver()
    d.create_topic("s", partitions=1)
    e = Engine(EngineConfig(synchronous=True), d)
    e.execute("CREATE STREAM S (ID INT KEY, A STRING, B INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    yield e
    e.close()


@pytest.mark.parametrize("where", ["", "WHERE B > 1 "])
def test_window_and_partition_by_without_group_by(engine: Engine, where: str) -> None:
    with pytest.raises(KsqlError) as err:
        engine.execute(f"CREATE STREAM P AS SELECT * FROM S WINDOW TUMBLING (SIZE 1 SECOND) {where}PARTITION BY A;")
    # while SchemaRegisterInjector's sandbox plans the statement: its prefix goes first
    assert err.value.message == (
        "Could not determine output schema for query due to error: Line: 1, Col: 43: WINDOW clause requires a "
        "GROUP BY clause."
    )
