"""docs/operate-and-deploy/schema-registry-integration.md and schema-inference-with-id.md over the in-memory
Schema Registry: columns inferred from the latest `<topic>-value` / `<topic>-key` schema or from
KEY_SCHEMA_ID / VALUE_SCHEMA_ID (upper-cased names without an id, the physical names with one), partial
inference, ROWKEY / ROWVAL for unwrapped schemas, the subjects derived views register, the compatibility
check of a CREATE AS SELECT with a schema id, serialization with the physical schema, and the errors
(DefaultSchemaInjector, SchemaRegistryTopicSchemaSupplier, SchemaRegisterInjector, InsertValuesExecutor,
KsqlConnectSerializer). DESCRIBE is rendered as the CLI prints it (Console's source description)."""

from __future__ import annotations

import io
import json
from typing import Any

import fastavro
import pytest

from ksqlserver.console.render import source_description
from ksqlserver.drivers.base import Record
from ksqlserver.errors import KsqlError
from ksqlserver.formats.sr import wire
from ksqlserver.formats.sr.client import AVRO, JSON, RegisteredSchema

from .conftest import Docs, pull

PAGE_VIEW = {
    "type": "record", "name": "PageViewValueSchema", "namespace": "io.confluent.ksql.avro_schemas",
    "fields": [{"name": "page_name", "type": "string", "default": "abc"},
               {"name": "ts", "type": "int", "default": 123}],
}  # fmt: skip
PAGE_VIEW_REQUIRED = {
    "type": "record", "name": "PageViewValueSchema", "namespace": "io.confluent.ksql.avro_schemas",
    "fields": [{"name": "page_name", "type": "string"}, {"name": "ts", "type": "int"}],
}  # fmt: skip
NEW_COMPATIBLE = {
    "type": "record", "name": "PageViewNewSchema", "namespace": "io.confluent.ksql.avro_schemas",
    "fields": [{"name": "ts", "type": "int", "default": 123},
               {"name": "title", "type": "string", "default": "title"}],
}  # fmt: skip
NEW_INCOMPATIBLE = {
    "type": "record", "name": "PageViewNewSchema", "namespace": "io.confluent.ksql.avro_schemas",
    "fields": [{"name": "pageId", "type": "string", "default": "id"},
               {"name": "ts", "type": "int", "default": 123}],
}  # fmt: skip


def _register(h: Docs, subject: str, schema: Any, kind: str = AVRO) -> int:
    return h.registry.register(subject, RegisteredSchema(kind, json.dumps(schema)))


def _error(h: Docs, sql: str) -> str:
    with pytest.raises(KsqlError) as info:
        h.sql(sql)
    return info.value.message


def _describe(h: Docs, name: str) -> list[str]:
    """The CLI's `describe <name>;` lines (trailing blanks dropped)."""
    entity = h.sql(f"DESCRIBE {name};")[0]["sourceDescription"]
    return [line.rstrip() for line in source_description(entity, 80)]


def _columns(h: Docs, name: str) -> list[tuple[str, str]]:
    return [(c.name, str(c.type)) for c in h.source(name).schema.columns]


def _avro_value(h: Docs, data: bytes) -> Any:
    schema_id, payload = wire.split(data)
    parsed = fastavro.parse_schema(json.loads(h.registry.schema_by_id(schema_id).schema))
    return schema_id, fastavro.schemaless_reader(io.BytesIO(bytes(payload)), parsed)


# ---- schema-registry-integration.md ---------------------------------------------------------------------


def test_stream_without_a_key_column(docs: Any) -> None:
    """"Without a key column": the value columns come from the latest schema of
    `pageviews-avro-topic-value`; before it is registered the statement fails with
    SchemaRegistryTopicSchemaSupplier's "does not exist" message."""
    h = docs()
    h.ensure_topics("pageviews-avro-topic")
    sql = "CREATE STREAM pageviews WITH (KAFKA_TOPIC='pageviews-avro-topic', VALUE_FORMAT='AVRO');"
    assert _error(h, sql).startswith(
        "Schema for message values on topic 'pageviews-avro-topic' does not exist in the Schema Registry.\n"
        "Subject: pageviews-avro-topic-value\nPossible causes include:\n- The topic itself does not exist\n"
    )
    _register(h, "pageviews-avro-topic-value", PAGE_VIEW)
    h.sql(sql)
    assert _columns(h, "PAGEVIEWS") == [("PAGE_NAME", "STRING"), ("TS", "INTEGER")]


