"""ksqlDB's ProtobufSchemaTranslatorTest (io.confluent.ksql.serde.protobuf): registered Protobuf schemas to
Connect (the columns a CREATE infers) and columns to the Protobuf schema ksqlDB registers: the full schema
name picks and names the message, wrapper-typed fields are their primitives when primitives are unwrapped
(ksqlDB always sets unwrapPrimitives for a CREATE's PROTOBUF format: SourcePropertyInjector), the nullable
representation (OPTIONAL: proto3 `optional`, printed with `[deprecated = false]`; WRAPPER: the google.
protobuf wrappers; none: plain scalars), and the names of nested messages (ConnectDefaultN, the root named
by the full schema name). Not ported: shouldWrapPrimitives / shouldKeepWrappingPrimitivesOnConfigure
(unwrapPrimitives false is not reachable from a statement) and the `configure` variants (no statement)."""

from __future__ import annotations

from typing import Any

from ksqlserver.formats.sr.client import PROTOBUF

CUSTOMER = (
    'syntax = "proto3";\npackage io.test.proto;\n\nmessage Customer {\n  int32 ID = 1;\n  CustomerAddress ADDRESS = 2;\n'
    "  \n  message CustomerAddress {\n  \t\tstring STREET = 1;\n  };\n}"
)
WRAPPED = (
    "syntax = \"proto3\"; import 'google/protobuf/wrappers.proto'; message ConfluentDefault1 {"
    "google.protobuf.BoolValue c1 = 1; google.protobuf.Int32Value c2 = 2; google.protobuf.Int64Value c3 = 3; "
    "google.protobuf.DoubleValue c4 = 4; google.protobuf.StringValue c5 = 5;}"
)
NULLABLE_COLUMNS = "`optional_int32` INT, `optional_boolean` BOOLEAN, `optional_string` STRING"


def test_should_add_full_name_to_connect_schema(fmt: Any) -> None:
    """shouldAddFullNameToConnectSchema: the named message's fields, its nested message a STRUCT"""
    fmt.topic("t")
    fmt.register("t-value", CUSTOMER, PROTOBUF, schema_id=1)
    fmt.sql("CREATE STREAM S WITH (KAFKA_TOPIC='t', VALUE_FORMAT='PROTOBUF', "
            "VALUE_SCHEMA_FULL_NAME='io.test.proto.Customer');")  # fmt: skip
    assert fmt.schema("S") == "`ID` INTEGER, `ADDRESS` STRUCT<`STREET` STRING>"


def test_should_unwrap_primitives(fmt: Any) -> None:
    """shouldUnwrapPrimitives, shouldKeepUnwrappingPrimitivesOnConfigure: wrapper-typed fields infer as their
    primitive types and read as plain values (null when unset)"""
    fmt.topic("t")
    fmt.register("t-value", WRAPPED, PROTOBUF, schema_id=1)
    fmt.sql("CREATE STREAM S WITH (KAFKA_TOPIC='t', VALUE_FORMAT='PROTOBUF');")
    assert fmt.schema("S") == "`C1` BOOLEAN, `C2` INTEGER, `C3` BIGINT, `C4` DOUBLE, `C5` STRING"
    fmt.sql("CREATE STREAM O WITH (VALUE_FORMAT='JSON') AS SELECT * FROM S;")
    # c1 = BoolValue{true}, c2 = Int32Value{7}, c5 = StringValue{"x"}; c3 and c4 unset
    fmt.produce("t", b"\x00\x00\x00\x00\x01\x00" + b"\x0a\x02\x08\x01" + b"\x12\x02\x08\x07" + b"\x2a\x03\x0a\x01x")
    assert fmt.values("O") == [b'{"C1":true,"C2":7,"C3":null,"C4":null,"C5":"x"}']


def test_unwrapped_primitives_are_written_in_their_wrappers(fmt: Any) -> None:
    """shouldUnwrapPrimitives, written: a row inserted into the stream over the wrapper schema sets the
    wrapper messages (and leaves a null one unset)"""
    fmt.topic("t")
    fmt.register("t-value", WRAPPED, PROTOBUF, schema_id=1)
    fmt.sql("CREATE STREAM S WITH (KAFKA_TOPIC='t', VALUE_FORMAT='PROTOBUF', VALUE_SCHEMA_ID=1);")
    fmt.sql("INSERT INTO S (`c1`, `c2`, `c5`) VALUES (true, 7, 'x');")
    [value] = fmt.values("t")
    assert value == b"\x00\x00\x00\x00\x01\x00" + b"\x0a\x02\x08\x01" + b"\x12\x02\x08\x07" + b"\x2a\x03\x0a\x01x"


