"""ksqlDB 0.29's SourceSchemasTest (ksqldb-engine, io.confluent.ksql.analyzer): which of a join's sources hold
a column (SourceSchemas.sourcesWithField), as the column references of a joining CREATE STREAM AS SELECT
resolve: an unknown column and a column qualified by a source that lacks it cannot be resolved
(ColumnReferenceValidator), an unqualified column found in both sources is ambiguous (AstSanitizer), one
found in a single source or qualified by its source resolves. S1 and S2 are the Java test's SCHEMA_1 and
SCHEMA_2 without their ROWKEY key column (a join source here has one key column). matchesNonValueField and
the constructor's checks have no caller a statement reaches."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from ksqlserver.drivers.base import Record

if TYPE_CHECKING:
    from conftest import Ksql

_JOIN = "CREATE STREAM J AS SELECT S1.K0, {cols} FROM S1 JOIN S2 WITHIN 1 SECOND ON S1.K0 = S2.K1{where};"


def _rec(key: int, value: dict[str, str], ts: int) -> Record:
    return Record(key.to_bytes(4, "big", signed=True), json.dumps(value).encode(), ts)


@pytest.fixture
def joined(ksql: Ksql) -> Ksql:
    for n in ("s1", "s2"):
        ksql.topic(n)
    ksql.execute("CREATE STREAM S1 (K0 INT KEY, V0 STRING, V1 STRING) WITH (KAFKA_TOPIC='s1', VALUE_FORMAT='JSON');")
    ksql.execute("CREATE STREAM S2 (K1 INT KEY, V0 STRING, V2 STRING) WITH (KAFKA_TOPIC='s2', VALUE_FORMAT='JSON');")
    return ksql


@pytest.mark.parametrize(
    ("cols", "message"),
    [
        ("UNKNOWN", "Line: 1, Col: 34: SELECT column 'UNKNOWN' cannot be resolved."),  # shouldFindNoField
        ("S1.V2", "Line: 1, Col: 34: SELECT column 'S1.V2' cannot be resolved."),  # shouldFindNoQualifiedField
    ],
)
def test_should_find_no_field(joined: Ksql, cols: str, message: str) -> None:
    """shouldFindNoField / shouldFindNoQualifiedField."""
    assert joined.message(_JOIN.format(cols=cols, where="")) == message


@pytest.mark.parametrize(("where", "col"), [("", 34), (" WHERE V0 = 'a'", 92)])
def test_should_find_unqualified_common_field(joined: Ksql, where: str, col: int) -> None:
    """shouldFindUnqualifiedCommonField: V0 is in both sources, in SELECT and in WHERE."""
    cols = "V0" if not where else "V1"
    msg = joined.message(_JOIN.format(cols=cols, where=where))
    assert msg == f"Exception while preparing statement: Line: 1, Col: {col}: Column 'V0' is ambiguous. Could be S1.V0 or S2.V0."


def test_should_find_unique_and_qualified_fields(joined: Ksql) -> None:
    """shouldFindUnqualifiedUniqueField / shouldFindQualifiedUniqueField /
    shouldFindQualifiedFieldOnlyInThatSource: V1 (only in S1), S2.V2, and S1.V0 resolve to their source."""
    joined.execute(_JOIN.format(cols="V1, S2.V2, S1.V0, S2.V0", where=""))
    assert joined.schema("J") == "`K0` INTEGER KEY, `V1` STRING, `V2` STRING, `S1_V0` STRING, `S2_V0` STRING"
    joined.driver.produce("s1", [_rec(1, {"V0": "a0", "V1": "a1"}, 10)])
    joined.driver.produce("s2", [_rec(1, {"V0": "b0", "V2": "b2"}, 20)])
    assert joined.values("J") == [{"V1": "a1", "V2": "b2", "S1_V0": "a0", "S2_V0": "b0"}]
