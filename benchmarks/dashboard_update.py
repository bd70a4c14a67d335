"""How fast a new metrics record reaches the dashboard page, in headless chromium. Prints JSON.

    .venv/bin/python benchmarks/dashboard_update.py [--records 20] [--bootstrap-servers H:P] [--json FILE]

Each round produces one window record to the metrics topic and times, from the producer's
acknowledgement, until the page's `windows` figure shows it (target: 2 s). The page refreshes from
the feed every --refresh-ms (default 200, as `fraudlab dashboard`). Load average at start and end.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import embedded_stack

from fraudlab.dashboard import DashboardConfig, MetricsFeed, serve
from fraudlab.kafka import KafkaConfig, create_topic, produce_values
from fraudlab.stack.ports import free_ports

TARGET_S = 2.0


def record(i: int) -> bytes:
    return orjson.dumps({"kind": "window", "window_start": i * 3_600_000, "window_end": (i + 1) * 3_600_000,
                         "records": 1000 + i, "alerts": i % 7, "alert_rate": (i % 7) / (1000 + i)})


def run(bootstrap: str, rounds: int, refresh_ms: int) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    kafka = KafkaConfig(bootstrap_servers=bootstrap)
    load_start = os.getloadavg()[0]
    topic = f"bench-dash-{uuid.uuid4().hex[:6]}"
    create_topic(kafka, topic, partitions=1)
    produce_values(kafka, topic, [record(0)], progress=False)
    feed = MetricsFeed(kafka, topic).start()
    (port,) = free_ports(1)
    server = serve(feed, DashboardConfig(port=port, refresh_ms=refresh_ms))
    delays = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/", timeout=90_000)
            shown = page.locator('[data-metric="windows"]')
            shown.wait_for(timeout=60_000)
            while shown.inner_text() != "1":
                time.sleep(0.05)
            for i in range(1, rounds + 1):
                produce_values(kafka, topic, [record(i)], progress=False)
                acked = time.perf_counter()
                while shown.inner_text() != str(i + 1):
                    time.sleep(0.01)
                delays.append(time.perf_counter() - acked)
                time.sleep(0.3)
            browser.close()
    finally:
        server.stop()
        feed.stop()
    return {
        "benchmark": "dashboard_update",
        "rounds": rounds,
        "refresh_ms": refresh_ms,
        "update_s_median": round(statistics.median(delays), 3),
        "update_s_p95": round(sorted(delays)[max(0, int(0.95 * len(delays)) - 1)], 3),
        "update_s_max": round(max(delays), 3),
        "target_s": TARGET_S,
        "meets_target": max(delays) <= TARGET_S,
        "load_average": [round(load_start, 2), round(os.getloadavg()[0], 2)],
        "cpus": os.cpu_count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=20)
    parser.add_argument("--refresh-ms", type=int, default=200)
    parser.add_argument("--bootstrap-servers", default=None)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    with embedded_stack(args.bootstrap_servers) as stack:
        bootstrap = stack if isinstance(stack, str) else stack.bootstrap_servers
        result = run(bootstrap, args.records, args.refresh_ms)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
