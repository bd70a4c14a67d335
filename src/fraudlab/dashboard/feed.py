"""The metrics topic, read in a background thread: window records of the monitor (`kind` "window")
and the scoring service's periodic reports (`kind` "service")."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Sequence
from typing import Any

import orjson

from fraudlab.kafka import KafkaConfig


class MetricsFeed:
    """Records in arrival order; `version` grows with every batch, so readers redraw only on change."""

    def __init__(self, kafka: KafkaConfig | None, topic: str | None, poll_s: float = 0.05) -> None:
        self.kafka, self.topic, self.poll_s = kafka, topic, poll_s
        self.windows: list[dict[str, Any]] = []
        self.service: list[dict[str, Any]] = []
        self.version = 0
        self.received_at: float | None = None  # wall-clock time of the newest record
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, records: Sequence[dict[str, Any]]) -> None:
        with self._lock:
            for r in records:
                (self.service if r.get("kind") == "service" else self.windows).append(r)
            self.version += 1
            self.received_at = time.time()

    def snapshot(self) -> tuple[int, list[dict[str, Any]], list[dict[str, Any]]]:
        with self._lock:
            return self.version, list(self.windows), list(self.service)

    def start(self) -> MetricsFeed:
        if self.kafka is None or self.topic is None:
            return self
        self._thread = threading.Thread(target=self._run, name="metrics-feed", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)

    def _run(self) -> None:
        from confluent_kafka import Consumer

        assert self.kafka is not None and self.topic is not None
        consumer = Consumer(self.kafka.as_librdkafka(**{
            "group.id": f"fraudlab-dashboard-{uuid.uuid4().hex[:8]}", "auto.offset.reset": "earliest",
            "enable.auto.commit": False, "fetch.wait.max.ms": 20}))
        consumer.subscribe([self.topic])
        try:
            while not self._stop.is_set():
                msgs = consumer.consume(500, self.poll_s)
                records = []
                for m in msgs:
                    if m.error() is not None or m.value() is None:
                        continue
                    try:
                        obj = orjson.loads(m.value())
                    except orjson.JSONDecodeError:
                        continue
                    if isinstance(obj, dict):
                        records.append(obj)
                if records:
                    self.add(records)
        finally:
            consumer.close()


def _fmt(value: Any, digits: int = 4) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def summary(windows: Sequence[dict[str, Any]], service: Sequence[dict[str, Any]]) -> dict[str, str]:
    """The figures the page shows as text, formatted exactly as shown (the DOM test compares these)."""
    last = windows[-1] if windows else {}
    labelled = [w for w in windows if w.get("precision") is not None]
    last_labelled = labelled[-1] if labelled else {}
    svc = service[-1] if service else {}
    return {
        "windows": str(len(windows)),
        "records": str(sum(int(w.get("records") or 0) for w in windows)),
        "alerts": str(sum(int(w.get("alerts") or 0) for w in windows)),
        "alert_rate": _fmt(last.get("alert_rate"), 5),
        "estimated_precision": _fmt(last.get("estimated_precision")),
        "estimated_recall": _fmt(last.get("estimated_recall")),
        "precision": _fmt(last_labelled.get("precision")),
        "recall": _fmt(last_labelled.get("recall")),
        "drift_flags": str(sum(len(w.get("drifted_features") or []) for w in windows)),
        "score_psi": _fmt(last.get("score_psi")),
        "score_psi_band": _fmt(last.get("score_psi_band")),
        "latency_p99_ms": _fmt(svc.get("latency_p99_ms", last.get("latency_p99_ms")), 1),
        "lag": _fmt(svc.get("lag")),
    }
