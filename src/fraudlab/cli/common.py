"""Options shared by commands that talk to a running stack: addresses default to the embedded stack's."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from fraudlab.kafka import KafkaConfig
from fraudlab.kafka.config import read_properties
from fraudlab.stack import StackConfig

if TYPE_CHECKING:
    from fraudlab.ksql import KsqlConfig


@dataclass(frozen=True)
class Endpoints:
    bootstrap_servers: str
    connect_url: str
    ksql_url: str
    spool_dir: Path
    schema_registry_url: str = "http://127.0.0.1:8081"
    client_config: Path | None = None  # librdkafka (and fraudlab.ksql.*) settings of a secured stack


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
    ctx = click.get_current_context(silent=True)
    given = ctx.meta.get(CLIENT_CONFIG_KEY) if ctx is not None else None
    recorded_bootstrap = recorded.get("bootstrap_servers", stack.bootstrap_servers)
    # the recorded stack's client settings apply to that stack only, not to another cluster named by flag
    same_cluster = bootstrap_servers in (None, recorded_bootstrap)
    client_config = given or (recorded.get("client_config") if same_cluster else None)
    return Endpoints(
        bootstrap_servers or recorded_bootstrap,
        connect_url or recorded.get("connect_url", stack.connect_url),
        ksql_url or recorded.get("ksql_url", stack.ksql_url),
        stack.spool_dir,
        schema_registry_url or recorded.get("schema_registry_url", stack.schema_registry_url),
        Path(client_config) if client_config else None,
    )


CLIENT_CONFIG_KEY = "fraudlab.client_config"


def _remember_client_config(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    ctx.meta[CLIENT_CONFIG_KEY] = value
    return value


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
    func = click.option(
        "--client-config",
        type=click.Path(path_type=Path),
        default=None,
        expose_value=False,
        callback=_remember_client_config,
        help="librdkafka properties (SASL/SSL) [default: the secured stack's, see 'fraudlab stack client-config'].",
    )(func)
    return func


def kafka_config(endpoints: Endpoints, check: bool = True) -> KafkaConfig:
    """The Kafka settings of the command; `check` first makes sure the cluster accepts them, so a wrong
    password, a missing certificate or a plaintext client of a secured broker is one clear line."""
    from fraudlab.kafka.diagnose import check_connection

    if endpoints.client_config is not None:
        config = KafkaConfig.from_file(
            endpoints.client_config,
            bootstrap_servers=endpoints.bootstrap_servers,
            schema_registry_url=endpoints.schema_registry_url,
        )
    else:
        config = KafkaConfig(
            bootstrap_servers=endpoints.bootstrap_servers, schema_registry_url=endpoints.schema_registry_url
        )
    if check:
        check_connection(config)
    return config


def ksql_config(endpoints: Endpoints, **settings: Any) -> KsqlConfig:
    """The KSQL client's settings, with basic auth and CA from the client config when there is one."""
    from fraudlab.ksql import KsqlConfig

    config = KsqlConfig(endpoints.ksql_url, **settings)
    if endpoints.client_config is not None:
        config = config.with_client_properties(read_properties(endpoints.client_config))
    return config
