"""ksqlDB 0.29's RegisterTypeFactoryTest (ksqldb-engine, io.confluent.ksql.ddl.commands): CREATE TYPE of a new
name registers it, with or without IF NOT EXISTS; an existing name is kept under IF NOT EXISTS and refused
otherwise, the message printing the registered type (SqlType.toString). The parser upper-cases the
unquoted names the Java test passes raw."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from ksqlserver.catalog.types import ast_type

if TYPE_CHECKING:
    from conftest import Ksql

_EXISTING = "CREATE TYPE existing_type AS STRUCT<foo STRING>;"


def _registered(ksql: Ksql, name: str) -> str | None:
    t = ksql.engine.state.metastore.types.get(name)
    return None if t is None else str(ast_type(t))


@pytest.mark.parametrize("if_not_exists", ["", "IF NOT EXISTS "])
def test_should_create_command_for_register_type(ksql: Ksql, if_not_exists: str) -> None:
    """shouldCreateCommandForRegisterTypeWhenIfNotExitsSet / ...NotSet: the new name has the statement's type."""
    (status,) = ksql.execute(f"CREATE TYPE {if_not_exists}not_existing_type AS STRUCT<foo STRING>;")
    assert status["commandStatus"]["status"] == "SUCCESS"
    # DdlCommandExec.executeRegisterType's result
    assert status["commandStatus"]["message"] == (
        "Registered custom type with name 'NOT_EXISTING_TYPE' and SQL type STRUCT<`FOO` STRING>"
    )
    assert _registered(ksql, "NOT_EXISTING_TYPE") == "STRUCT<`FOO` STRING>"


def test_should_not_throw_on_register_existing_type_when_if_not_exists_set(ksql: Ksql) -> None:
    """shouldNotThrowOnRegisterExistingTypeWhenIfNotExistsSet: the existing registration stays."""
    ksql.execute("CREATE TYPE existing_type AS STRUCT<foo STRING, bar INT>;")
    (status,) = ksql.execute("CREATE TYPE IF NOT EXISTS existing_type AS STRUCT<foo STRING>;")
    assert status["commandStatus"]["status"] == "SUCCESS"
    assert status["commandStatus"]["message"] == (
        "EXISTING_TYPE is already registered with type STRUCT<`FOO` STRING, `BAR` INTEGER>"
    )
    assert _registered(ksql, "EXISTING_TYPE") == "STRUCT<`FOO` STRING, `BAR` INTEGER>"


def test_should_throw_on_register_existing_type_when_if_not_exists_not_set(ksql: Ksql) -> None:
    """shouldThrowOnRegisterExistingTypeWhenIfNotExistsNotSet."""
    ksql.execute(_EXISTING)
    msg = ksql.message("CREATE TYPE existing_type AS STRUCT<foo STRING>;")
    assert msg == "Cannot register custom type 'EXISTING_TYPE' since it is already registered with type: STRUCT<`FOO` STRING>"
