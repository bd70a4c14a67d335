"""docs/developer-guide/ksqldb-reference/describe.md, show-queries.md and explain.md on the pages' IP_SUM
table (a session-windowed CTAS over CLICKSTREAM): the REST entities (SourceDescription, RunningQuery,
QueryDescription) and the text the CLI prints for them (ksqlDB 0.29's Console: printSourceDescription,
printSchema / formatFieldType, printQueries, printQueryDescription; QueriesTableBuilder). Where the pages'
sample output differs from the 0.29 Console the test follows the Console and says how: the key column of
a windowed source carries "(Window type: SESSION)", the extended topic line reads "Kafka topic", the queries
section reads "Queries that write from this TABLE" with "<id> (<state>) : <single-line query>", and SHOW
QUERIES EXTENDED's key is "(key)" (the query's schema, not the table's)."""

from __future__ import annotations

from typing import Any

import pytest

from ksqlserver.console.render import entity_lines
from ksqlserver.errors import KsqlError

from .conftest import Docs

CTAS = ("CREATE TABLE IP_SUM as SELECT ip,  sum(bytes)/1024 as kbytes FROM CLICKSTREAM window SESSION "
        "(300 second) GROUP BY ip EMIT CHANGES;")  # fmt: skip
SCHEMA_LINES = [
    " Field  | Type                                                  ",
    "----------------------------------------------------------------",
    " IP     | VARCHAR(STRING)  (primary key) (Window type: SESSION) ",
    " KBYTES | BIGINT                                                ",
    "----------------------------------------------------------------",
]


def _setup(h: Docs) -> Docs:
    h.sql("CREATE STREAM CLICKSTREAM (ip STRING KEY, bytes BIGINT) WITH (KAFKA_TOPIC='clickstream', "
          "VALUE_FORMAT='JSON', PARTITIONS=4);")  # fmt: skip
    h.sql(CTAS)
    return h


def _text(entity: dict[str, Any]) -> list[str]:
    return entity_lines(entity, 120)


def test_describe(docs: Any) -> None:
    """"DESCRIBE ip_sum": the name, the fields (the primary key marked, VARCHAR(STRING) for STRING) and the
    hint line; the entity holds the fields (the key's "type": "KEY"), formats, topic and partitions."""
    h = _setup(docs())
    [e] = h.sql("DESCRIBE ip_sum;")
    d = e["sourceDescription"]
    assert (d["name"], d["type"], d["windowType"], d["extended"]) == ("IP_SUM", "TABLE", "SESSION", False)
    assert [(f["name"], f["schema"]["type"], f.get("type")) for f in d["fields"]] == [
        ("IP", "STRING", "KEY"), ("KBYTES", "BIGINT", None)
    ]  # fmt: skip
    assert (d["keyFormat"], d["valueFormat"], d["topic"], d["partitions"], d["replication"]) == (
        "KAFKA", "JSON", "IP_SUM", 4, 1
    )
    assert [q["id"] for q in d["writeQueries"]] == ["CTAS_IP_SUM_0"]
    assert _text(e) == [
        "Name                 : IP_SUM",
        *SCHEMA_LINES,
        "For runtime statistics and query details run: DESCRIBE <Stream,Table> EXTENDED;",
    ]


def test_describe_extended(docs: Any) -> None:
    """"DESCRIBE ip_sum EXTENDED": type, timestamp field, formats, the topic with its partitions and
    replication, the statement, the fields, the queries writing the table and the runtime statistics
    section (the numbers are the server's and not asserted)."""
    h = _setup(docs())
    [e] = h.sql("DESCRIBE ip_sum EXTENDED;")
    lines = _text(e)
    assert lines[:6] == [
        "Name                 : IP_SUM",
        "Type                 : TABLE",
        "Timestamp field      : Not set - using <ROWTIME>",
        "Key format           : KAFKA",
        "Value format         : JSON",
        "Kafka topic          : IP_SUM (partitions: 4, replication: 1)",
    ]
    assert lines[6].startswith("Statement            : CREATE TABLE IP_SUM WITH (CLEANUP_POLICY='compact,delete'")
    start = lines.index(SCHEMA_LINES[0])
    assert lines[start:start + 5] == SCHEMA_LINES
    at = lines.index("Queries that write from this TABLE")
    assert lines[at + 1] == "-----------------------------------"
    assert lines[at + 2].startswith("CTAS_IP_SUM_0 (RUNNING) : CREATE TABLE IP_SUM WITH (")
    assert "For query topology and execution plan please run: EXPLAIN <QueryId>" in lines
    assert "Local runtime statistics" in lines
    assert lines[-1] == "(Statistics of the local KSQL server interaction with the Kafka topic IP_SUM)"


