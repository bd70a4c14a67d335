"""The stack's services: how each is configured, started and asked whether it really answers."""

from __future__ import annotations

import base64
import importlib.util
import logging
import socket
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import requests

from fraudlab.stack import security
from fraudlab.stack.config import StackConfig
from fraudlab.stack.errors import StackConflictError
from fraudlab.stack.ksql_process import ksql_server_answers, ksqlserver_command

LOG4J2 = """\
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.console.ref = STDOUT
logger.kafka.name = kafka
logger.kafka.level = WARN
logger.apache.name = org.apache.kafka
logger.apache.level = WARN
logger.startup.name = org.apache.kafka.connect.runtime.Connect
logger.startup.level = INFO
logger.fraudlab.name = io.fraudlab
logger.fraudlab.level = INFO
"""


def _java_cmd(config: StackConfig, heap_mb: int, main: str, props: Path, log4j: Path) -> list[str]:
    return [
        config.java,
        f"-Xms{min(128, heap_mb)}m",
        f"-Xmx{heap_mb}m",
        "-XX:+UseG1GC",
        "-XX:MaxMetaspaceSize=192m",
        "-XX:MaxDirectMemorySize=256m",
        "-Djava.awt.headless=true",
        f"-Dlog4j2.configurationFile={log4j}",
        "-cp",
        str(config.lib_dir / "*"),
        main,
        str(props),
    ]


def _write_properties(path: Path, props: dict[str, str]) -> None:
    path.write_text("".join(f"{k}={v}\n" for k, v in props.items()))


def new_cluster_id() -> str:
    """A Kafka Uuid string: 16 random bytes, URL-safe base64 without padding. Like Kafka's own
    `Uuid.randomUuid`, never one starting with '-', which the storage tool would take for an option."""
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cluster_id.startswith("-"):
            return cluster_id


@dataclass(frozen=True)
class Service:
    name: str
    config: StackConfig
    start_after_broker: bool = False

    @property
    def dir(self) -> Path:
        return self.config.state_dir / self.name

    @property
    def log_path(self) -> Path:
        return self.dir / "service.log"

    @property
    def pid_path(self) -> Path:
        return self.dir / "pid.json"

    @property
    def port(self) -> int:
        raise NotImplementedError

    @property
    def address(self) -> str:
        raise NotImplementedError

    def prepare(self) -> list[list[str]]:
        """Write config files; return commands to run to completion before the service starts."""
        return []

    def command(self) -> list[str]:
        raise NotImplementedError

    def healthy(self) -> bool:
        raise NotImplementedError


class Broker(Service):
    @property
    def port(self) -> int:
        return self.config.kafka_port

    @property
    def address(self) -> str:
        return self.config.bootstrap_servers

    def _props(self) -> Path:
        return self.dir / "server.properties"

    def prepare(self) -> list[list[str]]:
        c = self.config
        data = self.dir / "data"
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "log4j2.properties").write_text(LOG4J2)
        props = {
            "process.roles": "broker,controller",
            "node.id": "1",
            "controller.quorum.voters": f"1@{c.host}:{c.controller}",
            "listeners": f"PLAINTEXT://{c.host}:{c.kafka_port},CONTROLLER://{c.host}:{c.controller}",
            "advertised.listeners": f"PLAINTEXT://{c.host}:{c.kafka_port}",
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "PLAINTEXT",
            "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            "log.dirs": str(data),
            "num.partitions": "1",
            "offsets.topic.replication.factor": "1",
            "offsets.topic.num.partitions": "10",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "transaction.state.log.num.partitions": "10",
            "share.coordinator.state.topic.replication.factor": "1",
            "share.coordinator.state.topic.min.isr": "1",
            "group.initial.rebalance.delay.ms": "0",
            "auto.create.topics.enable": "true",
            "log.retention.hours": "168",
            "message.max.bytes": "10485760",
            **c.extra_broker_properties,
        }
        material = stack_material(c)
        if material is not None:
            props.update(security.broker_properties(material, c.host, c.kafka_port, c.controller))
            props.update(c.extra_broker_properties)
        _write_properties(self._props(), props)
        profile_file = self.dir / "security.profile"
        if (data / "meta.properties").is_file():
            formatted_as = profile_file.read_text().strip() if profile_file.is_file() else "none"
            if formatted_as != c.security:
                # SCRAM users and listeners are fixed when the storage is formatted
                raise StackConflictError(
                    f"the stack in {c.state_dir} was set up with --security {formatted_as}, not "
                    f"{c.security}; use another --state-dir (or delete this one)"
                )
            return []
        profile_file.write_text(c.security + "\n")
        cluster_id_file = self.dir / "cluster.id"
        # not formatted yet, so an id from an earlier failed attempt can still be replaced
        if not cluster_id_file.is_file() or cluster_id_file.read_text().startswith("-"):
            cluster_id_file.write_text(new_cluster_id())
        fmt = _java_cmd(c, 256, "kafka.tools.StorageTool", self._props(), self.dir / "log4j2.properties")
        # StorageTool takes sub-command arguments instead of a bare properties path.
        fmt = [*fmt[:-1], "format", "-t", cluster_id_file.read_text().strip(), "-c", str(self._props())]
        if material is not None:
            fmt += security.scram_format_arguments(material)
        return [fmt]

    def command(self) -> list[str]:
        c = self.config
        return _java_cmd(c, c.broker_heap_mb, "kafka.Kafka", self._props(), self.dir / "log4j2.properties")

    def healthy(self) -> bool:
        return broker_answers(self.config.bootstrap_servers, client_settings(self.config, "admin"))


