"""Kafka Streams 3.5's foreignkeyjoin.ResponseJoinProcessorSupplierTest as KSQL foreign-key join scenarios.

ResponseJoinProcessor joins a subscription response with the left table's current row only when the hash
the subscription carries is the hash of that row's serialized value: a response to a subscription that an
older left value made is stale and dropped. In ksqlDB no subscription goes stale in one synchronous pass:
its KsqlKeyExtractor wraps the foreign key in a GenericKey, so SubscriptionSendProcessorSupplier never skips
a null foreign key; it unsubscribes the old key and sends the null one, which
SubscriptionReceiveProcessorSupplier drops ("Skipping record due to null foreign key"). A response with a
null right value is a tombstone for an inner join, and for a left join the left row with nulls (a tombstone
when the left row is gone too).

Ported (each translated from the mocked processor into the records that make ksqlDB's query reach it):
shouldNotForwardWhenHashDoesNotMatch, shouldIgnoreUpdateWhenLeftHasBecomeNull, shouldForwardWhenHashMatches,
shouldEmitTombstoneForInnerJoinWhenRightIsNull, shouldEmitResultForLeftJoinWhenRightIsNull,
shouldEmitTombstoneForLeftJoinWhenRightIsNullAndLeftIsNull.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Joins

# the stale-subscription cases on the fast left-row loop (plan/fast/fkjoin.py) and on the generic operator
ENGINES = pytest.mark.parametrize("engine", ["joins", "generic_joins"])


@ENGINES
@pytest.mark.parametrize("kind", ["JOIN", "LEFT JOIN"])
def test_should_not_forward_when_hash_does_not_match(
    request: pytest.FixtureRequest, engine: str, kind: str
) -> None:
    """shouldNotForwardWhenHashDoesNotMatch: lhs1's update to a null foreign key is skipped, so its
    subscription to rhs1 stays with the hash of "lhsValue|rhs1"; rhs1's update answers it, and the answer is
    dropped because lhs1's value is now "oldLhsValue" (ResponseJoinProcessorSupplier.process: the message
    hash differs from the current value's). Our operator used to answer it with the new row."""
    t = request.getfixturevalue(engine).fk_join(kind)
    t.pipe(2, "rhs1", "rhsValue", 1)
    t.pipe(1, "lhs1", "lhsValue|rhs1", 2)
    t.check(("lhs1", "(lhsValue|rhs1,rhsValue)", 2))
    t.pipe(1, "lhs1", "oldLhsValue", 3)  # no foreign key: skipped
    t.check()
    t.pipe(2, "rhs1", "rhsValue2", 4)
    t.check()
    assert t.store() == {"lhs1": "(lhsValue|rhs1,rhsValue)"}


@ENGINES
@pytest.mark.parametrize("kind", ["JOIN", "LEFT JOIN"])
def test_should_ignore_update_when_left_has_become_null(
    request: pytest.FixtureRequest, engine: str, kind: str
) -> None:
    """shouldIgnoreUpdateWhenLeftHasBecomeNull: lhs1 deleted after an update to a null foreign key (the
    deletion is skipped too: its old value has no foreign key), so the subscription to rhs1 outlives the
    row; rhs1's update answers it and the answer is dropped (no current value, no matching hash)."""
    t = request.getfixturevalue(engine).fk_join(kind)
    t.pipe(2, "rhs1", "rhsValue", 1)
    t.pipe(1, "lhs1", "lhsValue|rhs1", 2)
    t.check(("lhs1", "(lhsValue|rhs1,rhsValue)", 2))
    t.pipe(1, "lhs1", "lhsValue", 3)
    t.pipe(1, "lhs1", None, 4)
    t.check()
    t.pipe(2, "rhs1", "rhsValue2", 5)
    t.check()


