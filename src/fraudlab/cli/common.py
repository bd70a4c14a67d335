"""Options shared by commands that talk to a running stack: addresses default to the embedded stack's."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import click

from fraudlab.kafka import KafkaConfig
from fraudlab.stack import StackConfig


@dataclass(frozen=True)
class Endpoints:
    bootstrap_servers: str
    connect_url: str
    ksql_url: str
    spool_dir: Path
    schema_registry_url: str = "http://127.0.0.1:8081"


def resolve_endpoints(
    bootstrap_servers: str | None,
    connect_url: str | None,
    ksql_url: str | None,
    state_dir: Path | None,
    schema_registry_url: str | None = None,
) -> Endpoints:
    """Explicit flags win; otherwise the addresses recorded by `fraudlab stack up` in the state dir;
    otherwise the defaults of a stack on the standard ports."""
    stack = StackConfig.default(state_dir=state_dir)
    recorded: dict[str, str] = {}
    meta = stack.state_dir / "stack.json"
    if meta.is_file():
        try:
            recorded = {k: v for k, v in json.loads(meta.read_text()).items() if v}
        except ValueError:
            recorded = {}
    return Endpoints(
        bootstrap_servers or recorded.get("bootstrap_servers", stack.bootstrap_servers),
        connect_url or recorded.get("connect_url", stack.connect_url),
        ksql_url or recorded.get("ksql_url", stack.ksql_url),
        stack.spool_dir,
        schema_registry_url or recorded.get("schema_registry_url", stack.schema_registry_url),
    )


def endpoint_options(func):  # type: ignore[no-untyped-def]
    func = click.option("--bootstrap-servers", default=None, help="Kafka [default: the embedded stack's].")(
        func
    )
    func = click.option("--connect-url", default=None, help="Kafka Connect REST URL [default: the stack's].")(
        func
    )
    func = click.option("--ksql-url", default=None, help="KSQL server URL [default: the stack's].")(func)
    func = click.option(
        "--state-dir", type=click.Path(path_type=Path), default=None, help="The embedded stack's state dir."
    )(func)
    return func


def kafka_config(endpoints: Endpoints) -> KafkaConfig:
    return KafkaConfig(
        bootstrap_servers=endpoints.bootstrap_servers, schema_registry_url=endpoints.schema_registry_url
    )
