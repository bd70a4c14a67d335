"""`KafkaScan`: every partition of some topics from offset 0 to the high watermark seen at creation."""

from __future__ import annotations

import uuid
from typing import Any

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, TopicPartition

from ksqlserver.drivers.base import DriverError, Record, Scan
from ksqlserver.drivers.kafka import records as kafka_records
from ksqlserver.drivers.kafka.config import KafkaDriverConfig

_new = tuple.__new__


class KafkaScan(Scan):
    """assign(), never subscribe(): no group to join, so the first batch comes after one fetch."""

    def __init__(self, config: KafkaDriverConfig, topics: list[str]) -> None:
        self._c = Consumer(
            {
                **config.common(),
                "group.id": f"_ksqlserver-scan-{uuid.uuid4().hex}",
                "enable.auto.commit": False,
                "enable.auto.offset.store": False,
                "enable.partition.eof": False,
                "fetch.max.bytes": config.fetch_max_bytes,
                "queued.min.messages": 100_000,
                "isolation.level": "read_committed",
            }
        )
        self._closed = False
        md = self._c.list_topics(timeout=config.admin_timeout_s)
        self._end: dict[tuple[str, int], int] = {}
        parts = []
        for t in topics:
            meta = md.topics.get(t)
            if meta is None or meta.error is not None:
                self._c.close()
                raise DriverError(f"Cannot read topic {t}: it does not exist", t)
            for p in sorted(meta.partitions):
                low, high = self._c.get_watermark_offsets(
                    TopicPartition(t, p), timeout=config.admin_timeout_s
                )
                if high > low:
                    self._end[(t, p)] = high
                    parts.append(TopicPartition(t, p, OFFSET_BEGINNING))
        self._topic = topics[0] if len(set(topics)) == 1 else None
        self._open = dict(self._end)  # partitions not yet read to their end
        self.exhausted = not self._open
        if parts:
            self._c.assign(parts)

    def poll_batch(self, max_records: int, timeout: float) -> list[Record]:
        if self._closed or self.exhausted:
            return []
        msgs = self._c.consume(num_messages=max_records, timeout=max(timeout, 0.05))
        native = kafka_records.native()
        out: list[Record]
        if native is not None and msgs:
            out, errors = native.records(msgs, Record, self._topic)
            for m in errors:
                self._check(m)
        else:
            out = []
            for m in msgs:
                if m.error() is not None:
                    self._check(m)
                    continue
                ts = m.timestamp()[1]
                headers = m.headers()
                out.append(
                    _new(
                        Record,
                        (m.key(), m.value(), ts, m.partition(), m.offset(),
                         tuple(headers) if headers else (), self._topic or m.topic()),
                    )
                )  # fmt: skip
        if out and len(self._end) == 1:
            # one partition (its records in offset order): only the batch's last offset says anything
            (tp, end), = self._end.items()
            last_offset = out[-1].offset
            if last_offset >= end:  # records written after the scan started are not part of it
                out = [r for r in out if r.offset < end]
            if tp in self._open and last_offset + 1 >= self._open[tp]:
                del self._open[tp]
        elif out:
            last: dict[tuple[str, int], int] = {}
            for r in out:
                last[(r.topic, r.partition)] = r.offset
            kept = []
            for r in out:  # records written after the scan started are not part of it
                end = self._end.get((r.topic, r.partition))
                if end is not None and r.offset < end:
                    kept.append(r)
            for tp, off in last.items():
                if tp in self._open and off + 1 >= self._open[tp]:
                    del self._open[tp]
            out = kept
        elif self._open:
            # transaction markers occupy offsets no record has: positions tell whether an end was reached
            positions = self._c.position([TopicPartition(t, p) for t, p in self._open])
            for tp in positions:
                if tp.offset >= self._open[(tp.topic, tp.partition)]:
                    del self._open[(tp.topic, tp.partition)]
        self.exhausted = not self._open
        return out

    @staticmethod
    def _check(m: Any) -> None:
        err = m.error()
        if err.code() != KafkaError._PARTITION_EOF and err.fatal():
            raise DriverError(f"Scan failed: {err}", m.topic() or "")

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self.exhausted = True
            self._c.close()
