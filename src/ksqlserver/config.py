"""Configuration built once at the edge (the CLI or a test) and passed down: `EngineConfig` for the engine,
`ServerConfig` for the REST server."""

from __future__ import annotations

import re
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ksqlserver.errors import KsqlError


class ConfigError(KsqlError):
    """A bad server setting (listen address, credentials file); names the offending input."""

    error_code = 40000

    def __init__(self, message: str, value: str = "") -> None:
        super().__init__(message)
        self.value = value


@dataclass(frozen=True)
class EngineConfig:
    """Everything the engine needs, built once by the CLI (or a test) and passed down."""

    service_id: str = "default_"
    state_dir: Path | None = None
    extension_dir: Path | None = None
    # ksqlDB server-level properties (e.g. "ksql.streams.auto.offset.reset"), shown by SHOW PROPERTIES
    properties: Mapping[str, str] = field(default_factory=dict)
    # False: each persistent/push query runs on its own thread. True: nothing runs until `Engine.drain()`
    # (deterministic order for the conformance runner and unit tests).
    synchronous: bool = False
    processing_log: bool = True
    # record statements in the command topic and replay it at start (restart, scale-out)
    command_topic: bool = True
    batch_size: int = 10_000
    poll_timeout: float = 0.1
    # True: Kafka Streams' wall clock stands still at 0, as in ksqlDB's test harness, so the wall-clock
    # pacing of EMIT FINAL and of outer joins' held results lets only their first look through
    frozen_wall_clock: bool = False
    # False: topics are made as ksqlDB's test harness makes them, without TopicCreateInjector (no topic
    # configs, no check of a topic that exists already)
    topic_injector: bool = True
    # False: statements run as ksqlDB's engine unit tests run them (KsqlEngineTestUtil: no
    # SchemaRegisterInjector), so what planning refuses in a CREATE ... AS SELECT is not wrapped in its
    # "Could not determine output schema for query due to error: " (the /ksql server and the QTT harness do)
    schema_register_injector: bool = True
    # joins on something other than a stream's key, over several partitions, re-key that stream through a
    # repartition topic first. None: on drivers over durable topics (Kafka), where servers share a join's
    # partitions; not in memory, where one process sees everything and the stage would reorder the sides
    join_repartition: bool | None = None
    # the generated fast loops (plan/fast/) where a query qualifies; False runs every query on the generic
    # operators alone (the differential tests compare the two)
    fast_paths: bool = True
    # the Kafka Connect worker of the connector statements (ksql.connect.url) and how long one of its
    # requests may take (ksql.connect.request.timeout.ms, in seconds)
    connect_url: str = "http://localhost:8083"
    connect_timeout: float = 5.0

    @property
    def persistent_prefix(self) -> str:
        """KsqlConfig.KSQL_PERSISTENT_QUERY_NAME_PREFIX_CONFIG (`ksql.persistent.prefix`, default `query_`) as the
        server sets it; a request may override it for the queries it starts (Session.persistent_prefix)."""
        return self.properties.get("ksql.persistent.prefix", "query_")

    def query_application_id(self, query_id: str, persistent_prefix: str | None = None) -> str:
        """QueryApplicationId.build(config, true, queryId): the query's Kafka Streams application id, which
        names its consumer group and starts its changelog and repartition topics (buildInternalTopicPrefix).
        `persistent_prefix`: the statement's ksql.persistent.prefix when a request overrode it (QueryRegistryImpl
        builds a query with its SessionConfig, overrides applied); the server's otherwise."""
        prefix = self.persistent_prefix if persistent_prefix is None else persistent_prefix
        return f"_confluent-ksql-{self.service_id}{prefix}{query_id}"

    def transient_application_id(self, query_id: str, transient_prefix: str) -> str:
        """QueryApplicationId.build(config, false, queryId): `_confluent-ksql-<service id><ksql.transient.prefix>
        <query id>`, then addTimeSuffix's `_<epoch millis>`."""
        return f"_confluent-ksql-{self.service_id}{transient_prefix}{query_id}_{int(time.time() * 1000)}"

    @property
    def processing_log_topic(self) -> str:
        """ksqlDB's ReservedInternalTopics.processingLogTopic: `ksql.logging.processing.topic.name` when
        set, else `<service id>ksql_processing_log`."""
        return self.properties.get("ksql.logging.processing.topic.name") or f"{self.service_id}ksql_processing_log"


