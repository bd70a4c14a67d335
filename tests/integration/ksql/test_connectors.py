"""The connector statements against the stack's real Kafka Connect worker, through the unchanged
`ksql-python-ng` client: SHOW CONNECTOR PLUGINS, CREATE SOURCE CONNECTOR with the FileStream source,
SHOW CONNECTORS until it runs, DESCRIBE CONNECTOR, its lines in its topic, DROP CONNECTOR."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ksql.errors import KSQLError

from fraudlab.kafka import KafkaConfig, create_topic, read_records
from fraudlab.stack import KsqlServerProcess
from ksql import KSQLAPI

pytestmark = pytest.mark.integration

FILE_SOURCE = "org.apache.kafka.connect.file.FileStreamSourceConnector"


def wait_for(what: str, probe: Callable[[], Any], timeout_s: float = 90.0) -> Any:
    deadline = time.monotonic() + timeout_s
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.5)


def test_file_source_connector_through_ksql(
    bootstrap_servers: str,
    connect_url: str,
    kafka_config: KafkaConfig,
    launch_ksqlserver: Callable[..., KsqlServerProcess],
    unique_name: Callable[[str], str],
    tmp_path: Path,
) -> None:
    server = launch_ksqlserver(bootstrap_servers, extra_args=("-p", f"ksql.connect.url={connect_url}"))
    client = KSQLAPI(server.url)
    name, topic = unique_name("lines"), unique_name("lines_topic").lower()
    lines = ["first line", "second line", "third line"]
    source = tmp_path / "lines.txt"
    source.write_text("\n".join(lines) + "\n")
    create_topic(kafka_config, topic)

    [plugins] = client.ksql("SHOW CONNECTOR PLUGINS;")
    assert plugins["@type"] == "connector_plugins_list"
    assert {"className": FILE_SOURCE, "type": "source"}.items() <= next(
        p for p in plugins["connectorsPlugins"] if p["className"] == FILE_SOURCE
    ).items()

    create = (
        f"CREATE SOURCE CONNECTOR {name} WITH (\"connector.class\"='{FILE_SOURCE}', 'file'='{source}', "
        f"'topic'='{topic}', 'tasks.max'='1', "
        "'value.converter'='org.apache.kafka.connect.storage.StringConverter');"
    )
    [created] = client.ksql(create)
    assert created["@type"] == "connector_info"
    assert created["info"]["name"] == name and created["info"]["type"] == "source"
    assert created["info"]["config"]["file"] == str(source)
    assert "'file'='[string]'" in created["statementText"]

    with pytest.raises(KSQLError) as clash:
        client.ksql(create)
    assert clash.value.error_code == 40900 and clash.value.msg == f"Connector {name} already exists"

    def running() -> dict[str, Any] | None:
        try:
            [listing] = client.ksql("SHOW SOURCE CONNECTORS;")
        except KSQLError as e:
            # until the worker has written the new connector's first status, Connect answers its status
            # with 404, and ksqlDB 0.29's ListConnectorsExecutor fails reading it, as ours does
            assert (e.error_code, e.msg) == (50000, "No value present"), e
            return None
        return next((c for c in listing["connectors"] if c["name"] == name and c["state"].startswith("RUNNING (1/")), None)

    assert wait_for("the connector to run", running) == {
        "name": name, "type": "source", "className": FILE_SOURCE, "state": "RUNNING (1/1 tasks RUNNING)"
    }

    [described] = client.ksql(f"DESCRIBE CONNECTOR {name};")
    assert described["@type"] == "connector_description"
    assert described["connectorClass"] == FILE_SOURCE
    assert described["status"]["name"] == name and described["status"]["connector"]["state"] == "RUNNING"
    assert [t["state"] for t in described["status"]["tasks"]] == ["RUNNING"]
    assert described["topics"] == [] and described["sources"] == []  # ksqlDB: only for JDBC sources

    def arrived() -> list[str] | None:
        values = [r.value.decode() for r in read_records(kafka_config, topic, timeout_s=5)]  # type: ignore[union-attr]
        return values if len(values) >= len(lines) else None

    assert wait_for("the file's lines in the topic", arrived, timeout_s=60) == lines

    [dropped] = client.ksql(f"DROP CONNECTOR {name};")
    assert dropped == {"@type": "drop_connector", "statementText": f"DROP CONNECTOR {name};", "warnings": [],
                       "connectorName": name}
    [listing] = client.ksql("SHOW CONNECTORS;")
    assert name not in [c["name"] for c in listing["connectors"]]
    [warning] = client.ksql(f"DROP CONNECTOR IF EXISTS {name};")
    assert warning["message"] == f"Connector '{name}' does not exist."
