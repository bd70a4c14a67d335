"""Durable state and scale-out of ksqlserver on real Kafka.

- A CTAS ... GROUP BY COUNT keeps counting across a SIGTERM restart (snapshot + changelog) and a SIGKILL
  restart with the snapshots deleted (changelog alone): no reset, and pull queries return the totals.
- Two servers with one service id split a 2-partition query between them; both answer /info and SHOW
  QUERIES; every record is counted once; a pull query for a key the other server owns returns its row from
  either server (forwarded with ksqlDB's internal-request marker).
"""

from __future__ import annotations

import json
import shutil
import signal
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from confluent_kafka import OFFSET_BEGINNING, Consumer, Producer, TopicPartition

from fraudlab.stack import KsqlServerProcess

REPO_ROOT = Path(__file__).resolve().parents[3]


def start(bootstrap: str, state: Path, service_id: str, log: Path) -> tuple[KsqlServerProcess, str]:
    # with a service id, the server counts as up once /info names it: this process, not another one
    # that took the free port
    server = KsqlServerProcess(bootstrap, state, log, service_id=service_id, extra_args=("--log-level", "INFO"),
                               cwd=REPO_ROOT).start()
    return server, server.url


def stop(server: KsqlServerProcess, sig: int = signal.SIGTERM) -> None:
    server.stop(sig)


def ksql(url: str, sql: str, guarantee: str = "at_least_once") -> list[dict[str, Any]]:
    props = {"ksql.streams.auto.offset.reset": "earliest", "processing.guarantee": guarantee}
    r = httpx.post(url + "/ksql", json={"ksql": sql, "streamsProperties": props}, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()


def pull(url: str, sql: str, request_properties: dict[str, Any] | None = None) -> dict[str, int]:
    body: dict[str, Any] = {"ksql": sql, "streamsProperties": {}}
    if request_properties:
        body["requestProperties"] = request_properties
    r = httpx.post(url + "/query", json=body, timeout=30, headers={"Accept": "application/vnd.ksql.v1+json"})
    assert r.status_code == 200, r.text
    return {item["row"]["columns"][0]: item["row"]["columns"][1] for item in r.json() if "row" in item}


def produce(bootstrap: str, topic: str, keys: list[str], partition_of: dict[str, int] | None = None) -> None:
    p = Producer({"bootstrap.servers": bootstrap})
    for k in keys:
        kw = {"partition": partition_of[k]} if partition_of else {}
        p.produce(topic, json.dumps({"V": 1}).encode(), k.encode(), **kw)
    assert p.flush(30) == 0


def wait_for(fn: Any, expected: Any, timeout: float = 60.0) -> Any:
    deadline = time.monotonic() + timeout
    got = None
    while time.monotonic() < deadline:
        got = fn()
        if got == expected:
            return got
        time.sleep(0.5)
    raise AssertionError(f"expected {expected}, last got {got}")


def wait_committed(bootstrap: str, service_id: str, topic: str, timeout: float = 60.0) -> None:
    """Wait until a consumer group of the service has committed every partition of `topic` to its end.

    The query commits (flushing its record cache and changelog first) every `commit.interval.ms`, 2000 ms
    as in ksqlDB; a fixed sleep of that length races the commit on a loaded machine.
    """
    from confluent_kafka import ConsumerGroupTopicPartitions
    from confluent_kafka.admin import AdminClient

    admin = AdminClient({"bootstrap.servers": bootstrap})
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": f"t-{uuid.uuid4().hex}"})
    try:
        parts = admin.list_topics(topic, timeout=10).topics[topic].partitions
        ends = {p: c.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1] for p in parts}
        deadline, committed = time.monotonic() + timeout, {}
        while time.monotonic() < deadline:
            groups = [g.group_id for g in admin.list_consumer_groups().result(timeout=10).valid
                      if g.group_id.startswith(f"_confluent-ksql-{service_id}")]
            for g in groups:
                req = ConsumerGroupTopicPartitions(g, [TopicPartition(topic, p) for p in parts])
                got = admin.list_consumer_group_offsets([req])[g].result(timeout=10)
                committed = {tp.partition: tp.offset for tp in got.topic_partitions}
                if all(committed.get(p, -1) >= end for p, end in ends.items()):
                    return
            time.sleep(0.5)
        raise AssertionError(f"offsets of {topic} not committed in {timeout} s: ends {ends}, committed {committed}")
    finally:
        c.close()


