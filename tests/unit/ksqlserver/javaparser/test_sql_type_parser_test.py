"""ksqlDB 0.29's SqlTypeParserTest (ksqldb-parser, io.confluent.ksql.schema.ksql), ported through the types
of CREATE STREAM columns (AstBuilder builds them with SqlTypeParser.getType)."""

from __future__ import annotations

import pytest

from ksqlserver.errors import KsqlParseError
from ksqlserver.sql import ast
from ksqlserver.sql.parser import parse
from ksqlserver.sql.printer import _type


def _column_type(type_text: str) -> ast.Type:
    [st] = parse(f"CREATE STREAM s (x {type_text}) WITH (kafka_topic='t', value_format='JSON');")
    assert isinstance(st, ast.CreateSource)
    return st.columns[0].type


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("VARCHAR", "STRING"),  # shouldGetTypeFromVarchar
        ("DECIMAL(2, 1)", "DECIMAL(2, 1)"),  # shouldGetTypeFromDecimal
        ("ARRAY<VARCHAR>", "ARRAY<STRING>"),  # shouldGetTypeFromStringArray
        ("ARRAY<INT>", "ARRAY<INTEGER>"),  # shouldGetTypeFromIntArray
        ("MAP<VARCHAR, ARRAY<DOUBLE>>", "MAP<STRING, ARRAY<DOUBLE>>"),  # shouldGetTypeFromMap
        ("STRUCT<A VARCHAR>", "STRUCT<`A` STRING>"),  # shouldGetTypeFromStruct
        ("STRUCT<>", "STRUCT< >"),  # shouldGetTypeFromEmptyStruct
        ("STRUCT<A VARCHAR, B INT>", "STRUCT<`A` STRING, `B` INTEGER>"),  # shouldGetTypeFromStructWithTwoFields
    ],
)
def test_get_type(text: str, want: str) -> None:
    """SqlTypeParserTest.shouldGetTypeFrom*: the type as ksqlDB's SqlType.toString prints it (SqlStruct with
    FormatOptions.none(): every field name quoted; no field: SqlStruct.EMPTY_STRUCT)."""
    assert _type(_column_type(text)) == want


def test_return_custom_type_on_unknown_type_name() -> None:
    """SqlTypeParserTest.shouldReturnCustomTypeOnUnknownTypeName: an unknown name parses (as a custom type,
    resolved later against the registered types)."""
    t = _column_type("BLAH")
    assert "BLAH" in repr(t)


@pytest.mark.parametrize(
    ("text", "what"), [("DECIMAL(.1, 1)", "PRECISION"), ("DECIMAL(1, 1.1)", "SCALE")]
)
def test_throw_on_non_integer_precision_or_scale(text: str, what: str) -> None:
    """SqlTypeParserTest.shouldThrowOnNonIntegerPrecision / shouldThrowOnNonIntegerScale: the grammar takes
    any number, ParserUtil.processIntegerNumber refuses a non-integer as AstBuilder builds the type."""
    with pytest.raises(KsqlParseError) as info:
        _column_type(text)
    assert info.value.message == f"Failed to prepare statement: Value must be integer for command: DECIMAL({what})"


def test_throw_meaningful_error_on_bad_struct_declaration() -> None:
    """SqlTypeParserTest.shouldThrowMeaningfulErrorOnBadStructDeclaration: a syntax error at the '>'."""
    with pytest.raises(KsqlParseError) as info:
        _column_type("STRUCT<foo VARCHAR,>")
    assert info.value.message.startswith("line 1:39: Syntax Error")
