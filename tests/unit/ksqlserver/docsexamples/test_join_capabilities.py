"""docs/developer-guide/joins/join-streams-and-tables.md's remaining parts (the "Join Capabilities" table, the
join requirements, n-way joins, foreign-key table-table joins and their restrictions, the key column of outer
joins) and developer-guide/joins/synthetic-keys.md's second case (a join on expressions). Messages are
ksqlDB 0.29's LogicalPlanner.verifyJoin / verifyStreamTableJoin / verifyForeignKeyJoin, JoinNode and
Analyzer.Visitor.analyzeJoin; keys follow JoinTree.Join.viableKeyColumns and LogicalPlanner.buildJoinKey."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from ksqlserver.errors import KsqlError

from .conftest import NO_EMIT_INTERVAL, Docs

PLANNED = "Could not determine output schema for query due to error: "


def _planning_cause(message: str, sql: str) -> str:
    """The planning error's own text: a CREATE ... AS SELECT that planning refuses is answered with
    SchemaRegisterInjector's prefix before it (the raw unlogged details of its wrapper, which KsqlResource
    returns); no other statement has the prefix."""
    if message.startswith(PLANNED):
        assert re.search(r"\bAS\s+SELECT\b", sql, re.IGNORECASE | re.DOTALL), message
        return message[len(PLANNED) :]
    return message

DDL = [
    "CREATE STREAM A (ID STRING KEY, X INT) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='JSON');",
    "CREATE STREAM S (ID STRING KEY, W INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');",
    "CREATE TABLE B (PRODUCT_ID STRING PRIMARY KEY, Y INT) WITH (KAFKA_TOPIC='b', VALUE_FORMAT='JSON');",
    "CREATE TABLE C (PURCHASED_ID STRING PRIMARY KEY, Z INT, FK STRING) WITH (KAFKA_TOPIC='c', "
    "VALUE_FORMAT='JSON');",
    "CREATE TABLE D (DID STRING PRIMARY KEY, DFK STRING) WITH (KAFKA_TOPIC='d', VALUE_FORMAT='JSON');",
]


def _setup(h: Docs) -> Docs:
    h.ensure_topics("a", "s", "b", "c", "d")
    for sql in DDL:
        h.sql(sql)
    return h


def _error(h: Docs, sql: str) -> str:
    with pytest.raises(KsqlError) as err:
        h.sql(sql)
    return _planning_cause(err.value.message, sql)


def _schema(h: Docs, name: str) -> tuple[list[tuple[str, str]], list[str]]:
    schema = h.source(name).schema
    return [(c.name, str(c.type)) for c in schema.key], [c.name for c in schema.value_only]


def test_join_capabilities_table(docs: Any) -> None:
    """"Join Capabilities": stream-table RIGHT OUTER and FULL OUTER are "Not Supported" (JoinNode's
    StreamTableJoinBuilder and LogicalPlanner.verifyStreamTableJoin), a table-stream join is refused
    (verifyJoin), stream-stream joins need WITHIN and other joins refuse it (JoinNode)."""
    h = _setup(docs())
    assert _error(h, "CREATE STREAM J AS SELECT * FROM A RIGHT JOIN B ON A.ID = B.PRODUCT_ID;") == (
        "Invalid join type encountered: RIGHT [OUTER] JOIN"
    )
    assert _error(h, "CREATE STREAM J AS SELECT * FROM A FULL OUTER JOIN B ON A.ID = B.PRODUCT_ID;") == (
        "Invalid join type: full-outer join not supported for stream-table join. Got A [FULL] OUTER JOIN B."
    )
    assert _error(h, "CREATE TABLE J AS SELECT * FROM B JOIN A ON A.ID = B.PRODUCT_ID;") == (
        "Invalid join order: table-stream joins are not supported; only stream-table joins. "
        "Got B [INNER] JOIN A."
    )
    assert _error(h, "CREATE STREAM J AS SELECT * FROM A JOIN S ON A.ID = S.ID;") == (
        "Stream-Stream joins must have a WITHIN clause specified. None was provided. To learn about how to "
        "specify a WITHIN clause with a stream-stream join, please visit: "
        "https://docs.confluent.io/current/ksql/docs/syntax-reference.html#create-stream-as-select"
    )
    assert _error(h, "CREATE STREAM J AS SELECT * FROM A JOIN B WITHIN 10 SECONDS ON A.ID = B.PRODUCT_ID;") == (
        "A window definition was provided for a Stream-Table join. These joins are not windowed. Please drop "
        "the window definition (ie. the WITHIN clause) and try to execute your join again."
    )
    assert _error(h, "CREATE TABLE J AS SELECT * FROM B JOIN C WITHIN 10 SECONDS ON B.PRODUCT_ID = "
                     "C.PURCHASED_ID;") == (
        "A window definition was provided for a Table-Table join. These joins are not windowed. Please drop "
        "the window definition (i.e. the WITHIN clause) and try to execute your Table-Table join again."
    )  # fmt: skip


def test_join_clause_note_single_equality(docs: Any) -> None:
    """"JOIN Clause" note: "the join expression must be a single column equal comparison. Non-equi joins, or
    joins on multiple columns are not supported" (Analyzer.Visitor.analyzeJoin)."""
    h = _setup(docs())
    assert _error(h, "CREATE STREAM J AS SELECT * FROM A JOIN B ON A.ID = B.PRODUCT_ID AND A.X = B.Y;") == (
        "Invalid join condition: joins on multiple conditions are not yet supported. "
        "Got ((A.ID = B.PRODUCT_ID) AND (A.X = B.Y))."
    )
    assert _error(h, "CREATE STREAM J AS SELECT * FROM A JOIN B ON A.ID > B.PRODUCT_ID;") == (
        "Only equality join criteria is supported."
    )


