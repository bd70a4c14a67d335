"""`fraudlab stack up|down|status|logs`."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import click

from fraudlab.stack import ServiceStatus, Stack, StackConfig
from fraudlab.stack.security import PROFILES


def _table(rows: list[ServiceStatus]) -> str:
    headers = ["service", "address", "pid", "started", "rss MB", "state"]
    body = [
        [
            r.service,
            r.address,
            str(r.pid or "-"),
            r.started_at or "-",
            f"{r.rss_mb:.0f}" if r.rss_mb is not None else "-",
            ("reused" if r.reused else "up") if r.healthy else ("starting" if r.pid else "down"),
        ]
        for r in rows
    ]
    widths = [max(len(h), *(len(row[i]) for row in body)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in body]
    total = sum(r.rss_mb or 0 for r in rows)
    lines.append(f"total RSS: {total:.0f} MB")
    return "\n".join(lines)


def stack_options(func):  # type: ignore[no-untyped-def]
    func = click.option(
        "--state-dir",
        type=click.Path(path_type=Path),
        default=None,
        help="Where logs, data and pid files live [default: .state/stack in the project].",
    )(func)
    func = click.option("--kafka-port", type=int, default=9092, show_default=True)(func)
    func = click.option("--connect-port", type=int, default=8083, show_default=True)(func)
    func = click.option("--ksql-port", type=int, default=8088, show_default=True)(func)
    func = click.option("--no-ksql", is_flag=True, help="Do not start the KSQL server.")(func)
    func = click.option("--schema-registry-port", type=int, default=8081, show_default=True)(func)
    func = click.option("--no-schema-registry", is_flag=True, help="Do not start the schema registry.")(func)
    func = click.option(
        "--security",
        type=click.Choice(PROFILES),
        default=None,
        expose_value=False,
        callback=_remember_security,
        help="none, sasl_plaintext or sasl_ssl (SCRAM users; TLS and an HTTPS KSQL server with sasl_ssl) "
        "[default: the profile the state dir was started with, else none].",
    )(func)
    return func


def _remember_security(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    ctx.meta["fraudlab.security"] = value
    return value


def build_config(
    state_dir: Path | None,
    kafka_port: int,
    connect_port: int,
    ksql_port: int,
    no_ksql: bool = False,
    schema_registry_port: int = 8081,
    no_schema_registry: bool = False,
) -> StackConfig:
    config = StackConfig.default(
        state_dir=state_dir,
        kafka_port=kafka_port,
        connect_port=connect_port,
        ksql_port=ksql_port,
        with_ksql=not no_ksql,
        schema_registry_port=schema_registry_port,
        with_schema_registry=not no_schema_registry,
    )
    ctx = click.get_current_context(silent=True)
    chosen = ctx.meta.get("fraudlab.security") if ctx is not None else None
    return replace(config, security=chosen or recorded_profile(config.state_dir))


def recorded_profile(state_dir: Path) -> str:
    """The profile of the stack last started from `state_dir` ('none' if there is none)."""
    try:
        return str(json.loads((state_dir / "stack.json").read_text()).get("security") or "none")
    except (OSError, ValueError):
        return "none"


@click.group()
def stack() -> None:
    """The embedded stack: Kafka broker (KRaft), schema registry, Kafka Connect and the KSQL server on
    loopback."""


@stack.command()
@stack_options
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def up(
    state_dir: Path | None,
    kafka_port: int,
    connect_port: int,
    ksql_port: int,
    no_ksql: bool,
    schema_registry_port: int,
    no_schema_registry: bool,
    as_json: bool,
) -> None:
    """Start (or reuse) the stack and wait until every service answers."""
    config = build_config(
        state_dir, kafka_port, connect_port, ksql_port, no_ksql, schema_registry_port, no_schema_registry
    )
    rows = Stack(config).up(
        progress=not as_json
    )
    click.echo(json.dumps([r.as_dict() for r in rows], indent=2) if as_json else _table(rows))


@stack.command()
@stack_options
def down(
    state_dir: Path | None,
    kafka_port: int,
    connect_port: int,
    ksql_port: int,
    no_ksql: bool,
    schema_registry_port: int,
    no_schema_registry: bool,
) -> None:
    """Stop the stack: SIGTERM, then SIGKILL after a timeout."""
    config = build_config(
        state_dir, kafka_port, connect_port, ksql_port, no_ksql, schema_registry_port, no_schema_registry
    )
    for name, result in Stack(config).down():
        click.echo(f"{name}: {result}")


@stack.command()
@stack_options
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON (for scripts).")
def status(
    state_dir: Path | None,
    kafka_port: int,
    connect_port: int,
    ksql_port: int,
    no_ksql: bool,
    schema_registry_port: int,
    no_schema_registry: bool,
    as_json: bool,
) -> None:
    """Show each service's address, pid, start time, RSS and health."""
    config = build_config(
        state_dir, kafka_port, connect_port, ksql_port, no_ksql, schema_registry_port, no_schema_registry
    )
    rows = Stack(config).status()
    click.echo(json.dumps([r.as_dict() for r in rows], indent=2) if as_json else _table(rows))


