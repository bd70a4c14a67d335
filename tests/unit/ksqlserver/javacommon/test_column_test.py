"""ksqlDB 0.29 ColumnTest (ksqldb-common, schema/ksql): Column.toString and Column equality (name, type,
namespace) as INSERT INTO shows them: EngineExecutor refuses a query whose result schema is not
LogicalSchema.compatibleSchema with the sink's (Column.equalsIgnoreType then an implicit cast, column by
column) and prints both schemas with Column.toString.

Not ported: shouldThrowNPE, the accessors (name/type/namespace/index) and shouldToStringWithReservedWords,
whose custom FormatOptions no ksqlDB message uses; the HEADERS / HEADER('abc') forms never reach a result
or sink schema (INSERT INTO a source with header columns is refused first)."""

from __future__ import annotations

import pytest

from .conftest import Exec

SINK = "`SomeName` INTEGER KEY, V INTEGER"


def _insert(ex: Exec, source: str) -> str:
    ex.topic("sink")
    ex.topic("src")
    ex.run(f"CREATE STREAM SINK ({SINK}) WITH (KAFKA_TOPIC='sink', VALUE_FORMAT='JSON');")
    ex.run(f"CREATE STREAM SRC ({source}) WITH (KAFKA_TOPIC='src', VALUE_FORMAT='JSON');")
    return ex.error("INSERT INTO SINK SELECT * FROM SRC;")


def test_should_to_string(ex: Exec) -> None:
    """shouldToString: `SomeName` INTEGER and `SomeName` INTEGER KEY, every name back-quoted."""
    message = _insert(ex, "`SomeName` INTEGER KEY, V INTEGER, `SOMENAME` INTEGER")
    assert message == (
        "Incompatible schema between results and sink.\n"
        "Result schema is `SomeName` INTEGER KEY, `V` INTEGER, `SOMENAME` INTEGER\n"
        "Sink schema is `SomeName` INTEGER KEY, `V` INTEGER"
    )


@pytest.mark.parametrize(
    ("group", "source"),
    [
        ("another name (names are case-sensitive)", "`SOMENAME` INTEGER KEY, V INTEGER"),
        ("another type", "`SomeName` INTEGER KEY, V DOUBLE"),
        ("another namespace", "K INTEGER KEY, `SomeName` INTEGER, V INTEGER"),
    ],
)
def test_should_implement_equals_properly(ex: Exec, group: str, source: str) -> None:
    """shouldImplementEqualsProperly's groups that differ from Column.of(SOME_NAME, INTEGER, ...)."""
    assert _insert(ex, source).startswith("Incompatible schema between results and sink.\n")


def test_equal_columns_insert(ex: Exec) -> None:
    """The first equality group: the same name, type and namespace are compatible."""
    ex.topic("sink")
    ex.topic("src")
    ex.run(f"CREATE STREAM SINK ({SINK}) WITH (KAFKA_TOPIC='sink', VALUE_FORMAT='JSON');")
    ex.run(f"CREATE STREAM SRC ({SINK}) WITH (KAFKA_TOPIC='src', VALUE_FORMAT='JSON');")
    ex.run("INSERT INTO SINK SELECT * FROM SRC;")
