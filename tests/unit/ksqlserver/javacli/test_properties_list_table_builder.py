"""Port of ksqlDB 0.29 `io.confluent.ksql.cli.console.table.builder.PropertiesListTableBuilderTest`
(ksqldb-cli): the rows of LIST PROPERTIES' table (SESSION / "" / SERVER, NULL values)."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.console.render import TABLES

SOME_KEY = "ksql.streams.auto.offset.reset"


def _properties(value: Any, overwritten: list[str], defaults: list[str]) -> dict[str, Any]:
    return {
        "@type": "properties",
        "statementText": "list properties;",
        "properties": [{"name": SOME_KEY, "scope": "KSQL", "value": value}],
        "overwrittenProperties": overwritten,
        "defaultProperties": defaults,
    }


@pytest.mark.parametrize(
    ("entity", "row"),
    [
        pytest.param(_properties("earliest", [SOME_KEY], []), [SOME_KEY, "KSQL", "SESSION", "earliest"],
                     id="shouldHandleClientOverwrittenProperties"),
        pytest.param(_properties("earliest", [], []), [SOME_KEY, "KSQL", "SERVER", "earliest"],
                     id="shouldHandleServerOverwrittenProperties"),
        pytest.param(_properties("earliest", [], [SOME_KEY]), [SOME_KEY, "KSQL", "", "earliest"],
                     id="shouldHandleDefaultProperties"),
        pytest.param(_properties(None, [], [SOME_KEY]), [SOME_KEY, "KSQL", "", "NULL"],
                     id="shouldHandlePropertiesWithNullValue"),
    ],
)
def test_properties_list_table(entity: dict[str, Any], row: list[str]) -> None:
    assert TABLES["properties"](entity).rows == [row]
