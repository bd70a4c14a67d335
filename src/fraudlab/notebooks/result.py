"""What a run of the notebooks produced: one `NotebookResult` per executed notebook, and the `RunResult`
the runner returns and the HTML report reads (kept apart from both: the runner calls the report, and the
report needs only these)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fraudlab.notebooks.config import NotebookRunConfig
from fraudlab.notebooks.errors import NotebookExecutionError


@dataclass(frozen=True)
class NotebookResult:
    name: str
    output_path: Path
    seconds: float
    ok: bool
    error: str | None = None


@dataclass
class RunResult:
    config: NotebookRunConfig
    notebooks: list[NotebookResult] = field(default_factory=list)
    report_path: Path | None = None
    error: NotebookExecutionError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def seconds(self) -> float:
        return sum(n.seconds for n in self.notebooks)
