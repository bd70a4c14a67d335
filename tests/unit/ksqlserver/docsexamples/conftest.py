"""Helpers of the tests that run the worked examples of ksqlDB 0.29's documentation (docs/ of the ksqlDB
repository) on our engine and assert the outputs the pages show. Each module is one docs page, each test
names its section; where the page is illustrative and ksqlDB 0.29's source (or Kafka Streams 3.5's
operators) disagrees with it, the test asserts what the source does and its docstring says so.

`Docs` is javaint's `Harness` (in-memory driver, synchronous engine, commit.interval.ms 0 and
cache.max.bytes.buffering 0, so every update is emitted as the pages show them) plus `steps`, which
produces records one at a time and gives what a sink emitted after each one. The fixture runs every test
over the fast loops and over the generic operators alone."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest

from ..javaint.conftest import Harness

# (timestamp ms, topic, STRING key or None, JSON value or None: a tombstone)
Step = tuple[int, str, str | None, Any]
# the emission of Kafka Streams' outer-join results waits for this wall-clock interval between two looks
# (StreamsConfig.InternalConfig.EMIT_INTERVAL_MS_KSTREAMS_OUTER_JOIN_SPURIOUS_RESULTS_FIX, 1000 ms); a
# test produces its records within a few ms, so the docs tests look at every record, as a server
# receiving them over time would
NO_EMIT_INTERVAL = {"ksql.streams.__emit.interval.ms.kstreams.outer.join.spurious.results.fix__": "0"}


class Docs(Harness):
    def steps(self, sink: str, steps: Sequence[Step], row: Callable[[Any, Any], Any]) -> dict[int, list[Any]]:
        """Produce `steps` one by one, draining after each: {timestamp: [row(key, value) of each record the
        sink `sink` got from it]} for the steps that emitted something."""
        self.ensure_topics(*{t for _, t, _, _ in steps})
        out: dict[int, list[Any]] = {}
        seen = 0
        for ts, topic, key, value in steps:
            self.produce(topic, key, value, ts)
            self.drain()
            got = list(self.rows(sink))[seen:]
            seen += len(got)
            if got:
                out.setdefault(ts, []).extend(row(k, v) for k, v, _ in got)
        return out

    def stamped(self, sink: str) -> list[tuple[Any, Any, int]]:
        """Every (key, value, timestamp) the sink holds."""
        return list(self.rows(sink))


@pytest.fixture(params=[True, False], ids=["fast", "generic"])
def docs(request: pytest.FixtureRequest) -> Iterator[Callable[..., Docs]]:
    """A factory of `Docs` harnesses (server properties as keyword `props`, EngineConfig settings as further
    keywords: processing_log=True), closed at teardown."""
    made: list[Docs] = []

    def make(props: dict[str, str] | None = None, **config: Any) -> Docs:
        h = Docs(props, fast_paths=request.param, **config)
        made.append(h)
        return h

    yield make
    for h in made:
        h.close()


def pull(h: Harness, sql: str) -> list[list[Any]]:
    """A pull query's rows (on a table, or a scan of a stream, which the synchronous engine steps at
    each drain)."""
    h.drain()
    q = h.engine.start_query(sql)
    try:
        rows: list[list[Any]] = []
        for _ in range(1000):
            if q.done:
                break
            h.drain()
            rows.extend(q.poll(0.01))
        assert q.done
        return rows
    finally:
        q.close()
