"""Port of ksqlDB 0.29 `io.confluent.ksql.tools.migrations.MigrationsTest`: the whole tool through its
command line against one server: `new-project`, `initialize-metadata`, `create`, `apply -a -d ...` of two
files using every kind of statement the tool runs, `apply -v 1` refused, `info`, `destroy-metadata`; with
and without `ksql.migrations.dir.override`.

Differences from the Java test: the server takes basic auth over plain HTTP (the Java REST_APP also
serves HTTPS with a client certificate, which the config points at through JKS stores); Kafka Connect is
the fake worker (it accepts the MockSource/MockSink connectors without validating them); the Java test's
push queries with LIMIT are pull queries on the streams."""

from __future__ import annotations

import io
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ksqlserver.migrations import config as cfg
from ksqlserver.migrations.cli import main
from ksqlserver.migrations.files import (
    MIGRATIONS_CONFIG_FILE,
    MIGRATIONS_DIR,
    get_migrations_dir_from_config_file,
)

MIGRATIONS_STREAM = "custom_migration_stream_name"
MIGRATIONS_TABLE = "custom_migration_table_name"
FIELDS = ["VERSION_KEY", "VERSION", "NAME", "STATE", "CHECKSUM", "STARTED_ON", "COMPLETED_ON", "PREVIOUS", "ERROR_REASON"]

VERSION_1 = (
    "CREATE STREAM ${streamName} (A STRING) WITH (KAFKA_TOPIC='FOO', PARTITIONS=1, VALUE_FORMAT='JSON');\n"
    "ASSERT TOPIC FOO WITH (PARTITIONS=1) TIMEOUT 5 SECONDS;\n"
    "ASSERT NOT EXISTS SCHEMA ID 3 TIMEOUT 5 SECONDS;\n"
    "DROP CONNECTOR IF EXISTS nonExistant;\n"
    "-- let's create some connectors!!!\n"
    "CREATE SOURCE CONNECTOR C WITH ('connector.class'='org.apache.kafka.connect.tools.MockSourceConnector');\n"
    "DEFINE connectorName = 'D';"
    "CREATE SINK CONNECTOR ${connectorName} WITH ('connector.class'='org.apache.kafka.connect.tools.MockSinkConnector', 'topics'='d');\n"
    "CREATE TABLE blue (ID BIGINT PRIMARY KEY, A STRING, H BYTES HEADER('a')) WITH (KAFKA_TOPIC='blue', PARTITIONS=1, VALUE_FORMAT='DELIMITED');"
    "DROP TABLE blue;"
    "DEFINE onlyDefinedInFile1 = 'nope';"
)
VERSION_2 = (
    "CREATE OR REPLACE STREAM ${streamName} (A STRING, B INT) WITH (KAFKA_TOPIC='FOO', PARTITIONS=1, VALUE_FORMAT='JSON');"
    "ALTER STREAM ${streamName} ADD COLUMN C BIGINT;"
    "/* add some '''data''' to FOO */"
    "DEFINE variable = '50';"
    "INSERT INTO FOO VALUES ('HELLO', ${variable}, -4325);"
    "INSERT INTO FOO (A) VALUES ('GOOD''BYE');"
    "INSERT INTO ${streamName} (A) VALUES ('${onlyDefinedInFile1}--ha\nha');"
    "INSERT INTO FOO (A) VALUES ('');"
    "INSERT INTO FOO (A) VALUES (NULL);"
    "DEFINE variable = 'cool';"
    "SeT 'ksql.output.topic.name.prefix' = '${variable}';"
    "CREATE STREAM `bar` AS SELECT CONCAT(A, 'woo''hoo') AS A FROM FOO;"
    "UnSET 'ksql.output.topic.name.prefix';"
    "CREATE STREAM CAR AS SELECT * FROM FOO;"
    "DEFINE connectorName = 'D';"
    "DROP CONNECTOR ${connectorName};"
    "INSERT INTO `bar` SELECT A FROM CAR;"
    "CREATE TYPE ADDRESS AS STRUCT<number INTEGER, street VARCHAR, city VARCHAR>;"
    "DEFINE suffix = 'OMES';"
    "DEFINE variable = 'H${suffix}';"
    "CREATE STREAM ${variable} (ADDR ADDRESS) WITH (KAFKA_TOPIC='${variable}', PARTITIONS=1, VALUE_FORMAT='JSON');"
    "UNDEFINE variable;"
    "INSERT INTO HOMES VALUES (STRUCT(number := 123, street := 'sesame st', city := '${variable}'));"
    "CREATE SOURCE CONNECTOR IF NOT EXISTS C WITH ('connector.class'='org.apache.kafka.connect.tools.MockSourceConnector');\n"
    "DROP TYPE ADDRESS;"
)


