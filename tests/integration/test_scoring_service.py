"""The scoring service against the real broker: outputs, alerts, dead letters, shared partitions,
SIGTERM drain, and SIGKILL + restart under both delivery guarantees (counted by key)."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import numpy as np
import orjson
import pytest
from confluent_kafka import Consumer, TopicPartition

from fraudlab.data import synthetic
from fraudlab.data.schema import FEATURES
from fraudlab.kafka import KafkaConfig, count_records, create_topic, produce_values
from fraudlab.model import load
from fraudlab.scoring import ScoringConfig, ScoringService
from fraudlab.scoring.deadletter import ERROR_HEADER

RESULT_KEYS = {"id", "score", "is_fraud", "threshold", "model_version", "event_time", "scored_at"}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small bundle (synthetic data, one epoch), reused by every module of the session."""
    out = tmp_path_factory.getbasetemp() / "scoring-bundle"
    if not (out / "model.onnx").is_file():
        from fraudlab.model.config import HeadConfig, TrainConfig
        from fraudlab.model.training import fit_models, write_bundle

        cfg = TrainConfig(epochs=1, baselines=False, reference_ae=False, verbose=0, head=HeadConfig(epochs=1))
        write_bundle(fit_models(synthetic(20_000, 0.01, seed=1), cfg), out, cfg, "synthetic", "0" * 64)
    return out


def _lines(n: int, seed: int = 5) -> tuple[list[bytes], list[bytes], np.ndarray]:
    """(keys, Kaggle-format DELIMITED lines, feature matrix)."""
    frame = synthetic(n, 0.02, seed=seed)
    text = frame.to_csv(header=False, index=False, lineterminator="\n").splitlines()
    keys = [f"k{i}".encode() for i in range(n)]
    return keys, [ln.encode() for ln in text], frame.loc[:, list(FEATURES)].to_numpy(np.float32)


def _read_all(config: KafkaConfig, topic: str, timeout_s: float = 60.0) -> list[tuple[bytes | None, bytes, list]]:
    """Every committed record of a topic (read_committed, so aborted transactions don't count)."""
    consumer = Consumer(config.as_librdkafka(**{
        "group.id": f"reader-{time.monotonic_ns()}", "isolation.level": "read_committed",
        "auto.offset.reset": "earliest", "enable.auto.commit": False,
    }))
    try:
        meta = consumer.list_topics(topic, timeout=10).topics[topic]
        ends = {}
        for p in meta.partitions:
            ends[p] = consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10, cached=False)[1]
        consumer.assign([TopicPartition(topic, p, 0) for p in ends])
        out: list[tuple[bytes | None, bytes, list]] = []
        deadline = time.monotonic() + timeout_s
        done: set[int] = {p for p, end in ends.items() if end == 0}
        while len(done) < len(ends) and time.monotonic() < deadline:
            for msg in consumer.consume(10_000, 0.5):
                if msg.error() is None:
                    out.append((msg.key(), msg.value(), msg.headers() or []))
            for tp in consumer.position([TopicPartition(topic, p) for p in ends]):
                if tp.offset >= ends[tp.partition]:
                    done.add(tp.partition)
        return out
    finally:
        consumer.close()


