"""Scale-out membership: which server of a service id is alive, where it listens, which partitions it owns.

Every server appends a heartbeat to `_confluent-ksql-<service id>_servers` (compacted, one partition, keyed
by the server's instance id) every `interval_s`: its advertised REST URL and, per persistent query with
durable state, the input partitions the consumer group assigned to it. Every server tails the topic, so it
knows the other live servers (heartbeat younger than `ttl_s`) and who owns what; a clean stop writes a
tombstone. Pull queries use this to reach state wherever it lives (`cluster/pull_routing.py`).
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from ksqlserver.drivers.base import ChangelogWriter, Record, TopicDriver, TopicTail

log = logging.getLogger("ksqlserver.cluster")


@dataclass(frozen=True)
class ClusterConfig:
    service_id: str
    instance_id: str
    url: str  # this server's advertised REST listener
    interval_s: float = 1.0
    ttl_s: float = 6.0

    @property
    def topic(self) -> str:
        return f"_confluent-ksql-{self.service_id}_servers"


class Member(NamedTuple):
    instance_id: str
    url: str
    seen_ms: int
    owned: Mapping[str, tuple[int, ...]]  # query id -> partitions


OwnedFn = Callable[[], dict[str, list[int]]]


class Cluster:
    def __init__(
        self,
        config: ClusterConfig,
        driver: TopicDriver,
        owned: OwnedFn,
        producer: ChangelogWriter,
        tail: TopicTail,
    ) -> None:
        self.config = config
        self._owned = owned
        self._producer = producer
        driver.create_topic(config.topic, 1, 1, {"cleanup.policy": "compact"})
        self._tail = tail
        self._members: dict[str, Member] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ksql-cluster", daemon=True)

    def start(self) -> Cluster:
        self._beat()
        self._thread.start()
        return self

    def _beat(self, alive: bool = True) -> None:
        value = None
        if alive:
            doc = {"url": self.config.url, "ts": int(time.time() * 1000), "owned": self._owned()}
            value = json.dumps(doc).encode()
        rec = Record(self.config.instance_id.encode(), value, int(time.time() * 1000), 0)
        self._producer.produce(self.config.topic, [rec])
        self._producer.flush()

    def _read(self, timeout: float) -> None:
        for r in self._tail.read(timeout):
            iid = (r.key or b"").decode()
            if not iid or iid == self.config.instance_id:
                continue
            with self._lock:
                if r.value is None:
                    self._members.pop(iid, None)
                    continue
                try:
                    doc = json.loads(r.value)
                    owned = {q: tuple(int(p) for p in ps) for q, ps in doc.get("owned", {}).items()}
                    self._members[iid] = Member(iid, str(doc["url"]), int(doc["ts"]), owned)
                except (ValueError, KeyError, TypeError) as e:
                    log.warning("ignoring an unreadable heartbeat of %s: %s", iid, e)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._read(0.0)
                self._beat()
            except Exception:
                log.exception("cluster heartbeat failed")
            self._stop.wait(self.config.interval_s)

    def members(self) -> list[Member]:
        """The other servers whose last heartbeat is recent (this server excluded)."""
        floor = int(time.time() * 1000) - int(self.config.ttl_s * 1000)
        with self._lock:
            return [m for m in self._members.values() if m.seen_ms >= floor]

    def remote_owners(self, query_id: str, local: set[int]) -> dict[int, Member]:
        """Partition -> the live remote server that owns it, for the partitions this server does not own."""
        out: dict[int, Member] = {}
        for m in sorted(self.members(), key=lambda m: m.seen_ms):  # the newest claim wins
            for p in m.owned.get(query_id, ()):
                if p not in local:
                    out[p] = m
        return out

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        try:
            self._beat(alive=False)  # gone now: no server forwards to this one any more
        except Exception as e:
            log.warning("could not announce the stop: %s", e)
        self._tail.close()


def owned_partitions(persistent: Mapping[str, Any]) -> dict[str, list[int]]:
    """Per persistent query with durable state, the input partitions its consumer owns now."""
    return {
        qid: sorted(q.owned_partitions)
        for qid, q in list(persistent.items())
        if getattr(q, "owned_partitions", None)
    }


def start_cluster(
    driver: TopicDriver, service_id: str, url: str, persistent: Mapping[str, Any]
) -> Cluster | None:
    """A running membership on Kafka when the server has a URL to advertise; None otherwise."""
    durability = driver.durability
    if not url or durability is None or not durability.instance_id:
        return None
    cc = ClusterConfig(service_id, durability.instance_id, url.rstrip("/"))
    producer = durability.changelog_producer()
    tail = durability.follower(cc.topic)
    return Cluster(cc, driver, lambda: owned_partitions(persistent), producer, tail).start()
