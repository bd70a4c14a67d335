"""Code-generation errors name the step that compiles the expression, as ksqlDB 0.29's
CodeGenRunner.buildCodeGenFromParseTree does ("Invalid <type>: ..."): StreamFlatMapBuilder compiles each
table-function parameter on its own as "Table function", before the projection ("Select")."""

from __future__ import annotations

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError

CREATE = "CREATE STREAM S (ID STRING KEY, I INT, A ARRAY<INT>) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "SELECT ID, EXPLODE(ARRAY[CAST(I AS BOOLEAN)]) AS R FROM S",
            "Invalid Table function: Cast of INTEGER to BOOLEAN is not supported.",
        ),
        ("SELECT ID, CAST(I AS BOOLEAN) AS R FROM S", "Invalid Select: Cast of INTEGER to BOOLEAN is not supported."),
        (
            "SELECT ID, CAST(I AS BOOLEAN) AS R FROM S WHERE CAST(I AS DATE) IS NULL",
            "Invalid Predicate: Cast of INTEGER to DATE is not supported.",
        ),
    ],
)
def test_codegen_errors_name_their_step(query: str, message: str) -> None:
    d = MemoryDriver()
    d.create_topic("s", partitions=1)
    e = Engine(EngineConfig(service_id="x_", synchronous=True, properties={}), d)
    try:
        e.execute(CREATE)
        with pytest.raises(KsqlError) as err:
            e.execute(f"CREATE STREAM O AS {query};")
        assert err.value.message == message
    finally:
        e.close()
