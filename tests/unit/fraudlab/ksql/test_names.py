"""`PipelineNames`: one source for every topic, stream and table name of a run, and the `${name}` variables."""

from __future__ import annotations

from pathlib import Path

import pytest

from fraudlab.ksql import KsqlInputError, PipelineNames, split_statements

ROOT = Path(__file__).resolve().parents[4]


def test_names_derive_from_the_run_id() -> None:
    names = PipelineNames.for_run("Run_7")
    assert names.features_topic == "fl_run_7_features" and names.features_stream == "FL_RUN_7_FEATURES"
    assert names.users_topic == "fl_run_7_users" and names.users_table == "FL_RUN_7_USERS"
    assert names.service_scores_raw_stream == "FL_RUN_7_SERVICE_SCORES_RAW"
    assert names.dead_letter_topic == "fl_run_7_scores_dlq"
    # a stream or table is its topic in upper case
    fields = names.variables()
    for name, value in fields.items():
        if name.endswith(("_stream", "_table")):
            assert value == fields[name.rsplit("_", 1)[0] + "_topic"].upper(), name


def test_variables_hold_every_name_and_the_bundle_when_given(tmp_path: Path) -> None:
    names = PipelineNames.for_run("r1")
    variables = names.variables()
    assert "run_id" not in variables and "model_dir" not in variables
    assert len(set(variables.values())) == len(variables)  # no two names collide
    bundle = tmp_path / "it's"
    assert names.variables(model_dir=bundle)["model_dir"] == str(bundle.resolve()).replace("'", "''")


def test_every_variable_of_the_ksql_files_is_a_name() -> None:
    import re

    statements = [s for p in (ROOT / "ksql").glob("*.sql") for s in split_statements(p.read_text())]
    used = {m for s in statements for m in re.findall(r"\$\{(\w+)\}", s)}
    assert used and used <= set(PipelineNames.for_run("x").variables(model_dir="m"))


@pytest.mark.parametrize("run_id", ["", "has space", "x" * 41, "semi;colon"])
def test_a_bad_run_id_is_named(run_id: str) -> None:
    with pytest.raises(KsqlInputError, match="run_id"):
        PipelineNames.for_run(run_id)
