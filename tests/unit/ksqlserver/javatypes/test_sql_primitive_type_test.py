"""ksqlDB 0.29's SqlPrimitiveTypeTest (ksqldb-udf, io.confluent.ksql.schema.ksql.types): the primitive type
names SqlTypeParser accepts (SqlPrimitiveType.isPrimitiveTypeName / of: any case, INT and VARCHAR as
aliases) and their text (SqlBaseType's name). Anything else is a custom type the registry must resolve.
"Unknown primitive type" / "Invalid primitive type" have no SQL path: SqlTypeParser asks isPrimitiveTypeName
first, and ARRAY/MAP/STRUCT/DECIMAL have their own grammar."""

from __future__ import annotations

from typing import Any

import pytest


def test_support_sql_primitive_types_in_any_case(t: Any) -> None:
    """SqlPrimitiveTypeTest.shouldSupportSqlPrimitiveTypes / shouldSupportAlternativeSqlPrimitiveTypeNames /
    shouldSupportAllPrimitiveTypeNames / shouldImplementToString."""
    t.create(
        "A BooleaN, B IntegeR, C BigInT, D DoublE, E StrinG, F tImeStamP, G InT, H VarchaR, I tIME, J dAtE, K bYTES",
        name="S",
    )
    assert list(t.types("S").values()) == [
        "BOOLEAN", "INTEGER", "BIGINT", "DOUBLE", "STRING", "TIMESTAMP", "INTEGER", "STRING", "TIME", "DATE", "BYTES",
    ]


@pytest.mark.parametrize("name", ["WHAT_IS_THIS", "LONG", "BOOL", "TEXT", "CHAR"])
def test_not_support_random_type_name(t: Any, name: str) -> None:
    """SqlPrimitiveTypeTest.shouldNotSupportRandomTypeName: not a primitive name, so a custom type, unknown
    here (SqlTypeParser.getSqlType)."""
    assert t.create_error(f"X {name}") == f"Failed to prepare statement: Cannot resolve unknown type: {name}"
