"""Errors of model training, export and loading."""

from __future__ import annotations

from pathlib import Path

from fraudlab.errors import FraudlabError


class ModelError(FraudlabError):
    """Base class of model errors."""


class BundleError(ModelError):
    """A model bundle directory is missing a file or holds an inconsistent one."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"model bundle {self.path}: {reason}")


class ScoringInputError(ModelError):
    """Rows handed to a scorer do not have the model's features."""

    def __init__(self, shape: tuple[int, ...] | None, missing: list[str], reason: str) -> None:
        self.shape = shape
        self.missing = missing
        super().__init__(f"cannot score rows (shape {shape}): {reason}")


class TrainingError(ModelError):
    """Training cannot run on the given data or configuration."""

    def __init__(self, what: str, value: object, reason: str) -> None:
        self.what = what
        self.value = value
        super().__init__(f"{what}={value!r}: {reason}")
