"""ksqlDB 0.29's RewrittenAnalysisTest (ksqldb-engine, io.confluent.ksql.analyzer): with EMIT FINAL, a WINDOW
without GRACE PERIOD gets a zero grace period (RewrittenAnalysis.getWindowExpression), for TUMBLING, HOPPING
and SESSION windows alike: a record later than its window's end is dropped, where EMIT CHANGES (24 hours of
grace by default) still counts it. (shouldThrowIfUnsupportedWindowType needs a window type the parser cannot
produce.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Ksql

# Kafka Streams looks for closed windows at most once a second of wall-clock time; every record here
_EVERY_RECORD = {"ksql.streams.__emit.interval.ms.kstreams.windowed.aggregation__": "0"}


@pytest.fixture
def ksql(make_ksql: Callable[..., Ksql]) -> Ksql:
    return make_ksql(**_EVERY_RECORD)

_WINDOWS = {
    "TUMBLING": "TUMBLING (SIZE 1 SECOND)",
    "HOPPING": "HOPPING (SIZE 1 SECOND, ADVANCE BY 1 SECOND)",
    "SESSION": "SESSION (100 MILLISECONDS)",
}


def _counts(ksql: Ksql, window: str, emit: str) -> list[tuple[int, int]]:
    ksql.topic("s")
    ksql.execute("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    ksql.execute(
        f"CREATE TABLE C AS SELECT K, COUNT(*) AS N, WINDOWSTART AS W FROM S WINDOW {window} GROUP BY K EMIT {emit};"
    )
    # 500 opens the first window, 1500 moves stream time past its end, 600 arrives late for it
    ksql.produce("s", [("a", {"V": 1}, 500), ("a", {"V": 1}, 1500), ("a", {"V": 1}, 600), ("a", {"V": 1}, 3000)])
    return [(v["W"], v["N"]) for v in ksql.values("C") if v is not None]


@pytest.mark.parametrize("window", list(_WINDOWS))
def test_emit_final_window_has_zero_grace_period_by_default(ksql: Ksql, window: str) -> None:
    """shouldCreateNewTumblingWindowWithZeroGracePeriodDefault / ...Hopping... / ...Session...: a window
    closes at its end; the late record is dropped (the last window stays open).

    Which closed windows are emitted was observed on ksqlDB 0.29 built from source (the development oracle):
    the record at 3000 closes the windows at 0 and 1000, but the time-ordered store emits only windows
    starting at or after the newest start minus the retention (size + grace = 1 s here:
    AbstractRocksDBTimeOrderedSegmentedBytesStore.fetchAll / getActualFrom), so the window at 1000 is
    never emitted. Sessions are emitted both."""
    expected = [(500, 1), (1500, 1)] if window == "SESSION" else [(0, 1)]
    assert _counts(ksql, _WINDOWS[window], "FINAL") == expected


def test_explicit_grace_period_is_kept(ksql: Ksql) -> None:
    """An EMIT FINAL window with its own GRACE PERIOD keeps it: the late record at 600 is counted (no
    zero grace), and nothing closes before stream time 2000. At 3000 both windows close; as on ksqlDB 0.29
    built from source (the development oracle), only the one at 1000 is emitted: the window at 0 starts
    before the newest start (3000) minus the retention (size + grace = 2 s), getActualFrom's bound."""
    counts = _counts(ksql, "TUMBLING (SIZE 1 SECOND, GRACE PERIOD 1 SECOND)", "FINAL")
    assert counts == [(1000, 1)]


def test_emit_changes_keeps_the_default_grace_period(ksql: Ksql) -> None:
    """The contrast: EMIT CHANGES without GRACE PERIOD keeps ksqlDB's 24-hour default, so the late record
    updates its window."""
    counts = _counts(ksql, _WINDOWS["TUMBLING"], "CHANGES")
    assert counts == [(0, 1), (1000, 1), (0, 2), (3000, 1)]