def test_describe_tables_and_streams(docs: Any) -> None:
    """"DESCRIBE TABLES": each table's description as DESCRIBE prints it (a blank line after each);
    DESCRIBE STREAMS EXTENDED lists CLICKSTREAM with its reading query and its DROP constraint (IP_SUM)."""
    h = _setup(docs())
    [e] = h.sql("DESCRIBE TABLES;")
    assert [d["name"] for d in e["sourceDescriptions"]] == ["IP_SUM"]
    assert _text(e) == [
        "Name                 : IP_SUM",
        *SCHEMA_LINES,
        "For runtime statistics and query details run: DESCRIBE <Stream,Table> EXTENDED;",
        "",
    ]
    [e] = h.sql("DESCRIBE STREAMS EXTENDED;")
    [d] = e["sourceDescriptions"]
    assert (d["name"], d["sourceConstraints"], [q["id"] for q in d["readQueries"]]) == (
        "CLICKSTREAM", ["IP_SUM"], ["CTAS_IP_SUM_0"]
    )
    lines = _text(e)
    at = lines.index("Sources that have a DROP constraint on this source")
    assert lines[at + 2] == "IP_SUM"
    assert "Queries that read from this STREAM" in lines


def test_describe_unknown_source(docs: Any) -> None:
    """DescribeSourceExecutor / ListSourceExecutor: an unknown name is refused."""
    h = _setup(docs())
    with pytest.raises(KsqlError) as err:
        h.sql("DESCRIBE nosuch;")
    assert err.value.message == "Could not find STREAM/TABLE 'NOSUCH' in the Metastore"


def test_show_queries(docs: Any) -> None:
    """show-queries.md: the RunningQuery entity (id, PERSISTENT, RUNNING:<count>, sink and its topic, the
    query text) and the CLI's table with the EXPLAIN hint."""
    h = _setup(docs())
    [e] = h.sql("SHOW QUERIES;")
    [q] = e["queries"]
    assert (q["id"], q["queryType"], q["statusCount"], q["sinks"], q["sinkKafkaTopics"]) == (
        "CTAS_IP_SUM_0", "PERSISTENT", {"RUNNING": 1}, ["IP_SUM"], ["IP_SUM"]
    )
    lines = _text(e)
    assert lines[0].startswith(" Query ID      | Query Type | Status    | Sink Name | Sink Kafka Topic | Query String")
    assert lines[2].startswith(" CTAS_IP_SUM_0 | PERSISTENT | RUNNING:1 | IP_SUM    | IP_SUM           | CREATE TABLE")
    assert lines[-1] == "For detailed information on a Query run: EXPLAIN <Query ID>;"


def test_show_queries_extended_and_explain(docs: Any) -> None:
    """show-queries.md "show queries extended" and explain.md "EXPLAIN ctas_ip_sum": the QueryDescription
    (id, type, schema, sources, sinks, the execution plan from the SINK down to the SOURCE, the topology)
    as the CLI prints it; the query id is matched case-insensitively (the page's `ctas_ip_sum` is
    CTAS_IP_SUM_0 in 0.29, whose ids carry the query counter)."""
    h = _setup(docs())
    [shown] = h.sql("SHOW QUERIES EXTENDED;")
    [explained] = h.sql("EXPLAIN ctas_ip_sum_0;")
    [d] = shown["queryDescriptions"]
    q = explained["queryDescription"]
    for desc in (d, q):
        assert (desc["id"], desc["queryType"], desc["sources"], desc["sinks"], desc["windowType"]) == (
            "CTAS_IP_SUM_0", "PERSISTENT", ["CLICKSTREAM"], ["IP_SUM"], "SESSION"
        )
        assert desc["executionPlan"].startswith(" > [ SINK ] | Schema: IP STRING KEY, KBYTES BIGINT | Logger: "
                                                "CTAS_IP_SUM_0.IP_SUM\n")  # fmt: skip
        assert "> [ SOURCE ] | Schema: IP STRING KEY, BYTES BIGINT, ROWTIME BIGINT, ROWPARTITION INTEGER, " \
               "ROWOFFSET BIGINT, IP STRING | Logger: CTAS_IP_SUM_0.KsqlTopic.Source" in desc["executionPlan"]
        assert desc["topology"].startswith("Topologies:\n   Sub-topology: 0\n    Source: KSTREAM-SOURCE-0000000000 "
                                           "(topics: [clickstream])\n")  # fmt: skip
    lines = _text(explained)
    assert lines[:2] == ["ID                   : CTAS_IP_SUM_0", "Query Type           : PERSISTENT"]
    assert " IP     | VARCHAR(STRING)  (key) (Window type: SESSION) " in lines
    for title in ["Sources that this query reads from: ", "Sinks that this query writes to: ",
                  "Execution plan      ", "Processing topology "]:  # fmt: skip
        assert title in lines
    assert lines[lines.index("Sources that this query reads from: ") + 2] == "CLICKSTREAM"


