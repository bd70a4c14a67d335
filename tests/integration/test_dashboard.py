"""The live dashboard in headless Debian chromium: the numbers on the page are the metrics topic's,
and a new record reaches the page without a reload."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import numpy as np
import orjson
import pytest

from fraudlab.dashboard import DashboardConfig, MetricsFeed, serve, summary
from fraudlab.kafka import KafkaConfig, create_topic, produce_values, read_records
from fraudlab.monitor.analysis import WindowAnalyzer
from fraudlab.stack.ports import free_ports

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def window_record(i: int, rng: np.random.Generator) -> dict[str, object]:
    """A real window record: the monitor's analysis of random calibrated scores with labels."""
    p = rng.beta(0.3, 30, 2000)
    flags = p >= 0.1
    labels = (rng.random(len(p)) < p).astype(int)
    labels[rng.random(len(p)) < 0.3] = -1  # not all labels have arrived
    m = WindowAnalyzer(None, ("Time",)).window(i * 3_600_000, (i + 1) * 3_600_000, p, flags,
                                               np.full(len(p), i * 3600.0), labels=labels)
    m |= {"kind": "window", "score_p50": float(np.median(p)), "score_p99": float(np.quantile(p, 0.99)),
          "latency_p99_ms": 12.5 + i, "drifted_features": ["V3"] if i == 2 else [],
          "feature_drift": {"V3": {"wasserstein": 0.3 if i == 2 else 0.01}, "V14": {"wasserstein": 0.02}},
          "score_psi": round(0.01 * i, 4), "score_psi_band": "stable"}
    return m


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        pytest.fail("headless chromium is missing: scripts/setup.sh installs the Debian package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def test_page_shows_the_metrics_topic_and_updates(kafka_config: KafkaConfig, topic_name: str, browser,  # type: ignore[no-untyped-def]
                                                  tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    create_topic(kafka_config, topic_name, partitions=1)
    records = [window_record(i, rng) for i in range(4)]
    records.append({"kind": "service", "reported_at": 1_000, "records_in": 8000, "lag": 17,
                    "latency_p99_ms": 8.25, "records_per_s": 1000.0})
    produce_values(kafka_config, topic_name, [orjson.dumps(r) for r in records], progress=False)

    feed = MetricsFeed(kafka_config, topic_name).start()
    port = free_ports(1)[0]
    server = serve(feed, DashboardConfig(port=port, refresh_ms=100))
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        page.goto(f"http://127.0.0.1:{port}/", timeout=90_000)
        windows = page.locator('[data-metric="windows"]')
        windows.wait_for(timeout=60_000)
        deadline = time.monotonic() + 60
        while windows.inner_text() != "4" and time.monotonic() < deadline:
            time.sleep(0.1)
        # the page's figures, against the same figures computed from what the topic holds
        topic = [orjson.loads(r.value) for r in read_records(kafka_config, topic_name)]
        expected = summary([r for r in topic if r.get("kind") != "service"],
                           [r for r in topic if r.get("kind") == "service"])
        shown = {k: page.locator(f'[data-metric="{k}"]').inner_text() for k in expected}
        assert shown == expected
        assert shown["windows"] == "4" and shown["lag"] == "17" and shown["drift_flags"] == "1"
        assert shown["precision"] == f"{records[3]['precision']:.4f}"
        assert page.locator("canvas").count() >= 5  # the Bokeh plots rendered
        shot = tmp_path / "dashboard.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 20_000

        # a new record appears without a reload (the measured delay is benchmarks/dashboard_update.py's)
        new = window_record(4, rng)
        produce_values(kafka_config, topic_name, [orjson.dumps(new)], progress=False)
        sent = time.monotonic()
        while windows.inner_text() != "5" and time.monotonic() - sent < 30:
            time.sleep(0.02)
        assert windows.inner_text() == "5"
        assert page.locator('[data-metric="alert_rate"]').inner_text() == f"{new['alert_rate']:.5f}"
    finally:
        server.stop()
        feed.stop()
