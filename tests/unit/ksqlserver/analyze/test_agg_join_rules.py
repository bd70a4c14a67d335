"""Aggregation and join statements whose errors and names follow ksqlDB 0.29's Java source (each test names the
class), found by the differential runs against the real engine (tests/unit/ksqlserver/oracle/diffagg, diffjoin)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError

FIXTURE = [
    "CREATE STREAM S (K STRING KEY, I INT, V STRING) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');",
    "CREATE STREAM L (ID STRING KEY, A INT) WITH (KAFKA_TOPIC='l', VALUE_FORMAT='JSON');",
    "CREATE STREAM R (ID STRING KEY, B INT) WITH (KAFKA_TOPIC='r', VALUE_FORMAT='JSON');",
]


@pytest.fixture
def engine() -> Iterator[Engine]:
    d = MemoryDriver()
    for topic in ("s", "l", "r"):
        d.create_topic(topic, partitions=1)
    e = Engine(EngineConfig(service_id="x_", synchronous=True), d)
    for sql in FIXTURE:
        e.execute(sql)
    yield e
    e.close()


def _error(engine: Engine, statement: str) -> str:
    with pytest.raises(KsqlError) as err:
        engine.execute(statement)
    return err.value.message


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TABLE T AS SELECT K, COUNT(*) AS C FROM S WHERE COUNT(*) > 1 GROUP BY K;",
        "CREATE STREAM O AS SELECT * FROM S WHERE COUNT(*) > 1;",
        "CREATE STREAM O AS SELECT * FROM L JOIN R WITHIN 1 SECOND ON L.ID = R.ID WHERE COUNT(*) > 1;",
    ],
)
def test_aggregate_in_where_fails_in_the_filters_code_generation(engine: Engine, statement: str) -> None:
    """No analysis check refuses an aggregate in WHERE: FilterTypeValidator types it as an aggregate, then
    CodeGenRunner.buildCodeGenFromParseTree ("Invalid Predicate: ...") looks COUNT up as a scalar function
    (InternalFunctionRegistry.getUdfFactory)."""
    # refused while SchemaRegisterInjector plans the CREATE ... AS SELECT: the REST message carries its prefix
    assert _error(engine, statement) == (
        "Could not determine output schema for query due to error: "
        "Invalid Predicate: Can't find any functions with the name 'COUNT'."
    )


@pytest.mark.parametrize("within", ["-1 SECONDS", "(-1 SECONDS, 1 SECOND)", "(1 SECOND, -2 SECONDS)"])
def test_negative_join_window_interval_is_refused_when_the_tree_is_built(engine: Engine, within: str) -> None:
    """joinWindowSize is `number windowUnit` (SqlBase.g4), so a sign parses; WithinExpression builds
    JoinWindows.of(before).after(after) and Kafka Streams' JoinWindows refuses before + after < 0."""
    message = _error(engine, f"CREATE STREAM O AS SELECT * FROM L JOIN R WITHIN {within} ON L.ID = R.ID;")
    assert message == "Failed to prepare statement: Window interval (ie, beforeMs+afterMs) must not be negative."


def test_negative_after_within_the_before_size_joins_earlier_records_only(engine: Engine) -> None:
    """WITHIN (2 SECONDS, -1 SECOND): JoinWindows(before=2000, after=-1000) joins a right record whose time is
    in [left - 2 s, left - 1 s] (KStreamKStreamJoin's [ts - before, ts + after] window)."""
    engine.execute(
        "CREATE STREAM O AS SELECT L.ID, A, B FROM L JOIN R WITHIN (2 SECONDS, -1 SECOND) ON L.ID = R.ID;"
    )
    d = engine.driver
    d.produce("l", [Record(b"k", b'{"A": 1}', 10_000, 0, 0, ())])
    for b, ts in ((1, 9_000), (2, 8_000), (3, 9_500), (4, 10_000), (5, 7_999)):
        d.produce("r", [Record(b"k", b'{"B": %d}' % b, ts, 0, 0, ())])
    engine.drain()
    out = [(r.timestamp, r.value) for r in d.records("O")]
    assert out == [(10_000, b'{"A":1,"B":1}'), (10_000, b'{"A":1,"B":2}')]


@pytest.mark.parametrize(
    ("select", "key"),
    [("L.ID", "L_ID"), ("R.ID", "R_ID"), ("L.ID AS X", "X")],
)
def test_grouping_key_over_a_join_is_named_as_the_sanitizer_names_a_clashing_column(
    engine: Engine, select: str, key: str
) -> None:
    """AstSanitizer.visitSingleColumn aliases a qualified column whose name is in more than one joined source
    (DataSourceExtractor.isClashingColumnName) <source>_<column> (ColumnNames.generatedJoinColumnAlias); the
    aggregation's key column takes that name (observed on ksqlDB 0.29: `L_ID` INTEGER KEY)."""
    group = select.split(" AS ")[0]
    engine.execute(
        f"CREATE TABLE O AS SELECT {select}, COUNT(*) AS C FROM L JOIN R WITHIN 10 SECONDS ON L.ID = R.ID "
        f"GROUP BY {group};"
    )
    schema = engine.state.metastore.get("O").schema
    assert [c.name for c in schema.key] == [key]
    assert [c.name for c in schema.value] == ["C"]
