"""`ksqlserver` / `python -m ksqlserver`: the edge where flags become `ServerConfig` + `EngineConfig`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import errno
import importlib
import logging
import signal
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ksqlserver import __version__
from ksqlserver.config import (
    ConfigError,
    EngineConfig,
    ServerConfig,
    jaas_password_file,
    parse_credentials,
    parse_kafka_config,
    parse_listen,
    parse_user_roles,
)
from ksqlserver.engine import Engine
from ksqlserver.errors import KsqlError
from ksqlserver.headless import QUERIES_FILE, headless_config, run_queries_file
from ksqlserver.properties_file import load_properties
from ksqlserver.runtime import gc_policy
from ksqlserver.server.auth import allowed_roles

log = logging.getLogger("ksqlserver")
MEMORY_SCHEME = "memory://"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ksqlserver", description="ksqlDB 0.29-compatible engine and REST server."
    )
    parser.add_argument(
        "config_file",
        nargs="*",
        type=Path,
        help="server properties files (ksql-server.properties; later files win, the options below win over them)",
    )
    parser.add_argument(
        "--bootstrap-servers",
        help="Kafka bootstrap servers HOST:PORT[,...], or memory:// for the in-memory topic driver "
        "(required unless a properties file sets bootstrap.servers)",
    )
    parser.add_argument(
        "--listen", help="HOST:PORT to serve (default: the first of `listeners`, else 127.0.0.1:8088)"
    )
    parser.add_argument("--service-id", help="ksql.service.id (default: the properties file's, else default_)")
    parser.add_argument("--state-dir", type=Path, help="directory for engine state")
    parser.add_argument("--extension-dir", type=Path, help="directory of user-defined functions")
    parser.add_argument("--basic-auth", metavar="USER:PASS|FILE", help="require HTTP basic auth")
    parser.add_argument(
        "--kafka-config",
        metavar="FILE",
        help="librdkafka properties for the engine's Kafka clients (security.protocol, sasl.*, ssl.*)",
    )
    parser.add_argument("--ssl-cert", type=Path, metavar="PEM", help="serve HTTPS with this certificate chain")
    parser.add_argument("--ssl-key", type=Path, metavar="PEM", help="the private key of --ssl-cert")
    parser.add_argument(
        "--max-request-bytes",
        type=int,
        default=ServerConfig.max_request_bytes,
        help="largest request body accepted (larger ones get 413; default 16 MiB)",
    )
    parser.add_argument(
        "--request-timeout",
        type=float,
        default=ServerConfig.request_header_timeout,
        help="seconds a client may take to send a request head, and a request body (408 after; default 30)",
    )
    parser.add_argument(
        "--property",
        "-p",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra ksql server property",
    )
    parser.add_argument(
        "--queries-file",
        metavar="FILE",
        help="headless mode: run this SQL file and serve no REST API (ksql.queries.file; this wins over it)",
    )
    parser.add_argument(
        "--kafka-io",
        choices=["confluent", "native"],
        default="native",
        help="how query records reach Kafka: confluent-kafka, or native (kafkanative: librdkafka driven from C, "
        "no Python object per record; falls back to confluent-kafka when it cannot be built)",
    )
    parser.add_argument("--log-level", default="WARNING", help="Python log level (default WARNING)")
    parser.add_argument(
        "--gc-threshold",
        type=int,
        default=gc_policy.DEFAULT_THRESHOLD,
        help="allocations between garbage collections (0: Python's default; see runtime/gc_policy.py)",
    )
    parser.add_argument("--version", action="version", version=f"ksqlserver {__version__}")
    return parser


def build_configs(args: argparse.Namespace) -> tuple[ServerConfig, EngineConfig]:
    # KsqlServerMain: the properties files (PropertiesUtil.loadProperties), then what the command line says
    properties: dict[str, str] = load_properties(args.config_file or [])
    bootstrap = args.bootstrap_servers or properties.get("bootstrap.servers", "").strip()
    if not bootstrap:
        raise ConfigError("--bootstrap-servers is required (or bootstrap.servers in a properties file)")
    args.bootstrap_servers = bootstrap
    args.service_id = args.service_id or properties.get("ksql.service.id", "").strip() or "default_"
    listen = args.listen or properties.get("listeners", "").strip() or "127.0.0.1:8088"
    host, port = parse_listen(listen)
    args.listen = f"{host}:{port}" if ":" not in host else f"[{host}]:{port}"
    properties.update({
        "bootstrap.servers": bootstrap,
        "ksql.service.id": args.service_id,
        "listeners": f"http://{args.listen}",
    })
    if args.state_dir is not None:
        properties["ksql.streams.state.dir"] = str(args.state_dir)
    if args.extension_dir is not None:
        properties["ksql.extension.dir"] = str(args.extension_dir)
    for item in args.property:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise KsqlError(f"invalid --property {item!r}: expected KEY=VALUE")
        properties[key.strip()] = value.strip()
    password_source = args.basic_auth or _jaas_password_file(properties)
    credentials = parse_credentials(password_source) if password_source else {}
    user_roles = parse_user_roles(password_source) if password_source else {}
    roles = _list(properties, "authentication.roles")
    if (args.ssl_cert is None) != (args.ssl_key is None):
        raise ConfigError("--ssl-cert and --ssl-key go together")
    server = ServerConfig(
        host=host,
        port=port,
        credentials=credentials,
        user_roles=user_roles,
        # KsqlRestConfig's default `*` is left out: a `USER:PASS` credential has no roles to check
        auth_roles=allowed_roles(roles) if roles else None,
        auth_realm=properties.get("authentication.realm", ""),
        auth_skip_paths=_list(properties, "authentication.skip.paths"),
        service_id=args.service_id,
        gc_threshold=args.gc_threshold,
        tls_cert=args.ssl_cert,
        tls_key=args.ssl_key,
        max_request_bytes=args.max_request_bytes,
        request_header_timeout=args.request_timeout,
        request_body_timeout=args.request_timeout,
        migrate_query=properties.get("ksql.endpoint.migrate.query", "true").strip().lower() != "false",
        max_push_queries=_count(properties, "ksql.max.push.queries", 100),
        pull_max_qps=_positive(properties, "ksql.query.pull.max.qps", 2147483647),
        heartbeat_enabled=_flag(properties, "ksql.heartbeat.enable"),
        lag_reporting_enabled=_flag(properties, "ksql.lag.reporting.enable"),
        keepalive_interval=int(properties.get("query.stream.disconnect.check", "1000")) / 1000,
        cors_allow_origin=properties.get("access.control.allow.origin", ""),
        cors_allow_methods=_list(properties, "access.control.allow.methods"),
        cors_allow_headers=_list(properties, "access.control.allow.headers"),
        denied_overrides=tuple(
            name.strip()
            for name in properties.get("ksql.properties.overrides.denylist", "").split(",")
            if name.strip()
        ),
    )
    server.ssl_context()  # a bad certificate or key fails here, before anything starts
    engine = EngineConfig(
        service_id=args.service_id,
        state_dir=args.state_dir,
        extension_dir=args.extension_dir,
        properties=properties,
        connect_url=properties.get("ksql.connect.url", "").strip() or EngineConfig.connect_url,
        connect_timeout=_milliseconds(properties, "ksql.connect.request.timeout.ms", 5000) / 1000,
    )
    return server, engine


def _jaas_password_file(properties: dict[str, str]) -> str | None:
    """KsqlRestConfig's authentication.method: BASIC takes the users of the `authentication.realm` section of
    the JAAS config (the JVM's java.security.auth.login.config, given here as a property)."""
    method = properties.get("authentication.method", "NONE").strip()
    if method not in ("NONE", "BASIC"):
        raise ConfigError(
            f"Invalid value {method} for configuration authentication.method: String must be one of: NONE, BASIC",
            method,
        )
    if method == "NONE":
        return None
    jaas = properties.get("java.security.auth.login.config", "").strip()
    if not jaas:
        raise ConfigError(
            "authentication.method=BASIC needs the JAAS config: -p java.security.auth.login.config=FILE "
            "(or --basic-auth)",
            method,
        )
    return jaas_password_file(jaas, properties.get("authentication.realm", ""))


def _list(properties: dict[str, str], key: str) -> tuple[str, ...]:
    """A LIST KsqlRestConfig setting: comma-separated, blanks dropped."""
    return tuple(item.strip() for item in properties.get(key, "").split(",") if item.strip())


def _flag(properties: dict[str, str], key: str) -> bool:
    """A BOOLEAN KsqlRestConfig setting that defaults to false."""
    return properties.get(key, "false").strip().lower() == "true"


def _count(properties: dict[str, str], key: str, default: int, what: str = "a whole number") -> int:
    text = properties.get(key, "").strip()
    if not text:
        return default
    if not text.isdigit():
        raise ConfigError(f"invalid {key} {text!r}: expected {what}", text)
    return int(text)


def _positive(properties: dict[str, str], key: str, default: int) -> int:
    """A rate: Guava's RateLimiter.create refuses zero."""
    value = _count(properties, key, default)
    if value == 0:
        raise ConfigError(f"invalid {key} 0: expected a positive number", "0")
    return value


def _milliseconds(properties: dict[str, str], key: str, default: int) -> int:
    return _count(properties, key, default, "a number of milliseconds")


def make_driver(
    bootstrap_servers: str,
    engine_config: EngineConfig,
    kafka_settings: dict[str, str] | None = None,
    native_io: bool = False,
) -> Any:
    """The in-memory driver for `memory://`, else the Kafka driver (imported only when needed); `native_io`:
    its query records through kafkanative (KafkaDriverConfig.native_io)."""
    if bootstrap_servers.strip().lower().startswith(MEMORY_SCHEME):
        module = importlib.import_module("ksqlserver.drivers.memory")
        return module.MemoryDriver()
    module = importlib.import_module("ksqlserver.drivers.kafka")
    from ksqlserver.cluster.instance import instance_id

    config = module.KafkaDriverConfig(
        bootstrap_servers, instance_id=instance_id(engine_config.state_dir), extra=dict(kafka_settings or {}),
        native_io=native_io,
    )
    return module.KafkaDriver(config)


def kafka_cluster_id(
    bootstrap_servers: str, timeout: float = 5.0, kafka_settings: dict[str, str] | None = None
) -> str:
    """For /info; empty when Kafka does not answer in time (the server still starts)."""
    if bootstrap_servers.strip().lower().startswith(MEMORY_SCHEME):
        return "memory"
    try:
        from confluent_kafka.admin import AdminClient

        admin = AdminClient({"bootstrap.servers": bootstrap_servers, **(kafka_settings or {})})
        metadata = admin.list_topics(timeout=timeout)
        return str(metadata.cluster_id or "")
    except Exception:
        return ""


def _fail(message: str, code: int = 1) -> int:
    print(f"ksqlserver: error: {message}", file=sys.stderr, flush=True)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    try:
        server_config, engine_config = build_configs(args)
        kafka_settings = parse_kafka_config(args.kafka_config) if args.kafka_config else {}
    except KsqlError as exc:
        return _fail(exc.message, 2)
    # ServerOptions.getQueriesFile: --queries-file, else ksql.queries.file
    queries_file = args.queries_file or engine_config.properties.get(QUERIES_FILE)
    if queries_file:
        return _headless(args, engine_config, kafka_settings, queries_file)
    try:
        sock = _bind(server_config)
    except OSError as exc:
        reason = "address already in use" if exc.errno == errno.EADDRINUSE else (exc.strerror or str(exc))
        return _fail(f"cannot listen on {args.listen}: {reason}")
    try:
        driver = make_driver(args.bootstrap_servers, engine_config, kafka_settings, args.kafka_io == "native")
        engine = Engine(engine_config, driver)
    except Exception as exc:  # the edge: one clear line, no traceback
        sock.close()
        return _fail(f"cannot start the engine on {args.bootstrap_servers}: {type(exc).__name__}: {exc}")
    cluster_id = kafka_cluster_id(args.bootstrap_servers, kafka_settings=kafka_settings)
    server_config = dataclasses.replace(server_config, kafka_cluster_id=cluster_id)
    gc_policy.apply(server_config.gc_threshold)  # after start-up: what is alive now is frozen
    try:
        asyncio.run(_serve(engine, server_config, sock, args.bootstrap_servers))
    except KeyboardInterrupt:
        pass
    finally:
        with contextlib.suppress(Exception):
            engine.close()
    return 0


def _headless(
    args: argparse.Namespace, engine_config: EngineConfig, kafka_settings: dict[str, str], queries_file: str
) -> int:
    """KsqlServerMain with a queries file: StandaloneExecutor runs it, no REST server is started. No command
    topic (the file is the source of truth) and no processing-log stream ("not supported for headless mode")."""
    engine_config = headless_config(engine_config)
    try:
        driver = make_driver(args.bootstrap_servers, engine_config, kafka_settings, args.kafka_io == "native")
        engine = Engine(engine_config, driver)
    except Exception as exc:
        return _fail(f"cannot start the engine on {args.bootstrap_servers}: {type(exc).__name__}: {exc}")
    try:
        run_queries_file(engine, queries_file)
    except KsqlError as exc:  # StandaloneExecutor.startAsync: the server does not start
        engine.close()
        return _fail(f"Failed to start KSQL Server with query file: {queries_file}: {exc.message}")
    started = f"Server {__version__} started with query file {queries_file}. Interactive mode is disabled."
    try:
        asyncio.run(_wait_for_signal(started))
    except KeyboardInterrupt:
        pass
    finally:
        with contextlib.suppress(Exception):
            engine.close()
    return 0


async def _wait_for_signal(started: str) -> None:

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    print(started, flush=True)
    await stop.wait()


def _bind(config: ServerConfig) -> socket.socket:
    from ksqlserver.server import bind_socket

    return bind_socket(config.host, config.port)


async def _serve(engine: Engine, config: ServerConfig, sock: socket.socket, bootstrap: str) -> None:
    from ksqlserver.server import KsqlServer

    server = KsqlServer(engine, config, sock)
    await server.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    print(
        f"ksqlserver {__version__} listening on {server.url} "
        f"(bootstrap servers {bootstrap}, service id {config.service_id})",
        flush=True,
    )
    await stop.wait()
    await server.stop()
