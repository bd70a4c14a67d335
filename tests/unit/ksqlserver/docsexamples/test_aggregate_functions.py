"""docs/developer-guide/ksqldb-reference/aggregate-functions.md: what the page states of AVG(*) / AVG(),
COUNT(col) and COUNT(*), COLLECT_LIST / COLLECT_SET / HISTOGRAM over merged sessions, the BY_OFFSET
functions' ignoreNulls and N, TOPK with other columns and TOPKDISTINCT, run as push queries over one
group's records."""

from __future__ import annotations

from typing import Any

from .conftest import Docs

# (T, N, timestamp) of group "a", in offset order
RECORDS = [(5, "x", 1000), (None, "y", 3000), (9, "z", 2000), (7, "w", 6000), (9, "v", 4000)]


def _orders(h: Docs) -> None:
    h.ensure_topics("o")
    h.sql("CREATE STREAM O (ID STRING KEY, Z STRING, T INT, N STRING) WITH (KAFKA_TOPIC='o', VALUE_FORMAT='JSON');")
    for i, (t, n, ts) in enumerate(RECORDS):
        h.produce("o", f"o{i}", {"Z": "a", "T": t, "N": n}, ts)


def _last(h: Docs, select: str) -> list[Any]:
    rows = h.push(f"SELECT Z, {select} FROM O GROUP BY Z EMIT CHANGES;")
    return rows[-1][1:]


def test_avg_star_and_empty_arguments_average_rowtime(docs: Any) -> None:
    """"providing a `*` character or an empty argument list causes the function to return only the ROWTIME
    column. For example, calling AVG(*) or AVG() returns the average of ROWTIME"."""
    h = docs()
    _orders(h)
    assert _last(h, "AVG(*), AVG()") == [3200.0, 3200.0]


def test_count(docs: Any) -> None:
    """COUNT(col1) counts the rows where col1 is non-null; COUNT(*) every row."""
    h = docs()
    _orders(h)
    assert _last(h, "COUNT(T), COUNT(*)") == [4, 5]


def test_by_offset_functions(docs: Any) -> None:
    """EARLIEST/LATEST_BY_OFFSET: lowest / largest offset (not timestamp), NULLs ignored unless
    ignoreNulls is false, the N form an ARRAY."""
    h = docs()
    _orders(h)
    assert _last(h, "EARLIEST_BY_OFFSET(T), LATEST_BY_OFFSET(T), EARLIEST_BY_OFFSET(T, 2), "
                    "LATEST_BY_OFFSET(T, 2), LATEST_BY_OFFSET(N, false)") == [5, 9, [5, 9], [7, 9], "v"]
    rows = h.push("SELECT Z, LATEST_BY_OFFSET(T, false) AS L, LATEST_BY_OFFSET(T) AS L2 FROM O GROUP BY Z "
                  "EMIT CHANGES;")  # fmt: skip
    assert rows[1] == ["a", None, 5]  # the null T of the second record


def test_topk_and_topkdistinct(docs: Any) -> None:
    """TOPK ignores NULL rows; with other columns a list of STRUCTs with sort_col, col0, ...; TOPKDISTINCT
    the distinct top values."""
    h = docs()
    _orders(h)
    assert _last(h, "TOPK(T, 2), TOPKDISTINCT(T, 2), TOPK(T, N, 2)") == [
        [9, 9], [9, 7], [{"sort_col": 9, "col0": "z"}, {"sort_col": 9, "col0": "v"}],
    ]  # fmt: skip


def test_collecting_functions_over_merged_sessions(docs: Any) -> None:
    """COLLECT_LIST / HISTOGRAM with SESSION windows: an out-of-order record (X at 18 s) merges the
    sessions [0, 5 s] and [30 s, 35 s]. The page says the values are taken from "the first window, then the
    out-of-order record, then the records from the second window"; Kafka Streams 3.5's
    KStreamSessionWindowAggregate merges every session it finds into the initial aggregate
    (KudafAggregator.getMerger: first, then second) and aggregates the new record last, so the source
    gives A1, A2, B1, B2, X."""
    h = docs()
    h.ensure_topics("o")
    h.sql("CREATE STREAM O (ID STRING KEY, Z STRING, N STRING) WITH (KAFKA_TOPIC='o', VALUE_FORMAT='JSON');")
    for i, (n, ts) in enumerate([("A1", 0), ("A2", 5000), ("B1", 30000), ("B2", 35000), ("X", 18000)]):
        h.produce("o", f"o{i}", {"Z": "a", "N": n}, ts)
    rows = h.push("SELECT Z, WINDOWSTART, WINDOWEND, COLLECT_LIST(N), COLLECT_SET(N), HISTOGRAM(N) FROM O "
                  "WINDOW SESSION (15 SECONDS) GROUP BY Z EMIT CHANGES;")  # fmt: skip
    names = ["A1", "A2", "B1", "B2", "X"]
    assert rows[-1] == ["a", 0, 35000, names, names, dict.fromkeys(names, 1)]
