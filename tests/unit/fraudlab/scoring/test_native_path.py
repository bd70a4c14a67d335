"""The scoring service's at-least-once path on kafkanative (issue 19) without a broker: a batch consumed as
record tuples gives the same scores, alerts, dead letters (raw bytes, key, headers) and pending offsets as
the same batch consumed as confluent-kafka Messages; failed deliveries counted in C keep the offsets
uncommitted; a rewind re-applies the assignment at the committed offsets; exactly-once stays on
confluent-kafka."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from confluent_kafka import KafkaError, TopicPartition

from fraudlab.data import synthetic
from fraudlab.data.schema import FEATURES
from fraudlab.kafka.native import KafkaRecord, NativeProducer, native_reason
from fraudlab.scoring import ScoringConfig
from fraudlab.scoring import service as service_module
from fraudlab.scoring.errors import ScoringError
from fraudlab.scoring.service import ScoringService


class FakeScorer:
    feature_names = tuple(FEATURES)
    threshold = 0.5
    model_version = "fake-1"

    def score(self, matrix: np.ndarray) -> np.ndarray:
        return (np.abs(matrix).sum(axis=1) % 1.0).astype(np.float32)

    def is_fraud(self, scores: np.ndarray) -> np.ndarray:
        return scores >= self.threshold


class Message:
    """The confluent-kafka Message calls the service makes."""

    def __init__(self, r: KafkaRecord) -> None:
        self.r = r

    def topic(self) -> str:
        return self.r.topic

    def partition(self) -> int:
        return self.r.partition

    def offset(self) -> int:
        return self.r.offset

    def key(self) -> bytes | None:
        return self.r.key

    def value(self) -> bytes | None:
        return self.r.value

    def timestamp(self) -> tuple[int, int]:
        return 1, self.r.timestamp

    def error(self) -> None:
        return None


class ConfluentSink:
    """confluent-kafka's Producer.produce as `send`/`send_all` call it."""

    def __init__(self) -> None:
        self.out: list[tuple[str, bytes | None, bytes | None, list | None]] = []

    def produce(self, topic: str, value: Any, key: Any = None, headers: Any = None) -> None:
        self.out.append((topic, key, value, headers))


class NativeSink:
    """NativeProducer's calls; what it records is what `_rdkio` would queue."""

    def __init__(self) -> None:
        self.out: list[tuple[str, bytes | None, bytes | None, list | None]] = []

    def produce_many(self, topic: str, values: list[bytes], keys: list[bytes | str | None]) -> None:
        # `_rdkio` queues a str key as its UTF-8 bytes (test_rdkio checks that C side)
        self.out.extend((topic, k.encode() if isinstance(k, str) else k, v, None)
                        for k, v in zip(keys, values, strict=True))  # fmt: skip

    def produce(self, topic: str, value: Any, key: Any = None, headers: Any = None) -> None:
        self.out.append((topic, key, value, headers))


