"""Errors of the monitors."""

from __future__ import annotations

from fraudlab.errors import FraudlabError


class MonitorError(FraudlabError):
    """A monitor cannot run with the given input."""

    def __init__(self, what: str, problem: str) -> None:
        super().__init__(f"{what}: {problem}")
        self.what = what
        self.problem = problem
