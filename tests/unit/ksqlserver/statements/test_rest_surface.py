"""The /ksql and /query details ksqlDB 0.29 has: SHOW PROPERTIES, PRINT, hints, missing topics."""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ksqlserver.catalog.metastore import did_you_mean
from ksqlserver.config import ServerConfig
from ksqlserver.conformance.rest_cases import expand
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError
from ksqlserver.server import BackgroundServer
from ksqlserver.statements.print import RecordFormatter, java_bytes


@pytest.fixture()
def engine() -> Iterator[Engine]:
    e = Engine(
        EngineConfig(
            service_id="t_",
            processing_log=False,
            command_topic=False,
            properties={"ksql.schema.registry.url": "http://sr:8081", "bootstrap.servers": "k:9092"},
        ),
        MemoryDriver(),
    )
    yield e
    e.close()


def test_show_properties_lists_ksqldb_configuration(engine: Engine) -> None:
    [entity] = engine.execute("SHOW PROPERTIES;", {"ksql.query.pull.table.scan.enabled": False})
    props = {p["name"]: p for p in entity["properties"]}
    assert len(props) > 90  # every KsqlConfig property, not only the ones this server reads
    assert props["ksql.schema.registry.url"]["value"] == "http://sr:8081"
    assert props["ksql.streams.bootstrap.servers"]["value"] == "k:9092"
    scan = props["ksql.query.pull.table.scan.enabled"]
    assert scan == {"name": scan["name"], "scope": "KSQL", "value": "false", "editable": True, "level": "QUERY"}
    assert "ksql.streams.auto.offset.reset" not in props  # KsqlConfig's streams defaults have none
    [with_reset] = engine.execute("SHOW PROPERTIES;", {"auto.offset.reset": "earliest"})
    reset = next(p for p in with_reset["properties"] if p["name"] == "ksql.streams.auto.offset.reset")
    assert reset["editable"] is True and reset["value"] == "earliest"
    assert props["ksql.service.id"]["editable"] is False
    assert entity["overwrittenProperties"] == ["ksql.query.pull.table.scan.enabled"]
    assert "ksql.query.pull.stream.enabled" in entity["defaultProperties"]


def test_missing_topic_is_a_bad_request_with_the_partitions_hint(engine: Engine) -> None:
    with pytest.raises(KsqlError) as e:
        engine.execute("CREATE STREAM X (A INT) WITH (KAFKA_TOPIC='nope', VALUE_FORMAT='JSON');")
    assert e.value.error_code == 40000
    assert "If you want to create a new topic for the stream/table please re-run the statement providing " \
        "the required 'PARTITIONS' configuration" in e.value.message  # fmt: skip


def test_did_you_mean_hints(engine: Engine) -> None:
    engine.execute("CREATE STREAM `lower` (A INT) WITH (KAFKA_TOPIC='l', VALUE_FORMAT='JSON', PARTITIONS=1);")
    assert did_you_mean(engine.state.metastore, "LOWER") == (
        '\nDid you mean "lower"? Hint: wrap the source name in double quotes to make it case-sensitive.'
    )
    with pytest.raises(KsqlError, match=re.escape('LOWER does not exist.\nDid you mean "lower"')):
        engine.execute("CREATE STREAM Y AS SELECT * FROM LOWER;")
    with pytest.raises(KsqlError, match=re.escape("Stream LOWER does not exist.\nDid you mean")):
        engine.execute("DROP STREAM LOWER;")


