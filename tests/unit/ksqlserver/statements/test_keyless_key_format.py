"""The key format of key-less sources as ksqlDB 0.29 has it.

A key-less CREATE STREAM keeps the key format it names, or the default one DefaultFormatInjector injects;
a CREATE ... AS SELECT sink inherits its source's (Analyzer), NONE only with PARTITION BY NULL; an inherited
NONE with key columns takes the default (LogicalPlanner.getSinkKeyFormat). A key-less source of the KAFKA or
NONE key format reads no key and its sink writes null keys; the other formats read and write an empty key
record. The statement ksqlDB keeps is the one its injectors re-formatted."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError
from ksqlserver.formats.sr.client import MemoryRegistryClient, RegisteredSchema


@pytest.fixture
def driver() -> MemoryDriver:
    return MemoryDriver()


@pytest.fixture
def engine(driver: MemoryDriver) -> Iterator[Engine]:
    e = Engine(EngineConfig(service_id="k_", synchronous=True, properties={"auto.offset.reset": "earliest"}), driver)
    yield e
    e.close()


def _source(engine: Engine, name: str) -> dict:
    [entity] = engine.execute(f"DESCRIBE {name} EXTENDED;")
    return entity["sourceDescription"]


def _key_format(engine: Engine, name: str) -> str:
    return str(_source(engine, name)["keyFormat"])


def test_a_keyless_create_takes_the_default_key_format(engine: Engine) -> None:
    """DefaultFormatInjector.injectForCreateStatement injects ksql.persistence.default.format.key, key
    columns or not, and CreateSourceFactory.buildFormats keeps it."""
    engine.execute("CREATE STREAM R (A STRING) WITH (KAFKA_TOPIC='r', VALUE_FORMAT='JSON', PARTITIONS=1);")
    assert _key_format(engine, "R") == "KAFKA"
    [streams] = engine.execute("SHOW STREAMS;")
    assert {s["name"]: s["keyFormat"] for s in streams["streams"]}["R"] == "KAFKA"
    engine.execute(
        "SET 'ksql.persistence.default.format.key'='DELIMITED';"
        "CREATE STREAM D (A STRING) WITH (KAFKA_TOPIC='d', VALUE_FORMAT='JSON', PARTITIONS=1);"
    )
    assert _key_format(engine, "D") == "DELIMITED"


def test_a_keyless_create_keeps_the_key_format_it_names(engine: Engine) -> None:
    """CreateSourceFactory.buildFormats: SourcePropertiesUtil.getKeyFormat (FORMAT or KEY_FORMAT)."""
    engine.execute("CREATE STREAM J (A STRING) WITH (KAFKA_TOPIC='j', FORMAT='JSON', PARTITIONS=1);")
    engine.execute("CREATE STREAM N (A STRING) WITH (KAFKA_TOPIC='n', KEY_FORMAT='NONE', VALUE_FORMAT='JSON', PARTITIONS=1);")
    assert (_key_format(engine, "J"), _key_format(engine, "N")) == ("JSON", "NONE")


def test_a_sink_inherits_the_key_format_of_a_keyless_source(engine: Engine) -> None:
    """Analyzer.analyzeNonStdOutSink: keyFormatName / formatName take the source's key format, with or
    without key columns in the result."""
    engine.execute("CREATE STREAM J (A STRING, B INT) WITH (KAFKA_TOPIC='j', FORMAT='JSON', PARTITIONS=1);")
    engine.execute("CREATE STREAM S AS SELECT * FROM J;")
    engine.execute("CREATE STREAM P AS SELECT * FROM J PARTITION BY A;")
    assert (_key_format(engine, "S"), _key_format(engine, "P")) == ("JSON", "JSON")


def test_partition_by_null_makes_the_key_format_none(engine: Engine) -> None:
    """Analyzer.keyFormatName: PARTITION BY NULL (PartitionByParamsFactory.isPartitionByNull) gives NONE and
    refuses any other key format named, by KEY_FORMAT or FORMAT."""
    engine.execute("CREATE STREAM K (ID INT KEY, A STRING) WITH (KAFKA_TOPIC='k', VALUE_FORMAT='JSON', PARTITIONS=1);")
    engine.execute("CREATE STREAM N AS SELECT * FROM K PARTITION BY NULL;")
    engine.execute("CREATE STREAM N2 WITH (KEY_FORMAT='NONE') AS SELECT * FROM K PARTITION BY NULL;")
    assert (_key_format(engine, "N"), _key_format(engine, "N2")) == ("NONE", "NONE")
    for with_clause in ("KEY_FORMAT='JSON'", "FORMAT='JSON'"):
        with pytest.raises(KsqlError) as info:
            engine.execute(f"CREATE STREAM X WITH ({with_clause}) AS SELECT * FROM K PARTITION BY NULL;")
        assert "Key format specified for stream without key columns." in str(info.value)


def test_a_keyless_sink_may_name_its_key_format(engine: Engine) -> None:
    """Only PARTITION BY NULL refuses a named key format (Analyzer.keyFormatName); elsewhere a key-less
    sink takes the one it names."""
    engine.execute("CREATE STREAM R (A STRING) WITH (KAFKA_TOPIC='r', VALUE_FORMAT='JSON', PARTITIONS=1);")
    engine.execute("CREATE STREAM S WITH (KEY_FORMAT='DELIMITED') AS SELECT * FROM R;")
    assert _key_format(engine, "S") == "DELIMITED"


def test_an_inherited_none_with_key_columns_takes_the_default_key_format(engine: Engine) -> None:
    """LogicalPlanner.getSinkKeyFormat: no key format named, NONE inherited and key columns in the result:
    ksql.persistence.default.format.key."""
    engine.execute(
        "CREATE STREAM N (A STRING, B INT) WITH (KAFKA_TOPIC='n', KEY_FORMAT='NONE', VALUE_FORMAT='JSON', PARTITIONS=1);"
    )
    engine.execute(
        "SET 'ksql.persistence.default.format.key'='DELIMITED';"
        "CREATE STREAM P AS SELECT * FROM N PARTITION BY A; CREATE STREAM S AS SELECT * FROM N;"
    )
    assert (_key_format(engine, "P"), _key_format(engine, "S")) == ("DELIMITED", "NONE")


@pytest.mark.parametrize("fmt", ["KAFKA", "NONE"])
def test_a_keyless_source_reads_no_key_and_its_sink_writes_null_keys(
    engine: Engine, driver: MemoryDriver, fmt: str
) -> None:
    """KafkaSerdeFactory and NoneFormat give an empty key schema KsqlVoidSerde (LaxVoidDeserializer ignores the
    bytes, LaxVoidSerializer writes null). (JSON and DELIMITED were here too until their empty-key serdes
    followed GenericKeySerDe: see the tests below.)"""
    engine.execute(f"CREATE STREAM R (A STRING) WITH (KAFKA_TOPIC='r', KEY_FORMAT='{fmt}', VALUE_FORMAT='JSON', PARTITIONS=1);")
    engine.execute("CREATE STREAM S AS SELECT * FROM R;")
    driver.produce("r", [Record(b"not a key", b'{"A":"x"}', 1), Record(None, b'{"A":"y"}', 2)])
    engine.execute("INSERT INTO R (A) VALUES ('z');")
    engine.drain()
    out = [(r.key, json.loads(r.value or b"null")["A"]) for r in driver.records("S")]
    assert out == [(None, "x"), (None, "y"), (None, "z")]
    assert [r.key for r in driver.records("r")][-1] is None  # INSERT VALUES writes a null key too


def test_the_statement_kept_is_the_injected_one(engine: Engine) -> None:
    """DefaultFormatInjector.buildPreparedStatement (SqlFormatter.formatSql) with the formats it injects,
    TopicCreateInjector.injectForCreateSource's CLEANUP_POLICY; DistributingExecutor answers with it."""
    [created] = engine.execute(
        "CREATE STREAM all_songs (artist VARCHAR, title VARCHAR, genre VARCHAR) "
        "WITH (kafka_topic='all_songs', partitions=1, value_format='json');"
    )
    text = (
        "CREATE STREAM ALL_SONGS (ARTIST STRING, TITLE STRING, GENRE STRING) WITH (CLEANUP_POLICY='delete', "
        "KAFKA_TOPIC='all_songs', KEY_FORMAT='KAFKA', PARTITIONS=1, VALUE_FORMAT='JSON');"
    )
    assert created["statementText"] == text
    assert _source(engine, "ALL_SONGS")["statement"] == text


