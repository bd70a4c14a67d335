"""`fraudlab monitor`: a live summary of the scored stream, bounded by --duration / --max-records;
`fraudlab monitor replay`: a file's transactions through scoring and the monitor, offline."""

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


@click.group(invoke_without_command=True)
@click.option("--scores", "scores_topic", default=None, help="the scoring service's output topic (required "
              "without a subcommand)")
@click.option("--transactions", "transactions_topic", default=None, help="input topic, for feature drift")
@click.option("--format", "value_format", type=click.Choice(["delimited", "json", "avro", "json_sr"],
              case_sensitive=False), default="delimited", show_default=True,
              help="of the transactions topic (avro, json_sr: schemas from the stack's schema registry)")
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
@click.pass_context
def monitor(ctx: click.Context, scores_topic: str | None, transactions_topic: str | None, value_format: str,
            labels_topic: str | None,
            metrics_topic: str | None, model_dir: Path | None, window_s: float, label_lag_s: float,
            duration_s: float, max_records: int | None, dead_letter_topic: str | None,
            bootstrap_servers: str | None, connect_url: str | None, ksql_url: str | None,
            state_dir: Path | None) -> None:
    """Print alert rate, precision/recall, drift and latency per window as windows close.

    `fraudlab monitor replay ...` replays a file offline instead (see its --help)."""
    if ctx.invoked_subcommand is not None:
        return
    if scores_topic is None:
        raise click.UsageError("--scores is required (or use a subcommand: replay)")
    from fraudlab.monitor import Monitor, MonitorConfig

    config = MonitorConfig(
        scores_topic=scores_topic, transactions_topic=transactions_topic, labels_topic=labels_topic,
        metrics_topic=metrics_topic, model_dir=model_dir, window_s=window_s, label_lag_s=label_lag_s,
        duration_s=duration_s, max_records=max_records, value_format=value_format.lower(),
        dead_letter_topic=dead_letter_topic or f"{scores_topic}-monitor-dlq",
        kafka=kafka_config(resolve_endpoints(bootstrap_servers, connect_url, ksql_url, state_dir)),
    )
    mon = Monitor(config, on_metrics=lambda m: click.echo(_line(m)))
    if transactions_topic and mon.reference is None:
        click.echo("note: the bundle's card has no reference statistics; feature drift is not computed", err=True)
    metrics = mon.run()
    dead = f", {mon.rejected} unreadable (to {config.dead_letter_topic})" if mon.rejected else ""
    click.echo(f"{mon.records} records read, {len(metrics)} windows reported{dead}")


@monitor.command()
@click.option("--data", "data_path", required=True, type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="creditcard.csv(.gz) with Time, V1..V28, Amount and Class")
@click.option("--model", "model_dir", required=True, type=click.Path(path_type=Path, exists=True, file_okay=False),
              help="the model bundle that scores it")
@click.option("--inject", "inject", multiple=True, metavar="SPEC",
              help="drift to inject, e.g. amount*3@30h or V14+2@30h (FEATURE OP NUMBER@HOURh; repeatable)")
@click.option("--json", "json_out", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="write the replay's figures here")
@click.option("--window", "window_s", type=float, default=3600.0, show_default=True, help="seconds")
@click.option("--budget", "budget_k", type=click.IntRange(min=1), default=100, show_default=True,
              help="alerts investigators can review per day (precision@k)")
@click.option("--rows", type=click.IntRange(min=1), default=None, help="only the first N rows of the file")
def replay(data_path: Path, model_dir: Path, inject: tuple[str, ...], json_out: Path, window_s: float,
           budget_k: int, rows: int | None) -> None:
    """Run a file's transactions through scoring and the monitor in transaction-time order."""
    import json
    from dataclasses import replace

    from fraudlab.data import load_creditcard
    from fraudlab.data.schema import FEATURES
    from fraudlab.monitor.analysis import AnalysisConfig
    from fraudlab.monitor.inject import parse
    from fraudlab.monitor.replay import ReplayConfig
    from fraudlab.monitor.replay import replay as run_replay

    injections = [parse(spec, FEATURES) for spec in inject]  # bad specs fail before the data is read
    frame = load_creditcard(data_path)
    if rows is not None:
        frame = frame.iloc[:rows]
    config = ReplayConfig(window_s=window_s, analysis=replace(AnalysisConfig(), budget_k=budget_k))
    result = run_replay(frame, model_dir, injections, config)
    json_out.parent.mkdir(parents=True, exist_ok=True)
    json_out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    head = {k: result[k] for k in ("windows", "drift_flags", "drifted_features", "injected_at_hour",
                                   "detected_at_hour", "estimated_precision", "realized_precision",
                                   "estimated_vs_realized_precision_mae")}
    click.echo(json.dumps(head))
