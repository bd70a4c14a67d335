"""One SQL test on a fresh engine over the in-memory driver, synchronously (ksqlDB's SqlTestExecutor):
statements run in order, asserts check what the queries wrote, directives set the expected error."""

from __future__ import annotations

from pathlib import Path

from ksqlserver.config import EngineConfig
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, statement_errors
from ksqlserver.errors import KsqlError, KsqlParseError, KsqlStatementError
from ksqlserver.formats.sr.client import MemoryRegistryClient
from ksqlserver.sql import ast
from ksqlserver.statements import Session
from ksqlserver.statements.inserts import build_record, produce_row
from ksqlserver.testing.sqltests.asserts import RecordCursor, assert_source, assert_values
from ksqlserver.testing.sqltests.directives import DirectiveType, TestDirective
from ksqlserver.testing.sqltests.errors import (
    HIERARCHY,
    JavaError,
    KsqlTestException,
    NullPointer,
    SqlTestError,
)
from ksqlserver.testing.sqltests.reader import SqlTest, TestStatement, test_failure

SERVICE_ID = "some.ksql.service.id"
# SqlTestExecutor.BASE_CONFIG. A query's TopologyTestDriver sees only the records piped in after it was
# made, so queries here start at the end of their topics, whatever auto.offset.reset says.
BASE_PROPERTIES = {
    "ksql.streams.auto.offset.reset": "latest",
    "ksql.streams.cache.max.bytes.buffering": "0",
    "ksql.headers.columns.enabled": "true",
}
# the statements the tool runs (test-an-app.md); SET / UNSET change the test's overrides
_EXECUTABLE = (
    ast.CreateSource, ast.CreateAsSelect, ast.AlterSource, ast.DropSource, ast.SetProperty, ast.UnsetProperty,
    ast.InsertInto, ast.InsertValues, ast.CreateType, ast.DropType,
)  # fmt: skip


def java_error(e: BaseException) -> JavaError:
    """An error as the Java throwable ksqlDB's tool would meet."""
    if isinstance(e, SqlTestError):
        return JavaError(e.java_class, e.message)
    if isinstance(e, KsqlParseError):
        return JavaError("io.confluent.ksql.parser.exception.ParseFailedException", e.message)
    if isinstance(e, KsqlStatementError):
        return JavaError("io.confluent.ksql.util.KsqlStatementException", e.message)
    if isinstance(e, KsqlError):
        return JavaError("io.confluent.ksql.util.KsqlException", e.message)
    return JavaError("java.lang.RuntimeException", str(e))


