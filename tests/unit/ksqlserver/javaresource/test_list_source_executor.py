"""Port of ksqlDB 0.29 `io.confluent.ksql.rest.server.execution.ListSourceExecutorTest` (SHOW/LIST/DESCRIBE
of sources), over /ksql. `TemporaryEngine.givenSource` makes a source on a one-partition topic named after
it; a source made "with references" is a CREATE ... AS SELECT here. Skipped: shouldNotCallTopicClientFor...
(a spy on the topic client)."""

from __future__ import annotations

from typing import Any

import pytest


def _given(res: Any, kind: str, name: str, reads: str | None = None) -> None:
    """TemporaryEngine.givenSource: a source on a topic of its own name (1 partition, RF 1)."""
    if reads is not None:
        res.ok(f"CREATE {kind} {name} AS SELECT * FROM {reads};")
        return
    res.driver.create_topic(name.strip('"'), 1, 1)
    key = "PRIMARY KEY" if kind == "TABLE" else "KEY"
    res.ok(
        f"CREATE {kind} {name} (ID STRING {key}, VAL STRING) "
        f"WITH (kafka_topic='{name.strip(chr(34))}', value_format='json');"
    )


@pytest.fixture()
def empty(make_resource: Any) -> Any:
    return make_resource(sources=False)


def test_should_show_streams(empty: Any) -> None:
    """ListSourceExecutorTest.shouldShowStreams: SourceInfo.Stream(name, topic, key/value format, windowed)"""
    _given(empty, "STREAM", "stream1")
    _given(empty, "STREAM", "stream2")
    _given(empty, "TABLE", "a_table")  # the Java test's "table" is a reserved word in SQL
    streams = empty.one("SHOW STREAMS;")["streams"]
    assert streams == [
        {"type": "STREAM", "name": n, "topic": t, "keyFormat": "KAFKA", "valueFormat": "JSON", "isWindowed": False}
        for n, t in (("STREAM1", "stream1"), ("STREAM2", "stream2"))
    ]


def test_should_show_tables(empty: Any) -> None:
    """ListSourceExecutorTest.shouldShowTables"""
    _given(empty, "TABLE", "table1")
    _given(empty, "TABLE", "table2")
    _given(empty, "STREAM", "a_stream")
    tables = empty.one("LIST TABLES;")["tables"]
    assert tables == [
        {"type": "TABLE", "name": n, "topic": t, "keyFormat": "KAFKA", "valueFormat": "JSON", "isWindowed": False}
        for n, t in (("TABLE1", "table1"), ("TABLE2", "table2"))
    ]


@pytest.mark.parametrize(
    ("kind", "sql", "extended"),
    [
        ("STREAM", "SHOW STREAMS EXTENDED;", True),
        ("STREAM", "DESCRIBE STREAMS;", False),
        ("TABLE", "LIST TABLES EXTENDED;", True),
        ("TABLE", "DESCRIBE TABLES;", False),
    ],
)
def test_should_list_source_descriptions(empty: Any, kind: str, sql: str, extended: bool) -> None:
    """ListSourceExecutorTest.shouldShowStreamsExtended / shouldDescribeStreams / shouldShowTablesExtended /
    shouldDescribeTables: the source read by another lists it in sourceConstraints; both topics described
    (one partition, replication 1)"""
    other = "a_stream" if kind == "TABLE" else "a_table"
    _given(empty, kind, f"{kind.lower()}1")
    _given(empty, kind, f"{kind.lower()}2", reads=f"{kind.lower()}1")
    _given(empty, "STREAM" if kind == "TABLE" else "TABLE", other)
    entity = empty.one(sql)
    assert entity["@type"] == "source_descriptions" and entity["warnings"] == []
    by_name = {d["name"]: d for d in entity["sourceDescriptions"]}
    first, second = f"{kind}1", f"{kind}2"
    assert set(by_name) == {first, second}
    assert by_name[first]["sourceConstraints"] == [second]
    assert by_name[second]["sourceConstraints"] == []
    for d in by_name.values():
        assert d["extended"] is extended and d["type"] == kind
        assert (d["partitions"], d["replication"]) == (1, 1)


