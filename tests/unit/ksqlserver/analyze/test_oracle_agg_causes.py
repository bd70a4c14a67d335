"""Aggregation behaviours where our engine differed from ksqlDB 0.29 (found by diffing generated cases
against ksqlDB built from source); each test names the Java class it follows."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError

SRC = "CREATE STREAM SRC (K STRING KEY, I INT, S STRING, T STRING, BO BOOLEAN, DC DECIMAL(4, 2)) " \
      "WITH (kafka_topic='src', value_format='JSON');"  # fmt: skip


@pytest.fixture(params=[True, False], ids=["fast", "generic"])
def env(request: pytest.FixtureRequest) -> Iterator[tuple[Engine, MemoryDriver]]:
    d = MemoryDriver()
    d.create_topic("src", partitions=1)
    e = Engine(EngineConfig(synchronous=True, fast_paths=request.param,
                            properties={"ksql.streams.auto.offset.reset": "earliest"}), d)  # fmt: skip
    e.execute(SRC)
    yield e, d
    e.close()


def _run(env: tuple[Engine, MemoryDriver], sql: str, rows: list[tuple[str | None, dict]]) -> list[tuple]:
    e, d = env
    e.execute(sql)
    for n, (k, v) in enumerate(rows):
        d.produce("src", [Record(None if k is None else k.encode(), json.dumps(v).encode(), n + 1)])
    e.drain()
    return [(r.key.decode() if r.key is not None else None, json.loads(r.value)) for r in d.records("O")]


WRAPPED = "Could not determine output schema for query due to error: "  # SchemaRegisterInjector


def _error(env: tuple[Engine, MemoryDriver], sql: str) -> KsqlError:
    with pytest.raises(KsqlError) as info:
        env[0].execute(sql)
    return info.value


def test_string_plus_writes_null_operands_as_null(env: tuple[Engine, MemoryDriver]) -> None:
    """SqlToJavaVisitor.visitArithmeticBinary generates Java's `(a + b)` for two STRINGs: a null operand is
    appended as "null" (a GROUP BY on it groups under "anull", not dropped as a null key)."""
    out = _run(env, "CREATE STREAM O AS SELECT K, K + S AS X, S + T AS Y FROM SRC;",
               [("a", {"S": None, "T": None}), (None, {"S": "b", "T": "c"})])  # fmt: skip
    assert out == [("a", {"X": "anull", "Y": "nullnull"}), (None, {"X": "nullb", "Y": "bc"})]


def test_group_by_string_plus_with_a_null(env: tuple[Engine, MemoryDriver]) -> None:
    """The same Java concatenation as a grouping expression (GroupByParamsFactory evaluates it per row)."""
    out = _run(env, "CREATE TABLE O AS SELECT K + S AS KS, COUNT(*) AS C FROM SRC GROUP BY K + S;",
               [("a", {"S": None}), ("a", {"S": "x"}), ("a", {"S": None})])  # fmt: skip
    assert out == [("anull", {"C": 1}), ("ax", {"C": 1}), ("anull", {"C": 2})]


def test_having_without_group_by_is_not_applied(env: tuple[Engine, MemoryDriver]) -> None:
    """LogicalPlanner.buildPersistentLogicalPlan plans an AggregateNode only for a GROUP BY or the aggregate
    calls Analyzer.addDummyGroupbyForUdafs finds in the SELECT; Analyzer.analyzeHaving only records HAVING,
    so a query without either is a stream whose HAVING filters nothing."""
    out = _run(env, "CREATE STREAM O AS SELECT K, I FROM SRC HAVING I > 1;", [("a", {"I": 1}), ("b", {"I": 5})])
    assert out == [("a", {"I": 1}), ("b", {"I": 5})]
    err = _error(env, "CREATE TABLE O2 AS SELECT K, I FROM SRC HAVING COUNT(*) > 1;")
    # EngineExecutor.validateResultType names the statement it planned, the one TopicCreateInjector
    # re-formatted; SchemaRegisterInjector's wrapper carries that detailed message (its raw unlogged details,
    # the REST message) and names the same statement
    assert err.message == (
        WRAPPED + "Invalid result type. Your SELECT query produces a STREAM. Please use CREATE STREAM AS SELECT "
        f"statement instead.\nStatement: {err.statement_text}"
    )
    assert err.statement_text.startswith("CREATE TABLE O2 WITH (CLEANUP_POLICY='compact', KAFKA_TOPIC='O2', ")


def test_udaf_names_in_errors_are_as_declared(env: tuple[Engine, MemoryDriver]) -> None:
    """UdfIndex.formatAvailableSignatures prints the function's FunctionName: UdafLoader keeps a UDAF's
    @UdafDescription name ("avg"), and SchemaKGroupedTable.aggregate names the functions without undo by
    KsqlAggregateFunction.name() ("collect_set")."""
    err = _error(env, "CREATE TABLE O AS SELECT K, AVG(S) AS A FROM SRC GROUP BY K;")
    assert err.message.startswith(WRAPPED)  # refused while SchemaRegisterInjector's sandbox plans it
    assert "Valid alternatives are:\navg(DOUBLE val1)\navg(INT val1)\navg(BIGINT val1)\n" in err.message
    env[0].execute("CREATE TABLE TB (ID STRING PRIMARY KEY, G STRING, I INT) WITH (kafka_topic='tb', "
                   "value_format='JSON', partitions=1);")  # fmt: skip
    err = _error(env, "CREATE TABLE O3 AS SELECT G, COLLECT_SET(I) AS R FROM TB GROUP BY G;")
    assert err.message == WRAPPED + (
        "The aggregation function collect_set cannot be applied to a table source, only to a stream source."
    )


def test_kafka_key_format_counts_columns_before_types(env: tuple[Engine, MemoryDriver]) -> None:
    """KafkaSerdeFactory.createSerde refuses more than one column before it converts any column's type."""
    err = _error(env, "CREATE TABLE O AS SELECT K, BO, COUNT(*) AS C FROM SRC GROUP BY K, BO;")
    assert err.message.endswith(
        "reason: The 'KAFKA' format only supports a single field. Got: [`K` STRING KEY, `BO` BOOLEAN KEY]"
    )


def test_kafka_value_format_group_by_message_ends_with_the_issue_link(env: tuple[Engine, MemoryDriver]) -> None:
    """Analyzer.KAFKA_VALUE_FORMAT_LIMITATION_DETAILS ends with the line naming issue 3060."""
    env[0].execute("CREATE STREAM KV (K STRING KEY, V INT) WITH (kafka_topic='kv', value_format='KAFKA', "
                   "partitions=1);")  # fmt: skip
    err = _error(env, "CREATE TABLE O AS SELECT V, COUNT(*) AS C FROM KV GROUP BY V;")
    assert err.message.endswith(
        "<existing-kafka-formated-stream-name>;'\nFor more info see https://github.com/confluentinc/ksql/issues/3060"
    )


def test_zero_size_window_is_a_planning_error(env: tuple[Engine, MemoryDriver]) -> None:
    """WindowInfo.of ("Size must be positive") fails while the logical plan is built, which
    SchemaRegisterInjector.registerForCreateAs wraps with the statement it planned."""
    err = _error(env, "CREATE TABLE O AS SELECT K, COUNT(*) AS C FROM SRC WINDOW TUMBLING (SIZE 0 SECONDS) GROUP BY K;")
    assert err.message == WRAPPED + "Size must be positive"  # the REST message: the wrapper's raw details
    assert err.unlogged_message.startswith(WRAPPED + "Size must be positive\nStatement: CREATE TABLE O")
