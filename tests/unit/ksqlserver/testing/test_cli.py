"""The `ksql-test-runner` command line: ksqlDB's options, output lines and exit codes, and its file errors."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ksqlserver.testing.cli import main, parse_args, usage
from ksqlserver.testing.errors import UsageError

SQL = (
    "CREATE STREAM s (id INT KEY, v INT) WITH (kafka_topic='s', value_format='JSON');\n"
    "CREATE STREAM doubled AS SELECT id, v * 2 AS v2 FROM s;\n"
)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "s.sql").write_text(SQL)
    (tmp_path / "in.json").write_text(json.dumps({"inputs": [{"topic": "s", "key": 1, "value": {"v": 21}}]}))
    (tmp_path / "out.json").write_text(
        "// comments are allowed, as in ksqlDB's files\n"
        + json.dumps({"outputs": [{"topic": "DOUBLED", "key": 1, "value": {"V2": 42}}]})
    )
    (tmp_path / "bad.json").write_text(json.dumps({"outputs": [{"topic": "DOUBLED", "key": 1, "value": {"V2": 41}}]}))
    return {p.stem: p for p in tmp_path.iterdir()}


def call(*args: str | Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([str(a) for a in args], out, err)
    return code, out.getvalue(), err.getvalue()


def test_passed(files: dict[str, Path]) -> None:
    assert call("-s", files["s"], "-i", files["in"], "-o", files["out"]) == (0, "\t >>> Test passed!\n", "")
    long_form = ("--sql-file", files["s"], "--input-file", files["in"], f"--output-file={files['out']}")
    assert call(*long_form)[0] == 0


def test_failed(files: dict[str, Path]) -> None:
    code, out, err = call("-s", files["s"], "-i", files["in"], "-o", files["bad"])
    assert (code, out) == (1, "")
    assert err == (
        "\t>>>>> Test failed: Topic 'DOUBLED', message 0: Expected <1, {\"V2\":41}> with timestamp=0 and "
        "headers=[] but was <1, {V2=42}> with timestamp=0 and headers=[]\n"
    )


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ({"nothing": []}, "Cannot construct instance of `io.confluent.ksql.test.model.InputRecordsNode`, "
                          "problem: No 'inputs' field in the input file."),
        ({"inputs": []}, "problem: Inputs cannot be empty."),
        ({"inputs": [{"value": 1}]}, "test must define 'topic' field (through reference chain: "
                                     "io.confluent.ksql.test.model.InputRecordsNode[\"inputs\"]->java.util.ArrayList[0])"),
        ({"inputs": [{"topic": "s", "key": 1}, {"topic": "s"}]}, "test must define 'value' field"),
    ],
)
def test_invalid_input_files(files: dict[str, Path], tmp_path: Path, content: dict, problem: str) -> None:
    bad = tmp_path / "bad_in.json"
    bad.write_text(json.dumps(content))
    code, out, err = call("-s", files["s"], "-i", bad, "-o", files["out"])
    assert code == 1 and out == ""
    assert err.startswith(f"Invalid arguments: File name: {bad} Message: ")
    assert problem in err


def test_missing_files(files: dict[str, Path], tmp_path: Path) -> None:
    gone = tmp_path / "gone.json"
    code, _, err = call("-s", files["s"], "-i", gone, "-o", files["out"])
    assert (code, err) == (1, f"Invalid arguments: File name: {gone} Message: {gone} (No such file or directory)\n")
    code, _, err = call("-s", tmp_path / "gone.sql", "-o", files["out"])
    gone_sql = tmp_path / "gone.sql"
    assert (code, err) == (1, f"Invalid arguments: Could not read the query file: {gone_sql}. Details: {gone_sql}\n")


def test_json_syntax_errors_name_the_file_and_position(files: dict[str, Path], tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{"outputs": [\n  {"topic": "x",, "value": 1}]}')
    code, _, err = call("-s", files["s"], "-o", bad)
    assert code == 1 and f"File name: {bad} Message: " in err and "line: 2, column: 17" in err


def test_usage_errors_print_the_parsers_message_and_exit_zero_as_ksqldb_does(files: dict[str, Path]) -> None:
    hint = "See the -h or --help flags for usage information\n"
    assert call("-s", files["s"]) == (0, "", "Required option '--output-file' is missing\n" + hint)
    assert call() == (0, "", "Required option '--output-file' is missing\n" + hint)
    assert call("-o", files["out"], "-s", files["s"], "extra") == (0, "", "Found unexpected parameters: [extra]\n" + hint)
    code, _, err = call("-o", files["out"], "-o", files["out"], "-s", files["s"])
    assert code == 0
    assert err.startswith("Option --output-file may be specified a maximum of 1 times but was found 2 times")
    assert call("-s")[2].startswith("Required values for option '--sql-file' not provided")


def test_help(files: dict[str, Path]) -> None:
    code, out, err = call("--help")
    assert (code, err) == (0, "") and out == usage()
    assert "ksql-test-runner - The KSQL testing tool" in out
    assert "{--sql-file | -s} <statementsFile>" in out and "[ {--input-file | -i} <inputFile> ]" in out
    assert parse_args(["-h"]) is None
    with pytest.raises(UsageError):
        parse_args(["-h", "-s", "x"])


def test_the_console_script(files: dict[str, Path]) -> None:
    """The installed executable: streams and exit codes as a shell sees them."""
    exe = shutil.which("ksql-test-runner", path=str(Path(sys.executable).parent))
    assert exe is not None, "ksql-test-runner is not installed next to the interpreter"
    ok = subprocess.run([exe, "-s", files["s"], "-i", files["in"], "-o", files["out"]],
                        capture_output=True, text=True, timeout=60)
    assert (ok.returncode, ok.stdout) == (0, "\t >>> Test passed!\n")
    bad = subprocess.run([exe, "-s", files["s"], "-i", files["in"], "-o", files["bad"]],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1 and bad.stderr.startswith("\t>>>>> Test failed: Topic 'DOUBLED', message 0:")
    module = subprocess.run([sys.executable, "-m", "ksqlserver.testing", "-s", files["s"], "-o", files["bad"]],
                            capture_output=True, text=True, timeout=60)
    assert module.returncode == 1 and "Expected <1> records but it was <0>" in module.stderr
