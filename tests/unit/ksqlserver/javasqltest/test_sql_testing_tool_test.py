"""Port of ksqlDB 0.29 `io.confluent.ksql.tools.test.SqlTestingToolTest` (ksqldb-testing-tool): the
command line over a folder of test files (shouldRunTests; ours, in sqltests/, since ksqlDB's own test
resources stay out of the project under their licence) and a bad command line
(shouldThrowOnInvalidArguments), plus SqlTestOptions' help and a failing test's report."""

from __future__ import annotations

import io
from pathlib import Path

from ksqlserver.testing.sqltests.cli import main

TESTS_FOLDER = Path(__file__).parent / "sqltests"


def _run(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(args, out, err)
    return code, out.getvalue(), err.getvalue()


def test_should_run_tests(tmp_path: Path) -> None:
    """shouldRunTests: every test of the folder's files passes (errors.sql's through their expected
    errors); exit code 0."""
    code, out, err = _run(["-td", str(TESTS_FOLDER), "-tf", str(tmp_path)])
    assert err == ""
    assert out.splitlines() == ["\t >>> Test passed!"] * 7
    assert code == 0


def test_should_throw_on_invalid_arguments() -> None:
    """shouldThrowOnInvalidArguments: TestOptionsParser prints the parser's message and the hint; 1."""
    code, _, err = _run(["-abc"])
    assert code == 1
    assert err.splitlines() == ["Found unexpected parameters: [-abc]", "See the -h or --help flags for usage information"]


def test_missing_option_and_help() -> None:
    """SqlTestOptions: both options are @Required; `--help` prints airline's help for `sql-test-runner`."""
    code, _, err = _run(["-td", "x"])
    assert code == 1 and err.splitlines()[0] == "Required option '--temp-folder' is missing"
    code, out, _ = _run(["--help"])
    assert code == 1
    assert out.splitlines()[:6] == [
        "NAME",
        "        sql-test-runner - The KSQL SQL testing tool",
        "",
        "SYNOPSIS",
        "        sql-test-runner {--temp-folder | -tf} <tempFolder>",
        "                {--test-directory | -td} <testDirectory>",
    ]


def test_failing_test_is_reported_with_its_file_location(tmp_path: Path) -> None:
    """SqlTestingTool.executeTest: `\\t>>>>> Test failed: ` and KsqlTestException's message, whose file
    location ksqlDB passes as a format argument (so `%n\\t` stays as written); exit code 1 (test-an-app.md)."""
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "t.sql").write_text(
        "--@test: fails\n"
        "CREATE STREAM a (id INT KEY, col1 INT) WITH (kafka_topic='a', value_format='JSON');\n"
        "ASSERT VALUES a (id, col1) VALUES (1, 1);\n"
    )
    temp = tmp_path / "temp"
    temp.mkdir()
    code, out, err = _run(["--test-directory", str(tests), "--temp-folder", str(temp)])
    assert code == 1 and out == ""
    assert err.startswith(
        "\t>>>>> Test failed: Test failure for assert `ASSERT VALUES A (ID, COL1) VALUES (1, 1)` (Line: 3, Col: 15):\n"
        "\tExpected another record, but all records have already been read:\n"
    )
    assert err.endswith(f"\n\t%n\tfile://{tests / 't.sql'}:3\n")