@stack.command()
@click.argument("service", type=click.Choice(["broker", "connect", "ksql", "schema-registry"]))
@stack_options
@click.option("-n", "--lines", type=int, default=50, show_default=True)
def logs(
    service: str,
    state_dir: Path | None,
    kafka_port: int,
    connect_port: int,
    ksql_port: int,
    no_ksql: bool,
    schema_registry_port: int,
    no_schema_registry: bool,
    lines: int,
) -> None:
    """Print the last lines of a service's log."""
    config = build_config(
        state_dir, kafka_port, connect_port, ksql_port, no_ksql, schema_registry_port, no_schema_registry
    )
    click.echo(Stack(config).logs(service, lines))


@stack.command("client-config")
@click.option(
    "--state-dir", type=click.Path(path_type=Path), default=None, help="The embedded stack's state dir."
)
@click.option("--path", "path_only", is_flag=True, help="Print the file's path instead of its settings.")
@click.option("--ksql", "with_ksql", is_flag=True, help="Include fraudlab's KSQL client lines (fraudlab.ksql.*).")
def client_config(state_dir: Path | None, path_only: bool, with_ksql: bool) -> None:
    """Print the librdkafka properties a client needs for the running stack (secrets included)."""
    from fraudlab.stack.errors import StackError

    config = StackConfig.default(state_dir=state_dir)
    try:
        recorded = json.loads((config.state_dir / "stack.json").read_text())
    except (OSError, ValueError) as exc:
        raise StackError(f"no stack was started from {config.state_dir}; run 'fraudlab stack up' first") from exc
    path = recorded.get("client_config")
    if not path:
        if path_only:
            raise StackError(f"the stack in {config.state_dir} is not secured (--security none): no client config")
        click.echo(f"bootstrap.servers={recorded['bootstrap_servers']}")
        click.echo("security.protocol=PLAINTEXT")
        return
    if path_only:
        click.echo(path)
        return
    for line in Path(path).read_text().splitlines():
        if with_ksql or (not line.startswith("fraudlab.") and "fraudlab's KSQL client" not in line):
            click.echo(line)


@stack.command()
@click.option("--force", is_flag=True, help="Fetch and build again even if the cache is current.")
def fetch(force: bool) -> None:
    """Fetch the Kafka/Connect jars from Maven Central and build the CSV connector (cached)."""
    from fraudlab.stack.jars import ensure_jars, jars_ready
    from fraudlab.stack.prereqs import java_major_version

    config = StackConfig.default()
    java_major_version(config.java)
    if not force and jars_ready(config):
        click.echo(f"jars: up to date in {config.jars_dir}")
        return
    click.echo("jars: fetching Kafka and Kafka Connect from Maven Central, building the CSV connector ...")
    path = ensure_jars(config, force=force)
    click.echo(f"jars: ready in {path}")