@dataclass(frozen=True)
class Secret:
    """A password that never shows up in reprs, logs or tracebacks."""

    value: str = field(repr=False)

    def __repr__(self) -> str:
        return "Secret('**********')"


@dataclass(frozen=True)
class ServerConfig:
    """Transport and streaming settings of the REST server.

    `credentials` enables HTTP basic auth on every endpoint when non-empty (user -> password).
    `gc_threshold`: allocations between garbage collections of the server process (runtime/gc_policy.py;
    0 keeps Python's default). `keepalive_interval`: ksqlDB's `query.stream.disconnect.check`, the seconds of
    silence after which the legacy /query writer (`ksql.endpoint.migrate.query=false`) sends a lone `\\n`.
    With the default `ksql.endpoint.migrate.query=true`, as in ksqlDB 0.29, /query and /query-stream send
    nothing while a push query is idle, so a client's read timeout ends a silent query. `poll_timeout`: how long one `PushQuery.poll` may block,
    which bounds how late a disconnect or shutdown is noticed.
    """

    host: str = "127.0.0.1"
    port: int = 8088
    credentials: Mapping[str, Secret] = field(default_factory=dict)
    # the roles of each user (a password file's `user: password,role,...` lines) and what ksqlDB's
    # RoleBasedAuthZHandler allows: `authentication.roles` parsed by server/auth.allowed_roles (None: any user)
    user_roles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    auth_roles: tuple[str, ...] | None = None
    auth_realm: str = ""  # authentication.realm: named in the 401's WWW-Authenticate
    auth_skip_paths: tuple[str, ...] = ()  # authentication.skip.paths (wildcards `*`)
    keepalive_interval: float = 1.0
    migrate_query: bool = True  # ksql.endpoint.migrate.query
    poll_timeout: float = 0.5
    max_push_queries: int = 100  # ksql.max.push.queries
    pull_max_qps: int = 2147483647  # ksql.query.pull.max.qps
    heartbeat_enabled: bool = False  # ksql.heartbeat.enable: /heartbeat and /clusterStatus answer 404 without
    lag_reporting_enabled: bool = False  # ksql.lag.reporting.enable: /lag answers 404 without
    query_threads: int = 8
    max_request_bytes: int = 16 * 1024 * 1024
    service_id: str = "default_"
    kafka_cluster_id: str = ""
    gc_threshold: int = 100_000
    # HTTPS when both are set: a PEM certificate chain and its PEM private key
    tls_cert: Path | None = None
    tls_key: Path | None = None
    # a client that has not sent a whole request head this long after connecting (or after its last
    # response, on a kept-alive connection) gets 408 and is disconnected
    request_header_timeout: float = 30.0
    # a non-streaming request body must arrive within this long
    request_body_timeout: float = 30.0
    # access.control.allow.origin / .methods / .headers: cross-origin requests (server/cors.py)
    cors_allow_origin: str = ""
    cors_allow_methods: tuple[str, ...] = ()
    cors_allow_headers: tuple[str, ...] = ()
    # ksql.properties.overrides.denylist: properties a request may not override (ksql.service.id never may)
    denied_overrides: tuple[str, ...] = ()

    @property
    def tls(self) -> bool:
        return self.tls_cert is not None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"

    def ssl_context(self) -> ssl.SSLContext | None:
        """The server side of TLS, offering HTTP/2 and HTTP/1.1 by ALPN; None without a certificate."""
        if self.tls_cert is None:
            return None
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        try:
            context.load_cert_chain(str(self.tls_cert), str(self.tls_key) if self.tls_key else None)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(f"cannot load the TLS certificate {self.tls_cert}: {exc}", str(self.tls_cert)) from exc
        context.set_alpn_protocols(["h2", "http/1.1"])
        return context


