"""The SQL testing tool's executor and asserts, message by message: ksqlDB 0.29's SqlTestExecutor
(executeTest, handleExpectedException, directive), AssertExecutor (assertContent, verifyValues,
throwAssertionError, assertSourceMatch), KsqlTestException's messages and SqlTestLoader.loadTest. The Java
module tests these through its sql-tests files (not used here); each case below follows the Java source."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ksqlserver.errors import KsqlParseError
from ksqlserver.sql.parser import parse
from ksqlserver.testing.sqltests.errors import KsqlTestException, NullPointer
from ksqlserver.testing.sqltests.reader import load_tests

A = "CREATE STREAM a (id INT KEY, col1 INT) WITH (kafka_topic='a', value_format='JSON');\n"
T = "CREATE TABLE a (id INT PRIMARY KEY, col1 INT) WITH (kafka_topic='a', value_format='JSON');\n"
MISSING_FOO = "CREATE STREAM b AS SELECT * FROM foo;\n"
FOO_ERROR = "io.confluent.ksql.util.KsqlStatementException: Exception while preparing statement: FOO does not exist."

Failure = Callable[[str], str | None]


def test_record_mismatch_table(failure: Failure) -> None:
    """AssertExecutor.throwAssertionError: the message, TabularRow's header ('.', ROWTIME, the columns) and
    the rows (label, key values, timestamp, value values), each 80 / columns - 2 wide; KsqlTestException
    names the assert as SqlFormatter prints it, located at the source name."""
    sql = (
        "--@test: t\n" + A + "CREATE STREAM b AS SELECT * FROM a;\n"
        "INSERT INTO a (rowtime, id, col1) VALUES (1, 1, 1);\n"
        "ASSERT VALUES b (rowtime, id, col1) VALUES (1, 1, 0);\n"
    )
    cell = 18
    sep = "+" + ("-" * cell + "+") * 4

    def row(*cells: str) -> str:
        return "|" + "".join(c.ljust(cell) + "|" for c in cells)

    assert failure(sql) == (
        "Test failure for assert `ASSERT VALUES B (ROWTIME, ID, COL1) VALUES (1, 1, 0)` (Line: 5, Col: 15):\n"
        "\tExpected record does not match actual.\n"
        f"{sep}\n{row('.', 'ROWTIME', 'ID', 'COL1')}\n{sep}\n"
        f"{row('EXPECTED', '1', '1', '0')}\n{row('ACTUAL', '1', '1', '1')}\n\n\t"
    )


def test_all_records_read_lists_every_record(failure: Failure) -> None:
    """AssertExecutor.assertContent: no record left is "Expected another record, but all records have
    already been read:" with every record of the topic as ACTUAL rows."""
    sql = (
        "--@test: t\n" + A + "INSERT INTO a (rowtime, id, col1) VALUES (1, 1, 1);\n"
        "INSERT INTO a (rowtime, id, col1) VALUES (2, 2, 2);\n"
        "ASSERT VALUES a (id) VALUES (1);\nASSERT VALUES a (id) VALUES (2);\nASSERT VALUES a (id) VALUES (3);\n"
    )
    message = failure(sql)
    assert message is not None
    lines = message.split("\n")
    assert lines[1] == "\tExpected another record, but all records have already been read:"
    assert [ln.split("|")[1].strip() for ln in lines[5:8]] == ["EXPECTED", "ACTUAL", "ACTUAL"]
    assert [ln.split("|")[3].strip() for ln in lines[6:8]] == ["1", "2"]


def test_only_listed_columns_are_compared(failure: Failure) -> None:
    """AssertExecutor.verifyValues: columns left out of the list are not compared (nor, without ROWTIME,
    the timestamp)."""
    sql = "--@test: t\n" + A + "INSERT INTO a (id, col1) VALUES (1, 7);\nASSERT VALUES a (id) VALUES (1);\n"
    assert failure(sql) is None


