"""Errors raised while reading or generating transaction data; each names the file, row and column."""

from __future__ import annotations

from pathlib import Path

from fraudlab.errors import FraudlabError


class DataError(FraudlabError):
    """Base class of data errors."""


class DataFileError(DataError):
    """The file is missing, unreadable or not a CSV with the expected shape."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class SchemaError(DataError):
    """The header does not hold the 31 expected columns."""

    def __init__(self, path: Path | str, missing: list[str], unexpected: list[str]) -> None:
        self.path = Path(path)
        self.missing = missing
        self.unexpected = unexpected
        parts = []
        if missing:
            parts.append(f"missing column(s) {', '.join(missing)}")
        if unexpected:
            parts.append(f"unexpected column(s) {', '.join(unexpected)}")
        super().__init__(f"{self.path}: bad header: {'; '.join(parts)}")


class ValueValidationError(DataError):
    """A field holds a value that is missing, not numeric, or out of its domain.

    `row` is the 1-based data row (the header is not counted); `line` is the line in the file.
    """

    def __init__(self, path: Path | str, row: int, column: str, value: object, problem: str) -> None:
        self.path = Path(path)
        self.row = row
        self.line = row + 1
        self.column = column
        self.value = value
        self.problem = problem
        super().__init__(
            f"{self.path}: line {self.line} (data row {row}), column {column!r}: {problem} (value {value!r})"
        )


class ChecksumError(DataError):
    """The file's SHA-256 is not the expected one."""

    def __init__(self, path: Path | str, expected: str, actual: str) -> None:
        self.path = Path(path)
        self.expected = expected
        self.actual = actual
        super().__init__(f"{self.path}: SHA-256 of the CSV content is {actual}, expected {expected}")


class SyntheticDataError(DataError):
    """The synthetic generator was asked for an impossible size or fraud rate."""

    def __init__(self, n_rows: int, fraud_rate: float) -> None:
        self.n_rows = n_rows
        self.fraud_rate = fraud_rate
        super().__init__(
            f"synthetic data needs n_rows >= 1 and 0 <= fraud_rate < 1, got n_rows={n_rows}, "
            f"fraud_rate={fraud_rate}"
        )
