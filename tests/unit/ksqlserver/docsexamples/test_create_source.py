"""docs/developer-guide/ksqldb-reference/create-stream.md and create-table.md (columns, the stream / table
summary table, source streams and tables, the WITH properties' rules and errors) and
reference/sql/data-definition.md (streams, tables, keys, headers, default values, pseudocolumns, primary
key constraints). Messages are ksqlDB 0.29's: CreateStream / CreateTable (parser), AstBuilder (header
types), CreateSourceFactory, CreateSourceProperties, TopicCreateInjector / TopicProperties,
InsertValuesExecutor, DropSourceFactory, TimestampExtractionPolicyFactory."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ksqlserver.errors import KsqlError

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


def _error(h: Docs, sql: str) -> str:
    with pytest.raises(KsqlError) as err:
        h.sql(sql)
    return _planning_cause(err.value.message, sql)


def _topic(h: Docs, name: str) -> Any:
    return h.driver.topics()[name]


def test_stream_creates_its_topic_with_partitions(docs: Any) -> None:
    """data-definition.md "Streams": s1 (k VARCHAR KEY, v1 INT, v2 VARCHAR) with partitions 3 creates topic
    s1 with 3 partitions; the key format is the default KAFKA (ksql.persistence.default.format.key) and the
    value JSON; a stream's topic has cleanup.policy delete."""
    h = docs()
    h.sql("CREATE STREAM s1 (k VARCHAR KEY, v1 INT, v2 VARCHAR) WITH (kafka_topic = 's1', partitions = 3, "
          "value_format = 'json');")  # fmt: skip
    src = h.source("S1")
    assert [c.name for c in src.schema.key] == ["K"]
    assert [c.name for c in src.schema.value_only] == ["V1", "V2"]
    assert (src.key_format, src.value_format) == ("KAFKA", "JSON")
    topic = _topic(h, "s1")
    assert (topic.partitions, topic.config["cleanup.policy"]) == (3, "delete")


def test_stream_on_existing_topic_infers_partitions(docs: Any) -> None:
    """data-definition.md: "When you create a stream on an existing topic, you don't need to declare the
    number of partitions for the topic. ksqlDB infers the partition count" (DESCRIBE EXTENDED shows it);
    create-stream.md "KAFKA_TOPIC": "The statement fails if the topic exists already with different
    partition or replica counts" (TopicCreateInjector via KafkaTopicClient.validateCreateTopic)."""
    h = docs()
    h.ensure_topics("s2", partitions=2)
    h.sql("CREATE STREAM s2 (k1 VARCHAR KEY, v1 VARCHAR) WITH (kafka_topic = 's2', value_format = 'json');")
    [described] = h.sql("DESCRIBE s2 EXTENDED;")
    assert described["sourceDescription"]["partitions"] == 2
    assert _error(h, "CREATE STREAM s3 (k1 VARCHAR KEY) WITH (kafka_topic='s2', value_format='json', "
                     "partitions=3);") == (
        "A Kafka topic with the name 's2' already exists, with different partition/replica configuration than "
        "required. KSQL expects 3 partitions (topic has 2), 1 replication factor (topic has 1)."
    )  # fmt: skip


def test_topic_must_exist_or_partitions_be_given(docs: Any) -> None:
    """create-stream.md "KAFKA_TOPIC (required)" and "PARTITIONS": without the topic and without PARTITIONS
    the statement fails (TopicCreateInjector's message, with the statement to re-run); without KAFKA_TOPIC
    it is refused (CreateSourceProperties: the required config)."""
    h = docs()
    assert _error(h, "CREATE STREAM s9 (k1 VARCHAR KEY, v1 VARCHAR) WITH (kafka_topic = 'nope', "
                     "value_format = 'json');") == (
        "Topic 'nope' does not exist. If you want to create a new topic for the stream/table please re-run the "
        "statement providing the required 'PARTITIONS' configuration in the WITH clause (and optionally "
        "'REPLICAS'). For example: CREATE STREAM S9 (K1 STRING KEY, V1 STRING) WITH (KAFKA_TOPIC='nope', "
        "KEY_FORMAT='KAFKA', PARTITIONS=2, VALUE_FORMAT='JSON');"
    )  # fmt: skip
    assert _error(h, "CREATE STREAM s10 (k1 VARCHAR KEY, v1 VARCHAR) WITH (value_format = 'json');") == (
        'Failed to prepare statement: Missing required property "KAFKA_TOPIC" which has no default value.'
    )


