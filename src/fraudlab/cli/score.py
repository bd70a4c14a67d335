"""`fraudlab score`: the streaming scoring service (SIGTERM/SIGINT drain, commit and exit)."""

from __future__ import annotations

import json
import signal
import threading
from pathlib import Path

import click

from fraudlab.cli.common import endpoint_options, kafka_config, resolve_endpoints


@click.command()
@click.option("--model", "model_dir", required=True, type=click.Path(path_type=Path), help="model bundle directory")
@click.option("--in", "input_topic", required=True, help="topic of transactions")
@click.option("--out", "output_topic", required=True, help="topic for scores (JSON)")
@click.option("--alerts", "alerts_topic", default=None, help="topic for records over the threshold")
@click.option("--dead-letter", "dead_letter_topic", default=None, help="[default: <in>-dlq]")
@click.option("--group", "group_id", default="fraudlab-scoring", show_default=True, help="consumer group")
@click.option("--guarantee", type=click.Choice(["at-least-once", "exactly-once"]), default="at-least-once",
              show_default=True)
@click.option("--format", "value_format", type=click.Choice(["delimited", "json", "avro", "json_sr"],
              case_sensitive=False), default="delimited", show_default=True,
              help="avro, json_sr: Confluent's wire format, schemas from the stack's schema registry")
@click.option("--columns", default=None,
              help="comma-separated DELIMITED column names [default: detected: Kaggle or the demo's layout]")
@click.option("--instance-id", default=None,
              help="stable, distinct per instance: a restart with the same id takes over its partitions "
                   "and fences its predecessor's transactions")
@click.option("--batch-size", type=click.IntRange(min=1), default=5000, show_default=True)
@click.option("--commit-interval", "commit_interval_s", type=float, default=0.1, show_default=True)
@click.option("--report-interval", "report_interval_s", type=float, default=10.0, show_default=True)
@click.option("--metrics", "metrics_topic", default=None,
              help="also write each report (JSON, kind 'service') to this topic (the dashboard reads it)")
@click.option("--max-records", type=click.IntRange(min=1), default=None, help="stop after this many inputs")
@click.option("--idle-timeout", "idle_timeout_s", type=float, default=None,
              help="stop after this many seconds without input")
@endpoint_options
def score(model_dir: Path, input_topic: str, output_topic: str, alerts_topic: str | None,
          dead_letter_topic: str | None, group_id: str, guarantee: str, value_format: str, columns: str | None,
          instance_id: str, batch_size: int, commit_interval_s: float, report_interval_s: float,
          metrics_topic: str | None, max_records: int | None, idle_timeout_s: float | None, bootstrap_servers: str | None,
          connect_url: str | None, ksql_url: str | None, state_dir: Path | None) -> None:
    """Score a transaction stream with a model bundle; reports (JSON lines) go to stderr."""
    from fraudlab.scoring import ScoringConfig, ScoringService

    config = ScoringConfig(
        model_dir=model_dir,
        input_topic=input_topic,
        output_topic=output_topic,
        kafka=kafka_config(resolve_endpoints(bootstrap_servers, connect_url, ksql_url, state_dir)),
        alerts_topic=alerts_topic,
        dead_letter_topic=dead_letter_topic,
        group_id=group_id,
        guarantee=guarantee,  # type: ignore[arg-type]
        value_format=value_format.lower(),  # type: ignore[arg-type]
        columns=tuple(c.strip() for c in columns.split(",")) if columns else None,
        batch_size=batch_size,
        commit_interval_s=commit_interval_s,
        report_interval_s=report_interval_s,
        metrics_topic=metrics_topic,
        instance_id=instance_id,
        max_records=max_records,
        idle_timeout_s=idle_timeout_s,
    )
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    service = ScoringService(config, on_report=lambda r: click.echo(json.dumps(r.as_dict()), err=True))
    click.echo(
        f"scoring {input_topic} -> {output_topic} with {service.scorer.model_version} "
        f"({guarantee}, group {group_id}, instance {instance_id})", err=True,
    )
    final = service.run(stop)
    click.echo(f"stopped after {final.records_in} records: {final.scored} scored, {final.alerts} alerts, "
               f"{final.dead_lettered} dead-lettered", err=True)
