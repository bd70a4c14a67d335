"""GROUP BY statements ksqlDB refuses, with its texts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError


@pytest.fixture
def engine() -> Iterator[Engine]:
    d = MemoryDriver()
    d.create_topic("t", partitions=1)
    e = Engine(EngineConfig(service_id="x_", synchronous=True), d)
    e.execute("CREATE STREAM TEST (ID INT KEY, K STRING, I INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');")
    yield e
    e.close()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (  # AggregateNode.validateKeyPresent through PlanNode.throwKeysNotIncludedError
            "CREATE TABLE O AS SELECT COUNT(*) AS C FROM TEST GROUP BY K + 'x';",
            "Key missing from projection (ie, SELECT). \nThe query used to build `O` must include the grouping "
            "expression (K + 'x') in its projection (eg, SELECT (K + 'x')...).",
        ),
        (
            "CREATE TABLE O AS SELECT K, COUNT(*) AS C FROM TEST GROUP BY K, I, ID;",
            "Keys missing from projection (ie, SELECT). \nThe query used to build `O` must include the grouping "
            "expressions I and ID in its projection (eg, SELECT I, ID...).",
        ),
        (  # LogicalPlanner.buildAggregateSchema: the aliases "a, b and c", then the AS_VALUE hint
            "CREATE TABLE O AS SELECT K AS A, K AS B, K AS C, COUNT(*) AS N FROM TEST GROUP BY K;",
            "The projection contains a key column more than once: `A`, `B` and `C`.\nEach key column must only "
            "be in the projection once. If you intended to copy the key into the value, then consider using the "
            "AS_VALUE function to indicate which key reference should be copied.",
        ),
    ],
)
def test_group_by_error_texts(engine: Engine, query: str, message: str) -> None:
    with pytest.raises(KsqlError) as info:
        engine.execute(query)
    assert info.value.message == message
