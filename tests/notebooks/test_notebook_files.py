"""The committed notebooks: numbered, a `parameters` cell declaring the pipeline's parameters, no outputs,
no machine paths; and the `ksql/*.sql` files get every variable they use from the run's names."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import papermill
import pytest

from fraudlab.notebooks.errors import ParametersError
from fraudlab.notebooks.params import load_parameters, resolve_parameters
from fraudlab.ksql import PipelineNames, render, split_statements

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
CLASSIC = sorted((ROOT / "notebooks" / "classic").glob("*.ipynb"))  # the original demo's flow, run on its own
EXPECTED = ["01_ingest", "02_preprocess_ksql", "03_train", "04_deploy", "05_monitor"]
REQUIRED = {"bootstrap_servers", "ksql_url", "connect_url", "data_path", "sample_size", "epochs", "model_dir", "seed"}
MACHINE_PATH = re.compile(r"(/work/|/home/|/Users/|/tmp/|[A-Z]:\\\\)")


def test_the_five_numbered_notebooks_exist() -> None:
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs_and_with_a_parameters_cell(path: Path) -> None:
    book = nbformat.read(path, as_version=4)
    nbformat.validate(book)
    code = [c for c in book.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), "commit notebooks without outputs"
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    declared = set(papermill.inspect_notebook(str(path)))
    assert declared >= REQUIRED, f"missing parameters: {REQUIRED - declared}"
    assert book.metadata["kernelspec"]["name"] == "python3"
    assert book.cells[0].cell_type == "markdown"


@pytest.mark.parametrize(
    "path",
    [*NOTEBOOKS, *CLASSIC, *(ROOT / "notebooks" / "params").glob("*.yaml"), *(ROOT / "ksql").glob("*.sql")],
    ids=lambda p: p.name,
)
def test_no_machine_paths(path: Path) -> None:
    assert not MACHINE_PATH.search(path.read_text(encoding="utf-8"))


def test_every_query_in_the_notebooks_is_bounded() -> None:
    assert CLASSIC
    for path in [*NOTEBOOKS, *CLASSIC]:
        for cell in nbformat.read(path, as_version=4).cells:
            for query in re.findall(r"SELECT .*?EMIT CHANGES[^\"]*", cell.source, flags=re.S):
                assert re.search(r"LIMIT (\d+|\{\w+\})", query), f"{path.name}: unbounded query {query!r}"


@pytest.mark.parametrize("path", sorted((ROOT / "ksql").glob("*.sql")), ids=lambda p: p.name)
def test_sql_files_use_only_known_variables(path: Path) -> None:
    variables = PipelineNames.for_run("t1").variables(model_dir="models/x")  # every name of the run, the bundle
    statements = [render(s, variables) for s in split_statements(path.read_text(encoding="utf-8"))]
    assert statements and all("${" not in s for s in statements)
    assert all(re.match(r"CREATE (STREAM|TABLE) IF NOT EXISTS", s.upper()) for s in statements)


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks" / "params").glob("*.yaml")), ids=lambda p: p.name)
def test_parameter_files_name_only_declared_parameters(path: Path) -> None:
    declared = set().union(*(papermill.inspect_notebook(str(p)) for p in NOTEBOOKS))
    assert set(load_parameters(path)) <= declared


def test_placeholders_and_relative_paths(tmp_path: Path) -> None:
    params = resolve_parameters(
        {"data_path": "{shared}/data/x.csv", "model_dir": "models/ci", "artifacts_dir": "", "run_id": "{root}"},
        root=tmp_path / "repo",
        shared=tmp_path / "shared",
    )
    assert params["data_path"] == str(tmp_path / "shared" / "data" / "x.csv")
    assert params["model_dir"] == str(tmp_path / "repo" / "models" / "ci")
    assert params["artifacts_dir"] == ""  # empty stays empty: the notebook's default applies
    assert params["run_id"] == str(tmp_path / "repo")  # placeholders expand anywhere; only *_path/_dir resolve


def test_bad_parameter_files_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- a list\n- not a mapping\n")
    with pytest.raises(ParametersError, match=r"bad\.yaml: must be a mapping"):
        load_parameters(bad)
    with pytest.raises(ParametersError, match=r"missing\.yaml"):
        load_parameters(tmp_path / "missing.yaml")
