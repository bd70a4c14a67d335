"""`Monitor`: reads the scores topic (and optionally transactions and delayed labels) and emits one
metrics record per closed event-time window: alert rate, precision/recall on the labels that arrived
within the lag, PSI drift per feature, score-distribution shift and latency.

With a transactions topic whose rows carry `Time` (the data's own clock, which the like-hours reference
is keyed by), windows are cut on that clock, as the offline replay cuts them: a window starts where
`Time` is a multiple of the window length, at the wall-clock instant the records' timestamps put it.
A run that maps `Time == 0` to 00:37:34 gets windows from 00:37:34, 01:37:34, ... so that each window
holds whole hours of the reference; windows on the wall clock's hours would each straddle two of them.
Scores read before the first transaction (the clock's offset is not known yet) wait for it.

The reference (`fraudlab.monitor.reference`: given, or read from the bundle's card with `model_dir`)
gives the PSI per feature and of the score. With its like-hours view (`reference.hourly`, which
training writes) the window also gets the figures of `fraudlab.monitor.analysis`: drift tested
against like hours with the test chosen by sample size and corrected for multiple testing (these
decide `drifted_features` then, instead of the PSI flag), the share of drifted features, score PSI
bands, change-detector alarms on the score stream, and precision/recall estimated from the
calibrated scores before any label arrives."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

import numpy as np
import orjson
from confluent_kafka import Consumer, Producer

from fraudlab.kafka import send
from fraudlab.monitor.analysis import WindowAnalyzer
from fraudlab.monitor.config import MonitorConfig
from fraudlab.monitor.drift import Binning
from fraudlab.monitor.reference import Reference
from fraudlab.monitor.windows import Window, confusion, percentiles
from fraudlab.scoring.formats import make_parser

log = logging.getLogger(__name__)


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
        self.parser = make_parser(config.value_format, self.feature_names, config.columns,
                                  config.kafka.schema_registry_url)
        self.on_metrics = on_metrics
        self.windows: dict[int, Window] = {}
        self.labels: dict[str, int] = {}
        self.tx_features: dict[str, np.ndarray] = {}
        self.emitted: list[dict[str, Any]] = []
        self.records = 0
        self.rejected = 0  # input records that could not be read
        self.watermark_ms = 0
        # newest label record time: with a labels topic, a window also waits until labels this late
        # have been read (topics are consumed at different speeds, so scores may run ahead of labels)
        self.label_watermark_ms = 0
        self.tx_watermark_ms = 0  # the same for the transactions topic (feature drift of a window)
        self._score_baseline: Binning | None = self.reference.score if self.reference else None
        self.analyzer = (WindowAnalyzer(self.reference, self.feature_names, config.analysis)
                         if self.reference is not None and self.reference.hourly is not None else None)
        self._time_col = self.feature_names.index("Time") if "Time" in self.feature_names else None
        # event time (s) - the transaction's `Time` (s): maps score event times to the data's own clock,
        # whose time of day the hourly reference is keyed by (0 until transactions are seen)
        self.clock_offset_s: float | None = None
        # windows are cut on the data's clock when the transactions bring it; until its offset is known
        # the scores wait here (event ms, score, flag, id, append ms)
        self._on_data_clock = config.transactions_topic is not None and self._time_col is not None
        self._waiting: list[tuple[int, float, bool, str, int]] = []
        self._origin_ms = 0  # window starts are origin + k * width (ms)
        self._reported_until_ms: int | None = None  # end of the last window reported
        self.late_records = 0  # records of a window already reported: counted, not windowed

    # -- input ---------------------------------------------------------------------------------
    def add_scores(self, values: list[bytes], append_ms: list[int]) -> list[tuple[int, str]]:
        """Returns the records it could not read: (index, reason)."""
        rows: list[tuple[int, float, bool, str, int]] = []
        rejects: list[tuple[int, str]] = []
        for i, (raw, appended) in enumerate(zip(values, append_ms, strict=True)):
            try:
                rec = orjson.loads(raw)
                event = int(rec["event_time"])
                score, flag, rid = float(rec["score"]), bool(rec["is_fraud"]), str(rec["id"])
            except orjson.JSONDecodeError as exc:
                rejects.append((i, f"score record is not JSON: {exc}"))
                continue
            except KeyError as exc:
                rejects.append((i, f"score record has no field {exc}"))
                continue
            except (TypeError, ValueError) as exc:
                rejects.append((i, f"score record has a field of the wrong type: {exc}"))
                continue
            rows.append((event, score, flag, rid, appended))
            self.watermark_ms = max(self.watermark_ms, event)
        if self._on_data_clock and self.clock_offset_s is None:
            self._waiting.extend(rows)
        else:
            self._place_scores(rows)
        return rejects

    def _place_scores(self, rows: list[tuple[int, float, bool, str, int]]) -> None:
        for event, score, flag, rid, appended in rows:
            w = self._window(self._window_start(event))
            if w is None:
                continue
            w.scores.append(score)
            w.flags.append(flag)
            w.ids.append(rid)
            w.latencies_ms.append(float(appended - event))
            w.event_ms.append(event)

    def _window_start(self, event_ms: int) -> int:
        width = int(self.config.window_s * 1000)
        return event_ms - (event_ms - self._origin_ms) % width

    def _window(self, start: int, records: int = 1) -> Window | None:
        """The open window starting at `start`, opened if need be; None (the records counted as late)
        when that window was reported already: a second record for it would contradict the first."""
        if self._reported_until_ms is not None and start < self._reported_until_ms:
            self.late_records += records
            return None
        w = self.windows.get(start)
        if w is None:
            w = self.windows[start] = Window(start)
        return w

    def add_labels(self, values: list[bytes], keys: list[bytes | None],
                   timestamps_ms: list[int] | None = None) -> list[tuple[int, str]]:
        """Labels as {"id", "label"} JSON (KSQL's {"ID", "CLASS"} too), or key = id and value 0/1.
        Returns the records it could not read: (index, reason)."""
        if timestamps_ms:
            self.label_watermark_ms = max(self.label_watermark_ms, max(timestamps_ms))
        rejects: list[tuple[int, str]] = []
        for i, (raw, key) in enumerate(zip(values, keys, strict=True)):
            try:
                obj = orjson.loads(raw)
            except orjson.JSONDecodeError as exc:
                rejects.append((i, f"label record is not JSON: {exc}"))
                continue
            if isinstance(obj, dict):
                fields = {str(k).lower(): v for k, v in obj.items()}
                rid = fields.get("id", key.decode(errors="replace") if key else None)
                label = fields.get("label", fields.get("class"))
            else:
                rid, label = (key.decode(errors="replace") if key else None), obj
            if rid is None or label is None:
                rejects.append((i, "label record has no id (field or key) or no label/class"))
                continue
            try:
                self.labels[str(rid)] = int(label)
            except (TypeError, ValueError):
                rejects.append((i, f"label {label!r} is not 0 or 1"))
        return rejects

    def add_transactions(self, values: list[bytes], timestamps_ms: list[int]) -> list[tuple[int, str]]:
        """Returns the records it could not parse: (index, reason)."""
        if timestamps_ms:
            self.tx_watermark_ms = max(self.tx_watermark_ms, max(timestamps_ms))
        parsed = self.parser.parse(values)
        rejects = [(i, err.reason) for i, err in parsed.rejects]
        if not len(parsed.index):
            return rejects
        width = int(self.config.window_s * 1000)
        ts = np.asarray(timestamps_ms, dtype=np.int64)[parsed.index]
        if self._time_col is not None and self.clock_offset_s is None:
            offset_ms = float(np.median(ts - parsed.features[:, self._time_col].astype(np.float64) * 1000.0))
            self.clock_offset_s = offset_ms / 1000.0
            if self._on_data_clock:
                # the wall-clock instant of Time == 0 (and so of every multiple of the window on the
                # data's clock) is a window start
                self._origin_ms = round(offset_ms) % width
                waiting, self._waiting = self._waiting, []
                self._place_scores(waiting)
        starts = ts - (ts - self._origin_ms) % width
        for start in np.unique(starts):
            here = starts == start
            w = self._window(int(start), int(here.sum()))
            if w is not None:
                w.features.append(parsed.features[here])
        return rejects

    # -- output --------------------------------------------------------------------------------
    def close_windows(self, final: bool = False) -> list[dict[str, Any]]:
        width = int(self.config.window_s * 1000)
        if final and self._waiting:  # no transaction ever came: the scores go on the wall clock's grid
            waiting, self._waiting = self._waiting, []
            self._place_scores(waiting)
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
            self._reported_until_ms = start + width
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
        if n:
            p50, p99 = np.percentile(scores, [50, 99])
            m["score_p50"], m["score_p99"] = round(float(p50), 6), round(float(p99), 6)
        if w.features and self.reference is not None and self.reference.features:
            psi = self.reference.feature_psi(np.concatenate(w.features), self.feature_names)
            m["feature_psi"] = psi
            m["drifted_features"] = sorted(f for f, v in psi.items() if v > self.config.psi_flag)
        if self.analyzer is not None and n:
            m.update(self._analysis(w, width, scores))
        for rid in w.ids:
            self.labels.pop(rid, None)
        return m

    def _analysis(self, w: Window, width: int, scores: np.ndarray) -> dict[str, Any]:
        assert self.analyzer is not None
        offset = self.clock_offset_s or 0.0
        event_s = np.asarray(w.event_ms, dtype=np.float64) / 1000.0
        labels = np.asarray([self.labels.get(rid, -1) for rid in w.ids], dtype=np.int64)
        features = feature_time = None
        if w.features and self._time_col is not None:
            features = np.concatenate(w.features)
            feature_time = features[:, self._time_col].astype(np.float64)
        out = self.analyzer.window(w.start_ms, w.start_ms + width, scores, np.asarray(w.flags), event_s - offset,
                                   labels=labels, features=features, feature_time_s=feature_time)
        keep = ("records", "alerts", "alert_rate", "score_mean", "window_start", "window_end", "labelled",
                "true_positives", "false_positives", "false_negatives", "precision", "recall")
        out = {k: v for k, v in out.items() if k not in keep}
        out["score_change_alarms_s"] = [round(t + offset, 3) for t in out.get("score_change_alarms_s", [])]
        return out

    # -- the loop ------------------------------------------------------------------------------
    def run(self) -> list[dict[str, Any]]:
        cfg = self.config
        topics = [t for t in (cfg.scores_topic, cfg.transactions_topic, cfg.labels_topic) if t]
        consumer = Consumer(cfg.kafka.as_librdkafka(**{
            "group.id": cfg.group_id or f"fraudlab-monitor-{uuid.uuid4().hex[:8]}",
            "auto.offset.reset": "earliest", "enable.auto.commit": cfg.group_id is not None,
            "isolation.level": "read_committed",
        }))
        needs_producer = cfg.metrics_topic or cfg.dead_letter_topic
        producer = Producer(cfg.kafka.as_librdkafka(**{"linger.ms": 20})) if needs_producer else None
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
                    self._dead_letter(producer, ms, self.add_labels(
                        [m.value() for m in ms], [m.key() for m in ms], [m.timestamp()[1] for m in ms]))
                if cfg.transactions_topic and cfg.transactions_topic in by_topic:
                    ms = by_topic[cfg.transactions_topic]
                    self._dead_letter(producer, ms, self.add_transactions(
                        [m.value() for m in ms], [m.timestamp()[1] for m in ms]))
                if cfg.scores_topic in by_topic:
                    ms = by_topic[cfg.scores_topic]
                    self._dead_letter(producer, ms, self.add_scores(
                        [m.value() for m in ms], [m.timestamp()[1] for m in ms]))
                self._publish(producer, self.close_windows())
            self._publish(producer, self.close_windows(final=True))
            if self.late_records:
                log.warning("%d records came after their window was reported and were left out",
                            self.late_records)
        finally:
            consumer.close()
            if producer is not None:
                producer.flush(30)
        return self.emitted

    def _dead_letter(self, producer: Producer | None, msgs: list[Any], rejects: list[tuple[int, str]]) -> None:
        """Unreadable input records: counted, logged, and copied with their raw bytes and the reason
        to the dead-letter topic when there is one (the monitor goes on either way)."""
        if not rejects:
            return
        self.rejected += len(rejects)
        from fraudlab.scoring.deadletter import dead_letter_headers
        from fraudlab.scoring.errors import RecordError

        first = msgs[rejects[0][0]]
        log.warning("%d unreadable records on %s (first at offset %d: %s)", len(rejects), first.topic(),
                    first.offset(), rejects[0][1])
        if producer is None or self.config.dead_letter_topic is None:
            return
        for i, reason in rejects:
            m = msgs[i]
            headers = dead_letter_headers(m, RecordError(m.value(), reason), stage="monitor")
            send(producer, self.config.dead_letter_topic, m.value(), m.key(), headers=headers)
        producer.poll(0)

    def _publish(self, producer: Producer | None, metrics: list[dict[str, Any]]) -> None:
        if producer is None or not metrics or self.config.metrics_topic is None:
            return
        for m in metrics:
            send(producer, self.config.metrics_topic, orjson.dumps(m), str(m["window_start"]).encode())
        producer.poll(0)