def test_formats_given_are_not_injected(engine: Engine) -> None:
    """DefaultFormatInjector.injectForCreateStatement leaves a statement with both formats (FORMAT gives
    both) alone; a table's topic is compacted (TopicCreateInjector)."""
    engine.execute("CREATE TABLE T (ID INT PRIMARY KEY, A STRING) WITH (KAFKA_TOPIC='t', format='json', PARTITIONS=1);")
    assert _source(engine, "T")["statement"] == (
        "CREATE TABLE T (ID INTEGER PRIMARY KEY, A STRING) WITH (CLEANUP_POLICY='compact', FORMAT='json', "
        "KAFKA_TOPIC='t', PARTITIONS=1);"
    )
    engine.execute(
        "CREATE STREAM S (A STRING) WITH (KAFKA_TOPIC='s', KEY_FORMAT='delimited', VALUE_FORMAT='json', PARTITIONS=1);"
    )
    assert "KEY_FORMAT='delimited'" in _source(engine, "S")["statement"]


def test_a_named_key_format_is_upper_cased_when_the_value_format_is_injected(engine: Engine) -> None:
    """DefaultFormatInjector: the named key format as FormatInfo keeps it (upper case), the value format
    from ksql.persistence.default.format.value."""
    engine.execute(
        "SET 'ksql.persistence.default.format.value'='JSON';"
        "CREATE STREAM S (A STRING) WITH (KAFKA_TOPIC='s', KEY_FORMAT='delimited', PARTITIONS=1);"
    )
    assert "KEY_FORMAT='DELIMITED'" in _source(engine, "S")["statement"]
    assert "VALUE_FORMAT='JSON'" in _source(engine, "S")["statement"]


