"""CREATE TYPE / DROP TYPE / SHOW TYPES and registered type names in columns, CAST and other types."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.config import EngineConfig
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine
from ksqlserver.errors import KsqlError

ADDRESS = "STRUCT<`NUMBER` INTEGER, `STREET` STRING, `CITY` STRING>"


@pytest.fixture
def engine() -> Iterator[Engine]:
    e = Engine(EngineConfig(synchronous=True, processing_log=False, command_topic=False), MemoryDriver())
    yield e
    e.close()


def _status(engine: Engine, sql: str) -> tuple[str, str]:
    [entity] = engine.execute(sql)
    return entity["commandId"], entity["commandStatus"]["message"]


def test_a_registered_type_stands_for_its_type_in_columns_and_other_types(engine: Engine) -> None:
    assert _status(engine, "CREATE TYPE ADDRESS AS STRUCT<number INTEGER, street VARCHAR, city VARCHAR>;") == (
        "type/ADDRESS/create",
        f"Registered custom type with name 'ADDRESS' and SQL type {ADDRESS}",
    )
    engine.execute("CREATE TYPE person AS STRUCT<name VARCHAR, address ADDRESS>;")
    engine.execute(
        "CREATE STREAM s (id INT KEY, p PERSON, homes ARRAY<address>)"
        " WITH (kafka_topic='s', partitions=1, value_format='JSON');"
    )
    fields = {f["name"]: f["schema"] for f in engine.execute("DESCRIBE s;")[0]["sourceDescription"]["fields"]}
    assert [f["name"] for f in fields["P"]["fields"]] == ["NAME", "ADDRESS"]
    assert fields["P"]["fields"][1]["schema"]["type"] == "STRUCT"
    assert fields["HOMES"]["memberSchema"]["type"] == "STRUCT"
    engine.execute("INSERT INTO s (id, p) VALUES (1, STRUCT(name := 'ann', address := STRUCT(city := 'x')));")
    query = engine.start_query("SELECT CAST(NULL AS ADDRESS) AS a FROM s EMIT CHANGES;")
    try:
        assert query.columns == [("A", ADDRESS)]
    finally:
        query.close()


def test_show_types_lists_each_registered_schema(engine: Engine) -> None:
    assert engine.execute("SHOW TYPES;")[0]["types"] == {}
    engine.execute("CREATE TYPE B AS ARRAY<INT>; CREATE TYPE A AS DECIMAL(4, 2);")
    listed = engine.execute("SHOW TYPES;")[0]
    assert listed["@type"] == "type_list"
    assert list(listed["types"]) == ["A", "B"]
    assert listed["types"]["A"]["parameters"] == {"precision": 4, "scale": 2}
    assert listed["types"]["B"]["memberSchema"]["type"] == "INTEGER"


def test_registering_twice_and_dropping_what_is_not_there(engine: Engine) -> None:
    engine.execute("CREATE TYPE T AS STRING;")
    with pytest.raises(KsqlError, match="Cannot register custom type 'T' since it is already registered with type: STRING"):
        engine.execute("CREATE TYPE T AS INT;")
    assert _status(engine, "CREATE TYPE IF NOT EXISTS T AS INT;")[1] == "T is already registered with type STRING"
    assert _status(engine, "DROP TYPE T;") == ("type/T/drop", "Dropped type 'T'")
    with pytest.raises(KsqlError, match=r"Type T does not exist\."):
        engine.execute("DROP TYPE T;")
    assert _status(engine, "DROP TYPE IF EXISTS T;")[1] == "Type 'T' does not exist"
    # SqlTypeParser's words, raised while the statement is built
    with pytest.raises(KsqlError, match=r"^Failed to prepare statement: Cannot resolve unknown type: NOPE$"):
        engine.execute("CREATE TYPE U AS ARRAY<NOPE>;")