def test_print_formats_records_as_ksqldb_does() -> None:
    ints = RecordFormatter()
    lines = ints.format([Record(struct.pack(">i", 7), b'{"A":1}', 1590487200000, 0), Record(None, None, 0, 0)])
    assert lines == [
        'rowtime: 2020/05/26 10:00:00.000 Z, key: 7, value: {"A":1}, partition: 0',
        "rowtime: 1970/01/01 00:00:00.000 Z, key: <null>, value: <null>, partition: 0",
    ]
    text = RecordFormatter()
    [line] = text.format([Record(b"key", b"abc,two,3.0", 1590487200001, 2)])
    assert line.endswith("key: key, value: abc,two,3.0, partition: 2")
    # a format that fails on a later record is dropped for good: 4-byte keys stop reading as integers
    assert text.format([Record(b"abcd", b"x", 0, 0)])[0].startswith("rowtime: 1970/01/01 00:00:00.000 Z, key: abcd,")
    assert java_bytes(b"a\x00\\") == "a\\x00\\x5C"


def test_print_over_query_and_its_errors(engine: Engine) -> None:
    engine.execute("CREATE STREAM S (ID INT KEY, N STRING) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);")
    for i in range(4):
        engine.execute(f"INSERT INTO S (ID, N) VALUES ({i}, 'n{i}');")
    with BackgroundServer(engine, ServerConfig(host="127.0.0.1", port=0)) as server:
        r = httpx.post(server.url + "/query", json={"ksql": "PRINT 's' FROM BEGINNING INTERVAL 2 LIMIT 2;"}, timeout=10)
        lines = r.text.splitlines()
        # the formats still possible come first (TopicStreamWriter.FormatsTracker), then the records
        assert r.status_code == 200 and len(lines) == 4
        assert lines[:2] == ["Key format: KAFKA_INT or KAFKA_STRING", "Value format: JSON or KAFKA_STRING"]
        assert lines[2].endswith('key: 0, value: {"N":"n0"}, partition: 0')
        assert lines[3].endswith('key: 2, value: {"N":"n2"}, partition: 0')
        # /query's first route (StreamedQueryResource, Accept */* here) prints whatever the migration setting:
        # its own exact-name check (handlePrintTopic)
        missing = httpx.post(server.url + "/query", json={"ksql": "PRINT nope;"}, timeout=10)
        assert missing.status_code == 400 and missing.json()["message"].startswith("Could not find topic 'nope'")
        on_ksql = httpx.post(server.url + "/ksql", json={"ksql": "PRINT s;"}, timeout=10)
        assert on_ksql.status_code == 400 and on_ksql.json()["error_code"] == 40002
        # QueryStreamHandler (the route an Accept of only the delimited type reaches) prints only delimited;
        # its own check is BlockingPrintPublisher's
        delimited = {"Accept": "application/vnd.ksqlapi.delimited.v1"}
        missing = httpx.post(server.url + "/query", json={"ksql": "PRINT nope;"}, headers=delimited, timeout=10)
        assert missing.status_code == 400 and missing.json()["message"] == "Topic does not exist: nope"
        as_json = httpx.post(
            server.url + "/query-stream", json={"sql": "PRINT s;"}, headers={"Accept": "application/json"}, timeout=10
        )
        assert as_json.status_code == 406


def test_inserts_stream_unknown_target_is_an_error_status(engine: Engine) -> None:
    with BackgroundServer(engine, ServerConfig(host="127.0.0.1", port=0)) as server:
        with httpx.Client(http2=True, http1=False) as client:
            r = client.post(server.url + "/inserts-stream", content=b'{"target":"nope"}\n{"A":1}')
        assert r.status_code == 400
        body = r.json()
        assert body["error_code"] == 40001
        assert body["message"].startswith("Cannot insert values into an unknown stream/table: `NOPE`")


def test_rest_runner_reads_case_files_with_comments(tmp_path: Path) -> None:
    case = {"name": "c", "statements": ["SELECT 1;"], "responses": []}
    text = '// a comment\n{"tests": [ /* block */ ' + json.dumps(case) + ' ], "comments": ["a // b"]}'
    (tmp_path / "f.json").write_text(text)
    [expanded] = list(expand(tmp_path / "f.json", {}))
    assert expanded.name == "f - c" and expanded.statements == ["SELECT 1;"]
