"""`run-ksql-test --test-directory <dir> --temp-folder <dir>`: ksqlDB's SQL testing tool (SqlTestingTool,
SqlTestOptions, TestOptionsParser) on this engine.

Every file under the test directory is loaded (a file that does not load ends the run, exit 1); each test
prints `\\t >>> Test passed!` (stdout) or `\\t>>>>> Test failed: <message>` (stderr). The exit code is 1
when a test failed (test-an-app.md; ksqlDB 0.29's SqlTestingTool.run itself returns 0), 0 otherwise. A bad
command line prints the parser's message and the `--help` hint and exits 1; `-h`/`--help` prints usage.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from ksqlserver.testing import messages
from ksqlserver.testing.cli import Option, parse_options, usage_text
from ksqlserver.testing.errors import UsageError

PROG = "sql-test-runner"  # SqlTestOptions' @Command name, which its help prints
DESCRIPTION = "The KSQL SQL testing tool"
OPTIONS: tuple[Option, ...] = (
    ("--test-directory", "-td", "testDirectory", True, "A directory containing SQL files to test."),
    ("--temp-folder", "-tf", "tempFolder", True, "A folder to store temporary files"),
)


def usage() -> str:
    return usage_text(PROG, DESCRIPTION, OPTIONS)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the tool; returns the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) == 1 and args[0] in ("--help", "-h"):
        out.write(usage())
        return 1  # TestOptionsParser answers null after the help: SqlTestingTool.run returns 1
    try:
        options = parse_options(args, OPTIONS)
    except UsageError as e:
        print(e.message, file=err)
        print(messages.USAGE_HINT, file=err)
        return 1
    from ksqlserver.testing.sqltests.executor import run_test
    from ksqlserver.testing.sqltests.reader import load_directory

    temp = Path(options["--temp-folder"])
    try:
        tests = load_directory(Path(options["--test-directory"]))
    except Exception as e:  # SqlTestingTool.main: any exception ends the run with 1
        print(str(e), file=err)
        return 1
    failed = 0
    for test in tests:
        try:
            run_test(test)
            print(messages.PASSED, file=out)
        except Exception as e:  # (the tool reports any throwable as a failed test)
            failed += 1
            print(messages.FAILED_PREFIX + str(e), file=err)
        finally:
            _clean(temp, err)
    return 1 if failed else 0


def _clean(temp: Path, err: TextIO) -> None:
    """SqlTestingTool.cleanUp: the temp folder emptied after each test."""
    try:
        for child in temp.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    except OSError as e:
        print(f"Failed to clean up temp folder: {e}", file=err)


def entry() -> None:
    """The `run-ksql-test` console script."""
    sys.exit(main())
