"""ksqlDB 0.29's DropTypeFactoryTest (ksqldb-engine, io.confluent.ksql.ddl.commands): DROP TYPE of a registered
name, with or without IF EXISTS; of an unknown one, accepted under IF EXISTS and refused otherwise."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Ksql


@pytest.mark.parametrize("if_exists", ["", "IF EXISTS "])
def test_should_create_drop_type(ksql: Ksql, if_exists: str) -> None:
    """shouldCreateDropType / shouldCreateDropTypeForExistingTypeAndIfExistsSet."""
    ksql.execute("CREATE TYPE existing_type AS STRUCT<foo STRING>;")
    (status,) = ksql.execute(f"DROP TYPE {if_exists}existing_type;")
    assert status["commandStatus"]["status"] == "SUCCESS"
    assert status["commandStatus"]["message"] == "Dropped type 'EXISTING_TYPE'"  # DdlCommandExec.executeDropType
    assert "EXISTING_TYPE" not in ksql.engine.state.metastore.types


def test_should_not_fail_if_type_does_not_exist_and_if_exists_set(ksql: Ksql) -> None:
    """shouldNotFailCreateTypeIfTypeDoesNotExistAndIfExistsSet."""
    (status,) = ksql.execute("DROP TYPE IF EXISTS not_existing_type;")
    assert status["commandStatus"]["status"] == "SUCCESS"
    assert status["commandStatus"]["message"] == "Type 'NOT_EXISTING_TYPE' does not exist"


def test_should_fail_if_type_does_not_exist(ksql: Ksql) -> None:
    """shouldFailCreateTypeIfTypeDoesNotExist."""
    assert ksql.message("DROP TYPE not_existing_type;") == "Type NOT_EXISTING_TYPE does not exist."