_AVRO_KEY = RegisteredSchema("AVRO", json.dumps({"type": "string"}))


def test_a_keyless_create_with_a_default_avro_key_looks_up_the_key_schema(driver: MemoryDriver) -> None:
    """DefaultSchemaInjector.getKeySchema: with a key format that infers schemas (the default AVRO here) and
    no key columns, the key columns come from the registry, and the statement kept lists them
    (DefaultSchemaInjector.buildElements); with no key subject the CREATE fails."""
    registry = MemoryRegistryClient()
    props = {"auto.offset.reset": "earliest", "ksql.persistence.default.format.key": "AVRO"}
    e = Engine(EngineConfig(service_id="k_", synchronous=True, properties=props), driver, schema_registry=registry)
    try:
        driver.create_topic("none", partitions=1)
        with pytest.raises(KsqlError) as info:
            e.execute("CREATE STREAM R (A STRING) WITH (KAFKA_TOPIC='none', VALUE_FORMAT='JSON');")
        assert "Schema for message keys on topic 'none' does not exist in the Schema Registry." in str(info.value)
        driver.create_topic("keyed", partitions=1)
        registry.register("keyed-key", _AVRO_KEY)
        e.execute("CREATE STREAM K (A STRING) WITH (KAFKA_TOPIC='keyed', VALUE_FORMAT='JSON');")
        src = _source(e, "K")
        assert src["keyFormat"] == "AVRO"
        assert src["statement"] == (
            "CREATE STREAM K (ROWKEY STRING KEY, A STRING) WITH (CLEANUP_POLICY='delete', KAFKA_TOPIC='keyed', "
            "KEY_FORMAT='AVRO', VALUE_FORMAT='JSON');"
        )
    finally:
        e.close()


