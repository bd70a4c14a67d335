"""Every C helper of the project builds and loads here. The tests of each C path skip when their helper did
not build (so the pure-Python fallback is still tested on a machine without a compiler); this one fails
then, so a skipped C path never passes unnoticed (the README: without a compiler the tests that check
the C paths fail)."""

from __future__ import annotations

import pytest

import kafkanative
from ksqlserver.drivers.kafka import records as kafka_records
from ksqlserver.plan.fast import aggregate as fast_aggregate
from ksqlserver.plan.fast import join as fast_join
from ksqlserver.runtime import record_cache
from ksqlserver.runtime.state import codec


@pytest.mark.parametrize(
    ("helper", "loaded"),
    [
        ("runtime/_recordcache.c", lambda: record_cache._native),
        ("runtime/state/_codec.c", codec.native),
        ("plan/fast/_winstep.c", lambda: fast_aggregate.winstep),
        ("plan/fast/_joinstep.c", lambda: fast_join.joinstep),
        ("drivers/kafka/_records.c", kafka_records.native),
        ("kafkanative/_rdkio.c", kafkanative.native),
    ],
)
def test_the_c_helper_is_loaded(helper: str, loaded: object) -> None:
    assert loaded() is not None, f"{helper} did not build or load"  # type: ignore[operator]
