"""The `sasl_ssl` stack profile against real clients: what `fraudlab stack client-config` prints works for
confluent-kafka, Connect ingests as its own SCRAM user, the KSQL server answers ksql-python-ng over HTTPS
with basic auth; and an unauthenticated client, a wrong password or a plaintext connection is refused
with one clear line from fraudlab's command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from fraudlab.connect import IngestConfig, ingest
from fraudlab.kafka import KafkaConfig, create_topic, produce_values, read_records
from fraudlab.kafka.config import read_properties
from fraudlab.kafka.diagnose import KafkaConnectionError, check_connection
from fraudlab.stack import StackConfig


def fraudlab(*args: str) -> subprocess.CompletedProcess[str]:
    # the CLI as a user runs it: without the trust bundle an earlier in-process KSQL client of this session
    # (fraudlab.ksql.client.trust_ca, e.g. a notebook test's) left in SSL_CERT_FILE, so "no CA" means none
    env = dict(os.environ)
    if "fraudlab-ksql-trust-" in env.get("SSL_CERT_FILE", ""):
        env.pop("SSL_CERT_FILE")
    return subprocess.run(
        [sys.executable, "-m", "fraudlab.cli", *args], capture_output=True, text=True, timeout=120, env=env
    )


@pytest.fixture(scope="module")
def client_properties(secured_stack: StackConfig) -> Path:
    done = fraudlab("stack", "client-config", "--state-dir", str(secured_stack.state_dir), "--path")
    assert done.returncode == 0, done.stderr
    return Path(done.stdout.strip())


@pytest.fixture(scope="module")
def secured_kafka(client_properties: Path) -> KafkaConfig:
    return KafkaConfig.from_file(client_properties)


def variant(source: Path, tmp_path: Path, name: str, **changes: str | None) -> Path:
    """A copy of the client config with some properties changed (None removes one)."""
    props = read_properties(source)
    for key, value in changes.items():
        key = key.replace("_", ".")
        if value is None:
            props.pop(key, None)
        else:
            props[key] = value
    path = tmp_path / f"{name}.properties"
    path.write_text("".join(f"{k}={v}\n" for k, v in props.items()))
    return path


def test_client_config_prints_what_confluent_kafka_needs(secured_stack: StackConfig) -> None:
    done = fraudlab("stack", "client-config", "--state-dir", str(secured_stack.state_dir))
    assert done.returncode == 0, done.stderr
    props = dict(line.split("=", 1) for line in done.stdout.splitlines() if line and not line.startswith("#"))
    assert props["bootstrap.servers"] == secured_stack.bootstrap_servers
    assert props["security.protocol"] == "SASL_SSL"
    assert props["sasl.mechanism"] == "SCRAM-SHA-512"
    assert Path(props["ssl.ca.location"]).read_text().startswith("-----BEGIN CERTIFICATE-----")
    assert not any(k.startswith("fraudlab.") for k in props)  # only librdkafka keys by default
    from confluent_kafka.admin import AdminClient

    metadata = AdminClient(props).list_topics(timeout=30)  # the printed lines, as they are
    assert metadata.brokers


def test_produce_and_consume_over_sasl_ssl(secured_kafka: KafkaConfig, topic_name: str) -> None:
    create_topic(secured_kafka, topic_name, partitions=2)
    produce_values(secured_kafka, topic_name, [f"v{i}".encode() for i in range(500)], progress=False)
    records = read_records(secured_kafka, topic_name, limit=500, timeout_s=60)
    assert sorted(r.value for r in records) == sorted(f"v{i}".encode() for i in range(500))


def test_connect_ingests_as_a_scram_client(
    secured_stack: StackConfig, secured_kafka: KafkaConfig, seed_dir: Path, topic_name: str
) -> None:
    config = IngestConfig(secured_kafka, secured_stack.connect_url, secured_stack.spool_dir, timeout_s=120,
                          progress=False)
    report = ingest(seed_dir / "creditcard_small.csv", topic_name, config, connector="csv")
    assert (report.rows, report.ingested, report.dead_lettered) == (999, 999, 0)
    worker = (secured_stack.state_dir / "connect" / "worker.properties").read_text()
    assert "producer.security.protocol=SASL_SSL" in worker and 'username="connect"' in worker


@pytest.mark.parametrize(
    ("case", "changes", "reason"),
    [
        ("wrong-password", {"sasl_password": "not-the-password"}, "wrong user name or password"),
        # TLS without SASL: an unauthenticated client
        ("unauthenticated", {"security_protocol": "SSL", "sasl_mechanism": None, "sasl_username": None,
                             "sasl_password": None}, "expects SASL_SSL"),
        ("plaintext", {"security_protocol": "PLAINTEXT", "sasl_mechanism": None, "sasl_username": None,
                       "sasl_password": None}, "closed the plaintext connection"),
        # without the stack's CA the system's trust store cannot verify the broker
        ("untrusted-ca", {"ssl_ca_location": None}, "TLS failed"),
    ],
)
def test_refused_clients_get_one_line(
    secured_stack: StackConfig, client_properties: Path, tmp_path: Path, case: str,
    changes: dict[str, str | None], reason: str,
) -> None:
    bad = variant(client_properties, tmp_path, case, **changes)
    done = fraudlab("topics", "list", "--state-dir", str(secured_stack.state_dir), "--client-config", str(bad))
    assert done.returncode == 1
    lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"error: cannot use Kafka at {secured_stack.bootstrap_servers}: ")
    assert reason in lines[0]
    with pytest.raises(KafkaConnectionError, match=reason):
        check_connection(KafkaConfig.from_file(bad), timeout_s=10)


def test_ksql_python_ng_over_https_with_basic_auth(
    secured_stack: StackConfig, client_properties: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ksql.errors import KSQLError

    from ksql import KSQLAPI

    props = read_properties(client_properties)
    user, _, password = props["fraudlab.ksql.basic.auth.user.info"].partition(":")
    url = props["fraudlab.ksql.url"]
    assert url == secured_stack.ksql_url and url.startswith("https://")
    # ksql-python-ng verifies the server through httpx's default trust store: SSL_CERT_FILE names the CA
    monkeypatch.setenv("SSL_CERT_FILE", props["fraudlab.ksql.ssl.ca.location"])
    security = secured_stack.state_dir / "security"
    api = KSQLAPI(url, api_key=user, secret=password, cert=(str(security / "client.pem"), str(security / "client.key")))
    stream = f"SEC_{uuid.uuid4().hex[:8].upper()}"
    api.ksql(f"CREATE STREAM {stream} (ID INT, NAME STRING) WITH (KAFKA_TOPIC='{stream.lower()}', "
             "VALUE_FORMAT='JSON', PARTITIONS=1);")
    api.ksql(f"INSERT INTO {stream} (ID, NAME) VALUES (1, 'one');")
    assert stream in {s["name"] for s in api.ksql("SHOW STREAMS;")[0]["streams"]}
    for http2 in (False, True):
        chunks = "".join(api.query(f"SELECT * FROM {stream} EMIT CHANGES LIMIT 1;", use_http2=http2,
                                   stream_properties={"ksql.streams.auto.offset.reset": "earliest"}))
        assert "one" in chunks, (http2, chunks)

    with pytest.raises(ValueError, match="401"):
        KSQLAPI(url, api_key=user, secret="wrong")
    with pytest.raises(KSQLError, match="Unauthorized"):
        KSQLAPI(url, check_version=False).ksql("SHOW STREAMS;")
    no_auth = httpx.get(url + "/info", verify=props["fraudlab.ksql.ssl.ca.location"])
    assert no_auth.status_code == 401 and no_auth.json()["error_code"] == 40100
    with pytest.raises(httpx.TransportError):
        httpx.get(url.replace("https://", "http://") + "/info", auth=(user, password), timeout=10)


@pytest.mark.parametrize(
    ("case", "reason"),
    [("wrong-password", "HTTP 401"), ("no-ca", "not trusted"), ("http", "does it serve https")],
)
def test_ksql_refusals_are_one_line(
    secured_stack: StackConfig, client_properties: Path, tmp_path: Path, case: str, reason: str
) -> None:
    args = ["ksql", "apply", "--state-dir", str(secured_stack.state_dir), "--only", "01_source_streams.sql"]
    if case == "wrong-password":
        args += ["--client-config", str(variant(client_properties, tmp_path, case,
                                                **{"fraudlab.ksql.basic.auth.user.info": "fraudlab:nope"}))]
    elif case == "no-ca":
        args += ["--client-config", str(variant(client_properties, tmp_path, case,
                                                **{"fraudlab.ksql.ssl.ca.location": None}))]
    else:
        args += ["--ksql-url", secured_stack.ksql_url.replace("https://", "http://")]
    done = fraudlab(*args)
    assert done.returncode == 1
    lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: cannot use the KSQL server at ") and reason in lines[0], lines[0]


def test_stack_json_and_kafka_config_from_stack(secured_stack: StackConfig) -> None:
    recorded = json.loads((secured_stack.state_dir / "stack.json").read_text())
    assert recorded["security"] == "sasl_ssl"
    config = KafkaConfig.from_stack(secured_stack.state_dir)
    assert config.sasl_username == "fraudlab" and config.security_protocol == "SASL_SSL"
    assert "sasl_password" not in repr(config.sasl_password) and "****" in repr(config.sasl_password)
    check_connection(config)
