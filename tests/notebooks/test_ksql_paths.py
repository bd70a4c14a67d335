"""The two ways notebooks 04 and 05 use KSQL, through the REST API of an in-process ksqlserver (in-memory
topics): with fraudlab's functions the KSQL function path is found; without them (as on real ksqlDB) the
notebook is told the scoring service takes over, and the monitoring tables count the service's scores
(`ksql/service_scores.sql` + `ksql/05_monitoring.sql`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from fraudlab.ksql import KsqlConfig, PipelineNames, pull_frame
from fraudlab.ksql_udf import extension_dir
from fraudlab.pipeline.ksql_scoring import check_scoring_function
from fraudlab.pipeline.monitoring import alert_rate_windows, apply_monitoring, quality_windows
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine

ROOT = Path(__file__).resolve().parents[2]
HOUR_MS = 3_600_000


@pytest.fixture()
def plain_server(
    ksql_in_process: Callable[..., tuple[Engine, MemoryDriver, str]],
) -> tuple[Engine, MemoryDriver, KsqlConfig]:
    """No extension directory: like real ksqlDB, no ANOMALY_SCORE."""
    engine, driver, url = ksql_in_process()
    return engine, driver, KsqlConfig(url=url)


@pytest.fixture()
def fraudlab_server(
    ksql_in_process: Callable[..., tuple[Engine, MemoryDriver, str]],
) -> tuple[Engine, MemoryDriver, KsqlConfig]:
    engine, driver, url = ksql_in_process(extension_dir())
    return engine, driver, KsqlConfig(url=url)


def test_the_function_path_is_found_on_a_server_with_fraudlabs_functions(
    fraudlab_server: tuple[Engine, MemoryDriver, KsqlConfig],
) -> None:
    check = check_scoring_function(fraudlab_server[2])
    assert check.available, check.reason


def test_without_anomaly_score_the_service_takes_over(plain_server: tuple[Engine, MemoryDriver, KsqlConfig]) -> None:
    check = check_scoring_function(plain_server[2])
    assert not check.available
    assert "ANOMALY_SCORE is not a function" in check.reason and "scoring service takes over" in check.reason


def test_monitoring_tables_over_the_service_scores(plain_server: tuple[Engine, MemoryDriver, KsqlConfig]) -> None:
    engine, driver, config = plain_server
    names = PipelineNames.for_run("fb1")
    v = names.variables()
    driver.create_topic(v["scores_topic"], partitions=1)
    driver.create_topic(v["labels_topic"], partitions=1)
    rng = np.random.default_rng(5)
    n, base = 600, 1_790_000_000_000 - 1_790_000_000_000 % HOUR_MS
    event = base + np.sort(rng.integers(0, 5 * HOUR_MS, n))  # five hours of transactions
    labels = (rng.random(n) < 0.1).astype(int)
    flags = (labels == 1) & (rng.random(n) < 0.6) | (rng.random(n) < 0.02)
    driver.produce(v["scores_topic"], [
        Record(None, json.dumps({"id": str(i), "score": 0.9 if f else 0.1, "is_fraud": bool(f), "threshold": 0.5,
                                 "model_version": "m1", "event_time": int(t), "scored_at": int(t) + 50}).encode(),
               int(t) + 50)
        for i, (t, f) in enumerate(zip(event, flags, strict=True))
    ])
    arrival = event + rng.integers(600_000, 6 * HOUR_MS, n)  # labels come 10 min to 6 h later
    order = np.argsort(arrival, kind="stable")
    driver.produce(v["labels_topic"], [
        Record(None, json.dumps({"ID": int(i), "CLASS": int(labels[i])}).encode(), int(arrival[i])) for i in order
    ])

    source, applied = apply_monitoring(config, ROOT / "ksql", names)
    engine.drain()
    engine.drain()
    assert source.startswith("scoring service")
    assert [a.target for a in applied][:2] == [v["service_scores_raw_stream"], v["service_scores_stream"]]
    rates = alert_rate_windows(pull_frame(config, f"SELECT * FROM {v['alert_rate_table']};"))
    assert len(rates) == 5 and int(rates["TRANSACTIONS"].sum()) == n
    assert int(rates["ALERTS"].sum()) == int(flags.sum())
    assert set(rates["WINDOWSTART"]) == {base + h * HOUR_MS for h in range(5)}  # windows of event time
    quality = quality_windows(pull_frame(config, f"SELECT * FROM {v['quality_table']};"))
    assert int(quality["LABELLED"].sum()) == n
    assert int(quality["TRUE_POSITIVES"].sum()) == int((flags & (labels == 1)).sum())
    assert int(quality["FALSE_NEGATIVES"].sum()) == int((~flags & (labels == 1)).sum())
