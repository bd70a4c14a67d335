"""Pull queries as ksqlDB 0.29 answers them: streams (bounded scans), every table kind, WHERE analysis."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from ksqlserver.drivers.memory import MemoryDriver
from ksqlserver.engine import Engine, EngineConfig, PushQuery
from ksqlserver.errors import KsqlError
from ksqlserver.runtime.pull import Emit, PullResult


@pytest.fixture()
def engine() -> Iterator[Engine]:
    e = Engine(
        EngineConfig(service_id="t_", processing_log=False, command_topic=False), MemoryDriver()
    )
    yield e
    e.close()


def _all(q: PushQuery, timeout: float = 5.0) -> list[list[Any]]:
    rows: list[list[Any]] = []
    deadline = time.monotonic() + timeout
    while not q.done:
        assert time.monotonic() < deadline, "the query did not end by itself"
        rows += q.poll(0.05)
    rows += q.poll(0.0)
    return rows


def _settle(engine: Engine, topic: str, n: int) -> None:
    deadline = time.monotonic() + 5
    while len(engine.driver.records(topic)) < n:  # type: ignore[attr-defined]
        assert time.monotonic() < deadline
        time.sleep(0.02)


def _stream(engine: Engine) -> None:
    engine.execute(
        "CREATE STREAM S (ID INT KEY, NAME STRING, V DOUBLE) "
        "WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON', PARTITIONS=1);"
    )
    for i in range(1, 6):
        engine.execute(f"INSERT INTO S (ID, NAME, V) VALUES ({i}, 'n{i}', {i}.5);")


def test_stream_pull_scans_to_the_end_at_start_then_completes(engine: Engine) -> None:
    _stream(engine)
    q = engine.start_query("SELECT ID, UCASE(NAME) AS N FROM S WHERE V > 2;")
    assert not q.is_pull  # framed like a push query: value columns, a final message
    assert _all(q) == [[2, "N2"], [3, "N3"], [4, "N4"], [5, "N5"]]
    assert q.final_message == "Query Completed"
    engine.execute("INSERT INTO S (ID, NAME, V) VALUES (9, 'late', 9.5);")  # after the end offsets: unseen
    q.close()


def test_stream_pull_limit_and_disabled(engine: Engine) -> None:
    _stream(engine)
    q = engine.start_query("SELECT * FROM S LIMIT 2;")
    assert _all(q) == [[1, "n1", 1.5], [2, "n2", 2.5]]
    assert q.final_message == "Limit Reached"
    with pytest.raises(KsqlError, match="Pull queries on streams are disabled"):
        engine.start_query("SELECT * FROM S;", {"ksql.query.pull.stream.enabled": False})
    with pytest.raises(KsqlError, match="Pull queries don't support GROUP BY clauses"):
        engine.start_query("SELECT ID, COUNT(*) FROM S GROUP BY ID;")


def test_stream_pull_on_an_empty_stream_completes_at_once(engine: Engine) -> None:
    engine.execute("CREATE STREAM E (A INT) WITH (KAFKA_TOPIC='e', VALUE_FORMAT='JSON', PARTITIONS=1);")
    q = engine.start_query("SELECT * FROM E;")
    assert _all(q) == [] and q.final_message == "Query Completed"


def _source_table(engine: Engine) -> None:
    engine.execute(
        "CREATE SOURCE TABLE T (ID INT PRIMARY KEY, NAME STRING, V DOUBLE) "
        "WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);"
    )
    from ksqlserver.drivers.base import Record

    source = engine.state.metastore.get("T")
    assert source is not None
    records = [
        Record(source.key_serde.serialize([k]), source.value_serde.serialize(v) if v else None, 10 * k)
        for k, v in ((1, ["a", 1.0]), (2, ["b", 2.0]), (3, ["c", 3.0]), (3, None), (2, ["b2", 2.5]))
    ]
    engine.driver.produce("t", records)


def test_source_table_lookups_scans_and_limit(engine: Engine) -> None:
    _source_table(engine)
    q = engine.start_query("SELECT * FROM T WHERE ID = 2;")
    assert q.is_pull and q.query_id.startswith("query_")
    assert q.schema == "`ID` INTEGER KEY, `NAME` STRING, `V` DOUBLE"
    assert _all(q) == [[2, "b2", 2.5]]  # the latest row of the key
    assert _all(engine.start_query("SELECT * FROM T WHERE ID IN (3, 1);")) == [[1, "a", 1.0]]  # 3 deleted
    assert sorted(_all(engine.start_query("SELECT NAME, V * 2 FROM T WHERE V > 1.5;"))) == [["b2", 5.0]]
    assert len(_all(engine.start_query("SELECT * FROM T LIMIT 1;"))) == 1
    assert _all(engine.start_query("SELECT ID, ROWTIME FROM T WHERE ID = 1;")) == [[1, 10]]


def test_plain_table_is_not_queryable_but_a_ctas_is(engine: Engine) -> None:
    engine.execute("CREATE TABLE P (ID INT PRIMARY KEY, X STRING) WITH (KAFKA_TOPIC='p', VALUE_FORMAT='JSON', PARTITIONS=1);")
    with pytest.raises(KsqlError, match=r"The `P` table isn't queryable. To derive a queryable table, you can do "
                       r"'CREATE TABLE QUERYABLE_P AS SELECT \* FROM P'"):  # fmt: skip
        engine.start_query("SELECT * FROM P;")
    engine.execute("CREATE TABLE Q AS SELECT * FROM P WHERE ID > 0;")
    engine.execute("INSERT INTO P (ID, X) VALUES (1, 'one'); INSERT INTO P (ID, X) VALUES (2, 'two');")
    _settle(engine, "Q", 2)
    assert _all(engine.start_query("SELECT X FROM Q WHERE ID = 2;")) == [["two"]]


def test_a_plain_table_pull_query_reports_its_own_errors_before_it_is_not_queryable(engine: Engine) -> None:
    """EngineExecutor.executeTablePullQuery builds the logical plan (analysis, QueryFilterNode, QueryProjectNode)
    before PullPhysicalPlanBuilder looks for the materializing query (PullQueryExecutionUtil): a duplicate
    output column, an unknown column or a WHERE the pull planner refuses is reported as such."""
    engine.execute("CREATE TABLE P2 (ID INT PRIMARY KEY, X STRING) WITH (KAFKA_TOPIC='p2', VALUE_FORMAT='JSON', PARTITIONS=1);")
    with pytest.raises(KsqlError, match="Duplicate value columns found in schema: `X` STRING"):
        engine.start_query("SELECT X, X FROM P2 WHERE ID = 1;")
    with pytest.raises(KsqlError, match="NOPE"):
        engine.start_query("SELECT NOPE FROM P2 WHERE ID = 1;")
    with pytest.raises(KsqlError, match="isn't queryable"):
        engine.start_query("SELECT X FROM P2 WHERE ID = 1;")


def test_table_table_join_result_is_queryable(engine: Engine) -> None:
    for name, col in (("A", "X"), ("B", "Y")):
        engine.execute(
            f"CREATE TABLE {name} (ID INT PRIMARY KEY, {col} STRING) "
            f"WITH (KAFKA_TOPIC='{name.lower()}', VALUE_FORMAT='JSON', PARTITIONS=1);"
        )
    engine.execute("CREATE TABLE J AS SELECT A.ID AS ID, X, Y FROM A JOIN B ON A.ID = B.ID;")
    engine.execute("INSERT INTO A (ID, X) VALUES (1, 'x1'); INSERT INTO B (ID, Y) VALUES (1, 'y1');")
    _settle(engine, "J", 1)
    assert _all(engine.start_query("SELECT * FROM J WHERE ID = 1;")) == [[1, "x1", "y1"]]


def _aggregate(engine: Engine) -> None:
    engine.execute("CREATE STREAM IN1 (ID INT KEY, V INT) WITH (KAFKA_TOPIC='in1', VALUE_FORMAT='JSON', PARTITIONS=1);")
    # every update reaches the sink (as ksqlDB's harnesses run): `_settle` counts them
    engine.execute("CREATE TABLE AGG AS SELECT ID, COUNT(*) AS C FROM IN1 GROUP BY ID;", {"cache.max.bytes.buffering": 0})
    for i in (1, 2, 2, 3):
        engine.execute(f"INSERT INTO IN1 (ID, V) VALUES ({i}, {i});")
    _settle(engine, "AGG", 4)


def test_where_analysis_without_table_scans_speaks_ksqldb(engine: Engine) -> None:
    _aggregate(engine)
    off = {"ksql.query.pull.table.scan.enabled": False}
    with pytest.raises(KsqlError, match="WHERE clause missing key column for disjunct: \\(C = 1\\)"):
        engine.start_query("SELECT * FROM AGG WHERE C = 1;", off)
    with pytest.raises(KsqlError, match="Bound on key columns '\\[`ID` INTEGER KEY\\]' must currently be '='"):
        engine.start_query("SELECT * FROM AGG WHERE ID != 2;", off)
    with pytest.raises(KsqlError, match="A comparison must be between a key column and a resolvable expression"):
        engine.start_query("SELECT * FROM AGG WHERE ID = C;", off)
    with pytest.raises(KsqlError, match="'10' can not be converted to the type of the key column: ID INTEGER KEY"):
        engine.start_query("SELECT * FROM AGG WHERE ID IN ('10', 8);")
    with pytest.raises(KsqlError, match="Primary key columns can not be NULL: \\(ID = null\\)"):
        engine.start_query("SELECT * FROM AGG WHERE ID IN (NULL);")
    # the same shapes with table scans on (the default) are answered
    assert _all(engine.start_query("SELECT * FROM AGG WHERE C = 2;")) == [[2, 2]]
    assert sorted(_all(engine.start_query("SELECT * FROM AGG WHERE ID != 2;"))) == [[1, 1], [3, 1]]
    assert _all(engine.start_query("SELECT * FROM AGG WHERE ID = 1 + 1;", off)) == [[2, 2]]


def test_windowed_table_bounds_accept_datetime_text(engine: Engine) -> None:
    engine.execute("CREATE STREAM W (ID INT KEY, V INT) WITH (KAFKA_TOPIC='w', VALUE_FORMAT='JSON', PARTITIONS=1);")
    engine.execute("CREATE TABLE WA AS SELECT ID, COUNT(*) AS C FROM W WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY ID;")
    engine.execute("INSERT INTO W (ROWTIME, ID, V) VALUES (1582501512456, 1, 1);")
    _settle(engine, "WA", 1)
    q = engine.start_query(
        "SELECT * FROM WA WHERE ID = 1 AND WINDOWSTART >= '2020-02-23T23:45:12' AND WINDOWEND <= '2020-02-24';"
    )
    assert q.schema == "`ID` INTEGER KEY, `WINDOWSTART` BIGINT KEY, `WINDOWEND` BIGINT KEY, `C` BIGINT"
    assert _all(q) == [[1, 1582501512000, 1582501513000, 1]]


def test_push_query_over_a_windowed_table_decodes_its_keys(engine: Engine) -> None:
    engine.execute("CREATE STREAM W2 (K STRING KEY, V INT) WITH (KAFKA_TOPIC='w2', VALUE_FORMAT='JSON', PARTITIONS=1);")
    engine.execute("CREATE TABLE WC AS SELECT K, COUNT(*) AS C FROM W2 WINDOW TUMBLING (SIZE 1 SECOND) GROUP BY K;")
    engine.execute("INSERT INTO W2 (ROWTIME, K, V) VALUES (12345, 'a', 1);")
    q = engine.start_query("SELECT * FROM WC EMIT CHANGES LIMIT 1;", {"auto.offset.reset": "earliest"})
    assert [n for n, _ in q.columns] == ["K", "WINDOWSTART", "WINDOWEND", "C"]
    assert _all(q) == [["a", 12000, 13000, 1]]


def test_scalable_push_query_has_its_id_prefix(engine: Engine) -> None:
    _aggregate(engine)
    q = engine.start_query(
        "SELECT * FROM AGG EMIT CHANGES;", {"ksql.query.push.v2.enabled": True, "auto.offset.reset": "latest"}
    )
    assert q.query_id.startswith("SCALABLE_PUSH_QUERY_")
    q.close()
    plain = engine.start_query("SELECT * FROM AGG EMIT CHANGES;", {"auto.offset.reset": "latest"})
    assert plain.query_id.startswith("transient_AGG_")
    plain.close()



def test_poll_returns_once_a_pull_query_has_finished() -> None:
    """The server polls with a timeout; a query that finishes while a poll waits must end that wait, not
    hold its response's end back by the whole timeout."""

    def produce(emit: Emit) -> None:
        emit([1])
        time.sleep(0.2)  # the end comes while the next poll is waiting

    q = PushQuery(PullResult("query_1", [("A", None)], None, produce))
    assert q.poll(5.0) == [[1]]
    started = time.monotonic()
    assert q.poll(5.0) == []
    assert time.monotonic() - started < 2.5, "poll waited out its timeout after the query had finished"
    assert q.done