def test_format_excludes_key_and_value_format(docs: Any) -> None:
    """create-stream.md "FORMAT": "You can't use the FORMAT property with the KEY_FORMAT or VALUE_FORMAT
    properties"; FORMAT alone sets both (CreateSourceProperties / FormatProperties)."""
    h = docs()
    h.ensure_topics("s")
    for prop in ["KEY_FORMAT='KAFKA'", "VALUE_FORMAT='JSON'"]:
        name = prop.split("=")[0]
        assert _error(h, f"CREATE STREAM x (k VARCHAR KEY, v VARCHAR) WITH (kafka_topic='s', FORMAT='JSON', "
                         f"{prop});") == (
            f"Failed to prepare statement: Cannot supply both '{name}' and 'FORMAT' properties, as 'FORMAT' sets "
            "both key and value formats. Either use just 'FORMAT', or use 'KEY_FORMAT' and 'VALUE_FORMAT'."
        )  # fmt: skip
    h.sql("CREATE STREAM x (k VARCHAR KEY, v VARCHAR) WITH (kafka_topic='s', FORMAT='JSON');")
    assert (h.source("X").key_format, h.source("X").value_format) == ("JSON", "JSON")


def test_key_constraints_of_streams_and_tables(docs: Any) -> None:
    """data-definition.md "Keys": "Only streams can mark columns as keys ... Tables must use the PRIMARY KEY
    constraint instead"; "You must declare a PRIMARY KEY when you create a table" (CreateStream /
    CreateTable's checks in the parser, CreateSourceFactory.createTableCommand)."""
    h = docs()
    h.ensure_topics("s")
    assert _error(h, "CREATE STREAM x (k1 VARCHAR PRIMARY KEY, v1 INT) WITH (kafka_topic='s', "
                     "value_format='JSON');") == (
        "Line: 1, Col: 18: Column `K1` is a 'PRIMARY KEY' column: please use 'KEY' for streams.\n"
        "Tables have PRIMARY KEYs, which are unique and NON NULL.\n"
        "Streams have KEYs, which have no uniqueness or NON NULL constraints."
    )  # fmt: skip
    assert _error(h, "CREATE TABLE x (k1 VARCHAR KEY, v1 INT) WITH (kafka_topic='s', value_format='JSON');") == (
        "Line: 1, Col: 17: Column `K1` is a 'KEY' column: please use 'PRIMARY KEY' for tables.\n"
        "Tables have PRIMARY KEYs, which are unique and NON NULL.\n"
        "Streams have KEYs, which have no uniqueness or NON NULL constraints."
    )
    assert _error(h, "CREATE TABLE x (v1 INT) WITH (kafka_topic='s', value_format='JSON');") == (
        "Tables require a PRIMARY KEY. Please define the PRIMARY KEY."
    )
    h.sql("CREATE STREAM keyless (v1 INT) WITH (kafka_topic='s', value_format='JSON');")
    assert list(h.source("KEYLESS").schema.key) == []