def test_the_statement_kept_as_ksqldbs_client_integration_test_describes_it(driver: MemoryDriver) -> None:
    """ClientIntegrationTest.shouldDescribeSource (ksqldb-api-client): a CREATE STREAM with
    value_format='json' under a default key format of JSON is kept as SqlFormatter prints it, KEY_FORMAT
    and VALUE_FORMAT injected, CLEANUP_POLICY added, types as SqlType prints them (`DECIMAL` quoted)."""
    props = {"auto.offset.reset": "earliest", "ksql.persistence.default.format.key": "JSON"}
    e = Engine(EngineConfig(service_id="k_", synchronous=True, properties=props), driver)
    try:
        driver.create_topic("STRUCTURED_TYPES_TOPIC", partitions=1)
        e.execute(
            "CREATE STREAM STRUCTURED_TYPES (K STRUCT<F1 ARRAY<STRING>> KEY, STR STRING, "
            "COMPLEX STRUCT<`DECIMAL` DECIMAL(2, 1), STRUCT STRUCT<F1 STRING, F2 INTEGER>>, TIME TIME, "
            "HEAD BYTES HEADER('h0')) WITH (kafka_topic='STRUCTURED_TYPES_TOPIC', value_format='json');"
        )
        assert _source(e, "STRUCTURED_TYPES")["statement"] == (
            "CREATE STREAM STRUCTURED_TYPES (K STRUCT<F1 ARRAY<STRING>> KEY, STR STRING, "
            "COMPLEX STRUCT<`DECIMAL` DECIMAL(2, 1), STRUCT STRUCT<F1 STRING, F2 INTEGER>>, TIME TIME, "
            "HEAD BYTES HEADER('h0')) "
            "WITH (CLEANUP_POLICY='delete', KAFKA_TOPIC='STRUCTURED_TYPES_TOPIC', KEY_FORMAT='JSON', VALUE_FORMAT='JSON');"
        )
    finally:
        e.close()


def test_a_keyless_sink_registers_its_empty_key_schema(driver: MemoryDriver) -> None:
    """SchemaRegisterInjector.registerSchemas registers the key schema of a CREATE ... AS SELECT sink whose
    key format takes schemas from the registry, key columns or not: a key-less sink's is an empty record."""
    registry = MemoryRegistryClient()
    props = {"auto.offset.reset": "earliest"}
    e = Engine(EngineConfig(service_id="k_", synchronous=True, properties=props), driver, schema_registry=registry)
    try:
        e.execute("CREATE STREAM R (A STRING) WITH (KAFKA_TOPIC='r', VALUE_FORMAT='JSON', PARTITIONS=1);")
        e.execute("CREATE STREAM S WITH (KEY_FORMAT='AVRO') AS SELECT * FROM R;")
        assert registry.subjects() == ["S-key"]
        assert json.loads(registry.latest("S-key").schema.schema) == {
            "type": "record",
            "name": "SKey",
            "namespace": "io.confluent.ksql.avro_schemas",
            "fields": [],
            "connect.name": "io.confluent.ksql.avro_schemas.SKey",
        }
    finally:
        e.close()


@pytest.mark.parametrize(
    ("with_clause", "example_with"),
    [
        (
            "value_format='avro', key_format='kafka', kafka_topic='doesntexist'",
            "KAFKA_TOPIC='doesntexist', KEY_FORMAT='kafka', PARTITIONS=2, VALUE_FORMAT='avro'",
        ),
        (
            "value_format='json', kafka_topic='doesntexist'",
            "KAFKA_TOPIC='doesntexist', KEY_FORMAT='KAFKA', PARTITIONS=2, VALUE_FORMAT='JSON'",
        ),
    ],
)
def test_a_missing_topic_is_worded_with_the_injected_statement(engine: Engine, with_clause: str, example_with: str) -> None:
    """TopicCreateInjectorTest.shouldHaveSuperUsefulErrorMessageIfCreateWithNoPartitions: the example is
    SqlFormatter's text with PARTITIONS=2, after DefaultFormatInjector injected the formats it lacked."""
    with pytest.raises(KsqlError) as info:
        engine.execute(f"CREATE STREAM foo (FOO STRING) WITH ({with_clause});")
    assert str(info.value.message).endswith(
        "Topic 'doesntexist' does not exist. If you want to create a new topic for the "
        "stream/table please re-run the statement providing the required 'PARTITIONS' "
        "configuration in the WITH clause (and optionally 'REPLICAS'). For example: "
        f"CREATE STREAM FOO (FOO STRING) WITH ({example_with});"
    )


