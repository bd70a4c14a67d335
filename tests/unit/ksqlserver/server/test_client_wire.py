"""REST details other ksqlDB clients rely on (the Node, Go and Python clients beside ksql-python-ng), run
against the real engine on the in-memory driver: each asserts ksqlDB 0.29's wire behaviour."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from ksqlserver.config import ServerConfig
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.server import BackgroundServer


@pytest.fixture()
def server() -> Iterator[BackgroundServer]:
    engine = Engine(EngineConfig(service_id="t_", processing_log=False, command_topic=False), MemoryDriver())
    engine.execute(
        "CREATE STREAM WORDS (WORD STRING KEY, N INT) WITH (KAFKA_TOPIC='words', VALUE_FORMAT='JSON', PARTITIONS=1);"
    )
    engine.execute("CREATE TABLE COUNTS AS SELECT WORD, COUNT(*) AS C FROM WORDS GROUP BY WORD;")
    for word in ("tree", "wind", "tree"):
        engine.execute(f"INSERT INTO WORDS (WORD, N) VALUES ('{word}', 1);")
    with BackgroundServer(engine, ServerConfig(host="127.0.0.1", port=0)) as running:
        yield running
    engine.close()


@pytest.mark.parametrize("http2", [False, True])
def test_query_stream_substitutes_session_variables(server: BackgroundServer, http2: bool) -> None:
    with httpx.Client(http2=http2, http1=not http2, timeout=10) as client:
        r = client.post(
            server.url + "/query-stream",
            json={
                "sql": "SELECT * FROM ${SOURCE} WHERE WORD = '${W}';",
                "sessionVariables": {"SOURCE": "COUNTS", "W": "tree"},
            },
            headers={"Accept": "application/json"},
        )
    assert r.status_code == 200, r.text
    header, *rows = r.json()
    assert header["columnNames"] == ["WORD", "C"]
    assert rows == [["tree", 2]]


def test_query_stream_session_variables_take_json_scalars(server: BackgroundServer) -> None:
    r = httpx.post(
        server.url + "/query-stream",
        json={
            "sql": "SELECT WORD, ${FLAG} AS F FROM WORDS WHERE N = ${ONE} EMIT CHANGES LIMIT 1;",
            "sessionVariables": {"FLAG": True, "ONE": 1},
            "properties": {"auto.offset.reset": "earliest"},
        },
        headers={"Accept": "application/json"},
        timeout=10,
    )
    assert r.status_code == 200, r.text
    header, *rows = r.json()
    assert header["columnTypes"] == ["STRING", "BOOLEAN"]
    assert rows == [["tree", True]]


def test_query_stream_unknown_variable_is_left_as_is(server: BackgroundServer) -> None:
    r = httpx.post(server.url + "/query-stream", json={"sql": "SELECT * FROM ${NOPE};"}, timeout=10)
    assert r.status_code == 400
    assert r.json()["error_code"] == 40001


def _inserts(server: BackgroundServer, body: bytes, accept: str | None) -> httpx.Response:
    headers = {"Accept": accept} if accept else {}
    with httpx.Client(http2=True, http1=False, timeout=10) as client:
        return client.post(server.url + "/inserts-stream", content=body, headers=headers)


def test_inserts_stream_answers_a_json_array_to_accept_json(server: BackgroundServer) -> None:
    r = _inserts(server, b'{"target":"WORDS"}\n{"WORD":"a","N":1}\n{"WORD":"b","N":2}\n', "application/json")
    assert r.status_code == 200
    assert r.text == '[{"status":"ok","seq":0},{"status":"ok","seq":1}]'


def test_inserts_stream_json_array_ends_after_an_error_and_when_empty(server: BackgroundServer) -> None:
    bad = _inserts(
        server, b'{"target":"WORDS"}\n{"WORD":"a","N":1}\n{"WORD":"b","N":"x"}\n', "application/json"
    )
    acks = json.loads(bad.text)
    assert acks[0] == {"status": "ok", "seq": 0}
    assert acks[1]["status"] == "error" and acks[1]["seq"] == 1 and len(acks) == 2
    empty = _inserts(server, b'{"target":"WORDS"}\n', "application/json")
    assert empty.status_code == 200 and empty.text == "[]"


@pytest.mark.parametrize("accept", [None, "*/*", "application/vnd.ksqlapi.delimited.v1", "text/plain"])
def test_inserts_stream_acks_are_delimited_by_default(server: BackgroundServer, accept: str | None) -> None:
    r = _inserts(server, b'{"target":"WORDS"}\n{"WORD":"a","N":1}\n{"WORD":"b","N":2}', accept)
    assert r.text == '{"status":"ok","seq":0}\n{"status":"ok","seq":1}\n'


DENIED = (
    "One or more properties overrides set locally are prohibited by the KSQL server "
    "(use UNSET to reset their default value): "
)


def test_is_valid_property(server: BackgroundServer) -> None:
    ok = httpx.get(server.url + "/is_valid_property/ksql.streams.auto.offset.reset", timeout=10)
    assert ok.status_code == 200 and ok.json() is True
    denied = httpx.get(server.url + "/is_valid_property/ksql.service.id", timeout=10)
    assert denied.status_code == 400
    assert denied.json() == {
        "@type": "generic_error",
        "error_code": 40000,
        "message": DENIED + "[ksql.service.id]",
    }
    assert httpx.post(server.url + "/is_valid_property/x", timeout=10).status_code == 405


def test_denylisted_overrides_are_refused_on_ksql_and_query_only() -> None:
    engine = Engine(EngineConfig(service_id="t_", processing_log=False, command_topic=False), MemoryDriver())
    engine.execute("CREATE STREAM S (A INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);")
    config = ServerConfig(host="127.0.0.1", port=0, denied_overrides=("ksql.streams.num.stream.threads",))
    with BackgroundServer(engine, config) as server:
        overrides = {"ksql.service.id": "x", "ksql.streams.num.stream.threads": 2}
        on_ksql = httpx.post(
            server.url + "/ksql", json={"ksql": "SHOW STREAMS;", "streamsProperties": overrides}, timeout=10
        )
        assert on_ksql.status_code == 400
        assert on_ksql.json()["message"] == DENIED + "[ksql.streams.num.stream.threads, ksql.service.id]"
        on_query = httpx.post(
            server.url + "/query",
            json={"ksql": "SELECT * FROM S;", "streamsProperties": overrides},
            timeout=10,
        )
        assert on_query.status_code == 400 and on_query.json()["error_code"] == 40000
        listed = httpx.get(server.url + "/is_valid_property/ksql.streams.num.stream.threads", timeout=10)
        assert listed.status_code == 400
        # /query-stream does not consult the denylist in ksqlDB 0.29
        on_stream = httpx.post(
            server.url + "/query-stream",
            json={"sql": "SELECT * FROM S;", "properties": overrides},
            timeout=10,
        )
        assert on_stream.status_code == 200
        allowed = httpx.post(
            server.url + "/ksql",
            json={
                "ksql": "SHOW STREAMS;",
                "streamsProperties": {"ksql.streams.auto.offset.reset": "earliest"},
            },
            timeout=10,
        )
        assert allowed.status_code == 200
    engine.close()


def test_cli_reads_the_override_denylist() -> None:
    from ksqlserver.cli import build_configs, build_parser

    args = build_parser().parse_args(
        ["--bootstrap-servers", "memory://", "-p", "ksql.properties.overrides.denylist=a.b, c.d"]
    )
    server_config, _ = build_configs(args)
    assert server_config.denied_overrides == ("a.b", "c.d")


def _acks(server: BackgroundServer, target: str, *rows: str) -> list[dict[str, object]]:
    body = ("\n".join([json.dumps({"target": target}), *rows])).encode()
    r = _inserts(server, body, None)
    assert r.status_code == 200, r.text
    return [json.loads(line) for line in r.text.splitlines()]


def test_inserts_stream_row_needs_its_key_columns(server: BackgroundServer) -> None:
    acks = _acks(server, "WORDS", '{"N": 1}', '{"WORD": "late", "N": 2}')
    assert acks == [
        {
            "@type": "InsertError",  # ApiJsonMapper writes KsqlErrorMessage's type id (ApiTest: 5 fields)
            "status": "error",
            "seq": 0,
            "error_code": 40000,
            "message": "Key field must be specified: WORD",
        }
    ]


@pytest.mark.parametrize(
    ("row", "java_class", "sql_type"),
    [
        ('{"WORD": "a", "N": "1"}', "class java.lang.String", "INTEGER"),
        ('{"WORD": "a", "N": 1.5}', "class java.lang.Double", "INTEGER"),
        ('{"WORD": "a", "N": 4294967296}', "class java.lang.Long", "INTEGER"),
        ('{"WORD": "a", "N": true}', "class java.lang.Boolean", "INTEGER"),
        ('{"WORD": 7, "N": 1}', "class java.lang.Integer", "STRING"),
        ('{"WORD": "a", "N": [1]}', "class io.vertx.core.json.JsonArray", "INTEGER"),
    ],
)
def test_inserts_stream_coerces_strictly_as_ksqldb(
    server: BackgroundServer, row: str, java_class: str, sql_type: str
) -> None:
    [ack] = _acks(server, "WORDS", row)
    assert ack == {
        "@type": "InsertError",
        "status": "error",
        "seq": 0,
        "error_code": 40000,
        "message": f"Can't coerce a field of type {java_class} into type {sql_type}",
    }


def test_inserts_stream_widens_numbers_and_reads_identifiers(server: BackgroundServer) -> None:
    engine_sql = (
        "CREATE STREAM WIDE (K BIGINT KEY, D DOUBLE, M DECIMAL(4, 2), T TIMESTAMP, `low` STRING, "
        "A ARRAY<BIGINT>, S STRUCT<X INT>) WITH (KAFKA_TOPIC='wide', VALUE_FORMAT='JSON', PARTITIONS=1);"
    )
    assert httpx.post(server.url + "/ksql", json={"ksql": engine_sql}, timeout=10).status_code == 200
    row = {
        "k": 5,
        "D": 2,
        "M": "1.5",
        "T": "2020-01-01T00:00:00",
        "`low`": "x",
        "A": [1, 2],
        "S": {"x": 3},
        "ROWTIME": 1,  # not a column: ksqlDB stamps the record when it produces it
    }
    assert _acks(server, "WIDE", json.dumps(row)) == [{"status": "ok", "seq": 0}]
    r = httpx.post(
        server.url + "/query-stream",
        json={"sql": "SELECT ROWTIME, * FROM WIDE;"},
        headers={"Accept": "application/json"},
        timeout=10,
    )
    [[rowtime, *values]] = r.json()[1:]
    assert values == [5, 2.0, 1.5, "2020-01-01T00:00:00.000", "x", [1, 2], {"X": 3}]
    assert rowtime > 1_000_000_000_000
    [lower] = _acks(server, "WIDE", json.dumps({**row, "`low`": None, "low": "y"}))
    assert lower == {"status": "ok", "seq": 0}  # "low" names LOW, which WIDE does not have: ignored


def test_inserts_stream_bad_bytes_is_a_server_error(server: BackgroundServer) -> None:
    sql = "CREATE STREAM B (K STRING KEY, V BYTES) WITH (KAFKA_TOPIC='b', VALUE_FORMAT='JSON', PARTITIONS=1);"
    assert httpx.post(server.url + "/ksql", json={"ksql": sql}, timeout=10).status_code == 200
    assert _acks(server, "B", '{"K": "a", "V": "AQI="}') == [{"status": "ok", "seq": 0}]
    [ack] = _acks(server, "B", '{"K": "a", "V": "not base64!"}')
    assert ack["error_code"] == 50000
    assert ack["message"] == "Error in processing inserts. Check server logs for details."


def test_terminate_cluster_deletes_matching_sink_topics_and_refuses_requests_after() -> None:
    driver = MemoryDriver()
    engine = Engine(EngineConfig(service_id="t_", processing_log=True, command_topic=False), driver)
    engine.execute("CREATE STREAM SRC (A INT) WITH (KAFKA_TOPIC='src', VALUE_FORMAT='JSON', PARTITIONS=1);")
    engine.execute("CREATE STREAM KEEP_ME AS SELECT * FROM SRC;")
    engine.execute("CREATE STREAM DROP_ME WITH (KAFKA_TOPIC='drop_me') AS SELECT * FROM SRC;")
    with BackgroundServer(engine, ServerConfig(host="127.0.0.1", port=0)) as server:
        bad = httpx.post(server.url + "/ksql/terminate", json={"deleteTopicList": ["(unclosed"]}, timeout=10)
        assert bad.status_code == 400 and bad.json()["message"] == "Invalid pattern: (unclosed"
        assert engine.state.persistent  # a bad pattern stops nothing
        r = httpx.post(
            server.url + "/ksql/terminate",
            json={"deleteTopicList": ["drop_.*", "src"]},
            headers={"Content-Type": "application/vnd.ksql.v1+json"},
            timeout=10,
        )
        assert r.status_code == 200, r.text
        [entity] = r.json()
        assert entity["@type"] == "currentStatus" and entity["statementText"] == "TERMINATE CLUSTER;"
        assert entity["commandId"] == "cluster/TerminateCluster/terminate"
        assert entity["commandStatus"]["status"] == "QUEUED"
        topics = set(driver.topics())
        # sinks matching a pattern go, sources (not CREATE ... AS SELECT targets) stay; the processing log goes
        assert "drop_me" not in topics and "KEEP_ME" in topics and "src" in topics
        assert "t_ksql_processing_log" not in topics
        assert not engine.state.persistent
        after = httpx.post(server.url + "/ksql", json={"ksql": "SHOW STREAMS;"}, timeout=10)
        assert after.status_code == 503
        assert after.json() == {
            "@type": "generic_error",
            "error_code": 50304,
            "message": "The server is shut down",
        }
        assert httpx.get(server.url + "/healthcheck", timeout=10).status_code == 503
        live = httpx.get(server.url + "/chc/live", timeout=10)
        assert live.status_code == 200 and live.json() == {}
    engine.close()


def test_container_health_checks(server: BackgroundServer) -> None:
    for path in ("/chc/ready", "/chc/live"):
        r = httpx.get(server.url + path, timeout=10)
        assert r.status_code == 200 and r.json() == {} and r.headers["content-type"] == "application/json"
