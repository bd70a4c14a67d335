"""SIGKILL of the KSQL server in the middle of a stream pull-query scan and under an `EMIT FINAL` windowed
aggregation; the fault-matrix runs `ksql-pull` and `ksql-final` (benchmarks/fault_matrix.py), also used
by tests/integration/test_fault_matrix.py against the session's broker.

Pull-query scan (`run_pull_scan`): `records` DELIMITED rows in a 2-partition topic, `SELECT * FROM SRC;`
on /query-stream (delimited framing: a header line, then one JSON array per row) read by an httpx client;
when the client holds `kill_at` of the rows it stops reading and the server gets SIGKILL. Each row carries
padding so that the unread rest (`UNREAD_BYTES`) is more than loopback socket buffers hold: the server is
then blocked mid-scan when it dies, however fast it scans (a 30,000-row scan once finished writing in 0.15 s,
before a client reading as it went had 30 % of it). The client must end with an error
(the chunked body is cut short: `httpx.RemoteProtocolError`), not with a response that looks complete and
not by hanging; the partial rows it got must be distinct inputs. The server restarted from the same state
dir and service id must then answer the same query with every row exactly once, and the topic's end
offsets must be what they were before the scan (a pull query writes nothing).

EMIT FINAL (`run_emit_final`): `records` events over `KEYS` keys, one every `STEP_MS` of event time (the
`TS` column is the record timestamp), then one record per partition a minute later so that every window
of the data closes; `CREATE TABLE ... WINDOW TUMBLING (SIZE 1 SECOND, GRACE PERIOD 0 SECONDS) GROUP BY ID
EMIT FINAL` counts them. When `kill_at` of the expected windows are written, SIGKILL; the restarted server
resumes (its window state from the changelog, its input from the committed offsets). Read back
read_committed: every (key, window) must come out with its full count (`lost`: missing windows, `wrong`:
windows with another count) and once (`duplicates`; 0 required under exactly_once_v2, counted under
at_least_once, where the windows closed since the last commit are emitted again).
"""

from __future__ import annotations

import json
import os
import signal
import struct
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from _common import ksql
from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from fraudlab.kafka import KafkaConfig, send
from fraudlab.stack import KsqlServerProcess, StackError

REPO = Path(__file__).resolve().parents[1]
DELIMITED = {"Accept": "application/vnd.ksqlapi.delimited.v1"}
KEYS = 20
STEP_MS = 10  # event time between two events: 100 events per 1-second window, 5 per key
# more than loopback TCP buffers hold on both ends (Linux autotunes them up to ~6 MB receive + 4 MB send)
UNREAD_BYTES = 16 << 20


def load() -> float:
    return round(os.getloadavg()[0], 2)


def _create(kafka: KafkaConfig, topic: str, partitions: int = 2) -> None:
    admin = AdminClient(kafka.as_librdkafka())
    admin.create_topics([NewTopic(topic, partitions, 1)])[topic].result(60)


def _produce(kafka: KafkaConfig, topic: str, records: list[tuple[bytes, bytes, int | None, int | None]]) -> None:
    """(key, value, partition or None, timestamp or None), acknowledged."""
    p = Producer(kafka.as_librdkafka(**{"linger.ms": 20, "compression.type": "lz4",
                                         "queue.buffering.max.messages": 1_000_000}))
    for n, (key, value, partition, ts) in enumerate(records):
        if partition is None and ts is None:
            send(p, topic, value, key)
        else:
            while True:
                try:
                    p.produce(topic, value, key, partition=-1 if partition is None else partition,
                              timestamp=ts or 0)
                    break
                except BufferError:
                    p.poll(0.1)
        if n % 50_000 == 0:
            p.poll(0)
    if p.flush(120):
        raise SystemExit(f"input of {topic} not acknowledged")


def end_offsets(kafka: KafkaConfig, topic: str) -> list[int]:
    c = Consumer(kafka.as_librdkafka(**{"group.id": f"probe-{uuid.uuid4().hex[:6]}"}))
    try:
        md = c.list_topics(topic, timeout=10).topics[topic]
        return [c.get_watermark_offsets(TopicPartition(topic, p), timeout=10, cached=False)[1]
                for p in sorted(md.partitions)]
    finally:
        c.close()


def _server(kafka: KafkaConfig, work: Path, tag: str, extra_args: list[str]) -> KsqlServerProcess:
    return KsqlServerProcess(kafka.bootstrap_servers, work / f"ksql-{tag}", work / f"ksql-{tag}.log",
                             service_id=f"fk_{tag}_", extra_args=extra_args, cwd=REPO)


def _start(server: KsqlServerProcess) -> float:
    """Start `server`; seconds until it answers."""
    t = time.perf_counter()
    try:
        server.start(timeout_s=180)
    except StackError as exc:
        raise SystemExit(f"ksqlserver did not start: {exc}") from exc
    return time.perf_counter() - t


