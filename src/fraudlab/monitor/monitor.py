"""`Monitor`: reads the scores topic (and optionally transactions and delayed labels) and emits one
metrics record per closed event-time window: alert rate, precision/recall on the labels that arrived
within the lag, PSI drift per feature, score-distribution shift and latency."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import numpy as np
import orjson
from confluent_kafka import Consumer, Producer

from fraudlab.kafka import send
from fraudlab.monitor.config import MonitorConfig
from fraudlab.monitor.drift import Binning
from fraudlab.monitor.reference import Reference
from fraudlab.monitor.windows import Window, confusion, percentiles
from fraudlab.scoring.parsing import DelimitedParser, JsonParser


class Monitor:
    def __init__(self, config: MonitorConfig, reference: Reference | None = None,
                 feature_names: tuple[str, ...] | None = None,
                 on_metrics: Callable[[dict[str, Any]], None] | None = None) -> None:
        self.config = config
        card: dict[str, Any] = {}
        if config.model_dir is not None:
            from fraudlab.model.bundle import read_card

            card = read_card(config.model_dir)
        self.reference = reference or Reference.from_card(card)
        from fraudlab.data.schema import FEATURES

        self.feature_names = feature_names or tuple(card.get("feature_names", FEATURES))
        self.parser = (DelimitedParser(self.feature_names, config.columns) if config.value_format == "delimited"
                       else JsonParser(self.feature_names))
        self.on_metrics = on_metrics
        self.windows: dict[int, Window] = {}
        self.labels: dict[str, int] = {}
        self.tx_features: dict[str, np.ndarray] = {}
        self.emitted: list[dict[str, Any]] = []
        self.records = 0
        self.watermark_ms = 0
        # newest label record time: with a labels topic, a window also waits until labels this late
        # have been read (topics are consumed at different speeds, so scores may run ahead of labels)
        self.label_watermark_ms = 0
        self.tx_watermark_ms = 0  # the same for the transactions topic (feature drift of a window)
        self._score_baseline: Binning | None = self.reference.score if self.reference else None

    # -- input ---------------------------------------------------------------------------------
    def add_scores(self, values: list[bytes], append_ms: list[int]) -> None:
        width = int(self.config.window_s * 1000)
        for raw, appended in zip(values, append_ms, strict=True):
            try:
                rec = orjson.loads(raw)
                event = int(rec["event_time"])
                score, flag, rid = float(rec["score"]), bool(rec["is_fraud"]), str(rec["id"])
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
                continue
            start = event - event % width
            w = self.windows.get(start)
            if w is None:
                w = self.windows[start] = Window(start)
            w.scores.append(score)
            w.flags.append(flag)
            w.ids.append(rid)
            w.latencies_ms.append(float(appended - event))
            self.watermark_ms = max(self.watermark_ms, event)

    def add_labels(self, values: list[bytes], keys: list[bytes | None],
                   timestamps_ms: list[int] | None = None) -> None:
        """Labels as {"id", "label"} JSON (KSQL's {"ID", "CLASS"} too), or key = id and value 0/1."""
        if timestamps_ms:
            self.label_watermark_ms = max(self.label_watermark_ms, max(timestamps_ms))
        for raw, key in zip(values, keys, strict=True):
            try:
                obj = orjson.loads(raw)
            except orjson.JSONDecodeError:
                continue
            if isinstance(obj, dict):
                fields = {str(k).lower(): v for k, v in obj.items()}
                rid = fields.get("id", key.decode() if key else None)
                label = fields.get("label", fields.get("class"))
            else:
                rid, label = (key.decode() if key else None), obj
            if rid is not None and label is not None:
                self.labels[str(rid)] = int(label)

    def add_transactions(self, values: list[bytes], timestamps_ms: list[int]) -> None:
        if timestamps_ms:
            self.tx_watermark_ms = max(self.tx_watermark_ms, max(timestamps_ms))
        parsed = self.parser.parse(values)
        if not len(parsed.index):
            return
        width = int(self.config.window_s * 1000)
        ts = np.asarray(timestamps_ms, dtype=np.int64)[parsed.index]
        starts = ts - ts % width
        for start in np.unique(starts):
            w = self.windows.get(int(start))
            if w is None:
                w = self.windows[int(start)] = Window(int(start))
            w.features.append(parsed.features[starts == start])

    # -- output --------------------------------------------------------------------------------
    def close_windows(self, final: bool = False) -> list[dict[str, Any]]:
        width = int(self.config.window_s * 1000)
        lag = int(self.config.label_lag_s * 1000)
        watermark = self.watermark_ms
        if self.config.labels_topic and lag:
            watermark = min(watermark, self.label_watermark_ms)
        if self.config.transactions_topic:  # else a window's late features would open a second window
            watermark = min(watermark, self.tx_watermark_ms)
        out = []
        for start in sorted(self.windows):
            if not final and start + width + lag > watermark:
                break
            out.append(self._metrics(self.windows.pop(start), width))
        for m in out:
            self.emitted.append(m)
            if self.on_metrics is not None:
                self.on_metrics(m)
        return out

    def _metrics(self, w: Window, width: int) -> dict[str, Any]:
        n = len(w.scores)
        scores = np.asarray(w.scores)
        m: dict[str, Any] = {
            "window_start": w.start_ms, "window_end": w.start_ms + width, "records": n,
            "alerts": int(sum(w.flags)), "alert_rate": round(sum(w.flags) / n, 5) if n else None,
            "score_mean": round(float(scores.mean()), 5) if n else None,
            **percentiles(w.latencies_ms), **confusion(w.flags, w.ids, self.labels),
        }
        if n:
            if self._score_baseline is None and n >= 20:
                self._score_baseline = Binning.fit(scores)  # no training scores: the first window
                m["score_psi"] = 0.0
            elif self._score_baseline is not None:
                m["score_psi"] = round(self._score_baseline.psi(scores), 4)
        if w.features and self.reference is not None:
            psi = self.reference.feature_psi(np.concatenate(w.features), self.feature_names)
            m["feature_psi"] = psi
            m["drifted_features"] = sorted(f for f, v in psi.items() if v > self.config.psi_flag)
        for rid in w.ids:
            self.labels.pop(rid, None)
        return m

    # -- the loop ------------------------------------------------------------------------------
    def run(self) -> list[dict[str, Any]]:
        cfg = self.config
        topics = [t for t in (cfg.scores_topic, cfg.transactions_topic, cfg.labels_topic) if t]
        consumer = Consumer(cfg.kafka.as_librdkafka(**{
            "group.id": cfg.group_id or f"fraudlab-monitor-{uuid.uuid4().hex[:8]}",
            "auto.offset.reset": "earliest", "enable.auto.commit": cfg.group_id is not None,
            "isolation.level": "read_committed",
        }))
        producer = Producer(cfg.kafka.as_librdkafka(**{"linger.ms": 20})) if cfg.metrics_topic else None
        consumer.subscribe(topics)
        start = last_input = time.monotonic()
        try:
            while True:
                now = time.monotonic()
                if cfg.duration_s is not None and now - start >= cfg.duration_s:
                    break
                if cfg.max_records is not None and self.records >= cfg.max_records:
                    break
                if cfg.idle_timeout_s is not None and now - last_input >= cfg.idle_timeout_s:
                    break
                msgs = [m for m in consumer.consume(10_000, 0.2) if m.error() is None]
                if not msgs:
                    continue
                last_input = now
                self.records += len(msgs)
                by_topic: dict[str, list[Any]] = {}
                for m in msgs:
                    by_topic.setdefault(m.topic(), []).append(m)
                # labels first: a window may close in this very batch
                if cfg.labels_topic and cfg.labels_topic in by_topic:
                    ms = by_topic[cfg.labels_topic]
                    self.add_labels([m.value() for m in ms], [m.key() for m in ms], [m.timestamp()[1] for m in ms])
                if cfg.transactions_topic and cfg.transactions_topic in by_topic:
                    ms = by_topic[cfg.transactions_topic]
                    self.add_transactions([m.value() for m in ms], [m.timestamp()[1] for m in ms])
                if cfg.scores_topic in by_topic:
                    ms = by_topic[cfg.scores_topic]
                    self.add_scores([m.value() for m in ms], [m.timestamp()[1] for m in ms])
                self._publish(producer, self.close_windows())
            self._publish(producer, self.close_windows(final=True))
        finally:
            consumer.close()
            if producer is not None:
                producer.flush(30)
        return self.emitted

    def _publish(self, producer: Producer | None, metrics: list[dict[str, Any]]) -> None:
        if producer is None or not metrics:
            return
        for m in metrics:
            send(producer, self.config.metrics_topic, orjson.dumps(m), str(m["window_start"]).encode())
        producer.poll(0)
