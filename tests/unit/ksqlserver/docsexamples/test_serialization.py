"""docs/reference/serialization.md: every format's rules, run on records: NONE keys, DELIMITED delimiters
and multi-column keys, JSON objects / top-level primitives / decimals / temporal types / bytes / case
insensitivity, AVRO records and unwrapped values, KAFKA primitives, PROTOBUF defaults and nullable
representations, single field (un)wrapping of values and keys, and the statements the page says fail
(messages from ksqlDB 0.29's NoneFormat, Delimiter, KsqlDelimitedDeserializer, KafkaSerdeFactory and
SerdeFeaturesFactory)."""

from __future__ import annotations

import io
import json
import re
import struct
from typing import Any

import fastavro
import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.errors import KsqlError
from ksqlserver.formats.sr import wire
from ksqlserver.formats.sr.client import AVRO, RegisteredSchema

from .conftest import Docs, pull

PLANNED = "Could not determine output schema for query due to error: "


def _planning_cause(message: str, sql: str) -> str:
    """The planning error's own text: a CREATE ... AS SELECT that planning refuses is answered with
    SchemaRegisterInjector's prefix before it (the raw unlogged details of its wrapper, which KsqlResource
    returns); no other statement has the prefix."""
    if message.startswith(PLANNED):
        assert re.search(r"\bAS\s+SELECT\b", sql, re.IGNORECASE | re.DOTALL), message
        return message[len(PLANNED) :]
    return message


def _raw(h: Docs, topic: str, *records: tuple[bytes | None, bytes | None]) -> None:
    h.ensure_topics(topic)
    h.driver.produce(topic, [Record(k, v, 1000 + i) for i, (k, v) in enumerate(records)])
    h.drain()


def _sink(h: Docs, name: str) -> list[tuple[bytes | None, bytes | None]]:
    return [(r.key, r.value) for r in h.records(h.source(name).topic)]


def _error(h: Docs, sql: str) -> str:
    with pytest.raises(KsqlError) as info:
        h.sql(sql)
    return _planning_cause(info.value.message, sql)


def _key_format(h: Docs, name: str) -> str:
    return str(h.source(name).key_format)


# ---- NONE -------------------------------------------------------------------------------------------------


def test_none_key_format_of_a_keyless_stream(docs: Any) -> None:
    """"NONE": KEYLESS_STREAM's records are read whatever their key bytes; a NONE key format with key
    columns is an error (NoneFormat.validateSupportsSchema through KeyFormat's 'does not support schema'
    wrapper, SchemaNotSupportedException)."""
    h = docs()
    h.ensure_topics("foo")
    h.sql("CREATE STREAM KEYLESS_STREAM (VAL STRING) WITH (KEY_FORMAT='NONE', VALUE_FORMAT='JSON', "
          "KAFKA_TOPIC='foo');")  # fmt: skip
    _raw(h, "foo", (b"\x00\x01garbage", b'{"VAL": "a"}'), (None, b'{"VAL": "b"}'))
    assert pull(h, "SELECT * FROM KEYLESS_STREAM;") == [["a"], ["b"]]
    assert _error(h, "CREATE STREAM K2 (K INT KEY, VAL STRING) WITH (KEY_FORMAT='NONE', VALUE_FORMAT='JSON', "
                     "KAFKA_TOPIC='foo');") == (
        "Key format does not support schema.\nformat: NONE\nschema: Persistence{columns=[`K` INTEGER KEY], "
        "features=[]}\nreason: The 'NONE' format can only be used when no columns are defined. "
        "Got: [`K` INTEGER KEY]"
    )  # fmt: skip


def test_none_is_not_a_value_format(docs: Any) -> None:
    """The NONE table: "As value format: No" (NoneFormat.getSerde's KsqlException for any column, worded by
    GenericSerdeFactory as a schema the value format does not support; real ksqlDB 0.29 says so)."""
    h = docs()
    h.ensure_topics("foo")
    assert _error(h, "CREATE STREAM V (VAL STRING) WITH (VALUE_FORMAT='NONE', KAFKA_TOPIC='foo');") == (
        "Value format does not support schema.\nformat: NONE\nschema: Persistence{columns=[`VAL` STRING], "
        "features=[]}\nreason: The 'NONE' format can only be used when no columns are defined. Got: [`VAL` STRING]"
    )


def test_none_source_with_keyed_sinks(docs: Any) -> None:
    """"NONE": T with an explicit KEY_FORMAT='KAFKA'; T2 without one takes
    ksql.persistence.default.format.key (KAFKA by default); PARTITION BY null sets the key format to NONE
    (the sink's records have no key)."""
    h = docs()
    h.ensure_topics("foo")
    h.sql("CREATE STREAM KEYLESS_STREAM (VAL STRING) WITH (KEY_FORMAT='NONE', VALUE_FORMAT='JSON', "
          "KAFKA_TOPIC='foo');")  # fmt: skip
    h.sql("CREATE TABLE T WITH (KEY_FORMAT='KAFKA') AS SELECT VAL, COUNT() FROM KEYLESS_STREAM GROUP BY VAL;")
    h.sql("CREATE TABLE T2 AS SELECT VAL, COUNT() FROM KEYLESS_STREAM GROUP BY VAL;")
    h.sql("CREATE STREAM KEYED WITH (KEY_FORMAT='KAFKA') AS SELECT VAL, AS_VALUE(VAL) AS V FROM KEYLESS_STREAM "
          "PARTITION BY VAL;")  # fmt: skip
    h.sql("CREATE STREAM BACK AS SELECT * FROM KEYED PARTITION BY null;")
    assert [_key_format(h, n) for n in ("T", "T2", "KEYED", "BACK")] == ["KAFKA", "KAFKA", "KAFKA", "NONE"]
    _raw(h, "foo", (b"ignored", b'{"VAL": "a"}'), (None, b'{"VAL": "a"}'))
    assert _sink(h, "T") == [(b"a", b'{"KSQL_COL_0":1}'), (b"a", b'{"KSQL_COL_0":2}')]
    assert _sink(h, "T2") == _sink(h, "T")
    assert [(k, json.loads(v)) for k, v in _sink(h, "BACK")] == [(None, {"V": "a", "VAL": "a"})] * 2