class ScanClient(threading.Thread):
    """Runs one stream pull query on /query-stream and records what came back: the rows, how it ended
    (`complete`, or the exception's class and text) and when. `reached` is set once `signal_at` rows are
    in (0: never)."""

    def __init__(self, url: str, sql: str, signal_at: int = 0, timeout_s: float = 120.0,
                 hold: threading.Event | None = None) -> None:
        super().__init__(name="scan-client", daemon=True)
        self.url, self.sql, self.signal_at, self.timeout_s = url, sql, signal_at, timeout_s
        # with `hold`, reading pauses at `signal_at` rows until it is set (the server's writes back up)
        self.hold = hold
        self.rows: list[list[Any]] = []
        self.header: dict[str, Any] | None = None
        self.status: int | None = None
        self.outcome = "running"
        self.error = ""
        self.ended_at: float | None = None
        self.reached = threading.Event()

    def run(self) -> None:
        try:
            timeout = httpx.Timeout(self.timeout_s, connect=10.0)
            with httpx.Client(base_url=self.url, timeout=timeout) as client, client.stream(
                "POST", "/query-stream", json={"sql": self.sql, "properties": {}}, headers=DELIMITED,
            ) as r:
                self.status = r.status_code
                if r.status_code != 200:
                    self.outcome, self.error = "refused", r.read().decode(errors="replace")[:500]
                    return
                for line in r.iter_lines():
                    if not line:
                        continue
                    if self.header is None:
                        self.header = json.loads(line)
                        continue
                    self.rows.append(json.loads(line))
                    if self.signal_at and len(self.rows) == self.signal_at:
                        self.reached.set()
                        if self.hold is not None:
                            self.hold.wait(self.timeout_s)
            self.outcome = "complete"
        except Exception as exc:  # what the client saw is the measurement
            self.outcome, self.error = type(exc).__name__, str(exc)[:300]
        finally:
            self.ended_at = time.perf_counter()
            self.reached.set()


