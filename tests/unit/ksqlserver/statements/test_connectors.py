"""The connector statements against a fake Kafka Connect worker (the `connect` fixture of
tests/unit/ksqlserver/conftest.py): a real HTTP server on a free port that answers the REST calls ksqlDB
makes with Connect's shapes and error bodies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from ksqlserver.cli import build_configs, build_parser
from ksqlserver.config import ServerConfig
from ksqlserver.connect.connectors import java_map_text, resolve
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError
from ksqlserver.server import BackgroundServer
from ksqlserver.statements.connectors import masked_text

FILE_SOURCE = "org.apache.kafka.connect.file.FileStreamSourceConnector"
FILE_SINK = "org.apache.kafka.connect.file.FileStreamSinkConnector"
JDBC = "io.confluent.connect.jdbc.JdbcSourceConnector"


@pytest.fixture()
def engine(connect: tuple[Any, str]) -> Iterator[Engine]:
    e = Engine(EngineConfig(processing_log=False, command_topic=False, connect_url=connect[1]), MemoryDriver())
    yield e
    e.close()


def fails(engine: Engine, sql: str) -> KsqlError:
    with pytest.raises(KsqlError) as e:
        engine.execute(sql)
    return e.value


FILE_CONNECTOR = f"""CREATE SOURCE CONNECTOR `lines` WITH ("connector.class"='{FILE_SOURCE}',
  'file'='/tmp/in.txt', "topic"='lines_topic', "tasks.max"=1);"""


def test_create_connector_validates_then_creates(engine: Engine, connect: tuple[Any, str]) -> None:
    fake, _ = connect
    [entity] = engine.execute(FILE_CONNECTOR)
    config = {"connector.class": FILE_SOURCE, "file": "/tmp/in.txt", "topic": "lines_topic", "tasks.max": "1",
              "name": "lines"}
    assert entity == {
        "@type": "connector_info",
        "statementText": f"CREATE SOURCE CONNECTOR `lines` WITH (\"connector.class\"='{FILE_SOURCE}', "
        "'file'='[string]', \"topic\"='[string]', \"tasks.max\"='[string]');",
        "warnings": [],
        "info": {"name": "lines", "config": config, "tasks": [{"connector": "lines", "task": 0}], "type": "source"},
    }
    calls = [(m, p) for m, p, _ in fake.requests]
    assert calls == [("GET", "/connectors"), ("PUT", f"/connector-plugins/{FILE_SOURCE}/config/validate"),
                     ("POST", "/connectors")]
    assert fake.requests[1][2] == config
    assert fake.requests[2][2] == {"name": "lines", "config": config}


def test_an_existing_connector_is_a_409_unless_if_not_exists(engine: Engine, connect: tuple[Any, str]) -> None:
    engine.execute(FILE_CONNECTOR)
    clash = FILE_CONNECTOR.replace("`lines`", "LINES")  # the name compared case-insensitively
    error = fails(engine, clash)
    assert error.to_entity() == {"@type": "generic_error", "error_code": 40900, "message": "Connector LINES already exists"}
    with BackgroundServer(engine, ServerConfig(host="127.0.0.1", port=0)) as server:
        r = httpx.post(server.url + "/ksql", json={"ksql": clash}, timeout=10)
    assert r.status_code == 409 and r.json()["message"] == "Connector LINES already exists"
    [warning] = engine.execute(FILE_CONNECTOR.replace("CONNECTOR `lines`", "CONNECTOR IF NOT EXISTS `lines`"))
    assert warning["@type"] == "warning_entity"
    assert warning["message"] == "Connector lines already exists"
    assert warning["statementText"].startswith("CREATE SOURCE CONNECTOR IF NOT EXISTS `lines` WITH (")


def test_validation_errors_as_ksqldb_words_them(engine: Engine, connect: tuple[Any, str]) -> None:
    fake, _ = connect
    error = fails(engine, f"CREATE SINK CONNECTOR s WITH (\"connector.class\"='{FILE_SINK}', 'topic'='two-errors');")
    assert error.to_entity() == {
        "@type": "generic_error",
        "error_code": 40000,
        "message": 'Validation error: file - Missing required configuration "file" which has no default value.\n'
        "topic - first. second",
    }
    assert ("POST", "/connectors") not in [(m, p) for m, p, _ in fake.requests]
    no_class = fails(engine, "CREATE SINK CONNECTOR s WITH ('topic'='t', 'file'='f');")
    assert no_class.message == "Validation error: Connector config {name=S, topic=t, file=f} contains no connector type"
    empty = fails(engine, "CREATE SINK CONNECTOR s WITH (\"connector.class\"='  ');")
    assert empty.message == "Validation error: Connector type cannot be empty"
    fake.fail[("PUT", "/connector-plugins/nope/config/validate")] = (400, '{"error_code":400,"message":"no such class"}')
    unknown = fails(engine, "CREATE SINK CONNECTOR s WITH (\"connector.class\"='nope');")
    assert unknown.message == 'Validation error: {"error_code":400,"message":"no such class"}'


def test_connect_refusing_the_create_is_answered_with_its_status(
    engine: Engine, connect: tuple[Any, str]
) -> None:
    fake, _ = connect
    fake.fail[("POST", "/connectors")] = (400, '{"error_code":400,"message":"bad config"}')
    error = fails(engine, FILE_CONNECTOR)
    assert error.to_entity() == {
        "@type": "generic_error",
        "error_code": 40000,
        "message": 'Failed to create connector: {"error_code":400,"message":"bad config"}',
    }
    fake.fail[("POST", "/connectors")] = (500, '{"error_code":500,"message":"down"}')
    error = fails(engine, FILE_CONNECTOR)
    assert error.error_code == 50000 and error.message.startswith("Failed to create connector: ")
    assert [p for m, p, _ in fake.requests if m == "POST"][-3:] == ["/connectors"] * 3  # 5xx tried thrice


def test_show_connectors_with_type_class_and_state(engine: Engine, connect: tuple[Any, str]) -> None:
    fake, _ = connect
    engine.execute(FILE_CONNECTOR)
    engine.execute(f"CREATE SINK CONNECTOR out WITH (\"connector.class\"='{FILE_SINK}', 'file'='/o', 'topic'='t');")
    fake.connectors["idle"] = {"connector.class": FILE_SOURCE}
    fake.states["idle"] = ("RUNNING", ["FAILED"])
    fake.connectors["paused"] = {"connector.class": FILE_SOURCE}
    fake.states["paused"] = ("PAUSED", [])
    [listing] = engine.execute("SHOW CONNECTORS;")
    assert listing["@type"] == "connector_list" and listing["warnings"] == []
    assert listing["connectors"] == [
        {"name": "lines", "type": "source", "className": FILE_SOURCE, "state": "RUNNING (1/1 tasks RUNNING)"},
        {"name": "OUT", "type": "sink", "className": FILE_SINK, "state": "RUNNING (1/1 tasks RUNNING)"},
        {"name": "idle", "type": "source", "className": FILE_SOURCE, "state": "WARNING (0/1 tasks RUNNING)"},
        {"name": "paused", "type": "source", "className": FILE_SOURCE, "state": "PAUSED"},
    ]
    [sinks] = engine.execute("LIST SINK CONNECTORS;")
    assert [c["name"] for c in sinks["connectors"]] == ["OUT"]
    [sources] = engine.execute("SHOW SOURCE CONNECTORS;")
    assert [c["name"] for c in sources["connectors"]] == ["lines", "idle", "paused"]
    fake.fail[("GET", "/connectors/idle")] = (403, "forbidden")
    [listing] = engine.execute("SHOW CONNECTORS;")
    assert {"name": "idle", "type": "unknown"} in listing["connectors"]
    assert listing["warnings"] == [{"message": "Could not describe connector idle: forbidden"}]
    [sources] = engine.execute("SHOW SOURCE CONNECTORS;")
    assert "idle" not in [c["name"] for c in sources["connectors"]]
    assert sources["warnings"] == [{"message": "Could not describe connector idle: forbidden"}]
    fake.fail[("GET", "/connectors")] = (401, "no")
    assert fails(engine, "SHOW CONNECTORS;").to_entity() == {
        "@type": "generic_error", "error_code": 40100, "message": "Failed to list connectors: no"}


def test_drop_connector(engine: Engine, connect: tuple[Any, str]) -> None:
    fake, _ = connect
    engine.execute(FILE_CONNECTOR)
    [dropped] = engine.execute("DROP CONNECTOR `lines`;")
    assert dropped == {"@type": "drop_connector", "statementText": "DROP CONNECTOR `lines`;", "warnings": [],
                       "connectorName": "lines"}
    assert "lines" not in fake.connectors
    error = fails(engine, "DROP CONNECTOR `lines`;")
    assert error.to_entity() == {
        "@type": "generic_error",
        "error_code": 40400,
        "message": 'Failed to drop connector: {"error_code": 404, "message": "Connector lines not found"}',
    }
    [warning] = engine.execute("DROP CONNECTOR IF EXISTS `lines`;")
    assert warning["@type"] == "warning_entity" and warning["message"] == "Connector 'lines' does not exist."


def test_describe_connector(engine: Engine, connect: tuple[Any, str]) -> None:
    fake, _ = connect
    engine.execute(FILE_CONNECTOR)
    fake.states["lines"] = ("RUNNING", ["RUNNING", "FAILED"])
    [described] = engine.execute("DESCRIBE CONNECTOR `lines`;")
    assert described == {
        "@type": "connector_description",
        "statementText": "DESCRIBE CONNECTOR `lines`;",
        "warnings": [],
        "connectorClass": FILE_SOURCE,
        "status": {
            "name": "lines",
            "connector": {"state": "RUNNING", "worker_id": "127.0.0.1:8083"},
            "tasks": [
                {"id": 0, "state": "RUNNING", "worker_id": "127.0.0.1:8083"},
                {"id": 1, "state": "FAILED", "worker_id": "127.0.0.1:8083", "trace": "boom"},
            ],
            "type": "source",
        },
        "sources": [],
        "topics": [],  # ksqlDB looks up topics of the connectors it supports natively only
    }
    assert ("GET", "/connectors/lines/topics") not in [(m, p) for m, p, _ in fake.requests]
    error = fails(engine, "DESCRIBE CONNECTOR nope;")
    assert error.error_code == 40400
    assert error.message == 'Failed to query connector status: {"error_code": 404, "message": "Connector NOPE not found"}'


def test_describe_jdbc_connector_lists_its_topics_and_sources(
    engine: Engine, connect: tuple[Any, str]
) -> None:
    fake, _ = connect
    engine.driver.create_topic("jdbc_users", 1, 1)
    engine.execute("CREATE TABLE USERS (ID INT PRIMARY KEY, N STRING) WITH (KAFKA_TOPIC='jdbc_users', VALUE_FORMAT='JSON');")
    fake.connectors["jdbc"] = {"connector.class": JDBC, "name": "jdbc"}
    fake.topics["jdbc"] = ["jdbc_users"]
    [described] = engine.execute("DESCRIBE CONNECTOR `jdbc`;")
    assert described["topics"] == ["jdbc_users"]
    [source] = described["sources"]
    assert source["name"] == "USERS" and source["topic"] == "jdbc_users" and source["readQueries"] == []
    fake.fail[("GET", "/connectors/jdbc/topics")] = (500, "broken")
    [described] = engine.execute("DESCRIBE CONNECTOR `jdbc`;")
    assert described["topics"] == [] and described["sources"] == []
    assert described["warnings"] == [{"message": "Could not list related topics due to error: broken"}]
    fake.fail[("GET", "/connectors/jdbc/topics")] = (404, "old worker")
    [described] = engine.execute("DESCRIBE CONNECTOR `jdbc`;")
    assert described["warnings"] == []


def test_show_connector_plugins(engine: Engine) -> None:
    [plugins] = engine.execute("SHOW CONNECTOR PLUGINS;")
    assert plugins == {
        "@type": "connector_plugins_list",
        "statementText": "SHOW CONNECTOR PLUGINS;",
        "warnings": [],
        "connectorsPlugins": [
            {"className": FILE_SINK, "type": "sink", "version": "4.3.1"},
            {"className": FILE_SOURCE, "type": "source", "version": "4.3.1"},
        ],
    }


def test_unreachable_connect_is_a_server_error_naming_the_url() -> None:
    engine = Engine(EngineConfig(processing_log=False, command_topic=False, connect_url="http://127.0.0.1:9",
                                 connect_timeout=2.0), MemoryDriver())
    try:
        for sql in ("SHOW CONNECTORS;", "DROP CONNECTOR c;", FILE_CONNECTOR):
            error = fails(engine, sql)
            entity = error.to_entity()
            assert entity["@type"] == "statement_error" and entity["error_code"] == 50000
            assert entity["message"].startswith("Connect to http://127.0.0.1:9 failed")
            assert "[string]" in entity["statementText"] or "CONNECTOR" in entity["statementText"]
        [ok] = engine.execute("SHOW STREAMS;")  # the engine goes on
        assert ok["@type"] == "streams"
    finally:
        engine.close()


def test_jdbc_shorthand_is_resolved() -> None:
    assert resolve({"connector.class": JDBC, "key": "id", "transforms": "mine"}) == {
        "connector.class": JDBC,
        "transforms": "mine,ksqlCreateKey,ksqlExtractString",
        "transforms.ksqlCreateKey.type": "org.apache.kafka.connect.transforms.ValueToKey",
        "transforms.ksqlCreateKey.fields": "id",
        "transforms.ksqlExtractString.type": "org.apache.kafka.connect.transforms.ExtractField$Key",
        "transforms.ksqlExtractString.field": "id",
        "tasks.max": "1",
    }
    assert resolve({"connector.class": FILE_SOURCE, "key": "id"}) == {"connector.class": FILE_SOURCE, "key": "id"}


def test_config_text_in_java_hashmap_order() -> None:
    # what java.util.HashMap printed (Java 17) for these keys copied from a map, then given "name"
    keys = ["file", "topic", "tasks.max", "value.converter", "KEY", "errors.tolerance", "batch.size"]
    config = {k: "v" + k for k in keys[:6]} | {"name": "c"}
    assert java_map_text(config, 6) == (
        "{file=vfile, tasks.max=vtasks.max, name=c, topic=vtopic, errors.tolerance=verrors.tolerance, "
        "value.converter=vvalue.converter, KEY=vKEY}"
    )
    config = {k: "v" + k for k in keys[:4]} | {"name": "c"}
    assert java_map_text(config, 4) == (
        "{name=c, topic=vtopic, file=vfile, value.converter=vvalue.converter, tasks.max=vtasks.max}"
    )


def test_masked_statement_text() -> None:
    text = (
        "CREATE SOURCE CONNECTOR IF NOT EXISTS `test-connector` WITH (\"connector.class\" = 'PostgresSource', \n"
        "'connection.url' = 'jdbc:postgresql://localhost:5432/my.db', `mode`='bulk', \"key\"='username', n=-1)"
    )
    assert masked_text(text) == (
        "CREATE SOURCE CONNECTOR IF NOT EXISTS `test-connector` WITH (\"connector.class\"='PostgresSource', "
        "'connection.url'='[string]', `mode`='[string]', \"key\"='[string]', n='[string]');"
    )


def test_cli_passes_the_connect_url_and_timeout() -> None:
    args = build_parser().parse_args(["--bootstrap-servers", "memory://", "-p", "ksql.connect.url=http://c:8083",
                                      "-p", "ksql.connect.request.timeout.ms=2500"])
    _, engine_config = build_configs(args)
    assert engine_config.connect_url == "http://c:8083" and engine_config.connect_timeout == 2.5
    _, default = build_configs(build_parser().parse_args(["--bootstrap-servers", "memory://"]))
    assert default.connect_url == "http://localhost:8083"