def test_joins_to_tables_use_the_primary_key(docs: Any) -> None:
    """create-stream-as-select.md "Joins": "Joins to tables must use the table's PRIMARY KEY as the join
    criteria" (verifyStreamTableJoin; for table-table joins, verifyJoin names the right table's key)."""
    h = _setup(docs())
    assert _error(h, "CREATE STREAM J AS SELECT * FROM A JOIN B ON A.X = B.Y;") == (
        "Invalid join condition: stream-table joins require to join on the table's primary key. Got A.X = B.Y."
    )
    assert _error(h, "CREATE TABLE J AS SELECT * FROM C JOIN B ON C.FK = B.Y;") == (
        "Invalid join condition: table-table joins require to join on the primary key of the right input "
        "table. Got C.FK = B.Y."
    )


def test_stream_join_on_non_key_column_repartitions(docs: Any) -> None:
    """create-stream-as-select.md "Joins": "Joins to streams can use any stream column. If the join criteria
    is not the key column of the stream, ksqlDB repartitions the data internally": the topology has the
    Join-repartition topic (StreamTableJoin after a SelectKey) and the result is keyed by the joined column
    (buildJoinKey: the first viable key column, A.V)."""
    h = docs()
    h.ensure_topics("a", "b")
    h.sql("CREATE STREAM A (ID STRING KEY, V STRING) WITH (KAFKA_TOPIC='a', VALUE_FORMAT='JSON');")
    h.sql("CREATE TABLE B (PRODUCT_ID STRING PRIMARY KEY, Y INT) WITH (KAFKA_TOPIC='b', VALUE_FORMAT='JSON');")
    h.sql("CREATE STREAM J AS SELECT * FROM A JOIN B ON A.V = B.PRODUCT_ID;")
    assert _schema(h, "J") == ([("A_V", "STRING")], ["A_ID", "B_PRODUCT_ID", "B_Y"])
    [explained] = h.sql("EXPLAIN CSAS_J_0;")
    assert "Sink: Join-repartition-sink (topic: Join-repartition)" in explained["queryDescription"]["topology"]
    h.produce("b", "p1", {"Y": 7}, 1000)
    h.produce("a", "a1", {"V": "p1"}, 2000)
    h.drain()
    assert [(k, v) for k, v, _ in h.stamped("J")] == [("p1", {"A_ID": "a1", "B_PRODUCT_ID": "p1", "B_Y": 7})]