def test_should_apply_nullable_as_optional(fmt: Any) -> None:
    """shouldApplyNullableAsOptional"""
    fmt.topic("t")
    fmt.sql(f"CREATE STREAM S ({NULLABLE_COLUMNS}) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='PROTOBUF', "
            "VALUE_PROTOBUF_NULLABLE_REPRESENTATION='OPTIONAL');")  # fmt: skip
    fmt.sql("INSERT INTO S VALUES (1, true, 'x');")
    assert fmt.registered("t-value").schema == (
        'syntax = "proto3";\n'
        "\n"
        "message ConnectDefault1 {\n"
        "  optional int32 optional_int32 = 1 [deprecated = false];\n"
        "  optional bool optional_boolean = 2 [deprecated = false];\n"
        "  optional string optional_string = 3 [deprecated = false];\n"
        "}\n"
    )


def test_should_apply_nullable_as_wrapper(fmt: Any) -> None:
    """shouldApplyNullableAsWrapper"""
    fmt.topic("t")
    fmt.sql(f"CREATE STREAM S ({NULLABLE_COLUMNS}) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='PROTOBUF', "
            "VALUE_PROTOBUF_NULLABLE_REPRESENTATION='WRAPPER');")  # fmt: skip
    fmt.sql("INSERT INTO S VALUES (1, true, 'x');")
    assert fmt.registered("t-value").schema == (
        'syntax = "proto3";\n'
        "\n"
        'import "google/protobuf/wrappers.proto";\n'
        "\n"
        "message ConnectDefault1 {\n"
        "  google.protobuf.Int32Value optional_int32 = 1;\n"
        "  google.protobuf.BoolValue optional_boolean = 2;\n"
        "  google.protobuf.StringValue optional_string = 3;\n"
        "}\n"
    )


def test_should_use_plain_primitives_if_no_nullable_representation_is_set(fmt: Any) -> None:
    """shouldUsePlainPrimitivesIfNoNullableRepresentationIsSet"""
    fmt.topic("t")
    fmt.sql(f"CREATE STREAM S ({NULLABLE_COLUMNS}) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='PROTOBUF');")
    fmt.sql("INSERT INTO S VALUES (1, true, 'x');")
    assert fmt.registered("t-value").schema == (
        'syntax = "proto3";\n'
        "\n"
        "message ConnectDefault1 {\n"
        "  int32 optional_int32 = 1;\n"
        "  bool optional_boolean = 2;\n"
        "  string optional_string = 3;\n"
        "}\n"
    )


def _nested_schema(fmt: Any, full_name: str) -> str:
    fmt.topic("t")
    fmt.sql("CREATE STREAM S (`id` BIGINT, `array` ARRAY<STRING>, `map` MAP<STRING, DOUBLE>, "
            f"`struct` STRUCT<`c1` STRING>) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='PROTOBUF'{full_name});")  # fmt: skip
    fmt.sql("INSERT INTO S VALUES (1, ARRAY['a'], MAP('k' := 1.0), STRUCT(`c1` := 'x'));")
    return str(fmt.registered("t-value").schema)


def test_should_return_parsed_schema_with_default_full_schema_name(fmt: Any) -> None:
    """shouldReturnParsedSchemaWithDefaultFullSchemaName: a ConnectDefault name is ignored
    (ProtobufSchemaTranslator.ignoreDefaultName), the root is ConnectDefault1, the map entry and the struct
    the next default names"""
    text = _nested_schema(fmt, ", VALUE_SCHEMA_FULL_NAME='ConnectDefault1'")
    assert "message ConnectDefault1 {\n" in text
    assert "  repeated ConnectDefault2Entry map = 3;\n  ConnectDefault3 struct = 4;\n" in text
    assert "package" not in text


def test_should_return_parsed_schema_with_full_schema_name(fmt: Any) -> None:
    """shouldReturnParsedSchemaWithFullSchemaName: the package and root message from the full name; the
    unnamed map entry and struct take the default names from 1 (the root took none)"""
    text = _nested_schema(fmt, ", VALUE_SCHEMA_FULL_NAME='io.examples.Customer'")
    assert text.startswith('syntax = "proto3";\npackage io.examples;\n\nmessage Customer {\n  int64 id = 1;\n'
                           "  repeated string array = 2;\n  repeated ConnectDefault1Entry map = 3;\n"
                           "  ConnectDefault2 struct = 4;\n")  # fmt: skip
