"""Aggregation and join statements whose errors and names follow ksqlDB 0.29's Java source (each test names the
class), found by the differential runs against the real engine (tests/unit/ksqlserver/oracle/diffagg, diffjoin)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError

FIXTURE = [
    "CREATE STREAM S (K STRING KEY, I INT, V STRING) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');",
    "CREATE STREAM L (ID STRING KEY, A INT) WITH (KAFKA_TOPIC='l', VALUE_FORMAT='JSON');",
    "CREATE STREAM R (ID STRING KEY, B INT) WITH (KAFKA_TOPIC='r', VALUE_FORMAT='JSON');",
]


@pytest.fixture
def engine() -> Iterator[Engine]:
    d = MemoryDriver()
    for topic in ("s", "l", "r"):
        d.create_topic(topic, partitions=1)
    e = Engine(EngineConfig(service_id="x_", synchronous=True), d)
    for sql in FIXTURE:
        e.execute(sql)
    yield e
    e.close()


def _error(engine: Engine, statement: str) -> str:
    with pytest.raises(KsqlError) as err:
        engine.execute(statement)
    return err.value.message


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM S WHERE COUNT(*) > 1 GROUP BY K;",
        "CREATE STREAM O AS SELECT * FROM S WHERE COUNT(*) > 1;",
        "CREATE STREAM O AS SELECT * FROM L JOIN R WITHIN 1 SECOND ON L.ID = R.ID WHERE COUNT(*) > 1;",
    ],
)
def test_aggregate_in_where_fails_in_the_filters_code_generation(engine: Engine, statement: str) -> None:
    """No analysis check refuses an aggregate in WHERE: FilterTypeValidator types it as an aggregate, then
    CodeGenRunner.buildCodeGenFromParseTree ("Invalid Predicate: ...") looks COUNT up as a scalar function
    (InternalFunctionRegistry.getUdfFactory)."""
    assert _error(engine, statement) == "Invalid Predicate: Can't find any functions with the name 'COUNT'."
