"""ksqlDB 0.29's SchemaRegistryTopicSchemaSupplierTest (ksqldb-engine/src/test/java/io/confluent/ksql/schema/
ksql/inference/SchemaRegistryTopicSchemaSupplierTest.java): the schema a CREATE without columns reads from
the registry (getValueSchema/getKeySchema: the latest version of `<topic>-value|key`, or the schema with
KEY_/VALUE_SCHEMA_ID) and the failure texts of SchemaRegistryTopicSchemaSupplier (notFound,
notCompatible, incorrectFormat, multiColumnKeysNotSupported, the fetch failures), seen as the CREATE's
error. The mocked client's exceptions are a registry fake that raises them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .conftest import AVRO, PROTOBUF, FailingRegistry, Sr, io_error, rest_error

TOPIC = "some-topic"
AVRO_SCHEMA = {"type": "record", "name": "r", "fields": [{"name": "f0", "type": "string"}]}
PROTO = 'syntax = "proto3";\n\nmessage r {\n  string f0 = 1;\n}\n'
PARTS = [("value", False), ("key", True)]


@pytest.fixture
def reg() -> FailingRegistry:
    return FailingRegistry()


@pytest.fixture
def srf(make_sr: Callable[..., Sr], reg: FailingRegistry) -> Sr:
    return make_sr(registry=reg)


def create(part: str, schema_id: int | None = None) -> str:
    """A CREATE that infers only `part`, in AVRO (the other part is declared, in a format without
    inference)."""
    if part == "value":
        formats, cols = "KEY_FORMAT='KAFKA', VALUE_FORMAT='AVRO'", "(K STRING KEY)"
    else:
        formats, cols = "KEY_FORMAT='AVRO', VALUE_FORMAT='JSON'", "(V STRING)"
    sid = f", {part.upper()}_SCHEMA_ID={schema_id}" if schema_id is not None else ""
    return f"CREATE STREAM S {cols} WITH (KAFKA_TOPIC='{TOPIC}', {formats}{sid});"


def not_found_message(part: str, schema_id: int | None) -> str:
    """verifyFailureMessage"""
    id_line = f"Schema Id: {schema_id}\n" if schema_id is not None else ""
    return (
        f"Schema for message {part}s on topic '{TOPIC}' does not exist in the Schema Registry.\n"
        f"Subject: {TOPIC}-{part}\n"
        f"{id_line}"
        "Possible causes include:\n"
        "- The topic itself does not exist\n"
        "\t-> Use SHOW TOPICS; to check\n"
        "- Messages on the topic are not serialized using a format Schema Registry supports\n"
        f"\t-> Use PRINT '{TOPIC}' FROM BEGINNING; to verify\n"
        "- Messages on the topic have not been serialized using a Confluent Schema Registry supported serializer\n"
        "\t-> See https://docs.confluent.io/current/schema-registry/docs/serializer-formatter.html\n"
        "- The schema is registered on a different instance of the Schema Registry\n"
        "\t-> Use the REST API to list available subjects\thttps://docs.confluent.io/current/schema-registry/docs/"
        "api.html#get--subjects\n"
        "- You do not have permissions to access the Schema Registry.\n"
        "\t-> See https://docs.confluent.io/current/schema-registry/docs/security.html"
    )


@pytest.mark.parametrize("part,is_key", PARTS)
def test_should_return_error_if_schema_is_not_in_expected_format(srf: Sr, part: str, is_key: bool) -> None:
    """shouldReturnErrorFromGetValueSchemaIfSchemaIsNotInExpectedFormat / ...Key..."""
    srf.register(f"{TOPIC}-{part}", PROTO, PROTOBUF)
    config = "KEY_FORMAT" if is_key else "VALUE_FORMAT"
    assert srf.message(create(part)) == (
        f"{part.capitalize()} schema is not in the expected format. You may want to set {config} to 'PROTOBUF'.\n"
        f"topic: {TOPIC}\nexpected format: AVRO\nactual format from Schema Registry: PROTOBUF"
    )


@pytest.mark.parametrize("part,is_key", PARTS)
def test_should_return_error_if_not_found(srf: Sr, part: str, is_key: bool) -> None:
    """shouldReturnErrorFromGetValueSchemaIfNotFound / ...Key..."""
    assert srf.message(create(part)) == not_found_message(part, None)


@pytest.mark.parametrize("part,is_key", PARTS)
def test_should_return_error_with_id_if_not_found(srf: Sr, part: str, is_key: bool) -> None:
    """shouldReturnErrorFromGetValueWithIdSchemaIfNotFound / ...Key..."""
    assert srf.message(create(part, 42)) == not_found_message(part, 42)


@pytest.mark.parametrize("status", [401, 403], ids=["Unauthorized", "Forbidden"])
@pytest.mark.parametrize("part,is_key", PARTS)
def test_should_return_not_found_error_if_unauthorized_or_forbidden(
    srf: Sr, reg: FailingRegistry, part: str, is_key: bool, status: int
) -> None:
    """shouldReturnErrorFromGetValueIfUnauthorized / ...IfForbidden / the Key ones: the registry's
    401 and 403 answers read as a schema that does not exist."""
    reg.fail["by_id"] = rest_error("unauthorized" if status == 401 else "forbidden", status, -1)
    assert srf.message(create(part, 42)) == not_found_message(part, 42)


@pytest.mark.parametrize("part,is_key", PARTS)
@pytest.mark.parametrize("schema_id", [None, 42], ids=["latest", "with_id"])
def test_should_throw_on_other_rest_exceptions(
    srf: Sr, reg: FailingRegistry, part: str, is_key: bool, schema_id: int | None
) -> None:
    """shouldThrowFromGetValueSchemaOnOtherRestExceptions / ...WithId... / the Key ones"""
    reg.fail["latest" if schema_id is None else "by_id"] = rest_error("failure", 1, 1)
    message = srf.message(create(part, schema_id))
    assert f"Schema registry fetch for topic {part} request failed for topic: {TOPIC}" in message


@pytest.mark.parametrize("part,is_key", PARTS)
@pytest.mark.parametrize("schema_id", [None, 42], ids=["latest", "with_id"])
def test_should_throw_on_other_exceptions(
    srf: Sr, reg: FailingRegistry, part: str, is_key: bool, schema_id: int | None
) -> None:
    """shouldThrowFromGetValueSchemaOnOtherException / ...WithId... / the Key ones (an IOException)"""
    reg.fail["latest" if schema_id is None else "by_id"] = io_error("boom")
    message = srf.message(create(part, schema_id))
    assert f"Schema registry fetch for topic {part} request failed for topic: {TOPIC}" in message


def test_should_return_error_if_value_schema_can_not_convert(srf: Sr) -> None:
    """shouldReturnErrorFromGetValueSchemaIfCanNotConvertToConnectSchema: a primitive value schema that
    is to be wrapped cannot be ksqlDB's columns."""
    srf.register(f"{TOPIC}-value", '"string"')
    message = srf.message(create("value"))
    assert f"Unable to verify if the value schema for topic: {TOPIC} is compatible with ksqlDB." in message
    assert "\nReason: Schema returned from schema registry is anonymous type. To use this schema with ksqlDB, " in message
    assert message.endswith('Schema:"string"')