def test_none_key_format_with_key_columns_in_a_sink(docs: Any) -> None:
    """"Any statement that sets the key format to NONE and has key columns defined, will result in an
    error" (a CSAS with a key)."""
    h = docs()
    h.ensure_topics("foo")
    h.sql("CREATE STREAM KEYLESS_STREAM (VAL STRING) WITH (KEY_FORMAT='NONE', VALUE_FORMAT='JSON', "
          "KAFKA_TOPIC='foo');")  # fmt: skip
    message = _error(h, "CREATE STREAM P WITH (KEY_FORMAT='NONE') AS SELECT VAL, AS_VALUE(VAL) AS V "
                        "FROM KEYLESS_STREAM PARTITION BY VAL;")  # fmt: skip
    assert message.endswith("reason: The 'NONE' format can only be used when no columns are defined. "
                            "Got: [`VAL` STRING KEY]")  # fmt: skip


# ---- DELIMITED --------------------------------------------------------------------------------------------


def test_delimited_multi_column_key_and_value(docs: Any) -> None:
    """"DELIMITED": a key of `120,21` and a value of `bob,49` are ORGID 120, ID 21, NAME bob, AGE 49;
    the sink writes them back the same way."""
    h = docs()
    h.ensure_topics("x")
    h.sql("CREATE STREAM x (ORGID BIGINT KEY, ID BIGINT KEY, NAME STRING, AGE INT) WITH (FORMAT='DELIMITED', "
          "KAFKA_TOPIC='x');")  # fmt: skip
    h.sql("CREATE STREAM x2 AS SELECT * FROM x;")
    _raw(h, "x", (b"120,21", b"bob,49"))
    assert pull(h, "SELECT * FROM x;") == [[120, 21, "bob", 49]]
    assert _sink(h, "X2") == [(b"120,21", b"bob,49")]


def test_delimited_unicode_and_named_delimiters(docs: Any) -> None:
    """"DELIMITED": VALUE_DELIMITER='☺' (a java.lang.Character), the special values SPACE and TAB, and
    a KEY_DELIMITER; anything longer is Delimiter.parse's error."""
    h = docs()
    h.ensure_topics("delim", "d2")
    h.sql("CREATE STREAM delim_stream (f1 STRING, f2 STRING) with (KAFKA_TOPIC='delim', FORMAT='DELIMITED', "
          "VALUE_DELIMITER='☺');")  # fmt: skip
    h.sql("CREATE STREAM tabbed WITH (VALUE_DELIMITER='TAB') AS SELECT * FROM delim_stream;")
    h.sql("CREATE STREAM spaced WITH (VALUE_DELIMITER='SPACE') AS SELECT * FROM delim_stream;")
    _raw(h, "delim", (None, "a☺b".encode()))
    assert pull(h, "SELECT * FROM delim_stream;") == [["a", "b"]]
    assert _sink(h, "TABBED") == [(None, b"a\tb")]
    assert _sink(h, "SPACED") == [(None, b"a b")]
    h.sql("CREATE STREAM d2 (K1 STRING KEY, K2 STRING KEY, V STRING) WITH (KAFKA_TOPIC='d2', FORMAT='DELIMITED', "
          "KEY_DELIMITER='|');")  # fmt: skip
    _raw(h, "d2", (b"p|q", b"v"))
    assert pull(h, "SELECT * FROM d2;") == [["p", "q", "v"]]
    assert _error(h, "CREATE STREAM bad (f1 STRING) WITH (KAFKA_TOPIC='delim', FORMAT='DELIMITED', "
                     "VALUE_DELIMITER='ab');") == (
        "Failed to prepare statement: Configuration VALUE_DELIMITER is invalid: Invalid delimiter value: 'ab'. "
        "Delimiter must be a single character or TAB,SPACE\nExample valid value: ';'"
    )  # fmt: skip


@pytest.mark.parametrize("type_", ["ARRAY<INT>", "MAP<STRING, INT>", "STRUCT<A INT>"])
def test_delimited_rejects_nested_types(docs: Any, type_: str) -> None:
    """"This data format supports all SQL data types except ARRAY, MAP and STRUCT"
    (KsqlDelimitedDeserializer's check, reached through DelimitedFormat.validateSupportsSchema)."""
    h = docs()
    h.ensure_topics("x")
    base = type_.split("<")[0]
    assert _error(h, f"CREATE STREAM bad (a {type_}) WITH (FORMAT='DELIMITED', KAFKA_TOPIC='x');").endswith(
        f"reason: The 'DELIMITED' format does not support type '{base}', column: `A`"
    )