def test_n_way_stream_table_table_join(docs: Any) -> None:
    """"N-Way Joins": A JOIN B JOIN C (A a stream, B and C tables) is a stream, the intermediate result
    A ⋈ B joined with C; the key is A's (the first viable key column) and SELECT * prefixes each column with
    its source."""
    h = _setup(docs())
    h.sql("CREATE STREAM JOINED AS SELECT * FROM A JOIN B ON A.ID = B.PRODUCT_ID "
          "JOIN C ON A.ID = C.PURCHASED_ID;")  # fmt: skip
    assert h.source("JOINED").kind == "STREAM"
    assert _schema(h, "JOINED") == (
        [("A_ID", "STRING")], ["A_X", "B_PRODUCT_ID", "B_Y", "C_PURCHASED_ID", "C_Z", "C_FK"]
    )
    h.produce("b", "k", {"Y": 1}, 1000)
    h.produce("c", "k", {"Z": 2, "FK": "f"}, 1000)
    h.produce("a", "k", {"X": 3}, 2000)
    h.produce("a", "other", {"X": 4}, 2000)
    h.drain()
    assert [(k, v) for k, v, _ in h.stamped("JOINED")] == [
        ("k", {"A_X": 3, "B_PRODUCT_ID": "k", "B_Y": 1, "C_PURCHASED_ID": "k", "C_Z": 2, "C_FK": "f"})
    ]


def test_n_way_join_with_a_stream_stream_step(docs: Any) -> None:
    """"N-Way Joins": if C is a stream, joining A ⋈ B with C is a stream-stream join and needs WITHIN."""
    h = _setup(docs(NO_EMIT_INTERVAL))
    assert "WITHIN clause" in _error(
        h, "CREATE STREAM JOINED AS SELECT * FROM A JOIN B ON A.ID = B.PRODUCT_ID JOIN S ON A.ID = S.ID;"
    )
    h.sql("CREATE STREAM JOINED AS SELECT * FROM A JOIN B ON A.ID = B.PRODUCT_ID "
          "JOIN S WITHIN 10 SECONDS ON A.ID = S.ID;")  # fmt: skip
    h.produce("b", "k", {"Y": 1}, 1000)
    h.produce("a", "k", {"X": 3}, 2000)
    h.produce("s", "k", {"W": 5}, 5000)
    h.produce("s", "k", {"W": 6}, 30000)
    h.drain()
    assert [(k, v) for k, v, _ in h.stamped("JOINED")] == [
        ("k", {"A_X": 3, "B_PRODUCT_ID": "k", "B_Y": 1, "S_ID": "k", "S_W": 5})
    ]


def test_foreign_key_join_restrictions(docs: Any) -> None:
    """"Table-Table Joins": "For foreign-key joins INNER and LEFT OUTER joins are supported"
    (verifyForeignKeyJoin refuses FULL OUTER, JoinNode's TableTableJoinBuilder RIGHT); the projection must hold
    the left table's primary key (JoinNode.validateKeyPresent); n-way joins hold no foreign-key step
    (verifyForeignKeyJoin)."""
    h = _setup(docs())
    assert _error(h, "CREATE TABLE J AS SELECT * FROM C FULL OUTER JOIN B ON C.FK = B.PRODUCT_ID;") == (
        "Invalid join type: full-outer join not supported for foreign-key table-table join. "
        "Got C [FULL] OUTER JOIN B."
    )
    assert _error(h, "CREATE TABLE J AS SELECT * FROM C RIGHT JOIN B ON C.FK = B.PRODUCT_ID;") == (
        "RIGHT OUTER JOIN on a foreign key is not supported"
    )
    assert _error(h, "CREATE TABLE J AS SELECT B.Y, C.Z FROM C JOIN B ON C.FK = B.PRODUCT_ID;") == (
        "Primary key column missing in projection. For foreign-key table-table joins, the projection must "
        "include all primary key columns from the left input table (`C`). Missing column: `PURCHASED_ID`."
    )
    assert _error(h, "CREATE TABLE J AS SELECT * FROM C JOIN D ON C.PURCHASED_ID = D.DID "
                     "JOIN B ON D.DFK = B.PRODUCT_ID;") == (
        "Invalid join condition: foreign-key table-table joins are not supported as part of n-way joins. "
        "Got D.DFK = B.PRODUCT_ID."
    )  # fmt: skip