def test_tombstones(failure: Failure) -> None:
    """AssertExecutor.verifyValues: ASSERT NULL VALUES matches a null value with the key; a value column
    given is "Unexpected value columns specified in ASSERT NULL VALUES."; a tombstone prints as
    <TOMBSTONE>."""
    table = "--@test: t\n" + T + "CREATE TABLE b AS SELECT * FROM a WHERE col1 > 0;\n"
    # a key whose row passed, then is filtered out: Kafka Streams' table filter forwards the tombstone
    ok = table + (
        "INSERT INTO a (id, col1) VALUES (1, 1);\nINSERT INTO a (id, col1) VALUES (1, 0);\n"
        "ASSERT VALUES b (id, col1) VALUES (1, 1);\nASSERT NULL VALUES b (id) KEY (1);\n"
    )
    assert failure(ok) is None
    extra = table + "INSERT INTO a (id, col1) VALUES (1, 1);\nASSERT NULL VALUES b (id, col1) KEY (1, 2);\n"
    assert failure(extra) == (
        "Test failure for assert `ASSERT NULL VALUES B (ID, COL1) KEY (1, 2)` (Line: 5, Col: 20):\n"
        "\tUnexpected value columns specified in ASSERT NULL VALUES.\n\t"
    )
    wrong = table + (
        "INSERT INTO a (rowtime, id, col1) VALUES (2, 1, 1);\nINSERT INTO a (rowtime, id, col1) VALUES (3, 1, 0);\n"
        "ASSERT VALUES b (id) VALUES (1);\nASSERT VALUES b (id) VALUES (1);\n"
    )
    message = failure(wrong)
    assert message is not None and "|ACTUAL            |1                 |3                 |<TOMBSTONE>" in message


def test_assert_source_mismatch(failure: Failure) -> None:
    """AssertExecutor.SourceProperty.compare: "Expected <property> does not match actual for source <name>."
    with both values; the schema as LogicalSchema.toString prints it."""
    sql = "--@test: t\n" + A + "ASSERT STREAM a (id INT KEY, col1 STRING) WITH (kafka_topic='a', value_format='JSON');\n"
    assert failure(sql) == (
        "Test failure for assert `ASSERT STREAM A (ID INTEGER KEY, COL1 STRING) WITH (KAFKA_TOPIC='a', "
        "VALUE_FORMAT='JSON');` (Line: 3, Col: 1):\n"
        "\tExpected schema does not match actual for source A.\n"
        "\tExpected: `ID` INTEGER KEY, `COL1` STRING\n"
        "\tActual: `ID` INTEGER KEY, `COL1` INTEGER\n\t"
    )
    table = "--@test: t\n" + A + "ASSERT TABLE a (id INT PRIMARY KEY, col1 INT) WITH (kafka_topic='a', value_format='JSON');\n"
    message = failure(table)
    assert message is not None
    assert "\tExpected type does not match actual for source A.\n\tExpected: KTABLE\n\tActual: KSTREAM\n" in message


def test_expected_error_directives(failure: Failure) -> None:
    """SqlTestExecutor.handleExpectedException: the message must contain the expected one, then the
    exception be of the class (Class.isInstance); an error neither expects fails the test."""
    head = "--@test: t\n--@expected.error: io.confluent.ksql.util.KsqlException\n"
    assert failure(head + "--@expected.message: FOO does not exist\n" + MISSING_FOO) is None
    assert failure(head + "--@expected.message: nope\n" + MISSING_FOO) == (
        "Test failure for statement `CREATE STREAM b AS SELECT * FROM foo;` (Line: 4, Col: 1):\n"
        f'\tExpected exception with message "nope" but got {FOO_ERROR}\n\t'
    )
    wrong_class = "--@test: t\n--@expected.error: java.lang.AssertionError\n--@expected.message: FOO\n" + MISSING_FOO
    assert failure(wrong_class) == (
        "Test failure for statement `CREATE STREAM b AS SELECT * FROM foo;` (Line: 4, Col: 1):\n"
        f"\tExpected exception with class class java.lang.AssertionError but got {FOO_ERROR}\n\t"
    )
    assert failure("--@test: t\n" + MISSING_FOO) == (
        "Test failure for statement `CREATE STREAM b AS SELECT * FROM foo;` (Line: 2, Col: 1):\n"
        "\tException while preparing statement: FOO does not exist.\n\t"
    )


def test_expected_error_not_met(failure: Failure) -> None:
    """SqlTestExecutor.executeTest: "Did not get expected exception of type ... with message ...", named
    after the test's last statement."""
    sql = "--@test: t\n--@expected.error: java.lang.AssertionError\n--@expected.message: x\n" + A
    assert failure(sql) == (
        f"Test failure for statement `{A.strip()}` (Line: 4, Col: 1):\n"
        "\tDid not get expected exception of type java.lang.AssertionError with message x\n\t"
    )


def test_unknown_expected_error_class(failure: Failure) -> None:
    """SqlTestExecutor.directive: a class Class.forName cannot load is "Failed to handle directive ...",
    reported on the directive."""
    sql = "--@test: t\n--@expected.error: foo.Bar\n" + A
    assert failure(sql) == (
        "Test failure during directive evaluation `--@expected.error: foo.Bar` (Line: 2, Col: 1):\n"
        "\tFailed to handle directive --@expected.error: foo.Bar"
    )