def test_delimited_temporal_and_bytes_values(docs: Any) -> None:
    """"DELIMITED": TIMESTAMP as epoch millis, TIME as millis of the day, DATE as days since the epoch,
    BYTES as Base64; DECIMAL as its plain text."""
    h = docs()
    h.ensure_topics("t")
    h.sql("CREATE STREAM T (TS TIMESTAMP, TM TIME, D DATE, B BYTES, DEC DECIMAL(4, 2)) WITH (KAFKA_TOPIC='t', "
          "FORMAT='DELIMITED');")  # fmt: skip
    h.sql("CREATE STREAM T2 AS SELECT * FROM T;")
    h.sql("CREATE STREAM T3 AS SELECT CAST(TS AS STRING) AS TS, CAST(TM AS STRING) AS TM, CAST(D AS STRING) AS D, "
          "FROM_BYTES(B, 'hex') AS B, DEC FROM T;")  # fmt: skip
    _raw(h, "t", (None, b"1,1000,2,YWJj,12.30"))
    assert _sink(h, "T2") == [(None, b"1,1000,2,YWJj,12.30")]
    assert _sink(h, "T3") == [(None, b"1970-01-01T00:00:00.001,00:00:01,1970-01-03,616263,12.30")]


def test_delimited_quoting(docs: Any) -> None:
    """DELIMITED values are CSV (commons-csv, KsqlDelimitedSerializer/Deserializer): a field holding the
    delimiter or a quote is written quoted with doubled quotes and read back; an empty field is null."""
    h = docs()
    h.ensure_topics("q")
    h.sql("CREATE STREAM Q (A STRING, B STRING, C INT) WITH (KAFKA_TOPIC='q', FORMAT='DELIMITED');")
    h.sql("CREATE STREAM Q2 AS SELECT * FROM Q;")
    _raw(h, "q", (None, b'"x,y","say ""hi""",'))
    assert pull(h, "SELECT * FROM Q;") == [["x,y", 'say "hi"', None]]
    assert _sink(h, "Q2") == [(None, b'"x,y","say ""hi""",')]


# ---- JSON -------------------------------------------------------------------------------------------------


def test_json_object_fields(docs: Any) -> None:
    """"JSON Objects": {"id": 120, "name": "bob", "age": "49"} is ID 120, NAME bob, AGE 49 (the string
    coerced to INT). "Field Name Case Sensitivity" says the first case-insensitive match is used; ksqlDB
    0.29's KsqlJsonDeserializer.enforceFieldTypesForStruct (the source wins) takes the exact-case property
    first, else the last property whose upper-cased name matches (upperCaseKeys fills a HashMap)."""
    h = docs()
    h.ensure_topics("x")
    h.sql("CREATE STREAM x (ID BIGINT, NAME STRING, AGE INT) WITH (VALUE_FORMAT='JSON', KAFKA_TOPIC='x');")
    _raw(h, "x", (None, b'{"id": 120, "name": "bob", "age": "49"}'),
         (None, b'{"Id": 1, "ID": 2, "nAmE": "n", "AGE": 3}'),
         (None, b'{"Id": 1, "iD": 4}'))  # fmt: skip
    assert pull(h, "SELECT * FROM x;") == [[120, "bob", 49], [2, "n", 3], [4, None, None]]


def test_json_top_level_primitive(docs: Any) -> None:
    """"Top-level primitives, arrays and maps": with WRAP_SINGLE_VALUE=false the value 10 is ID 10;
    stream y with WRAP_SINGLE_VALUE=false writes the anonymous value."""
    h = docs()
    h.ensure_topics("x")
    h.sql("CREATE STREAM x (ID BIGINT) WITH (VALUE_FORMAT='JSON', WRAP_SINGLE_VALUE=false, KAFKA_TOPIC='x');")
    h.sql("CREATE STREAM y WITH (WRAP_SINGLE_VALUE=false) AS SELECT id FROM x EMIT CHANGES;")
    h.sql("CREATE STREAM w AS SELECT id FROM x EMIT CHANGES;")
    _raw(h, "x", (None, b"10"))
    assert pull(h, "SELECT * FROM x;") == [[10]]
    assert _sink(h, "Y") == [(None, b"10")]
    assert _sink(h, "W") == [(None, b'{"ID":10}')]


def test_json_top_level_array_and_map(docs: Any) -> None:
    """Top-level arrays and maps: an unwrapped ARRAY / MAP value column."""
    h = docs()
    h.ensure_topics("a", "m")
    h.sql("CREATE STREAM A (V ARRAY<INT>) WITH (VALUE_FORMAT='JSON', WRAP_SINGLE_VALUE=false, KAFKA_TOPIC='a');")
    h.sql("CREATE STREAM M (V MAP<STRING, INT>) WITH (VALUE_FORMAT='JSON', WRAP_SINGLE_VALUE=false, "
          "KAFKA_TOPIC='m');")  # fmt: skip
    _raw(h, "a", (None, b"[1, 2]"))
    _raw(h, "m", (None, b'{"a": 1}'))
    assert pull(h, "SELECT * FROM A;") == [[[1, 2]]]
    assert pull(h, "SELECT * FROM M;") == [[{"a": 1}]]