def test_without_the_topic_injector_the_statement_has_no_cleanup_policy(driver: MemoryDriver) -> None:
    """ksqlDB's test harness runs without TopicCreateInjector: DefaultFormatInjector still injects the
    formats (SqlFormatter's text), nothing adds CLEANUP_POLICY."""
    config = EngineConfig(service_id="k_", synchronous=True, properties={"auto.offset.reset": "earliest"}, topic_injector=False)
    e = Engine(config, driver)
    try:
        driver.create_topic("r", partitions=1)
        e.execute("CREATE STREAM R (A STRING) WITH (KAFKA_TOPIC='r', VALUE_FORMAT='JSON');")
        assert _source(e, "R")["statement"] == (
            "CREATE STREAM R (A STRING) WITH (KAFKA_TOPIC='r', KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON');"
        )
    finally:
        e.close()


def _keyless_pipeline(engine: Engine, driver: MemoryDriver, key_format: str, sink_with: str = "") -> None:
    engine.execute(
        f"CREATE STREAM R (A STRING) WITH (KAFKA_TOPIC='r', KEY_FORMAT='{key_format}', VALUE_FORMAT='JSON', "
        "PARTITIONS=1);"
    )
    engine.execute(f"CREATE STREAM S {sink_with} AS SELECT * FROM R;")


_JSON_KEYS = [
    (b'{"ID": 1}', "object"),
    (b"{}", "empty"),
    (b"null", "json null"),
    (None, "no key"),
    (b"1", "number"),
    (b'"k"', "text"),
    (b"not a key", "not json"),
]


@pytest.mark.parametrize("fast_paths", [True, False])
def test_a_keyless_json_key_is_read_as_an_empty_struct_and_written_as_one(driver: MemoryDriver, fast_paths: bool) -> None:
    """GenericKeySerDe.create over the empty key PersistenceSchema: JSON's serde of an empty struct
    (ConnectFormat.handleWrapped, KsqlJsonDeserializer.enforceFieldTypesForStruct). A key object (its fields
    ignored) is the empty GenericKey, which the sink's serializer writes `{}` (ListToStructSerializer); JSON
    null and no key stay null; any other key fails key deserialization and the record is dropped. The
    generated loops (fast_paths) and the generic operators agree."""
    props = {"auto.offset.reset": "earliest"}
    config = EngineConfig(service_id="k_", synchronous=True, properties=props, fast_paths=fast_paths)
    e = Engine(config, driver)
    try:
        _keyless_pipeline(e, driver, "JSON")
        driver.produce("r", [Record(k, json.dumps({"A": name}).encode(), i) for i, (k, name) in enumerate(_JSON_KEYS)])
        e.drain()
        out = [(r.key, json.loads(r.value or b"null")["A"]) for r in driver.records("S")]
        assert out == [(b"{}", "object"), (b"{}", "empty"), (None, "json null"), (None, "no key")]
    finally:
        e.close()


def test_insert_values_into_a_keyless_json_keyed_stream_writes_an_empty_key(engine: Engine, driver: MemoryDriver) -> None:
    """InsertValuesExecutor.serializeKey serializes the empty GenericKey GenericRecordFactory built for a
    source without key columns: `{}` in JSON, nothing (empty bytes) in DELIMITED, null with KAFKA."""
    for name, fmt in (("J", "JSON"), ("D", "DELIMITED"), ("K", "KAFKA")):
        engine.execute(
            f"CREATE STREAM {name} (A STRING) WITH (KAFKA_TOPIC='{name.lower()}', KEY_FORMAT='{fmt}', "
            "VALUE_FORMAT='JSON', PARTITIONS=1);"
        )
        engine.execute(f"INSERT INTO {name} (A) VALUES ('z');")
    assert [driver.records(t)[-1].key for t in ("j", "d", "k")] == [b"{}", b"", None]


