"""Topic administration: create, describe, delete, count records, wait for records."""

from __future__ import annotations

import time
from dataclasses import dataclass

from confluent_kafka import Consumer, KafkaException, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic
from tqdm.auto import tqdm

from fraudlab.kafka.config import KafkaConfig
from fraudlab.kafka.errors import TopicError, WaitTimeoutError


@dataclass(frozen=True)
class TopicInfo:
    name: str
    partitions: int
    replication_factor: int
    # per partition: (low watermark, high watermark)
    watermarks: tuple[tuple[int, int], ...]

    @property
    def records(self) -> int:
        """Records currently held (high - low watermarks; exact for topics without compaction or
        transaction markers)."""
        return sum(high - low for low, high in self.watermarks)


def _admin(config: KafkaConfig) -> AdminClient:
    return AdminClient(config.as_librdkafka())


def create_topic(
    config: KafkaConfig,
    name: str,
    partitions: int = 1,
    replication_factor: int = 1,
    topic_config: dict[str, str] | None = None,
    exist_ok: bool = True,
    timeout_s: float = 30.0,
) -> None:
    admin = _admin(config)  # keep a reference: the futures fail if the client is collected
    futures = admin.create_topics(
        [NewTopic(name, partitions, replication_factor, config=topic_config or {})],
        operation_timeout=timeout_s,
    )
    try:
        futures[name].result(timeout_s)
    except KafkaException as exc:
        err = exc.args[0]
        if exist_ok and err.name() == "TOPIC_ALREADY_EXISTS":
            return
        raise TopicError(name, f"could not be created: {err.str()}", err) from exc
    _await_metadata(admin, name, True, timeout_s)


def _await_metadata(admin: AdminClient, name: str, present: bool, timeout_s: float) -> None:
    """The controller answers a create or delete before every broker's metadata shows it: wait until
    the metadata agrees (a created topic: every partition with a leader, else a read of its offsets is
    refused), so the next call (produce, describe, read, re-create) sees what was just done."""
    deadline = time.monotonic() + timeout_s
    delay = 0.05
    while True:
        # all topics, not `topic=name`: a metadata request naming a topic may auto-create it
        topic = admin.list_topics(timeout=max(1.0, deadline - time.monotonic())).topics.get(name)
        ready = (
            topic is not None and topic.error is None and bool(topic.partitions)
            and (not present or all(p.leader >= 0 for p in topic.partitions.values()))
        )
        if ready == present:
            return
        if time.monotonic() + delay > deadline:
            raise TopicError(name, f"still {'missing from' if present else 'in'} the metadata after {timeout_s:.0f} s")
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


def delete_topic(config: KafkaConfig, name: str, missing_ok: bool = True, timeout_s: float = 30.0) -> None:
    admin = _admin(config)
    futures = admin.delete_topics([name], operation_timeout=timeout_s)
    try:
        futures[name].result(timeout_s)
    except KafkaException as exc:
        err = exc.args[0]
        if missing_ok and err.name() == "UNKNOWN_TOPIC_OR_PART":
            return
        raise TopicError(name, f"could not be deleted: {err.str()}", err) from exc
    _await_metadata(admin, name, False, timeout_s)


def list_topics(config: KafkaConfig, timeout_s: float = 10.0, internal: bool = False) -> list[str]:
    meta = _admin(config).list_topics(timeout=timeout_s)
    return sorted(t for t in meta.topics if internal or not t.startswith("_"))


class TopicReader:
    """One admin client and one consumer for repeated looks at topics (`describe`, `count`): a wait that
    counts records every 0.2 s made both clients anew each time (librdkafka threads, connections, metadata),
    CPU taken from the very processes it waited for on a small machine. Close it (or use `with`)."""

    def __init__(self, config: KafkaConfig) -> None:
        self.config = config
        self._admin = _admin(config)
        self._consumer: Consumer | None = None

    def describe(self, name: str, timeout_s: float = 10.0) -> TopicInfo:
        meta = self._admin.list_topics(topic=name, timeout=timeout_s)
        topic = meta.topics.get(name)
        if topic is None or topic.error is not None or not topic.partitions:
            problem = topic.error.str() if topic is not None and topic.error is not None else "does not exist"
            raise TopicError(name, problem, topic.error if topic is not None else None)
        if self._consumer is None:
            self._consumer = Consumer(self.config.as_librdkafka(**{"group.id": "fraudlab-admin",
                                                                   "enable.auto.commit": False}))
        marks = tuple(
            self._consumer.get_watermark_offsets(TopicPartition(name, p), timeout=timeout_s, cached=False)
            for p in sorted(topic.partitions)
        )
        replication = len(next(iter(topic.partitions.values())).replicas)
        return TopicInfo(name, len(topic.partitions), replication, marks)  # type: ignore[arg-type]

    def count(self, name: str) -> int:
        return self.describe(name).records

    def close(self) -> None:
        if self._consumer is not None:
            self._consumer.close()
            self._consumer = None

    def __enter__(self) -> TopicReader:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def describe_topic(config: KafkaConfig, name: str, timeout_s: float = 10.0) -> TopicInfo:
    with TopicReader(config) as reader:
        return reader.describe(name, timeout_s)


def count_records(config: KafkaConfig, name: str) -> int:
    return describe_topic(config, name).records


def topic_exists(config: KafkaConfig, name: str) -> bool:
    meta = _admin(config).list_topics(timeout=10)
    return name in meta.topics and meta.topics[name].error is None


def wait_for_records(
    config: KafkaConfig,
    name: str,
    expected: int,
    timeout_s: float = 120.0,
    progress: bool = True,
    baseline: int = 0,
    extra_counter=None,  # type: ignore[no-untyped-def]
) -> int:
    """Block until `name` holds `expected` records beyond `baseline` (plus whatever `extra_counter()`
    counts, e.g. dead-lettered rows); returns the count seen. WaitTimeoutError after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    seen = 0
    with TopicReader(config) as reader, tqdm(total=expected, desc=f"records in {name}", unit="rec",
                                             disable=not progress) as bar:
        while True:
            try:
                seen = reader.count(name) - baseline
            except TopicError:
                seen = 0  # not created yet
            if extra_counter is not None:
                seen += extra_counter()
            bar.update(max(0, min(seen, expected) - bar.n))
            if seen >= expected:
                return seen
            if time.monotonic() > deadline:
                raise WaitTimeoutError(name, expected, seen, timeout_s)
            time.sleep(0.2)