def test_json_decimal_serialization(docs: Any) -> None:
    """"Decimal Serialization": a decimal is read from a number or from its text; it is written as a JSON
    number."""
    h = docs()
    h.ensure_topics("d")
    h.sql("CREATE STREAM D (NUMERICDECIMAL DECIMAL(15, 14), STRINGDECIMAL DECIMAL(15, 14)) WITH "
          "(VALUE_FORMAT='JSON', KAFKA_TOPIC='d');")  # fmt: skip
    h.sql("CREATE STREAM D2 AS SELECT * FROM D;")
    _raw(h, "d", (None, b'{"numericDecimal": 1.12345678912345, "stringDecimal": "1.12345678912345"}'))
    assert _sink(h, "D2") == [(None, b'{"NUMERICDECIMAL":1.12345678912345,"STRINGDECIMAL":1.12345678912345}')]


def test_json_temporal_and_bytes_serialization(docs: Any) -> None:
    """"Timestamp / Time / Date / Bytes Serialization": 1970-01-01T00:00:00.001 is 1, 00:00:01 is 1000,
    1970-01-03 is 2, the bytes [61, 62, 63] (hex: 'abc') are "YWJj"; the numbers and the string read back
    as the typed columns."""
    h = docs()
    h.ensure_topics("src", "t")
    h.sql("CREATE STREAM SRC (X INT) WITH (VALUE_FORMAT='JSON', KAFKA_TOPIC='src');")
    h.sql("CREATE STREAM OUT AS SELECT PARSE_TIMESTAMP('1970-01-01T00:00:00.001', 'yyyy-MM-dd''T''HH:mm:ss.SSS', "
          "'UTC') AS TS, PARSE_TIME('00:00:01', 'HH:mm:ss') AS TM, PARSE_DATE('1970-01-03', 'yyyy-MM-dd') AS D, "
          "TO_BYTES('616263', 'hex') AS B FROM SRC;")  # fmt: skip
    _raw(h, "src", (None, b'{"X": 1}'))
    assert _sink(h, "OUT") == [(None, b'{"TS":1,"TM":1000,"D":2,"B":"YWJj"}')]
    h.sql("CREATE STREAM T (TS TIMESTAMP, TM TIME, D DATE, B BYTES) WITH (VALUE_FORMAT='JSON', KAFKA_TOPIC='t');")
    _raw(h, "t", (None, b'{"TS": 1, "TM": 1000, "D": 2, "B": "YWJj"}'))
    assert pull(h, "SELECT CAST(TS AS STRING), CAST(TM AS STRING), CAST(D AS STRING), FROM_BYTES(B, 'hex') "
                   "FROM T;") == [["1970-01-01T00:00:00.001", "00:00:01", "1970-01-03", "616263"]]  # fmt: skip


def test_json_maps_need_string_keys(docs: Any) -> None:
    """"the JSON format supports only MAP objects that have STRING keys": a MAP<INT, ...> column is
    rejected (JsonFormat.validateSupportsSchema via SchemaNotSupportedException)."""
    h = docs()
    h.ensure_topics("m")
    message = _error(h, "CREATE STREAM M (V MAP<INT, INT>) WITH (VALUE_FORMAT='JSON', KAFKA_TOPIC='m');")
    assert message.startswith("Value format does not support schema.\nformat: JSON\n")
    assert message.endswith("reason: JSON only supports MAP types with STRING keys")


# ---- AVRO -------------------------------------------------------------------------------------------------

USER_DETAILS = {
    "type": "record", "namespace": "com.acme", "name": "UserDetails",
    "fields": [{"name": "id", "type": "long"}, {"name": "name", "type": "string"}, {"name": "age", "type": "int"},
               {"name": "time", "type": {"type": "long", "logicalType": "timestamp-millis"}}],
}  # fmt: skip


def _avro(h: Docs, subject: str, schema: Any, value: Any) -> bytes:
    schema_id = h.registry.register(subject, RegisteredSchema(AVRO, json.dumps(schema)))
    out = io.BytesIO()
    fastavro.schemaless_writer(out, fastavro.parse_schema(schema), value)
    return wire.frame(schema_id, out.getvalue())


def test_avro_record(docs: Any) -> None:
    """"Avro Records": a com.acme.UserDetails record's lower-case fields fill ID, NAME, AGE and TIME
    (case-insensitive match)."""
    h = docs()
    value = _avro(h, "x-value", USER_DETAILS, {"id": 120, "name": "bob", "age": 49, "time": 1})
    h.ensure_topics("x")
    h.sql("CREATE STREAM x (ID BIGINT, NAME STRING, AGE INT, TIME TIMESTAMP) WITH (VALUE_FORMAT='AVRO', "
          "KAFKA_TOPIC='x');")  # fmt: skip
    _raw(h, "x", (None, value))
    assert pull(h, "SELECT ID, NAME, AGE, CAST(TIME AS STRING) FROM x;") == [
        [120, "bob", 49, "1970-01-01T00:00:00.001"]
    ]


def test_avro_schema_full_name(docs: Any) -> None:
    """The "important" note: schemas are KsqlDataSourceSchema in io.confluent.ksql.avro_schemas unless
    VALUE_AVRO_SCHEMA_FULL_NAME names another (com.mycompany.MySchema)."""
    h = docs()
    h.ensure_topics("a", "b")
    h.sql("CREATE STREAM A (ID BIGINT, N STRING) WITH (VALUE_FORMAT='AVRO', KAFKA_TOPIC='a');")
    h.sql("CREATE STREAM B (ID BIGINT, N STRING) WITH (VALUE_FORMAT='AVRO', KAFKA_TOPIC='b', "
          "VALUE_AVRO_SCHEMA_FULL_NAME='com.mycompany.MySchema');")  # fmt: skip
    a = json.loads(h.registry.latest("a-value").schema.schema)
    b = json.loads(h.registry.latest("b-value").schema.schema)
    assert (a["namespace"], a["name"]) == ("io.confluent.ksql.avro_schemas", "KsqlDataSourceSchema")
    assert (b["namespace"], b["name"]) == ("com.mycompany", "MySchema")


