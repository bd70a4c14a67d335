"""ksqlDB's NoneFormatTest (io.confluent.ksql.serde.none): NONE refuses columns with NoneFormat.getSerde's
text (the columns as a Java List prints them) and otherwise writes and reads nothing (KsqlVoidSerde)."""

from __future__ import annotations

import pytest

from ksqlserver.catalog.types import Column, parse_type
from ksqlserver.errors import FormatError
from ksqlserver.formats import SerdeOptions, get_format


def test_should_throw_on_columns() -> None:
    """shouldThrowOnColumns."""
    with pytest.raises(FormatError) as e:
        get_format("NONE").serde([Column("column", parse_type("INT"))], SerdeOptions(), False)
    assert str(e.value) == "The 'NONE' format can only be used when no columns are defined. Got: [`column` INTEGER]"


def test_should_return_void_serde() -> None:
    """shouldReturnVoidSerde: nothing is written."""
    s = get_format("NONE").serde([], SerdeOptions(), True)
    assert s.serialize([]) is None and s.serialize(None) is None