def test_should_return_error_from_get_key_schema_on_multiple_columns(srf: Sr) -> None:
    """shouldReturnErrorFromGetKeySchemaOnMultipleColumns (a PROTOBUF key is never unwrapped)"""
    proto = 'syntax = "proto3";\n\nmessage k {\n  string a = 1;\n  int32 b = 2;\n}\n'
    srf.register(f"{TOPIC}-key", proto, PROTOBUF)
    message = srf.message(f"CREATE STREAM S (V STRING) WITH (KAFKA_TOPIC='{TOPIC}', KEY_FORMAT='PROTOBUF', "
                          "VALUE_FORMAT='JSON');")
    assert (f"The key schema for topic: {TOPIC} contains multiple columns, which is not supported by ksqlDB "
            "at this time.") in message
    assert message.endswith(f"Schema:{proto}")


@pytest.mark.parametrize("part,is_key", PARTS)
def test_should_request_correct_schema(srf: Sr, reg: FailingRegistry, part: str, is_key: bool) -> None:
    """shouldRequestCorrectSchemaOnGetValueSchema / ...Key...: the latest version of <topic>-<part>."""
    srf.register(f"{TOPIC}-{part}", AVRO_SCHEMA, AVRO)
    srf.register(f"{TOPIC}-{'key' if is_key is False else 'value'}", '"int"', AVRO)  # not read
    srf.execute(create(part))
    assert ("latest", f"{TOPIC}-{part}") in reg.calls
    assert ("latest", f"{TOPIC}-{'key' if not is_key else 'value'}") not in reg.calls