def run_pull_scan(kafka: KafkaConfig, records: int, kill_at: float, work: Path,
                  extra_args: list[str] | None = None) -> dict[str, Any]:
    tag = uuid.uuid4().hex[:8]
    topic = f"fk-pull-{tag}"
    signal_at = max(1, int(records * kill_at))
    pad = "p" * max(0, UNREAD_BYTES // max(1, records - signal_at) - 30)
    _create(kafka, topic)
    _produce(kafka, topic, [(f"k{i}".encode(), f"{i},{i % 997}.25,{pad}".encode(), None, None)
                            for i in range(records)])
    offsets_before = end_offsets(kafka, topic)
    server = _server(kafka, work, tag, extra_args or [])
    sql = "SELECT * FROM SRC;"
    try:
        _start(server)
        ksql(server.url, "CREATE STREAM SRC (ID STRING KEY, SEQ BIGINT, AMOUNT DOUBLE, PAD STRING) "
                         f"WITH (KAFKA_TOPIC='{topic}', VALUE_FORMAT='DELIMITED');", timeout_s=60)
        hold = threading.Event()
        client = ScanClient(server.url, sql, signal_at=signal_at, hold=hold)
        t_start = time.perf_counter()
        client.start()
        client.reached.wait(300)
        rows_at_kill = len(client.rows)
        t_kill = time.perf_counter()
        server.stop(signal.SIGKILL)
        hold.set()
        client.join(120)
        client_alive = client.is_alive()
        t_restart = time.perf_counter()
        restart_s = _start(server)
        again = ScanClient(server.url, sql)
        t_again = time.perf_counter()
        again.run()
        rescan_s = (again.ended_at or time.perf_counter()) - t_again
    finally:
        server.stop(timeout_s=60)
    offsets_after = end_offsets(kafka, topic)
    seq_at = (client.header or {}).get("columnNames", ["ID", "SEQ"]).index("SEQ")
    partial = Counter(int(r[seq_at]) for r in client.rows)
    full = Counter(int(r[seq_at]) for r in again.rows)
    lost = sum(1 for s in range(records) if full[s] == 0)
    duplicates = sum(v - 1 for v in full.values() if v > 1)
    return {
        "run": "KSQL server SIGKILL during a stream pull-query scan",
        "records": records,
        "rows_at_kill": rows_at_kill,
        "scan_s_before_kill": round(t_kill - t_start, 2),
        "client_outcome": client.outcome,
        "client_error": client.error,
        "client_rows": len(client.rows),
        "client_rows_distinct": len(partial) == len(client.rows),
        "client_hung": client_alive,
        "client_end_after_kill_s": round(client.ended_at - t_kill, 2) if client.ended_at else None,
        "restart_s": round(restart_s, 1),
        "rescan_outcome": again.outcome,
        "rescan_rows": len(again.rows),
        "rescan_s": round(rescan_s, 2),
        "recovery_s": round(t_again + rescan_s - t_restart, 1),
        "lost": lost,
        "duplicates": duplicates,
        "topic_unchanged": offsets_before == offsets_after,
        "ok": (client.outcome not in ("complete", "running") and not client_alive and len(client.rows) < records
               and again.outcome == "complete" and lost == 0 and duplicates == 0 and len(again.rows) == records
               and offsets_before == offsets_after),
        "load_avg_1m": load(),
    }


# ---- EMIT FINAL ---------------------------------------------------------------------------------------------


def final_events(records: int) -> tuple[list[tuple[bytes, bytes]], Counter[tuple[str, int]], int]:
    """The events, the count each (key, window start) must come out with, and the event time after them."""
    events: list[tuple[bytes, bytes]] = []
    expect: Counter[tuple[str, int]] = Counter()
    # recent event times, on a whole second (every window holds as many events): older ones would fall to
    # the broker's time-based retention (7 days) while the run reads them
    t0 = (int(time.time()) - 600 - records * STEP_MS // 1000) * 1000
    for i in range(records):
        key, ts = f"c{i % KEYS}", t0 + i * STEP_MS
        events.append((key.encode(), f"{i},{ts}".encode()))
        expect[(key, ts - ts % 1000)] += 1
    return events, expect, t0 + records * STEP_MS


class FinalFeed(threading.Thread):
    """Produces the events spread over `seconds` (idempotent producer), then one `tick` record per
    partition every 0.3 s, each a second of event time later, until `stop`: EMIT FINAL looks for closed
    windows when a record arrives (at most once per emit interval of wall-clock time, as Kafka Streams),
    so a stream that ends leaves its last closed windows unemitted; the ticks keep it going, as a live
    stream does, and close every window of the events."""

    def __init__(self, kafka: KafkaConfig, topic: str, events: list[tuple[bytes, bytes]], seconds: float,
                 after_ms: int, partitions: int = 2) -> None:
        super().__init__(name=f"feed-{topic}", daemon=True)
        self.kafka, self.topic, self.events, self.seconds, self.after_ms = kafka, topic, events, seconds, after_ms
        self.partitions = partitions
        self.stop = threading.Event()
        self.fed = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            p = Producer(self.kafka.as_librdkafka(**{"enable.idempotence": True, "linger.ms": 20,
                                                     "compression.type": "lz4",
                                                     "queue.buffering.max.messages": 1_000_000}))
            total, sent, started = len(self.events), 0, time.monotonic()
            while sent < total:
                due = min(total, int((time.monotonic() - started) / max(self.seconds, 0.1) * total) + 1)
                while sent < due:
                    key, value = self.events[sent]
                    send(p, self.topic, value, key)
                    sent += 1
                p.poll(0)
                time.sleep(0.01)
            p.flush(120)
            self.fed.set()
            tick = 0
            while not self.stop.wait(0.3):
                tick += 1
                ts = self.after_ms + 60_000 + tick * 1000
                for partition in range(self.partitions):
                    p.produce(self.topic, f"-1,{ts}".encode(), f"tick{partition}".encode(), partition=partition)
                p.poll(0)
            p.flush(30)
        except BaseException as exc:  # reported by the run
            self.error = exc
            self.fed.set()


def window_of(key: bytes) -> tuple[str, int]:
    """A time-windowed KAFKA key: the key's bytes, then the window start (8 bytes, big-endian)."""
    return key[:-8].decode(), struct.unpack(">q", key[-8:])[0]


def _written(kafka: KafkaConfig, topic: str) -> int:
    try:
        return sum(end_offsets(kafka, topic))
    except Exception:  # the query has not created its topic yet
        return 0


def read_windows(kafka: KafkaConfig, topic: str, expect: int, settle_s: float) -> tuple[list[tuple[str, int, int]], float | None]:
    """(key, window start, count) of every output record (read_committed), and when the last expected
    window came; stops once `expect` distinct windows are in and 5 s passed quietly, or after `settle_s`."""
    c = Consumer(kafka.as_librdkafka(**{
        "group.id": f"final-read-{uuid.uuid4().hex}", "auto.offset.reset": "earliest",
        "enable.auto.commit": False, "isolation.level": "read_committed",
    }))
    c.subscribe([topic])
    out: list[tuple[str, int, int]] = []
    distinct: set[tuple[str, int]] = set()
    complete_at = None
    deadline = time.monotonic() + settle_s
    quiet_since = time.monotonic()
    try:
        while time.monotonic() < deadline:
            msgs = c.consume(10_000, timeout=0.5)
            seen = len(out)
            for m in msgs:
                if m.error() is None and m.value() is not None and m.key() is not None:
                    key, start = window_of(m.key())
                    if key.startswith("tick"):
                        continue
                    out.append((key, start, int(json.loads(m.value())["N"])))
                    distinct.add((key, start))
            now = time.monotonic()
            if len(out) > seen:  # the feed's ticks keep closing windows of their own: they are not activity
                quiet_since = now
                if complete_at is None and len(distinct) >= expect:
                    complete_at = time.perf_counter()
            elif len(distinct) >= expect and now - quiet_since > 5:
                break
    finally:
        c.close()
    return out, complete_at


def run_emit_final(kafka: KafkaConfig, records: int, guarantee: str, kill_at: float, work: Path,
                   settle_s: float = 300, extra_args: list[str] | None = None, feed_s: float = 10.0,
                   partitions: int = 2) -> dict[str, Any]:
    tag = uuid.uuid4().hex[:8]
    src, out = f"fk-final-in-{tag}", f"fk-final-out-{tag}"
    _create(kafka, src, partitions)
    events, expect, after_ms = final_events(records)
    feed = FinalFeed(kafka, src, events, feed_s, after_ms, partitions)
    server = _server(kafka, work, tag, extra_args or [])
    props = {"auto.offset.reset": "earliest", "processing.guarantee": guarantee}
    try:
        _start(server)
        ksql(server.url, f"CREATE STREAM EV (ID STRING KEY, SEQ BIGINT, TS BIGINT) WITH (KAFKA_TOPIC='{src}', "
                         "VALUE_FORMAT='DELIMITED', TIMESTAMP='TS');", props, timeout_s=60)
        ksql(server.url, f"CREATE TABLE WF WITH (KAFKA_TOPIC='{out}', VALUE_FORMAT='JSON') AS "
                         # RETENTION: ksqlDB 0.29 emits a final window only if it starts within the store's
                         # retention (size + grace by default) of the newest window start (the time-ordered
                         # store's getActualFrom); the feed outruns the 1-second emit throttle, so without it
                         # windows closed together between two emits would be lost, as on real ksqlDB
                         "SELECT ID, COUNT(*) AS N FROM EV WINDOW TUMBLING (SIZE 1 SECOND, RETENTION 1 HOUR, "
                         "GRACE PERIOD 0 SECONDS) GROUP BY ID EMIT FINAL;", props, timeout_s=60)
        started = time.perf_counter()
        feed.start()
        target = max(1, int(len(expect) * kill_at))
        while (at_kill := _written(kafka, out)) < target:
            if time.perf_counter() - started > 600:
                raise SystemExit(f"the query wrote only {at_kill} of {target} windows in 600 s")
            time.sleep(0.02)
        t_kill = time.perf_counter()
        fed_at_kill = feed.fed.is_set()
        server.stop(signal.SIGKILL)
        restart_s = _start(server)
        t_back = t_kill + restart_s
        t_first = None
        deadline = time.monotonic() + settle_s
        while time.monotonic() < deadline:
            if _written(kafka, out) > at_kill:
                t_first = time.perf_counter()
                break
            time.sleep(0.05)
        got, t_done = read_windows(kafka, out, len(expect), settle_s)
        alive = server.running()
    finally:
        feed.stop.set()
        server.stop(timeout_s=60)
    feed.join(60)
    if feed.error is not None:
        raise SystemExit(f"the feed of {src} failed: {feed.error}")
    seen = Counter((k, s) for k, s, _ in got)
    lost = sum(1 for w in expect if seen[w] == 0)
    wrong = sum(1 for k, s, n in got if expect.get((k, s)) != n)
    short = sum(1 for k, s, n in got if n < expect.get((k, s), 0))  # a window that lost events
    duplicates = sum(v - 1 for v in seen.values() if v > 1)
    eos = guarantee == "exactly_once_v2"
    return {
        "run": f"KSQL server SIGKILL under an EMIT FINAL windowed aggregation ({guarantee})",
        "records": records,
        "windows": len(expect),
        "guarantee": "exactly-once" if eos else "at-least-once",
        "windows_at_kill": at_kill,
        "input_all_fed_at_kill": fed_at_kill,
        "partitions": partitions,
        "lost": lost,
        "wrong_counts": wrong,
        "duplicates": duplicates,
        "short_counts": short,
        # at-least-once: a window whose events were replayed after a changelog flush may count them twice
        "ok": lost == 0 and short == 0 and (wrong == 0 and duplicates == 0 if eos else True)
        and at_kill < len(expect),
        "restart_s": round(restart_s, 1),
        "recovery_s": round(t_first - t_back, 1) if t_first else None,
        "complete_s": round(t_done - t_kill, 1) if t_done else None,
        "server_survived": alive,
        "load_avg_1m": load(),
    }
