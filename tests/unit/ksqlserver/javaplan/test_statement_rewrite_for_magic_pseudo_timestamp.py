"""Port of ksqlDB 0.29 `io.confluent.ksql.engine.rewrite.StatementRewriteForMagicPseudoTimestampTest`: string
datetimes compared with ROWTIME, WINDOWSTART or WINDOWEND (directly, in reverse order, in BETWEEN, qualified)
become epoch millis; strings elsewhere (function arguments, arithmetic, other columns) stay strings.

The Java test compares the rewritten expression's text. Here the rewritten WHERE shows in which records a
persistent query keeps: a stream of records stamped around 2017-01-01T00:00:00.000 (1483228800000), and a
windowed table; a string left alone shows as the type error it causes. The Java test's parser is a mock
("it no good"); the real parser's message is asserted instead."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

A_TIMESTAMP = 1483228800000  # 2017-01-01T00:00:00.000 UTC
FEB = 1485907200000  # 2017-02-01T00:00:00.000 UTC
STAMPS = [10, 11, A_TIMESTAMP - 1, A_TIMESTAMP, A_TIMESTAMP + 1, A_TIMESTAMP + 2_640_000, FEB, FEB + 1]


@pytest.fixture
def p(make_pull: Callable[..., Any]) -> Any:
    p = make_pull(tables=False)
    p.execute("CREATE STREAM ORDERS (ORDERTIME BIGINT KEY, ID INT) WITH (KAFKA_TOPIC='orders', "
              "VALUE_FORMAT='JSON', PARTITIONS=1);")  # fmt: skip
    for i, ts in enumerate(STAMPS):
        p.execute(f"INSERT INTO ORDERS (ROWTIME, ORDERTIME, ID) VALUES ({ts}, {ts}, {i});")
    return p


def _kept(p: Any, where: str) -> list[int]:
    """The ROWTIMEs of the records a CSAS with this WHERE keeps."""
    name = f"O{len(p.engine.state.persistent)}"
    p.execute(f"CREATE STREAM {name} AS SELECT ORDERTIME, ID FROM ORDERS WHERE {where};")
    return [STAMPS[v["ID"]] for v in p.values(name)]


def test_should_pass_row_time_strings_to_the_parser(p: Any) -> None:
    """shouldPassRowTimeStringsToTheParser: '2017-01-01T00:44:00.000'."""
    assert _kept(p, "ROWTIME = '2017-01-01T00:44:00.000'") == [A_TIMESTAMP + 2_640_000]


def test_should_not_replace_comparison_row_time_and_non_string(p: Any) -> None:
    """shouldNotReplaceComparisonRowTimeAndNonString: ROWTIME > 10.25."""
    assert _kept(p, "ROWTIME > 10.25") == STAMPS[1:]


def test_should_replace_comparison_of_row_time_and_string(p: Any) -> None:
    """shouldReplaceComparisonOfRowTimeAndString, shouldReplaceComparisonInReverseOrder and
    shouldReplaceQualifiedColumns."""
    after = [t for t in STAMPS if t > A_TIMESTAMP]
    assert _kept(p, "ROWTIME > '2017-01-01T00:00:00.000'") == after
    assert _kept(p, "'2017-01-01T00:00:00.000' < ROWTIME") == after
    assert _kept(p, "ORDERS.ROWTIME > '2017-01-01T00:00:00.000'") == after


def test_should_replace_between_row_time_and_strings(p: Any) -> None:
    """shouldReplaceBetweenRowTimeAndStrings (inclusive bounds), shouldReplaceBetweenOnMinString,
    shouldReplaceBetweenOnMaxString and shouldNotReplaceBetweenExpressionOnNonString."""
    assert _kept(p, "ROWTIME BETWEEN '2017-01-01' AND '2017-02-01'") == [t for t in STAMPS if A_TIMESTAMP <= t <= FEB]
    assert _kept(p, f"ROWTIME BETWEEN '2017-01-01' AND {A_TIMESTAMP + 1}") == [A_TIMESTAMP, A_TIMESTAMP + 1]
    assert _kept(p, f"ROWTIME BETWEEN {A_TIMESTAMP + 1} AND '2017-02-01'") == [t for t in STAMPS if A_TIMESTAMP < t <= FEB]
    assert _kept(p, "ROWTIME BETWEEN 10 AND 11") == [10, 11]


def test_should_not_replace_strings_in_functions(p: Any) -> None:
    """shouldNotReplaceStringsInFunctions: ROWTIME = LEN('2017-01-01') compares with 10."""
    assert _kept(p, "ROWTIME = LEN('2017-01-01')") == [10]


def test_should_not_replace_unsupported_columns(p: Any) -> None:
    """shouldNotReplaceUnsupportedColumns: ORDERTIME stays compared with a string (a type error)."""
    message = p.fails("CREATE STREAM X AS SELECT * FROM ORDERS WHERE ROWTIME > '2017-01-01' AND ORDERTIME = '2017-01-01';")
    assert "Cannot compare ORDERTIME (BIGINT) to '2017-01-01' (STRING) with EQUAL." in message


def test_should_not_replace_supported_in_function(p: Any) -> None:
    """shouldNotReplaceSupportedInFunction: ABS(ROWTIME) = '2017-01-01' stays a string comparison."""
    message = p.fails("CREATE STREAM X AS SELECT * FROM ORDERS WHERE ABS(ROWTIME) = '2017-01-01';")
    assert "Cannot compare ABS(ROWTIME) (BIGINT) to '2017-01-01' (STRING) with EQUAL." in message


def test_should_throw_parse_error(p: Any) -> None:
    """shouldThrowParseError: a string that is no datetime."""
    message = p.fails("CREATE STREAM X AS SELECT * FROM ORDERS WHERE ROWTIME = '2017-01-01 no good';")
    assert "Failed to parse timestamp '2017-01-01 no good'" in message


def test_should_replace_window_bounds_and_strings(p: Any) -> None:
    """shouldReplaceComparisonOfWindowStartAndString, shouldReplaceComparisonOfWindowEndAndString,
    shouldReplaceBetweenWindowStartAndStrings and shouldReplaceBetweenWindowEndAndStrings: over a windowed
    table (daily windows here), through push queries."""
    p.execute("CREATE TABLE W AS SELECT ORDERTIME, COUNT(*) AS CNT FROM ORDERS WINDOW TUMBLING (SIZE 1 DAY) "
              "GROUP BY ORDERTIME;")  # fmt: skip
    day = 86_400_000
    cases = [
        ("WINDOWSTART > '2017-01-01T00:00:00.000'", {FEB}),
        ("WINDOWEND > '2017-01-01T00:00:00.000'", {A_TIMESTAMP, FEB}),
        ("WINDOWSTART BETWEEN '2017-01-01' AND '2017-02-01'", {A_TIMESTAMP, FEB}),
        ("WINDOWEND BETWEEN '2017-01-01' AND '2017-02-01'", {A_TIMESTAMP - day, A_TIMESTAMP}),
    ]
    for where, starts in cases:
        q = p.query(f"SELECT ORDERTIME, WINDOWSTART FROM W WHERE {where} EMIT CHANGES;")
        try:
            p.engine.drain()
            kept = {row[1] for row in q.poll(0.1)}
        finally:
            q.close()
        assert kept == starts, where