def test_avro_top_level_primitive(docs: Any) -> None:
    """Avro "Top-level primitives": WRAP_SINGLE_VALUE=false reads a value of schema "long"; y writes an
    anonymous long (its registered schema is the primitive)."""
    h = docs()
    value = _avro(h, "x-value", {"type": "long"}, 10)
    h.ensure_topics("x")
    h.sql("CREATE STREAM x (ID BIGINT) WITH (VALUE_FORMAT='AVRO', WRAP_SINGLE_VALUE=false, KAFKA_TOPIC='x');")
    h.sql("CREATE STREAM y WITH (WRAP_SINGLE_VALUE=false) AS SELECT id FROM x EMIT CHANGES;")
    _raw(h, "x", (None, value))
    assert pull(h, "SELECT * FROM x;") == [[10]]
    assert json.loads(h.registry.latest("Y-value").schema.schema) in ("long", ["null", "long"])
    (_, out), = _sink(h, "Y")
    schema_id, payload = wire.split(out)
    parsed = fastavro.parse_schema(json.loads(h.registry.schema_by_id(schema_id).schema))
    assert fastavro.schemaless_reader(io.BytesIO(bytes(payload)), parsed) == 10


# ---- KAFKA ------------------------------------------------------------------------------------------------


def test_kafka_primitives(docs: Any) -> None:
    """"KAFKA": INT, BIGINT, DOUBLE and STRING as Kafka's IntegerSerializer (4 bytes big-endian),
    LongSerializer (8), DoubleSerializer (IEEE 754, 8) and StringSerializer (UTF-8), as keys and as a
    single value column."""
    h = docs()
    for name, type_, data, value in [
        ("I", "INT", struct.pack(">i", -7), -7),
        ("L", "BIGINT", struct.pack(">q", 1 << 40), 1 << 40),
        ("D", "DOUBLE", struct.pack(">d", 1.5), 1.5),
        ("S", "STRING", "é".encode(), "é"),
    ]:
        h.ensure_topics(name.lower())
        h.sql(f"CREATE STREAM {name} (K {type_} KEY, V {type_}) WITH (KAFKA_TOPIC='{name.lower()}', FORMAT='KAFKA');")
        h.sql(f"CREATE STREAM {name}2 AS SELECT * FROM {name};")
        _raw(h, name.lower(), (data, data))
        assert pull(h, f"SELECT * FROM {name};") == [[value, value]]
        assert _sink(h, f"{name}2") == [(data, data)]


def test_kafka_key_with_json_value(docs: Any) -> None:
    """"if your Kafka messages have a long key": USERS (ID BIGINT KEY, NAME STRING) reads a LongSerializer
    key."""
    h = docs()
    h.ensure_topics("users")
    h.sql("CREATE STREAM USERS (ID BIGINT KEY, NAME STRING) WITH (VALUE_FORMAT='JSON', KAFKA_TOPIC='users');")
    assert _key_format(h, "USERS") == "KAFKA"
    _raw(h, "users", (struct.pack(">q", 42), b'{"NAME": "n"}'))
    assert pull(h, "SELECT * FROM USERS;") == [[42, "n"]]


def test_kafka_rejects_other_types_and_several_columns(docs: Any) -> None:
    """The KAFKA table lists INT, BIGINT, DOUBLE and STRING only; "you can only use it when the schema
    contains a single field" (KafkaSerdeFactory's messages)."""
    h = docs()
    h.ensure_topics("x")
    assert _error(h, "CREATE STREAM B1 (A INT KEY, B INT KEY, C INT) WITH (KEY_FORMAT='KAFKA', "
                     "VALUE_FORMAT='JSON', KAFKA_TOPIC='x');").endswith(
        "reason: The 'KAFKA' format only supports a single field. Got: [`A` INTEGER KEY, `B` INTEGER KEY]"
    )  # fmt: skip
    assert _error(h, "CREATE STREAM B2 (A BOOLEAN KEY, C INT) WITH (KEY_FORMAT='KAFKA', VALUE_FORMAT='JSON', "
                     "KAFKA_TOPIC='x');").endswith("reason: The 'KAFKA' format does not support type 'BOOLEAN'")
    assert _error(h, "CREATE STREAM B3 (A INT, C INT) WITH (VALUE_FORMAT='KAFKA', KAFKA_TOPIC='x');").endswith(
        "reason: The 'KAFKA' format only supports a single field. Got: [`A` INTEGER, `C` INTEGER]"
    )


# ---- PROTOBUF ---------------------------------------------------------------------------------------------


