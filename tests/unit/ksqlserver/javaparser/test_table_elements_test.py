"""ksqlDB 0.29's TableElementsTest (ksqldb-parser, io.confluent.ksql.parser.tree), ported through CREATE
statements: TableElements.of refuses duplicate names while AstBuilder builds the statement."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ksqlserver.engine import Engine
from ksqlserver.errors import KsqlError


@pytest.mark.parametrize(
    ("columns", "names"),
    [
        ("k0 STRING KEY, k0 STRING KEY, k1 STRING KEY, v STRING", ("K0",)),  # shouldThrowOnDuplicateKeyColumns
        ("k0 ARRAY<STRUCT<`KEY` STRING, `VALUE` BYTES>> HEADERS, k0 BYTES HEADER('a'), v STRING", ("K0",)),
        ("v0 INT, v0 INT, v1 INT, v1 INT", ("V0", "V1")),  # shouldThrowOnDuplicateValueColumns
        ("v0 INT KEY, v0 INT, v1 INT KEY, v1 INT", ("V0", "V1")),  # shouldThrowOnDuplicateKeyValueColumns
    ],
)
def test_throw_on_duplicate_columns(refused: Callable[[str], KsqlError], columns: str, names: tuple[str, ...]) -> None:
    """TableElementsTest.shouldThrowOnDuplicate{Key,Header,Value,KeyValue}Columns."""
    msg = refused(f"CREATE STREAM d ({columns}) WITH (kafka_topic='foo', value_format='JSON');").message
    assert "Duplicate column names:" in msg
    assert all(n in msg for n in names)


def test_key_header_and_value_columns_interleaved(engine: Engine) -> None:
    """TableElementsTest.shouldSupportKeyColumnsAfterValues /
    shouldBuildLogicalSchemaWithKeyHeaderAndValueColumnsInterleaved: accepted; the schema keeps the order
    within keys and within values."""
    engine.execute(
        "CREATE STREAM i (v0 INT, k0 INT KEY, v1 STRING, h1 BYTES HEADER('key'), k1 INT KEY) "
        "WITH (kafka_topic='foo', key_format='JSON', value_format='JSON');"
    )
    [entity] = engine.execute("DESCRIBE i;")
    names = [f["name"] for f in entity["sourceDescription"]["fields"]]
    assert [n for n in names if n.startswith("K")] == ["K0", "K1"]
    assert [n for n in names if n.startswith("V")] == ["V0", "V1"]
    assert "H1" in names


def test_throw_when_no_elements(refused: Callable[[str], KsqlError]) -> None:
    """TableElementsTest.shouldThrowWhenBuildLogicalSchemaIfNoElements ("No columns supplied." there; a
    CREATE without columns nor a format that infers them is refused as ksqlDB's DdlCommandFactory words it)."""
    msg = refused("CREATE STREAM e WITH (kafka_topic='foo', value_format='JSON');").message
    assert msg == "The statement does not define any columns."
