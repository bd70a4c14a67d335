"""`NotebookRunConfig`: what the runner executes, with which parameters, and where results go."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class NotebookRunConfig:
    """Built once at the CLI/test edge.

    `parameters` go to every notebook that declares them in its `parameters` cell; a notebook never
    receives a name it does not declare. `notebooks` empty means every numbered notebook in
    `notebooks_dir`, in order.
    """

    notebooks_dir: Path
    out_dir: Path
    parameters: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    notebooks: tuple[str, ...] = ()
    kernel_name: str = "python3"
    cell_timeout_s: float | None = 900.0
    start_timeout_s: float = 120.0
    html_report: bool = True
    progress: bool = True
