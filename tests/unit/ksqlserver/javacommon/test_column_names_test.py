"""ksqlDB 0.29 ColumnNamesTest (ksqldb-execution, schema/ksql): ColumnNames.columnAliasGenerator (KSQL_COL_n
aliases of unnamed expressions and the field-name aliases of struct dereferences, clear of every source
column name), generateSyntheticJoinKey (ROWKEY, or the next free ROWKEY_n) and maybeSyntheticJoinKey (what an
unqualified name in a join's projection may be), as the output schemas and errors of CREATE ... AS SELECT.

The Java tests' schemas give a key and a value column the same name (KSQL_COL_1), which no CREATE accepts; it
is declared once here. shouldThrowIfIndexOverflows (Integer.MAX_VALUE aliases) is not reachable."""

from __future__ import annotations

import pytest

from .conftest import Exec


def _schema(ex: Exec, columns: str, select: str, name: str = "OUT") -> str:
    ex.topic("src")
    ex.run(f"CREATE STREAM SRC ({columns}) WITH (KAFKA_TOPIC='src', FORMAT='JSON');")
    ex.run(f"CREATE STREAM {name} AS SELECT {select} FROM SRC;")
    src = ex.engine.state.metastore.require(name)
    return str(src.schema.describe(False))


def test_should_start_generating_from_zero_if_source_schemas_have_no_generated_aliases(ex: Exec) -> None:
    assert _schema(ex, "K STRING KEY, V INT", "K, V + 1") == "`K` STRING KEY, `KSQL_COL_0` INTEGER"


def test_should_avoid_clashes_with_source_column_names(ex: Exec) -> None:
    schema = _schema(
        ex,
        "`Fred` STRING KEY, KSQL_COL_3 STRING KEY, KSQL_COL_1 STRING KEY, `George` STRING, KSQL_COL_5 STRING",
        "`Fred`, KSQL_COL_3, KSQL_COL_1, 1 + 1, 2 + 2, 3 + 3, 4 + 4, 5 + 5",
    )
    assert schema == (
        "`Fred` STRING KEY, `KSQL_COL_3` STRING KEY, `KSQL_COL_1` STRING KEY, `KSQL_COL_0` INTEGER, "
        "`KSQL_COL_2` INTEGER, `KSQL_COL_4` INTEGER, `KSQL_COL_6` INTEGER, `KSQL_COL_7` INTEGER"
    )


def test_should_generate_simple_struct_column_name(ex: Exec) -> None:
    schema = _schema(
        ex,
        "K STRING KEY, `Bob` STRUCT<`Struct_Name` STRUCT<`Field_name` STRING>>",
        "K, `Bob`->`Struct_Name`->`Field_name`, `Bob`->`Struct_Name`->`Field_name`",
    )
    assert schema == "`K` STRING KEY, `Field_name` STRING, `Field_name_1` STRING"


def test_should_ensure_generated_struct_aliases_do_not_clash(ex: Exec) -> None:
    schema = _schema(
        ex,
        "`someField_2` STRING KEY, `other` STRING KEY, `someField_3` STRING KEY, `another` STRING, "
        "`someField` STRING, S STRUCT<`someField` STRING>",
        "`someField_2`, `other`, `someField_3`, S->`someField`, S->`someField`",
    )
    assert schema.endswith("`someField_1` STRING, `someField_4` STRING")


def test_should_ensure_generated_struct_aliases_do_not_clash_for_numeric_field_names(ex: Exec) -> None:
    schema = _schema(
        ex,
        "`1` STRING KEY, `2` STRING KEY, `3_1` STRING KEY, `4` STRING, `5` STRING, S STRUCT<`3` STRING>",
        "`1`, `2`, `3_1`, S->`3`, S->`3`",
    )
    assert schema.endswith("`3` STRING, `3_2` STRING")


def test_should_generate_struct_aliases_for_schemas_with_any_column_names(ex: Exec) -> None:
    schema = _schema(
        ex,
        "`12345` STRING KEY, `12startsWithNumbers` STRING KEY, `12startsAndEndsWithNumbers84` STRING KEY, "
        "`numbers12In45Middle` STRING, `endsWithZero0` STRING, S STRUCT<`12345` STRING>",
        "`12345`, `12startsWithNumbers`, `12startsAndEndsWithNumbers84`, S->`12345`",
    )
    assert schema.endswith("`12345_1` STRING")


def test_should_ensure_generated_aliases_are_case_sensitive(ex: Exec) -> None:
    schema = _schema(
        ex,
        "KSQL_COL_0 STRING KEY, KSQL_COL_1 STRING KEY, `ksql_COL_2` STRING KEY, `someField` STRING, "
        "`SOMEFIELD_1` STRING, S STRUCT<KSQL_COL STRING, `someField` STRING>",
        "KSQL_COL_0, KSQL_COL_1, `ksql_COL_2`, S->KSQL_COL, S->`someField`",
    )
    assert schema.endswith("`KSQL_COL_2` STRING, `someField_1` STRING")


def _join_sources(ex: Exec, left: str, right: str) -> None:
    for name, columns in (("L", left), ("R", right)):
        ex.topic(name.lower())
        ex.run(f"CREATE STREAM {name} ({columns}) WITH (KAFKA_TOPIC='{name.lower()}', FORMAT='JSON');")


def _join(select: str) -> str:
    return f"CREATE STREAM J AS SELECT {select} FROM L FULL OUTER JOIN R WITHIN 1 SECOND ON L.ID = R.ID;"


def test_should_default_to_row_key_synthetic_join_column(ex: Exec) -> None:
    _join_sources(ex, "ID STRING KEY, V STRING", "ID STRING KEY, W STRING")
    ex.run(_join("*"))
    assert str(ex.engine.state.metastore.require("J").schema.describe(False)).startswith(
        "`ROWKEY` STRING KEY, "
    )


def test_should_increment_synthetic_join_column_on_clashes(ex: Exec) -> None:
    _join_sources(
        ex,
        "ID STRING KEY, ROWKEY STRING, ROWKEY_1 STRING, ROWKEY_2 STRING",
        "ID STRING KEY, `someField` STRING, ROWKEY_3 STRING",
    )
    ex.run(_join("*"))
    assert str(ex.engine.state.metastore.require("J").schema.describe(False)).startswith(
        "`ROWKEY_4` STRING KEY, "
    )


@pytest.mark.parametrize(
    ("column", "possible"),
    [
        ("ROWKEY_0", True),
        ("ROWKEY_1", True),
        ("`Rowkey_2`", False),
        ("`other_2`", False),
        ("`NotROWKEY_2`", False),
    ],
)
def test_should_detect_possible_synthetic_join_columns(ex: Exec, column: str, possible: bool) -> None:
    """shouldDetectPossibleSyntheticJoinColumns: an unknown name starting ROWKEY passes ColumnReferenceValidator
    (the synthetic key is known only once planned, where it then fails as an unknown column when it is not
    the key); any other unknown name is refused there."""
    _join_sources(ex, "ID STRING KEY, V STRING", "ID STRING KEY, W STRING")
    message = ex.error(_join(f"ROWKEY, {column}"))
    name = column.strip("`")
    if possible:
        assert message == f"Unknown column {name}."
    else:
        assert message == f"Line: 1, Col: 35: SELECT column '{name}' cannot be resolved."
    assert ex.run(_join("ROWKEY, V"))
