"""GROUP BY statements ksqlDB refuses, with its texts."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError


@pytest.fixture
def engine() -> Iterator[Engine]:
    d = MemoryDriver()
    d.create_topic("t", partitions=1)
    e = Engine(EngineConfig(service_id="x_", synchronous=True), d)
    e.execute("CREATE STREAM TEST (ID INT KEY, K STRING, I INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');")
    yield e
    e.close()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (  # AggregateNode.validateKeyPresent through PlanNode.throwKeysNotIncludedError
            "CREATE TABLE O AS SELECT COUNT(*) AS C FROM TEST GROUP BY K + 'x';",
            "Key missing from projection (ie, SELECT). \nThe query used to build `O` must include the grouping "
            "expression (K + 'x') in its projection (eg, SELECT (K + 'x')...).",
        ),
        (
            "CREATE TABLE O AS SELECT K, COUNT(*) AS C FROM TEST GROUP BY K, I, ID;",
            "Keys missing from projection (ie, SELECT). \nThe query used to build `O` must include the grouping "
            "expressions I and ID in its projection (eg, SELECT I, ID...).",
        ),
        (  # LogicalPlanner.buildAggregateSchema: the aliases "a, b and c", then the AS_VALUE hint
            "CREATE TABLE O AS SELECT K AS A, K AS B, K AS C, COUNT(*) AS N FROM TEST GROUP BY K;",
            "The projection contains a key column more than once: `A`, `B` and `C`.\nEach key column must only "
            "be in the projection once. If you intended to copy the key into the value, then consider using the "
            "`AS_VALUE` function to indicate which key reference should be copied.",
        ),
    ],
)
def test_group_by_error_texts(engine: Engine, query: str, message: str) -> None:
    with pytest.raises(KsqlError) as info:
        engine.execute(query)
    # the logical plan refuses it while SchemaRegisterInjector's sandbox plans the statement, whose wrapper
    # puts its prefix first (KsqlResource answers the wrapper's raw unlogged details)
    assert info.value.message == "Could not determine output schema for query due to error: " + message


@pytest.mark.parametrize(
    "sql",
    [
        "CREATE TABLE O AS SELECT K, COUNT(*) AS C FROM TEST GROUP BY K PARTITION BY K;",
        "SELECT K, COUNT(*) AS C FROM TEST GROUP BY K PARTITION BY K EMIT CHANGES;",
    ],
)
def test_group_by_with_partition_by(engine: Engine, sql: str) -> None:
    """The parser's Query node refuses both (KsqlPreconditions in Query's constructor, while AstBuilder builds
    the statement: 'Failed to prepare statement: ...')."""
    with pytest.raises(KsqlError) as err:
        engine.execute(sql)
    assert err.value.message == "Failed to prepare statement: Queries only support one of PARTITION BY and GROUP BY"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("CREATE TABLE O AS SELECT NOPE, COUNT(*) AS C FROM TEST GROUP BY K;",
         "Line: 1, Col: 26: SELECT column 'NOPE' cannot be resolved."),
        ("CREATE TABLE O AS SELECT K, COUNT(*) AS C FROM TEST GROUP BY K HAVING NOPE > 1;",
         "Line: 1, Col: 71: HAVING column 'NOPE' cannot be resolved."),
        # a windowed GROUP BY makes the window bounds known columns (Analysis.buildStreamsSchema)
        ("CREATE TABLE O AS SELECT K, COUNT(*) AS C, WINDOWSTART AS WS FROM TEST WINDOW TUMBLING (SIZE 1 SECOND) "
         "GROUP BY K HAVING NOPE > 1;", "HAVING column 'NOPE' cannot be resolved."),
    ],
)  # fmt: skip
def test_unknown_columns_before_the_aggregate_analysis(engine: Engine, query: str, message: str) -> None:
    """Analyzer.throwOnUnknownColumnReference runs before the LogicalPlanner's AggregateAnalyzer: an unknown
    column is not 'Non-aggregate SELECT expression(s) not part of GROUP BY'."""
    with pytest.raises(KsqlError) as err:
        engine.execute(query)
    # refused while SchemaRegisterInjector's sandbox plans the statement: its prefix goes first
    assert err.value.message.startswith("Could not determine output schema for query due to error: ")
    assert message in err.value.message
