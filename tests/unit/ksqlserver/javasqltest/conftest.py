"""Helpers of the ported ksqldb-testing-tool unit tests: run test-file text through the SQL testing tool
(reader, loader, executor) on the in-memory engine."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ksqlserver.testing.sqltests.executor import run_test
from ksqlserver.testing.sqltests.reader import load_tests


def outcomes(text: str) -> list[tuple[str | None, str | None]]:
    """(test name, failure message or None) for every test of a file's text."""
    result: list[tuple[str | None, str | None]] = []
    for test in load_tests(text):
        try:
            run_test(test)
            result.append((test.name, None))
        except Exception as e:  # the tool reports any error as a failed test
            result.append((test.name, str(e)))
    return result


@pytest.fixture
def failure() -> Callable[[str], str | None]:
    """The failure message of the one test in `text` (None: it passed)."""

    def run(text: str) -> str | None:
        [(_, message)] = outcomes(text)
        return message

    return run
