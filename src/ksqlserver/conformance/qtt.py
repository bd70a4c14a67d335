"""Runs ksqlDB query-validation-test (QTT) files through the engine on the in-memory driver.

Follows the harness semantics of FORMAT.md: expansion over `format`/`config` (§3), topics created before
the statements (§4.2), inputs produced with the owning source's serde and queries fed one at a time in
creation order (§4.4), outputs matched topic by topic with ksqlDB's numeric rules (§6), expectedException
as a message substring (§7), and `post` checks on sources and user topics (§9).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from ksqlserver.catalog.metastore import DataSource
from ksqlserver.catalog.types import parse_schema
from ksqlserver.config import EngineConfig
from ksqlserver.conformance import sr_records
from ksqlserver.conformance.records import decode, dumps_exact, encode, matches
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine
from ksqlserver.errors import KsqlError
from ksqlserver.formats.sr.client import MemoryRegistryClient
from ksqlserver.runtime.operators.windows import split_windowed_key, window_suffix
from ksqlserver.sql import ast
from ksqlserver.sql.parser import parse

SERVICE_ID = "some.ksql.service.id"
PASS, FAIL, ERROR, SKIP = "pass", "fail", "error", "skipped"
SR_GROUP = "sr"
SR_TAGS = ("needs_schema_registry", "protobuf_nosr")


@dataclass
class CaseResult:
    name: str
    file: str
    verdict: str
    reason: str = ""
    klass: str = ""
    subclass: str = ""
    group: str = ""  # "sr": a Schema Registry / PROTOBUF_NOSR case, out of the first milestone's scope


@dataclass
class ExpandedCase:
    name: str
    test: dict[str, Any]
    statements: list[str]
    properties: dict[str, Any]


@dataclass
class Index:
    """index.json: in-scope flags per expanded case and file classes."""

    cases: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None) -> Index:
        if path is None or not path.exists():
            return cls()
        data = json.loads(path.read_text())
        idx = cls()
        for fname, info in data.get("qtt", {}).items():
            idx.files[fname] = info
            for c in info.get("cases", []):
                idx.cases[c["name"]] = c
        return idx


# --- loading and expansion -------------------------------------------------------------------------------


def strip_comments(text: str) -> str:
    """Drop // and /* */ comments outside string literals (Jackson's ALLOW_COMMENTS)."""
    out, i, n, in_str = [], 0, len(text), False
    while i < n:
        c = text[i]
        if in_str:
            out.append(c)
            if c == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if c == '"':
                in_str = False
            i += 1
        elif c == '"':
            in_str = True
            out.append(c)
            i += 1
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def load_file(path: Path) -> dict[str, Any]:
    return json.loads(strip_comments(path.read_text()), parse_float=Decimal)


def expand(stem: str, test: dict[str, Any]) -> Iterator[ExpandedCase]:
    formats = test.get("format") or [None]
    configs = test.get("config") or [None]
    props = dict(test.get("properties") or {})
    config_key = next((k for k, v in props.items() if v == "{CONFIG}"), None)
    for fmt in formats:
        for cfg in configs:
            name = f"{stem} - {test['name']}"
            if fmt is not None:
                name += f" - {fmt}"
            p = dict(props)
            if cfg is not None and config_key is not None:
                p[config_key] = cfg
                name += f" - {config_key}={cfg}"
            stmts = [s.replace("{FORMAT}", fmt) if fmt else s for s in test["statements"]]
            yield ExpandedCase(name, test, stmts, p)


# --- running one case ---------------------------------------------------------------------------------


class CaseFailure(Exception):
    pass