def test_foreign_key_join_key_is_the_left_primary_key(docs: Any) -> None:
    """"Table-Table Joins": "you can use any left table column in the join condition to join it with the
    primary-key of the right table"; the result's key is the left table's primary key (JoinKey.foreignKey),
    and the two sides need no co-partitioning ("The only join that does not require co-partitioning is a
    foreign-key table-table join": C has 2 partitions, B one)."""
    h = docs()
    h.ensure_topics("b")
    h.ensure_topics("c", partitions=2)
    h.sql(DDL[2])
    h.sql(DDL[3])
    h.sql("CREATE TABLE J AS SELECT * FROM C LEFT JOIN B ON C.FK = B.PRODUCT_ID;")
    assert _schema(h, "J") == ([("C_PURCHASED_ID", "STRING")], ["C_Z", "C_FK", "B_PRODUCT_ID", "B_Y"])
    h.produce("b", "p", {"Y": 9}, 1000)
    h.produce("c", "o1", {"Z": 1, "FK": "p"}, 2000)
    h.produce("c", "o2", {"Z": 2, "FK": "q"}, 3000)
    h.drain()
    assert sorted((k, v["B_Y"]) for k, v, _ in h.stamped("J")) == [("o1", 9), ("o2", None)]


def test_primary_key_join_needs_co_partitioned_sources(docs: Any) -> None:
    """"Co-partitioned data": a primary-key join of tables with different partition counts is refused
    (JoinNode.ensureMatchingPartitionCounts)."""
    h = docs()
    h.ensure_topics("b")
    h.ensure_topics("c", partitions=2)
    h.sql(DDL[2])
    h.sql(DDL[3])
    assert _error(h, "CREATE TABLE J AS SELECT * FROM C JOIN B ON C.PURCHASED_ID = B.PRODUCT_ID;") == (
        "Can't join `C` with `B` since the number of partitions don't match. `C` partitions = 2; "
        "`B` partitions = 1. Please repartition either one so that the number of partitions match."
    )


def test_outer_join_key_columns(docs: Any) -> None:
    """The key column of an outer stream-stream join with SELECT *: LEFT and RIGHT joins are keyed by the
    first viable key column, the left one (JoinTree.Join.viableKeyColumns, buildJoinKey) - for a RIGHT join
    it holds the right record's key when nothing matched; FULL OUTER has the synthetic ROWKEY
    (synthetic-keys.md)."""
    h = _setup(docs(NO_EMIT_INTERVAL))
    for kind in ["LEFT", "RIGHT", "FULL OUTER"]:
        name = "J_" + kind.split()[0]
        h.sql(f"CREATE STREAM {name} AS SELECT * FROM A {kind} JOIN S WITHIN 10 SECONDS ON A.ID = S.ID;")
    assert _schema(h, "J_LEFT") == ([("A_ID", "STRING")], ["A_X", "S_ID", "S_W"])
    assert _schema(h, "J_RIGHT") == ([("A_ID", "STRING")], ["A_X", "S_ID", "S_W"])
    assert _schema(h, "J_FULL") == ([("ROWKEY", "STRING")], ["A_ID", "A_X", "S_ID", "S_W"])
    h.produce("s", "r", {"W": 1}, 1000)
    h.produce("a", "l", {"X": 2}, 2000)
    h.drain()
    assert [(k, v) for k, v, _ in h.stamped("J_RIGHT")] == [("r", {"A_X": None, "S_ID": "r", "S_W": 1})]
    assert [(k, v) for k, v, _ in h.stamped("J_LEFT")] == [("l", {"A_X": 2, "S_ID": None, "S_W": None})]
    assert [(k, v) for k, v, _ in h.stamped("J_FULL")] == [
        ("r", {"A_ID": None, "A_X": None, "S_ID": "r", "S_W": 1}),
        ("l", {"A_ID": "l", "A_X": 2, "S_ID": None, "S_W": None}),
    ]