def test_stream_with_key_and_value_inference(docs: Any) -> None:
    """"With a key column": KEY_FORMAT='AVRO' infers the key from `<topic>-key` too; a single key schema is
    read unwrapped (DefaultSchemaInjector.getKeySchema: buildKeyFeatures(format, true)), so a record key is
    one ROWKEY STRUCT column (its field names upper-cased too: ConnectKsqlSchemaTranslator) and a
    primitive key one ROWKEY column."""
    h = docs()
    h.ensure_topics("pageviews-avro-topic", "k")
    _register(h, "pageviews-avro-topic-value", PAGE_VIEW)
    _register(h, "pageviews-avro-topic-key", {"type": "record", "name": "K", "fields": [{"name": "id", "type": "int"}]})
    h.sql("CREATE STREAM pageviews WITH (KAFKA_TOPIC='pageviews-avro-topic', KEY_FORMAT='AVRO', VALUE_FORMAT='AVRO');")
    assert _columns(h, "PAGEVIEWS") == [("ROWKEY", "STRUCT<`ID` INTEGER>"), ("PAGE_NAME", "STRING"), ("TS", "INTEGER")]
    _register(h, "k-key", "string")
    _register(h, "k-value", PAGE_VIEW)
    h.sql("CREATE STREAM K WITH (KAFKA_TOPIC='k', FORMAT='AVRO');")
    assert _columns(h, "K")[0] == ("ROWKEY", "STRING")


def test_partial_schema_inference(docs: Any) -> None:
    """"With partial schema inference" (stream and table): the KAFKA key column is declared, the values are
    inferred. "With key and value schema inference" for the users table declares its PRIMARY KEY, so only
    the values are inferred (DefaultSchemaInjector.hasKeyElements) and the existing key subject is left
    alone (SchemaRegisterInjector registers a CREATE source's schemas only where none exists)."""
    h = docs()
    h.ensure_topics("pageviews-avro-topic", "users-avro-topic")
    _register(h, "pageviews-avro-topic-value", PAGE_VIEW)
    user_key = _register(h, "users-avro-topic-key", {"type": "record", "name": "UK",
                                                     "fields": [{"name": "uid", "type": "long"}]})  # fmt: skip
    _register(h, "users-avro-topic-value", {"type": "record", "name": "U", "fields": [{"name": "name", "type": "string"}]})
    h.sql("CREATE STREAM pageviews (pageId INT KEY) WITH (KAFKA_TOPIC='pageviews-avro-topic', KEY_FORMAT='KAFKA', "
          "VALUE_FORMAT='AVRO');")  # fmt: skip
    h.sql("CREATE TABLE users (userId BIGINT PRIMARY KEY) WITH (KAFKA_TOPIC='users-avro-topic', KEY_FORMAT='AVRO', "
          "VALUE_FORMAT='AVRO');")  # fmt: skip
    h.sql("CREATE TABLE users2 (userId BIGINT PRIMARY KEY) WITH (KAFKA_TOPIC='users-avro-topic', KEY_FORMAT='KAFKA', "
          "VALUE_FORMAT='AVRO');")  # fmt: skip
    assert _columns(h, "PAGEVIEWS") == [("PAGEID", "INTEGER"), ("PAGE_NAME", "STRING"), ("TS", "INTEGER")]
    assert _columns(h, "USERS") == _columns(h, "USERS2") == [("USERID", "BIGINT"), ("NAME", "STRING")]
    assert h.registry.latest("users-avro-topic-key").schema_id == user_key
    assert _describe(h, "pageviews")[:6] == [
        "Name                 : PAGEVIEWS",
        " Field     | Type",
        "------------------------------------",
        " PAGEID    | INTEGER          (key)",
        " PAGE_NAME | VARCHAR(STRING)",
        " TS        | INTEGER",
    ]


