"""ksqlDB 0.29's QueryValidatorUtilTest (ksqldb-engine, io.confluent.ksql.analyzer): queries over a source
with a user column named like a pseudocolumn added later (ROWPARTITION, ROWOFFSET) are refused. Only a
source created before ksqlDB 0.24 can have such a column: a new one is refused when it is created
(CreateSourceFactory.buildSchema), which is what a user of this server sees, so that is what is checked
here; the validator's own message ("Your stream/table has columns with the same name as newly introduced
pseudocolumns ...") needs a pre-0.24 command topic, which this server never wrote."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Ksql


@pytest.mark.parametrize("column", ["ROWPARTITION", "ROWOFFSET", "ROWTIME"])
def test_no_source_gets_a_pseudo_column_name(ksql: Ksql, column: str) -> None:
    """shouldThrowOnUserColumnsWithSameNameAsPseudoColumn, as far as a statement reaches it."""
    ksql.topic("p")
    msg = ksql.message(f"CREATE STREAM P (K STRING KEY, {column} INT) WITH (KAFKA_TOPIC='p', VALUE_FORMAT='JSON');")
    assert msg == f"'{column}' is a reserved column name. You cannot use it as a name for a column."
