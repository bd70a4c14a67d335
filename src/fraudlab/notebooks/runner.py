"""Run the numbered notebooks in order with papermill, keep every executed notebook, report failures.

Each notebook gets only the parameters its `parameters` cell declares. On a failing cell the executed
notebook (outputs up to the failure, the failing cell marked by papermill) is written before the error
is raised, so a CI run always leaves a readable artifact; later notebooks are not run, because each
one consumes what the previous ones produced.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fraudlab.notebooks.config import NotebookRunConfig
from fraudlab.notebooks.errors import NotebookExecutionError, NotebookNotFoundError
from fraudlab.notebooks.result import NotebookResult, RunResult

NUMBERED = re.compile(r"^\d\d_.+\.ipynb$")
KERNEL_LOG = "kernels.log"  # the kernels' own stderr (library start-up noise), beside the executed notebooks


def numbered_notebooks(config: NotebookRunConfig) -> list[Path]:
    """The notebooks to run, in order: the configured names, or every `NN_name.ipynb`."""
    folder = config.notebooks_dir
    if config.notebooks:
        paths = [folder / (n if n.endswith(".ipynb") else f"{n}.ipynb") for n in config.notebooks]
        for path in paths:
            if not path.is_file():
                raise NotebookNotFoundError(path, "no such notebook")
        return paths
    paths = sorted(p for p in folder.glob("*.ipynb") if NUMBERED.match(p.name))
    if not paths:
        raise NotebookNotFoundError(folder, "holds no numbered notebooks (NN_name.ipynb)")
    return paths


def declared_parameters(path: Path) -> dict[str, Any]:
    import papermill

    return dict(papermill.inspect_notebook(str(path)))


def _failing_cell(source_nb: Path, source: str, fallback: int) -> int:
    """The failing cell's index in the committed notebook (papermill's index counts its own cells)."""
    import nbformat

    cells = nbformat.read(source_nb, as_version=4).cells
    for i, cell in enumerate(cells):
        if cell.cell_type == "code" and cell.source == source:
            return i
    return fallback


def run_notebooks(
    config: NotebookRunConfig, on_done: Callable[[NotebookResult], None] | None = None
) -> RunResult:
    """Execute the notebooks; returns the run (with `error` set on the first failure) after writing the
    executed notebooks and, when configured, the HTML report. Does not raise on a failing cell."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from fraudlab.notebooks.kernel import ipc_kernel_manager

    paths = numbered_notebooks(config)
    config.out_dir.mkdir(parents=True, exist_ok=True)
    run = RunResult(config)
    manager = ipc_kernel_manager((config.out_dir / KERNEL_LOG).resolve())  # papermill changes the cwd
    for path in paths:
        declared = declared_parameters(path)
        params = {k: v for k, v in config.parameters.items() if k in declared}
        output = config.out_dir / path.name
        start = time.perf_counter()
        try:
            papermill.execute_notebook(
                str(path),
                str(output),
                parameters=params,
                kernel_name=config.kernel_name,
                progress_bar=config.progress,
                cwd=str(path.parent),
                start_timeout=int(config.start_timeout_s),
                execution_timeout=config.cell_timeout_s,
                kernel_manager_class=manager,
            )
        except PapermillExecutionError as exc:
            seconds = time.perf_counter() - start
            error = f"{exc.ename}: {exc.evalue}"
            index = _failing_cell(path, exc.source, exc.cell_index)
            run.error = NotebookExecutionError(path, index, exc.source, error, output)
            result = NotebookResult(path.name, output, seconds, False, error)
            run.notebooks.append(result)
            if on_done:
                on_done(result)
            break
        result = NotebookResult(path.name, output, time.perf_counter() - start, True)
        run.notebooks.append(result)
        if on_done:
            on_done(result)
    if config.html_report:
        from fraudlab.notebooks.report import write_report

        run.report_path = write_report(run)
    return run
