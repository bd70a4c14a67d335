"""ksqlDB 0.29's SchemaRegisterInjectorTest (ksqldb-engine/src/test/java/io/confluent/ksql/schema/ksql/
inference/SchemaRegisterInjectorTest.java): the schemas SchemaRegisterInjector registers for a CREATE
with columns (unless the subject exists) and for a CREATE ... AS SELECT (always), the registered schema
itself with KEY_/VALUE_SCHEMA_ID (registerRawSchema), and its errors.

The Java test hands the injector schema ids through session overrides its mocks fill; here the statements
name the ids and DefaultSchemaInjector (the injector before it in Injectors.DEFAULT) fetches them, so
the combinations DefaultSchemaInjector refuses first show its message: what a user sees."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from ksqlserver.errors import SchemaAuthorizationError, SchemaRegistryNotConfiguredError

from .conftest import AVRO, PROTOBUF, FailingRegistry, Sr, io_error, rest_error

AVRO_UNWRAPPED_STRING = '"string"'
AVRO_SCHEMA = {
    "type": "record", "name": "KsqlDataSourceSchema", "namespace": "io.confluent.ksql.avro_schemas",
    "fields": [{"name": "F1", "type": ["null", "string"], "default": None}],
    "connect.name": "io.confluent.ksql.avro_schemas.KsqlDataSourceSchema",
}
TOPICS = ("expectedName", "source")


@pytest.fixture
def reg() -> FailingRegistry:
    return FailingRegistry()


@pytest.fixture
def srr(make_sr: Callable[..., Sr], reg: FailingRegistry) -> Sr:
    sr = make_sr(registry=reg, topics=TOPICS)
    # the Java test's SOURCE: ID STRING KEY, F1 STRING, KAFKA key and JSON value on topic `source`
    sr.execute("CREATE STREAM SOURCE (ID STRING KEY, F1 STRING) WITH (KAFKA_TOPIC='source', KEY_FORMAT='KAFKA', "
               "VALUE_FORMAT='JSON');")
    return sr


def avro(sr: Sr, subject: str) -> object:
    reg = sr.registered(subject)
    assert reg.schema_type == AVRO
    return json.loads(reg.schema)


def test_should_not_register_schema_if_schema_registry_is_disabled(make_sr: Callable[..., Sr]) -> None:
    """shouldNotRegisterSchemaIfSchemaRegistryIsDisabled: with a key column (without one, DefaultSchemaInjector
    first fails to fetch the key schema)."""
    sr = make_sr(registry=False, topics=TOPICS)
    err = sr.error("CREATE STREAM sink (k STRING KEY, f1 VARCHAR) WITH(kafka_topic='expectedName', "
                   "key_format='AVRO', value_format='AVRO', partitions=1);")
    assert isinstance(err, SchemaRegistryNotConfiguredError)  # KsqlSchemaRegistryNotConfiguredException
    assert "Cannot create topic 'expectedName' with format AVRO without configuring" in err.message
    # Errors.generateResponse: HTTP 428, error code 42801, a plain error message
    assert err.to_entity() == {"@type": "generic_error", "error_code": 42801, "message": err.message}
    err = sr.error("CREATE STREAM sink (f1 VARCHAR) WITH(kafka_topic='expectedName', key_format='AVRO', "
                   "value_format='AVRO', partitions=1);")
    assert err.message == (
        "Schema registry fetch for topic key request failed for topic: expectedName\nCaused by: KSQL is not "
        "configured to use a schema registry. To enable it, please set ksql.schema.registry.url"
    )
    assert err.error_code == 42801  # the exception's cause is KsqlSchemaRegistryNotConfiguredException


def test_should_not_register_schema_for_registry_disabled_format_create_source(srr: Sr) -> None:
    """shouldNotRegisterSchemaForSchemaRegistryDisabledFormatCreateSource"""
    srr.execute("CREATE STREAM sink (f1 VARCHAR) WITH(kafka_topic='expectedName', key_format='KAFKA', "
                "value_format='DELIMITED', partitions=1);")
    assert srr.subjects() == []


def test_should_register_key_schema_if_subject_does_not_exist(srr: Sr) -> None:
    """shouldRegisterKeySchemaForSchemaRegistryEnabledFormatCreateSourceIfSubjectDoesntExist: the key
    unwrapped"""
    srr.execute("CREATE STREAM sink (id VARCHAR KEY, f1 VARCHAR) WITH (kafka_topic='expectedName', "
                "key_format='AVRO', value_format='DELIMITED', partitions=1);")
    assert srr.subjects() == ["expectedName-key"]
    assert avro(srr, "expectedName-key") == "string"


def test_should_register_value_schema_if_subject_does_not_exist(srr: Sr) -> None:
    """shouldRegisterValueSchemaForSchemaRegistryEnabledFormatCreateSourceIfSubjectDoesntExist"""
    srr.execute("CREATE STREAM sink (f1 VARCHAR) WITH (kafka_topic='expectedName', key_format='KAFKA', "
                "value_format='AVRO', partitions=1);")
    assert srr.subjects() == ["expectedName-value"]
    assert avro(srr, "expectedName-value") == AVRO_SCHEMA


def test_should_not_replace_existing_schema_for_create_source(srr: Sr, reg: FailingRegistry) -> None:
    """shouldNotReplaceExistingSchemaForSchemaRegistryEnabledFormatCreateSource: existing subjects are
    left as they are (and getAllSubjects is never asked)."""
    key = srr.register("expectedName-key", AVRO_UNWRAPPED_STRING)
    value = srr.register("expectedName-value", AVRO_SCHEMA)
    srr.execute("CREATE STREAM sink (k STRING KEY, f1 VARCHAR) WITH (kafka_topic='expectedName', key_format='AVRO', "
                "value_format='AVRO', partitions=1);")
    assert not [c for c in reg.calls if c[0] == "register"]
    assert reg.latest("expectedName-key").schema_id == key and reg.latest("expectedName-key").version == 1
    assert reg.latest("expectedName-value").schema_id == value and reg.latest("expectedName-value").version == 1
    assert not [c for c in reg.calls if c[0] == "subjects"]


def test_should_not_register_schema_for_create_as_select_without_registry(make_sr: Callable[..., Sr]) -> None:
    """shouldNotRegisterSchemaForSchemaRegistryDisabledFormatCreateAsSelect (the sink's format AVRO)"""
    sr = make_sr(registry=False, topics=TOPICS)
    sr.execute("CREATE STREAM SOURCE (ID STRING KEY, F1 STRING) WITH (KAFKA_TOPIC='source', FORMAT='JSON');")
    err = sr.error("CREATE STREAM sink WITH(value_format='AVRO') AS SELECT * FROM SOURCE;")
    assert "Cannot create topic 'SINK' with format AVRO without configuring" in err.message
    assert err.error_code == 42801


def test_should_register_schema_for_create_as_select(srr: Sr) -> None:
    """shouldRegisterSchemaForSchemaRegistryEnabledFormatCreateAsSelect"""
    srr.execute("CREATE STREAM sink WITH(key_format='AVRO', value_format='AVRO') AS SELECT * FROM SOURCE;")
    assert srr.subjects() == ["SINK-key", "SINK-value"]
    assert avro(srr, "SINK-key") == "string"
    assert avro(srr, "SINK-value") == AVRO_SCHEMA


def test_should_register_even_if_subject_exists_for_create_as_select(srr: Sr) -> None:
    """SchemaRegisterInjector.forCreateAsStatement: registerIfSchemaExists is true for a sink."""
    srr.register("SINK-value", '"int"')
    srr.execute("CREATE STREAM sink WITH(value_format='AVRO') AS SELECT * FROM SOURCE;")
    assert avro(srr, "SINK-value") == AVRO_SCHEMA


def test_should_propagate_error_on_failure_to_plan_query(srr: Sr) -> None:
    """shouldPropagateErrorOnFailureToPlanQuery: planning fails before anything is registered."""
    err = srr.error("CREATE STREAM sink WITH(value_format='AVRO') AS SELECT nope FROM SOURCE;")
    assert "NOPE" in err.message
    assert srr.subjects() == []


def test_should_throw_authorization_exception(srr: Sr, reg: FailingRegistry) -> None:
    """shouldThrowAuthorizationException: KsqlSchemaAuthorizationException, for the key subject first."""
    reg.fail["register"] = rest_error("User is denied operation Write on Subject", 403, 40301)
    err = srr.error("CREATE STREAM sink WITH(value_format='AVRO') AS SELECT * FROM SOURCE;")
    assert isinstance(err, SchemaAuthorizationError)
    assert err.message == "Authorization denied to Write on Schema Registry subject: [SINK-value]"


def test_should_throw_authorization_exception_key_first(srr: Sr, reg: FailingRegistry) -> None:
    """shouldThrowAuthorizationException: the key subject is registered first."""
    reg.fail["register"] = rest_error("User is denied operation Write on Subject", 403, 40301)
    err = srr.error("CREATE STREAM sink WITH(key_format='AVRO', value_format='AVRO') AS SELECT * FROM SOURCE;")
    assert err.message == "Authorization denied to Write on Schema Registry subject: [SINK-key]"


def test_should_propagate_error_on_sr_client_error(srr: Sr, reg: FailingRegistry) -> None:
    """shouldPropagateErrorOnSRClientError: the injector's KsqlStatementException wraps SchemaRegistryUtil's
    "Could not register schema for topic: FUBAR"."""
    reg.fail["register"] = io_error("FUBAR")
    message = srr.message("CREATE STREAM sink WITH(value_format='AVRO') AS SELECT * FROM SOURCE;")
    assert message == "Could not register schema for topic: Could not register schema for topic: FUBAR"


def test_should_support_primitive_value_schemas_in_create_stmts(srr: Sr) -> None:
    """shouldSupportPrimitiveValueSchemasInCreateStmts"""
    srr.execute("CREATE STREAM source2 (f1 VARCHAR) WITH (kafka_topic='expectedName', key_format='KAFKA', "
                "value_format='AVRO', partitions=1, wrap_single_value='false');")
    assert avro(srr, "expectedName-value") == "string"


def test_should_support_primitive_value_schemas_in_create_as_stmts(srr: Sr) -> None:
    """shouldSupportPrimitiveValueSchemasInCreateAsStmts"""
    srr.execute("CREATE STREAM sink WITH(value_format='AVRO', wrap_single_value='false') AS SELECT * FROM SOURCE;")
    assert avro(srr, "SINK-value") == "string"


def test_should_register_dependencies_for_protobuf(srr: Sr) -> None:
    """shouldRegisterDependenciesForProtobuf: a TIMESTAMP column imports google/protobuf/timestamp.proto."""
    srr.execute("CREATE STREAM source2 (f1 TIMESTAMP) WITH (kafka_topic='expectedName', key_format='KAFKA', "
                "value_format='PROTOBUF', partitions=1);")
    reg = srr.registered("expectedName-value")
    assert reg.schema_type == PROTOBUF
    text = " ".join(reg.schema.split())
    assert 'import "google/protobuf/timestamp.proto";' in text
    assert "message ConnectDefault1 { google.protobuf.Timestamp F1 = 1; }" in text


def test_should_throw_wrong_value_format_with_schema_id(srr: Sr) -> None:
    """shouldThrowWrongValueFormatExceptionWithOverrideSchema: a JSON value with VALUE_SCHEMA_ID (and
    columns) is refused by DefaultSchemaInjector before SchemaRegisterInjector would say "VALUE_SCHEMA_ID
    is provided but format JSON doesn't support registering in Schema Registry"."""
    srr.register("any", AVRO_SCHEMA, schema_id=1)
    message = srr.message("CREATE STREAM source2 (id int key, f1 varchar) WITH (kafka_topic='expectedName', "
                          "key_format='KAFKA', value_format='JSON', value_schema_id=1, partitions=1);")
    assert message == "VALUE_FORMAT should support schema inference when VALUE_SCHEMA_ID is provided. Current format is JSON."


def test_should_throw_wrong_key_format_with_schema_id(srr: Sr, reg: FailingRegistry) -> None:
    """shouldThrowWrongKeyFormatExceptionWithOverrideSchema: nothing is registered."""
    srr.register("any", AVRO_SCHEMA, schema_id=1)
    message = srr.message("CREATE STREAM source2 WITH (kafka_topic='expectedName', key_format='KAFKA', "
                          "value_format='AVRO', key_schema_id=1, value_schema_id=1, partitions=1);")
    assert message == "KEY_FORMAT should support schema inference when KEY_SCHEMA_ID is provided. Current format is KAFKA."
    assert not [c for c in reg.calls if c[0] == "register"]


@pytest.mark.parametrize("part", ["KEY", "VALUE"])
def test_should_throw_inconsistent_schema_type_with_schema_id(srr: Sr, part: str) -> None:
    """shouldThrowInconsistentKeySchemaTypeExceptionWithOverrideSchema / ...Value...: an AVRO schema's id
    given to a PROTOBUF part; SchemaRegistryTopicSchemaSupplier refuses it first."""
    srr.register("any", AVRO_SCHEMA, schema_id=1)
    other = "VALUE" if part == "KEY" else "KEY"
    other_format = "JSON" if part == "KEY" else "PROTOBUF"
    message = srr.message(f"CREATE STREAM source2 (id int key) WITH (kafka_topic='expectedName', {part}_format='PROTOBUF', "
                          f"{other}_format='{other_format}', {part}_schema_id=1, partitions=1);"
                          if part == "VALUE" else
                          f"CREATE STREAM source2 (f1 varchar) WITH (kafka_topic='expectedName', "
                          f"{part}_format='PROTOBUF', {other}_format='{other_format}', {part}_schema_id=1, "
                          "partitions=1);")
    assert message.startswith(
        f"{part.capitalize()} schema is not in the expected format. You may want to set {part}_FORMAT to 'AVRO'.\n"
        "topic: expectedName, schema id: 1\nexpected format: PROTOBUF\nactual format from Schema Registry: AVRO"
    )


def test_should_throw_inconsistent_schema_id_with_override_schema(srr: Sr, reg: FailingRegistry) -> None:
    """shouldThrowInconsistentSchemaIdExceptionWithOverrideSchema: the subject gives the schema another id."""
    srr.register("any", AVRO_SCHEMA, schema_id=1)
    reg.register_ids["expectedName-value"] = 2
    message = srr.message("CREATE STREAM source2 (id int key) WITH (kafka_topic='expectedName', "
                          "key_format='KAFKA', value_format='AVRO', value_schema_id=1, partitions=1);")
    assert message.startswith(
        "Schema id registered is 2 which is different from provided VALUE_SCHEMA_ID 1.\n"
        "Topic: expectedName\nSubject: expectedName-value"
    )


def test_should_register_key_override_schema_avro(srr: Sr) -> None:
    """shouldRegisterKeyOverrideSchemaAvro: the registered schema itself, not one derived from columns."""
    srr.register("any", AVRO_SCHEMA, schema_id=1)
    srr.execute("CREATE STREAM source2 (f1 varchar) WITH (kafka_topic='expectedName', key_format='AVRO', "
                "value_format='JSON', key_schema_id=1, partitions=1);")
    assert avro(srr, "expectedName-key") == AVRO_SCHEMA
    assert srr.registry.latest("expectedName-key").schema_id == 1  # type: ignore[union-attr]


def test_should_register_key_override_schema_avro_for_create_as(srr: Sr) -> None:
    """shouldRegisterKeyOverrideSchemaAvroForCreateAs (the sink's key is unwrapped: the source's key is
    ROWKEY, the column an unwrapped key schema reads as)."""
    srr.register("any-key", AVRO_UNWRAPPED_STRING, schema_id=3)
    srr.register("any", AVRO_SCHEMA, schema_id=1)
    srr.execute("CREATE STREAM SRC2 (ROWKEY STRING KEY, F1 STRING) WITH (KAFKA_TOPIC='source', FORMAT='JSON');")
    srr.execute("CREATE STREAM sink WITH (key_format='AVRO', value_format='AVRO', key_schema_id=3, "
                "value_schema_id=1, partitions=1) AS SELECT * FROM SRC2;")
    assert avro(srr, "SINK-key") == "string"
    assert avro(srr, "SINK-value") == AVRO_SCHEMA
    assert srr.registry.latest("SINK-value").schema_id == 1  # type: ignore[union-attr]


def test_should_register_value_override_schema_protobuf(srr: Sr) -> None:
    """shouldRegisterValueOverrideSchemaProtobuf"""
    proto = ('syntax = "proto3";\n\nimport "google/protobuf/timestamp.proto";\n\n'
             "message ConnectDefault1 {\n  google.protobuf.Timestamp F1 = 1;\n}\n")
    srr.register("any", proto, PROTOBUF, 1)
    srr.execute("CREATE STREAM source2 (id int key) WITH (kafka_topic='expectedName', key_format='JSON', "
                "value_format='PROTOBUF', value_schema_id=1, partitions=1);")
    assert srr.registered("expectedName-value").schema == proto
    assert srr.schema("SOURCE2") == "`ID` INTEGER KEY, `F1` TIMESTAMP"


def test_should_register_key_value_override_schema(srr: Sr) -> None:
    """shouldRegisterKeyValueOverrideSchema"""
    proto = 'syntax = "proto3";\n\nmessage ConnectDefault1 {\n  string F1 = 1;\n}\n'
    srr.register("any-key", AVRO_UNWRAPPED_STRING, AVRO, 1)
    srr.register("any-value", proto, PROTOBUF, 2)
    srr.execute("CREATE STREAM source2 WITH (kafka_topic='expectedName', key_format='AVRO', "
                "value_format='PROTOBUF', value_schema_id=2, key_schema_id=1, partitions=1);")
    assert avro(srr, "expectedName-key") == "string"
    assert srr.registered("expectedName-value").schema == proto
    assert srr.source("SOURCE2").key_options.extra["schemaId"] == "1"
    assert srr.source("SOURCE2").value_options.extra["schemaId"] == "2"
