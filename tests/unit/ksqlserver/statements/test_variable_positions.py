"""Variable references checked by where they stand, as ksqlDB 0.29's VariableSubstitutor does before it
substitutes (SqlSubstitutorVisitor over the statement parsed as written): at an identifier
(#variableIdentifier) the value, quotes aside, must match VALID_IDENTIFIER_NAMES; at a literal
(#variableLiteral) it must be a quoted string, true/false or a number (isNumber); an undefined reference is
checked as its own text. The errors are ParseFailedException's unlogged texts at the reference's
NodeLocation ("Line: l, Col: c", the column 1-based)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError, KsqlParseError

IDENTIFIER = "Identifier names cannot start with '@' and may only contain alphanumeric values and '_'."


@pytest.fixture
def engine() -> Iterator[Engine]:
    e = Engine(EngineConfig(service_id="v_", processing_log=False, command_topic=False), MemoryDriver())
    e.execute("CREATE STREAM S1 (ID INT KEY, V STRING) WITH (KAFKA_TOPIC='s1', PARTITIONS=1, VALUE_FORMAT='JSON');")
    yield e
    e.close()


def _error(engine: Engine, sql: str, value: str) -> KsqlError:
    with pytest.raises(KsqlError) as info:
        engine.execute(sql, variables={"v": value})
    return info.value


def test_identifier_position(engine: Engine) -> None:
    """SqlSubstitutorVisitor.throwIfInvalidIdentifier."""
    sql = "SELECT * FROM ${v};"
    e = _error(engine, sql, "s1 WHERE id = 1")
    assert isinstance(e, KsqlParseError)
    assert e.message == f"Illegal argument at Line: 1, Col: 15. {IDENTIFIER} Got: 's1 WHERE id = 1'"
    assert e.statement_text == sql


def test_literal_position(engine: Engine) -> None:
    """SqlSubstitutorVisitor.throwIfInvalidLiteral."""
    e = _error(engine, "INSERT INTO s1 (ID, V) VALUES (1, ${v});", "'a', 3")
    assert e.message == "Illegal argument at Line: 1, Col: 35. Got: ''a', 3'"


@pytest.mark.parametrize(
    ("column", "value"),
    [("V", "'text'"), ("ID", "12"), ("ID", "-1.5e3"), ("ID", "1.25"), ("V", "true"), ("V", "FALSE")],
)
def test_valid_literals_pass_the_check(engine: Engine, column: str, value: str) -> None:
    """Quoted strings, booleans and numbers pass (isNumber: Long.parseLong, Double.parseDouble, BigDecimal);
    what the statement then makes of them is the substituted statement's business."""
    try:
        engine.execute(f"EXPLAIN SELECT * FROM s1 WHERE {column} = ${{v}} EMIT CHANGES;", variables={"v": value})
    except KsqlError as e:
        assert not e.message.startswith("Illegal argument")


@pytest.mark.parametrize("value", ["S1", "`S1`", '"S1"', "s1"])
def test_valid_identifiers_are_substituted(engine: Engine, value: str) -> None:
    [entity] = engine.execute("DESCRIBE ${v};", variables={"v": value})
    assert entity["@type"] == "sourceDescription"


def test_position_is_in_the_whole_request(engine: Engine) -> None:
    e = _error(engine, "SHOW STREAMS;\n  DESCRIBE ${v};", "a b")
    assert e.message.startswith("Illegal argument at Line: 2, Col: 12. ")


def test_references_in_strings_are_not_checked(engine: Engine) -> None:
    """A reference inside a string literal is only looked up (lookupVariables), whatever its value."""
    assert engine.execute("INSERT INTO s1 (ID, V) VALUES (1, 'x ${v}');", variables={"v": "a b; c"}) == []
