"""Kafka Streams 3.5's KTableKTableForeignKeyJoinIntegrationTest (org.apache.kafka.streams.integration) as
KSQL foreign-key table-table joins (`CREATE TABLE J AS SELECT ... FROM L [LEFT] JOIN R ON L.FK = R.K`).

ksqlDB 0.29's ForeignKeyTableTableJoinBuilder calls `left.join(right, keyExtractor, joiner, materialized)`
(or `leftJoin`), the subscription / response protocol of the Java test's topology; its result table is
materialized, so the Java test's `store` (materialized=true) is read with a pull query here, and its
`readKeyValuesToMap` of the output topic is the last record per key among those not read yet. The Java
parameters: leftJoin (parametrized here); materialized (ksqlDB always materializes: the store is asserted
in every case); optimization (no effect on records); rejoin (a second CTAS joining the result back with
the left table, for doJoinFromLeftThenDeleteLeftEntity, the one test asserting it); versioned stores
(KTableKTableForeignKeyVersionedJoinIntegrationTest: ksqlDB 0.29 has no versioned tables).

Ported: doJoinFromLeftThenDeleteLeftEntity, doJoinFromRightThenDeleteRightEntity,
shouldEmitTombstoneWhenDeletingNonJoiningRecords, shouldNotEmitTombstonesWhenDeletingNonExistingRecords,
joinShouldProduceNullsWhenValueHasNonMatchingForeignKey, shouldUnsubscribeOldForeignKeyIfLeftSideIsUpdated, and
doJoinFromLeftThenDeleteLeftEntity with rejoin.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Joins

BASE = 1000  # baseTimestamp

JOIN_KINDS = pytest.mark.parametrize("left_join", [True, False], ids=["left", "inner"])


def kind(left_join: bool) -> str:
    return "LEFT JOIN" if left_join else "JOIN"


@JOIN_KINDS
def test_do_join_from_left_then_delete_left_entity(joins: Joins, left_join: bool) -> None:
    """doJoinFromLeftThenDeleteLeftEntity."""
    t = joins.fk_join(kind(left_join))
    # Pre-populate the RHS records. This test is all about what happens when we add/remove LHS records
    t.pipe(2, "rhs1", "rhsValue1", BASE)
    t.pipe(2, "rhs2", "rhsValue2", BASE + 1)
    t.pipe(2, "rhs3", "rhsValue3", BASE + 2)  # this unreferenced FK won't show up in any results
    assert t.read_to_map() == {}
    assert t.store() == {}

    t.pipe(1, "lhs1", "lhsValue1|rhs1", BASE + 3)
    t.pipe(1, "lhs2", "lhsValue2|rhs2", BASE + 4)
    expected = {"lhs1": "(lhsValue1|rhs1,rhsValue1)", "lhs2": "(lhsValue2|rhs2,rhsValue2)"}
    assert t.read_to_map() == expected
    assert t.store() == expected

    # Add another reference to an existing FK
    t.pipe(1, "lhs3", "lhsValue3|rhs1", BASE + 5)
    assert t.read_to_map() == {"lhs3": "(lhsValue3|rhs1,rhsValue1)"}
    assert t.store() == {
        "lhs1": "(lhsValue1|rhs1,rhsValue1)",
        "lhs2": "(lhsValue2|rhs2,rhsValue2)",
        "lhs3": "(lhsValue3|rhs1,rhsValue1)",
    }

    # Now delete one LHS entity such that one delete is propagated down to the output.
    t.pipe(1, "lhs1", None, BASE + 6)
    assert t.read_to_map() == {"lhs1": None}
    assert t.store() == {"lhs2": "(lhsValue2|rhs2,rhsValue2)", "lhs3": "(lhsValue3|rhs1,rhsValue1)"}


@JOIN_KINDS
def test_do_join_from_right_then_delete_right_entity(joins: Joins, left_join: bool) -> None:
    """doJoinFromRightThenDeleteRightEntity."""
    t = joins.fk_join(kind(left_join))
    # Pre-populate the LHS records. This test is all about what happens when we add/remove RHS records
    t.pipe(1, "lhs1", "lhsValue1|rhs1", BASE)
    t.pipe(1, "lhs2", "lhsValue2|rhs2", BASE + 1)
    t.pipe(1, "lhs3", "lhsValue3|rhs1", BASE + 2)
    half = {
        "lhs1": "(lhsValue1|rhs1,null)",
        "lhs2": "(lhsValue2|rhs2,null)",
        "lhs3": "(lhsValue3|rhs1,null)",
    }
    assert t.read_to_map() == (half if left_join else {})
    assert t.store() == (half if left_join else {})

    t.pipe(2, "rhs1", "rhsValue1", BASE + 3)
    assert t.read_to_map() == {"lhs1": "(lhsValue1|rhs1,rhsValue1)", "lhs3": "(lhsValue3|rhs1,rhsValue1)"}
    joined = {"lhs1": "(lhsValue1|rhs1,rhsValue1)", "lhs3": "(lhsValue3|rhs1,rhsValue1)"}
    assert t.store() == ({**joined, "lhs2": "(lhsValue2|rhs2,null)"} if left_join else joined)

    t.pipe(2, "rhs2", "rhsValue2", BASE + 4)
    assert t.read_to_map() == {"lhs2": "(lhsValue2|rhs2,rhsValue2)"}
    everything = {**joined, "lhs2": "(lhsValue2|rhs2,rhsValue2)"}
    assert t.store() == everything

    t.pipe(2, "rhs3", "rhsValue3", BASE + 5)  # this unreferenced FK won't show up in any results
    assert t.read_to_map() == {}
    assert t.store() == everything

    # Now delete the RHS entity such that all matching keys have deletes propagated.
    t.pipe(2, "rhs1", None, BASE + 6)
    assert t.read_to_map() == {
        "lhs1": "(lhsValue1|rhs1,null)" if left_join else None,
        "lhs3": "(lhsValue3|rhs1,null)" if left_join else None,
    }
    assert t.store() == (
        {
            "lhs1": "(lhsValue1|rhs1,null)",
            "lhs2": "(lhsValue2|rhs2,rhsValue2)",
            "lhs3": "(lhsValue3|rhs1,null)",
        }
        if left_join
        else {"lhs2": "(lhsValue2|rhs2,rhsValue2)"}
    )


@JOIN_KINDS
def test_should_emit_tombstone_when_deleting_non_joining_records(joins: Joins, left_join: bool) -> None:
    """shouldEmitTombstoneWhenDeletingNonJoiningRecords."""
    t = joins.fk_join(kind(left_join))
    t.pipe(1, "lhs1", "lhsValue1|rhs1", BASE)
    expected = {"lhs1": "(lhsValue1|rhs1,null)"} if left_join else {}
    assert t.read_to_map() == expected
    assert t.store() == expected

    # Deleting a non-joining record produces an unnecessary tombstone for inner joins, because
    # it's not possible to know whether a result was previously emitted.
    # For the left join, the tombstone is necessary.
    t.pipe(1, "lhs1", None, BASE + 1)
    assert t.read_to_map() == {"lhs1": None}
    assert t.store() == {}

    # Deleting a non-existing record is idempotent
    t.pipe(1, "lhs1", None, BASE + 2)
    assert t.read_to_map() == {}
    assert t.store() == {}


@JOIN_KINDS
def test_should_not_emit_tombstones_when_deleting_non_existing_records(joins: Joins, left_join: bool) -> None:
    """shouldNotEmitTombstonesWhenDeletingNonExistingRecords."""
    t = joins.fk_join(kind(left_join))
    # Deleting a record that never existed doesn't need to emit tombstones.
    t.pipe(1, "lhs1", None, BASE)
    assert t.read_to_map() == {}
    assert t.store() == {}


@JOIN_KINDS
def test_join_should_produce_nulls_when_value_has_non_matching_foreign_key(
    joins: Joins, left_join: bool
) -> None:
    """joinShouldProduceNullsWhenValueHasNonMatchingForeignKey."""
    t = joins.fk_join(kind(left_join))
    t.pipe(1, "lhs1", "lhsValue1|rhs1", BASE)
    # no output for a new inner join on a non-existent FK
    # the left join of course emits the half-joined output
    expected = {"lhs1": "(lhsValue1|rhs1,null)"} if left_join else {}
    assert t.read_to_map() == expected
    assert t.store() == expected
    # "moving" our subscription to another non-existent FK results in an unnecessary tombstone for inner join,
    # since it impossible to know whether the prior FK existed or not (and thus whether any results have
    # previously been emitted)
    # The left join emits a _necessary_ update (since the lhs record has actually changed)
    t.pipe(1, "lhs1", "lhsValue1|rhs2", BASE + 1)
    assert t.read_to_map() == {"lhs1": "(lhsValue1|rhs2,null)" if left_join else None}
    assert t.store() == ({"lhs1": "(lhsValue1|rhs2,null)"} if left_join else {})
    # of course, moving it again to yet another non-existent FK has the same effect
    t.pipe(1, "lhs1", "lhsValue1|rhs3", BASE + 2)
    assert t.read_to_map() == {"lhs1": "(lhsValue1|rhs3,null)" if left_join else None}
    assert t.store() == ({"lhs1": "(lhsValue1|rhs3,null)"} if left_join else {})

    # Adding an RHS record now, so that we can demonstrate "moving" from a non-existent FK to an existent one
    # This RHS key was previously referenced, but it's not referenced now, so adding this record should
    # result in no changes whatsoever.
    t.pipe(2, "rhs1", "rhsValue1", BASE + 3)
    assert t.read_to_map() == {}
    assert t.store() == ({"lhs1": "(lhsValue1|rhs3,null)"} if left_join else {})

    # now, we change to a FK that exists, and see the join completes
    t.pipe(1, "lhs1", "lhsValue1|rhs1", BASE + 4)
    assert t.read_to_map() == {"lhs1": "(lhsValue1|rhs1,rhsValue1)"}
    assert t.store() == {"lhs1": "(lhsValue1|rhs1,rhsValue1)"}

    # but if we update it again to a non-existent one, we'll get a tombstone for the inner join, and the
    # left join updates appropriately.
    t.pipe(1, "lhs1", "lhsValue1|rhs2", BASE + 5)
    assert t.read_to_map() == {"lhs1": "(lhsValue1|rhs2,null)" if left_join else None}
    assert t.store() == ({"lhs1": "(lhsValue1|rhs2,null)"} if left_join else {})


@JOIN_KINDS
def test_should_unsubscribe_old_foreign_key_if_left_side_is_updated(joins: Joins, left_join: bool) -> None:
    """shouldUnsubscribeOldForeignKeyIfLeftSideIsUpdated."""
    t = joins.fk_join(kind(left_join))
    # Pre-populate the RHS records. This test is all about what happens when we change LHS records foreign key
    # reference then populate update on RHS
    t.pipe(2, "rhs1", "rhsValue1", BASE)
    t.pipe(2, "rhs2", "rhsValue2", BASE + 1)
    assert t.read_to_map() == {}
    assert t.store() == {}

    t.pipe(1, "lhs1", "lhsValue1|rhs1", BASE + 2)
    assert t.read_to_map() == {"lhs1": "(lhsValue1|rhs1,rhsValue1)"}
    assert t.store() == {"lhs1": "(lhsValue1|rhs1,rhsValue1)"}

    # Change LHS foreign key reference
    t.pipe(1, "lhs1", "lhsValue1|rhs2", BASE + 3)
    assert t.read_to_map() == {"lhs1": "(lhsValue1|rhs2,rhsValue2)"}
    assert t.store() == {"lhs1": "(lhsValue1|rhs2,rhsValue2)"}

    # Populate RHS update on old LHS foreign key ref
    t.pipe(2, "rhs1", "rhsValue1Delta", BASE + 4)
    assert t.read_to_map() == {}
    assert t.store() == {"lhs1": "(lhsValue1|rhs2,rhsValue2)"}


@JOIN_KINDS
def test_do_join_from_left_then_delete_left_entity_rejoin(joins: Joins, left_join: bool) -> None:
    """doJoinFromLeftThenDeleteLeftEntity with rejoin=true: the FK join's result joined back with the left
    table on the primary key (`fkJoin.join(left, rejoiner)` / `leftJoin`), here a second CTAS over the first
    one's table; its output read as the Java test's REJOIN_OUTPUT map."""
    t = joins.fk_join(kind(left_join))
    n = t.sink[1:]
    joins.engine.execute(
        f"CREATE TABLE RJ{n} AS SELECT J.K AS K, 'rejoin(' + "
        f"'(' + J.L_V + ',' + COALESCE(J.R_V, 'null') + '),' + COALESCE(L.V, 'null') + ')' AS V "
        f"FROM J{n} J {kind(left_join)} L{n} L ON J.K = L.K;"
    )
    topic = joins.engine.state.metastore.require(f"RJ{n}").topic
    seen = 0

    def rejoin_map() -> dict[str, str | None]:
        nonlocal seen
        joins.engine.drain()
        records = joins.driver.records(topic)
        fresh, seen = records[seen:], len(records)
        return {r.key.decode(): None if r.value is None else json.loads(r.value)["V"] for r in fresh}

    t.pipe(2, "rhs1", "rhsValue1", BASE)
    t.pipe(2, "rhs2", "rhsValue2", BASE + 1)
    t.pipe(2, "rhs3", "rhsValue3", BASE + 2)
    assert rejoin_map() == {}
    t.pipe(1, "lhs1", "lhsValue1|rhs1", BASE + 3)
    t.pipe(1, "lhs2", "lhsValue2|rhs2", BASE + 4)
    assert rejoin_map() == {
        "lhs1": "rejoin((lhsValue1|rhs1,rhsValue1),lhsValue1|rhs1)",
        "lhs2": "rejoin((lhsValue2|rhs2,rhsValue2),lhsValue2|rhs2)",
    }
    t.pipe(1, "lhs3", "lhsValue3|rhs1", BASE + 5)
    assert rejoin_map() == {"lhs3": "rejoin((lhsValue3|rhs1,rhsValue1),lhsValue3|rhs1)"}
    t.pipe(1, "lhs1", None, BASE + 6)
    assert rejoin_map() == {"lhs1": None}