def _cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(args), out), out.getvalue()


def _append(path: str, configs: dict[str, str]) -> None:
    """writeAdditionalConfigs"""
    with open(path, "a", encoding="utf-8") as f:
        for key, value in configs.items():
            f.write(f"{key}={value}\n")


@pytest.fixture(scope="module")
def project(auth_harness: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    """setUpClass: `new-project`, then the metadata names and the credentials added to its config."""
    server = auth_harness
    # the Java worker's MockSource/MockSink connectors define no required configs
    server.fake_connect.validate = lambda cls, config: {"name": cls, "error_count": 0, "groups": [], "configs": []}
    test_dir = os.path.join(str(tmp_path_factory.mktemp("migrations")), "migrations_integ_test")
    status, _ = _cli("new-project", test_dir, server.url)
    assert status == 0
    assert os.path.isdir(test_dir) and os.path.isdir(os.path.join(test_dir, MIGRATIONS_DIR))
    config_file = os.path.join(test_dir, MIGRATIONS_CONFIG_FILE)
    lines = Path(config_file).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 25
    assert lines[0] == f"{cfg.KSQL_SERVER_URL}={server.url}"
    _append(config_file, {
        cfg.KSQL_MIGRATIONS_STREAM_NAME: MIGRATIONS_STREAM,
        cfg.KSQL_MIGRATIONS_TABLE_NAME: MIGRATIONS_TABLE,
        cfg.KSQL_BASIC_AUTH_USERNAME: "username",
        cfg.KSQL_BASIC_AUTH_PASSWORD: "password",
    })
    yield server, config_file


def _describe(server: Any, name: str) -> dict[str, Any]:
    [entity] = server.ksql(f"DESCRIBE {name};")
    return dict(entity["sourceDescription"])


def _verify_metadata_source(server: Any, name: str, kind: str) -> None:
    description = _describe(server, name)
    assert description["type"] == kind
    assert description["topic"] == "default_ksql_" + name  # the configured name, as written
    assert (description["keyFormat"], description["valueFormat"]) == ("KAFKA", "JSON")
    assert (description["partitions"], description["replication"]) == (1, 1)
    fields = {(f["name"], f["schema"]["type"], f.get("type") == "KEY") for f in description["fields"]}
    assert fields == {(name, "STRING", name == "VERSION_KEY") for name in FIELDS}


@pytest.fixture(params=[False, True], ids=["no dir override", "with dir override"])
def migrations_dir(request: pytest.FixtureRequest, project: tuple[Any, str]) -> Iterator[str]:
    """setUp (initialize-metadata, checked) and tearDown (destroy-metadata, checked; the server emptied)."""
    server, config_file = project
    if request.param:
        path = os.path.join(os.path.dirname(config_file), "my/custom/migrations_dir")
        os.makedirs(path)
        _append(config_file, {cfg.KSQL_MIGRATIONS_DIR_OVERRIDE: path})
    else:
        path = get_migrations_dir_from_config_file(config_file)
    status, output = _cli("--config-file", config_file, "initialize-metadata")
    assert status == 0, output
    _verify_metadata_source(server, MIGRATIONS_STREAM, "STREAM")
    _verify_metadata_source(server, MIGRATIONS_TABLE, "TABLE")
    yield path
    assert MIGRATIONS_STREAM.upper() in server.names("STREAM") and MIGRATIONS_TABLE.upper() in server.names("TABLE")
    status, output = _cli("--config-file", config_file, "destroy-metadata")
    assert status == 0, output
    assert MIGRATIONS_STREAM.upper() not in server.names("STREAM")
    assert MIGRATIONS_TABLE.upper() not in server.names("TABLE")
    server.reset()


def _create(config_file: str, migrations_dir: str, version: int, name: str, content: str) -> None:
    """createMigrationFile: `create <name> -v <version>`, then the content written in."""
    status, output = _cli("--config-file", config_file, "create", name, "-v", str(version))
    assert status == 0, output
    path = Path(migrations_dir, f"V00000{version}__{name.replace(' ', '_')}.sql")
    assert path.is_file()
    path.write_text(content + "\n", encoding="utf-8")


def _table_row(server: Any, key: str) -> list[Any]:
    [row] = server.query(f"SELECT * FROM {MIGRATIONS_TABLE} WHERE VERSION_KEY='{key}';")
    return list(row)


def test_should_apply_migrations_and_display_info(project: tuple[Any, str], migrations_dir: str) -> None:
    """shouldApplyMigrationsAndDisplayInfo"""
    server, config_file = project
    _create(config_file, migrations_dir, 1, "foo FOO fO0", VERSION_1)
    _create(config_file, migrations_dir, 2, "bar_bar_BAR", VERSION_2)

    status, output = _cli("--config-file", config_file, "apply", "-a", "-d", "streamName=FOO")
    assert status == 0, output
    _verify_migrations_applied(server)
    # older versions cannot be applied
    status, output = _cli("--config-file", config_file, "apply", "-v", "1")
    assert status == 1
    assert "Version must be newer than the last version migrated. Last version migrated was 2" in output

    status, output = _cli("--config-file", config_file, "info")
    assert status == 0, output
    assert "Current migration version: 2" in output
    stamp = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} \S+"
    assert re.search(
        r"-+\n"
        r" Version \| Name        \| State    \| Previous Version \| Started On\s+\| Completed On\s+\| Error Reason \n"
        r"-+\n"
        rf" 1       \| foo FOO fO0 \| MIGRATED \| <none>           \| {stamp} \| {stamp} \| N/A          \n"
        rf" 2       \| bar bar BAR \| MIGRATED \| 1                \| {stamp} \| {stamp} \| N/A          \n"
        r"-+\n",
        output,
    ), output


