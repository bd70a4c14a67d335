"""One test: statements, input records, expected output records, run on the in-memory driver.

Follows ksqlDB 0.29's testing tool (`ksql-test-runner`): the topics the CREATE statements declare and the
records name exist before anything runs; the statements run in order and only DDL, CREATE ... AS SELECT,
INSERT INTO and INSERT VALUES are executable; at least one persistent query must result; then every input
record is written with its topic's serde and the queries consume them in creation order; finally each
topic named in the expected outputs must hold exactly the expected records, in order, compared with
ksqlDB's rules (exact decimals, numeric widening, upper-case field names, timestamps unless the test ran
on INSERT VALUES alone with timestamp 0, window bounds, headers).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ksqlserver.catalog.metastore import DataSource
from ksqlserver.config import EngineConfig
from ksqlserver.conformance.records import decode, dumps_exact, encode, matches
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, statement_errors
from ksqlserver.errors import KsqlError, KsqlParseError
from ksqlserver.formats.sr.client import MemoryRegistryClient
from ksqlserver.runtime.operators.windows import split_windowed_key
from ksqlserver.sql import ast
from ksqlserver.sql.parser import parse
from ksqlserver.statements import Session
from ksqlserver.testing import messages
from ksqlserver.testing.errors import TestFileError
from ksqlserver.testing.files import RecordSpec, load_records, read_statements

SERVICE_ID = "some.ksql.service.id"
DEFAULT_PARTITIONS = 4
# what the tool sets for every test (its base config): read topics from the start
# SqlTestExecutor / TestExecutor's base config: earliest, no record cache (one output per update)
BASE_PROPERTIES = {"ksql.streams.auto.offset.reset": "earliest", "ksql.streams.cache.max.bytes.buffering": "0"}
_EXECUTABLE = (ast.CreateSource, ast.CreateAsSelect, ast.InsertInto, ast.InsertValues, ast.DropSource,
               ast.CreateType, ast.DropType, ast.AlterSource)
_QUERY_CAST = (
    "class io.confluent.ksql.parser.tree.Query cannot be cast to class io.confluent.ksql.parser.tree."
    "QueryContainer (io.confluent.ksql.parser.tree.Query and io.confluent.ksql.parser.tree.QueryContainer "
    "are in unnamed module of loader 'app')"
)


@dataclass(frozen=True)
class TestResult:
    """`passed`, or the failure `message` in ksqlDB's words; `processing_errors`: records the queries
    could not process (ksqlDB's processing log), a hint when outputs are missing."""

    __test__ = False  # not a pytest test class

    passed: bool
    message: str = ""
    seconds: float = 0.0
    processing_errors: tuple[str, ...] = field(default_factory=tuple)


class _Failure(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_statements(sql: str, path: Path | str | None = None) -> list[ast.Statement]:
    """The statements of a file; a syntax error is a `TestFileError` (ksqlDB parses before it runs)."""
    try:
        return parse(sql)
    except KsqlParseError as e:
        raise TestFileError(path, e.message) from None


def run_test_files(
    sql_file: Path | str,
    input_file: Path | str | None,
    output_file: Path | str,
    extension_dir: Path | str | None = None,
) -> TestResult:
    """Read the three files (input first, then output, then statements, as ksqlDB does) and run the test.

    Raises `TestFileError` when a file is missing or malformed; a failing test is a `TestResult`.
    """
    inputs = None if input_file is None else load_records(input_file, "inputs")
    outputs = load_records(output_file, "outputs")
    statements = parse_statements(read_statements(sql_file), sql_file)
    return run_test(statements, inputs, outputs, extension_dir)


def run_test(
    statements: Sequence[ast.Statement] | str,
    inputs: Sequence[RecordSpec] | None,
    outputs: Sequence[RecordSpec],
    extension_dir: Path | str | None = None,
) -> TestResult:
    """Run one test on a fresh engine over the in-memory driver."""
    started = time.perf_counter()
    stmts = parse_statements(statements) if isinstance(statements, str) else list(statements)
    driver = MemoryDriver()
    config = EngineConfig(
        service_id=SERVICE_ID,
        extension_dir=None if extension_dir is None else Path(extension_dir),
        properties=dict(BASE_PROPERTIES),
        synchronous=True,
        processing_log=False,
        command_topic=False,
        topic_injector=False,  # the tool's TestExecutorUtil runs no TopicCreateInjector
    )
    # the tool's in-process Schema Registry (a mock client in ksqlDB): AVRO, PROTOBUF and JSON_SR tests run
    # without a registry URL
    registry = MemoryRegistryClient()
    engine = Engine(config, driver, registry)
    log = _ProcessingErrors()
    engine.state.processing_log = log  # type: ignore[assignment]
    try:
        _Test(
            engine, driver, stmts, list(inputs or ()), list(outputs), inputs is None or not inputs, registry
        ).run()
        passed, message = True, ""
    except _Failure as f:
        passed, message = False, f.message
    finally:
        engine.close()
    return TestResult(passed, message, time.perf_counter() - started, tuple(log.errors))


class _ProcessingErrors:
    """Stands in for the processing log: keeps what the queries could not process."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, query_id: str, kind: str, message: str, record: Record | None, cause: Any = None) -> None:
        self.errors.append(f"{query_id}: {message}")


class _Test:
    def __init__(
        self,
        engine: Engine,
        driver: MemoryDriver,
        statements: list[ast.Statement],
        inputs: list[RecordSpec],
        outputs: list[RecordSpec],
        no_inputs: bool,
        registry: MemoryRegistryClient | None = None,
    ) -> None:
        self.engine = engine
        self.registry = registry
        self.driver = driver
        self.statements = statements
        self.inputs = inputs
        self.outputs = outputs
        self.no_inputs = no_inputs
        self.looked_up: list[str] = []  # topics whose serdes were resolved, for the unknown-topic message

    def run(self) -> None:
        self._create_topics()
        self._execute()
        if not self.engine.state.persistent:
            raise _Failure(messages.NO_QUERIES)
        self._write_inputs()
        try:
            self.engine.drain()
        except KsqlError as e:
            raise _Failure(e.message) from None
        for query in self.engine.state.persistent.values():  # the tool looks up every sink it fed
            sink = getattr(query, "sink", None)
            if sink is not None and sink.topic not in self.looked_up:
                self.looked_up.append(sink.topic)
        self._verify_outputs()

    def _create_topics(self) -> None:
        topics: dict[str, int] = {}
        for st in self.statements:
            if isinstance(st, ast.CreateSource) and st.columns:
                props = {k.upper(): v for k, v in st.properties.items()}
                if "KAFKA_TOPIC" in props:
                    topics.setdefault(str(props["KAFKA_TOPIC"]), int(props.get("PARTITIONS", DEFAULT_PARTITIONS)))
        for rec in [*self.inputs, *self.outputs]:
            topics.setdefault(rec.topic, DEFAULT_PARTITIONS)
        for name, partitions in topics.items():
            self.driver.create_topic(name, partitions)

    def _execute(self) -> None:
        session = Session(self.engine.server_props.with_overrides({}))
        for st in self.statements:
            if isinstance(st, ast.Query):
                raise _Failure(_QUERY_CAST)
            if not isinstance(st, _EXECUTABLE):
                raise _Failure(messages.NOT_EXECUTABLE)
            try:
                with statement_errors(st.text, "statement failed"):
                    self.engine.executor.run(st, session)
            except KsqlError as e:
                raise _Failure(e.message) from None

    def _source(self, topic: str, sink: bool) -> DataSource:
        sources = self.engine.state.metastore.by_topic(topic)
        if not sources:
            raise _Failure(messages.unknown_topic(topic, self.looked_up))
        preferred = [s for s in sources if s.is_sink == sink]
        if topic not in self.looked_up:
            self.looked_up.append(topic)
        return (preferred or sources)[0]

    def _write_inputs(self) -> None:
        for rec in self.inputs:
            src = self._source(rec.topic, sink=False)
            key = self._encode(src, rec, rec.key, True, self.registry)
            value = self._encode(src, rec, rec.value, False, self.registry)
            ts = 0 if rec.timestamp is None else rec.timestamp
            self.driver.produce(rec.topic, [Record(key, value, ts, 0, 0, tuple(rec.headers or ()))])

    @staticmethod
    def _encode(
        src: DataSource, rec: RecordSpec, data: Any, is_key: bool, registry: MemoryRegistryClient | None
    ) -> bytes | None:
        try:
            return encode(src, data, is_key, registry)
        except Exception as e:
            part = "key" if is_key else "value"
            shown = dumps_exact(data)
            raise _Failure(
                f"Failed to serialize {part}: {e}\nrec: ProducerRecord(topic={rec.topic}, "
                f"timestamp={rec.timestamp}, {part}={shown})"
            ) from None

    def _verify_outputs(self) -> None:
        by_topic: dict[str, list[RecordSpec]] = {}
        for rec in self.outputs:
            by_topic.setdefault(rec.topic, []).append(rec)
        for topic, expected in by_topic.items():
            src = self._source(topic, sink=True)
            actual = [self._decoded(src, r) for r in self.driver.records(topic)]
            texts = [messages.actual_record_text(k, v, r.timestamp, r.headers) for k, v, r in actual]
            if len(actual) != len(expected):
                raise _Failure(messages.count_mismatch(topic, len(expected), texts))
            for i, (want, (key, value, rec), text) in enumerate(zip(expected, actual, texts, strict=True)):
                self._check_record(topic, i, want, key, value, rec, text)

    def _decoded(self, src: DataSource, rec: Record) -> tuple[Any, Any, Record]:
        raw_key = rec.key
        window = None
        try:
            if src.window is not None and raw_key is not None:
                session = src.window.kind == "SESSION"
                raw_key, start, end = split_windowed_key(raw_key, session, src.window.size_ms)
                window = (start, end)
            key = decode(src, raw_key, True, True, self.registry)
        except Exception as e:
            raise _Failure(messages.deserialize_failure("key", str(e), src.topic, rec.timestamp)) from None
        try:
            value = decode(src, rec.value, False, True, self.registry)
        except Exception as e:
            raise _Failure(messages.deserialize_failure("value", str(e), src.topic, rec.timestamp)) from None
        if window is not None:
            key = messages.Windowed(key, *window)
        return key, value, rec

    def _check_record(
        self, topic: str, index: int, want: RecordSpec, key: Any, value: Any, rec: Record, text: str
    ) -> None:
        expected_ts = rec.timestamp if want.timestamp is None else want.timestamp
        headers = list(want.headers or ())
        ok = matches(want.value, value) and list(rec.headers) == headers
        if want.window is not None:
            ok = ok and isinstance(key, messages.Windowed) and matches(want.key, key.key)
            if ok:
                assert isinstance(key, messages.Windowed)
                kind = "SESSION" if self._is_session(topic) else "TIME"
                ok = (key.start, key.end, kind) == (want.window.start, want.window.end, want.window.type)
        else:
            ok = ok and not isinstance(key, messages.Windowed) and matches(want.key, key)
        if rec.timestamp != expected_ts and (not self.no_inputs or expected_ts != 0):
            ok = False
        if not ok:
            raise _Failure(messages.record_mismatch(topic, index, want.key, want.value, expected_ts, headers, text))

    def _is_session(self, topic: str) -> bool:
        src = self._source(topic, sink=True)
        return src.window is not None and src.window.kind == "SESSION"