def test_table_scan_rows_come_in_serialized_key_order(engine: Engine) -> None:
    """KsMaterializedTableIQv2.get(partition): a RangeQuery with no bounds over the partition's RocksDB store,
    ordered by the serialized key's unsigned bytes: a KAFKA INT key's big-endian two's complement puts the
    negative keys after the positive ones; STRING keys sort by their UTF-8 bytes (RestApiTest's scan)."""
    engine.execute(
        "CREATE TABLE T (ID INT PRIMARY KEY, V STRING) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON', PARTITIONS=1);"
    )
    engine.execute("CREATE TABLE TM AS SELECT * FROM T;")
    for key in (5, -1, 300, 0, 2):
        engine.execute(f"INSERT INTO T (ID, V) VALUES ({key}, 'v{key}');")
    _settle(engine, "TM", 5)
    time.sleep(0.2)
    assert [r[0] for r in _all(engine.start_query("SELECT * FROM TM;"))] == [0, 2, 5, 300, -1]
    engine.execute(
        "CREATE STREAM P (PAGE STRING KEY, USERID STRING) WITH (KAFKA_TOPIC='p', VALUE_FORMAT='JSON', PARTITIONS=1);"
    )
    engine.execute("CREATE TABLE C AS SELECT USERID, COUNT(*) AS N FROM P GROUP BY USERID;")
    for user in ("b", "é", "a", "B", "b"):
        engine.execute(f"INSERT INTO P (PAGE, USERID) VALUES ('p', '{user}');")
    deadline = time.monotonic() + 10
    while (rows := _all(engine.start_query("SELECT USERID, N FROM C;"))) != [["B", 1], ["a", 1], ["b", 2], ["é", 1]]:
        assert time.monotonic() < deadline, rows
        time.sleep(0.1)
