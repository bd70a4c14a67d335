"""`fraudlab ksql test`: the pipeline's `ksql/*.sql` files tested with ksqlDB's `ksql-test-runner`.

The runner is a separate program (`ksql-test-runner`, installed with the embedded engine, or Confluent's
own): fraudlab talks to KSQL only through its public interfaces and must work where the engine is not
installed, so it never imports `ksqlserver`. What fraudlab adds is what the `.sql` files need before any
runner can read them: their `${name}` variables substituted (the run's topic and stream names, as
`fraudlab ksql apply` does), several files joined into the one statements file the runner takes.

A test case is a folder (under `ksql/tests/`) holding ksqlDB's `input.json` and `output.json` and a
`test.json` naming the statement files, relative to the folder, and the variables:

    {"description": "...", "statements": ["../../01_source_streams.sql", "../../02_preprocess.sql"],
     "run_id": "test", "variables": {"ksql_scored_stream": "FL_TEST_SERVICE_SCORES"}}
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fraudlab.pipeline.errors import StageInputError

MANIFEST = "test.json"
RUNNER = "ksql-test-runner"
PASSED_LINE = ">>> Test passed!"
# ksqlDB's variable reference: only the braced form is one ("$name" and a lone "$" stay text)
_VARIABLE = re.compile(r"\$\{([^}]*)\}")


@dataclass(frozen=True)
class KsqlTestCase:
    """One test: statement files run in order, ksqlDB's input and expected output records."""

    name: str
    statements: tuple[Path, ...]
    output_file: Path
    input_file: Path | None = None
    run_id: str = "demo"
    variables: Mapping[str, str] = field(default_factory=dict)
    extension_dir: Path | None = None
    description: str = ""


@dataclass(frozen=True)
class KsqlTestOutcome:
    """What the runner said about one case: its exit code and output, and the command to reproduce it."""

    case: KsqlTestCase
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    command: tuple[str, ...]

    @property
    def passed(self) -> bool:
        # the exit code alone is not enough: ksqlDB's tool exits 0 after a usage error
        return self.returncode == 0 and PASSED_LINE in self.stdout


def load_case(directory: Path) -> KsqlTestCase:
    """The case in `directory` (its `test.json`, `input.json` and `output.json`)."""
    manifest = directory / MANIFEST
    try:
        spec = json.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StageInputError("ksql test case", str(directory), f"has no {MANIFEST}") from None
    except json.JSONDecodeError as e:
        raise StageInputError("ksql test case", str(manifest), f"is not JSON: {e}") from None
    files = spec.get("statements")
    if not isinstance(files, list) or not files or not all(isinstance(f, str) for f in files):
        raise StageInputError("ksql test case", str(manifest), "needs \"statements\": a list of .sql files")
    statements = tuple((directory / f).resolve() for f in files)
    missing = [str(p) for p in statements if not p.is_file()]
    if missing:
        raise StageInputError("ksql test case", str(manifest), f"names statement files that do not exist: {missing}")
    output = directory / "output.json"
    if not output.is_file():
        raise StageInputError("ksql test case", str(directory), "has no output.json")
    inputs = directory / "input.json"
    ext = spec.get("extension_dir")
    return KsqlTestCase(
        name=directory.name,
        statements=statements,
        output_file=output,
        input_file=inputs if inputs.is_file() else None,
        run_id=str(spec.get("run_id", "demo")),
        variables={str(k): str(v) for k, v in (spec.get("variables") or {}).items()},
        extension_dir=None if ext is None else (directory / ext).resolve(),
        description=str(spec.get("description", "")),
    )


def find_cases(paths: Sequence[Path]) -> list[KsqlTestCase]:
    """Every case under `paths`: a case folder itself, or a folder of case folders (sorted by name)."""
    cases = []
    for path in paths:
        if (path / MANIFEST).is_file():
            cases.append(load_case(path))
        elif path.is_dir():
            found = sorted(p for p in path.iterdir() if (p / MANIFEST).is_file())
            if not found:
                raise StageInputError("ksql tests", str(path), f"holds no test case (a folder with {MANIFEST})")
            cases += [load_case(p) for p in found]
        else:
            raise StageInputError("ksql tests", str(path), "is not a folder")
    return cases


