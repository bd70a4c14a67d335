"""The runner on purpose-built notebooks: parameters reach only the notebooks that declare them; a failing
cell stops the run, is named (notebook, cell index in the committed notebook, error), and the executed
notebook and the report are kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from fraudlab.notebooks import (
    NotebookExecutionError,
    NotebookNotFoundError,
    NotebookRunConfig,
    numbered_notebooks,
    run_notebooks,
)

FIXTURES = Path(__file__).parent / "fixtures" / "broken"


@pytest.fixture()
def books(tmp_path: Path) -> Path:
    folder = tmp_path / "books"
    shutil.copytree(FIXTURES, folder)
    return folder


def _outputs(path: Path) -> str:
    cells = nbformat.read(path, as_version=4).cells
    return "".join(o.get("text", "") for c in cells if c.cell_type == "code" for o in c.get("outputs", []))


def test_failing_cell_is_named_and_the_executed_notebook_kept(books: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    config = NotebookRunConfig(books, out, parameters={"x": 5, "unrelated": "ignored"}, progress=False)
    result = run_notebooks(config)

    assert [n.name for n in result.notebooks] == ["01_ok.ipynb", "02_broken.ipynb"]
    assert [n.ok for n in result.notebooks] == [True, False]
    error = result.error
    assert isinstance(error, NotebookExecutionError)
    assert error.notebook.name == "02_broken.ipynb"
    assert error.cell_index == 3  # the committed notebook's index, not papermill's (it adds cells)
    assert "1 / divisor" in error.source
    assert error.error.startswith("ZeroDivisionError")
    assert "02_broken.ipynb failed in cell 3" in str(error)
    # the executed notebook is kept with the outputs before the failure, and nothing after it ran
    assert error.output_path == out / "02_broken.ipynb"
    kept = _outputs(out / "02_broken.ipynb")
    assert "before the failure" in kept and "never reached" not in kept
    assert not (out / "03_never.ipynb").exists() and not (books / "ran-03").exists()
    # parameters: declared ones injected, undeclared ones never passed
    assert "x is 5, marker default" in _outputs(out / "01_ok.ipynb")
    index = (out / "index.html").read_text()
    assert "FAILED" in index and "02_broken.ipynb" in index
    assert (out / "html" / "02_broken.html").is_file()


def test_a_passing_run_reports_every_notebook(books: Path, tmp_path: Path) -> None:
    config = NotebookRunConfig(books, tmp_path / "out", parameters={"divisor": 4}, notebooks=("01_ok", "02_broken"),
                               progress=False)
    result = run_notebooks(config)
    assert result.ok and result.error is None
    assert [n.ok for n in result.notebooks] == [True, True]
    assert "never reached" in _outputs(tmp_path / "out" / "02_broken.ipynb")
    assert "passed" in (tmp_path / "out" / "index.html").read_text()


def test_unknown_notebook_and_empty_folder(books: Path, tmp_path: Path) -> None:
    with pytest.raises(NotebookNotFoundError, match="99_missing"):
        numbered_notebooks(NotebookRunConfig(books, tmp_path, notebooks=("99_missing",)))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(NotebookNotFoundError, match="no numbered notebooks"):
        numbered_notebooks(NotebookRunConfig(empty, tmp_path))
