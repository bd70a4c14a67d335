"""Kafka Streams 3.5's foreignkeyjoin.ForeignTableJoinProcessorSupplierTest as KSQL foreign-key join scenarios.

Despite its name, the 3.5.1 class tests SubscriptionJoinProcessorSupplier (renamed in KAFKA #13589): a
subscription arriving at the right table, answered by its instruction with the right row "foo" of fk1
(timestamp 1) or with none; an answer is stamped with the later of the subscription's and the right row's
timestamps. The instructions are SubscriptionSendProcessorSupplier's: DELETE_KEY_AND_PROPAGATE for a left
deletion, PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE for a new left row of an inner join,
PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE for a left join's new row and for every update, DELETE_KEY_NO_PROPAGATE
to the old foreign key of an update that changes it. The V0 / V1 variants (SubscriptionWrapper versions on
the wire) have one scenario each.

Ported: shouldDeleteKeyAndPropagateFKV0 / V1, shouldPropagateOnlyIfFKAvailableV0 / V1,
shouldPropagateNullIfNoFKAvailableV0 / V1, shouldDeleteKeyNoPropagateV0 / V1.
Skipped:
- shouldDetectVersionChange: asserts SubscriptionWrapper.CURRENT_VERSION, a constant of the wire format.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Joins


@pytest.mark.parametrize("kind", ["JOIN", "LEFT JOIN"])
def test_should_delete_key_and_propagate_fk(joins: Joins, kind: str) -> None:
    """shouldDeleteKeyAndPropagateFKV0 / V1: pk1's deletion is answered with no right value: a tombstone
    for pk1, stamped with the later of the deletion's and fk1's timestamps."""
    t = joins.fk_join(kind)
    t.pipe(2, "fk1", "foo", 1)
    t.pipe(1, "pk1", "v|fk1", 0)
    t.check(("pk1", "(v|fk1,foo)", 1))
    t.pipe(1, "pk1", None, 0)
    t.check(("pk1", None, 1))


def test_should_propagate_only_if_fk_available(joins: Joins) -> None:
    """shouldPropagateOnlyIfFKAvailableV0 / V1: an inner join's new left row is answered when its foreign
    key has a right row ("foo"), and not at all when it has none."""
    t = joins.fk_join("JOIN")
    t.pipe(2, "fk1", "foo", 1)
    t.pipe(1, "pk1", "v|fk1", 1)
    t.check(("pk1", "(v|fk1,foo)", 1))
    t.pipe(1, "pk2", "v|fk9000", 1)
    t.check()


@pytest.mark.parametrize("kind", ["JOIN", "LEFT JOIN"])
def test_should_propagate_null_if_no_fk_available(joins: Joins, kind: str) -> None:
    """shouldPropagateNullIfNoFKAvailableV0 / V1: an update is answered with the right row of its foreign key,
    or with none (fk9000): then a tombstone for an inner join, the row with nulls for a left join."""
    t = joins.fk_join(kind)
    t.pipe(2, "fk1", "foo", 1)
    t.pipe(1, "pk1", "v0|fk9000", 1)
    t.output()
    t.pipe(1, "pk1", "v|fk1", 1)
    t.check(("pk1", "(v|fk1,foo)", 1))
    t.pipe(1, "pk1", "v|fk9000", 1)
    t.check(("pk1", "(v|fk9000,null)" if kind == "LEFT JOIN" else None, 1))


@pytest.mark.parametrize("kind", ["JOIN", "LEFT JOIN"])
def test_should_delete_key_no_propagate(joins: Joins, kind: str) -> None:
    """shouldDeleteKeyNoPropagateV0 / V1: moving pk1 from fk1 to fk2 unsubscribes it from fk1 without an
    answer; only fk2's answer is emitted, and fk1's later updates no longer reach pk1."""
    t = joins.fk_join(kind)
    t.pipe(2, "fk1", "foo", 1)
    t.pipe(2, "fk2", "bar", 1)
    t.pipe(1, "pk1", "v|fk1", 2)
    t.check(("pk1", "(v|fk1,foo)", 2))
    t.pipe(1, "pk1", "v|fk2", 3)
    t.check(("pk1", "(v|fk2,bar)", 3))
    t.pipe(2, "fk1", "foo2", 4)
    t.check()