def test_selected_columns(docs: Any) -> None:
    """"Create a new source with selected columns": pageviews_reduced declares VIEWTIME and URL and reads
    just those fields of the Avro records."""
    h = docs()
    h.ensure_topics("pageviews-avro-topic")
    schema = {"type": "record", "name": "PV", "fields": [
        {"name": "viewtime", "type": "long"}, {"name": "userid", "type": "string"}, {"name": "url", "type": "string"}]}
    h.sql("CREATE STREAM pageviews_reduced (viewtime BIGINT, url VARCHAR) WITH (KAFKA_TOPIC='pageviews-avro-topic', "
          "VALUE_FORMAT='AVRO');")  # fmt: skip
    out = io.BytesIO()
    fastavro.schemaless_writer(out, fastavro.parse_schema(schema), {"viewtime": 5, "userid": "u", "url": "/a"})
    h.driver.produce("pageviews-avro-topic", [Record(None, wire.frame(_register(h, "x", schema), out.getvalue()), 1)])
    assert pull(h, "SELECT * FROM pageviews_reduced;") == [[5, "/a"]]


def test_derived_views_register_their_schemas(docs: Any) -> None:
    """"Declaring a derived view" and "Converting formats": PAGEVIEWS_BY_URL-value and PAGEVIEWS_AVRO-value
    hold KsqlDataSourceSchema records of the projection (optional fields, default null)."""
    h = docs()
    h.ensure_topics("pageviews-avro-topic", "pageviews_kafka_topic_json")
    _register(h, "pageviews-avro-topic-value", {"type": "record", "name": "PV", "fields": [
        {"name": "viewtime", "type": "long"}, {"name": "url", "type": "string"}]})  # fmt: skip
    h.sql("CREATE STREAM pageviews WITH (KAFKA_TOPIC='pageviews-avro-topic', VALUE_FORMAT='AVRO');")
    h.sql("CREATE TABLE pageviews_by_url WITH (VALUE_FORMAT='AVRO') AS SELECT url, COUNT(*) AS VIEW_COUNT "
          "FROM pageviews GROUP BY url;")  # fmt: skip
    h.sql("CREATE STREAM pageviews_json (pageid VARCHAR KEY, viewtime BIGINT, userid VARCHAR) WITH ("
          "KAFKA_TOPIC='pageviews_kafka_topic_json', VALUE_FORMAT='JSON');")  # fmt: skip
    h.sql("CREATE STREAM pageviews_avro WITH (VALUE_FORMAT = 'AVRO') AS SELECT * FROM pageviews_json;")

    def fields(subject: str) -> list[tuple[str, Any]]:
        schema = json.loads(h.registry.latest(subject).schema.schema)
        assert (schema["namespace"], schema["name"]) == ("io.confluent.ksql.avro_schemas", "KsqlDataSourceSchema")
        return [(f["name"], f["type"]) for f in schema["fields"]]

    assert fields("PAGEVIEWS_BY_URL-value") == [("VIEW_COUNT", ["null", "long"])]
    assert fields("PAGEVIEWS_AVRO-value") == [("VIEWTIME", ["null", "long"]), ("USERID", ["null", "string"])]
    assert "PAGEVIEWS_JSON-value" not in h.registry.subjects()
    h.driver.produce("pageviews_kafka_topic_json", [Record(b"p1", b'{"VIEWTIME": 7, "USERID": "u"}', 1)])
    h.drain()
    (rec,) = h.records("PAGEVIEWS_AVRO")
    assert rec.key == b"p1"
    assert _avro_value(h, rec.value)[1] == {"VIEWTIME": 7, "USERID": "u"}


def test_plain_json_does_not_infer(docs: Any) -> None:
    """The note says the JSON format can read schemas from Schema Registry; ksqlDB 0.29's JsonFormat has
    no SCHEMA_INFERENCE feature (only JSON_SR has), so the source wins: a JSON source without columns is
    CreateSourceFactory's "does not define any columns"."""
    h = docs()
    h.ensure_topics("t")
    _register(h, "t-value", {"type": "object", "properties": {"a": {"type": "string"}}}, JSON)
    assert _error(h, "CREATE STREAM S WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');") == (
        "The statement does not define any columns."
    )
    h.sql("CREATE STREAM S WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON_SR');")
    assert _columns(h, "S") == [("A", "STRING")]


