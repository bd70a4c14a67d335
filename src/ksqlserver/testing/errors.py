"""Errors of the test runner. A failing test is not one of them: it is a `TestResult` with its message."""

from __future__ import annotations

from pathlib import Path


class TestRunnerError(Exception):
    """Base class: the runner could not start the test (bad command line, unreadable or invalid file)."""

    __test__ = False  # not a pytest test class


class UsageError(TestRunnerError):
    """A bad command line; `message` is the text ksqlDB's option parser prints."""

    def __init__(self, message: str, argument: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.argument = argument


class TestFileError(TestRunnerError):
    """An input, output or statements file that cannot be read or is not in ksqlDB's format.

    `message` is the text after "Invalid arguments: " as ksqlDB's tool prints it; `path` names the file.
    """

    def __init__(self, path: Path | str | None, message: str) -> None:
        super().__init__(message)
        self.path = None if path is None else Path(path)
        self.message = message
