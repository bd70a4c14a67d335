"""`fraudlab monitor`: a live summary of the scored stream, bounded by --duration / --max-records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from fraudlab.cli.common import endpoint_options, kafka_config, resolve_endpoints
from fraudlab.units import format_ms


def _line(m: dict[str, Any]) -> str:
    def fmt(v: Any) -> str:
        return "-" if v is None else (f"{v:.3f}" if isinstance(v, float) else str(v))

    drift = m.get("drifted_features")
    return (f"window {m['window_start']}: {m['records']} scored, alert rate {fmt(m['alert_rate'])}, "
            f"precision {fmt(m['precision'])}, recall {fmt(m['recall'])} ({m['labelled']} labelled), "
            f"score PSI {fmt(m.get('score_psi'))}, p99 latency {format_ms(m['latency_p99_ms'])}"
            + (f", drift: {', '.join(drift)}" if drift else ""))


@click.command()
@click.option("--scores", "scores_topic", required=True, help="the scoring service's output topic")
@click.option("--transactions", "transactions_topic", default=None, help="input topic, for feature drift")
@click.option("--labels", "labels_topic", default=None, help="topic of delayed labels ({id, label})")
@click.option("--metrics", "metrics_topic", default=None, help="write one JSON record per window here")
@click.option("--model", "model_dir", type=click.Path(path_type=Path), default=None,
              help="bundle whose card holds the drift reference")
@click.option("--window", "window_s", type=float, default=60.0, show_default=True, help="seconds")
@click.option("--label-lag", "label_lag_s", type=float, default=0.0, show_default=True,
              help="seconds a window waits for late labels")
@click.option("--duration", "duration_s", type=float, default=60.0, show_default=True)
@click.option("--max-records", type=click.IntRange(min=1), default=None)
@click.option("--dead-letter", "dead_letter_topic", default=None,
              help="unreadable input records, raw, with the reason in headers [default: <scores>-monitor-dlq]")
@endpoint_options
def monitor(scores_topic: str, transactions_topic: str | None, labels_topic: str | None,
            metrics_topic: str | None, model_dir: Path | None, window_s: float, label_lag_s: float,
            duration_s: float, max_records: int | None, dead_letter_topic: str | None, bootstrap_servers: str | None,
            connect_url: str | None, ksql_url: str | None, state_dir: Path | None) -> None:
    """Print alert rate, precision/recall, drift and latency per window as windows close."""
    from fraudlab.monitor import Monitor, MonitorConfig

    config = MonitorConfig(
        scores_topic=scores_topic, transactions_topic=transactions_topic, labels_topic=labels_topic,
        metrics_topic=metrics_topic, model_dir=model_dir, window_s=window_s, label_lag_s=label_lag_s,
        duration_s=duration_s, max_records=max_records,
        dead_letter_topic=dead_letter_topic or f"{scores_topic}-monitor-dlq",
        kafka=kafka_config(resolve_endpoints(bootstrap_servers, connect_url, ksql_url, state_dir)),
    )
    mon = Monitor(config, on_metrics=lambda m: click.echo(_line(m)))
    if transactions_topic and mon.reference is None:
        click.echo("note: the bundle's card has no reference statistics; feature drift is not computed", err=True)
    metrics = mon.run()
    dead = f", {mon.rejected} unreadable (to {config.dead_letter_topic})" if mon.rejected else ""
    click.echo(f"{mon.records} records read, {len(metrics)} windows reported{dead}")