def _config(kafka_config: KafkaConfig, bundle: Path, topic: str, **kw: object) -> ScoringConfig:
    base: dict[str, object] = dict(
        model_dir=bundle, input_topic=topic, output_topic=f"{topic}-scores", alerts_topic=f"{topic}-alerts",
        kafka=kafka_config, group_id=f"{topic}-g", idle_timeout_s=8.0, batch_size=1000,
    )
    base.update(kw)
    return ScoringConfig(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize("kafka_io", ["native", "confluent"])
def test_scores_alerts_and_dead_letters(kafka_config: KafkaConfig, bundle: Path, topic_name: str, kafka_io: str) -> None:
    """The same outputs, alerts, dead letters and headers on kafkanative (the at-least-once default when it
    builds) and on confluent-kafka."""
    if kafka_io == "native":
        from fraudlab.kafka.native import native_reason

        if native_reason() is not None:
            pytest.skip(f"kafkanative unavailable: {native_reason()}")
    keys, lines, x = _lines(3000)
    poison = {10: b"", 500: lines[500] + b",1", 1200: b"1,2,abc" + b",0" * 28, 2999: b"not,a,transaction"}
    sent = list(lines)
    for i, raw in poison.items():
        sent[i] = raw
    create_topic(kafka_config, topic_name, partitions=2)
    produce_values(kafka_config, topic_name, sent, keys=keys, progress=False)

    service = ScoringService(_config(kafka_config, bundle, topic_name, kafka_io=kafka_io))
    assert service.native_io == (kafka_io == "native")
    report = service.run()
    assert (report.records_in, report.scored, report.dead_lettered) == (3000, 2996, 4)

    scorer = load(bundle)
    good = [i for i in range(3000) if i not in poison]
    expected = dict(zip((keys[i].decode() for i in good), scorer.score(x[good]).tolist(), strict=True))
    scored = _read_all(kafka_config, f"{topic_name}-scores")
    results = [orjson.loads(v) for _, v, _ in scored]
    assert len(results) == len(good)
    # each result is keyed by its id, as UTF-8 (the native producer encodes the str ids in C)
    assert [k for k, _, _ in scored] == [r["id"].encode() for r in results]
    assert all(set(r) == RESULT_KEYS for r in results)
    by_id = {r["id"]: r for r in results}
    assert set(by_id) == set(expected)
    assert all(abs(by_id[k]["score"] - s) < 1e-5 for k, s in expected.items())
    assert all(r["is_fraud"] == (r["score"] >= r["threshold"]) for r in results)
    assert {r["model_version"] for r in results} == {scorer.model_version}
    assert all(r["scored_at"] >= r["event_time"] > 0 for r in results)
    alerted = _read_all(kafka_config, f"{topic_name}-alerts")
    alerts = [orjson.loads(v) for _, v, _ in alerted]
    assert [k for k, _, _ in alerted] == [a["id"].encode() for a in alerts]
    assert sorted(a["id"] for a in alerts) == sorted(k for k, r in by_id.items() if r["is_fraud"])

    dead = _read_all(kafka_config, f"{topic_name}-dlq")
    assert sorted((k or b"").decode() for k, _, _ in dead) == sorted(keys[i].decode() for i in poison)
    raw_by_key = {k: v for k, v, _ in dead}
    assert all(raw_by_key[keys[i]] == raw for i, raw in poison.items() if raw)
    reasons = {k: dict(h)[ERROR_HEADER].decode() for k, _, h in dead}
    assert reasons[keys[500]].startswith("32 fields")
    assert "V2='abc'" in reasons[keys[1200]]
    sources = {k: dict(h) for k, _, h in dead}
    assert {h["fraudlab.source.topic"] for h in sources.values()} == {topic_name.encode()}
    assert all(h["fraudlab.stage"] == b"parse" and int(h["fraudlab.source.timestamp"]) > 0 for h in sources.values())
    assert len({(h["fraudlab.source.partition"], h["fraudlab.source.offset"]) for h in sources.values()}) == 4
    # the offsets were committed: the group's committed positions are the partitions' ends
    reader = Consumer(kafka_config.as_librdkafka(**{"group.id": f"{topic_name}-g"}))
    try:
        parts = [TopicPartition(topic_name, p) for p in range(2)]
        committed = reader.committed(parts, timeout=10)
        ends = [reader.get_watermark_offsets(tp, timeout=10)[1] for tp in parts]
        assert [tp.offset for tp in committed] == ends
    finally:
        reader.close()


def test_two_instances_share_the_partitions(kafka_config: KafkaConfig, bundle: Path, topic_name: str) -> None:
    keys, lines, _ = _lines(20_000, seed=7)
    create_topic(kafka_config, topic_name, partitions=4)
    services = [
        ScoringService(_config(kafka_config, bundle, topic_name, instance_id=str(i), guarantee="exactly-once",
                               idle_timeout_s=20.0))
        for i in range(2)
    ]
    reports = []
    threads = [threading.Thread(target=lambda s=s: reports.append(s.run())) for s in services]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not all(s.assigned_partitions() for s in services):
        time.sleep(0.2)
    held = [s.assigned_partitions() for s in services]
    assert sorted(held[0] + held[1]) == [0, 1, 2, 3], held
    produce_values(kafka_config, topic_name, lines, keys=keys, progress=False)
    for t in threads:
        t.join(120)
    assert len(reports) == 2
    assert all(r.records_in > 0 for r in reports), [r.records_in for r in reports]
    assert sum(r.records_in for r in reports) == len(lines)
    ids = Counter(orjson.loads(v)["id"] for _, v, _ in _read_all(kafka_config, f"{topic_name}-scores"))
    assert set(ids) == {k.decode() for k in keys}
    assert max(ids.values()) == 1


def _start(bundle: Path, bootstrap: str, topic: str, guarantee: str, *extra: str) -> subprocess.Popen[bytes]:
    cmd = [
        sys.executable, "-c", "from fraudlab.cli import main; main()", "score", "--model", str(bundle),
        "--in", topic, "--out", f"{topic}-scores", "--group", f"{topic}-g", "--guarantee", guarantee,
        "--bootstrap-servers", bootstrap, "--batch-size", "500", "--report-interval", "1", "--instance-id", "a",
        *extra,
    ]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_outputs(config: KafkaConfig, topic: str, at_least: int, timeout_s: float = 90.0) -> int:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            seen = count_records(config, topic)
        except Exception:  # not created yet
            seen = 0
        if seen >= at_least:
            return seen
        time.sleep(0.05)
    raise AssertionError(f"{topic} did not reach {at_least} records in {timeout_s} s")


@pytest.mark.parametrize("guarantee", ["exactly-once", "at-least-once"])
def test_sigkill_mid_stream_then_restart(
    kafka_config: KafkaConfig, bootstrap_servers: str, bundle: Path, topic_name: str, guarantee: str,
    record_property: pytest.RecordProperty,
) -> None:
    n = 100_000
    keys, lines, _ = _lines(n, seed=11)
    create_topic(kafka_config, topic_name, partitions=2)
    produce_values(kafka_config, topic_name, lines, keys=keys, progress=False)
    first = _start(bundle, bootstrap_servers, topic_name, guarantee)
    try:
        seen = _wait_outputs(kafka_config, f"{topic_name}-scores", n // 5)
        first.send_signal(signal.SIGKILL)
        first.wait(30)
    finally:
        first.kill()
    assert seen < n, "the instance finished before it could be killed mid-stream"
    second = _start(bundle, bootstrap_servers, topic_name, guarantee, "--idle-timeout", "6")
    _, err = second.communicate(timeout=300)
    assert second.returncode == 0, err.decode()[-2000:]

    ids = Counter(orjson.loads(v)["id"] for _, v, _ in _read_all(kafka_config, f"{topic_name}-scores"))
    assert set(ids) == {k.decode() for k in keys}, "records were lost"
    duplicates = sum(c - 1 for c in ids.values())
    record_property("duplicates", duplicates)
    print(f"{guarantee}: killed after {seen} outputs; {duplicates} duplicates after restart")
    if guarantee == "exactly-once":
        assert duplicates == 0


def test_sigterm_drains_and_commits(
    kafka_config: KafkaConfig, bootstrap_servers: str, bundle: Path, topic_name: str
) -> None:
    n = 60_000
    keys, lines, _ = _lines(n, seed=13)
    create_topic(kafka_config, topic_name, partitions=2)
    produce_values(kafka_config, topic_name, lines, keys=keys, progress=False)
    proc = _start(bundle, bootstrap_servers, topic_name, "at-least-once")
    _wait_outputs(kafka_config, f"{topic_name}-scores", n // 10)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()[-2000:]
    assert b"stopped after" in err
    # Everything scored before the stop was committed: the restart neither loses nor repeats a record.
    again = _start(bundle, bootstrap_servers, topic_name, "at-least-once", "--idle-timeout", "6")
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err.decode()[-2000:]
    ids = Counter(orjson.loads(v)["id"] for _, v, _ in _read_all(kafka_config, f"{topic_name}-scores"))
    assert set(ids) == {k.decode() for k in keys}
    assert max(ids.values()) == 1


def test_avro_input_scores_and_dead_letters(
    kafka_config: KafkaConfig, bundle: Path, topic_name: str, schema_registry_url: str
) -> None:
    """Registered Avro in Confluent's wire format, as `fraudlab ingest --format avro` writes it: the same
    scores as the DELIMITED rows; records without the magic byte, with an id the registry does not know,
    truncated, or with a null feature are dead-lettered with that reason."""
    import dataclasses
    import io
    import json
    import struct

    import fastavro
    from confluent_kafka.schema_registry import Schema, SchemaRegistryClient

    from fraudlab.registry import avro_schema_for_frame

    frame = synthetic(800, 0.02, seed=9)
    schema = json.loads(avro_schema_for_frame(frame))
    nullable = {**schema, "fields": [{**f, "type": ["null", f["type"]], "default": None} for f in schema["fields"]]}
    client = SchemaRegistryClient({"url": schema_registry_url})
    sid = client.register_schema(f"{topic_name}-value", Schema(json.dumps(schema), "AVRO"))
    sid_nullable = client.register_schema(f"{topic_name}-other-value", Schema(json.dumps(nullable), "AVRO"))

    def avro(schema_id: int, writer: dict, record: dict) -> bytes:
        out = io.BytesIO()
        fastavro.schemaless_writer(out, fastavro.parse_schema(writer), record)
        return struct.pack(">bI", 0, schema_id) + out.getvalue()

    rows = frame.to_dict("records")
    values = [avro(sid, schema, r) for r in rows]
    keys = [f"a{i}".encode() for i in range(len(rows))]
    poison = {
        3: b"0.0,1.0,2.0",  # DELIMITED on an AVRO topic
        50: struct.pack(">bI", 0, 987654) + values[50][5:],  # an id the registry does not know
        77: values[77][:40],  # truncated
        120: avro(sid_nullable, nullable, {**rows[120], "V3": None}),  # a null feature
    }
    for i, raw in poison.items():
        values[i] = raw
    create_topic(kafka_config, topic_name, partitions=2)
    produce_values(kafka_config, topic_name, values, keys=keys, progress=False)

    registry_kafka = dataclasses.replace(kafka_config, schema_registry_url=schema_registry_url)
    report = ScoringService(_config(registry_kafka, bundle, topic_name, value_format="avro")).run()
    assert (report.records_in, report.scored, report.dead_lettered) == (800, 796, 4)
    scorer = load(bundle)
    good = [i for i in range(800) if i not in poison]
    x = frame.loc[:, list(FEATURES)].to_numpy(np.float32)
    expected = dict(zip((keys[i].decode() for i in good), scorer.score(x[good]).tolist(), strict=True))
    by_id = {r["id"]: r for r in (orjson.loads(v) for _, v, _ in _read_all(kafka_config, f"{topic_name}-scores"))}
    assert set(by_id) == set(expected)
    assert all(abs(by_id[k]["score"] - s) < 1e-5 for k, s in expected.items())
    dead = {k: (v, dict(h)[ERROR_HEADER].decode()) for k, v, h in _read_all(kafka_config, f"{topic_name}-dlq")}
    assert {k.decode() for k in dead} == {keys[i].decode() for i in poison}
    assert all(dead[keys[i]][0] == raw for i, raw in poison.items())  # nothing lost: the raw bytes are kept
    assert "magic byte 0x30" in dead[keys[3]][1]
    assert "schema id 987654 is unknown to the schema registry" in dead[keys[50]][1]
    assert "not a record of its Avro schema" in dead[keys[77]][1]
    assert "V3=None" in dead[keys[120]][1]
