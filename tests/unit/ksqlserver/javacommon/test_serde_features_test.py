"""ksqlDB 0.29 SerdeFeaturesTest (ksqldb-common, serde): a source's SerdeFeatures as the metastore holds them
(the feature names, empty when there are none; 0.29's REST SourceDescription does not show them), from
WRAP_SINGLE_VALUE and a single-column JSON key. Not ported: the equality and Jackson round-trip
assertions (no user-facing form beyond the list), and the incompatible WRAP_SINGLES + UNWRAP_SINGLES set
(one property cannot ask for both)."""

from __future__ import annotations

import pytest

from .conftest import Exec


@pytest.mark.parametrize(
    ("columns", "with_clause", "key_features", "value_features"),
    [
        ("K STRING KEY, V INT", "VALUE_FORMAT='JSON'", [], []),
        ("K STRING KEY, V INT", "VALUE_FORMAT='JSON', WRAP_SINGLE_VALUE=true", [], ["WRAP_SINGLES"]),
        ("K STRING KEY, V INT", "VALUE_FORMAT='JSON', WRAP_SINGLE_VALUE=false", [], ["UNWRAP_SINGLES"]),
        ("K STRING KEY, V INT", "FORMAT='JSON'", ["UNWRAP_SINGLES"], []),
        ("K1 STRING KEY, K2 STRING KEY, V INT", "FORMAT='JSON'", [], []),
    ],
)
def test_features(
    ex: Exec, columns: str, with_clause: str, key_features: list[str], value_features: list[str]
) -> None:
    ex.topic("t")
    ex.run(f"CREATE STREAM S ({columns}) WITH (KAFKA_TOPIC='t', {with_clause});")
    source = ex.engine.state.metastore.get("S")
    assert (list(source.key_features), list(source.value_features)) == (key_features, value_features)
    [entity] = ex.run("DESCRIBE S;")
    assert "keyFeatures" not in entity["sourceDescription"]  # SourceDescription has no such property