def stack_material(config: StackConfig) -> security.Material | None:
    """The secured profile's certificates and passwords (created on first use), or None."""
    if not config.secured:
        return None
    return security.ensure_material(config.state_dir, config.security, config.host)


def client_settings(config: StackConfig, user: str = "fraudlab") -> dict[str, str]:
    """librdkafka settings (beyond bootstrap.servers) for `user` on this stack; empty when unsecured."""
    material = stack_material(config)
    return security.librdkafka_settings(material, user) if material is not None else {}


def broker_answers(
    bootstrap_servers: str, settings: dict[str, str] | None = None, timeout_s: float = 3.0
) -> bool:
    """True when the broker returns cluster metadata with at least one broker."""
    host, _, port = bootstrap_servers.split(",")[0].rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=1.0):
            pass
    except OSError:
        return False
    from confluent_kafka.admin import AdminClient

    quiet = logging.getLogger("fraudlab.stack.probe")
    quiet.addHandler(logging.NullHandler())
    quiet.propagate = False
    admin = AdminClient({"bootstrap.servers": bootstrap_servers, "logger": quiet, **(settings or {})})
    try:
        meta = admin.list_topics(timeout=timeout_s)
    except Exception:  # KafkaException while the broker is still starting
        return False
    return bool(meta.brokers)


class Connect(Service):
    @property
    def port(self) -> int:
        return self.config.connect_port

    @property
    def address(self) -> str:
        return self.config.connect_url

    def _props(self) -> Path:
        return self.dir / "worker.properties"

    def prepare(self) -> list[list[str]]:
        c = self.config
        self.dir.mkdir(parents=True, exist_ok=True)
        c.spool_dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "log4j2.properties").write_text(LOG4J2)
        props = {
            "bootstrap.servers": c.bootstrap_servers,
            "group.id": "fraudlab-connect",
            "key.converter": "org.apache.kafka.connect.storage.StringConverter",
            "value.converter": "org.apache.kafka.connect.json.JsonConverter",
            "value.converter.schemas.enable": "false",
            "config.storage.topic": "_connect-configs",
            "offset.storage.topic": "_connect-offsets",
            "status.storage.topic": "_connect-status",
            "config.storage.replication.factor": "1",
            "offset.storage.replication.factor": "1",
            "status.storage.replication.factor": "1",
            "offset.storage.partitions": "5",
            "status.storage.partitions": "1",
            "offset.flush.interval.ms": "1000",
            "listeners": f"http://{c.host}:{c.connect_port}",
            "rest.advertised.host.name": c.host,
            "rest.advertised.port": str(c.connect_port),
            "plugin.path": str(c.plugins_dir),
            "plugin.discovery": "service_load",
            "producer.linger.ms": "20",
            "producer.batch.size": "262144",
        }
        material = stack_material(c)
        if material is not None:
            client = security.java_client_properties(material, "connect")
            # the worker's own clients, and those it makes for connectors
            for prefix in ("", "producer.", "consumer.", "admin."):
                props.update({prefix + k: v for k, v in client.items()})
        props.update(c.extra_connect_properties)
        _write_properties(self._props(), props)
        return []

    def command(self) -> list[str]:
        c = self.config
        return _java_cmd(
            c,
            c.connect_heap_mb,
            "org.apache.kafka.connect.cli.ConnectDistributed",
            self._props(),
            self.dir / "log4j2.properties",
        )

    def healthy(self) -> bool:
        try:
            resp = requests.get(f"{self.config.connect_url}/connector-plugins", timeout=3)
        except requests.RequestException:
            return False
        return resp.status_code == 200 and isinstance(resp.json(), list) and len(resp.json()) > 0