def test_protobuf_missing_fields_read_as_defaults(docs: Any) -> None:
    """"Protobuf": "a missing field" resolves to its type's default (empty string, 0, false); with
    VALUE_PROTOBUF_NULLABLE_REPRESENTATION='WRAPPER' (google.protobuf wrappers) or 'OPTIONAL' a null is
    written and read back as null."""
    h = docs()
    h.ensure_topics("u", "w", "o")
    h.sql("CREATE STREAM USERS (ID STRING KEY, i INTEGER, s STRING, b BOOLEAN) WITH (VALUE_FORMAT='PROTOBUF', "
          "KAFKA_TOPIC='u');")  # fmt: skip
    h.sql("CREATE STREAM W (ID STRING KEY, i INTEGER, s STRING) WITH (VALUE_FORMAT='PROTOBUF', KAFKA_TOPIC='w', "
          "VALUE_PROTOBUF_NULLABLE_REPRESENTATION='WRAPPER');")  # fmt: skip
    h.sql("CREATE STREAM O (ID STRING KEY, i INTEGER, s STRING) WITH (VALUE_FORMAT='PROTOBUF', KAFKA_TOPIC='o', "
          "VALUE_PROTOBUF_NULLABLE_REPRESENTATION='OPTIONAL');")  # fmt: skip
    w = h.registry.latest("w-value").schema.schema
    assert "google.protobuf.Int32Value I = 1;" in w and "google.protobuf.StringValue S = 2;" in w
    assert "optional int32 I = 1" in h.registry.latest("o-value").schema.schema
    h.sql("INSERT INTO USERS (ID, i, s, b) VALUES ('k', null, null, null);")
    h.sql("INSERT INTO W (ID, i, s) VALUES ('k', null, null);")
    h.sql("INSERT INTO O (ID, i, s) VALUES ('k', null, 'x');")
    assert pull(h, "SELECT * FROM USERS;") == [["k", 0, "", False]]
    assert pull(h, "SELECT * FROM W;") == [["k", None, None]]
    assert pull(h, "SELECT * FROM O;") == [["k", None, "x"]]


def test_protobuf_wraps_single_values_only(docs: Any) -> None:
    """The Protobuf table: single field wrapping Yes, unwrapping No (ProtobufFormat's supported
    features, checked by SerdeFeaturesFactory / FormatInfo validation)."""
    h = docs()
    h.ensure_topics("p")
    assert _error(h, "CREATE STREAM P (ID INT) WITH (WRAP_SINGLE_VALUE=false, KAFKA_TOPIC='p', "
                     "VALUE_FORMAT='PROTOBUF');") == (
        "Format 'PROTOBUF' does not support 'WRAP_SINGLE_VALUE' set to 'false'."
    )  # fmt: skip


# ---- single field (un)wrapping ----------------------------------------------------------------------------


def test_single_keys_unwrapped_multi_column_keys_wrapped(docs: Any) -> None:
    """"(de)serialization of single keys": a single JSON key column is the bare value, several are an
    object of the columns, and K STRUCT<F1 INT> KEY is a wrapped single column."""
    h = docs()
    h.ensure_topics("a", "b", "c")
    h.sql("CREATE STREAM A (K INT KEY, C1 INT) WITH (KAFKA_TOPIC='a', FORMAT='JSON');")
    h.sql("CREATE STREAM B (K1 INT KEY, K2 INT KEY, C1 INT) WITH (KAFKA_TOPIC='b', FORMAT='JSON');")
    h.sql("CREATE STREAM C (K STRUCT<F1 INT> KEY, C1 INT) WITH (KAFKA_TOPIC='c', FORMAT='JSON');")
    for name in ("A", "B", "C"):
        h.sql(f"CREATE STREAM {name}2 AS SELECT * FROM {name};")
    _raw(h, "a", (b"1", b'{"C1": 9}'))
    _raw(h, "b", (b'{"K1": 1, "K2": 2}', b'{"C1": 9}'))
    _raw(h, "c", (b'{"F1": 1}', b'{"C1": 9}'))
    assert pull(h, "SELECT * FROM A;") == [[1, 9]]
    assert pull(h, "SELECT * FROM B;") == [[1, 2, 9]]
    assert pull(h, "SELECT * FROM C;") == [[{"F1": 1}, 9]]
    assert _sink(h, "A2") == [(b"1", b'{"C1":9}')]
    assert _sink(h, "B2") == [(b'{"K1":1,"K2":2}', b'{"C1":9}')]
    assert _sink(h, "C2") == [(b'{"F1":1}', b'{"C1":9}')]