def test_outer_join_key_missing_from_projection(docs: Any) -> None:
    """A LEFT join's projection needs one of the join expressions (PlanNode.throwKeysNotIncludedError, "or"
    of the viable keys); aliasing the right one names the key."""
    h = _setup(docs())
    assert _error(h, "CREATE STREAM J AS SELECT A.X FROM A LEFT JOIN S WITHIN 10 SECONDS ON A.ID = S.ID;") == (
        "Key missing from projection (ie, SELECT). \n"
        "The query used to build `J` must include the join expressions A.ID or S.ID in its projection "
        "(eg, SELECT A.ID...)."
    )
    h.sql("CREATE STREAM J AS SELECT S.ID AS K, A.X FROM A LEFT JOIN S WITHIN 10 SECONDS ON A.ID = S.ID;")
    assert _schema(h, "J") == ([("K", "STRING")], ["X"])


def test_synthetic_key_of_join_on_expressions(docs: Any) -> None:
    """synthetic-keys.md case 2: "Any join where all expressions used in the join ON criteria are not simple
    column references" has a synthetic ROWKEY of the expressions' type (LogicalPlanner.buildJoinKey: no
    viable key column), holding the expression's value. For tables the page's example (ABS(L.ID) =
    ABS(R.ID)) is refused: a table-table join must use the right table's primary key (verifyJoin)."""
    h = _setup(docs(NO_EMIT_INTERVAL))
    h.sql("CREATE STREAM J AS SELECT * FROM A JOIN S WITHIN 10 SECONDS ON ABS(A.X) = ABS(S.W);")
    assert _schema(h, "J") == ([("ROWKEY", "INTEGER")], ["A_ID", "A_X", "S_ID", "S_W"])
    h.produce("a", "l", {"X": -4}, 1000)
    h.produce("s", "r", {"W": 4}, 2000)
    h.drain()
    # a KAFKA INTEGER key: 4 big-endian bytes (IntegerSerializer)
    assert [(r.key, json.loads(r.value)) for r in h.records("J")] == [
        (b"\x00\x00\x00\x04", {"A_ID": "l", "A_X": -4, "S_ID": "r", "S_W": 4})
    ]
    assert _error(h, "CREATE TABLE T AS SELECT * FROM B JOIN C ON ABS(B.Y) = ABS(C.Z);") == (
        "Invalid join condition: table-table joins require to join on the primary key of the right input "
        "table. Got ABS(B.Y) = ABS(C.Z)."
    )


def test_record_after_the_grace_period_is_discarded(docs: Any) -> None:
    """"Joins and Windows": "If a record arrives after the window's grace period has passed, the record is
    discarded and isn't processed" (KStreamKStreamJoin drops a record older than stream time - window -
    grace): B's record at 2 s, after stream time reached 30 s, does not join A's record at 1 s."""
    h = _setup(docs(NO_EMIT_INTERVAL))
    h.sql("CREATE STREAM J AS SELECT A.ID AS ID, X, W FROM A JOIN S WITHIN 10 SECONDS GRACE PERIOD 0 SECONDS "
          "ON A.ID = S.ID;")  # fmt: skip
    for ts, topic, key, value in [(1000, "a", "k", {"X": 1}), (30000, "a", "z", {"X": 2}),
                                  (2000, "s", "k", {"W": 3}), (30000, "s", "z", {"W": 4})]:  # fmt: skip
        h.produce(topic, key, value, ts)
        h.drain()
    assert h.stamped("J") == [("z", {"X": 2, "W": 4}, 30000)]
