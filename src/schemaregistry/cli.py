"""`schemaregistry` / `python -m schemaregistry`: flags become a `RegistryConfig`, then serve until
SIGTERM/SIGINT."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from schemaregistry import __version__
from schemaregistry.config import COMPATIBILITY_LEVELS, MEMORY, RegistryConfig
from schemaregistry.errors import ConfigError, RegistryError
from schemaregistry.registry import Registry
from schemaregistry.server import RegistryServer

log = logging.getLogger("schemaregistry")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="schemaregistry",
        description="Confluent Schema Registry-compatible REST service, its state in a Kafka topic.",
    )
    parser.add_argument("--bootstrap-servers", default=MEMORY,
                        help=f"Kafka HOST:PORT[,...] for the schemas topic, or {MEMORY} (default) for none")
    parser.add_argument("--listen", default="127.0.0.1:8081", help="HOST:PORT to serve (default 127.0.0.1:8081)")
    parser.add_argument("--topic", default="_schemas", help="compacted topic holding the state (kafkastore.topic)")
    parser.add_argument("--group-id", default="schema-registry", help="consumer group id of the reader")
    parser.add_argument("--compatibility", default="BACKWARD", type=str.upper, choices=COMPATIBILITY_LEVELS,
                        help="default compatibility level (schema.compatibility.level)")
    parser.add_argument("--init-timeout", type=float, default=60.0, help="seconds to wait for Kafka at start")
    parser.add_argument("--kafka-config", metavar="FILE",
                        help="librdkafka KEY=VALUE lines for the store's clients (security.protocol, sasl.*, ssl.*)")
    parser.add_argument("--log-level", default="INFO", help="Python log level (default INFO)")
    parser.add_argument("--version", action="version", version=f"schemaregistry {__version__}")
    return parser


def parse_listen(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit():
        raise ConfigError(f"--listen {text!r}: expected HOST:PORT")
    return host or "127.0.0.1", int(port)


def build_config(args: argparse.Namespace) -> RegistryConfig:
    host, port = parse_listen(args.listen)
    return RegistryConfig(
        bootstrap_servers=args.bootstrap_servers,
        host=host,
        port=port,
        topic=args.topic,
        group_id=args.group_id,
        default_compatibility=args.compatibility,
        init_timeout_s=args.init_timeout,
        log_level=args.log_level.upper(),
        kafka_settings=read_kafka_config(args.kafka_config) if args.kafka_config else {},
    )


def read_kafka_config(path: str) -> dict[str, str]:
    """`KEY=VALUE` lines, `#` comments; `fraudlab.*` keys (another client's) are skipped."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"--kafka-config {path}: {exc.strerror or exc}") from exc
    settings: dict[str, str] = {}
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith(("#", "!")):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--kafka-config {path} line {number}: expected KEY=VALUE")
        if not key.strip().startswith("fraudlab."):
            settings[key.strip()] = value.strip()
    return settings


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        config = build_config(args)
    except ConfigError as exc:
        print(f"schemaregistry: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=config.log_level, format="[%(asctime)s] %(levelname)s %(message)s (%(name)s)")
    server = RegistryServer(Registry(config))
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    try:
        server.start()
    except RegistryError as exc:
        log.error("cannot start: %s", exc)
        server.registry.close()
        return 1
    except OSError as exc:
        log.error("cannot listen on %s: %s", args.listen, exc)
        server.registry.close()
        return 1
    store = "memory" if config.in_memory else f"{config.bootstrap_servers} topic {config.topic}"
    log.info("schema registry %s listening on %s (store: %s)", __version__, server.url, store)
    stop.wait()
    log.info("shutting down")
    server.stop()
    return 0