def test_explain_statement_and_unknown_query(docs: Any) -> None:
    """explain.md "EXPLAIN (sql_expression|query_id)": EXPLAIN of a statement plans it without running it
    (ExplainExecutor.explainStatement: its would-be id, no source created); an unknown id is refused."""
    h = docs()
    h.sql("CREATE STREAM CLICKSTREAM (ip STRING KEY, bytes BIGINT) WITH (KAFKA_TOPIC='clickstream', "
          "VALUE_FORMAT='JSON', PARTITIONS=4);")  # fmt: skip
    [e] = h.sql("EXPLAIN " + CTAS)
    q = e["queryDescription"]
    assert (q["id"], q["statementText"], q["sinks"], q["queryType"]) == ("CTAS_IP_SUM_0", CTAS, ["IP_SUM"], "PERSISTENT")
    assert h.source("IP_SUM") is None
    [e] = h.sql("EXPLAIN SELECT * FROM CLICKSTREAM EMIT CHANGES;")
    assert (e["queryDescription"]["queryType"], e["queryDescription"]["sinks"]) == ("PUSH", [])
    with pytest.raises(KsqlError) as err:
        h.sql("EXPLAIN CTAS_NOPE_9;")
    assert err.value.message == (
        "Query with id:CTAS_NOPE_9 does not exist, use SHOW QUERIES to view the full set of queries."
    )


def test_describe_header_columns(docs: Any) -> None:
    """DESCRIBE of a stream with HEADER('<key>') columns: the CLI marks them "(header('<key>'))"
    (Console.formatFieldType), the entity's field "type" is HEADER with its headerKey; a schema holds one
    HEADERS column at most, and not with HEADER('<key>') ones (LogicalSchema.Builder)."""
    h = docs()
    h.ensure_topics("h")
    with pytest.raises(KsqlError) as err:
        h.sql("CREATE STREAM X (K STRING KEY, HS ARRAY<STRUCT<key STRING, value BYTES>> HEADERS, H1 BYTES "
              "HEADER('a')) WITH (KAFKA_TOPIC='h', VALUE_FORMAT='JSON');")  # fmt: skip
    assert err.value.message == "Schema already contains a HEADERS column."
    h.sql("CREATE STREAM H (K STRING KEY, V STRING, H1 BYTES HEADER('a'), H2 BYTES HEADER('b')) "
          "WITH (KAFKA_TOPIC='h', VALUE_FORMAT='JSON');")  # fmt: skip
    [e] = h.sql("DESCRIBE H;")
    assert [(f["name"], f.get("type"), f.get("headerKey")) for f in e["sourceDescription"]["fields"]] == [
        ("K", "KEY", None), ("V", None, None), ("H1", "HEADER", "a"), ("H2", "HEADER", "b")
    ]  # fmt: skip
    assert _text(e)[1:7] == [
        " Field | Type                           ",
        "----------------------------------------",
        " K     | VARCHAR(STRING)  (key)         ",
        " V     | VARCHAR(STRING)                ",
        " H1    | BYTES            (header('a')) ",
        " H2    | BYTES            (header('b')) ",
    ]


def test_show_queries_lists_push_queries(docs: Any) -> None:
    """show-queries.md "Query Type": a running push query is listed as PUSH, without sinks, under its
    transient_<source>_<n> id (ListQueriesExecutor over the engine's transient queries); it leaves the list
    once closed."""
    h = docs()
    h.ensure_topics("s")
    h.sql("CREATE STREAM S (K STRING KEY, V INT) WITH (KAFKA_TOPIC='s', VALUE_FORMAT='JSON');")
    q = h.engine.start_query("SELECT * FROM S EMIT CHANGES;")
    try:
        h.drain()
        [e] = h.sql("SHOW QUERIES;")
        [listed] = e["queries"]
        assert listed["id"].startswith("transient_S_")
        assert (listed["queryType"], listed["sinks"], listed["statusCount"], listed["queryString"]) == (
            "PUSH", [], {"RUNNING": 1}, "SELECT * FROM S EMIT CHANGES;"
        )
        assert _text(e)[2].split("|")[1:3] == [" PUSH       ", " RUNNING:1 "]
    finally:
        q.close()
    [e] = h.sql("SHOW QUERIES;")
    assert e["queries"] == []