def test_a_message_without_a_class_dereferences_null(failure: Failure) -> None:
    """SqlTestExecutor.handleExpectedException calls expectedException.isInstance with no class given: a
    NullPointerException, whose message is null."""
    assert failure("--@test: t\n--@expected.message: FOO\n" + MISSING_FOO) == "null"


def test_unsupported_statement(failure: Failure) -> None:
    """Only the statements test-an-app.md lists run: DESCRIBE is "Statement not executable"."""
    message = failure("--@test: t\n" + A + "DESCRIBE a;\n")
    assert message == "Test failure for statement `DESCRIBE a;` (Line: 3, Col: 1):\n\tStatement not executable\n\t"


def test_values_print_as_java_objects(failure: Failure) -> None:
    """AssertExecutor.fromGenericRow: Objects.toString of each value (a DECIMAL with its scale, a MAP as
    {k=v})."""
    sql = (
        "--@test: t\nCREATE STREAM s (id STRING KEY, d DECIMAL(4,2), m MAP<STRING, INT>) "
        "WITH (kafka_topic='s', value_format='JSON');\n"
        "INSERT INTO s (rowtime, id, d, m) VALUES (1, 'k', 1.5, MAP('a':=1));\n"
        "ASSERT VALUES s (rowtime, id, d, m) VALUES (1, 'k', 1.50, MAP('a':=2));\n"
    )
    message = failure(sql)
    assert message is not None
    assert "|EXPECTED      |k             |1             |1.50          |{a=2}         |" in message
    assert "|ACTUAL        |k             |1             |1.50          |{a=1}         |" in message


def test_a_file_must_start_with_a_test() -> None:
    """SqlTestLoader.loadTest: a statement before any `--@test:` (ksqlDB's typo kept)."""
    with pytest.raises(KsqlTestException) as e:
        load_tests(A)
    assert str(e.value) == f"Test failure for statement `{A.strip()}` (Line: 1, Col: 1):\n\tExepcted test to start with --@test.\n\t"


def test_tests_are_cut_at_each_test_directive() -> None:
    """SqlTestLoader.loadTest: each test from its `--@test:` (its first statement) to the next."""
    tests = load_tests("--@test: one\n" + A + "--@test: two\n--@foo: x\n" + A + A)
    assert [(t.name, len(t.statements)) for t in tests] == [("one", 2), ("two", 4)]


@pytest.mark.parametrize(
    "sql",
    [
        "ASSERT VALUES foo (a) VALUES (1);",
        "ASSERT NULL VALUES foo (a) KEY (1);",
        "ASSERT STREAM foo (a INT) WITH (kafka_topic='x');",
        "ASSERT TABLE foo;",
    ],
)
def test_asserts_are_refused_outside_the_testing_tool(sql: str) -> None:
    """SqlBase.g4: assertStatement is reachable only from testStatement, so /ksql's `statements` rule meets
    ASSERT followed by neither TOPIC nor SCHEMA: ANTLR's prediction of the statement fails there (no viable
    alternative), which SyntaxErrorValidator words "Syntax error at or near" (ANTLR 4.9.2 on the 0.29
    grammar says exactly this; it was "Expecting {'TOPIC', 'SCHEMA'}" before the parser was checked
    against it)."""
    with pytest.raises(KsqlParseError) as e:
        parse(sql)
    word = sql.split()[1]
    assert e.value.message == f"line 1:8: Syntax Error\nSyntax error at or near '{word}' at line 1:8"


def test_insert_values_go_through_the_record_factory(failure: Failure) -> None:
    """SqlTestExecutor.pipeInput: an unknown source is "Unknown data source `X`" (SourceName.toString
    escapes); GenericRecordFactory's problems read without InsertValuesExecutor's prefix."""
    assert failure("--@test: t\nINSERT INTO nope (id) VALUES (1);\n") == (
        "Test failure for statement `INSERT INTO `NOPE` (`ID`) VALUES ('[value]');` (Line: 2, Col: 1):\n"
        "\tUnknown data source `NOPE`\n\t"
    )
    message = failure("--@test: t\n" + A + "INSERT INTO a (id, col1) VALUES (1, 'x');\n")
    assert message is not None
    assert message.split("\n")[1] == "\tExpected type INTEGER for field `COL1` but got STRING(x)"


def test_an_empty_file_does_not_load() -> None:
    """SqlTestLoader.loadTest: with no statement at all it copies a null list (NullPointerException)."""
    with pytest.raises(NullPointer):
        load_tests("-- nothing here\n")