def records(keyed: bool) -> list[KafkaRecord]:
    frame = synthetic(300, 0.05, seed=3)
    lines = [ln.encode() for ln in frame.to_csv(header=False, index=False, lineterminator="\n").splitlines()]
    lines[7], lines[150], lines[299] = b"", lines[150] + b",1", b"not,a,transaction"
    return [KafkaRecord(f"k{i}".encode() if keyed else None, line, 1_700_000_000_000 + i, i % 3, 40 + i // 3, (), "tx")
            for i, line in enumerate(lines)]


def make(native: bool) -> ScoringService:
    cfg = ScoringConfig(model_dir=Path("unused"), input_topic="tx", output_topic="scores", alerts_topic="alerts",
                        kafka_io="confluent")
    svc = ScoringService(cfg, scorer=FakeScorer())  # type: ignore[arg-type]
    svc.native_io = native
    svc._producer = NativeSink() if native else ConfluentSink()
    return svc


@pytest.mark.parametrize("keyed", [True, False], ids=["keys", "no-keys"])
def test_record_tuples_give_the_outputs_of_messages(monkeypatch: pytest.MonkeyPatch, keyed: bool) -> None:
    """Ids from the key (else topic-partition-offset), scores, alerts, dead letters with their source headers."""
    monkeypatch.setattr(service_module.time, "time_ns", lambda: 1_800_000_000_000_000_000)
    batch = records(keyed)
    old, new = make(False), make(True)
    old._process([Message(r) for r in batch])
    new._process_records(batch, [])
    assert new._producer.out == old._producer.out
    assert new._pending == old._pending == {("tx", 0): 140, ("tx", 1): 140, ("tx", 2): 140}
    clock = {"uptime_s", "records_per_s"}
    counts = [{k: v for k, v in svc.stats.report(None).as_dict().items() if k not in clock} for svc in (new, old)]
    assert counts[0] == counts[1]
    topics = [t for t, *_ in new._producer.out]
    assert topics.count("scores") == 297 and topics.count("tx-dlq") == 3 and topics.count("alerts") > 0
    dead = [(k, v, dict(h)) for t, k, v, h in new._producer.out if t == "tx-dlq"]
    assert [h["fraudlab.source.offset"] for _, _, h in dead] == [b"42", b"90", b"139"]
    assert dead[0][1] == b"" and dead[2][1] == b"not,a,transaction"
    assert dead[0][2]["fraudlab.source.timestamp"] == b"1700000000007"


def test_a_fatal_consumer_error_replaces_the_consumer_and_drops_the_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    svc = make(True)
    failed: list[KafkaError] = []
    monkeypatch.setattr(svc, "_consumer_failed", failed.append)
    fatal = KafkaError(KafkaError._FATAL, "fenced", fatal=True)
    svc._process_records(records(True), [KafkaError(KafkaError._TRANSPORT, "away"), fatal])
    assert failed == [fatal] and svc._producer.out == [] and not svc._pending


class RewindConsumer:
    def __init__(self) -> None:
        self.rewinds: list[list[tuple[str, int, int]]] = []

    def assignment(self) -> list[TopicPartition]:
        return [TopicPartition("tx", 0), TopicPartition("tx", 1)]

    def committed(self, partitions: list[TopicPartition], timeout: float) -> list[TopicPartition]:
        return [TopicPartition("tx", 0, 100), TopicPartition("tx", 1, -1001)]

    def rewind(self, offsets: list[TopicPartition]) -> None:
        self.rewinds.append([(tp.topic, tp.partition, tp.offset) for tp in offsets])


def test_a_rewind_reapplies_the_whole_assignment_at_the_committed_offsets() -> None:
    svc = make(True)
    svc._consumer = RewindConsumer()
    svc._rewind()
    assert svc._consumer.rewinds == [[("tx", 0, 100), ("tx", 1, -1001)]]


def test_exactly_once_and_confluent_stay_on_confluent_kafka() -> None:
    base = dict(model_dir=Path("unused"), input_topic="tx", output_topic="scores")
    eos = ScoringService(ScoringConfig(**base, guarantee="exactly-once", kafka_io="native"),  # type: ignore[arg-type]
                         scorer=FakeScorer())  # type: ignore[arg-type]
    plain = ScoringService(ScoringConfig(**base, kafka_io="confluent"), scorer=FakeScorer())  # type: ignore[arg-type]
    assert not eos.native_io and not plain.native_io


@pytest.mark.skipif(native_reason() is not None, reason=f"kafkanative unavailable: {native_reason()}")
def test_failed_native_deliveries_keep_the_offsets_uncommitted() -> None:
    """As confluent-kafka's on_delivery: every output to a broker that does not exist fails
    (message.timeout.ms), the failure is counted in C with its topic, and the checkpoint refuses to commit."""
    svc = make(True)
    svc._producer = NativeProducer({"bootstrap.servers": "127.0.0.1:1", "message.timeout.ms": 200, "linger.ms": 0})
    svc._consumer = object()
    svc._pending = {("tx", 0): 5}
    try:
        svc._producer.produce_many("scores", [b"a", b"b"], [b"1", b"2"])
        svc._producer.produce("tx-dlq", b"x", None, [("fraudlab.error", b"bad")])
        with pytest.raises(ScoringError, match=r"output delivery failed \(scores: .*\); offsets not committed"):
            svc.checkpoint()
        assert svc._pending == {("tx", 0): 5}
    finally:
        svc._producer.close()