def test_should_show_columns_source(empty: Any) -> None:
    """ListSourceExecutorTest.shouldShowColumnsSource: DESCRIBE of a CSAS sink lists its writing query as a
    RunningQuery(statement, sinks, sink topics, id, status count, PERSISTENT)"""
    _given(empty, "STREAM", "SOURCE")
    empty.ok("CREATE STREAM SINK AS SELECT * FROM source;")
    [query_id] = empty.persistent_ids()
    d = empty.one("DESCRIBE SINK;")["sourceDescription"]
    assert d["readQueries"] == []
    [write] = d["writeQueries"]
    assert write["id"] == query_id
    assert write["sinks"] == ["SINK"] and write["sinkKafkaTopics"] == ["SINK"]
    assert write["statusCount"] == {"RUNNING": 1} and write["queryType"] == "PERSISTENT"
    assert write["queryString"].startswith("CREATE STREAM SINK")


@pytest.mark.parametrize(
    ("given", "sql", "message"),
    [
        (None, "DESCRIBE S;", "Could not find STREAM/TABLE 'S' in the Metastore"),
        (
            ("TABLE", '"table1"'),
            "DESCRIBE table1;",
            "Could not find STREAM/TABLE 'TABLE1' in the Metastore\nDid you mean \"table1\"? "
            "Hint: wrap the source name in double quotes to make it case-sensitive.",
        ),
        (
            ("STREAM", "STREAM1"),
            'DESCRIBE "stream1";',
            "Could not find STREAM/TABLE 'stream1' in the Metastore\nDid you mean STREAM1? "
            "Hint: try removing double quotes from the source name.",
        ),
    ],
)
def test_should_throw_on_describe_missing_source(empty: Any, given: Any, sql: str, message: str) -> None:
    """ListSourceExecutorTest.shouldThrowOnDescribeMissingSource / shouldThrowOnDescribeSourceNameWithoutQuotes
    / shouldThrowOnDescribeSourceNameWithQuotes"""
    if given is not None:
        _given(empty, *given)
    error = empty.fail(sql)
    assert error["@type"] == "statement_error"
    assert message in error["message"]


@pytest.mark.parametrize(("kind", "sql"), [("STREAM", "SHOW STREAMS EXTENDED;"), ("TABLE", "SHOW TABLES EXTENDED;")])
def test_should_add_warnings_on_client_exception_for_listing(empty: Any, kind: str, sql: str) -> None:
    """ListSourceExecutorTest.shouldAddWarningsOnClientExceptionForStreamListing / ...ForTopicListing: a topic
    that cannot be described is a warning "Error from Kafka: ..." and no partitions. (The fake topic client's
    text is "unknown topic: <t>"; KafkaTopicClientImpl's is "Failed to Describe Kafka Topic(s): [<t>]".)"""
    name = kind.lower()
    _given(empty, kind, f"{name}1")
    _given(empty, kind, f"{name}2")
    empty.driver.delete_topic(f"{name}1")
    empty.driver.delete_topic(f"{name}2")
    entity = empty.one(sql)
    assert sorted(w["message"] for w in entity["warnings"]) == [
        f"Error from Kafka: Failed to Describe Kafka Topic(s): [{name}{i}]" for i in (1, 2)
    ]
    for d in entity["sourceDescriptions"]:
        assert (d["partitions"], d["replication"], d["extended"]) == (0, 0, True)


def test_should_add_warning_on_client_exception_for_description(empty: Any) -> None:
    """ListSourceExecutorTest.shouldAddWarningOnClientExceptionForDescription"""
    _given(empty, "STREAM", "STREAM1")
    empty.driver.delete_topic("STREAM1")
    entity = empty.one("DESCRIBE STREAM1 EXTENDED;")
    assert entity["@type"] == "sourceDescription"
    assert entity["warnings"] == [{"message": "Error from Kafka: Failed to Describe Kafka Topic(s): [STREAM1]"}]
    assert entity["sourceDescription"]["partitions"] == 0
