"""ksqlDB 0.29's MetaStoreImplTest (ksqldb-metastore, io.confluent.ksql.metastore) through statements: a
name holds one source (MetaStoreImpl.putSource), a CREATE ... AS SELECT links its sink to the sources it reads
(DdlCommandExec -> addSourceReferences) and those sources cannot be dropped while the sink exists
(deleteSource), CREATE OR REPLACE keeps the links, and the type registry (registerType / resolveType) feeds
column types. Not reachable by a statement, so not ported: the deep copies (copy), the view's
immutability, a source referencing itself or an unknown source (the analyzer refuses such queries first),
deleting an unknown source (DROP reports "does not exist" before the metastore is asked), the
restore-in-progress drop and the thread-safety check."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Ksql

_SOME = "CREATE STREAM SOME_SOURCE (K STRING KEY, V STRING) WITH (KAFKA_TOPIC='some', VALUE_FORMAT='JSON');"
_LINKED = "CREATE STREAM OTHER_SOURCE AS SELECT * FROM SOME_SOURCE;"


@pytest.fixture
def linked(ksql: Ksql) -> Ksql:
    ksql.topic("some")
    ksql.execute(_SOME)
    ksql.execute(_LINKED)
    return ksql


@pytest.mark.parametrize(
    ("again", "message"),
    [
        (_SOME, "Cannot add stream 'SOME_SOURCE': A stream with the same name already exists"),
        (
            "CREATE TABLE SOME_SOURCE (K STRING PRIMARY KEY, V STRING) WITH (KAFKA_TOPIC='some', VALUE_FORMAT='JSON');",
            "Cannot add table 'SOME_SOURCE': A stream with the same name already exists",
        ),
    ],
)
def test_should_throw_on_duplicate_source(ksql: Ksql, again: str, message: str) -> None:
    """shouldThrowOnDuplicateSource."""
    ksql.topic("some")
    ksql.execute(_SOME)
    assert ksql.message(again) == message


def test_should_throw_on_delete_source_if_another_source_is_linked(linked: Ksql) -> None:
    """shouldThrowOnDeleteSourceIfAnotherSourceIsLinked: the message lists the sinks reading the source."""
    assert linked.message("DROP STREAM SOME_SOURCE;") == (
        "Cannot drop SOME_SOURCE.\n"
        "The following streams and/or tables read from this source: [OTHER_SOURCE].\n"
        "You need to drop them before dropping SOME_SOURCE."
    )
    assert linked.source("SOME_SOURCE") is not None


def test_should_delete_source_after_linked_source_is_deleted(linked: Ksql) -> None:
    """shouldDeleteSourceAfterLinkedSourceIsDeleted."""
    linked.execute("DROP STREAM OTHER_SOURCE;")
    linked.execute("DROP STREAM SOME_SOURCE;")
    assert linked.engine.state.metastore.get("SOME_SOURCE") is None
    assert linked.engine.state.metastore.get("OTHER_SOURCE") is None


def test_insert_queries_are_reported_before_linked_sources(linked: Ksql) -> None:
    """EngineContext.executeDdl: throwIfInsertQueriesExist runs before MetaStoreImpl.deleteSource, so a
    source an INSERT INTO reads names that query, not the linked sinks."""
    linked.execute("INSERT INTO OTHER_SOURCE SELECT * FROM SOME_SOURCE;")
    (insert,) = [q for q in linked.engine.state.persistent if q.startswith("INSERTQUERY_")]
    assert linked.message("DROP STREAM SOME_SOURCE;") == (
        "Cannot drop SOME_SOURCE.\n"
        f"The following queries read from this source: [{insert}].\n"
        "The following queries write into this source: [].\n"
        "You need to terminate them before dropping SOME_SOURCE."
    )


@pytest.mark.parametrize(
    "replace",
    [
        "CREATE OR REPLACE STREAM SOME_SOURCE (K STRING KEY, V STRING, W INT) "
        "WITH (KAFKA_TOPIC='some', VALUE_FORMAT='JSON');",
        "CREATE OR REPLACE STREAM OTHER_SOURCE AS SELECT * FROM SOME_SOURCE;",
    ],
)
def test_should_replace_source_copy_linked_and_referential_sources(linked: Ksql, replace: str) -> None:
    """shouldReplaceSourceCopyLinkedAndReferentialSources: replacing either end keeps the link."""
    linked.execute(replace)
    assert "read from this source: [OTHER_SOURCE]" in linked.message("DROP STREAM SOME_SOURCE;")


def test_should_register_type(ksql: Ksql) -> None:
    """shouldRegisterType: a registered name resolves to its type where a column type is written."""
    ksql.topic("some")
    ksql.execute("CREATE TYPE foo AS STRING;")
    ksql.execute("CREATE STREAM S (K STRING KEY, V foo) WITH (KAFKA_TOPIC='some', VALUE_FORMAT='JSON');")
    assert ksql.schema("S") == "`K` STRING KEY, `V` STRING"


def test_should_not_find_unregistered_type(ksql: Ksql) -> None:
    """shouldNotFindUnregisteredType."""
    ksql.topic("some")
    msg = ksql.message("CREATE STREAM S (K STRING KEY, V foo) WITH (KAFKA_TOPIC='some', VALUE_FORMAT='JSON');")
    assert msg == "Failed to prepare statement: Cannot resolve unknown type: FOO"