def test_inferred_unwrapped_value_is_rowval(docs: Any) -> None:
    """"Schema inference schema requirements": with WRAP_SINGLE_VALUE=false the primitive schema "int" of
    `pageview_count-value` is one ROWVAL INTEGER column (the DESCRIBE the page shows)."""
    h = docs()
    h.ensure_topics("pageview-count")
    _register(h, "pageview-count-value", "int")
    h.sql("CREATE TABLE pageview_count (pageId INT PRIMARY KEY) WITH (KAFKA_TOPIC='pageview-count', "
          "KEY_FORMAT='KAFKA', VALUE_FORMAT='AVRO', WRAP_SINGLE_VALUE=false, PARTITIONS=1);")  # fmt: skip
    assert _describe(h, "pageview_count")[:5] == [
        "Name                 : PAGEVIEW_COUNT",
        " Field  | Type",
        "-----------------------------------------",
        " PAGEID | INTEGER          (primary key)",
        " ROWVAL | INTEGER",
    ]


def test_json_sr_maps_need_connect_type(docs: Any) -> None:
    """serialization.md, "Defining schemas for Schema Registry": an object with additionalProperties is a
    STRUCT with no fields in JSON_SR unless it says "connect.type": "map" (then a MAP<STRING, ...>; a JSON
    schema "integer" is Connect's INT64, a BIGINT - the page's "int" is no JSON schema type)."""
    h = docs()
    h.ensure_topics("j1", "j2")
    props = {"type": "object", "additionalProperties": {"type": "integer"}}
    _register(h, "j1-value", {"type": "object", "properties": {"metadata": props}}, JSON)
    _register(h, "j2-value", {"type": "object", "properties": {"metadata": {"connect.type": "map", **props}}}, JSON)
    h.sql("CREATE STREAM J1 WITH (KAFKA_TOPIC='j1', VALUE_FORMAT='JSON_SR');")
    h.sql("CREATE STREAM J2 WITH (KAFKA_TOPIC='j2', VALUE_FORMAT='JSON_SR');")
    assert _columns(h, "J1") == [("METADATA", "STRUCT< >")]
    assert _columns(h, "J2") == [("METADATA", "MAP<STRING, BIGINT>")]


def test_recursive_avro_schema_is_refused(docs: Any) -> None:
    """serialization.md's note: no stream or table from a topic with a recursive Avro schema
    (SchemaRegistryTopicSchemaSupplier's "Unable to verify" with AvroData's reason)."""
    h = docs()
    h.ensure_topics("r")
    _register(h, "r-value", {"type": "record", "name": "Node", "fields": [
        {"name": "v", "type": "int"}, {"name": "next", "type": ["null", "Node"]}]})  # fmt: skip
    message = _error(h, "CREATE STREAM R WITH (KAFKA_TOPIC='r', VALUE_FORMAT='AVRO');")
    assert message.startswith("Unable to verify if the value schema for topic: r is compatible with ksqlDB.\n"
                              "Reason: Recursive Avro schemas are not supported: Node\n")  # fmt: skip


# ---- schema-inference-with-id.md ------------------------------------------------------------------------


def test_value_schema_id_keeps_physical_names(docs: Any) -> None:
    """"Schema inference schema requirements": VALUE_SCHEMA_ID=1 gives page_name and ts as the schema
    spells them (not upper-cased), the DESCRIBE the page shows; the physical schema is registered under
    `pageviews-avro-topic-value` with the same id."""
    h = docs()
    schema_id = _register(h, "anything", PAGE_VIEW)
    h.ensure_topics("pageviews-avro-topic")
    h.sql(f"CREATE STREAM pageviews (pageId INT KEY) WITH (KAFKA_TOPIC='pageviews-avro-topic', KEY_FORMAT='KAFKA', "
          f"VALUE_FORMAT='AVRO', VALUE_SCHEMA_ID={schema_id}, PARTITIONS=1);")  # fmt: skip
    assert _describe(h, "pageviews")[:6] == [
        "Name                 : PAGEVIEWS",
        " Field     | Type",
        "------------------------------------",
        " PAGEID    | INTEGER          (key)",
        " page_name | VARCHAR(STRING)",
        " ts        | INTEGER",
    ]
    assert h.registry.latest("pageviews-avro-topic-value").schema_id == schema_id