@pytest.mark.parametrize("part,is_key", PARTS)
def test_should_request_correct_schema_with_id(srf: Sr, reg: FailingRegistry, part: str, is_key: bool) -> None:
    """shouldRequestCorrectSchemaOnGetValueSchemaWithId / ...Key...: the schema with that id, whatever
    the subject's latest version."""
    srf.register("elsewhere", AVRO_SCHEMA, AVRO, 42)
    srf.register(f"{TOPIC}-{part}", '"int"', AVRO)
    srf.execute(create(part, 42))
    assert ("latest", f"{TOPIC}-{part}") not in reg.calls
    assert srf.schema("S") == ("`ROWKEY` STRUCT<`f0` STRING> KEY, `V` STRING" if is_key else "`K` STRING KEY, `f0` STRING")


def test_should_pass_correct_value_wrapping(srf: Sr) -> None:
    """shouldPassRightSchemaToFormat / shouldPassCorrectValueWrapping: values are wrapped unless
    WRAP_SINGLE_VALUE=false, which reads the schema as one unwrapped column."""
    srf.register(f"{TOPIC}-value", AVRO_SCHEMA)
    srf.execute(create("value"))
    assert srf.schema("S") == "`K` STRING KEY, `F0` STRING"
    srf.execute(create("value").replace("STREAM S", "STREAM S2").replace(");", ", WRAP_SINGLE_VALUE=false);"))
    assert srf.schema("S2") == "`K` STRING KEY, `ROWVAL` STRUCT<`F0` STRING>"


def test_should_pass_correct_key_wrapping(srf: Sr) -> None:
    """shouldPassCorrectKeyWrapping: an AVRO key is read unwrapped (UNWRAP_SINGLES)."""
    srf.register(f"{TOPIC}-key", AVRO_SCHEMA)
    srf.execute(create("key"))
    assert srf.schema("S") == "`ROWKEY` STRUCT<`F0` STRING> KEY, `V` STRING"


@pytest.mark.parametrize("part,is_key", PARTS)
def test_should_return_schema_if_found(srf: Sr, part: str, is_key: bool) -> None:
    """shouldReturnSchemaFromGetValueSchemaIfFound / ...Key...: the columns and the schema id, which a
    CREATE without KEY_/VALUE_SCHEMA_ID does not keep."""
    srf.register(f"{TOPIC}-{part}", '"string"' if is_key else AVRO_SCHEMA, AVRO, 7)
    srf.execute(create(part))
    expected = "`ROWKEY` STRING KEY, `V` STRING" if is_key else "`K` STRING KEY, `F0` STRING"
    assert srf.schema("S") == expected
    options = srf.source("S").key_options if is_key else srf.source("S").value_options
    assert "schemaId" not in options.extra