class SchemaRegistry(Service):
    """The project's Confluent-compatible schema registry (`python -m schemaregistry`), its state in
    the broker's compacted `_schemas` topic, so it survives `down`/`up` like the topics do."""

    @property
    def port(self) -> int:
        return self.config.schema_registry_port

    @property
    def address(self) -> str:
        return self.config.schema_registry_url

    def prepare(self) -> list[list[str]]:
        self.dir.mkdir(parents=True, exist_ok=True)
        return []

    def command(self) -> list[str]:
        c = self.config
        return [
            sys.executable or c.python,
            "-m",
            "schemaregistry",
            "--bootstrap-servers",
            c.bootstrap_servers,
            "--listen",
            f"{c.host}:{c.schema_registry_port}",
            "--init-timeout",
            str(c.start_timeout_s),
            *self._security(),
        ]

    def _security(self) -> list[str]:
        material = stack_material(self.config)
        if material is None:
            return []
        return ["--kafka-config", str(material.service_kafka_properties("schemaregistry"))]

    def healthy(self) -> bool:
        try:
            resp = requests.get(f"{self.config.schema_registry_url}/subjects", timeout=3)
        except requests.RequestException:
            return False
        return resp.status_code == 200 and isinstance(resp.json(), list)


def schema_registry_available() -> bool:
    try:
        return importlib.util.find_spec("schemaregistry.__main__") is not None
    except ModuleNotFoundError:
        return False


class Ksql(Service):
    @property
    def port(self) -> int:
        return self.config.ksql_port

    @property
    def address(self) -> str:
        return self.config.ksql_url

    def prepare(self) -> list[list[str]]:
        (self.dir / "state").mkdir(parents=True, exist_ok=True)
        return []

    def command(self) -> list[str]:
        c = self.config
        return ksqlserver_command(c.bootstrap_servers, f"{c.host}:{c.ksql_port}", self.dir / "state",
                                  extra_args=[*self._functions(), *self._registry(), *self._connect(), *self._processing_log(),
                                              *self._security()],
                                  python=sys.executable or c.python)

    def _security(self) -> list[str]:
        material = stack_material(self.config)
        return security.ksql_server_arguments(material) if material is not None else []

    def _registry(self) -> list[str]:
        """The stack's schema registry, as ksqlDB's `ksql.schema.registry.url` property."""
        c = self.config
        if not (c.with_schema_registry and schema_registry_available()):
            return []
        return ["-p", f"ksql.schema.registry.url={c.schema_registry_url}"]

    def _processing_log(self) -> list[str]:
        """The processing log keeps each unreadable record's bytes (ksqlDB leaves them out by default), so a
        malformed transaction can be recovered from it: nothing is lost. docker-compose.yml sets the same."""
        return ["-p", "ksql.logging.processing.rows.include=true"]

    def _connect(self) -> list[str]:
        """The stack's Connect worker, as ksqlDB's `ksql.connect.url` (CREATE/SHOW/DROP CONNECTOR)."""
        return ["-p", f"ksql.connect.url={self.config.connect_url}"]

    def _functions(self) -> list[str]:
        """fraudlab's KSQL functions (ANOMALY_SCORE, ANOMALY_THRESHOLD), on the project's default
        bundle models/fraud when it holds one (without it the functions say which property is missing)."""
        from fraudlab.ksql_udf import extension_dir, server_properties

        args = ["--extension-dir", str(extension_dir())]
        bundle = self.config.project_root / "models" / "fraud"
        if (bundle / "model.json").is_file():
            for key, value in server_properties(bundle).items():
                args += ["-p", f"{key}={value}"]
        return args

    def healthy(self) -> bool:
        material = stack_material(self.config)
        auth = verify = None
        if material is not None:
            auth = (security.KSQL_USER, material.passwords[security.KSQL_USER])
            verify = str(material.ca) if material.tls else None
        return ksql_server_answers(self.config.ksql_url, auth=auth, verify=verify or True)


def ksql_available() -> bool:
    """The KSQL server joins the stack once `ksqlserver` can be started as a program."""
    try:
        return importlib.util.find_spec("ksqlserver.__main__") is not None
    except ModuleNotFoundError:
        return False


def services_for(config: StackConfig) -> list[Service]:
    # The registry starts once the broker answers (it reads `_schemas` first) and is awaited before
    # Connect, whose JVM start-up overlaps both, except when secured: the TLS/SASL broker takes longer
    # to answer than the worker waits for the cluster id on a busy machine.
    services: list[Service] = [Broker("broker", config)]
    if config.with_schema_registry and schema_registry_available():
        services.append(SchemaRegistry("schema-registry", config, start_after_broker=True))
    services.append(Connect("connect", config, start_after_broker=config.secured))
    if config.with_ksql and ksql_available():
        services.append(Ksql("ksql", config, start_after_broker=True))
    return services
