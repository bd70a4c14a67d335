"""PARTITION BY rules of ksqlDB 0.29 that are refused before any record flows.

SchemaKStream.selectKey with Repartitioning.repartitionNeeded: a windowed stream is not re-keyed (but
partitioning by its own key is no repartition at all); PartitionByParamsFactory.buildSchema: the same key
column twice is a duplicate in the re-keyed schema (LogicalSchema.Builder / DuplicateColumnException)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError


@pytest.fixture
def engine() -> Iterator[Engine]:
    d = MemoryDriver()
    d.create_topic("plain", partitions=1)
    d.create_topic("windowed", partitions=1)
    e = Engine(EngineConfig(service_id="x_", synchronous=True, properties={"auto.offset.reset": "earliest"}), d)
    e.execute("CREATE STREAM A (ID INT KEY, V INT, W STRING) WITH (KAFKA_TOPIC='plain', VALUE_FORMAT='JSON');")
    e.execute(
        "CREATE STREAM WS (ID INT KEY, V INT) WITH (KAFKA_TOPIC='windowed', VALUE_FORMAT='JSON', "
        "WINDOW_TYPE='TUMBLING', WINDOW_SIZE='1 SECOND');"
    )
    yield e
    e.close()


def test_a_windowed_stream_is_not_rekeyed(engine: Engine) -> None:
    with pytest.raises(KsqlError) as info:
        engine.execute("CREATE STREAM B AS SELECT * FROM WS PARTITION BY V;")
    assert str(info.value).startswith(
        "Implicit repartitioning of windowed sources is not supported. "
        "See https://github.com/confluentinc/ksql/issues/4385."
    )


def test_a_windowed_stream_partitioned_by_its_key_keeps_its_window(engine: Engine) -> None:
    engine.execute("CREATE STREAM B AS SELECT * FROM WS PARTITION BY ID;")
    sink = engine.state.metastore.get("B")
    assert sink is not None and sink.window is not None and sink.window.kind == "TUMBLING"


def test_the_same_key_column_twice_is_a_duplicate_key_column(engine: Engine) -> None:
    """PartitionBy's constructor refuses the same expression twice as the statement is prepared (real ksqlDB
    0.29 says so, before any schema is built)."""
    with pytest.raises(KsqlError) as info:
        engine.execute("CREATE STREAM B WITH (KEY_FORMAT='JSON') AS SELECT * FROM A PARTITION BY V, V;")
    assert str(info.value).startswith("Failed to prepare statement: Duplicate PARTITION BY expression: V")


def test_key_format_none_with_key_columns_is_a_schema_the_key_format_does_not_support(engine: Engine) -> None:
    """NoneFormat.getSerde through GenericSerdeFactory.createFormatSerde."""
    with pytest.raises(KsqlError) as info:
        engine.execute(
            "CREATE STREAM N (K INT KEY, V INT) WITH (KAFKA_TOPIC='plain', KEY_FORMAT='NONE', VALUE_FORMAT='JSON');"
        )
    assert str(info.value).startswith(
        "Key format does not support schema.\nformat: NONE\nschema: Persistence{columns=[`K` INTEGER KEY], "
        "features=[]}\nreason: The 'NONE' format can only be used when no columns are defined. Got: [`K` INTEGER KEY]"
    )


def _processing_log(d: MemoryDriver) -> list[dict[str, object]]:
    import json

    return [json.loads(r.value) for t in d.topics() if "processing_log" in t for r in d.records(t) if r.value]


def test_a_key_that_fails_to_compute_is_logged_once_and_the_row_goes_on_with_a_null_key() -> None:
    """PartitionByParamsFactory: the evaluator logs 'Error computing new key from expression ...' and the
    key is null; the projection reads the new key column instead of evaluating the expression again."""
    import struct

    from ksqlserver.drivers.base import Record

    d = MemoryDriver()
    d.create_topic("plain", partitions=1)
    e = Engine(EngineConfig(service_id="x_", synchronous=True, properties={"auto.offset.reset": "earliest"}), d)
    try:
        e.execute("CREATE STREAM A (ID INT KEY, V INT, W STRING) WITH (KAFKA_TOPIC='plain', VALUE_FORMAT='JSON');")
        # the selected expression is the PARTITION BY one, written with the source's name
        e.execute("CREATE STREAM B AS SELECT CAST(A.W AS INT) AS K, V FROM A PARTITION BY CAST(W AS INT);")
        d.produce("plain", [Record(struct.pack(">i", 1), b'{"V": 1, "W": "abc"}'), Record(struct.pack(">i", 2), b'{"V": 2, "W": "12"}')])
        e.drain()
        out = d.records("B")
        assert [(r.key, r.value) for r in out] == [(None, b'{"V":1}'), (struct.pack(">i", 12), b'{"V":2}')]
        logged = [m["message"] for m in _processing_log(d)]
        assert len(logged) == 1
        # a failing CAST is caught by SqlToJavaVisitor's nested error handling (evaluateOrReturnNull), which
        # logs its own message; the key expression itself does not fail
        assert logged[0]["recordProcessingError"]["errorMessage"] == "Error processing INTEGER"  # type: ignore[index]
    finally:
        e.close()


def test_a_window_size_without_a_window_type_is_refused(engine: Engine) -> None:
    """CreateSourceProperties.validateWindowInfo: without WINDOW_TYPE no size is required, so a size is
    refused with the SESSION wording."""
    with pytest.raises(KsqlError) as info:
        engine.execute(
            "CREATE TABLE W (ID INT PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='plain', VALUE_FORMAT='JSON', "
            "WINDOW_SIZE='1 SECOND');"
        )
    assert str(info.value).startswith("Failed to prepare statement: 'WINDOW_SIZE' should not be set for SESSION windows.")


def test_window_properties_are_not_create_as_select_properties(engine: Engine) -> None:
    """CreateAsConfigs has the common properties only: WINDOW_TYPE / WINDOW_SIZE belong to CreateConfigs."""
    with pytest.raises(KsqlError) as info:
        engine.execute("CREATE STREAM B WITH (WINDOW_TYPE='SESSION') AS SELECT * FROM A;")
    assert str(info.value).startswith("Failed to prepare statement: Invalid config variable(s) in the WITH clause: WINDOW_TYPE")


def test_a_single_json_key_is_explicitly_unwrapped(engine: Engine) -> None:
    """SerdeFeaturesFactory.buildKeyFeatures: one key column in a format that supports wrapping and
    unwrapping (JSON) gets UNWRAP_SINGLES; several key columns get no feature."""
    engine.execute("CREATE STREAM J (ID INT KEY, V INT, W STRING) WITH (KAFKA_TOPIC='plain', FORMAT='JSON');")
    engine.execute("CREATE STREAM ONE AS SELECT * FROM J PARTITION BY W;")
    engine.execute("CREATE STREAM TWO AS SELECT * FROM J PARTITION BY V, W;")
    features = {n: engine.state.metastore.get(n).key_features for n in ("J", "ONE", "TWO")}  # type: ignore[union-attr]
    assert features == {"J": ("UNWRAP_SINGLES",), "ONE": ("UNWRAP_SINGLES",), "TWO": ()}
    # and the upgrade check prints them as the Java set does
    with pytest.raises(KsqlError) as info:
        engine.execute("CREATE OR REPLACE STREAM ONE WITH (KEY_FORMAT='KAFKA') AS SELECT * FROM J PARTITION BY W;")
    assert "keyFormat=KeyFormat{format=FormatInfo{format=JSON, properties={}}, features=[UNWRAP_SINGLES]," in str(info.value)
