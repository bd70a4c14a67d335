"""ksqlDB 0.29's StatementRewriterTest (ksqldb-engine, io.confluent.ksql.engine.rewrite): StatementRewriter
carries an expression rewrite into every clause of every statement holding expressions. Its user-visible
use is AstSanitizer's qualification of column references, shown in the text a CREATE ... AS SELECT reports
(SqlFormatter): each case checks that the clause it names came out rewritten. The plugin variants (a
rewriter replacing whole statements) and the location/identity checks have no statement-level counterpart."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Ksql


@pytest.fixture
def s(ksql: Ksql) -> Ksql:
    for t in ("s", "s2", "t"):
        ksql.topic(t)
    ksql.execute("CREATE STREAM S (K STRING KEY, I INT, STR STRING) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    ksql.execute("CREATE STREAM S2 (K STRING KEY, I2 INT) WITH (KAFKA_TOPIC='s2', VALUE_FORMAT='JSON');")
    ksql.execute("CREATE TABLE T (K STRING PRIMARY KEY, V INT) WITH (KAFKA_TOPIC='t', VALUE_FORMAT='JSON');")
    return ksql


def _text(s: Ksql, sql: str) -> str:
    (status,) = s.execute(sql)
    return status["statementText"].split(" AS SELECT", 1)[1]


@pytest.mark.parametrize(
    ("test", "sql", "text"),
    [
        ("shouldRewriteQueryWithFilter / shouldRewriteCSAS", "CREATE STREAM O AS SELECT K, I FROM S WHERE I > 0;",
         "\n  S.K K,\n  S.I I\nFROM S S\nWHERE (S.I > 0)\nEMIT CHANGES;"),
        ("shouldRewriteQueryWithGroupBy / shouldRewriteQueryWithHaving / shouldRewriteCTAS",
         "CREATE TABLE O AS SELECT STR, COUNT(*) AS C FROM S GROUP BY STR HAVING SUM(I) > 1;",
         "\n  S.STR STR,\n  COUNT(*) C\nFROM S S\nGROUP BY S.STR\nHAVING (SUM(S.I) > 1)\nEMIT CHANGES;"),
        ("shouldRewriteQueryWithPartitionBy / shouldRewriteCSASWithPartitionBy",
         "CREATE STREAM O AS SELECT * FROM S PARTITION BY UCASE(STR);",
         " *\nFROM S S\nPARTITION BY UCASE(S.STR)\nEMIT CHANGES;"),
        ("shouldRewriteQueryWithWindow / shouldRewriteWindowExpression",
         "CREATE TABLE O AS SELECT K, COUNT(*) AS C FROM S WINDOW HOPPING (SIZE 30 SECONDS, ADVANCE BY 10 SECONDS) "
         "GROUP BY K;",
         "\n  S.K K,\n  COUNT(*) C\nFROM S S\nWINDOW HOPPING ( SIZE 30 SECONDS , ADVANCE BY 10 SECONDS ) \n"
         "GROUP BY S.K\nEMIT CHANGES;"),
        ("shouldRewriteAliasedRelation", "CREATE STREAM O AS SELECT X.K, I FROM S X;",
         "\n  X.K K,\n  X.I I\nFROM S X\nEMIT CHANGES;"),
        ("shouldRewriteJoin", "CREATE STREAM O AS SELECT S.K, I, V FROM S JOIN T ON S.K = T.K;",
         "\n  S.K S_K,\n  S.I I,\n  T.V V\nFROM S S\nINNER JOIN T T ON ((S.K = T.K))\nEMIT CHANGES;"),
        ("shouldRewriteJoin (criteria inside a MAP constructor)",
         "CREATE STREAM O AS SELECT T.K, V FROM S JOIN T ON MAP('a' := STR)['a'] = T.K;",
         "\n  T.K T_K,\n  T.V V\nFROM S S\nINNER JOIN T T ON ((MAP('a':=S.STR)['a'] = T.K))\nEMIT CHANGES;"),
        ("shouldRewriteJoinWithWindowExpression",
         "CREATE STREAM O AS SELECT S.K, I, I2 FROM S JOIN S2 WITHIN 10 SECONDS ON S.K = S2.K;",
         "\n  S.K S_K,\n  S.I I,\n  S2.I2 I2\nFROM S S\nINNER JOIN S2 S2 WITHIN 10 SECONDS ON ((S.K = S2.K))\n"
         "EMIT CHANGES;"),
    ],
    ids=lambda v: v if isinstance(v, str) and v.startswith("should") else "",
)  # fmt: skip
def test_rewrites_every_clause(s: Ksql, test: str, sql: str, text: str) -> None:
    assert _text(s, sql) == text


@pytest.mark.parametrize("kind", ["STREAM", "TABLE"])
def test_should_rewrite_create_source(s: Ksql, kind: str) -> None:
    """shouldRewriteCreateStream / shouldRewriteCreateTable: the elements and properties are kept."""
    key = "PRIMARY KEY" if kind == "TABLE" else "KEY"
    (status,) = s.execute(f"CREATE {kind} C (K STRING {key}, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    assert status["statementText"].startswith(f"CREATE {kind} C (K STRING {key}, V INTEGER) WITH (")


@pytest.mark.parametrize(
    "insert", ["INSERT INTO O SELECT * FROM S WHERE I < 0;", "INSERT INTO O SELECT * FROM S PARTITION BY K;"]
)
def test_should_rewrite_insert_into(s: Ksql, insert: str) -> None:
    """shouldRewriteInsertInto / shouldRewriteInsertIntoWithPartitionBy: the query runs into the sink."""
    s.execute("CREATE STREAM O AS SELECT * FROM S;")
    (status,) = s.execute(insert)
    assert status["commandStatus"]["queryId"].startswith("INSERTQUERY_")
    s.produce("s", [("k", {"I": -1, "STR": "a"}, 1)])
    assert len(s.records("O")) == 2


def test_should_rewrite_explain_with_query(s: Ksql) -> None:
    """shouldRewriteExplainWithQuery: the query is planned (its fields and sources described). The fields are
    the transient query's schema: the source's key column (KEY) before the projection, which holds it again
    (observed on ksqlDB 0.29: EXPLAIN SELECT * FROM T WHERE ID = 1 -> [ID KEY, ID, C]; statements/explain.py)."""
    (desc,) = s.execute("EXPLAIN SELECT K, I FROM S WHERE I > 0 EMIT CHANGES;")
    q = desc["queryDescription"]
    assert ([f["name"] for f in q["fields"]], q["sources"]) == (["K", "K", "I"], ["S"])
    assert q["fields"][0]["type"] == "KEY"


def test_should_not_rewrite_explain_with_id(s: Ksql) -> None:
    """shouldNotRewriteExplainWithId: the described query is the running one, its text as created."""
    (status,) = s.execute("CREATE STREAM O AS SELECT K, I FROM S WHERE I > 0;")
    qid = status["commandStatus"]["queryId"]
    (desc,) = s.execute(f"EXPLAIN {qid};")
    assert desc["queryDescription"]["statementText"] == status["statementText"]
