"""The tutorials runner's pieces on small synthetic inputs (no kafka-tutorials checkout needed).

The CLI's text follows ksqlDB 0.29's ksqldb-cli: `TabularRow` (cells of the configured width, wrapped
with WRAP on), `Table.print` (a separator as wide as the console, 0 without a terminal), `Cli`'s
messages, and `JLineTerminal`'s spool ("\\nksql> LINE\\n" before each line's output).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ksqlserver.conformance.cli_session import (
    CliSession,
    console_producer,
    entity_lines,
    input_lines,
    read_back,
    spool_outputs,
)
from ksqlserver.conformance.tutorials import (
    FAIL,
    NA,
    PASS,
    Harness,
    Run,
    _copies,
    _expand,
    _variables,
    check_lines,
    new_engine,
    run_checks,
)
from ksqlserver.console.tabular import Table, cell, tabular_row
from ksqlserver.errors import KsqlError


def test_tabular_rows_wrap_and_frame_the_header() -> None:
    assert tabular_row(["ID", "NAME"], 6, header=True) == (
        "+------+------+\n|ID    |NAME  |\n+------+------+"
    )
    assert tabular_row(["1", "abcdefgh"], 6) == "|1     |abcdef|\n|      |gh    |"
    assert tabular_row(["1", "abcdefgh"], 6, wrap=False) == "|1     |abc...|"
    assert tabular_row(["x"], 0) == "|x    |"  # no width, no console: MIN_CELL_WIDTH


def test_cells_as_the_cli_reads_the_json_back() -> None:
    assert cell(read_back(None)) == "null"
    assert cell(read_back(True)) == "true"
    assert cell(read_back(50044568.89)) == "50044568.89"  # BigDecimal of Double.toString's 5.004456889E7
    assert cell(read_back(1e10)) == "1.0E+10"
    assert cell(read_back(Decimal("10.50"))) == "10.50"
    assert cell(read_back({"LAT": 1.5, "L": [1, "a"]})) == "{LAT=1.5, L=[1, a]}"


def test_table_and_entity_lines() -> None:
    status = {"@type": "currentStatus", "commandStatus": {"message": "Stream created\nmore"}, "warnings": []}
    assert entity_lines(status, False) == ["", " Message        ", "", " Stream created ", ""]
    assert Table(["A", "Bb"], [["xyz", "1"]]).lines(100) == [" A   | Bb ", "----------", " xyz | 1  ", "----------"]


def test_spool_outputs_cut_as_the_harness_cuts() -> None:
    outs = spool_outputs([("SELECT 1\n  FROM X;", "row\nQuery terminated\n"), ("-- note", ""), ("INSERT;", "")])
    assert outs == ["row\nQuery terminated\n\n", "", ""]


def test_input_lines_join_until_a_statement_ends() -> None:
    text = "CREATE STREAM S (A INT)\n  WITH (X='a;b');\n\n-- c\nSET 'p' = 'v';SELECT 1 FROM S;\nPRINT 'x\n;y';\n"
    assert list(input_lines(text)) == [
        "CREATE STREAM S (A INT)\n  WITH (X='a;b');",
        "-- c",
        "SET 'p' = 'v';SELECT 1 FROM S;",
        "PRINT 'x\n;y';",
    ]


def test_a_session_runs_statements_as_the_cli() -> None:
    engine, driver = new_engine({"ksql.streams.auto.offset.reset": "earliest"})
    try:
        s = CliSession(engine, 8)
        outs = s.run_file(
            "CREATE STREAM S (ID INT KEY, N STRING) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);\n"
            "INSERT INTO S (ID, N) VALUES (1, 'one');\n"
            "SET 'auto.offset.reset' = 'earliest';\n"
            "SELECT * FROM S EMIT CHANGES LIMIT 1;\n"
            "PRINT 's' FROM BEGINNING LIMIT 1;\n"
            "SELECT * FROM NOPE EMIT CHANGES;\n"
        )
        assert outs[0].startswith("Message") and "Stream created" in outs[0]
        assert outs[1] == ""
        assert outs[2].startswith("Successfully changed local property 'auto.offset.reset' to 'earliest'.")
        assert outs[3] == (
            "+--------+--------+\n|ID      |N       |\n+--------+--------+\n|1       |one     |\n"
            "Limit Reached\nQuery terminated\n\n"
        )
        assert outs[4].splitlines()[:2] == ["Key format: KAFKA_INT or KAFKA_STRING", "Value format: JSON or KAFKA_STRING"]
        assert outs[4].endswith(", key: 1, value: {\"N\":\"one\"}, partition: 0\nTopic printing ceased\n\n")
        assert "NOPE does not exist" in outs[5]
        assert console_producer(driver, "kafka-console-producer --topic raw", '{"a": 1}\n\n{"a": 2}\n') is None
        assert [r.value for r in driver.records("raw")] == [b'{"a": 1}', b'{"a": 2}']
        assert console_producer(driver, "kafka-avro-console-producer --topic raw", "") is not None
    finally:
        engine.close()


MAKEFILE = """STEPS_DIR := tutorial-steps
DEV_OUTPUTS_DIR := $(STEPS_DIR)/dev/outputs