@pytest.mark.parametrize("kind", ["JOIN", "LEFT JOIN"])
def test_should_forward_when_hash_matches(joins: Joins, kind: str) -> None:
    """shouldForwardWhenHashMatches: a right update answers the current left value's subscription."""
    t = joins.fk_join(kind)
    t.pipe(1, "lhs1", "lhsValue|rhs1", 1)
    t.pipe(2, "rhs1", "rhsValue", 2)
    t.check(
        *([("lhs1", "(lhsValue|rhs1,null)", 1)] if kind == "LEFT JOIN" else []),
        ("lhs1", "(lhsValue|rhs1,rhsValue)", 2),
    )


def test_should_emit_tombstone_for_inner_join_when_right_is_null(joins: Joins) -> None:
    """shouldEmitTombstoneForInnerJoinWhenRightIsNull: the right row deleted, an inner join's result is a
    tombstone (stamped with the right deletion's time)."""
    t = joins.fk_join("JOIN")
    t.pipe(2, "rhs1", "rhsValue", 1)
    t.pipe(1, "lhs1", "lhsValue|rhs1", 2)
    t.pipe(2, "rhs1", None, 3)
    t.check(("lhs1", "(lhsValue|rhs1,rhsValue)", 2), ("lhs1", None, 3))


def test_should_emit_result_for_left_join_when_right_is_null(joins: Joins) -> None:
    """shouldEmitResultForLeftJoinWhenRightIsNull: the right row deleted, a left join's result is the left
    row with nulls."""
    t = joins.fk_join("LEFT JOIN")
    t.pipe(2, "rhs1", "rhsValue", 1)
    t.pipe(1, "lhs1", "lhsValue|rhs1", 2)
    t.pipe(2, "rhs1", None, 3)
    t.check(("lhs1", "(lhsValue|rhs1,rhsValue)", 2), ("lhs1", "(lhsValue|rhs1,null)", 3))


def test_should_emit_tombstone_for_left_join_when_right_is_null_and_left_is_null(joins: Joins) -> None:
    """shouldEmitTombstoneForLeftJoinWhenRightIsNullAndLeftIsNull: the left row deleted (its subscription
    deleted and answered with no hash and no right value), a left join's result is a tombstone."""
    t = joins.fk_join("LEFT JOIN")
    t.pipe(1, "lhs1", "lhsValue|rhs1", 1)
    t.pipe(1, "lhs1", None, 2)
    t.check(("lhs1", "(lhsValue|rhs1,null)", 1), ("lhs1", None, 2))


@ENGINES
def test_null_foreign_key_unsubscribes(request: pytest.FixtureRequest, engine: str) -> None:
    """shouldNotForwardWhenHashDoesNotMatch, through ksqlDB's KsqlKeyExtractor (a GenericKey, never a null
    foreign key) and SubscriptionSendProcessorSupplier: lhs1's update to a null foreign key unsubscribes it
    from rhs1 (DELETE_KEY_NO_PROPAGATE) and answers nothing (the null key is dropped on receipt); its next
    row, with rhs2, subscribes and is answered (PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE); rhs1 answers lhs1
    no more. Observed on ksqlDB 0.29 (the development oracle): a table row whose foreign key goes from null
    to a value joins at once."""
    t = request.getfixturevalue(engine).fk_join("JOIN")
    t.pipe(2, "rhs1", "a", 1)
    t.pipe(2, "rhs2", "b", 1)
    t.pipe(1, "lhs1", "v1|rhs1", 2)
    t.check(("lhs1", "(v1|rhs1,a)", 2))
    t.pipe(1, "lhs1", "v2", 3)
    t.check()
    t.pipe(1, "lhs1", "v3|rhs2", 4)
    t.pipe(2, "rhs2", "b2", 5)
    t.pipe(2, "rhs1", "a2", 6)
    t.check(("lhs1", "(v3|rhs2,b)", 4), ("lhs1", "(v3|rhs2,b2)", 5))
    t.pipe(1, "lhs1", "v4|rhs2", 7)
    t.check(("lhs1", "(v4|rhs2,b2)", 7))
    t.pipe(2, "rhs1", "a3", 8)
    t.pipe(2, "rhs2", "b3", 9)
    t.check(("lhs1", "(v4|rhs2,b3)", 9))
