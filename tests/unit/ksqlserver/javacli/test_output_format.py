"""Port of ksqlDB 0.29 `io.confluent.ksql.cli.console.OutputFormatTest` (ksqldb-cli): the output formats and
`OutputFormat.get`'s refusal, which `--output` and the `output` command share."""

from __future__ import annotations

import pytest

from ksqlserver.console.options import VALID_FORMATS, OptionsError, output_format, parse


def test_should_return_all_values() -> None:
    assert VALID_FORMATS == "'JSON', 'TABULAR'"


def test_should_resolve() -> None:
    assert output_format("JSON") == "JSON"
    assert output_format("TABULAR") == "TABULAR"


def test_should_throw_on_unknown_format() -> None:
    with pytest.raises(OptionsError) as e:
        output_format("This-is-unknown")
    assert "Unknown Output format: This-is-unknown. Valid values are: " + VALID_FORMATS in e.value.message
    with pytest.raises(OptionsError):
        parse(["--output", "This-is-unknown"])
