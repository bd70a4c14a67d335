"""Statements printed as ksqlDB's SqlFormatter.formatSql prints the sanitised AST (AstSanitizer), and the
"Statement: ..." ksqlDB appends to an error met while building a query's serdes (KsqlEngine.execute wraps
it with the plan's statement text)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ksqlserver.analyze.sanitize import sanitize_query
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig
from ksqlserver.errors import KsqlError
from ksqlserver.sql import ast, formatter
from ksqlserver.sql.parser import parse

WRAPPED = "Could not determine output schema for query due to error: "


@pytest.fixture
def engine() -> Iterator[Engine]:
    d = MemoryDriver()
    for t in ("t", "u"):
        d.create_topic(t, partitions=1)
    e = Engine(EngineConfig(service_id="x_", synchronous=True), d)
    e.execute("CREATE STREAM TEST (ID INT KEY, F1 INT, F2 DECIMAL(2, 1), S STRUCT<A INT>) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');")
    e.execute("CREATE TABLE U (ID INT PRIMARY KEY, F1 INT, `lower` STRING) WITH (KAFKA_TOPIC='u', VALUE_FORMAT='JSON');")
    yield e
    e.close()


def fmt(engine: Engine, text: str) -> str:
    [st] = parse(text)
    assert isinstance(st, ast.CreateAsSelect)
    q = sanitize_query(st.query, engine.state.metastore)
    assert q is not None
    return formatter.statement(ast.CreateAsSelect(st.kind, st.name, q, st.properties))


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (  # one item stays on the SELECT line; expressions get KSQL_COL_n, struct fields their name
            "CREATE STREAM O AS SELECT f1 FROM test;",
            "CREATE STREAM O AS SELECT TEST.F1 F1\nFROM TEST TEST\nEMIT CHANGES",
        ),
        (
            "CREATE TABLE O WITH (partitions=2, kafka_topic='x') AS SELECT f1, f1 + 1, s->a, COUNT(*) AS c "
            "FROM test t WINDOW HOPPING (SIZE 30 SECOND, ADVANCE BY 10 SECONDS, GRACE PERIOD 1 MINUTE) "
            "WHERE f2 > 1.5 GROUP BY f1 HAVING COUNT(*) > 1 EMIT CHANGES;",
            "CREATE TABLE O WITH (KAFKA_TOPIC='x', PARTITIONS=2) AS SELECT\n  T.F1 F1,\n  (T.F1 + 1) KSQL_COL_0,\n"
            "  T.S->A A,\n  COUNT(*) C\nFROM TEST T\n"
            "WINDOW HOPPING ( SIZE 30 SECONDS , ADVANCE BY 10 SECONDS , GRACE PERIOD 1 MINUTES ) \n"
            "WHERE (T.F2 > 1.5)\nGROUP BY T.F1\nHAVING (COUNT(*) > 1)\nEMIT CHANGES",
        ),
        (  # names that need quotes are quoted; a clashing join column is named SOURCE_COLUMN; ON wraps the
            # criteria's own parentheses in another pair
            "CREATE STREAM O AS SELECT test.id, u.id, `lower` FROM test JOIN u ON test.id = u.id;",
            "CREATE STREAM O AS SELECT\n  TEST.ID TEST_ID,\n  U.ID U_ID,\n  U.`lower` `lower`\nFROM TEST TEST\n"
            "INNER JOIN U U ON ((TEST.ID = U.ID))\nEMIT CHANGES",
        ),
    ],
)
def test_format_sanitised_statement(engine: Engine, text: str, want: str) -> None:
    assert fmt(engine, text) == want


@pytest.mark.parametrize(
    ("name", "quoted"), [("ABC", False), ("abc", True), ("SELECT", True), ("SIZE", True), ("KEY", False), ("1AB", False), ("A-B", True)]
)
def test_needs_quotes(name: str, quoted: bool) -> None:
    assert formatter.needs_quotes(name) is quoted


def test_serde_errors_append_the_formatted_statement(engine: Engine) -> None:
    with pytest.raises(KsqlError) as info:
        engine.execute("CREATE TABLE O AS SELECT f1, id, COUNT(*) FROM test GROUP BY f1, id;")
    err = info.value
    assert err.message.endswith("Got: [`F1` INTEGER KEY, `ID` INTEGER KEY]")  # the REST message: raw
    # the plan's statement: the one the injectors re-formatted (TopicCreateInjector: the sink topic's
    # properties, a closing ';')
    assert err.unlogged_message == err.message + (
        "\nStatement: CREATE TABLE O WITH (CLEANUP_POLICY='compact', KAFKA_TOPIC='O', PARTITIONS=1, REPLICAS=1, "
        "RETENTION_MS=604800000) AS SELECT\n  TEST.F1 F1,\n  TEST.ID ID,\n  COUNT(*) KSQL_COL_0\n"
        "FROM TEST TEST\nGROUP BY TEST.F1, TEST.ID\nEMIT CHANGES;"
    )
    # RequestValidator executes the plan through SandboxedExecutionContext.execute, which does not wrap the
    # serde's KsqlException: KsqlResource answers a bad request (observed on ksqlDB 0.29 built from source)
    assert err.to_entity() == {"@type": "generic_error", "error_code": 40000, "message": err.message}


def test_source_statements_append_nothing(engine: Engine) -> None:
    with pytest.raises(KsqlError) as info:
        engine.execute("CREATE STREAM TEST (ID INT KEY) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');")
    assert info.value.unlogged_message == info.value.message


@pytest.mark.parametrize(
    ("query", "message", "statements"),
    [
        (  # FilterTypeValidator wraps ExpressionTypeManager's error, which names the comparison
            "CREATE STREAM O AS SELECT * FROM TEST WHERE F1 >= 'x' AND ID = 1;",
            "Error in WHERE expression: Cannot compare F1 (INTEGER) to 'x' (STRING) with GREATER_THAN_OR_EQUAL.",
            ["(F1 >= 'x')", "((F1 >= 'x') AND (ID = 1))"],
        ),
        (
            "CREATE STREAM O AS SELECT * FROM TEST WHERE (true + 1.5) > 1;",
            "Error in WHERE expression: Error processing expression: (true + 1.5). Unsupported arithmetic types. "
            "BOOLEAN DECIMAL",
            ["(true + 1.5)", "((true + 1.5) > 1)"],
        ),
        (
            "CREATE STREAM O AS SELECT * FROM TEST WHERE 'nb';",
            "Type error in WHERE expression: Should evaluate to boolean but is 'nb' (STRING) instead.",
            ["'nb'"],
        ),
        (  # the WHERE of an aggregation is checked the same way, over the source's columns
            "CREATE TABLE O AS SELECT F1, COUNT(*) FROM TEST WHERE F1 >= 'x' GROUP BY F1;",
            "Error in WHERE expression: Cannot compare F1 (INTEGER) to 'x' (STRING) with GREATER_THAN_OR_EQUAL.",
            ["(F1 >= 'x')", "(F1 >= 'x')"],
        ),
        (
            "CREATE TABLE O AS SELECT F1, COUNT(*) FROM TEST WINDOW TUMBLING (SIZE 1 SECOND) WHERE WINDOWSTART > 1 "
            "GROUP BY F1;",
            "Error in WHERE expression: Unknown column WINDOWSTART.",
            ["(WINDOWSTART > 1)"],
        ),
        (
            "CREATE TABLE O AS SELECT F1, COUNT(*) FROM TEST GROUP BY F1 HAVING COUNT(*) > 'x';",
            "Error in HAVING expression: Cannot compare COUNT(*) (BIGINT) to 'x' (STRING) with GREATER_THAN.",
            ["(COUNT(*) > 'x')", "(COUNT(*) > 'x')"],
        ),
        (
            "CREATE STREAM O AS SELECT * FROM TEST JOIN U ON TEST.ID = U.ID WHERE TEST.F1 > U.`lower`;",
            "Error in WHERE expression: Cannot compare TEST_F1 (INTEGER) to U_lower (STRING) with GREATER_THAN.",
            ["(TEST_F1 > U_lower)", "(TEST_F1 > U_lower)"],
        ),
    ],
)
def test_filter_errors_name_the_failing_expression_then_the_filter(
    engine: Engine, query: str, message: str, statements: list[str]
) -> None:
    with pytest.raises(KsqlError) as info:
        engine.execute(query)
    # planned first in SchemaRegisterInjector's sandbox, which wraps the error and names the whole statement;
    # the REST API returns the wrapper's raw unlogged details (KsqlResource: getRawUnloggedDetails()): the
    # prefix and FilterTypeValidator's detailed message, which names the comparison, then the filter
    details = WRAPPED + message + "".join(f"\nStatement: {s}" for s in statements)
    assert info.value.message == details
    assert info.value.unlogged_message.startswith(details + "\nStatement: CREATE ")
    assert info.value.statement_text.startswith("CREATE ") and info.value.statement_text.endswith("EMIT CHANGES;")


def test_invalid_result_type_appends_the_formatted_statement(engine: Engine) -> None:
    # EngineExecutor.validateResultType names the statement; SchemaRegisterInjector's sandbox wraps that
    with pytest.raises(KsqlError) as info:
        engine.execute("CREATE STREAM O AS SELECT f1, COUNT(*) FROM test GROUP BY f1;")
    # the statement as TopicCreateInjector re-formatted it: the sink topic's properties, a closing ';'
    formatted = (
        "CREATE STREAM O WITH (CLEANUP_POLICY='delete', KAFKA_TOPIC='O', PARTITIONS=1, REPLICAS=1, "
        "RETENTION_MS=604800000) AS SELECT\n  TEST.F1 F1,\n  COUNT(*) KSQL_COL_0\nFROM TEST TEST\n"
        "GROUP BY TEST.F1\nEMIT CHANGES;"
    )
    message = (
        "Invalid result type. Your SELECT query produces a TABLE. Please use CREATE TABLE AS SELECT statement "
        "instead."
    )
    # the REST API's message is the wrapper's raw unlogged details, validateResultType's statement included
    assert info.value.message == f"{WRAPPED}{message}\nStatement: {formatted}"
    assert info.value.statement_text == formatted
    assert info.value.unlogged_message == f"{WRAPPED}{message}\nStatement: {formatted}\nStatement: {formatted}"
    assert info.value.logged_message == WRAPPED + message


def test_planning_errors_are_wrapped_by_the_sandbox_planning(engine: Engine) -> None:
    with pytest.raises(KsqlError) as info:
        engine.execute("CREATE TABLE O AS SELECT f1, COUNT(*) FROM test GROUP BY f2;")
    formatted = (
        "CREATE TABLE O WITH (CLEANUP_POLICY='compact', KAFKA_TOPIC='O', PARTITIONS=1, REPLICAS=1, "
        "RETENTION_MS=604800000) AS SELECT\n"
        "  TEST.F1 F1,\n  COUNT(*) KSQL_COL_0\nFROM TEST TEST\nGROUP BY TEST.F2\nEMIT CHANGES;"
    )
    assert info.value.message.startswith(WRAPPED)
    assert info.value.unlogged_message == f"{info.value.message}\nStatement: {formatted}"
    assert info.value.statement_text == formatted
