"""ksqlDB's testing tool (`ksql-test-runner`) on this engine: statements plus input and expected output
records, run on the in-memory driver (no broker), reported in ksqlDB's words. `run_test_files` is the
programmatic entry; `cli.main` the command line.

The runner (and with it the engine) is imported on first use, so `--help` and usage errors answer at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ksqlserver.testing.errors import TestFileError, TestRunnerError, UsageError
from ksqlserver.testing.files import RecordSpec, WindowSpec, load_records, read_statements

if TYPE_CHECKING:
    from ksqlserver.testing.runner import TestResult, run_test, run_test_files

_LAZY = ("TestResult", "run_test", "run_test_files")


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from ksqlserver.testing import runner

        return getattr(runner, name)
    raise AttributeError(name)


__all__ = [
    "RecordSpec",
    "TestFileError",
    "TestResult",
    "TestRunnerError",
    "UsageError",
    "WindowSpec",
    "load_records",
    "read_statements",
    "run_test",
    "run_test_files",
]