def test_key_and_value_schema_ids(docs: Any) -> None:
    """"With a key column": KEY_SCHEMA_ID and VALUE_SCHEMA_ID infer both (an unwrapped single key is
    ROWKEY); "Without a key column": VALUE_SCHEMA_ID alone; with WRAP_SINGLE_VALUE=false an "int" schema
    is ROWVAL."""
    h = docs()
    key_id = _register(h, "k", "string")
    value_id = _register(h, "v", PAGE_VIEW)
    int_id = _register(h, "i", "int")
    h.ensure_topics("pageviews-avro-topic", "pageview-count")
    h.sql(f"CREATE STREAM pv1 WITH (KAFKA_TOPIC='pageviews-avro-topic', VALUE_FORMAT='AVRO', "
          f"VALUE_SCHEMA_ID={value_id});")  # fmt: skip
    h.sql(f"CREATE STREAM pv2 WITH (KAFKA_TOPIC='pageviews-avro-topic', KEY_FORMAT='AVRO', VALUE_FORMAT='AVRO', "
          f"KEY_SCHEMA_ID={key_id}, VALUE_SCHEMA_ID={value_id});")  # fmt: skip
    h.sql(f"CREATE TABLE pageview_count (pageId INT PRIMARY KEY) WITH (KAFKA_TOPIC='pageview-count', "
          f"KEY_FORMAT='KAFKA', VALUE_FORMAT='AVRO', VALUE_SCHEMA_ID={int_id}, WRAP_SINGLE_VALUE=false, "
          f"PARTITIONS=1);")  # fmt: skip
    assert _columns(h, "PV1") == [("page_name", "STRING"), ("ts", "INTEGER")]
    assert _columns(h, "PV2") == [("ROWKEY", "STRING"), ("page_name", "STRING"), ("ts", "INTEGER")]
    assert _columns(h, "PAGEVIEW_COUNT") == [("PAGEID", "INTEGER"), ("ROWVAL", "INTEGER")]


def test_schema_id_errors(docs: Any) -> None:
    """The "important" notes: the schema must exist and match the format; no columns may be declared for
    a part with a schema id (DefaultSchemaInjector, SchemaRegistryTopicSchemaSupplier)."""
    h = docs()
    avro_id = _register(h, "a", PAGE_VIEW)
    h.ensure_topics("t")
    assert _error(h, f"CREATE STREAM s (pageId INT KEY, x INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='AVRO', "
                     f"VALUE_SCHEMA_ID={avro_id});") == (
        "Table elements and VALUE_SCHEMA_ID cannot both exist for create statement."
    )  # fmt: skip
    assert _error(h, "CREATE STREAM s WITH (KAFKA_TOPIC='t', VALUE_FORMAT='AVRO', VALUE_SCHEMA_ID=99);").startswith(
        "Schema for message values on topic 't' does not exist in the Schema Registry.\nSubject: t-value\n"
        "Schema Id: 99\n"
    )
    assert _error(h, f"CREATE STREAM s WITH (KAFKA_TOPIC='t', VALUE_FORMAT='PROTOBUF', "
                     f"VALUE_SCHEMA_ID={avro_id});") == (
        "Value schema is not in the expected format. You may want to set VALUE_FORMAT to 'AVRO'.\n"
        f"topic: t, schema id: {avro_id}\nexpected format: PROTOBUF\nactual format from Schema Registry: AVRO"
    )  # fmt: skip
    assert _error(h, f"CREATE STREAM s WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', VALUE_SCHEMA_ID={avro_id});") == (
        "VALUE_FORMAT should support schema inference when VALUE_SCHEMA_ID is provided. Current format is JSON."
    )
    assert _error(h, f"CREATE STREAM s WITH (KAFKA_TOPIC='t', KEY_FORMAT='KAFKA', VALUE_FORMAT='AVRO', "
                     f"KEY_SCHEMA_ID={avro_id});") == (
        "KEY_FORMAT should support schema inference when KEY_SCHEMA_ID is provided. Current format is KAFKA."
    )  # fmt: skip