def strip_line_comments(sql: str) -> str:
    """`--` comments out (outside quotes), so text such as "${name} variables" in a comment is left alone."""
    out, quote, i = [], "", 0
    while i < len(sql):
        ch = sql[i]
        if quote:
            out.append(ch)
            if ch == quote:
                quote = ""
        elif ch in "'`\"":
            quote = ch
            out.append(ch)
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            i = len(sql) if end < 0 else end
            continue
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def render_statements(files: Sequence[Path], variables: Mapping[str, str]) -> str:
    """The files' statements in order, `${name}` substituted; an unknown name is an error naming it."""
    parts = []
    for path in files:
        text = strip_line_comments(path.read_text(encoding="utf-8"))
        missing = sorted({m for m in _VARIABLE.findall(text) if m not in variables})
        if missing:
            names = ", ".join(f"${{{m}}}" for m in missing)
            raise StageInputError("ksql statements", str(path), f"no value for {names} (give it with --var NAME=VALUE)")
        parts.append(_VARIABLE.sub(lambda m: variables[m.group(1)], text).strip())
    return "\n\n".join(p for p in parts if p) + "\n"


def case_variables(case: KsqlTestCase, overrides: Mapping[str, str]) -> dict[str, str]:
    """The run's names (`fraudlab ksql apply`'s variables), then the case's own, then `overrides`."""
    from fraudlab.ksql import PipelineNames

    return {**PipelineNames.for_run(case.run_id).variables(), **case.variables, **overrides}


def default_runner() -> list[str]:
    """The `ksql-test-runner` beside this interpreter (the venv's), else the one on PATH."""
    local = Path(sys.executable).parent / RUNNER
    if local.is_file():
        return [str(local)]
    found = shutil.which(RUNNER)
    if found is None:
        raise StageInputError("ksql-test-runner", RUNNER, "is not installed (install fraudlab, or give --runner)")
    return [found]


def run_case(
    case: KsqlTestCase,
    runner: Sequence[str] | str | None = None,
    overrides: Mapping[str, str] | None = None,
    work_dir: Path | None = None,
    timeout_s: float = 300.0,
) -> KsqlTestOutcome:
    """Render the case's statements into `work_dir` (a temporary folder when None) and run the runner."""
    command = shlex.split(runner) if isinstance(runner, str) else list(runner or default_runner())
    sql = render_statements(case.statements, case_variables(case, overrides or {}))
    with tempfile.TemporaryDirectory(prefix="ksql-test-") as tmp:
        folder = Path(tmp) if work_dir is None else work_dir
        folder.mkdir(parents=True, exist_ok=True)
        statements = folder / f"{case.name}.sql"
        statements.write_text(sql, encoding="utf-8")
        args = [*command, "-s", str(statements)]
        if case.input_file is not None:
            args += ["-i", str(case.input_file)]
        args += ["-o", str(case.output_file)]
        if case.extension_dir is not None:
            args += ["-e", str(case.extension_dir)]
        started = time.perf_counter()
        try:
            done = subprocess.run(args, capture_output=True, text=True, timeout=timeout_s, check=False)
        except FileNotFoundError:
            raise StageInputError("ksql-test-runner", command[0], "cannot be run (not found)") from None
        except subprocess.TimeoutExpired:
            return KsqlTestOutcome(case, -1, "", f"timed out after {timeout_s:.0f} s", timeout_s, tuple(args))
        return KsqlTestOutcome(
            case, done.returncode, done.stdout, done.stderr, time.perf_counter() - started, tuple(args)
        )


def run_cases(
    cases: Sequence[KsqlTestCase],
    runner: Sequence[str] | str | None = None,
    overrides: Mapping[str, str] | None = None,
    work_dir: Path | None = None,
    on_outcome: Callable[[KsqlTestOutcome], None] | None = None,
) -> list[KsqlTestOutcome]:
    outcomes = []
    for case in cases:
        outcome = run_case(case, runner, overrides, work_dir)
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    return outcomes