def test_a_keyless_delimited_key_fails_every_non_null_key(engine: Engine, driver: MemoryDriver) -> None:
    """KsqlDelimitedDeserializer over no columns: empty text has "No fields in record", any other text a
    column count mismatch (SerdeUtils.throwOnColumnCountMismatch), so only records without a key pass; the
    empty record is written as empty bytes (KsqlDelimitedSerializer)."""
    _keyless_pipeline(engine, driver, "DELIMITED", "WITH (KEY_FORMAT='JSON')")
    driver.produce("r", [Record(b"", b'{"A":"e"}', 1), Record(b"x", b'{"A":"x"}', 2), Record(None, b'{"A":"n"}', 3)])
    engine.drain()
    assert [(r.key, json.loads(r.value or b"null")["A"]) for r in driver.records("S")] == [(None, "n")]


def test_a_keyless_sink_writes_the_empty_key_of_its_own_format(engine: Engine, driver: MemoryDriver) -> None:
    """SinkBuilder serializes the GenericKey it is given with the sink's key serde: the empty key read from
    a JSON key is written by a DELIMITED sink as empty bytes, by a KAFKA sink (KsqlVoidSerde) as null."""
    _keyless_pipeline(engine, driver, "JSON", "WITH (KEY_FORMAT='DELIMITED')")
    engine.execute("CREATE STREAM V WITH (KEY_FORMAT='KAFKA') AS SELECT * FROM R;")
    driver.produce("r", [Record(b"{}", b'{"A":"x"}', 1)])
    engine.drain()
    assert ([r.key for r in driver.records("S")], [r.key for r in driver.records("V")]) == ([b""], [None])


def test_a_keyless_source_of_a_void_key_gives_a_json_sink_null_keys(engine: Engine, driver: MemoryDriver) -> None:
    """KsqlVoidSerde's LaxVoidDeserializer reads every KAFKA key of a key-less source as null, which the JSON
    sink's serializer writes as null (GenericSerializer passes null on)."""
    _keyless_pipeline(engine, driver, "KAFKA", "WITH (KEY_FORMAT='JSON')")
    driver.produce("r", [Record(b"k", b'{"A":"x"}', 1)])
    engine.drain()
    assert [r.key for r in driver.records("S")] == [None]


@pytest.mark.parametrize("fmt", ["AVRO", "PROTOBUF", "JSON_SR"])
def test_a_keyless_registry_key_is_the_empty_record_of_its_schema(driver: MemoryDriver, fmt: str) -> None:
    """The Schema Registry formats' serde of the empty key struct (ConnectFormat.handleWrapped): INSERT VALUES
    writes the framed empty record of the key schema SchemaRegisterInjector registered, a sink re-writes a key
    read that way, and a key that is not framed fails key deserialization."""
    registry = MemoryRegistryClient()
    props = {"auto.offset.reset": "earliest"}
    e = Engine(EngineConfig(service_id="k_", synchronous=True, properties=props), driver, schema_registry=registry)
    try:
        # a key-less CREATE of these key formats would take its key columns from the registry: a sink instead
        e.execute("CREATE STREAM R0 (A STRING) WITH (KAFKA_TOPIC='r0', VALUE_FORMAT='JSON', PARTITIONS=1);")
        e.execute(f"CREATE STREAM R WITH (KAFKA_TOPIC='r', KEY_FORMAT='{fmt}') AS SELECT * FROM R0;")
        e.execute("CREATE STREAM S AS SELECT * FROM R;")
        e.execute("INSERT INTO R (A) VALUES ('v');")
        driver.produce("r", [Record(b"garbage", b'{"A":"g"}', 5)])
        e.drain()
        [inserted] = [r.key for r in driver.records("r") if r.key != b"garbage"]
        assert inserted is not None and inserted[:1] == b"\x00"
        assert registry.latest("r-key").schema.schema_type == {"JSON_SR": "JSON"}.get(fmt, fmt)
        out = [(r.key, json.loads(r.value or b"null")["A"]) for r in driver.records("S")]
        assert [name for _, name in out] == ["v"]
        assert out[0][0] is not None and out[0][0][5:] == inserted[5:]
    finally:
        e.close()
