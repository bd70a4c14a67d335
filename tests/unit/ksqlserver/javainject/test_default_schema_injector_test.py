"""ksqlDB 0.29's DefaultSchemaInjectorTest (ksqldb-engine/src/test/java/io/confluent/ksql/schema/ksql/
inference/DefaultSchemaInjectorTest.java), run through the engine: DefaultSchemaInjector.inject puts the
columns of the registered key and value schemas into a CREATE STREAM/TABLE that has none, keeps declared
key, value and header columns (header, key, value order of buildElements), and with KEY_/VALUE_SCHEMA_ID
adds the schema's full name to the WITH clause; CREATE ... AS SELECT with a schema id is checked against
the registered schema (shouldInferSchema, getCreateAsKeySchema/getCreateAsValueSchema, checkColumnsCompatibility).

The Java test's schema supplier is a mock that returns the same columns for any topic or id; here the
registry holds those schemas. Fetched by id, the names stay as written (the Java texts); fetched as the
latest version, ksqlDB upper-cases them (SchemaTranslationPolicy.UPPERCASE_FIELD_NAME)."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import AVRO, JSON, PROTOBUF, Sr

VALUE_AVRO = {
    "type": "record",
    "name": "myrecord",
    "fields": [
        {"name": "intField", "type": "int"},
        {"name": "bigIntField", "type": "long"},
        {"name": "doubleField", "type": "double"},
        {"name": "stringField", "type": "string"},
        {"name": "booleanField", "type": "boolean"},
        {"name": "arrayField", "type": {"type": "array", "items": "int"}},
        {"name": "mapField", "type": {"type": "map", "values": "long"}},
        {"name": "structField", "type": {"type": "record", "name": "s", "fields": [{"name": "s0", "type": "long"}]}},
        {"name": "decimalField", "type": {"type": "bytes", "logicalType": "decimal", "precision": 4, "scale": 2}},
    ],
}
# the key schema of the Java test (a record with one `key` field), as Protobuf, which ksqlDB never unwraps
KEY_PROTO = 'syntax = "proto3";\n\nmessage myrecord {\n  string key = 1;\n}\n'
KEY_AVRO = {"type": "record", "name": "myrecord", "fields": [{"name": "key", "type": "string"}]}
# a JSON_SR value schema (the Java test's givenValueButNotKeyInferenceSupported format)
VALUE_JSON = {
    "type": "object",
    "title": "myrecord",
    "properties": {
        "bigIntField": {"type": "integer"},
        "stringField": {"type": "string"},
    },
}

INFERRED_VALUES = (
    "`intField` INTEGER, `bigIntField` BIGINT, `doubleField` DOUBLE, `stringField` STRING, "
    "`booleanField` BOOLEAN, `arrayField` ARRAY<INTEGER>, `mapField` MAP<STRING, BIGINT>, "
    "`structField` STRUCT<`s0` BIGINT>, `decimalField` DECIMAL(4, 2)"
)
UPPER_VALUES = (
    "INTFIELD INTEGER, BIGINTFIELD BIGINT, DOUBLEFIELD DOUBLE, STRINGFIELD STRING, BOOLEANFIELD BOOLEAN, "
    "ARRAYFIELD ARRAY<INTEGER>, MAPFIELD MAP<STRING, BIGINT>, STRUCTFIELD STRUCT<S0 BIGINT>, "
    "DECIMALFIELD DECIMAL(4, 2)"
)
TOPIC = "some-topic"


def given_schemas(sr: Sr, key: str = PROTOBUF, value: str = AVRO) -> None:
    """The latest key and value schemas of some-topic, and the same under ids 18 / 5 and 42."""
    if key == PROTOBUF:
        sr.register(f"{TOPIC}-key", KEY_PROTO, PROTOBUF, 18)
    elif key == AVRO:
        sr.register(f"{TOPIC}-key", KEY_AVRO, AVRO, 18)
    if value == AVRO:
        sr.register(f"{TOPIC}-value", VALUE_AVRO, AVRO, 5)
    elif value == JSON:
        sr.register(f"{TOPIC}-value", VALUE_JSON, JSON, 5)


def create(kind: str, name: str, elements: str, formats: str, extra: str = "") -> str:
    cols = f" ({elements})" if elements else ""
    return f"CREATE {kind} {name}{cols} WITH (KAFKA_TOPIC='{TOPIC}', {formats}{extra});"


KEY_AND_VALUE = "KEY_FORMAT='protobuf', VALUE_FORMAT='avro'"
KEY_NOT_VALUE = "KEY_FORMAT='avro', VALUE_FORMAT='delimited'"
VALUE_NOT_KEY = "KEY_FORMAT='kafka', VALUE_FORMAT='json_sr'"
NEITHER = "KEY_FORMAT='delimited', VALUE_FORMAT='kafka'"


# --- statements the injector leaves unchanged -------------------------------------------------------------


def test_should_return_statement_unchanged_if_not_create_statement(sr: Sr) -> None:
    """shouldReturnStatementUnchangedIfNotCreateStatement"""
    given_schemas(sr)
    assert sr.text("SHOW STREAMS;") == "SHOW STREAMS;"


@pytest.mark.parametrize("kind", ["STREAM", "TABLE"])
def test_should_return_statement_unchanged_if_cas_does_not_have_schema_id(sr: Sr, kind: str) -> None:
    """shouldReturnStatementUnchangedIfCsasDoesnotHaveSchemaId / ...Ctas...: a CREATE ... AS SELECT
    without schema ids fetches nothing (its sink schemas are registered, not read)."""
    given_schemas(sr)
    sr.execute("CREATE TABLE SRC (`key` STRING PRIMARY KEY, V STRING) WITH (KAFKA_TOPIC='some-topic', "
               "FORMAT='JSON');")
    sql = f"CREATE {kind} X WITH (KAFKA_TOPIC='x', KEY_FORMAT='protobuf', VALUE_FORMAT='avro') AS SELECT * FROM SRC;"
    if kind == "STREAM":
        sql = sql.replace("FROM SRC", "FROM SRC_S")
        sr.execute("CREATE STREAM SRC_S (`key` STRING KEY, V STRING) WITH (KAFKA_TOPIC='some-topic', "
                   "FORMAT='JSON');")
    text = sr.text(sql)
    assert "SCHEMA_FULL_NAME" not in text and "SCHEMA_ID" not in text
    assert sr.schema("X").endswith("`V` STRING")


@pytest.mark.parametrize("kind,key", [("STREAM", "KEY"), ("TABLE", "PRIMARY KEY")])
def test_should_return_statement_unchanged_if_already_has_schemas(sr: Sr, kind: str, key: str) -> None:
    """shouldReturnStatementUnchangedIfCsAlreadyHasSchemas / ...Ct..."""
    given_schemas(sr)
    text = sr.text(create(kind, "`cs`", f"`k` STRING {key}, `bob` STRING", KEY_AND_VALUE))
    assert text == create(kind, "`cs`", f"`k` STRING {key}, `bob` STRING", KEY_AND_VALUE)
    assert sr.schema("cs") == f"`k` STRING {key}, `bob` STRING"


@pytest.mark.parametrize("kind", ["STREAM", "TABLE"])
def test_should_return_statement_unchanged_if_formats_do_not_support_inference(sr: Sr, kind: str) -> None:
    """shouldReturnStatementUnchangedIfCsFormatsDoNotSupportInference / ...Ct...: no columns, formats
    without inference: the statement goes on unchanged (and fails later for its lack of columns)."""
    given_schemas(sr)
    assert sr.message(create(kind, "`cs`", "", NEITHER)) == "The statement does not define any columns."


def test_should_return_statement_unchanged_if_has_key_schema_and_value_format_not_supported(sr: Sr) -> None:
    """shouldReturnStatementUnchangedIfHasKeySchemaAndValueFormatNotSupported"""
    given_schemas(sr, key=AVRO)
    sql = create("STREAM", "`cs`", "`bob` STRING KEY", KEY_NOT_VALUE)
    assert sr.text(sql) == sql


def test_should_return_statement_unchanged_if_has_value_schema_and_key_format_not_supported(sr: Sr) -> None:
    """shouldReturnStatementUnchangedIfHasValueSchemaAndKeyFormatNotSupported"""
    given_schemas(sr, value=JSON)
    sql = create("STREAM", "`cs`", "`bob` STRING", VALUE_NOT_KEY)
    assert sr.text(sql) == sql


# --- injection ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind,key", [("STREAM", "KEY"), ("TABLE", "PRIMARY KEY")])
def test_should_inject_for_create_statement(sr: Sr, kind: str, key: str) -> None:
    """shouldInjectForCsStatement / shouldInjectForCtStatement (latest schemas: names upper-cased)."""
    given_schemas(sr)
    text = sr.text(create(kind, "`cs`", "", KEY_AND_VALUE))
    assert text == create(kind, "`cs`", f"KEY STRING {key}, {UPPER_VALUES}", KEY_AND_VALUE)


@pytest.mark.parametrize("kind,key", [("STREAM", "KEY"), ("TABLE", "PRIMARY KEY")])
def test_should_inject_for_create_statement_with_schema_ids(sr: Sr, kind: str, key: str) -> None:
    """shouldInjectForCsStatement / shouldInjectForCtStatement with the names as the registry has them
    (KEY_SCHEMA_ID/VALUE_SCHEMA_ID: SchemaTranslationPolicy.ORIGINAL_FIELD_NAME)."""
    given_schemas(sr)
    ids = ", KEY_SCHEMA_ID=18, VALUE_SCHEMA_ID=5"
    text = sr.text(create(kind, "`cs`", "", KEY_AND_VALUE, ids))
    assert text == (
        f"CREATE {kind} `cs` (`key` STRING {key}, {INFERRED_VALUES}) WITH (KAFKA_TOPIC='{TOPIC}', "
        "KEY_FORMAT='protobuf', KEY_SCHEMA_FULL_NAME='myrecord', KEY_SCHEMA_ID=18, VALUE_FORMAT='avro', "
        "VALUE_SCHEMA_FULL_NAME='myrecord', VALUE_SCHEMA_ID=5);"
    )
    assert sr.schema("cs") == f"`key` STRING {key}, {INFERRED_VALUES}"


@pytest.mark.parametrize("kind,key", [("STREAM", "KEY"), ("TABLE", "PRIMARY KEY")])
def test_should_inject_value_and_maintain_key_columns(sr: Sr, kind: str, key: str) -> None:
    """shouldInjectValueAndMaintainKeyColumnsForCs / ...Ct"""
    given_schemas(sr, value=JSON)
    text = sr.text(create(kind, "`cs`", f"`bob` STRING {key}", VALUE_NOT_KEY))
    assert text == create(kind, "`cs`", f"`bob` STRING {key}, BIGINTFIELD BIGINT, STRINGFIELD STRING",
                          VALUE_NOT_KEY)


@pytest.mark.parametrize("kind,key", [("STREAM", "KEY"), ("TABLE", "PRIMARY KEY")])
def test_should_inject_key_and_maintain_value_columns(sr: Sr, kind: str, key: str) -> None:
    """shouldInjectKeyAndMaintainValueColumnsForCs / ...Ct: an AVRO key is unwrapped (UNWRAP_SINGLES), so
    the record schema is one ROWKEY column."""
    given_schemas(sr, key=AVRO)
    text = sr.text(create(kind, "`cs`", "`bob` STRING", KEY_NOT_VALUE))
    assert text == create(kind, "`cs`", f"ROWKEY STRUCT<KEY STRING> {key}, `bob` STRING", KEY_NOT_VALUE)


@pytest.mark.parametrize("kind,key", [("STREAM", "KEY"), ("TABLE", "PRIMARY KEY")])
def test_should_inject_key_and_values_keeping_headers(sr: Sr, kind: str, key: str) -> None:
    """shouldInjectKeyAndValuesForCs / ...Ct: header columns first, then the inferred key and values."""
    given_schemas(sr)
    text = sr.text(create(kind, "`cs`", "`head` BYTES HEADER('header')", KEY_AND_VALUE))
    assert text == create(kind, "`cs`", f"`head` BYTES HEADER('header'), KEY STRING {key}, {UPPER_VALUES}",
                          KEY_AND_VALUE)


@pytest.mark.parametrize("kind,key", [("STREAM", "KEY"), ("TABLE", "PRIMARY KEY")])
def test_should_inject_values_and_maintain_keys_and_headers(sr: Sr, kind: str, key: str) -> None:
    """shouldInjectValuesAndMaintainKeysAndHeadersForCs / ...Ct: declared values are kept, the key is
    inferred."""
    given_schemas(sr)
    text = sr.text(create(kind, "`cs`", "`head` BYTES HEADER('header'), `bob` STRING", KEY_AND_VALUE))
    assert text == create(kind, "`cs`", f"`head` BYTES HEADER('header'), KEY STRING {key}, `bob` STRING",
                          KEY_AND_VALUE)


def test_should_escape_avro_schema_that_has_reserved_column_name(sr: Sr) -> None:
    """shouldEscapeAvroSchemaThatHasReservedColumnName"""
    sr.register(f"{TOPIC}-value", {"type": "record", "name": "r", "fields": [{"name": "CREATE", "type": "long"}]})
    text = sr.text(create("TABLE", "`ct`", "`k` STRING PRIMARY KEY", "KEY_FORMAT='kafka', VALUE_FORMAT='avro'"))
    assert "`CREATE` BIGINT" in text


def test_should_get_schemas_without_schema_id(sr: Sr) -> None:
    """shouldGetSchemasWithoutSchemaId / shouldNotAddSchemaIdsIfNotPresentAlready: the latest versions are
    used and no schema id is added."""
    given_schemas(sr)
    text = sr.text(create("TABLE", "`ct`", "", KEY_AND_VALUE))
    assert "KEY_SCHEMA_ID" not in text and "VALUE_SCHEMA_ID" not in text
    src = sr.source("ct")
    assert "schemaId" not in src.key_options.extra and "schemaId" not in src.value_options.extra


def test_should_get_value_schema_with_schema_id(sr: Sr) -> None:
    """shouldGetValueSchemaWithSchemaId: the schema with that id, not the latest, and its full name."""
    given_schemas(sr)
    sr.register("other-value", {"type": "record", "name": "other", "fields": [{"name": "x", "type": "int"}]},
                schema_id=42)
    text = sr.text(create("STREAM", "`cs`", "", "KEY_FORMAT='kafka', VALUE_FORMAT='avro'", ", VALUE_SCHEMA_ID=42"))
    assert text == (
        f"CREATE STREAM `cs` (`x` INTEGER) WITH (KAFKA_TOPIC='{TOPIC}', KEY_FORMAT='kafka', "
        "VALUE_FORMAT='avro', VALUE_SCHEMA_FULL_NAME='other', VALUE_SCHEMA_ID=42);"
    )
    assert sr.source("cs").value_options.extra["schemaId"] == "42"


def test_should_get_key_schema_with_schema_id(sr: Sr) -> None:
    """shouldGetKeySchemaWithSchemaId"""
    sr.register("other-key", KEY_PROTO, PROTOBUF, 42)
    text = sr.text(create("STREAM", "`cs`", "`v` STRING", "KEY_FORMAT='protobuf', VALUE_FORMAT='delimited'",
                          ", KEY_SCHEMA_ID=42"))
    assert text == (
        f"CREATE STREAM `cs` (`key` STRING KEY, `v` STRING) WITH (KAFKA_TOPIC='{TOPIC}', "
        "KEY_FORMAT='protobuf', KEY_SCHEMA_FULL_NAME='myrecord', KEY_SCHEMA_ID=42, VALUE_FORMAT='delimited');"
    )


def test_should_set_unwrapping_for_key_schema_if_supported(sr: Sr) -> None:
    """shouldSetUnwrappingForKeySchemaIfSupported: an AVRO key is read with UNWRAP_SINGLES, so a primitive
    key schema is one ROWKEY column."""
    sr.register(f"{TOPIC}-key", "\"long\"")
    sr.execute(create("TABLE", "`ct`", "`v` STRING", "KEY_FORMAT='avro', VALUE_FORMAT='delimited'"))
    assert sr.schema("ct") == "`ROWKEY` BIGINT PRIMARY KEY, `v` STRING"


def test_should_not_set_unwrapping_for_key_schema_if_unsupported(sr: Sr) -> None:
    """shouldNotSetUnwrappingForKeySchemaIfUnsupported: PROTOBUF keys are not unwrapped, the message's
    fields are the key columns."""
    given_schemas(sr)
    sr.execute(create("TABLE", "`ct`", "`v` STRING", "KEY_FORMAT='protobuf', VALUE_FORMAT='delimited'"))
    assert sr.schema("ct") == "`KEY` STRING PRIMARY KEY, `v` STRING"


def test_should_set_unwrapping_for_value_schema_if_present(sr: Sr) -> None:
    """shouldSetUnwrappingForValueSchemaIfPresent: WRAP_SINGLE_VALUE=false reads the value schema as one
    unwrapped ROWVAL column."""
    sr.register(f"{TOPIC}-value", "\"long\"")
    sr.execute(create("TABLE", "`ct`", "`k` STRING PRIMARY KEY", "KEY_FORMAT='delimited', VALUE_FORMAT='avro'",
                      ", WRAP_SINGLE_VALUE=false"))
    assert sr.schema("ct") == "`k` STRING PRIMARY KEY, `ROWVAL` BIGINT"


# --- CREATE ... AS SELECT with schema ids ----------------------------------------------------------------------


def given_cas_source(sr: Sr, kind: str, key: str, values: str = INFERRED_VALUES) -> None:
    k = "PRIMARY KEY" if kind == "TABLE" else "KEY"
    sr.execute(f"CREATE {kind} `sink` ({key} {k}, {values}) WITH (KAFKA_TOPIC='{TOPIC}', FORMAT='JSON');")


@pytest.mark.parametrize("kind", ["STREAM", "TABLE"])
def test_should_inject_key_for_cas(sr: Sr, kind: str) -> None:
    """shouldInjectKeyForCsas / shouldInjectKeyForCtas: KEY_SCHEMA_FULL_NAME comes from the schema."""
    sr.register("other-key", KEY_PROTO, PROTOBUF, 42)
    given_cas_source(sr, kind, "`key` STRING")
    text = sr.text(f"CREATE {kind} `csas` WITH (KAFKA_TOPIC='out', KEY_FORMAT='protobuf', VALUE_FORMAT='delimited', "
                   "KEY_SCHEMA_ID=42) AS SELECT `key`, `intField` FROM `sink`;")
    assert text.startswith(
        f"CREATE {kind} `csas` WITH (KAFKA_TOPIC='out', KEY_FORMAT='protobuf', KEY_SCHEMA_FULL_NAME='myrecord', "
        "KEY_SCHEMA_ID=42, VALUE_FORMAT='delimited') AS SELECT"
    )


def test_should_inject_value_for_csas(sr: Sr) -> None:
    """shouldInjectValueForCsas: the sink's value columns are a prefix of the registered schema's."""
    sr.register("other-value", VALUE_AVRO, AVRO, 42)
    given_cas_source(sr, "STREAM", "`key` STRING")
    text = sr.text("CREATE STREAM `csas` WITH (KAFKA_TOPIC='out', KEY_FORMAT='kafka', VALUE_FORMAT='avro', "
                   "VALUE_SCHEMA_ID=42) AS SELECT `key`, `intField`, `bigIntField` FROM `sink`;")
    assert text.startswith(
        "CREATE STREAM `csas` WITH (KAFKA_TOPIC='out', KEY_FORMAT='kafka', VALUE_FORMAT='avro', "
        "VALUE_SCHEMA_FULL_NAME='myrecord', VALUE_SCHEMA_ID=42) AS SELECT"
    )


@pytest.mark.parametrize("kind", ["STREAM", "TABLE"])
def test_should_throw_if_cas_key_columns_not_compatible_extra_key(sr: Sr, kind: str) -> None:
    """shouldThrowIfCsasKeyTableElementsNotCompatibleExtraKey / ...Ctas..."""
    sr.register("other-key", KEY_PROTO, PROTOBUF, 42)
    k = "PRIMARY KEY" if kind == "TABLE" else "KEY"
    sr.execute(f"CREATE {kind} `sink` (`key` STRING {k}, `key1` STRING {k}, V INT) WITH "
               f"(KAFKA_TOPIC='{TOPIC}', FORMAT='JSON');")
    message = sr.message(f"CREATE {kind} `csas` WITH (KAFKA_TOPIC='out', KEY_FORMAT='protobuf', "
                         "VALUE_FORMAT='avro', KEY_SCHEMA_ID=42) AS SELECT * FROM `sink`;")
    assert ("The following key columns are changed, missing or reordered: [`key1` STRING KEY]. "
            "Schema from schema registry is [`key` STRING KEY]") in message


@pytest.mark.parametrize("kind", ["STREAM", "TABLE"])
def test_should_throw_if_cas_key_columns_not_compatible_wrong_key_type(sr: Sr, kind: str) -> None:
    """shouldThrowIfCsasKeyTableElementsNotCompatibleWrongKeyType / ...Ctas..."""
    sr.register("other-key", KEY_PROTO, PROTOBUF, 42)
    given_cas_source(sr, kind, "`key` INTEGER")
    message = sr.message(f"CREATE {kind} `csas` WITH (KAFKA_TOPIC='out', KEY_FORMAT='protobuf', "
                         "VALUE_FORMAT='avro', KEY_SCHEMA_ID=42) AS SELECT * FROM `sink`;")
    assert ("The following key columns are changed, missing or reordered: [`key` INTEGER KEY]. "
            "Schema from schema registry is [`key` STRING KEY]") in message


@pytest.mark.parametrize("kind", ["STREAM", "TABLE"])
def test_should_throw_if_cas_value_columns_reordered(sr: Sr, kind: str) -> None:
    """shouldThrowIfCsasKeyTableElementsNotCompatibleReorderedValue / ...Ctas..."""
    sr.register("other-value", VALUE_AVRO, AVRO, 42)
    given_cas_source(sr, kind, "`key` STRING")
    cols = ("`bigIntField`, `intField`, `doubleField`, `stringField`, `booleanField`, `arrayField`, "
            "`mapField`, `structField`, `decimalField`")
    message = sr.message(f"CREATE {kind} `csas` WITH (KAFKA_TOPIC='out', KEY_FORMAT='kafka', "
                         f"VALUE_FORMAT='avro', VALUE_SCHEMA_ID=42) AS SELECT `key`, {cols} FROM `sink`;")
    assert ("The following value columns are changed, missing or reordered: [`bigIntField` BIGINT, "
            f"`intField` INTEGER]. Schema from schema registry is [{INFERRED_VALUES}]") in message


@pytest.mark.parametrize("kind", ["STREAM", "TABLE"])
def test_should_throw_if_cas_key_format_does_not_support_inference(sr: Sr, kind: str) -> None:
    """shouldThrowIfCsasKeyFormatDoesnotSupportInference / ...Ctas..."""
    given_cas_source(sr, kind, "`key` STRING")
    message = sr.message(f"CREATE {kind} `csas` WITH (KAFKA_TOPIC='out', KEY_FORMAT='kafka', "
                         "VALUE_FORMAT='avro', KEY_SCHEMA_ID=42) AS SELECT * FROM `sink`;")
    assert ("KEY_FORMAT should support schema inference when KEY_SCHEMA_ID is provided. "
            "Current format is KAFKA.") in message


@pytest.mark.parametrize("kind", ["STREAM", "TABLE"])
def test_should_throw_if_cas_value_format_does_not_support_inference(sr: Sr, kind: str) -> None:
    """shouldThrowIfCsasValueFormatDoesnotSupportInference / ...Ctas..."""
    given_cas_source(sr, kind, "`key` STRING")
    message = sr.message(f"CREATE {kind} `csas` WITH (KAFKA_TOPIC='out', KEY_FORMAT='kafka', "
                         "VALUE_FORMAT='delimited', VALUE_SCHEMA_ID=42) AS SELECT `key`, `intField` FROM `sink`;")
    assert ("VALUE_FORMAT should support schema inference when VALUE_SCHEMA_ID is provided. "
            "Current format is DELIMITED.") in message


# --- errors ---------------------------------------------------------------------------------------------------


def test_should_throw_when_table_elements_and_value_schema_id_present(sr: Sr) -> None:
    """shouldThrowWhenTableElementsAndValueSchemaIdPresent"""
    given_schemas(sr)
    message = sr.message(create("TABLE", "`ct`", "`bob` STRING", KEY_AND_VALUE, ", VALUE_SCHEMA_ID=42"))
    assert "Table elements and VALUE_SCHEMA_ID cannot both exist for create statement." in message


def test_should_throw_when_table_elements_and_key_schema_id_present(sr: Sr) -> None:
    """shouldUseKeySchemaIdWhenTableElementsPresent"""
    given_schemas(sr)
    message = sr.message(create("TABLE", "`ct`", "`bob` STRING PRIMARY KEY", KEY_AND_VALUE, ", KEY_SCHEMA_ID=42"))
    assert "Table elements and KEY_SCHEMA_ID cannot both exist for create statement." in message


def test_should_throw_if_key_format_does_not_support_schema_id_inference(sr: Sr) -> None:
    """shouldThrowIfKeyFormatDoesNotSupportSchemaIdInference (the property written in lower case)"""
    given_schemas(sr, value=JSON)
    message = sr.message(create("STREAM", "`cs`", "", VALUE_NOT_KEY, ", key_schema_id=123"))
    assert ("KEY_FORMAT should support schema inference when KEY_SCHEMA_ID is provided. "
            "Current format is KAFKA.") in message


def test_should_throw_if_value_format_does_not_support_schema_id_inference(sr: Sr) -> None:
    """shouldThrowIfValueFormatDoesNotSupportSchemaIdInference"""
    given_schemas(sr, key=AVRO)
    message = sr.message(create("STREAM", "`cs`", "`bob` STRING KEY", KEY_NOT_VALUE,
                                ", value_schema_id=123, WRAP_SINGLE_VALUE=true"))
    assert ("VALUE_FORMAT should support schema inference when VALUE_SCHEMA_ID is provided. "
            "Current format is DELIMITED.") in message


def test_should_throw_if_schema_supplier_throws(sr: Sr) -> None:
    """shouldThrowIfSchemaSupplierThrows: the key is found, the value subject is not; the supplier's
    error is the statement's."""
    sr.register(f"{TOPIC}-key", KEY_PROTO, PROTOBUF)
    message = sr.message(create("STREAM", "`cs`", "", KEY_AND_VALUE))
    assert message.startswith(
        f"Schema for message values on topic '{TOPIC}' does not exist in the Schema Registry.\n"
        f"Subject: {TOPIC}-value\n"
    )


def test_injected_cas_text_is_re_formatted_again_by_topic_create_injector(make_sr: Any) -> None:
    """Injectors.DEFAULT: TopicCreateInjector re-formats DefaultSchemaInjector's statement, which keeps the
    KEY_SCHEMA_FULL_NAME it added (the response's statementText and the sink's statement)."""
    sr = make_sr(topic_injector=True)
    sr.register("other-key", KEY_PROTO, PROTOBUF, 42)
    given_cas_source(sr, "STREAM", "`key` STRING")
    text = sr.text("CREATE STREAM `csas` WITH (KAFKA_TOPIC='out', KEY_FORMAT='protobuf', VALUE_FORMAT='delimited', "
                   "key_schema_id=42) AS SELECT `key`, `intField` FROM `sink`;")
    assert text.startswith(
        "CREATE STREAM `csas` WITH (CLEANUP_POLICY='delete', KAFKA_TOPIC='out', KEY_FORMAT='protobuf', "
        "KEY_SCHEMA_FULL_NAME='myrecord', KEY_SCHEMA_ID=42, PARTITIONS=1, REPLICAS=1, RETENTION_MS=604800000, "
        "VALUE_FORMAT='delimited') AS SELECT"
    )
    assert sr.source("csas").statement == text
