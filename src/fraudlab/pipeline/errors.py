"""Errors of the pipeline helpers."""

from __future__ import annotations

from fraudlab.errors import FraudlabError


class PipelineError(FraudlabError):
    """Base class of the pipeline helpers' errors."""


class StageInputError(PipelineError):
    """A notebook's input (an earlier stage's output) is missing or wrong."""

    def __init__(self, what: str, value: object, problem: str) -> None:
        self.what = what
        self.value = value
        self.problem = problem
        super().__init__(f"{what} {value!r}: {problem}")

