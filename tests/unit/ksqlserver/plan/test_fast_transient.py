"""The generated loop of a transient query over a stream gives the generic path's rows, failures included."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver import plan
from ksqlserver.analyze import analyze
from ksqlserver.config import EngineConfig
from ksqlserver.drivers.base import Record
from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine
from ksqlserver.runtime.pipeline import Pipeline
from ksqlserver.runtime.state.base import StateStores
from ksqlserver.sql import ast
from ksqlserver.sql.parser import parse

RECORDS = [
    Record(b"k1", b"1.5,2,abc", 10, 0, 0),
    Record(b"k2", b"-0.00003,7,\"q,r\"", 11, 0, 1),
    Record(b"k3", b"not-a-number,1,x", 12, 0, 2),  # the decoder declines: the generic path reports it
    Record(b"k4", None, 13, 0, 3),  # a null value: no row on a stream
    Record(None, b"1e300,,", 14, 0, 4),
    Record(b"k6", b"2.5,3", 15, 0, 5),  # too few fields
    Record(b"k7", b"0,9,zz", 16, 0, 6),
]


def _pipeline(sql: str, fast: bool, errors: list[Any]) -> Pipeline:
    engine = Engine(EngineConfig(synchronous=True, processing_log=False, command_topic=False), MemoryDriver())
    engine.execute(
        "CREATE STREAM S (ID STRING KEY, X DOUBLE, N INT, T STRING) "
        "WITH (KAFKA_TOPIC='s', VALUE_FORMAT='DELIMITED', PARTITIONS=1);"
    )
    [q] = parse(sql)
    assert isinstance(q, ast.Query)
    a = analyze(q, engine.state.metastore, engine.state.registry, None)
    on_error = lambda *args: errors.append((args[0], args[1], args[2].offset))
    pipeline = plan.compile(
        plan.build(a, None), engine.state.registry, on_error, StateStores(), "transient_1", fast_paths=fast
    )
    engine.close()
    return pipeline


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM S EMIT CHANGES;",
        "SELECT ID, X * 2 AS Y, UCASE(T) AS U FROM S WHERE N > 1 EMIT CHANGES;",
        "SELECT ID, ROWTIME, ROWOFFSET, T FROM S WHERE T IS NOT NULL EMIT CHANGES;",
        "SELECT N / (N - 9) AS Q FROM S EMIT CHANGES;",  # a division by zero on the last record
    ],
)
def test_fast_loop_rows_and_failures_match_the_generic_path(sql: str) -> None:
    slow_errors: list[Any] = []
    fast_errors: list[Any] = []
    generic = _pipeline(sql, False, slow_errors).process(RECORDS)
    fast = _pipeline(sql, True, fast_errors).process(RECORDS)
    assert fast == generic and fast
    assert fast_errors == slow_errors


def test_a_stream_query_of_plain_types_gets_the_generated_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    from ksqlserver.plan.fast import project

    built: list[bool] = []
    original = project.build

    def spy(*args: Any, **kwargs: Any) -> Any:
        loop = original(*args, **kwargs)
        built.append(loop is not None)
        return loop

    monkeypatch.setattr(project, "build", spy)
    _pipeline("SELECT * FROM S EMIT CHANGES;", True, [])
    assert built == [True]