tutorial:
\trm -r $(DEV_OUTPUTS_DIR) || true
\tcp a/b.sql $(STEPS_DIR)/x.sql
\tharness-runner ../h.yml $(TEMP_DIR)
\tdiff --strip-trailing-cr $(STEPS_DIR)/dev/expected.log $(DEV_OUTPUTS_DIR)/q/output-0.log
\tbash -c "diff <(sort $(STEPS_DIR)/dev/expected.log) <(sort $(DEV_OUTPUTS_DIR)/q/output-0.log)"
\tgrep needle $(DEV_OUTPUTS_DIR)/r.log
\tdiff $(STEPS_DIR)/test/expected-results.log $(STEPS_DIR)/test/outputs/test-results.log
\t# diff in a comment
"""


def test_makefile_checks_expand_and_run(tmp_path: Path) -> None:
    lines = check_lines(MAKEFILE)
    assert len(lines) == 3  # not the comment, not the test runner's results
    assert _expand(lines[0], _variables(MAKEFILE)).endswith("tutorial-steps/dev/outputs/q/output-0.log")
    assert _copies(MAKEFILE) == {"tutorial-steps/x.sql": "a/b.sql"}
    code = tmp_path / "code"
    (code / "tutorial-steps" / "dev").mkdir(parents=True)
    (code / "Makefile").write_text(MAKEFILE)
    (code / "tutorial-steps" / "dev" / "expected.log").write_text("b\na\n")
    run = Run(outputs={"tutorial-steps/dev/outputs/q/output-0.log": "a\nb\n"})
    run.foreign["tutorial-steps/dev/outputs/r.log"] = "tutorial-steps/dev/r.sh"
    checks = run_checks(Harness("t", "ksql", code / "h.yml", code), run, tmp_path / "scratch")
    assert [c.status for c in checks] == [FAIL, PASS, NA]
    assert "r.sh" in checks[2].reason


def test_an_error_response_prints_its_whole_message_a_failed_command_its_first_line() -> None:
    """Console.printErrorMessage prints an error response's whole message (JLineTerminal.printError of
    KsqlErrorMessage.getMessage); Cli.printKsqlResponse prints only the first line of a CommandStatusEntity
    whose status is ERROR (`fullMessage.split("\\n")[0]`, the full one to the log)."""
    engine, _ = new_engine({})
    try:
        s = CliSession(engine, 8)

        def refuse(sql: str, *args: object) -> list[dict[str, object]]:
            raise KsqlError("Could not write the statement.\nCaused by: the cause", sql)

        engine.execute = refuse  # type: ignore[method-assign]
        assert s.handle("DROP STREAM X;") == "\x1b[31mCould not write the statement.\nCaused by: the cause\x1b[0m\n"

        def failed(sql: str, *args: object) -> list[dict[str, object]]:
            status = {"status": "ERROR", "message": "Could not write the statement.\nCaused by: the cause"}
            return [{"@type": "currentStatus", "commandStatus": status}]

        engine.execute = failed  # type: ignore[method-assign]
        assert s.handle("DROP STREAM X;") == "\x1b[31mCould not write the statement.\x1b[0m\n"
    finally:
        engine.close()