def _topics_from_statements(statements: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for text in statements:
        try:
            stmts = parse(text)
        except KsqlError:
            continue
        for s in stmts:
            if isinstance(s, ast.CreateSource) and s.columns:
                props = {k.upper(): v for k, v in s.properties.items()}
                if "KAFKA_TOPIC" in props:
                    out.setdefault(str(props["KAFKA_TOPIC"]), int(props.get("PARTITIONS", 4)))
    return out


class Recorder:
    """Stands in for the processing log: keeps every runtime error message."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(
        self, query_id: str, kind: str, message: str, record: Record | None, cause: Exception | None = None
    ) -> None:
        # a processing-log entry: its message and its cause (ksqlDB keeps them apart)
        self.errors.append(message if cause is None else f"{message}\n{cause}")


def _owner(engine: Engine, topic: str, prefer_sink: bool) -> DataSource | None:
    sources = engine.state.metastore.by_topic(topic)
    if not sources:
        return None
    if prefer_sink:
        sinks = [s for s in sources if s.is_sink]
        if sinks:
            return sinks[0]
    else:
        plain = [s for s in sources if not s.is_sink]
        if plain:
            return plain[0]
    return sources[0]


def run_case(case: ExpandedCase) -> tuple[str, str]:
    """(verdict, reason) for one expanded case."""
    test = case.test
    expected_exc = test.get("expectedException")
    # TopologyTestDriver reads every topic as partition 0 of one task (repartition topics too)
    driver = MemoryDriver(one_partition=True)
    # TestExecutor.BASE_CONFIG: earliest, and no record cache (one output per update)
    props = {"ksql.streams.auto.offset.reset": "earliest", "ksql.streams.cache.max.bytes.buffering": "0"}
    props.update({k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in case.properties.items()})
    exact = str(case.properties.get("use.exact.numeric.comparison", "true")).lower() != "false"
    # the harness's in-process registry (Confluent's mock client): topic schemas registered up front
    registry = MemoryRegistryClient()
    engine = Engine(
        EngineConfig(
            service_id=SERVICE_ID,
            synchronous=True,
            processing_log=False,
            # TestExecutor has no command topic: a SequentialQueryIdGenerator numbers queries 0, 1, 2, ...
            command_topic=False,
            properties=props,
            frozen_wall_clock=True,
            topic_injector=False,  # TestExecutorUtil runs no TopicCreateInjector
        ),
        driver,
        registry,
    )
    recorder = Recorder()
    engine.state.processing_log = recorder  # type: ignore[assignment]
    try:
        for t in test.get("topics") or []:
            driver.create_topic(t["name"], int(t.get("partitions", 1)), int(t.get("replicas", 1)))
        sr_records.register_topic_schemas(registry, test.get("topics") or [])
        for name, parts in _topics_from_statements(case.statements).items():
            driver.create_topic(name, parts)
        for rec in (test.get("inputs") or []) + (test.get("outputs") or []):
            driver.create_topic(rec["topic"], 4)
        try:
            # one request, as ksqlDB's harness does: error positions count lines across statements
            engine.execute("\n".join(case.statements))
            _produce_inputs(engine, driver, test.get("inputs") or [], registry)
            engine.drain()
        except KsqlError as e:
            if expected_exc is None:
                return ERROR, f"{type(e).__name__}: {e.message}"
            # KsqlExpectedException.UnloggedMessageMatcher: the message or the detailed (unlogged) one
            return _check_exception(expected_exc, [e.unlogged_message, e.logged_message])
        except Exception as e:  # an engine bug must not stop the run
            if expected_exc is None:
                return ERROR, f"internal {type(e).__name__}: {e}"
            return _check_exception(expected_exc, [str(e)])
        if expected_exc is not None:
            # a query that stopped on a record (Kafka Streams' StreamsException, which TopologyTestDriver's
            # pipeInput throws to the harness), then the processing log's record errors
            stopped = [
                stage.error
                for q in engine.state.persistent.values()
                for stage in (q, *getattr(q, "upstreams", ()))
                if getattr(stage, "error", None)
            ]
            if stopped or recorder.errors:
                return _check_exception(expected_exc, stopped + recorder.errors)
            return FAIL, "expected exception was not raised: " + str(expected_exc.get("message", ""))
        try:
            _check_outputs(engine, driver, test, exact, registry)
            _check_post(engine, driver, test.get("post") or {}, registry)
        except CaseFailure as f:
            return FAIL, str(f)
        return PASS, ""
    finally:
        engine.close()


def _check_exception(expected: Mapping[str, Any], messages: list[str]) -> tuple[str, str]:
    want = expected.get("message")
    if want is None or any(want in m for m in messages):
        return PASS, ""
    return FAIL, f"expected error containing {want!r}, got {messages[0][:300]!r}"


def _produce_inputs(
    engine: Engine, driver: MemoryDriver, inputs: list[dict[str, Any]], registry: MemoryRegistryClient
) -> None:
    for rec in inputs:
        topic = rec["topic"]
        src = _owner(engine, topic, prefer_sink=False)
        if src is None:
            key = None if rec.get("key") is None else dumps_exact(rec["key"]).encode()
            value = None if rec.get("value") is None else dumps_exact(rec["value"]).encode()
        else:
            key = encode(src, rec.get("key"), True, registry)
            value = encode(src, rec.get("value"), False, registry)
            wnd = rec.get("window")
            if src.window is not None and wnd is not None:  # the windowed key of a windowed source
                session = src.window.kind == "SESSION"
                key = (key or b"") + window_suffix(session)(int(wnd["start"]), int(wnd["end"]))
        headers = tuple(
            (h["KEY"], None if h.get("VALUE") is None else base64.b64decode(h["VALUE"]))
            for h in rec.get("headers") or []
        )
        driver.produce(topic, [Record(key, value, int(rec.get("timestamp", 0)), 0, 0, headers)])


def _check_outputs(
    engine: Engine, driver: MemoryDriver, test: dict[str, Any], exact: bool, registry: MemoryRegistryClient
) -> None:
    expected_by_topic: dict[str, list[dict[str, Any]]] = {}
    for rec in test.get("outputs") or []:
        expected_by_topic.setdefault(rec["topic"], []).append(rec)
    no_inputs = not test.get("inputs")
    for topic, expected in expected_by_topic.items():
        actual = driver.records(topic)
        if len(actual) != len(expected):
            raise CaseFailure(
                f"topic {topic}: expected {len(expected)} records, got {len(actual)}: "
                f"{_show(engine, topic, actual, exact, registry)}"
            )
        src = _owner(engine, topic, prefer_sink=True)
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            raw_key, wnd = a.key, None
            if src is not None and src.window is not None and raw_key is not None:
                session = src.window.kind == "SESSION"
                raw_key, w_start, w_end = split_windowed_key(raw_key, session, src.window.size_ms)
                wnd = {"start": w_start, "end": w_end, "type": "session" if session else "time"}
            try:
                key = decode(src, raw_key, True, exact, registry)
                value = decode(src, a.value, False, exact, registry)
            except Exception as err:  # TestExecutor's deserializer throws too: the case fails
                raise CaseFailure(f"topic {topic}, record {i}: the test serde cannot read it: {err}") from None
            key, value = _coerce_record_fields(key), _coerce_record_fields(value)
            if "window" in e and e["window"] != wnd:
                raise CaseFailure(f"topic {topic} record {i}: window {wnd} != expected {e['window']}")
            if not matches(e.get("key"), key):
                raise CaseFailure(f"topic {topic} record {i}: key {key!r} != expected {e.get('key')!r}")
            if not matches(e.get("value"), value):
                raise CaseFailure(f"topic {topic} record {i}: value {value!r} != expected {e.get('value')!r}")
            if (
                "timestamp" in e
                and not (no_inputs and e["timestamp"] == 0)
                and int(e["timestamp"]) != a.timestamp
            ):
                raise CaseFailure(f"topic {topic} record {i}: timestamp {a.timestamp} != {e['timestamp']}")
            want_headers = [
                (h["KEY"], None if h.get("VALUE") is None else base64.b64decode(h["VALUE"]))
                for h in e.get("headers") or []
            ]
            if list(a.headers) != want_headers:
                raise CaseFailure(f"topic {topic} record {i}: headers {a.headers} != {want_headers}")


def _coerce_record_fields(record: Any) -> Any:
    """TestExecutor.coerceRecordFields: a top-level field holding bytes (a ByteBuffer) is compared as its
    base64 text, and empty bytes as null."""
    if not isinstance(record, dict):
        return record
    return {
        k: (base64.b64encode(v).decode() if v else None) if isinstance(v, (bytes, bytearray)) else v
        for k, v in record.items()
    }


def _show(
    engine: Engine, topic: str, records: list[Record], exact: bool, registry: MemoryRegistryClient
) -> str:
    src = _owner(engine, topic, prefer_sink=True)
    out = []
    for r in records[:5]:
        try:
            out.append(f"{decode(src, r.key, True, exact, registry)!r}->{decode(src, r.value, False, exact, registry)!r}")
        except Exception as e:
            out.append(f"<undecodable: {e}>")
    return "; ".join(out)


def _norm_schema(text: str) -> list[tuple[str, str, str]]:
    return [(c.name, str(c.type), c.namespace) for c in parse_schema(text).columns]


def _check_post(
    engine: Engine, driver: MemoryDriver, post: Mapping[str, Any], registry: MemoryRegistryClient
) -> None:
    for want in post.get("sources") or []:
        src = engine.state.metastore.get(want["name"])
        if src is None:
            raise CaseFailure(f"post: source {want['name']} does not exist")
        if "type" in want and want["type"].upper() != src.kind:
            raise CaseFailure(f"post: {src.name} is a {src.kind}, expected {want['type']}")
        if "schema" in want:
            actual = [(c.name, str(c.type), c.namespace) for c in src.schema.columns]
            if _norm_schema(want["schema"]) != actual:
                raise CaseFailure(
                    f"post: {src.name} schema {src.schema.describe(src.is_table)} != {want['schema']}"
                )
        kf = want.get("keyFormat")
        if kf:
            if kf.get("format") and kf["format"] != src.key_format:
                raise CaseFailure(f"post: {src.name} key format {src.key_format} != {kf['format']}")
            wtype = src.window.kind if src.window else None
            if kf.get("windowType") != wtype:
                raise CaseFailure(f"post: {src.name} window type {wtype} != {kf.get('windowType')}")
        if "valueFormat" in want and want["valueFormat"] != src.value_format:
            raise CaseFailure(f"post: {src.name} value format {src.value_format} != {want['valueFormat']}")
        for feat_key, actual_feats in (
            ("keyFeatures", src.key_features),
            ("valueFeatures", src.value_features),
        ):
            if feat_key in want and sorted(want[feat_key]) != sorted(actual_feats):
                raise CaseFailure(f"post: {src.name} {feat_key} {list(actual_feats)} != {want[feat_key]}")
        if "isSource" in want and bool(want["isSource"]) != src.is_source:
            raise CaseFailure(f"post: {src.name} isSource {src.is_source}")
    topics = post.get("topics") or {}
    for want in topics.get("topics") or []:
        name = want["name"]
        if name.startswith("_confluent-ksql-"):
            continue  # Kafka Streams internal topics: not reproducible without Kafka Streams
        info = driver.topic(name)
        if info is None:
            raise CaseFailure(f"post: topic {name} does not exist")
        if "partitions" in want and int(want["partitions"]) != info.partitions:
            raise CaseFailure(
                f"post: topic {name} has {info.partitions} partitions, expected {want['partitions']}"
            )
        src = _owner(engine, name, prefer_sink=True)
        if src is not None:
            for k, actual_fmt in (("keyFormat", src.key_format), ("valueFormat", src.value_format)):
                f = (want.get(k) or {}).get("format")
                if f and f != actual_fmt:
                    raise CaseFailure(f"post: topic {name} {k} {actual_fmt} != {f}")
        for part in ("key", "value"):
            expected_schema = want.get(f"{part}Schema")
            if expected_schema is None:
                continue
            _check_registered(registry, name, part, expected_schema)
    blacklist = topics.get("blacklist")
    if blacklist:
        bad = [t for t in driver.topics() if re.fullmatch(blacklist, t)]
        if bad:
            raise CaseFailure(f"post: blacklisted topics exist: {bad}")


def _check_registered(registry: MemoryRegistryClient, topic: str, part: str, expected: Any) -> None:
    """The latest schema of the topic's subject equals the expected one (JSON schemas compared as
    parsed JSON, Protobuf as text), as the harness compares them."""
    from ksqlserver.errors import SchemaRegistryError
    from ksqlserver.formats.sr.client import PROTOBUF, subject_name

    try:
        latest = registry.latest(subject_name(topic, part == "key")).schema
    except SchemaRegistryError:
        raise CaseFailure(f"post: topic {topic} has no registered {part} schema") from None
    if latest.schema_type == PROTOBUF:
        same = " ".join(str(expected).split()) == " ".join(latest.schema.split())
    else:
        same = _plain(json.loads(latest.schema)) == _plain(expected)
    if not same:
        raise CaseFailure(f"post: topic {topic} {part} schema {latest.schema} != {json.dumps(expected, default=str)}")


def _plain(v: Any) -> Any:
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


# --- running files ---------------------------------------------------------------------------------------


def run_file(path: Path, index: Index) -> list[CaseResult]:
    data = load_file(path)
    stem = path.stem
    info = index.files.get(path.name, {})
    results = []
    for test in data["tests"]:
        for case in expand(stem, test):
            meta = index.cases.get(case.name)
            klass, sub = info.get("class", ""), info.get("subclass", "")
            if test.get("enabled") is False:
                results.append(CaseResult(case.name, path.name, SKIP, "disabled", klass, sub))
                continue
            group = ""
            if meta is not None and not meta.get("in_scope", True):
                tags = [
                    t
                    for t in meta.get("tags", [])
                    if t in ("needs_schema_registry", "protobuf_nosr", "test_only_function")
                ]
                if "test_only_function" in tags or not any(t in SR_TAGS for t in tags):
                    results.append(
                        CaseResult(case.name, path.name, SKIP, "out of scope: " + ",".join(tags), klass, sub)
                    )
                    continue
                group = SR_GROUP  # run: this runner has a registry and the Schema Registry formats
            verdict, reason = run_case(case)
            results.append(CaseResult(case.name, path.name, verdict, reason, klass, sub, group))
    return results
