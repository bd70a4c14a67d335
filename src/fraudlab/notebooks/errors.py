"""Errors of the notebook runner; each keeps the input it is about."""

from __future__ import annotations

from pathlib import Path

from fraudlab.errors import FraudlabError


class NotebookError(FraudlabError):
    """Base class of the runner's errors."""


class ParametersError(NotebookError):
    def __init__(self, path: Path | None, problem: str) -> None:
        self.path = path
        self.problem = problem
        where = f"parameters file {path}" if path else "parameters"
        super().__init__(f"{where}: {problem}")


class NotebookNotFoundError(NotebookError):
    def __init__(self, path: Path, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"notebook {path}: {problem}")


class NotebookExecutionError(NotebookError):
    """A cell raised. The executed notebook, with the outputs up to the failing cell, is kept."""

    def __init__(
        self,
        notebook: Path,
        cell_index: int,
        source: str,
        error: str,
        output_path: Path | None = None,
    ) -> None:
        self.notebook = notebook
        self.cell_index = cell_index
        self.source = source
        self.error = error
        self.output_path = output_path
        first = next((ln for ln in source.splitlines() if ln.strip()), "").strip()
        kept = f"; executed notebook kept at {output_path}" if output_path else ""
        super().__init__(
            f"notebook {notebook.name} failed in cell {cell_index} ({first[:80]!r}): {error}{kept}"
        )
