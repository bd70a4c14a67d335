"""ksqlDB 0.29's SqlStructTest (ksqldb-udf, io.confluent.ksql.schema.ksql.types; StructTest and FieldTest):
STRUCT types as CREATE declares them, DESCRIBE lists them and SqlStruct.toString prints them, field lookup
(case-sensitive) through the -> operator, and the names a field may take. The equality, null-pointer and
builder-only assertions have no observable counterpart."""

from __future__ import annotations

from typing import Any


def test_return_fields_in_order(t: Any) -> None:
    """StructTest.shouldReturnSqlType / shouldReturnFields: a STRUCT with its fields in declared order."""
    t.create("S STRUCT<`f0` BIGINT, `f1` DOUBLE>", name="S")
    [field] = t.fields("S")
    assert field["schema"]["type"] == "STRUCT"
    assert [(f["name"], f["schema"]["type"]) for f in field["schema"]["fields"]] == [("f0", "BIGINT"), ("f1", "DOUBLE")]


def test_not_throw_if_no_fields(t: Any) -> None:
    """StructTest.shouldNotThrowIfNoFields / shouldImplementToStringForEmptyStruct: STRUCT< >."""
    t.create("S STRUCT<>", name="S")
    assert t.types("S") == {"S": "STRUCT< >"}


def test_throw_on_duplicate_field_name(t: Any) -> None:
    """StructTest.shouldThrowOnDuplicateFieldName: SqlStruct.Builder's message, while the statement is
    prepared."""
    assert t.create_error("S STRUCT<F0 BOOLEAN, F0 INTEGER>") == (
        "Failed to prepare statement: Duplicate field names found in STRUCT: '`F0` BOOLEAN' and '`F0` INTEGER'"
    )


def test_not_throw_if_two_fields_have_same_name_but_different_case(t: Any) -> None:
    """StructTest.shouldNotThrowIfTwoFieldsHaveSameNameButDifferentCase."""
    t.create("S STRUCT<`f0` BOOLEAN, F0 BOOLEAN>", name="S")
    assert t.types("S") == {"S": "STRUCT<`f0` BOOLEAN, `F0` BOOLEAN>"}


def test_implement_to_string(t: Any) -> None:
    """StructTest.shouldImplementToString: every field name back-quoted (FormatOptions.none())."""
    t.create("S STRUCT<`f0` BIGINT, F1 ARRAY<DOUBLE>>", name="S")
    assert t.types("S") == {"S": "STRUCT<`f0` BIGINT, `F1` ARRAY<DOUBLE>>"}


def test_implement_to_string_with_reserved_word_handling(t: Any) -> None:
    """StructTest.shouldImplementToStringWithReservedWordHandling: where SqlFormatter prints the type
    (the CREATE statement's text) only the names IdentifierUtil.needsQuotes picks are quoted."""
    text = t.create("S STRUCT<`f0` BIGINT, F1 ARRAY<DOUBLE>, `SELECT` INT>")
    assert "(S STRUCT<`f0` BIGINT, F1 ARRAY<DOUBLE>, `SELECT` INTEGER>)" in text


def test_get_known_field(t: Any) -> None:
    """StructTest.shouldGetKnownField: S->`f0` finds field f0."""
    s = t.select("S->`f0`", columns="S STRUCT<`f0` BIGINT>", row={"S": {"f0": 5}})
    assert (s.value, s.type) == (5, "BIGINT")


def test_return_empty_for_unknown_field(t: Any) -> None:
    """StructTest.shouldReturnEmptyForUnknownField: no such field, the query is refused."""
    assert t.refuse("S->unknown", columns="S STRUCT<`f0` BIGINT>") == "Could not find field 'UNKNOWN' in 'S'."


def test_return_empty_for_field_if_wrong_case(t: Any) -> None:
    """StructTest.shouldReturnEmptyForFieldIfWrongCase: lookups are case-sensitive (f0 unquoted is F0)."""
    assert t.refuse("S->f0", columns="S STRUCT<`f0` BIGINT>") == "Could not find field 'F0' in 'S'."


def test_field_to_string(t: Any) -> None:
    """FieldTest.shouldReturnName / shouldReturnType / shouldToString: `SomeName` BOOLEAN."""
    t.create("S STRUCT<`SomeName` BOOLEAN>", name="S")
    assert t.types("S") == {"S": "STRUCT<`SomeName` BOOLEAN>"}


def test_throw_if_name_is_empty(t: Any) -> None:
    """FieldTest.shouldThrowIfNameIsEmpty: SqlStruct.Field's IllegalArgumentException, a preparation error
    (DefaultKsqlParser.prepare)."""
    assert t.create_error("S STRUCT<`` STRING>") == "Failed to prepare statement: name is empty"


def test_throw_if_name_is_not_trimmed(t: Any) -> None:
    """FieldTest.shouldThrowIfNameIsNotTrimmed."""
    assert t.create_error("S STRUCT<` bar ` STRING>") == "Failed to prepare statement: name is not trimmed: ' bar '"


def test_column_and_source_names_refused_alike(t: Any) -> None:
    """ColumnName and SourceName (io.confluent.ksql.name.Name) check their text as SqlStruct.Field does:
    a column, an alias, a column reference, an INSERT column list, a source name."""
    assert t.create_error("`` STRING") == "Failed to prepare statement: name is empty"
    assert t.create_error("V INT, `bar ` INT") == "Failed to prepare statement: name is not trimmed: 'bar '"
    t.create("V INT", name="Z")
    assert t.error("SELECT V AS `` FROM Z EMIT CHANGES;") == "Failed to prepare statement: name is empty"
    assert t.error("SELECT Z.` V` FROM Z EMIT CHANGES;") == "Failed to prepare statement: name is not trimmed: ' V'"
    assert t.error("INSERT INTO Z (``) VALUES (1);") == "Failed to prepare statement: name is empty"
    assert t.error("SELECT * FROM `` EMIT CHANGES;") == "Failed to prepare statement: name is empty"


def test_cast_target_checked_alike(t: Any) -> None:
    """A CAST's STRUCT target is built by the same SqlTypeParser and SqlStruct.Builder."""
    assert t.refuse("CAST(X AS STRUCT<A INT, A INT>)") == (
        "Failed to prepare statement: Duplicate field names found in STRUCT: '`A` INTEGER' and '`A` INTEGER'"
    )
    assert t.refuse("CAST(X AS STRUCT<`` INT>)") == "Failed to prepare statement: name is empty"
