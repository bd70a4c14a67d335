"""ksqlDB's AvroFormatTest (io.confluent.ksql.serde.avro): column names Avro cannot hold are refused when the
serde is made (wrapped by GenericSerdeFactory as the format not supporting the schema), and an AVRO key's
schema is named io.confluent.ksql.avro_schemas.<Name>Key from the source's name converted from UPPER_UNDERSCORE
to UpperCamel (AvroFormat.getKeySchemaName), which a user sees as the name of the key record registered."""

from __future__ import annotations

import json
from typing import Any

import pytest


def test_should_throw_when_creating_serde_if_schema_contains_invalid_avro_names(fmt: Any) -> None:
    """shouldThrowWhenCreatingSerdeIfSchemaContainsInvalidAvroNames"""
    fmt.topic("t")
    message = fmt.message("CREATE STREAM S (`1AintRight` BIGINT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='AVRO');")
    assert message == (
        "Value format does not support schema.\nformat: AVRO\nschema: Persistence{columns=[`1AintRight` BIGINT], "
        "features=[]}\nreason: Schema is not compatible with Avro: Illegal initial character: 1AintRight"
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [("foo", "FooKey"), ("Foo", "FooKey"), ("FOO", "FooKey"), ("FOO_BAR", "FooBarKey"), ("Foo_Bar", "FooBarKey"),
     ("foo_bar", "FooBarKey"), ("fOoBaR", "FoobarKey"), ("_fOoBaR_", "FoobarKey")],
)  # fmt: skip
def test_should_convert_names(fmt: Any, name: str, expected: str) -> None:
    """shouldConvertNames: the key record of a two-column AVRO key of a stream named `name`"""
    fmt.topic("t")
    fmt.sql(f"CREATE STREAM `{name}` (K1 STRING KEY, K2 INT KEY, V INT) WITH (KAFKA_TOPIC='t', KEY_FORMAT='AVRO', "
            "VALUE_FORMAT='JSON');")  # fmt: skip
    assert fmt.source(name).key_options.extra["fullSchemaName"] == f"io.confluent.ksql.avro_schemas.{expected}"
    fmt.sql(f"INSERT INTO `{name}` (K1, K2, V) VALUES ('a', 1, 2);")
    schema = json.loads(fmt.registered("t-key").schema)
    assert (schema["namespace"], schema["name"]) == ("io.confluent.ksql.avro_schemas", expected)