def test_stream_and_table_summary(docs: Any) -> None:
    """The STREAM / TABLE summary of create-stream.md and create-table.md, on a query over each: a stream
    keeps a NULL key and repeated keys; a table drops a NULL PRIMARY KEY, replaces a row of the same key and
    deletes it on a NULL value (the table's tombstone reaches its CTAS). The summary says a stream ignores a
    NULL value; in ksqlDB 0.29 a stream's CSAS forwards it as a null value (SelectValueMapper.transform
    returns null for a null row and the sink writes it) while a push query drops it
    (TransientQueryQueue)."""
    h = docs()
    h.ensure_topics("s", "t")
    h.sql("CREATE STREAM S (K VARCHAR KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    h.sql("CREATE TABLE T (K VARCHAR PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');")
    h.sql("CREATE STREAM S_OUT AS SELECT * FROM S;")
    h.sql("CREATE TABLE T_OUT AS SELECT * FROM T;")
    for i, (topic, key, value) in enumerate([
        ("s", None, {"V": 1}), ("s", "a", None), ("s", "a", {"V": 2}), ("s", "a", {"V": 3}),
        ("t", None, {"V": 1}), ("t", "a", {"V": 1}), ("t", "a", {"V": 2}), ("t", "b", {"V": 3}), ("t", "b", None),
    ]):  # fmt: skip
        h.produce(topic, key, value, 1000 + i)
    h.drain()
    assert [(k, v) for k, v, _ in h.stamped("S_OUT")] == [
        (None, {"V": 1}), ("a", None), ("a", {"V": 2}), ("a", {"V": 3})
    ]  # fmt: skip
    assert h.push("SELECT * FROM S EMIT CHANGES;") == [[None, 1], ["a", 2], ["a", 3]]
    assert [(k, v) for k, v, _ in h.stamped("T_OUT")] == [
        ("a", {"V": 1}), ("a", {"V": 2}), ("b", {"V": 3}), ("b", None)
    ]  # fmt: skip
    assert pull(h, "SELECT * FROM T_OUT;") == [["a", 2]]


def test_default_values_and_pseudocolumns(docs: Any) -> None:
    """data-definition.md "Default values": a declared column the record lacks is null; "Pseudocolumns":
    `*` leaves them out, they are selected explicitly (ROWTIME, ROWPARTITION, ROWOFFSET)."""
    h = docs()
    h.ensure_topics("s")
    h.sql("CREATE STREAM S (K VARCHAR KEY, V1 INT, V2 VARCHAR) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    h.produce("s", "a", {"V1": 1}, 1000)
    h.produce("s", "b", {}, 2000)
    h.drain()
    assert h.push("SELECT * FROM S EMIT CHANGES;") == [["a", 1, None], ["b", None, None]]
    assert h.push("SELECT ROWTIME, ROWPARTITION, ROWOFFSET, * FROM S EMIT CHANGES;") == [
        [1000, 0, 0, "a", 1, None], [2000, 0, 1, "b", None, None]
    ]  # fmt: skip


def test_headers(docs: Any) -> None:
    """data-definition.md "Headers": HEADERS must be ARRAY<STRUCT<key STRING, value BYTES>> and HEADER('k')
    BYTES (AstBuilder); a query over a header column makes a value column (s5); INSERT VALUES into a header
    column fails (InsertValuesExecutor). The page's `CREATE STREAM s5 AS SELECT FROM_BYTES(h1, 'ascii') AS
    decoded FROM s4` leaves out s4's key column K1, which a stream query must project
    (PlanNode.throwKeysNotIncludedError): with K1 it makes K1 KEY, DECODED."""
    h = docs()
    h.ensure_topics("s3", "s4")
    h.sql("CREATE STREAM s3 (k1 VARCHAR KEY, v1 VARCHAR, h1 ARRAY<STRUCT<key STRING, value BYTES>> HEADERS) "
          "WITH (kafka_topic = 's3', value_format = 'json');")  # fmt: skip
    h.sql("CREATE STREAM s4 (k1 VARCHAR KEY, v1 VARCHAR, h1 BYTES HEADER('abc')) "
          "WITH (kafka_topic = 's4', value_format = 'json');")  # fmt: skip
    assert _error(h, "CREATE STREAM x (k1 VARCHAR KEY, h1 INT HEADER('abc')) WITH (kafka_topic='s4', "
                     "value_format='json');") == (
        "Failed to prepare statement: Invalid type for HEADER('abc') column: expected BYTES, got INTEGER"
    )  # fmt: skip
    assert _error(h, "CREATE STREAM x (k1 VARCHAR KEY, h1 INT HEADERS) WITH (kafka_topic='s4', "
                     "value_format='json');") == (
        "Failed to prepare statement: Invalid type for HEADERS column: expected "
        "ARRAY<STRUCT<`KEY` STRING, `VALUE` BYTES>>, got INTEGER"
    )  # fmt: skip
    assert _error(h, "CREATE STREAM s5 AS SELECT FROM_BYTES(h1, 'ascii') AS decoded FROM s4;") == (
        "Key missing from projection (ie, SELECT). \n"
        "The query used to build `S5` must include the key column K1 in its projection (eg, SELECT K1...)."
    )
    h.sql("CREATE STREAM s5 AS SELECT k1, FROM_BYTES(h1, 'ascii') AS decoded FROM s4;")
    schema = h.source("S5").schema
    assert [(c.name, str(c.type)) for c in schema.columns] == [("K1", "STRING"), ("DECODED", "STRING")]
    assert _error(h, "INSERT INTO s4 VALUES ('abc', 'def', ARRAY[]);") == "Cannot insert into HEADER columns: H1"
    h.sql("INSERT INTO s4 (k1, v1) VALUES ('abc', 'def');")
    h.drain()
    assert [(k, v) for k, v, _ in h.stamped("S5")] == [("abc", {"DECODED": None})]


def test_if_not_exists(docs: Any) -> None:
    """create-stream.md / create-table.md: with IF NOT EXISTS an existing name is no failure; the engine's
    answer names it (DdlCommandExec's "Cannot add stream S: A stream with the same name already exists.");
    without, the name is refused (CreateSourceFactory)."""
    h = docs()
    h.ensure_topics("s", "t")
    h.sql("CREATE STREAM S (K VARCHAR KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    h.sql("CREATE TABLE T (K VARCHAR PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');")
    [status] = h.sql("CREATE STREAM IF NOT EXISTS S (K VARCHAR KEY) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    assert status["commandStatus"]["message"] == "Cannot add stream S: A stream with the same name already exists."
    [status] = h.sql("CREATE TABLE IF NOT EXISTS T (K VARCHAR PRIMARY KEY) WITH (KAFKA_TOPIC='t', "
                     "VALUE_FORMAT='JSON');")  # fmt: skip
    assert status["commandStatus"]["message"] == "Cannot add table T: A table with the same name already exists."
    assert _error(h, "CREATE TABLE S (K VARCHAR PRIMARY KEY) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');") == (
        "Cannot add table 'S': A stream with the same name already exists"
    )


def test_source_streams_and_tables(docs: Any) -> None:
    """create-stream.md "Source streams": INSERT is refused on a SOURCE stream, and so is DELETE TOPIC
    (DropSourceFactory), and a pull query (only source tables are materialized). The page says DROP STREAM
    is not permitted either; ksqlDB 0.29's DropSourceFactory refuses only DELETE TOPIC and drops the source.
    A SOURCE table runs a query that materializes it (CST_ id, QueryIdUtil) for pull queries; CREATE OR
    REPLACE is not supported on either (CreateSourceFactory)."""
    h = docs()
    h.ensure_topics("s", "t")
    h.sql("CREATE SOURCE STREAM SS (K VARCHAR KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    [status] = h.sql("CREATE SOURCE TABLE ST (K VARCHAR PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='t', "
                     "VALUE_FORMAT='JSON');")  # fmt: skip
    assert status["commandStatus"]["queryId"] == "CST_ST_0"
    assert _error(h, "INSERT INTO SS VALUES ('a', 1);") == "Cannot insert values into read-only stream: SS"
    assert _error(h, "INSERT INTO ST VALUES ('a', 1);") == "Cannot insert values into read-only table: ST"
    assert _error(h, "CREATE OR REPLACE SOURCE STREAM SS (K VARCHAR KEY, V INT) WITH (KAFKA_TOPIC='s', "
                     "VALUE_FORMAT='JSON');") == (
        "Cannot add stream 'SS': CREATE OR REPLACE is not supported on source streams."
    )  # fmt: skip
    h.produce("t", "a", {"V": 1}, 1000)
    assert pull(h, "SELECT * FROM ST;") == [["a", 1]]
    assert _error(h, "DROP STREAM SS DELETE TOPIC;") == "Cannot delete topic for read-only source: SS"
    [status] = h.sql("DROP STREAM SS;")
    assert status["commandStatus"]["message"] == "Source `SS` (topic: s) was dropped."


def test_timestamp_properties(docs: Any) -> None:
    """create-stream.md "TIMESTAMP" / "TIMESTAMP_FORMAT": a VARCHAR timestamp column needs a format, and a
    format needs a VARCHAR column (TimestampExtractionPolicyFactory); a BIGINT column sets ROWTIME."""
    h = docs()
    h.ensure_topics("s")
    assert _error(h, "CREATE STREAM x (k VARCHAR KEY, t VARCHAR) WITH (kafka_topic='s', value_format='JSON', "
                     "timestamp='t');") == (
        "A String timestamp field has been specified without also specifying the timestamp_format"
    )  # fmt: skip
    assert _error(h, "CREATE STREAM x (k VARCHAR KEY, t INT) WITH (kafka_topic='s', value_format='JSON', "
                     "timestamp='t', timestamp_format='yyyy');") == (
        "'TIMESTAMP_FORMAT' set in the WITH clause can only be used when the timestamp column is of type STRING."
    )  # fmt: skip
    h.sql("CREATE STREAM x (k VARCHAR KEY, t BIGINT) WITH (kafka_topic='s', value_format='JSON', timestamp='t');")
    h.sql("CREATE STREAM y (k VARCHAR KEY, t VARCHAR) WITH (kafka_topic='s', value_format='JSON', "
          "timestamp='t', timestamp_format='yyyy-MM-dd''T''HH:mm:ssX');")  # fmt: skip
    h.produce("s", "a", {"T": 5000}, 1000)
    h.produce("s", "b", {"T": "1970-01-01T00:00:07Z"}, 1000)
    h.drain()
    assert h.push("SELECT ROWTIME, K FROM x EMIT CHANGES;")[0] == [5000, "a"]
    assert h.push("SELECT ROWTIME, K FROM y EMIT CHANGES;")[-1] == [7000, "b"]


def test_wrap_single_value_needs_one_column(docs: Any) -> None:
    """create-stream.md "WRAP_SINGLE_VALUE": supplying it "when the value schema has multiple columns,
    causes an error" (CreateSourceFactory / SerdeFeaturesFactory)."""
    h = docs()
    h.ensure_topics("s")
    assert _error(h, "CREATE STREAM x (k VARCHAR KEY, v1 VARCHAR, v2 INT) WITH (kafka_topic='s', "
                     "value_format='JSON', wrap_single_value=false);") == (
        "'WRAP_SINGLE_VALUE' is only valid for single-field value schemas"
    )  # fmt: skip
