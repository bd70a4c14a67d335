"""`fraudlab ingest PATH --topic T [--connector csv|file] [--format json|avro]`."""

from __future__ import annotations

from pathlib import Path

import click

from fraudlab.cli.common import endpoint_options, kafka_config, resolve_endpoints
from fraudlab.connect import IngestConfig
from fraudlab.connect import ingest as run_ingest


@click.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--topic", required=True, help="Target Kafka topic.")
@click.option(
    "--connector",
    type=click.Choice(["csv", "file"]),
    default="csv",
    show_default=True,
    help="csv: typed JSON rows (header checked); file: raw lines as strings (DELIMITED), like the original demo.",
)
@click.option(
    "--columns",
    type=click.Choice(["kaggle", "auto"]),
    default="kaggle",
    show_default=True,
    help="csv connector: check the Kaggle header, or take the file's own header.",
)
@click.option(
    "--timeout", type=float, default=600.0, show_default=True, help="Seconds to wait for every row."
)
@click.option("--keep", is_flag=True, help="Leave the connector running afterwards.")
@click.option(
    "--format",
    "value_format",
    type=click.Choice(["json", "avro"]),
    default="json",
    show_default=True,
    help="json: through Kafka Connect; avro: rows produced as Avro registered in the schema registry "
    "(subject <topic>-value, Confluent wire format), without Connect.",
)
@click.option("--schema-registry-url", default=None, help="Schema registry [default: the stack's].")
@endpoint_options
def ingest(
    path: Path,
    topic: str,
    connector: str,
    columns: str,
    timeout: float,
    keep: bool,
    value_format: str,
    schema_registry_url: str | None,
    bootstrap_servers: str | None,
    connect_url: str | None,
    ksql_url: str | None,
    state_dir: Path | None,
) -> None:
    """Ingest a CSV file into a topic through Kafka Connect and report rows/s."""
    endpoints = resolve_endpoints(bootstrap_servers, connect_url, ksql_url, state_dir, schema_registry_url)
    if value_format == "avro":
        from fraudlab.registry import RegistrySettings
        from fraudlab.registry.ingest import ingest_avro

        report = ingest_avro(
            path, topic, kafka_config(endpoints), RegistrySettings(endpoints.schema_registry_url), columns
        )
        click.echo(report.summary())
        return
    config = IngestConfig(
        kafka_config(endpoints), endpoints.connect_url, endpoints.spool_dir, timeout_s=timeout
    )
    report = run_ingest(path, topic, config, connector=connector, columns=columns, keep=keep)
    click.echo(report.summary())