def _create(url: str, stream: str, table: str, topic: str, guarantee: str = "at_least_once") -> None:
    ksql(
        url,
        f"CREATE STREAM {stream} (K STRING KEY, V INT) WITH (KAFKA_TOPIC='{topic}', PARTITIONS=2, "
        f"VALUE_FORMAT='JSON'); CREATE TABLE {table} AS SELECT K, COUNT(*) AS N FROM {stream} GROUP BY K;",
        guarantee,
    )


@pytest.mark.parametrize("guarantee", ["at_least_once", "exactly_once_v2"])
def test_counts_survive_sigterm_and_sigkill_restarts(bootstrap_servers: str, tmp_path: Path, guarantee: str) -> None:
    tag = uuid.uuid4().hex[:8]
    sid, state, log = f"dur_{tag}_", tmp_path / "state", tmp_path / "server.log"
    stream, table = f"CLICKS_{tag}".upper(), f"CLICK_COUNTS_{tag}".upper()
    keys = [f"k{i}" for i in range(5)]
    proc, url = start(bootstrap_servers, state, sid, log)
    try:
        _create(url, stream, table, f"clicks-{tag}", guarantee)
        produce(bootstrap_servers, f"clicks-{tag}", keys * 6)
        wait_for(lambda: pull(url, f"SELECT * FROM {table};"), dict.fromkeys(keys, 6))
        wait_committed(bootstrap_servers, sid, f"clicks-{tag}")

        stop(proc)  # SIGTERM: final commit and a snapshot under the state dir
        assert list((state / "stores").rglob("*.json")), "no snapshot written at a clean stop"
        proc, url = start(bootstrap_servers, state, sid, log)
        assert pull(url, f"SELECT * FROM {table};") == dict.fromkeys(keys, 6)  # restored before new input
        produce(bootstrap_servers, f"clicks-{tag}", keys * 2)
        wait_for(lambda: pull(url, f"SELECT * FROM {table};"), dict.fromkeys(keys, 8))
        wait_committed(bootstrap_servers, sid, f"clicks-{tag}")  # a SIGKILL keeps only what was committed

        stop(proc, signal.SIGKILL)
        shutil.rmtree(state / "stores")  # the changelog alone must rebuild the counts
        proc, url = start(bootstrap_servers, state, sid, log)
        assert pull(url, f"SELECT * FROM {table} WHERE K='k3';") == {"k3": 8}
        produce(bootstrap_servers, f"clicks-{tag}", keys)
        wait_for(lambda: pull(url, f"SELECT * FROM {table};"), dict.fromkeys(keys, 9))
    finally:
        stop(proc)


def _ownership(bootstrap: str, sid: str, query_id: str) -> dict[str, tuple[str, list[int]]]:
    """instance -> (url, owned partitions of `query_id`), from the latest heartbeats."""
    topic = f"_confluent-ksql-{sid}_servers"
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": f"t-{uuid.uuid4().hex}", "auto.offset.reset": "earliest"})
    latest: dict[str, Any] = {}
    deadline = time.monotonic() + 10
    try:
        _, end = c.get_watermark_offsets(TopicPartition(topic, 0), timeout=10)
        c.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
        position = 0
        while position < end and time.monotonic() < deadline:  # every heartbeat written before the call
            for m in c.consume(500, timeout=0.5):
                if m.error() is None:
                    latest[m.key().decode()] = None if m.value() is None else json.loads(m.value())
                    position = m.offset() + 1
    finally:
        c.close()
    return {i: (d["url"], d["owned"].get(query_id, [])) for i, d in latest.items() if d is not None}