def test_single_field_serialization_examples(docs: Any) -> None:
    """"Single-field serialization examples" with the default ksql.persistence.wrap.single.values:
    IMPLICIT_SOURCE expects a wrapped value (an anonymous one is a deserialization error: the row is
    skipped), EXPLICIT_SOURCE an anonymous one; BAD_SOURCE and BAD_SINK are SerdeFeaturesFactory's
    error; IMPLICIT_SINK writes {"ID": ...}, EXPLICIT_SINK the bare value."""
    h = docs()
    h.ensure_topics("i", "e", "s")
    h.sql("CREATE STREAM IMPLICIT_SOURCE (NAME STRING) WITH (KAFKA_TOPIC='i', VALUE_FORMAT='JSON');")
    h.sql("CREATE STREAM EXPLICIT_SOURCE (ID INT) WITH (WRAP_SINGLE_VALUE=false, KAFKA_TOPIC='e', "
          "VALUE_FORMAT='JSON');")  # fmt: skip
    wrap_error = "'WRAP_SINGLE_VALUE' is only valid for single-field value schemas"
    assert _error(h, "CREATE STREAM BAD_SOURCE (ID INT, NAME STRING) WITH (WRAP_SINGLE_VALUE=false, "
                     "KAFKA_TOPIC='e', VALUE_FORMAT='JSON');") == wrap_error  # fmt: skip
    h.sql("CREATE STREAM S (ID INT, COST INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    h.sql("CREATE STREAM IMPLICIT_SINK AS SELECT ID FROM S EMIT CHANGES;")
    h.sql("CREATE STREAM EXPLICIT_SINK WITH(WRAP_SINGLE_VALUE=false) AS SELECT ID FROM S EMIT CHANGES;")
    assert _error(h, "CREATE STREAM BAD_SINK WITH(WRAP_SINGLE_VALUE=true) AS SELECT ID, COST FROM S "
                     "EMIT CHANGES;") == wrap_error  # fmt: skip
    _raw(h, "i", (None, b'{"NAME": "n"}'), (None, b'["n"]'))
    _raw(h, "e", (None, b"7"))
    _raw(h, "s", (None, b'{"ID": 10, "COST": 1}'))
    assert pull(h, "SELECT * FROM IMPLICIT_SOURCE;") == [["n"]]
    assert pull(h, "SELECT * FROM EXPLICIT_SOURCE;") == [[7]]
    assert _sink(h, "IMPLICIT_SINK") == [(None, b'{"ID":10}')]
    assert _sink(h, "EXPLICIT_SINK") == [(None, b"10")]


def test_unwrapped_single_field_table_tombstone(docs: Any) -> None:
    """"Controlling deserializing of single values": TRADES reads anonymous JSON numbers; a null value is
    a tombstone that removes the key's row."""
    h = docs()
    h.ensure_topics("trades")
    h.sql("CREATE TABLE TRADES (ID INT PRIMARY KEY, VALUE INT) WITH (WRAP_SINGLE_VALUE=false, "
          "KAFKA_TOPIC='trades', FORMAT='JSON');")  # fmt: skip
    h.sql("CREATE TABLE T2 AS SELECT * FROM TRADES;")
    _raw(h, "trades", (b"1", b"134"), (b"2", b"5"), (b"1", None))
    assert _sink(h, "T2") == [(b"1", b'{"VALUE":134}'), (b"2", b'{"VALUE":5}'), (b"1", None)]
    assert pull(h, "SELECT * FROM T2;") == [[2, 5]]


def test_wrap_single_value_system_default(docs: Any) -> None:
    """ksql.persistence.wrap.single.values=false makes unwrapped the default of the formats that support it
    (JSON); a format without unwrapping support (PROTOBUF) ignores the default
    (SerdeFeaturesFactory.getDefaultValueWrapping; before, the PROTOBUF sink was built unwrapped and its
    records could not be read back)."""
    h = docs({"ksql.persistence.wrap.single.values": "false"})
    h.ensure_topics("s")
    h.sql("CREATE STREAM S (ID INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    h.sql("CREATE STREAM P WITH (VALUE_FORMAT='PROTOBUF') AS SELECT * FROM S;")
    h.sql("CREATE STREAM J AS SELECT * FROM S;")
    _raw(h, "s", (None, b"3"))
    assert pull(h, "SELECT * FROM S;") == [[3]]
    assert _sink(h, "J") == [(None, b"3")]
    assert pull(h, "SELECT * FROM P;") == [[3]]
    assert (h.source("J").value_features, h.source("P").value_features) == (("UNWRAP_SINGLES",), ())


def test_wrap_single_value_on_keys_is_an_error(docs: Any) -> None:
    """The tip: "Explicit wrapping and unwrapping is only supported for value columns" - there is no
    key property (PropertiesConfig's check of the WITH clause)."""
    h = docs()
    h.ensure_topics("x")
    message = _error(h, "CREATE STREAM X (K INT KEY, V INT) WITH (KAFKA_TOPIC='x', FORMAT='JSON', "
                        "WRAP_SINGLE_KEY=false);")  # fmt: skip
    assert message == "Failed to prepare statement: Invalid config variable(s) in the WITH clause: WRAP_SINGLE_KEY"


@pytest.mark.parametrize(
    ("fmt", "key"),
    [
        ("JSON", b'{"K1":1,"K2":"a"}'),
        ("DELIMITED", b"1,a"),
        ("PROTOBUF_NOSR", b"\x08\x01\x12\x01a"),  # field 1 varint 1, field 2 "a"
        ("AVRO", None),
        ("PROTOBUF", None),
        ("JSON_SR", None),
    ],
)
def test_multi_column_keys_per_format(docs: Any, fmt: str, key: bytes | None) -> None:
    """The formats' "Multi-Column Keys: Yes": two key columns are one record / object / message of both
    (DELIMITED: two fields). The Schema Registry formats frame it with the id of the key schema they register
    under `<topic>-key`: AVRO's record is named after the source (AvroFormat: upper-camel name + "Key")."""
    h = docs()
    topic = fmt.lower()
    h.sql(f"CREATE STREAM S_{fmt} (K1 INT KEY, K2 STRING KEY, V INT) WITH (KAFKA_TOPIC='{topic}', PARTITIONS=1, "
          f"FORMAT='{fmt}');")  # fmt: skip
    h.sql(f"INSERT INTO S_{fmt} (K1, K2, V) VALUES (1, 'a', 2);")
    assert pull(h, f"SELECT * FROM S_{fmt};") == [[1, "a", 2]]
    (rec,) = h.records(topic)
    if key is not None:
        assert rec.key == key
        return
    registered = h.registry.latest(f"{topic}-key")
    schema_id, payload = wire.split(rec.key)
    assert schema_id == registered.schema_id
    if fmt == "AVRO":
        schema = json.loads(registered.schema.schema)
        assert (schema["namespace"], schema["name"]) == ("io.confluent.ksql.avro_schemas", "SAvroKey")
        assert fastavro.schemaless_reader(io.BytesIO(bytes(payload)), fastavro.parse_schema(schema)) == {"K1": 1, "K2": "a"}
    elif fmt == "PROTOBUF":
        assert "int32 K1 = 1;" in registered.schema.schema and "string K2 = 2;" in registered.schema.schema
        assert bytes(payload) == b"\x00\x08\x01\x12\x01a"  # message index 0, then the fields
    else:
        assert json.loads(bytes(payload)) == {"K1": 1, "K2": "a"}


def test_none_source_takes_the_default_key_format(docs: Any) -> None:
    """"NONE": a CREATE TABLE AS over a NONE-keyed source without KEY_FORMAT takes
    ksql.persistence.default.format.key."""
    h = docs({"ksql.persistence.default.format.key": "JSON"})
    h.ensure_topics("foo")
    h.sql("CREATE STREAM KEYLESS_STREAM (VAL STRING) WITH (KEY_FORMAT='NONE', VALUE_FORMAT='JSON', KAFKA_TOPIC='foo');")
    h.sql("CREATE TABLE T AS SELECT VAL, COUNT() AS C FROM KEYLESS_STREAM GROUP BY VAL;")
    _raw(h, "foo", (None, b'{"VAL": "a"}'))
    assert _key_format(h, "T") == "JSON"
    assert _sink(h, "T") == [(b'"a"', b'{"C":1}')]


def test_json_and_json_sr_are_not_byte_compatible(docs: Any) -> None:
    """"These two formats are not byte compatible (you cannot read data produced by one by the other)":
    JSON_SR bytes read as JSON fail in Jackson's UCS-4 detection (the 00 00 00 00 <id> header), plain JSON
    read as JSON_SR has no magic byte (the converter's "Unknown magic byte!"); the processing log has both."""
    h = docs(processing_log=True)
    h.ensure_topics("j", "js")
    h.sql("CREATE STREAM J (A INT) WITH (KAFKA_TOPIC='j', VALUE_FORMAT='JSON');")
    h.sql("CREATE STREAM JS (A INT) WITH (KAFKA_TOPIC='js', VALUE_FORMAT='JSON_SR');")
    h.sql("INSERT INTO JS (A) VALUES (1);")
    framed = h.records("js")[0].value
    assert framed is not None and framed[:5] == b"\x00" + h.registry.latest("js-value").schema_id.to_bytes(4, "big")
    _raw(h, "j", (None, framed))
    _raw(h, "js", (None, b'{"A": 2}'))
    h.sql("CREATE STREAM J2 AS SELECT * FROM J;")
    h.sql("CREATE STREAM JS2 AS SELECT * FROM JS;")
    h.drain()
    assert h.records("J2") == []
    assert [r.value[5:] for r in h.records("JS2") if r.value] == [b'{"A":1}']
    log = [json.loads(r.value)["message"]["deserializationError"] for r in h.records("jint_ksql_processing_log")]
    schema_id = framed[4]
    code = ((schema_id << 8 | ord("{")) - 1) << 16 | (ord('"') << 8 | ord("A"))
    assert [(e["topic"], e["errorMessage"], e["cause"]) for e in log] == [
        ("j", f"Failed to deserialize value from topic: j. Invalid UTF-32 character 0x{code:x} (above 0x0010ffff) at "
              "char #1, byte #7)", [f"Invalid UTF-32 character 0x{code:x} (above 0x0010ffff) at char #1, byte #7)"]),
        ("js", "Error deserializing message from topic: js",
         ["Failed to deserialize data for topic js to JSON: ", "Unknown magic byte!"]),
    ]  # fmt: skip


def test_kafka_does_not_coerce(docs: Any) -> None:
    """"the KAFKA format does not perform any type coercion": a 4-byte key under a BIGINT key column and an
    8-byte value under an INT column are deserialization errors (KafkaSerdeFactory's "Error deserializing
    KAFKA message" around Kafka's LongDeserializer / IntegerDeserializer size checks); the record is
    skipped."""
    h = docs(processing_log=True)
    h.ensure_topics("k")
    h.sql("CREATE STREAM K (ID BIGINT KEY, V INT) WITH (KAFKA_TOPIC='k', FORMAT='KAFKA');")
    h.sql("CREATE STREAM K2 AS SELECT * FROM K;")
    _raw(h, "k", (struct.pack(">i", 1), struct.pack(">i", 1)), (struct.pack(">q", 1), struct.pack(">q", 1)),
         (struct.pack(">q", 2), struct.pack(">i", 2)))  # fmt: skip
    assert _sink(h, "K2") == [(struct.pack(">q", 2), struct.pack(">i", 2))]
    log = [json.loads(r.value)["message"]["deserializationError"] for r in h.records("jint_ksql_processing_log")]
    assert [(e["target"], e["errorMessage"], e["cause"]) for e in log] == [
        ("key", "Error deserializing KAFKA message from topic: k", ["Size of data received by LongDeserializer is not 8"]),
        ("value", "Error deserializing KAFKA message from topic: k",
         ["Size of data received by IntegerDeserializer is not 4"]),
    ]  # fmt: skip