def parse_listen(value: str) -> tuple[str, int]:
    """`127.0.0.1:8088`, `http://localhost:8088` or `[::1]:8088` -> (host, port). Of a comma-separated
    list (ksqlDB's `listeners`), the first, as ServerUtil.getServerAddress takes it."""
    text = value.split(",", 1)[0].strip()
    for scheme in ("http://", "https://"):
        if text.startswith(scheme):
            text = text[len(scheme) :]
    text = text.rstrip("/")
    host, sep, port_text = text.rpartition(":")
    if not sep or not host or not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
        raise ConfigError(f"invalid listen address {value!r}: expected HOST:PORT, e.g. 127.0.0.1:8088", value)
    return host.strip("[]"), int(port_text)


def parse_credentials(value: str) -> dict[str, Secret]:
    """`USER:PASS`, or the path of a password file as Jetty's PropertyFileLoginModule reads it (the one
    ksqlDB's JAAS realm names): one `USER: PASS[,ROLE ...]` per line, `#` comments allowed."""
    return {user: secret for user, (secret, _) in _password_entries(value).items()}


def parse_user_roles(value: str) -> dict[str, tuple[str, ...]]:
    """The roles of each user of a password file (see parse_credentials); none for `USER:PASS`."""
    return {user: roles for user, (_, roles) in _password_entries(value).items()}


def _password_entries(value: str) -> dict[str, tuple[Secret, tuple[str, ...]]]:
    path = Path(value)
    if path.is_file():
        lines = [
            line.strip()
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.strip().startswith("#")
        ]
        source = f"basic-auth file {value}"
    else:
        lines = [value]
        source = "--basic-auth"
    users: dict[str, tuple[Secret, tuple[str, ...]]] = {}
    for line in lines:
        user, sep, password = line.partition(":")
        if not sep or not user.strip() or not password:
            raise ConfigError(f"invalid credentials in {source}: expected USER:PASS", user)
        if source == "--basic-auth":
            users[user.strip()] = (Secret(password), ())
        else:  # PropertyUserStore: the password, then comma-separated roles
            secret, *roles = (part.strip() for part in password.split(","))
            users[user.strip()] = (Secret(secret), tuple(r for r in roles if r))
    if not users:
        raise ConfigError(f"no credentials in {source}", value)
    return users


def jaas_password_file(jaas_config: str, realm: str) -> str:
    """The password file of `realm` in a JAAS config file (java.security.auth.login.config), as ksqlDB's
    JaasAuthProvider logs in through Jetty's PropertyFileLoginModule:
    `Realm { org.eclipse.jetty.jaas.spi.PropertyFileLoginModule required file="/path" debug="true"; };`"""
    try:
        text = Path(jaas_config).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read the JAAS config {jaas_config}: {exc.strerror or exc}", jaas_config) from exc
    for match in re.finditer(r"([\w.$-]+)\s*\{(.*?)\}\s*;", text, re.S):
        if match.group(1) != realm:
            continue
        body = match.group(2)
        if "PropertyFileLoginModule" not in body:
            raise ConfigError(f"the JAAS realm {realm} does not use PropertyFileLoginModule", realm)
        found = re.search(r'\bfile\s*=\s*"([^"]*)"', body)
        if found is None:
            raise ConfigError(f"the JAAS realm {realm} names no password file", realm)
        return found.group(1)
    raise ConfigError(f"no JAAS realm {realm!r} in {jaas_config}", realm)


def parse_kafka_config(path: str) -> dict[str, str]:
    """librdkafka `key=value` lines (security settings of the engine's Kafka clients); `#` comments."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read --kafka-config {path}: {exc.strerror or exc}", path) from exc
    props: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line[0] in "#!":
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--kafka-config {path} line {number}: expected KEY=VALUE", line[:60])
        if key.strip().startswith("fraudlab."):
            continue  # another client's settings in a shared file
        props[key.strip()] = value.strip()
    return props
