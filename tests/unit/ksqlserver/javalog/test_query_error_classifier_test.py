"""ksqlDB 0.29's QueryErrorClassifierTest (ksqldb-common, io.confluent.ksql.query): QueryErrorClassifier.and.

The Java test chains two mocked classifiers; ours are functions of the failure's Java view
(runtime/query_errors.py), so each case chains two that answer a fixed type. What a user sees of the chain
is the `type` of a query's `queryErrors` (see test_query_metadata_test.py)."""

from __future__ import annotations

import pytest

from ksqlserver.runtime.query_errors import SYSTEM, UNKNOWN, USER, Throwable, chain

ERROR = Throwable("java.lang.Throwable")


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        pytest.param(UNKNOWN, UNKNOWN, UNKNOWN, id="shouldChainUnknownUnknown"),
        pytest.param(UNKNOWN, USER, USER, id="shouldChainUnknownSomething"),
        pytest.param(USER, UNKNOWN, USER, id="shouldChainSomethingUnknown"),
        pytest.param(USER, USER, USER, id="shouldChainIdentical"),
        pytest.param(USER, SYSTEM, UNKNOWN, id="shouldChainDiffering"),
    ],
)
def test_chain(first: str, second: str, expected: str) -> None:
    """shouldChain*: the same type is kept, UNKNOWN gives way, two different known types are UNKNOWN."""
    assert chain(lambda e: first, lambda e: second)(ERROR) == expected