def test_derived_view_with_schema_id(docs: Any) -> None:
    """"Schema Compatibility Check for Derived View": the compatible schema (ts, then the extra title)
    serializes the projection with title's default "title"; the other one fails DefaultSchemaInjector's
    check. The page selects `ts` from a stream whose columns came from a schema id, so they keep the
    physical lower-case name and are quoted here. The page calls the failure a type mismatch on pageId;
    in 0.29's checkColumnsCompatibility (the source wins) pageId is a key column, so the value column
    `ts` at index 0 is what the registry's columns lack."""
    h = docs()
    source_id = _register(h, "s", PAGE_VIEW)
    ok_id = _register(h, "ok", NEW_COMPATIBLE)
    bad_id = _register(h, "bad", NEW_INCOMPATIBLE)
    h.ensure_topics("pageviews-avro-topic")
    h.sql(f"CREATE STREAM pageviews (pageId INT KEY) WITH (KAFKA_TOPIC='pageviews-avro-topic', KEY_FORMAT='KAFKA', "
          f"VALUE_FORMAT='AVRO', VALUE_SCHEMA_ID={source_id}, PARTITIONS=1);")  # fmt: skip
    h.sql(f"CREATE STREAM pageviews_new WITH (VALUE_FORMAT='AVRO', VALUE_SCHEMA_ID={ok_id}) AS SELECT pageId, \"ts\" "
          "FROM pageviews;")  # fmt: skip
    assert h.registry.latest("PAGEVIEWS_NEW-value").schema_id == ok_id
    assert _error(h, f"CREATE STREAM pageviews_bad WITH (VALUE_FORMAT='AVRO', VALUE_SCHEMA_ID={bad_id}) AS "
                     "SELECT pageId, \"ts\" FROM pageviews;") == (
        "The following value columns are changed, missing or reordered: [`ts` INTEGER]. Schema from schema "
        "registry is [`pageId` STRING, `ts` INTEGER]"
    )  # fmt: skip
    h.sql("INSERT INTO pageviews VALUES (1, 'home', 5);")
    h.drain()
    (rec,) = h.records("PAGEVIEWS_NEW")
    assert _avro_value(h, rec.value) == (ok_id, {"ts": 5, "title": "title"})


def test_insert_null_into_required_fields(docs: Any) -> None:
    """"Data Serialization": a physical schema with required page_name and ts cannot serialize nulls. The
    page's message is an older version's; 0.29's InsertValuesExecutor.serializeValue ("Could not serialize
    value" + the cause's message, no separator) around KsqlConnectSerializer's "Error serializing message to
    topic" and its hint is what the source says (the source wins)."""
    h = docs()
    schema_id = _register(h, "s", PAGE_VIEW_REQUIRED)
    h.ensure_topics("pageviews-avro-topic")
    h.sql(f"CREATE STREAM pageviews (pageId INT KEY) WITH (KAFKA_TOPIC='pageviews-avro-topic', KEY_FORMAT='KAFKA', "
          f"VALUE_FORMAT='AVRO', VALUE_SCHEMA_ID={schema_id}, PARTITIONS=1);")  # fmt: skip
    assert _error(h, "insert into pageviews values (1, null, null);") == (
        "Failed to insert values into 'PAGEVIEWS'. Could not serialize valueError serializing message to topic: "
        'pageviews-avro-topic. Invalid value: null used for required field: "page_name", schema type: STRING\n'
        "Hint: You probably forgot to add VALUE_SCHEMA_ID when creating the source."
    )
    h.sql("insert into pageviews values (1, 'home', 5);")
    (rec,) = h.records("pageviews-avro-topic")
    assert _avro_value(h, rec.value) == (schema_id, {"page_name": "home", "ts": 5})
