"""ksqlDB 0.29 SqlBaseTypeTest (ksqldb-common, schema/ksql): SqlBaseType.isNumber and canImplicitlyCast as
users meet them: a function's parameter takes an argument it can implicitly cast to (ParamTypes, for
SQRT(DOUBLE) and SUBSTRING(STRING, INT)), and arithmetic (Operator.resultType) widens to the type the other
side implicitly casts to. A DOUBLE-only DECIMAL parameter (shouldNotDownCastDouble's DECIMAL case) has no
built-in function to show it."""

from __future__ import annotations

import pytest

from .conftest import Exec

TYPES = {
    "BOOLEAN": ("A", "BOOLEAN"),
    "INTEGER": ("I", "INTEGER"),
    "BIGINT": ("B", "BIGINT"),
    "DECIMAL": ("D", "DECIMAL(2, 1)"),
    "DOUBLE": ("F", "DOUBLE"),
    "STRING": ("S", "STRING"),
    "TIME": ("T", "TIME"),
    "DATE": ("DT", "DATE"),
    "TIMESTAMP": ("TS", "TIMESTAMP"),
    "BYTES": ("BYT", "BYTES"),
    "ARRAY": ("AR", "ARRAY<BIGINT>"),
    "MAP": ("M", "MAP<STRING, INTEGER>"),
    "STRUCT": ("ST", "STRUCT<`f` INTEGER>"),
}
COLUMNS = ", ".join(f"{c} {t}" for c, t in TYPES.values())
NUMBERS = ("INTEGER", "BIGINT", "DECIMAL", "DOUBLE")


@pytest.mark.parametrize("base", NUMBERS)
def test_should_be_number_and_up_cast_if_number(ex: Exec, base: str) -> None:
    """shouldBeNumber / shouldUpCastIfNumber: every number goes to SQRT's DOUBLE (or its own variant)."""
    assert ex.select(f"SQRT({TYPES[base][0]})", columns=COLUMNS).type == "DOUBLE"


@pytest.mark.parametrize("base", [t for t in TYPES if t not in NUMBERS])
def test_should_not_be_number_nor_up_cast_if_not_number(ex: Exec, base: str) -> None:
    """shouldNotBeNumber / shouldNotUpCastIfNotNumber: nothing else reaches DOUBLE (nor arithmetic)."""
    col, sql_type = TYPES[base]
    # UdfIndex.getParamsAsString prints the arguments with FormatOptions.noEscape
    assert ex.refuse(f"SQRT({col})", columns=COLUMNS).startswith(
        f"Function 'sqrt' does not accept parameters ({sql_type.replace('`', '')})."
    )
    assert ex.refuse(f"{col} * F", columns=COLUMNS).endswith(f"Unsupported arithmetic types. {base} DOUBLE")


@pytest.mark.parametrize(
    ("name", "left", "right", "result"),
    [
        ("shouldUpCastInt", "I", "B", "BIGINT"),
        ("shouldUpCastInt", "I", "D", "DECIMAL(12, 1)"),
        ("shouldUpCastInt", "I", "F", "DOUBLE"),
        ("shouldUpCastBigInt", "B", "D", "DECIMAL(21, 1)"),
        ("shouldUpCastBigInt", "B", "F", "DOUBLE"),
        ("shouldUpCastDecimal", "D", "F", "DOUBLE"),
        ("shouldUpCastToSelf", "I", "I", "INTEGER"),
        ("shouldUpCastToSelf", "D", "D", "DECIMAL(3, 1)"),
    ],
)
def test_up_casts(ex: Exec, name: str, left: str, right: str, result: str) -> None:
    """The narrower side of `+` is cast to the wider (in either order)."""
    assert ex.select(f"{left} + {right}", f"{right} + {left}", columns=COLUMNS).types == [result, result]


@pytest.mark.parametrize(
    ("name", "base"),
    [
        ("shouldNotDownCastBigInt", "BIGINT"),
        ("shouldNotDownCastDecimal", "DECIMAL"),
        ("shouldNotDownCastDouble", "DOUBLE"),
    ],
)
def test_no_down_cast_to_int(ex: Exec, name: str, base: str) -> None:
    """BIGINT, DECIMAL and DOUBLE do not go to SUBSTRING's INT position."""
    col, sql_type = TYPES[base]
    assert ex.refuse(f"SUBSTRING(S, {col})", columns=COLUMNS).startswith(
        f"Function 'substring' does not accept parameters (STRING, {sql_type})."
    )


@pytest.mark.parametrize("base", list(TYPES))
def test_should_up_cast_to_self(ex: Exec, base: str) -> None:
    """shouldUpCastToSelf: a CASE whose branches share a type keeps it."""
    col, sql_type = TYPES[base]
    assert ex.select(f"CASE WHEN I > 0 THEN {col} ELSE {col} END", columns=COLUMNS).type == sql_type
