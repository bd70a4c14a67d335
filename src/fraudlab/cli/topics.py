"""`fraudlab topics list|describe|show`: a look at what is in Kafka."""

from __future__ import annotations

from pathlib import Path

import click

from fraudlab.cli.common import endpoint_options, kafka_config, resolve_endpoints
from fraudlab.kafka import describe_topic, list_topics, read_records


@click.group()
def topics() -> None:
    """Inspect Kafka topics."""


@topics.command("list")
@endpoint_options
def list_(
    bootstrap_servers: str | None, connect_url: str | None, ksql_url: str | None, state_dir: Path | None
) -> None:
    """List topics with their record counts."""
    config = kafka_config(resolve_endpoints(bootstrap_servers, connect_url, ksql_url, state_dir))
    for name in list_topics(config):
        click.echo(f"{name}\t{describe_topic(config, name).records}")


@topics.command()
@click.argument("topic")
@click.option("-n", "--limit", type=int, default=5, show_default=True, help="Records to print.")
@endpoint_options
def show(
    topic: str,
    limit: int,
    bootstrap_servers: str | None,
    connect_url: str | None,
    ksql_url: str | None,
    state_dir: Path | None,
) -> None:
    """Print a topic's partitions, record count and its first records."""
    config = kafka_config(resolve_endpoints(bootstrap_servers, connect_url, ksql_url, state_dir))
    info = describe_topic(config, topic)
    click.echo(f"{info.name}: {info.partitions} partition(s), {info.records} record(s)")
    for rec in read_records(config, topic, limit=limit, timeout_s=15):
        value = (rec.value or b"").decode(errors="replace")
        click.echo(f"  [{rec.partition}:{rec.offset}] {value[:160]}{'...' if len(value) > 160 else ''}")