class SqlTestExecutor:
    """Runs one test; `execute_test` raises `KsqlTestException` when it fails."""

    def __init__(self, extension_dir: Path | None = None) -> None:
        self.driver = MemoryDriver()
        config = EngineConfig(
            service_id=SERVICE_ID,
            extension_dir=extension_dir,
            properties=dict(BASE_PROPERTIES),
            synchronous=True,
            processing_log=False,
            command_topic=False,
            topic_injector=False,  # SqlTestExecutor.createTopics makes the topics itself
        )
        self.engine = Engine(config, self.driver, MemoryRegistryClient())
        self.session = Session(self.engine.server_props.with_overrides({}))
        self.cursor = RecordCursor()
        self.expected_class: str | None = None
        self.expected_message: str | None = None

    def close(self) -> None:
        self.engine.close()

    def execute_test(self, test: SqlTest) -> None:
        """SqlTestExecutor.executeTest."""
        for st in test.statements:
            try:
                self._consume(st)
            except (SqlTestError, KsqlError) as e:
                self._expected_failure(test.file, st, java_error(e))
                return
        if self.expected_class is not None or self.expected_message is not None:
            clazz = self.expected_class or "<any>"
            msg = self.expected_message if self.expected_message is not None else "<any>"
            raise KsqlTestException(
                test_failure(
                    test.statements[-1], f"Did not get expected exception of type {clazz} with message {msg}",
                    test.file,
                )
            )

    def _consume(self, st: TestStatement) -> None:
        if st.engine is not None:
            self._execute(st.engine)
        elif st.assertion is not None:
            self._assert(st.assertion)
        elif st.directive is not None:
            self._directive(st.directive)

    def _execute(self, st: ast.Statement) -> None:
        if not isinstance(st, _EXECUTABLE):
            raise KsqlStatementError("Statement not executable", st.text)
        self._create_topic(st)
        if isinstance(st, ast.InsertValues):
            self._pipe_input(st)
            return
        with statement_errors(st.text, "statement failed"):
            self.engine.executor.run(st, self.session)
        self.engine.drain()  # the synchronous engine runs its queries over what was written

    def _pipe_input(self, st: ast.InsertValues) -> None:
        """SqlTestExecutor.pipeInput: the record GenericRecordFactory builds (its problems unprefixed, none
        of InsertValuesExecutor's checks), written to the source's topic, then processed by the queries."""
        state = self.engine.state
        if st.columns and len(st.columns) != len(st.values):  # the InsertValues node refuses it when built
            raise KsqlStatementError(
                "Failed to prepare statement: Expected number columns and values to match: "
                f"{len(st.columns)}, {len(st.values)}",
                st.text,
            )
        target = state.metastore.get(st.target)
        if target is None:
            raise SqlTestError(f"Unknown data source `{st.target}`")  # SourceName.toString escapes
        self._check_cycles(st.target)
        values, ts = build_record(state, st, target, KsqlStatementError)
        with state.lock:
            produce_row(state, target, values, ts)
        self.engine.drain()

    def _check_cycles(self, target: str) -> None:
        """TestDriverPipeline.pipeInput's loop detection: a record written to a topic that flows back into
        a topic it already went through."""
        source = self.engine.state.metastore.get(target)
        if source is None:
            return  # the INSERT itself reports the unknown source
        receivers: dict[str, list[str]] = {}
        for query in self.engine.state.persistent.values():
            sink = getattr(query, "sink", None)
            if sink is None:
                continue
            for topic in getattr(query, "consumer_topics", []):
                receivers.setdefault(topic, []).append(sink.topic)

        def visit(topic: str, seen: frozenset[str], path: str) -> None:
            if topic in seen:
                raise SqlTestError(f"Detected illegal cycle in topology: {path}")
            for receiver in receivers.get(topic, []):
                visit(receiver, seen | {topic}, f"{path}->{receiver}")

        visit(source.topic, frozenset(), source.topic)

    def _create_topic(self, st: ast.Statement) -> None:
        """SqlTestExecutor.createTopics: the topic a CREATE names (a CREATE ... AS SELECT's defaults to its
        name), with the partitions it gives, else one."""
        if isinstance(st, ast.CreateSource | ast.CreateAsSelect):
            props = {k.upper(): v for k, v in st.properties.items()}
            topic = props.get("KAFKA_TOPIC")
            if topic is None and isinstance(st, ast.CreateAsSelect):
                topic = st.name.upper()
            if topic is not None:
                self.driver.create_topic(str(topic), int(props.get("PARTITIONS") or 1))

    def _assert(self, st: ast.Statement) -> None:
        state = self.engine.state
        if isinstance(st, ast.AssertValues | ast.AssertTombstone):
            assert_values(state, st, self.cursor)
        elif isinstance(st, ast.AssertSource):
            assert_source(state, st, dict(self.session.props.server))

    def _directive(self, d: TestDirective) -> None:
        """SqlTestExecutor.directive: an unknown class is "Failed to handle directive ..."."""
        if d.type is DirectiveType.EXPECTED_ERROR:
            if d.contents not in HIERARCHY:
                raise SqlTestError(f"Failed to handle directive {d}")
            self.expected_class = d.contents
        elif d.type is DirectiveType.EXPECTED_MESSAGE:
            self.expected_message = d.contents

    def _expected_failure(self, file: Path | None, st: TestStatement, e: JavaError) -> None:
        """SqlTestExecutor.handleExpectedException, with ksqlDB's null dereferences where a directive is
        missing (String.contains(null), a null Class)."""
        if self.expected_class is None and self.expected_message is None:
            raise KsqlTestException(test_failure(st, e.message, file))
        if self.expected_message is None:
            raise NullPointer()
        if e.message is None or self.expected_message not in e.message:
            raise KsqlTestException(
                test_failure(st, f'Expected exception with message "{self.expected_message}" but got {e}', file)
            )
        if self.expected_class is None:
            raise NullPointer()
        if not e.is_instance(self.expected_class):
            raise KsqlTestException(
                test_failure(st, f"Expected exception with class class {self.expected_class} but got {e}", file)
            )


def run_test(test: SqlTest) -> None:
    """A test on its own executor, closed afterwards; raises what `execute_test` raises."""
    executor = SqlTestExecutor()
    try:
        executor.execute_test(test)
    finally:
        executor.close()