def test_two_servers_share_partitions_and_pull_queries_reach_the_owner(
    bootstrap_servers: str, tmp_path: Path
) -> None:
    tag = uuid.uuid4().hex[:8]
    sid = f"scale_{tag}_"
    stream, table, topic = f"TAPS_{tag}".upper(), f"TAP_COUNTS_{tag}".upper(), f"taps-{tag}"
    a, url_a = start(bootstrap_servers, tmp_path / "a", sid, tmp_path / "a.log")
    procs = [a]
    try:
        _create(url_a, stream, table, topic)
        b, url_b = start(bootstrap_servers, tmp_path / "b", sid, tmp_path / "b.log")
        procs.append(b)
        queries = ksql(url_b, "SHOW QUERIES;")[0]["queries"]
        query_id = next(q["id"] for q in queries if table in q["sinks"])
        assert query_id in [q["id"] for q in ksql(url_a, "SHOW QUERIES;")[0]["queries"]]
        for url in (url_a, url_b):
            assert httpx.get(url + "/info", timeout=5).json()["KsqlServerInfo"]["ksqlServiceId"] == sid

        def split() -> bool:
            owned = sorted(sorted(ps) for _, ps in _ownership(bootstrap_servers, sid, query_id).values())
            return owned == [[0], [1]]

        wait_for(split, True, timeout=90)
        owners = {ps[0]: u for u, ps in _ownership(bootstrap_servers, sid, query_id).values()}
        assert set(owners.values()) == {url_a, url_b}

        part = {f"p0_{i}": 0 for i in range(4)} | {f"p1_{i}": 1 for i in range(4)}
        produce(bootstrap_servers, topic, [k for k in part for _ in range(3)], part)  # 3 per key
        expected = dict.fromkeys(part, 3)
        try:
            for url in (url_a, url_b):  # every key from either server, counted once in total
                wait_for(lambda url=url: pull(url, f"SELECT * FROM {table};"), expected, timeout=90)
        except AssertionError as e:  # what each server did, for a failure seen only on a loaded machine
            now = _ownership(bootstrap_servers, sid, query_id)
            logs = {n: (tmp_path / f"{n}.log").read_text()[-6000:] for n in ("a", "b")}
            raise AssertionError(f"{e}\nowners at first: {owners}\nheartbeats now: {now}\n"
                                 f"a.log:\n{logs['a']}\nb.log:\n{logs['b']}") from None
        for p, owner in owners.items():
            other = url_b if owner == url_a else url_a
            assert pull(other, f"SELECT * FROM {table} WHERE K='p{p}_1';") == {f"p{p}_1": 3}
            # the other server's own copy of that partition is empty: the row above came from the owner
            marker = {"request.internal.request": True, "request.query.pull.partitions": str(p)}
            assert pull(other, f"SELECT * FROM {table};", marker) == {}
            assert pull(owner, f"SELECT * FROM {table};", marker) == {k: 3 for k, q in part.items() if q == p}
    finally:
        for proc in procs:
            stop(proc)


def test_two_servers_count_a_non_key_group_once(bootstrap_servers: str, tmp_path: Path) -> None:
    """GROUP BY a value column of a 2-partition stream, run by two servers: each group's records cross
    the repartition topic to one partition, so every group is counted once, in full (without it, each
    server would count its own partition's share of a group)."""
    tag = uuid.uuid4().hex[:8]
    sid = f"regroup_{tag}_"
    stream, table, topic = f"CLICKS_{tag}".upper(), f"BY_PAGE_{tag}".upper(), f"clicks-{tag}"
    a, url_a = start(bootstrap_servers, tmp_path / "a", sid, tmp_path / "a.log")
    procs = [a]
    try:
        ksql(
            url_a,
            f"CREATE STREAM {stream} (K STRING KEY, PAGE STRING) WITH (KAFKA_TOPIC='{topic}', PARTITIONS=2, "
            f"VALUE_FORMAT='JSON'); CREATE TABLE {table} AS SELECT PAGE, COUNT(*) AS N FROM {stream} "
            f"GROUP BY PAGE;",
        )
        b, url_b = start(bootstrap_servers, tmp_path / "b", sid, tmp_path / "b.log")
        procs.append(b)
        query_id = next(q["id"] for q in ksql(url_b, "SHOW QUERIES;")[0]["queries"] if table in q["sinks"])

        def split() -> bool:
            owned = sorted(sorted(ps) for _, ps in _ownership(bootstrap_servers, sid, query_id).values())
            return owned == [[0], [1]]

        wait_for(split, True, timeout=90)
        p = Producer({"bootstrap.servers": bootstrap_servers})
        pages = [f"page{i}" for i in range(6)]
        for i in range(120):  # every page's clicks in both source partitions
            p.produce(topic, json.dumps({"PAGE": pages[i % 6]}).encode(), f"user{i}".encode(), partition=i % 2)
        assert p.flush(30) == 0
        expected = dict.fromkeys(pages, 20)
        for url in (url_a, url_b):
            wait_for(lambda url=url: pull(url, f"SELECT * FROM {table};"), expected, timeout=90)
        # the sink topic's last row per page is the full count (a split count would show up here too)
        c = Consumer({"bootstrap.servers": bootstrap_servers, "group.id": f"t-{tag}", "auto.offset.reset": "earliest"})
        c.subscribe([table])
        last: dict[str, int] = {}
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            for m in c.consume(500, timeout=0.5):
                if m.error() is None:
                    last[m.key().decode()] = json.loads(m.value())["N"]
        c.close()
        assert last == expected
    finally:
        for proc in procs:
            stop(proc)
