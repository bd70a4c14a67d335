"""ksqlDB 0.29's StructuredDataSourceTest (ksqldb-metastore, io.confluent.ksql.metastore.model): what
DataSource.canUpgradeTo refuses when CREATE OR REPLACE changes a source, through MetaStoreImpl.putSource's
"Cannot upgrade data source: ..."."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # the fixture's helper (conftest is not importable under --import-mode=importlib)
    from conftest import Ksql

_PREFIX = "Cannot upgrade data source: DataSource '`S`' has "


@pytest.fixture
def s(ksql: Ksql) -> Ksql:
    for topic in ("a", "b"):
        ksql.engine.driver.create_topic(topic, partitions=1)
    ksql.execute("CREATE STREAM S (K INT KEY, V INT, W BIGINT) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='JSON');")
    return ksql


def _replace(k: Ksql, columns: str, with_: str = "", kind: str = "STREAM") -> str:
    return k.message(
        f"CREATE OR REPLACE {kind} S ({columns}) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='JSON'{with_});"
    )


@pytest.mark.parametrize(
    ("with_", "expected"),
    [
        (", TIMESTAMP='W'",
         "timestampColumn = Optional.empty which is not upgradeable to Optional[TimestampColumn{column=`W`, "
         "format=Optional.empty}]"),
        (", TIMESTAMP='W', TIMESTAMP_FORMAT='yyyy'",
         "timestampColumn = Optional.empty which is not upgradeable to Optional[TimestampColumn{column=`W`, "
         "format=Optional[yyyy]}]"),
    ],
)  # fmt: skip
def test_same_timestamp_column(s: Ksql, with_: str, expected: str) -> None:
    """shouldEnforceSameTimestampColumn (TimestampColumn.toString, its ColumnName back-quoted)."""
    columns = "K INT KEY, V INT, W BIGINT" if "FORMAT" not in with_ else "K INT KEY, V INT, W STRING"
    msg = _replace(s, columns, with_)
    assert msg.startswith(_PREFIX)
    assert expected in msg


def test_same_type(s: Ksql) -> None:
    """shouldEnforceSameType."""
    assert "has type = KSTREAM which is not upgradeable to KTABLE" in _replace(
        s, "K INT PRIMARY KEY, V INT, W BIGINT", kind="TABLE"
    )


def test_same_topic(s: Ksql) -> None:
    """shouldEnforceSameTopic: the KsqlTopic, printed whole."""
    msg = s.message(
        "CREATE OR REPLACE STREAM S (K INT KEY, V INT, W BIGINT) WITH (KAFKA_TOPIC='b', VALUE_FORMAT='JSON');"
    )
    assert "has topic = KsqlTopic{kafkaTopicName='a', " in msg
    assert "which is not upgradeable to KsqlTopic{kafkaTopicName='b', " in msg


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        # shouldEnforceNoRemovedColumns
        ("K INT KEY, V INT", "The following columns are changed, missing or reordered: [`W` BIGINT]"),
        # shouldEnforceNoTypeChange
        ("K INT KEY, V BIGINT, W BIGINT", "The following columns are changed, missing or reordered: [`V` INTEGER]"),
        # shouldEnforceNoReordering
        ("K INT KEY, W BIGINT, V INT",
         "The following columns are changed, missing or reordered: [`V` INTEGER, `W` BIGINT]"),
        # shouldEnforceNoTypeChangeKey
        ("K BIGINT KEY, V INT, W BIGINT",
         "Key columns must be identical. The following key columns are changed, missing or reordered: "
         "[`K` INTEGER KEY]"),
    ],
)  # fmt: skip
def test_schema_changes(s: Ksql, columns: str, expected: str) -> None:
    """StructuredDataSource.checkSchemas: the key first, then every column (a set difference, in order)."""
    msg = _replace(s, columns)
    assert msg.startswith(
        _PREFIX + "schema = `K` INTEGER KEY, `V` INTEGER, `W` BIGINT which is not upgradeable to "
    )
    assert f". ({expected})" in msg


def test_added_column(s: Ksql) -> None:
    """StructuredDataSource.checkSchemas: a value column added at the end is an upgrade."""
    s.execute(
        "CREATE OR REPLACE STREAM S (K INT KEY, V INT, W BIGINT, X INT) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='JSON');"
    )
    assert s.schema("S") == "`K` INTEGER KEY, `V` INTEGER, `W` BIGINT, `X` INTEGER"


def test_several_issues(s: Ksql) -> None:
    """canUpgradeTo joins its issues with '\\n\\tAND '."""
    msg = _replace(s, "K INT PRIMARY KEY, V INT", kind="TABLE")
    assert "has type = KSTREAM which is not upgradeable to KTABLE\n\tAND DataSource '`S`' has schema = " in msg
