"""The notebook runner: executes the numbered pipeline notebooks with papermill, in order, and writes
the executed notebooks plus an HTML report (`fraudlab notebooks run`)."""

from fraudlab.notebooks.config import NotebookRunConfig
from fraudlab.notebooks.errors import (
    NotebookError,
    NotebookExecutionError,
    NotebookNotFoundError,
    ParametersError,
)
from fraudlab.notebooks.params import load_parameters, resolve_parameters
from fraudlab.notebooks.result import NotebookResult, RunResult
from fraudlab.notebooks.runner import numbered_notebooks, run_notebooks

__all__ = [
    "NotebookError",
    "NotebookExecutionError",
    "NotebookNotFoundError",
    "NotebookResult",
    "NotebookRunConfig",
    "ParametersError",
    "RunResult",
    "load_parameters",
    "numbered_notebooks",
    "resolve_parameters",
    "run_notebooks",
]
