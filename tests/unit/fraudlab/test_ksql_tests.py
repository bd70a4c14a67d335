"""The pipeline's `ksql/*.sql` under ksqlDB's test runner (`ksql/tests/*`), and `fraudlab ksql test`."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from fraudlab.cli import main
from fraudlab.pipeline.errors import StageInputError
from fraudlab.pipeline.ksql_testing import find_cases, load_case, render_statements, run_case

REPO = Path(__file__).resolve().parents[3]
KSQL = REPO / "ksql"
CASES = find_cases([KSQL / "tests"])


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_pipeline_case_passes(case) -> None:
    outcome = run_case(case)
    assert outcome.passed, f"{case.name}: exit {outcome.returncode}\n{outcome.stdout}{outcome.stderr}"
    assert outcome.stdout == "\t >>> Test passed!\n"


def test_the_cases_cover_the_pipeline_files() -> None:
    covered = {p.name for c in CASES for p in c.statements}
    numbered = {p.name for p in KSQL.glob("[0-9][0-9]_*.sql")} | {"service_scores.sql"}
    # 04_scoring.sql scores with the trained model bundle: notebook 04 checks it against the scoring service
    assert numbered - covered == {"04_scoring.sql"}
    for case in CASES:
        outputs = json.loads(case.output_file.read_text())["outputs"]
        assert len(outputs) >= 3, f"{case.name}: too few expected records to pin anything down"


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`fraudlab ksql test ARGS` in process: (exit code, stdout, stderr)."""
    try:
        main(["ksql", "test", *args])
        code = 0
    except SystemExit as done:
        code = int(done.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_a_wrong_expectation_fails_with_the_runners_description(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = tmp_path / "03_users"
    shutil.copytree(KSQL / "tests" / "03_users", case)
    spec = json.loads((case / "test.json").read_text())
    spec["statements"] = [str(KSQL / Path(p).name) for p in spec["statements"]]
    (case / "test.json").write_text(json.dumps(spec))
    out_file = case / "output.json"
    out_file.write_text(out_file.read_text().replace('"COUNTRY": "DE", "SEGMENT": "premium"',
                                                     '"COUNTRY": "AT", "SEGMENT": "premium"'))
    code, out, _ = run_cli(capsys, str(case), "--keep", str(tmp_path / "kept"))
    assert code == 1
    assert re.search(r"^03_users +FAILED", out, re.MULTILINE)
    assert "Topic 'fl_test_enriched', message 1: Expected <\"Hans\", {" in out
    assert "COUNTRY=DE" in out and "0 passed, 1 failed" in out
    assert (tmp_path / "kept" / "03_users.sql").is_file() and "rerun: " in out


def test_one_test_from_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    base = KSQL / "tests" / "02_preprocess"
    args = ["-s", str(KSQL / "01_source_streams.sql"), "-s", str(KSQL / "02_preprocess.sql"),
            "-i", str(base / "input.json"), "-o", str(base / "output.json")]
    assert run_cli(capsys, *args, "--run-id", "test") == (0, "\t >>> Test passed!\n", "")
    code, out, err = run_cli(capsys, *args)  # run id demo: the records name no source
    assert (code, out) == (1, "")
    assert err.startswith("\t>>>>> Test failed: io.confluent.ksql.test.TestFrameworkException: Failed to "
                          "determine key type for\ntopic: fl_test_creditcardfraud_source")


def test_usage_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as done:
        main(["ksql", "test", "-s", str(KSQL / "02_preprocess.sql")])
    assert done.value.code == 2 and "needs -s/--sql-file and -o/--output-file" in capsys.readouterr().err
    with pytest.raises(SystemExit) as done:
        main(["ksql", "test", str(tmp_path)])
    assert done.value.code == 1 and "holds no test case" in capsys.readouterr().err


def test_render_substitutes_variables_outside_comments(tmp_path: Path) -> None:
    sql = tmp_path / "a.sql"
    sql.write_text("-- ${name} variables are filled in\nCREATE STREAM ${s} (a INT) WITH (kafka_topic='${t}', "
                   "value_format='JSON'); -- trailing ${x}\nSELECT '$5', 'a--b' FROM x;\n")
    text = render_statements([sql], {"s": "S1", "t": "t1"})
    assert "CREATE STREAM S1 (a INT) WITH (kafka_topic='t1'" in text
    assert "'$5', 'a--b'" in text and "${" not in text
    sql.write_text("CREATE STREAM ${s} AS SELECT * FROM ${missing};")
    with pytest.raises(StageInputError, match=r"no value for \$\{missing\}"):
        render_statements([sql], {"s": "S1"})


def test_a_case_folder_must_be_complete(tmp_path: Path) -> None:
    (tmp_path / "test.json").write_text(json.dumps({"statements": ["nothere.sql"]}))
    with pytest.raises(StageInputError, match="do not exist"):
        load_case(tmp_path)
    (tmp_path / "test.json").write_text(json.dumps({"statements": [str(KSQL / "02_preprocess.sql")]}))
    with pytest.raises(StageInputError, match=r"has no output\.json"):
        load_case(tmp_path)


def test_a_missing_runner_is_named(tmp_path: Path) -> None:
    with pytest.raises(StageInputError, match="no-such-runner"):
        run_case(CASES[0], runner="no-such-runner")
