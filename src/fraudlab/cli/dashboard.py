"""`fraudlab dashboard`: the live monitoring page on loopback, fed by the metrics topic."""

from __future__ import annotations

import time
from pathlib import Path

import click

from fraudlab.cli.common import endpoint_options, kafka_config, resolve_endpoints


@click.command()
@click.option("--metrics", "metrics_topic", required=True,
              help="the metrics topic (the monitor's window records, the scoring service's reports)")
@click.option("--port", type=click.IntRange(1, 65535), default=5006, show_default=True)
@click.option("--address", default="127.0.0.1", show_default=True,
              help="listen address; keep it on loopback (the page has no authentication)")
@click.option("--refresh-ms", type=click.IntRange(min=50), default=200, show_default=True)
@click.option("--duration", "duration_s", type=float, default=None, help="stop after this many seconds")
@endpoint_options
def dashboard(metrics_topic: str, port: int, address: str, refresh_ms: int, duration_s: float | None,
              bootstrap_servers: str | None, connect_url: str | None, ksql_url: str | None,
              state_dir: Path | None) -> None:
    """Serve the page: alert rate, precision/recall (realized and estimated), drift, scores, latency, lag."""
    from fraudlab.dashboard import DashboardConfig, MetricsFeed, serve

    kafka = kafka_config(resolve_endpoints(bootstrap_servers, connect_url, ksql_url, state_dir))
    feed = MetricsFeed(kafka, metrics_topic).start()
    server = serve(feed, DashboardConfig(address=address, port=port, refresh_ms=refresh_ms))
    click.echo(f"dashboard on http://{address}:{port}/ (metrics topic {metrics_topic}); Ctrl-C stops it")
    try:
        start = time.monotonic()
        while duration_s is None or time.monotonic() - start < duration_s:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        feed.stop()
