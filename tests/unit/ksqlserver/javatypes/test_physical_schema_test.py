"""ksqlDB 0.29's PhysicalSchemaTest (ksqldb-serde, io.confluent.ksql.schema.ksql) and PersistenceSchemaTest
(ksqldb-common): a source's physical schema is its logical schema's key and value columns with the key and
value SerdeFeatures, as the metastore's source holds them (the REST SourceDescription does not show them: it
has no such property in 0.29). WRAP/UNWRAP_SINGLES apply to
a single column only (PersistenceSchema.from refuses them for more; CREATE refuses WRAP_SINGLE_VALUE first).
The equality, immutability and null-pointer assertions have no observable counterpart."""

from __future__ import annotations

from typing import Any


def _features(t: Any, name: str) -> tuple[list[str], list[str]]:
    source = t.engine.state.metastore.get(name)
    return list(source.key_features), list(source.value_features)


def test_return_key_schema(t: Any) -> None:
    """PhysicalSchemaTest.shouldReturnKeySchema: a single key column of a wrapping format (JSON) is
    unwrapped (keys default to UNWRAP_SINGLES)."""
    t.create("BOB STRING KEY, `f1` BOOLEAN", name="S", KEY_FORMAT="JSON")
    assert _features(t, "S") == (["UNWRAP_SINGLES"], [])


def test_return_value_schema(t: Any) -> None:
    """PhysicalSchemaTest.shouldReturnValueSchema / PersistenceSchemaTest.shouldHaveSensibleToString: the
    value's features as WRAP_SINGLE_VALUE sets them."""
    t.create("BOB STRING KEY, `f1` BOOLEAN", name="S", WRAP_SINGLE_VALUE="true")
    t.create("BOB STRING KEY, `f1` BOOLEAN", name="U", WRAP_SINGLE_VALUE="false")
    assert _features(t, "S") == ([], ["WRAP_SINGLES"])
    assert _features(t, "U") == ([], ["UNWRAP_SINGLES"])


def test_throw_on_wrap_or_unwrap_if_multiple_fields(t: Any) -> None:
    """PersistenceSchemaTest.shouldThrowOnWrapIfMultipleFields / shouldThrowOnUnwrapIfMultipleFields."""
    for value in ("true", "false"):
        t.topic("m")
        msg = t.error(
            "CREATE STREAM M (F0 BIGINT, F1 BIGINT) "
            f"WITH (KAFKA_TOPIC='m', VALUE_FORMAT='JSON', WRAP_SINGLE_VALUE={value});"
        )
        assert msg == "'WRAP_SINGLE_VALUE' is only valid for single-field value schemas"