def _verify_migrations_applied(server: Any) -> None:
    for name in ("FOO", "`bar`", "CAR", "HOMES"):
        _describe(server, name)
    assert server.names("TABLE") == [MIGRATIONS_TABLE.upper()]  # blue was dropped
    # SET / UNSET
    assert _describe(server, "`bar`")["topic"].startswith("cool")
    assert not _describe(server, "CAR")["topic"].startswith("cool")
    # the metadata table
    for key, version, name, previous in (("1", "1", "foo FOO fO0", "<none>"), ("CURRENT", "2", "bar bar BAR", "1"),
                                          ("2", "2", "bar bar BAR", "1")):
        row = _table_row(server, key)
        assert (row[1], row[2], row[3], row[7]) == (version, name, "MIGRATED", previous)
    # FOO: its columns after ALTER, the values the INSERTs gave
    foo = server.query("SELECT * FROM FOO;")
    assert foo[0] == ["HELLO", 50, -4325]
    assert foo[1] == ["GOOD'BYE", None, None]
    assert foo[2][0] == "${onlyDefinedInFile1}--ha\nha"
    assert foo[3][0] == ""
    assert foo[4][0] is None
    assert len(foo) == 5
    # `bar` is written by its query and by INSERT INTO ... SELECT (assertThatEventually)
    expected = {"HELLOwoo'hoo", "GOOD'BYEwoo'hoo", "${onlyDefinedInFile1}--ha\nhawoo'hoo", "woo'hoo"}
    deadline = time.monotonic() + 15
    while True:
        bar = {row[0] for row in server.query("SELECT * FROM `bar`;")}
        if expected <= bar or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert expected <= bar
    # C stays, D was dropped
    [connectors] = server.ksql("SHOW CONNECTORS;")
    assert [(c["name"], c["type"]) for c in connectors["connectors"]] == [("C", "source")]  # ConnectorType as Connect writes it
    homes = server.query("SELECT * FROM HOMES;")
    assert homes == [[{"NUMBER": 123, "STREET": "sesame st", "CITY": "${variable}"}]]
    [types] = server.ksql("LIST TYPES;")
    assert types["types"] == {}
